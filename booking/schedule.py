"""A doctor's schedule in memory, under booking/slots.py: the time rules at one moment (`Rules`),
the opening hours, time off and booked appointments of a range of local days (`Schedule`, three
queries to load), and the searches over them (`find_alternatives`, `next_free`).

Every instant here is UTC: Python compares and subtracts two datetimes of the same zone by wall
clock, which is wrong across a DST change. booking.slots converts what it is given and turns
what it returns into the doctor's timezone.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from booking.models import Appointment, TimeOff, WeeklyHours
from booking.reasons import Reason
from patients.models import Doctor

UTC = dt.UTC

# How many days around the requested one are searched first for alternatives.
ALTERNATIVES_WINDOW_DAYS = 7

# next_free_slots reads the schedule in chunks of this many days, so a request for the next
# few slots does not load the whole booking horizon.
SEARCH_CHUNK_DAYS = 7


def _local(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """A local wall-clock time as an aware UTC datetime (a time skipped by DST moves forward)."""
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def weekly_intervals(doctor: Doctor) -> dict[int, list[tuple[dt.time, dt.time]]]:
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for weekday, start, end in WeeklyHours.objects.filter(doctor=doctor).values_list("weekday", "start", "end"):
        by_day[weekday].append((start, end))
    for intervals in by_day.values():
        intervals.sort()
    return by_day


@dataclass(frozen=True)
class Rules:
    """The doctor's time rules at one moment; no queries."""

    tz: dt.tzinfo
    now: dt.datetime
    slot: dt.timedelta
    earliest: dt.datetime
    today: dt.date
    last_day: dt.date
    capacity: int

    @classmethod
    def of(cls, doctor: Doctor, now: dt.datetime) -> "Rules":
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


class Schedule:
    """Opening hours, time off and booked appointments of a doctor's local days first..last.

    The range is clipped to the bookable days (today..today + horizon). Loading runs the
    three queries; everything after works in memory with UTC datetimes.
    """

    def __init__(self, rules: Rules, first_day: dt.date, last_day: dt.date) -> None:
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
        rules: Rules,
        exclude_id: int | None = None,
        weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
    ) -> "Schedule":
        """Read the range's schedule; `weekly` saves the hours query when the caller has them."""
        schedule = cls(rules, max(first_day, rules.today), min(last_day, rules.last_day))
        if schedule.first_day > schedule.last_day:
            return schedule
        tz = rules.tz
        first, last = schedule.first_day, schedule.last_day

        schedule.weekly = weekly_intervals(doctor) if weekly is None else weekly

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


def find_alternatives(
    doctor: Doctor,
    start: dt.datetime,
    *,
    rules: Rules,
    exclude_id: int | None,
    limit: int,
    weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
) -> list[dt.datetime]:
    """The free slots nearest to `start`: its own local day first, then other days, each by distance.

    Searches a week either side of the requested day (moved inside the bookable days when it
    is past or too far), then, if that is not enough, the first free slots after the window.
    """
    weekly = weekly_intervals(doctor) if weekly is None else weekly
    day = start.astimezone(rules.tz).date()
    centre = min(max(day, rules.today), rules.last_day)
    window = dt.timedelta(days=ALTERNATIVES_WINDOW_DAYS)
    first, last = max(rules.today, centre - window), min(rules.last_day, centre + window)
    schedule = Schedule.load(doctor, first_day=first, last_day=last, rules=rules, exclude_id=exclude_id, weekly=weekly)
    candidates = [slot for slot in schedule.free_slots() if slot != start]
    candidates.sort(key=lambda slot: (slot.astimezone(rules.tz).date() != day, abs(slot - start), slot))
    found = candidates[:limit]
    if len(found) < limit and last < rules.last_day:
        after = _local(last + dt.timedelta(days=1), dt.time(0), rules.tz)
        found += next_free(
            doctor, after=after, rules=rules, limit=limit - len(found), exclude_id=exclude_id, weekly=weekly
        )
    return found


def next_free(
    doctor: Doctor,
    *,
    after: dt.datetime,
    rules: Rules,
    limit: int,
    exclude_id: int | None = None,
    weekly: dict[int, list[tuple[dt.time, dt.time]]] | None = None,
) -> list[dt.datetime]:
    """The first `limit` free slots at or after `after`, reading the schedule a chunk of days at a time.

    The weekly hours are read once; each chunk then costs the time off and appointments queries.
    """
    weekly = weekly_intervals(doctor) if weekly is None else weekly
    if not weekly:
        return []
    day = max(after.astimezone(rules.tz).date(), rules.today)
    found: list[dt.datetime] = []
    while len(found) < limit and day <= rules.last_day:
        chunk_end = min(day + dt.timedelta(days=SEARCH_CHUNK_DAYS - 1), rules.last_day)
        schedule = Schedule.load(
            doctor, first_day=day, last_day=chunk_end, rules=rules, exclude_id=exclude_id, weekly=weekly
        )
        found.extend(slot for slot in schedule.free_slots() if slot >= after)
        day = chunk_end + dt.timedelta(days=1)
    return found[:limit]
