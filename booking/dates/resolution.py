"""From what the scan found to a `When`: the first day and the first clock time or part of day
that survive the rules (a weekday beside its date is decoration, a day the patient rules out is
no answer), and the hour a bare number means."""

import datetime as dt
from typing import TYPE_CHECKING

from .candidates import _Day, _Time, _valid
from .patterns import (
    _ATTACHED_GAP_RE,
    _CLOCK_NOT_AFTER_RE,
    _HEALTH_TALK_RE,
    _NOT_AFTER_RE,
    _NOT_BEFORE_RE,
    _SINCE_AFTER_RE,
    _SINCE_BEFORE_RE,
    _YEAR_TOKEN_RE,
    _tail,
)
from .when import PARTS_OF_DAY, When

if TYPE_CHECKING:
    from .scanner import _Scan


def combine(scan: "_Scan", parts) -> When | None:
    """The first day kept, with the first clock time (or part of day) not refused after it."""
    days = attached_weekdays_removed(scan)
    day = min(days, key=lambda d: d.start) if days else None
    if day is not None and day.exact is not None and not (day.now_word and scan.times):
        exact = day.exact.replace(second=0, microsecond=0)
        return When(exact.date(), exact.time(), day_given=not day.from_about)
    for clock in scan.times:  # "5pm not possible, 6pm?"
        refused = _CLOCK_NOT_AFTER_RE.match(scan.s, clock.end)
        scan.cut = max(scan.cut, refused.end() if refused else 0)
    for start, name, this in parts:  # "evening nahi, subah"
        refused = _CLOCK_NOT_AFTER_RE.match(scan.s, start + len(this or "") + len(name))
        scan.cut = max(scan.cut, refused.end() if refused else 0)
    parts = [p for p in parts if p[0] >= scan.cut]
    times = [t for t in scan.times if t.start >= scan.cut]
    part = parts[0][1] if parts else None
    clock = min(times, key=lambda t: t.start) if times else None
    if scan.about is not None and clock is None and day is None and scan.shift is not None:
        moment = scan.about + scan.shift  # a bare "earlier" / "later"
        return When(moment.date(), moment.time().replace(second=0, microsecond=0), day_given=False)
    time = scan.resolve(clock, part) if clock else None
    if scan.about is not None and clock is None and scan.same_time:
        time = scan.about.time().replace(second=0, microsecond=0)  # "same time (on friday)"
        if day is None:
            return When(scan.about.date(), time, day_given=False)
    elif day is None and clock is None and part is None:
        return None
    elif day is None and clock is None and _HEALTH_TALK_RE.search(scan.s):
        return None
    if day is None:
        # No day named: today while the time (or part of day) is still ahead, else tomorrow's.
        # "midnight" is the one ending today; "6pm" written at 19:00 is tomorrow's 6pm.
        date = scan.today + dt.timedelta(days=1) if over(scan, time, part) else scan.today
        if time is not None:
            return When(date, time, day_given=False)
        return When(date, None, _part_name(part), day_given=False)
    date = day.day
    if not day.year_given:
        date = later_year(scan, day, date)
    if day.roll and date == scan.today and over(scan, time, part):
        date += dt.timedelta(days=7)
    if time is not None:
        return When(date, time, day_given=not day.from_about)
    return When(date, None, _part_name(part), day_given=not day.from_about)


def over(scan: "_Scan", time: dt.time | None, part: str | None) -> bool:
    """Whether the time (or the part of day) named is already over today."""
    if time is not None:
        return time < scan.now.time().replace(second=0, microsecond=0)
    if part is not None:
        return _part_range(part)[1] <= scan.now.time()
    return False


def later_year(scan: "_Scan", day: _Day, date: dt.date) -> dt.date:
    """ "10 August - 12 September 2013": a year written later in the text applies to the first date."""
    found = _YEAR_TOKEN_RE.search(scan.s, day.end)
    if not found:
        return date
    return _valid(int(found.group("y")), date.month, date.day) or date


