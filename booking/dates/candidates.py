"""What the scan finds in a message (a day, a clock time, a duration), and the calendar
arithmetic the rules share."""

import calendar
import datetime as dt
from dataclasses import dataclass

from .patterns import _DUR_ITEM_RE
from .words import HOUR_WORDS, NUMBER_WORDS, SHORT_UNITS, UNITS


@dataclass
class _Day:
    start: int
    end: int
    day: dt.date
    exact: dt.datetime | None = None  # "in 2 hours": a moment, not a day
    roll: bool = False  # a weekday name: moves a week on when the time named is over today
    weekday: int | None = None  # a bare weekday name, which a date written next to it overrides
    year_given: bool = True  # a written year; otherwise a year written further on may apply
    from_about: bool = False  # "an hour later": measured from the moment under discussion
    now_word: bool = False  # "abhi", "right now": today, at a clock time if one is named ("abhi 4:30 ka slot")


@dataclass
class _Time:
    start: int
    end: int
    hour: int
    minute: int = 0
    meridiem: str | None = None  # "am" | "pm"
    fixed: bool = False  # 24-hour clock ("15:00", "09:30"): no am/pm reading needed


@dataclass
class _Dur:
    start: int
    end: int
    months: int
    seconds: float
    below_day: bool
    anchor: str | None = None  # "after" | "before" | "from": measured from a day written next
    plus: bool = False  # "+10 days": measured from a day written just before, if any
    relative: bool = False  # "an hour later", "2 days before": from `about` when it is given
    next_unit: bool = False  # "next week": from `about` in "same time next week"


def _duration_items(text: str):
    for item in _DUR_ITEM_RE.finditer(text):
        yield (item.group("n") or item.group("n2")), (item.group("u") or item.group("u2"))


def _measure(text: str) -> tuple[int, float, bool]:
    """ "1d, 2hr and 5min" -> (months, seconds, whether a unit below a day was named)."""
    months, seconds, below_day = 0, 0.0, False
    for number, unit in _duration_items(text):
        value = NUMBER_WORDS[number] if number in NUMBER_WORDS else float(number)
        unit_months, unit_seconds, small = UNITS[unit] if unit in UNITS else SHORT_UNITS[unit]
        months += round(value * unit_months)
        seconds += value * unit_seconds
        below_day |= small
    return months, seconds, below_day


def _too_far(months: int, seconds: float) -> bool:
    """More than a century away: not an appointment anyone means (and beyond it, not a date)."""
    return abs(months) > 1200 or abs(seconds) > 100 * 366 * 86400


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(text: str | None) -> int | None:
    """A written year: 2027, '27, 27."""
    if not text:
        return None
    year = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 2:
        year += 2000
    return year if 1900 <= year <= 2199 else None


def _nth_weekday(first: dt.date, weekday: int, n: int) -> dt.date | None:
    """The n-th (or with n=-1 the last) given weekday of the month starting at `first`."""
    if n == -1:
        last = _add_months(first, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return day if day.month == first.month else None


def _add_months_datetime(moment: dt.datetime, months: int) -> dt.datetime:
    if not months:
        return moment
    day = _add_months(moment.date(), months)
    return moment.replace(year=day.year, month=day.month, day=day.day)


def _meridiem(text: str) -> str | None:
    return text if text in ("am", "pm") else None


def _hour_number(text: str) -> int:
    return HOUR_WORDS[text] if text in HOUR_WORDS else int(text)
