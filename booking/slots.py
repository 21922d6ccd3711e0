"""Availability: which starts a doctor can still give to a patient, and why not when not.

Availability = weekly intervals − time off − booked appointments, stepped by the doctor's
slot length from the start of each interval, keeping only slots that end inside their
interval, that start at least `min_notice_minutes` after now and that fall on a local day no
later than today + `horizon_days`.

Days, weekdays and opening hours are the doctor's local ones; slots are stepped in absolute
time, so a night with a DST change gets the right number of slots. Every datetime taken must
be aware (any zone); every slot returned is an aware datetime in the doctor's timezone
(`doctor.tz`), ready to be shown to a patient. Appointment rows store UTC. Python compares
and subtracts two datetimes *of the same zone* by wall clock, so arithmetic across a DST
change should convert to UTC first (this module does so internally).

One computation costs three queries whatever the range: the weekly hours, the time off
overlapping the range, and the booked appointments overlapping the range. The schedule those
queries load, and the searches over it, are booking/schedule.py; the reasons booking/reasons.py.
"""

import datetime as dt
from dataclasses import dataclass, field

from booking.models import Appointment, Weekday, WeeklyHours
from booking.reasons import Reason  # re-exported: callers import it from here
from booking.schedule import UTC, Rules, Schedule, find_alternatives, next_free, weekly_intervals
from patients.models import Doctor

# WhatsApp reply buttons hold at most three choices: enough alternatives to pick from,
# few enough to offer as buttons.
ALTERNATIVES = 3

DAY_ABBREVIATIONS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass(frozen=True)
class Check:
    """The answer to "can this exact start be booked?": ok, or a reason and nearby free slots."""

    ok: bool
    reason: Reason | None = None
    alternatives: list[dt.datetime] = field(default_factory=list)


def free_slots(
    doctor: Doctor,
    *,
    start_day: dt.date,
    end_day: dt.date | None = None,
    now: dt.datetime,
    part_of_day: tuple[dt.time, dt.time] | None = None,
    exclude_appointment: Appointment | None = None,
) -> list[dt.datetime]:
    """Free slot starts on the doctor's local days start_day..end_day (inclusive), in order.

    `part_of_day` (from, to) keeps only slots whose local start time is in [from, to), for
    "tomorrow morning" style requests. `exclude_appointment` is not counted as booked (the
    one being moved).
    """
    rules = Rules.of(doctor, _utc(now, "now"))
    exclude_id = exclude_appointment.pk if exclude_appointment is not None else None
    schedule = Schedule.load(
        doctor, first_day=start_day, last_day=end_day or start_day, rules=rules, exclude_id=exclude_id
    )
    slots = _in_zone(schedule.free_slots(), rules.tz)
    if part_of_day is not None:
        begin, end = part_of_day
        slots = [slot for slot in slots if begin <= slot.time() < end]
    return slots


def next_free_slots(doctor: Doctor, *, after: dt.datetime, now: dt.datetime, limit: int = 8) -> list[dt.datetime]:
    """The first `limit` free slots starting at or after `after` (fewer when the horizon ends first)."""
    rules = Rules.of(doctor, _utc(now, "now"))
    return _in_zone(next_free(doctor, after=_utc(after, "after"), rules=rules, limit=limit), rules.tz)


def check_start(
    doctor: Doctor, start: dt.datetime, *, now: dt.datetime, exclude_appointment: Appointment | None = None
) -> Check:
    """Whether `start` can be booked now; if not, the first reason that applies and alternatives.

    Reasons are tried in this order: PAST, TOO_SOON, TOO_FAR (the time rules), then CLOSED
    (outside the weekly hours, in time off, or the visit would end after closing),
    NOT_ALIGNED (inside opening hours but between two slot starts) and TAKEN (the slot's
    booked count has reached the capacity). `exclude_appointment` is not counted as booked,
    so an appointment can be moved within or next to its own slot.
    """
    start = _utc(start, "start")
    exclude_id = exclude_appointment.pk if exclude_appointment is not None else None
    rules = Rules.of(doctor, _utc(now, "now"))
    reason = rules.time_reason(start)
    weekly = None
    if reason is None:
        day = start.astimezone(rules.tz).date()
        schedule = Schedule.load(doctor, first_day=day, last_day=day, rules=rules, exclude_id=exclude_id)
        reason = schedule.slot_reason(start)
        weekly = schedule.weekly
    if reason is None:
        return Check(ok=True)
    alternatives = find_alternatives(
        doctor, start, rules=rules, exclude_id=exclude_id, limit=ALTERNATIVES, weekly=weekly
    )
    return Check(ok=False, reason=reason, alternatives=_in_zone(alternatives, rules.tz))


def nearest_free_slots(
    doctor: Doctor,
    start: dt.datetime,
    *,
    now: dt.datetime,
    exclude_appointment: Appointment | None = None,
    limit: int = ALTERNATIVES,
) -> list[dt.datetime]:
    """The free slots nearest to `start`, those on its local day first, each group by distance.

    This is what check_start offers as alternatives; services use it when a racer took the
    slot between the check and the insert.
    """
    exclude_id = exclude_appointment.pk if exclude_appointment is not None else None
    rules = Rules.of(doctor, _utc(now, "now"))
    alternatives = find_alternatives(doctor, _utc(start, "start"), rules=rules, exclude_id=exclude_id, limit=limit)
    return _in_zone(alternatives, rules.tz)


def opening_span(doctor: Doctor) -> tuple[dt.time, dt.time] | None:
    """The earliest opening and the latest closing over the week, or None with no hours set.

    The date parser uses it to read a bare hour ("at 3" in a clinic open 9–18 is 15:00).
    """
    hours = list(WeeklyHours.objects.filter(doctor=doctor).values_list("start", "end"))
    if not hours:
        return None
    return min(start for start, _ in hours), max(end for _, end in hours)


def hours_in_words(doctor: Doctor) -> str:
    """The weekly hours as a patient reads them, consecutive equal days grouped.

    For example "Mon–Fri 10:00–13:00, 17:00–20:00; Sat 10:00–13:00; Sun closed".
    """
    by_day = weekly_intervals(doctor)
    described = [", ".join(f"{s:%H:%M}–{e:%H:%M}" for s, e in by_day[day]) or "closed" for day in Weekday.values]
    groups: list[tuple[int, int, str]] = []  # first day, last day, description
    for day, text in enumerate(described):
        if groups and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    parts = []
    for first, last, text in groups:
        days = DAY_ABBREVIATIONS[first] + (f"–{DAY_ABBREVIATIONS[last]}" if last != first else "")
        parts.append(f"{days} {text}")
    return "; ".join(parts)


# --- internals ----------------------------------------------------------------------------


def _utc(value: dt.datetime, name: str) -> dt.datetime:
    """An aware datetime in UTC. Inside this module every instant is UTC: Python compares and
    subtracts two datetimes of the same zone by wall clock, which is wrong across a DST change."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _in_zone(slots: list[dt.datetime], tz: dt.tzinfo) -> list[dt.datetime]:
    return [slot.astimezone(tz) for slot in slots]
