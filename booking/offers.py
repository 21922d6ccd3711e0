"""Which free times to show a patient, as a list to tap, and why a time cannot be had.

The booking flow decides *when* to offer; this module decides *what*: the next free times, a
day's (or part of a day's) free times, the times nearest a refused one, or the same clock time
on the next open days. Every list row carries what it acts on ("slot:<UTC start>" or
"move:<appointment>:<UTC start>"), so a tap works with no conversation state at all.
"""

import datetime as dt
from collections import Counter

from booking import messages as say
from booking.dates import PARTS_OF_DAY
from booking.models import Appointment, TimeOff, WeeklyHours
from booking.slots import Reason, free_slots, nearest_free_slots, next_free_slots
from clinicbot.replies import TALK_BUTTON, Reply, Row, with_buttons
from patients.models import Doctor

# Ids of list rows (and of the older sample form).
SLOT = "slot:"  # slot:<UTC start>             book that start
SAMPLE_SLOT = "slot."  # slot.<local start>    the older form in whatsapp/samples/list_reply.json
MOVE = "move:"  # move:<appointment>:<UTC start>  move that appointment there

# WhatsApp's limit: 10 rows in a list.
MAX_ROWS = 10
# A refused time is offered up to this many free times before it and as many after, so a time
# in the lunch break shows both the end of the morning and the start of the evening.
NEAREST_EACH_SIDE = 3
# How many of the nearest free times (by distance) those are chosen from: enough to reach past a
# four-hour break in 5-minute slots. The cost is the same three queries for any pool.
NEAREST_POOL = 60
# The first offer shows at most this many times per day and part of day, so ten rows reach
# beyond this morning.
PER_PART_OF_DAY = 2
# How many days the first offer looks at before falling back to "the next free times at all".
FIRST_OFFER_DAYS = 7
# A time named with no day is offered on at most this many days ("6pm" -> today, Thu, Fri …).
SAME_TIME_DAYS = 5


def soonest(doctor: Doctor, now: dt.datetime) -> list[dt.datetime]:
    """The next free times, a couple per part of day so the list reaches beyond this morning."""
    today = now.astimezone(doctor.tz).date()
    slots = free_slots(doctor, start_day=today, end_day=today + dt.timedelta(days=FIRST_OFFER_DAYS - 1), now=now)
    picked: list[dt.datetime] = []
    per_group: Counter = Counter()
    for slot in slots:
        group = (slot.date(), say.part_of(slot.time()))
        if per_group[group] < PER_PART_OF_DAY:
            per_group[group] += 1
            picked.append(slot)
            if len(picked) == MAX_ROWS:
                return picked
    if not picked:
        return next_free_slots(doctor, after=now, now=now, limit=MAX_ROWS)
    return picked


def nearest(
    doctor: Doctor, start_at: dt.datetime, now: dt.datetime, *, appointment: Appointment | None
) -> list[dt.datetime]:
    """The free times nearest to `start_at`, from both sides of it where there are any.

    nearest_free_slots orders by distance (the same day first); taken alone, its first few
    can all lie on one side (the morning's last slots for a time in the lunch break).
    """
    candidates = nearest_free_slots(doctor, start_at, now=now, exclude_appointment=appointment, limit=NEAREST_POOL)
    picked = [slot for slot in candidates if slot < start_at][:NEAREST_EACH_SIDE]
    picked += [slot for slot in candidates if slot > start_at][:NEAREST_EACH_SIDE]
    picked += [slot for slot in candidates if slot not in picked][: 2 * NEAREST_EACH_SIDE - len(picked)]
    return sorted(picked)


def same_time_days(
    doctor: Doctor, at: dt.time, now: dt.datetime, *, appointment: Appointment | None
) -> list[dt.datetime]:
    """`at` on the next days it is free (today first if still ahead): a time named with no day
    is offered, never booked, since only the patient knows which day they meant."""
    today = now.astimezone(doctor.tz).date()
    last_day = today + dt.timedelta(days=doctor.horizon_days)
    free = free_slots(doctor, start_day=today, end_day=last_day, now=now, exclude_appointment=appointment)
    return [slot for slot in free if slot.time() == at][:SAME_TIME_DAYS]


