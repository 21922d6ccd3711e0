"""The booking flow's answer to a moment (booking.flow): book it or move the appointment to it,
confirmed in one message, or say why not and offer the free times meant (that day, that part of
day, that time on the next days, the nearest ones), remembering what is now in front of the
patient. booking.flow reads the message and the taps and calls these.
"""

import datetime as dt

from booking import messages as say
from booking import offers, visits
from booking.closures import covered_appointment_ids
from booking.context import ASK_NEW_TIME, ASK_WHEN, Talk, stamp
from booking.dates import When
from booking.models import Appointment
from booking.services import appointment_book, appointment_reschedule
from booking.slots import Reason, check_start
from clinicbot.replies import MY_APPOINTMENTS_BUTTON, TALK_BUTTON, Reply, with_buttons


def answer_when(talk: Talk, when: When, *, appointment: Appointment | None) -> list[Reply]:
    """Book (or move to) the moment meant, or offer the free times of the day meant.

    A message that names no day takes the day under discussion; with none, a time is offered
    on the next days it is free and a part of day is read as the parser's nearest one.
    """
    doctor, day, at = talk.doctor, when.day, when.time
    if not when.day_given:
        context_day = talk.context_day()
        if context_day is not None:
            day = context_day
        elif at is not None:
            same = [start for start in talk.shown() if start.time() == at]
            if len(same) == 1:
                return book_or_move(talk, same[0], appointment=appointment, tapped=False)
            return _offer_same_time(talk, at, appointment=appointment)
    if at is not None:
        return book_or_move(talk, dt.datetime.combine(day, at, tzinfo=doctor.tz), appointment=appointment, tapped=False)
    kept_time = talk.context_time()
    if when.part_of_day is None and kept_time is not None:
        # "Friday" after "5 PM is taken today": Friday at 5 PM if that is free, else Friday's times.
        start_at = dt.datetime.combine(day, kept_time, tzinfo=doctor.tz)
        if check_start(doctor, start_at, now=talk.now, exclude_appointment=appointment).ok:
            return book_or_move(talk, start_at, appointment=appointment, tapped=False)
    return _offer_day(talk, day, when.part_of_day, appointment=appointment)


def book_or_move(talk: Talk, start_at: dt.datetime, *, appointment: Appointment | None, tapped: bool) -> list[Reply]:
    """Book `start_at` (or move `appointment` there): confirmed in one message, or why not and
    the nearest free times."""
    doctor, now, patient = talk.doctor, talk.now, talk.patient
    if appointment is None:
        if visits.upcoming(patient, now).filter(start=start_at).exists():
            talk.clear()
            already = f"You're already booked for {say.long_moment(start_at, doctor)} ✅"
            return [with_buttons(already, [MY_APPOINTMENTS_BUTTON])]
        result = appointment_book(doctor=doctor, patient=patient, start=start_at, now=now)
        if result.ok:
            talk.clear()
            return [with_buttons(say.confirmed(result.appointment, lead="Confirmed! ✅"), [MY_APPOINTMENTS_BUTTON])]
    else:
        old_start = appointment.start
        # The cancel cut-off holds a patient to their own booking, not to a visit the clinic has
        # closed over (time off): that one may always be moved, however close it is.
        by_patient = not covered_appointment_ids(doctor, [appointment])
        result = appointment_reschedule(appointment=appointment, new_start=start_at, now=now, by_patient=by_patient)
        if result.ok:
            talk.clear()
            if result.appointment.start == old_start:
                already = f"Your appointment is already at that time: {say.long_moment(old_start, doctor)} ✅"
                return [with_buttons(already, [MY_APPOINTMENTS_BUTTON])]
            moved = say.confirmed(result.appointment, lead="Done, your appointment is moved! ✅")
            return [with_buttons(moved, [MY_APPOINTMENTS_BUTTON])]

    if result.reason == Reason.TOO_MANY:
        talk.clear()
        return [visits.too_many(talk)]
    if result.reason == Reason.TOO_LATE:
        talk.clear()
        return [with_buttons(say.too_late(doctor, appointment), [TALK_BUTTON])]
    if result.reason == Reason.NOT_BOOKED:
        talk.clear()
        return [visits.no_longer_booked(result.appointment)]
    lead = offers.why_not(doctor, result.reason, start_at, now, tapped=tapped)
    slots = offers.nearest(doctor, start_at, now, appointment=appointment)
    at = start_at.astimezone(doctor.tz)
    return show_times(
        talk, slots, appointment=appointment, lead=lead, nearest=True,
        day=at.date(), time=at.time(), about=start_at, refused=str(result.reason),
    )  # fmt: skip