def attached_weekdays_removed(scan: "_Scan") -> list[_Day]:
    """ "Tuesday, 10 January": the date decides, the weekday next to it is only decoration.
    "kal nahi parso", "not tomorrow, monday": a day the patient rules out is no answer."""
    dated = [d for d in scan.days if d.weekday is None]
    starts = sorted(d.start for d in scan.days)
    kept, ruled_out = [], []
    said_after = [found.span() for d in scan.days if (found := _NOT_AFTER_RE.match(scan.s, d.end))]
    for day in scan.days:
        if day.weekday is not None and any(
            other.start >= day.end
            and _ATTACHED_GAP_RE.fullmatch(scan.s, day.end, other.start)
            or other.end <= day.start
            and _ATTACHED_GAP_RE.fullmatch(scan.s, other.end, day.start)
            and any(ch.isdigit() for ch in scan.s[other.start : other.end])  # a written date, not "tomorrow"
            for other in dated
        ):
            continue  # "Tuesday, 10 January" and "14th monday": the date decides
        before = _tail(_NOT_BEFORE_RE, scan.s, day.start)
        after = _NOT_AFTER_RE.match(scan.s, day.end)
        if before and (
            any(before.start() < start < day.start for start in starts)
            or any(a <= before.start() < b for a, b in said_after)
        ):
            before = None  # "if not today then tomorrow", "today not possible, tomorrow": about today
        if after and any(day.end < start < after.end() for start in starts):
            after = None
        since = _SINCE_AFTER_RE.match(scan.s, day.end) or _tail(_SINCE_BEFORE_RE, scan.s, day.start)
        if since and _HEALTH_TALK_RE.search(scan.s):
            scan.cut = len(scan.s)  # its part of day goes with it
            continue
        if before or after:
            ruled_out.append((day, after.end() if after else day.end, bool(after and after.group("skip"))))
            continue
        kept.append(day)
    for day, cut, skipped in ruled_out:
        if skipped and not kept:
            kept.append(day)  # "tomorrow evening not possible, morning?": the evening is ruled out, not the day
        scan.cut = max(scan.cut, cut)
    return kept


def _part_range(part: str) -> tuple[dt.time, dt.time]:
    return PARTS_OF_DAY[_part_name(part)]


def _part_name(part: str | None) -> str | None:
    if part is None:
        return None
    return {"night": "evening", "tonight": "evening", "early morning": "morning"}.get(part, part)


def _resolve(clock: _Time, part: str | None, open_hours) -> dt.time:
    """The hour a patient means: am/pm if written, else the part of day, else opening hours."""
    hour, minute = clock.hour, clock.minute
    if clock.meridiem == "am":
        hour %= 12
    elif clock.meridiem == "pm":
        hour = hour % 12 + 12
    elif clock.fixed or hour == 0 or hour >= 13:
        pass
    elif part == "afternoon":
        hour = hour + 12 if hour <= 6 else hour  # "dopahar 2" is 14:00
    elif part in ("evening", "tonight"):
        hour = hour + 12 if hour < 12 else hour  # "shaam 5" is 17:00
    elif part == "night":
        hour = 0 if hour == 12 else hour if hour <= 4 else hour + 12  # "raat 8" 20:00, "1 at night" 01:00
    elif part in ("morning", "early morning"):
        pass  # "subah 10" is 10:00
    else:
        hour = _within_open_hours(hour, minute, open_hours)
    return dt.time(hour, minute)


def _within_open_hours(hour: int, minute: int, open_hours) -> int:
    """ "at 3" -> 15 in a clinic open 9-18: the reading inside opening hours, else the nearer one."""
    opening, closing = (t.hour * 60 + t.minute for t in open_hours)
    readings = [hour % 12, hour % 12 + 12] if hour != 12 else [12]
    inside = [h for h in readings if opening <= h * 60 + minute < closing]
    if inside:
        return inside[0]

    def distance(h: int) -> int:
        return min(abs(h * 60 + minute - opening), abs(h * 60 + minute - closing))

    return min(readings, key=lambda h: (distance(h), -h))  # a tie goes to the afternoon reading
