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
overlapping the range, and the booked appointments overlapping the range.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import models

from booking.models import Appointment, TimeOff, Weekday, WeeklyHours
from patients.models import Doctor

UTC = dt.UTC

# WhatsApp reply buttons hold at most three choices: enough alternatives to pick from,
# few enough to offer as buttons.
ALTERNATIVES = 3

# How many days around the requested one are searched first for alternatives.
ALTERNATIVES_WINDOW_DAYS = 7

# next_free_slots reads the schedule in chunks of this many days, so a request for the next
# few slots does not load the whole booking horizon.
SEARCH_CHUNK_DAYS = 7

DAY_ABBREVIATIONS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Reason(models.TextChoices):
    """Why a start cannot be booked (or an appointment cannot be changed).

    check_start gives the first six; TOO_MANY, TOO_LATE and NOT_BOOKED come from
    booking/services.py, kept in this one enum so callers compare against a single type.
    """

    CLOSED = "closed", "The clinic is closed at that time"
    TAKEN = "taken", "That time is already taken"
    PAST = "past", "That time has already passed"
    TOO_SOON = "too_soon", "That time is too soon to book"
    TOO_FAR = "too_far", "That time is too far ahead to book"
    NOT_ALIGNED = "not_aligned", "Appointments start at fixed times"
    TOO_MANY = "too_many", "The patient already has the most upcoming appointments allowed"
    TOO_LATE = "too_late", "It is too close to the appointment to change it"
    NOT_BOOKED = "not_booked", "The appointment is no longer booked"


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
    rules = _Rules.of(doctor, _utc(now, "now"))
    exclude_id = exclude_appointment.pk if exclude_appointment is not None else None
    schedule = _Schedule.load(
        doctor, first_day=start_day, last_day=end_day or start_day, rules=rules, exclude_id=exclude_id
    )
    slots = _in_zone(schedule.free_slots(), rules.tz)
    if part_of_day is not None:
        begin, end = part_of_day
        slots = [slot for slot in slots if begin <= slot.time() < end]
    return slots


def next_free_slots(doctor: Doctor, *, after: dt.datetime, now: dt.datetime, limit: int = 8) -> list[dt.datetime]:
    """The first `limit` free slots starting at or after `after` (fewer when the horizon ends first)."""
    rules = _Rules.of(doctor, _utc(now, "now"))
    return _in_zone(_next_free(doctor, after=_utc(after, "after"), rules=rules, limit=limit), rules.tz)


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
    rules = _Rules.of(doctor, _utc(now, "now"))
    reason = rules.time_reason(start)
    weekly = None
    if reason is None:
        day = start.astimezone(rules.tz).date()
        schedule = _Schedule.load(doctor, first_day=day, last_day=day, rules=rules, exclude_id=exclude_id)
        reason = schedule.slot_reason(start)
        weekly = schedule.weekly
    if reason is None:
        return Check(ok=True)
    alternatives = _alternatives(doctor, start, rules=rules, exclude_id=exclude_id, limit=ALTERNATIVES, weekly=weekly)
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
    rules = _Rules.of(doctor, _utc(now, "now"))
    alternatives = _alternatives(doctor, _utc(start, "start"), rules=rules, exclude_id=exclude_id, limit=limit)
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
    by_day = _weekly_intervals(doctor)
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