def slot_list(
    doctor: Doctor,
    now: dt.datetime,
    slots: list[dt.datetime],
    *,
    appointment: Appointment | None,
    lead: str,
    nearest: bool = False,
) -> tuple[Reply, list[dt.datetime]]:
    """A list of free times to tap (at most ten, spread over the range when there are more),
    and the times it shows. With no free time at all the patient is pointed to a person."""
    if not slots:
        return with_buttons(f"{lead}\n{say.no_free_time(doctor)}", [TALK_BUTTON]), []
    slots = sorted(slot.astimezone(doctor.tz) for slot in slots)
    body = lead
    if nearest:
        body += "\nThe nearest free times are below 👇"
    if len(slots) > MAX_ROWS:
        shown = _spread(slots, MAX_ROWS)
        left_out = next(slot for slot in slots if slot not in shown)
        body += f"\nShowing {MAX_ROWS} of {len(slots)} free times — or type a time, e.g. {say.clock(left_out, doctor)}."
        slots = shown
    today = now.astimezone(doctor.tz).date()
    rows = [
        Row(row_id(slot, appointment), say.slot_title(slot, doctor), say.row_note(slot.date(), today)) for slot in slots
    ]
    return Reply(text=body, rows=rows, list_button=say.LIST_BUTTON), slots


def row_id(slot: dt.datetime, appointment: Appointment | None) -> str:
    stamp = slot.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    return f"{SLOT}{stamp}" if appointment is None else f"{MOVE}{appointment.pk}:{stamp}"


def day_slots(doctor: Doctor, day: dt.date, part: str | None, now: dt.datetime) -> list[dt.datetime]:
    return free_slots(doctor, start_day=day, now=now, part_of_day=PARTS_OF_DAY[part] if part else None)


def why_not(doctor: Doctor, reason: Reason, start_at: dt.datetime, now: dt.datetime, *, tapped: bool) -> str:
    """Why this start cannot be booked, in plain words."""
    at = start_at.astimezone(doctor.tz)
    today = now.astimezone(doctor.tz).date()
    label = f"{say.clock(at)} {say.on_day(at.date(), today)}"
    if reason == Reason.TAKEN:
        return f"Sorry, that slot was just taken ({label})." if tapped else f"Sorry, {label} is already booked."
    if reason == Reason.PAST:
        return f"{say.capital(label)} has already passed."
    if reason == Reason.TOO_SOON:
        return (
            f"{say.capital(label)} is too soon — please book at least {say.duration(doctor.min_notice_minutes)} ahead."
        )
    if reason == Reason.TOO_FAR:
        last_day = today + dt.timedelta(days=doctor.horizon_days)
        return (
            f"{say.capital(label)} is too far ahead — I can book up to {doctor.horizon_days} days ahead "
            f"(till {say.short_date(last_day)})."
        )
    if reason == Reason.NOT_ALIGNED:
        return f"Appointments start every {doctor.slot_minutes} minutes, so {say.clock(at)} isn't a start time."
    return f"{say.capital(label)} — the clinic is closed then{_closed_detail(doctor, at)}"


def empty_day(doctor: Doctor, day: dt.date, today: dt.date, part: str | None) -> str:
    """Why a day (or part of it) has no free time: a day off, closed that weekday, or full."""
    if TimeOff.objects.filter(doctor=doctor, start_date__lte=day, end_date__gte=day, start_time__isnull=True).exists():
        return f"Sorry, the doctor is away {say.on_day(day, today)}."
    hours = hours_of(doctor, day)
    if not hours:
        return f"Sorry, the clinic is closed on {day:%A}s."
    if part:
        begin, end = PARTS_OF_DAY[part]
        if not any(start < end and begin < finish for start, finish in hours):
            return f"Sorry, the clinic is closed {say.when_words(day, today, part)} (open {say.hours_text(hours)})."
    if day == today:
        return f"Sorry, no free times are left {say.when_words(day, today, part)}."
    return f"Sorry, {say.when_words(day, today, part, on=False)} is fully booked."


def hours_of(doctor: Doctor, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    return list(
        WeeklyHours.objects.filter(doctor=doctor, weekday=day.weekday()).order_by("start").values_list("start", "end")
    )


def _closed_detail(doctor: Doctor, at: dt.datetime) -> str:
    """The rest of "… the clinic is closed then": a day off, time away, or that day's hours."""
    day = at.date()
    for off in TimeOff.objects.filter(doctor=doctor, start_date__lte=day, end_date__gte=day):
        if off.start_time is None:
            return " (the doctor is away that day)."
        if off.start_time <= at.time() < off.end_time:
            return f" (the doctor is away {say.clock(off.start_time)}–{say.clock(off.end_time)})."
    hours = hours_of(doctor, day)
    if not hours:
        return f" (it's closed on {day:%A}s)."
    return f". Open that day: {say.hours_text(hours)}."


def _spread(slots: list[dt.datetime], count: int) -> list[dt.datetime]:
    """`count` slots evenly spread from the first to the last, so every part of the day shows."""
    indexes = sorted({round(i * (len(slots) - 1) / (count - 1)) for i in range(count)})
    return [slots[i] for i in indexes]