def _offer_day(talk: Talk, day: dt.date, part: str | None, *, appointment: Appointment | None) -> list[Reply]:
    """The free times of a day (or part of it); when there are none, why, and the nearest ones."""
    doctor, now, today = talk.doctor, talk.now, talk.today
    anchor = dt.datetime.combine(day, offers.PARTS_OF_DAY[part][0] if part else dt.time(12), tzinfo=doctor.tz)
    last_day = today + dt.timedelta(days=doctor.horizon_days)
    if day < today:
        lead = f"{say.capital(say.day_name(day, today))} has already passed."
        return show_times(talk, offers.soonest(doctor, now), appointment=appointment, lead=lead, nearest=True)
    if day > last_day:
        lead = (
            f"{say.capital(say.day_name(day, today))} is too far ahead — I can book up to {doctor.horizon_days} "
            f"days ahead (till {say.short_date(last_day)})."
        )
        slots = offers.nearest(doctor, anchor, now, appointment=appointment)
        return show_times(talk, slots, appointment=appointment, lead=lead, nearest=True)

    slots = offers.day_slots(doctor, day, part, now)
    if slots:
        lead = f"Free times {say.when_words(day, today, part)} 👇 Tap one to book."
        return show_times(talk, slots, appointment=appointment, lead=lead, day=day, part=part)
    lead = offers.empty_day(doctor, day, today, part)
    if part:
        rest_of_day = offers.day_slots(doctor, day, None, now)
        if rest_of_day:
            lead += f" These times are free {say.on_day(day, today)}:"
            return show_times(talk, rest_of_day, appointment=appointment, lead=lead, day=day)
    slots = offers.nearest(doctor, anchor, now, appointment=appointment)
    return show_times(talk, slots, appointment=appointment, lead=lead, nearest=True)


def _offer_same_time(talk: Talk, at: dt.time, *, appointment: Appointment | None) -> list[Reply]:
    """A time with no day and no day under discussion: that time on the next days it is free."""
    doctor = talk.doctor
    slots = offers.same_time_days(doctor, at, talk.now, appointment=appointment)
    if slots:
        lead = f"Which day would you like {say.clock(at)}? 👇 Tap one, or type the day."
        return show_times(talk, slots, appointment=appointment, lead=lead, time=at)
    lead = f"{say.clock(at)} isn't free on the next days."
    anchor = dt.datetime.combine(talk.today, at, tzinfo=doctor.tz)
    slots = offers.nearest(doctor, max(anchor, talk.now), talk.now, appointment=appointment)
    return show_times(talk, slots, appointment=appointment, lead=lead, nearest=True)


def show_times(
    talk: Talk,
    slots: list[dt.datetime],
    *,
    appointment: Appointment | None,
    lead: str,
    nearest: bool = False,
    day: dt.date | None = None,
    part: str | None = None,
    time: dt.time | None = None,
    about: dt.datetime | None = None,
    refused: str | None = None,
) -> list[Reply]:
    """Show free times and remember what is now in front of the patient (`refused`: why the
    time under discussion could not be had: taken, closed, too soon …)."""
    reply, shown = offers.slot_list(talk.doctor, talk.now, slots, appointment=appointment, lead=lead, nearest=nearest)
    talk.ask(
        ASK_WHEN if appointment is None else ASK_NEW_TIME,
        appointment=appointment,
        day=day.isoformat() if day else None,
        part=part,
        time=time.strftime("%H:%M") if time else None,
        about=stamp(about) if about else None,
        shown=[stamp(slot) for slot in shown],
        refused=refused,
    )
    return [reply]
