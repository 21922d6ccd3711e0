"""How booking talks: the 12-hour clock, day labels and the sentences patients read.

One place for date and clock wording, used by the booking flow, reminders and the appointments
page, so "Thu 26 Nov, 3:00 PM" reads the same on WhatsApp and on the front desk's screen.
Everything is shown in the doctor's timezone; datetimes passed in may be in any zone.
"""

import datetime as dt

from booking.dates import PARTS_OF_DAY
from booking.models import Appointment
from patients.models import Doctor

LIST_BUTTON = "Choose a time"
TYPE_HINT = "or type a day and time, e.g. *tomorrow 5pm* / *kal shaam 5 baje*"
ASK_WHEN = f"When would you like to come? 🗓️\nTap *{LIST_BUTTON}* for the next free times, {TYPE_HINT}."
TYPE_AGAIN = (
    "Sorry, I couldn't find a day or time in that 🙏 Please type it like:\n"
    "• tomorrow 5pm\n• Saturday morning\n• 28/11 at 11:30\n• kal shaam 5 baje\n"
    "Or type *cancel* to stop."
)


# --- Clock and days --------------------------------------------------------------------------


def local(value: dt.datetime, doctor: Doctor) -> dt.datetime:
    return value.astimezone(doctor.tz)


def clock(value: dt.datetime | dt.time, doctor: Doctor | None = None) -> str:
    """ "3:00 PM", "10:15 AM" (a datetime is shown in the doctor's timezone when one is given)."""
    if isinstance(value, dt.datetime) and doctor is not None:
        value = local(value, doctor)
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def short_date(day: dt.date) -> str:
    """ "Thu 26 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"


def long_date(value: dt.datetime, doctor: Doctor) -> str:
    """ "Thursday 26 Nov 2026", in the doctor's timezone."""
    day = local(value, doctor).date()
    return f"{day:%A} {day.day} {day:%b} {day.year}"


def long_moment(value: dt.datetime, doctor: Doctor) -> str:
    """ "Thursday 26 Nov 2026 at 3:00 PM": weekday, date and time, as every confirmation says."""
    return f"{long_date(value, doctor)} at {clock(value, doctor)}"


def slot_title(value: dt.datetime, doctor: Doctor) -> str:
    """ "Thu 26 Nov, 10:15 AM": at most 20 characters, within a list row's 24."""
    return f"{short_date(local(value, doctor).date())}, {clock(value, doctor)}"


def day_label(day: dt.date, today: dt.date) -> str:
    """ "Today · Thu 26 Nov", "Tomorrow · Fri 27 Nov", "Sat 28 Nov" (the appointments page)."""
    named = short_date(day)
    if day == today:
        return f"Today · {named}"
    if day == today + dt.timedelta(days=1):
        return f"Tomorrow · {named}"
    return named


def row_note(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "Today"
    if day == today + dt.timedelta(days=1):
        return "Tomorrow"
    return ""


def day_name(day: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "Sunday" within the week, else "Sun 6 Dec"."""
    if day == today:
        return "today"
    if day == today + dt.timedelta(days=1):
        return "tomorrow"
    if today < day < today + dt.timedelta(days=7):
        return f"{day:%A}"
    return short_date(day)


def on_day(day: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "on Sunday", "on Sun 6 Dec"."""
    name = day_name(day, today)
    return name if day in (today, today + dt.timedelta(days=1)) else f"on {name}"


def when_words(day: dt.date, today: dt.date, part: str | None, *, on: bool = True) -> str:
    """ "this evening", "tomorrow morning", "on Saturday evening" (without "on": "Saturday evening")."""
    if part and day == today:
        return f"this {part}"
    name = on_day(day, today) if on else day_name(day, today)
    return f"{name} {part}" if part else name


def part_of(at: dt.time) -> str:
    return next((name for name, (begin, end) in PARTS_OF_DAY.items() if begin <= at < end), "other")


def hours_text(hours: list[tuple[dt.time, dt.time]]) -> str:
    return " and ".join(f"{clock(start)}–{clock(end)}" for start, end in hours)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def duration(minutes: int) -> str:
    """ "45 minutes", "1 hour", "2 hours", "90 minutes", "1 day"."""
    if minutes % (24 * 60) == 0 and minutes:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0 and minutes:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


# --- Sentences -------------------------------------------------------------------------------


def confirmed(appointment: Appointment, *, lead: str) -> str:
    """Everything the patient needs in one message: who, when (weekday, date, time), where, how to change."""
    doctor = appointment.doctor
    lines = [f"{lead} {doctor.name}, {long_moment(appointment.start, doctor)}."]
    place = ", ".join(part for part in (doctor.clinic_name, " ".join(doctor.address.split()).rstrip(".")) if part)
    if place:
        lines.append(f"{place}.")
    lines.append("To cancel or reschedule, reply 'my appointments'.")
    return "\n".join(lines)


def appointment_line(appointment: Appointment) -> str:
    """ "📅 Thursday 26 Nov 2026 at 10:00 AM with Dr. Meera Joshi."""
    doctor = appointment.doctor
    return f"📅 {long_moment(appointment.start, doctor)} with {doctor.name}."


def too_late(doctor: Doctor, appointment: Appointment | None) -> str:
    when = f" on {slot_title(appointment.start, doctor)}" if appointment is not None else ""
    return (
        f"Sorry, it's too late to cancel or change your appointment{when} in chat: it is less than "
        f"{duration(doctor.cancel_cutoff_minutes)} away. Please tap Talk to doctor and the clinic team will help."
    )


def no_longer_booked(appointment: Appointment) -> str:
    if appointment.status == Appointment.Status.CANCELLED:
        return "That appointment is already cancelled."
    return "That appointment is over, so it can't be changed now."


def too_many(doctor: Doctor, upcoming: list[Appointment]) -> str:
    times = " and ".join(slot_title(a.start, doctor) for a in upcoming[:3])
    count = len(upcoming)
    return (
        f"You already have {count} upcoming appointment{'s' if count != 1 else ''} ({times}) — that's the most "
        "I can book in chat. To change one, tap My appointments."
    )


def no_free_time(doctor: Doctor) -> str:
    return (
        f"I couldn't find a free time in the next {doctor.horizon_days} days. "
        "Please tap Talk to doctor and the clinic team will help."
    )