def _local(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """A local wall-clock time as an aware UTC datetime (a time skipped by DST moves forward)."""
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _weekly_intervals(doctor: Doctor) -> dict[int, list[tuple[dt.time, dt.time]]]:
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for weekday, start, end in WeeklyHours.objects.filter(doctor=doctor).values_list("weekday", "start", "end"):
        by_day[weekday].append((start, end))
    for intervals in by_day.values():
        intervals.sort()
    return by_day


@dataclass(frozen=True)
class _Rules:
    """The doctor's time rules at one moment; no queries."""

    tz: dt.tzinfo
    now: dt.datetime
    slot: dt.timedelta
    earliest: dt.datetime
    today: dt.date
    last_day: dt.date
    capacity: int

    @classmethod
    def of(cls, doctor: Doctor, now: dt.datetime) -> "_Rules":
        if doctor.slot_minutes < 1:
            # Stepping by zero would never end; a loud error points at the doctor's settings.
            raise ValueError(f"Doctor {doctor.pk} has slot_minutes={doctor.slot_minutes}; it must be at least 1.")
        tz = doctor.tz
        today = now.astimezone(tz).date()
        return cls(
            tz=tz,
            now=now,
            slot=dt.timedelta(minutes=doctor.slot_minutes),
            earliest=now + dt.timedelta(minutes=doctor.min_notice_minutes),
            today=today,
            last_day=today + dt.timedelta(days=doctor.horizon_days),
            capacity=doctor.slot_capacity,
        )

    def time_reason(self, start: dt.datetime) -> Reason | None:
        """PAST, TOO_SOON or TOO_FAR when the start breaks a time rule (the horizon counts local days)."""
        if start < self.now:
            return Reason.PAST
        if start < self.earliest:
            return Reason.TOO_SOON
        if start.astimezone(self.tz).date() > self.last_day:
            return Reason.TOO_FAR
        return None


class _Schedule:
    """Opening hours, time off and booked appointments of a doctor's local days first..last.

    The range is clipped to the bookable days (today..today + horizon). Loading runs the
    three queries; everything after works in memory with UTC datetimes.
    """

    def __init__(self, rules: _Rules, first_day: dt.date, last_day: dt.date) -> None:
        self.rules = rules
        self.first_day = first_day
        self.last_day = last_day
        self.weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
        self.blocked: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
        self.booked: list[tuple[dt.datetime, dt.datetime]] = []
        self.booked_starts: list[dt.datetime] = []
        self.longest_booking = dt.timedelta(0)

    @classmethod
    def load(
        cls,
        doctor: Doctor,
        *,
        first_day: dt.date,
        last_day: dt.date,
        rules: _Rules,
        exclude_id: int | None = None,
        weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
    ) -> "_Schedule":
        """Read the range's schedule; `weekly` saves the hours query when the caller has them."""
        schedule = cls(rules, max(first_day, rules.today), min(last_day, rules.last_day))
        if schedule.first_day > schedule.last_day:
            return schedule
        tz = rules.tz
        first, last = schedule.first_day, schedule.last_day

        schedule.weekly = _weekly_intervals(doctor) if weekly is None else weekly

        time_off = TimeOff.objects.filter(doctor=doctor, start_date__lte=last, end_date__gte=first)
        for start_date, end_date, start_time, end_time in time_off.values_list(
            "start_date", "end_date", "start_time", "end_time"
        ):
            day = max(start_date, first)
            while day <= min(end_date, last):
                if start_time is None:
                    span = (_local(day, dt.time(0), tz), _local(day + dt.timedelta(days=1), dt.time(0), tz))
                else:
                    span = (_local(day, start_time, tz), _local(day, end_time, tz))
                schedule.blocked[day].append(span)
                day += dt.timedelta(days=1)

        appointments = Appointment.objects.filter(
            doctor=doctor,
            status=Appointment.Status.BOOKED,
            start__lt=_local(last + dt.timedelta(days=1), dt.time(0), tz),
            end__gt=_local(first, dt.time(0), tz),
        )
        if exclude_id is not None:
            appointments = appointments.exclude(pk=exclude_id)
        schedule.booked = list(appointments.order_by("start").values_list("start", "end"))
        schedule.booked_starts = [start for start, _ in schedule.booked]
        schedule.longest_booking = max((end - start for start, end in schedule.booked), default=dt.timedelta(0))
        return schedule

    def days(self) -> Iterator[dt.date]:
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def open_intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        tz = self.rules.tz
        return [(_local(day, start, tz), _local(day, end, tz)) for start, end in self.weekly.get(day.weekday(), [])]

    def is_blocked(self, day: dt.date, start: dt.datetime, end: dt.datetime) -> bool:
        return any(off_start < end and start < off_end for off_start, off_end in self.blocked.get(day, []))

    def booked_count(self, start: dt.datetime, end: dt.datetime) -> int:
        """Booked appointments overlapping [start, end): equal to "booked at this start" when every
        appointment sits on the grid, and still right after the slot length changes."""
        count = 0
        index = bisect.bisect_left(self.booked_starts, end)  # every appointment starting before `end`
        while index > 0:
            index -= 1
            booked_start, booked_end = self.booked[index]
            if booked_start + self.longest_booking <= start:
                break  # this one and every earlier one ended before `start`
            if booked_end > start:
                count += 1
        return count

    def free_slots(self) -> list[dt.datetime]:
        rules = self.rules
        found: set[dt.datetime] = set()
        for day in self.days():
            for open_at, close_at in self.open_intervals(day):
                start = open_at
                while start + rules.slot <= close_at:
                    end = start + rules.slot
                    if (
                        start >= rules.earliest
                        and not self.is_blocked(day, start, end)
                        and self.booked_count(start, end) < rules.capacity
                    ):
                        found.add(start)
                    start = end
        return sorted(found)

    def slot_reason(self, start: dt.datetime) -> Reason | None:
        """CLOSED, NOT_ALIGNED or TAKEN for a start already within the time rules, else None."""
        rules = self.rules
        end = start + rules.slot
        day = start.astimezone(rules.tz).date()
        interval = next(((o, c) for o, c in self.open_intervals(day) if o <= start < c), None)
        if interval is None or self.is_blocked(day, start, end):
            return Reason.CLOSED
        open_at, close_at = interval
        if (start - open_at) % rules.slot:
            return Reason.NOT_ALIGNED
        if end > close_at:
            return Reason.CLOSED
        if self.booked_count(start, end) >= rules.capacity:
            return Reason.TAKEN
        return None


def _alternatives(
    doctor: Doctor,
    start: dt.datetime,
    *,
    rules: _Rules,
    exclude_id: int | None,
    limit: int,
    weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
) -> list[dt.datetime]:
    """The free slots nearest to `start`: its own local day first, then other days, each by distance.

    Searches a week either side of the requested day (moved inside the bookable days when it
    is past or too far), then, if that is not enough, the first free slots after the window.
    """
    weekly = _weekly_intervals(doctor) if weekly is None else weekly
    day = start.astimezone(rules.tz).date()
    centre = min(max(day, rules.today), rules.last_day)
    window = dt.timedelta(days=ALTERNATIVES_WINDOW_DAYS)
    first, last = max(rules.today, centre - window), min(rules.last_day, centre + window)
    schedule = _Schedule.load(doctor, first_day=first, last_day=last, rules=rules, exclude_id=exclude_id, weekly=weekly)
    candidates = [slot for slot in schedule.free_slots() if slot != start]
    candidates.sort(key=lambda slot: (slot.astimezone(rules.tz).date() != day, abs(slot - start), slot))
    found = candidates[:limit]
    if len(found) < limit and last < rules.last_day:
        after = _local(last + dt.timedelta(days=1), dt.time(0), rules.tz)
        found += _next_free(
            doctor, after=after, rules=rules, limit=limit - len(found), exclude_id=exclude_id, weekly=weekly
        )
    return found


def _next_free(
    doctor: Doctor,
    *,
    after: dt.datetime,
    rules: _Rules,
    limit: int,
    exclude_id: int | None = None,
    weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
) -> list[dt.datetime]:
    """The first `limit` free slots at or after `after`, reading the schedule a chunk of days at a time.

    The weekly hours are read once; each chunk then costs the time off and appointments queries.
    """
    weekly = _weekly_intervals(doctor) if weekly is None else weekly
    if not weekly:
        return []
    day = max(after.astimezone(rules.tz).date(), rules.today)
    found: list[dt.datetime] = []
    while len(found) < limit and day <= rules.last_day:
        chunk_end = min(day + dt.timedelta(days=SEARCH_CHUNK_DAYS - 1), rules.last_day)
        schedule = _Schedule.load(
            doctor, first_day=day, last_day=chunk_end, rules=rules, exclude_id=exclude_id, weekly=weekly
        )
        found.extend(slot for slot in schedule.free_slots() if slot >= after)
        day = chunk_end + dt.timedelta(days=1)
    return found[:limit]
