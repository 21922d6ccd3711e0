"""chrono-node's English date cases (booking/tests/fixtures/datecases, README there; DATECASES_DIR
to use another copy) and how booking.dates is scored against them. Read by test_datecases and by
bench/dates.py, so the figures it prints and the thresholds asserted there are computed the same way.

Scoring. A case is right when every field chrono's test asserts matches ours: year, month and
day from our day; hour and minute from our time. Two readings of "our time" need a rule:

* A part of day ("tomorrow morning" -> morning) matches an expected hour inside that part's
  range (chrono writes morning as 06:00, afternoon as 15:00, evening as 20:00).
* A day without a time (our answer to "10 August", "tomorrow", "in 5 days") matches an
  expected hour only where chrono *implies* that hour instead of reading it from the text:
  chrono fills a missing time with 12:00 for a date and with the reference clock time for
  relative days and durations. So the hour is ignored when the text states no clock time
  (`states_clock`, a regex independent of the parser) and the expected time is 12:00 or the
  reference time. Everything else without a time where chrono has one is a miss. The strict
  score, where any expected hour needs an exact time from us, is reported beside it.

A case is "future" when its expected moment (missing fields taken from the reference time, a
missing day as the 1st) is on or after the reference time: 265 of 379, as the README says.
"""

import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from booking.dates import PARTS_OF_DAY, When, parse_when

CASES_DIR = Path(os.environ.get("DATECASES_DIR", Path(__file__).parent / "fixtures" / "datecases"))
TZ = "Asia/Kolkata"

# Cases where chrono and this product disagree on purpose, excluded from the denominator.
# Each is a convention, not a parse we failed to make; docs/dates.md lists them with the reason.
DAY_FIRST = "day-first: a clinic in India reads this as day/month; chrono reads month/day"
KNOWN_DIFFERENCES = {
    "en_slash:12": DAY_FIRST,  # 8/10/2012 -> 8 October 2012
    "en_slash:41": DAY_FIRST,  # The Deadline is 8/10/2012
    "en_slash:144": DAY_FIRST,  # 8/10
    "en_slash:162": DAY_FIRST,  # 8/10/2012 - 8/15/2012 (first date read day-first)
    "en_slash:266": DAY_FIRST,  # 1/8 at 12pm -> 1 August
}

# Does the text itself state a clock time (so an hour chrono expects is read, not implied)?
_CLOCK = re.compile(
    r"\d\s*(?:a\.?m|p\.?m)\b|\d:\d\d|\b(?:noon|midday|midnight|tonight|night|morning|afternoon|evening)\b"
    r"|o'?\s?clock|\bat\s+\d|\d\s*(?:h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b|\b(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b",
    re.IGNORECASE,
)


def states_clock(text: str) -> bool:
    return bool(_CLOCK.search(text))


def load_cases(name: str) -> list[dict]:
    with open(CASES_DIR / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def reference(case: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(case["ref"])


def is_future(case: dict) -> bool:
    expect, ref = case["expect"], reference(case)
    month = expect.get("month", ref.month)
    day = expect.get("day", ref.day if "month" not in expect else 1)
    moment = dt.datetime(expect.get("year", ref.year), month, day, expect.get("hour", 0), expect.get("minute", 0))
    return moment >= ref


def category(case: dict) -> str:
    return case["source"].rsplit("/", 1)[-1].removesuffix(".test.ts")


def ours(case: dict) -> When | None:
    return parse_when(case["text"], now=reference(case).replace(tzinfo=ZoneInfo(TZ)), tz=TZ)


def date_matches(expect: dict, day: dt.date) -> bool:
    return all(getattr(day, field) == expect[field] for field in ("year", "month", "day") if field in expect)


def score(case: dict, when: When | None, *, strict: bool = False) -> bool:
    """Whether `when` means what chrono's test expects (see the module docstring)."""
    expect = case["expect"]
    if when is None or not date_matches(expect, when.day):
        return False
    if "hour" not in expect:
        return True
    hour, minute = expect["hour"], expect.get("minute")
    if when.time is not None:
        return when.time.hour == hour and (minute is None or when.time.minute == minute)
    if strict:
        return False
    if when.part_of_day is not None:
        start, end = PARTS_OF_DAY[when.part_of_day]
        return start.hour <= hour < end.hour and not minute
    ref = reference(case)
    implied = (hour, minute or 0) in ((12, 0), (ref.hour, ref.minute)) or (minute is None and hour == ref.hour)
    return implied and not states_clock(case["text"])


def score_plain(case: dict, found: dt.datetime | None, *, strict: bool = False) -> bool:
    """The same scoring for plain dateparser, whose midnight stands for "a day, no time"."""
    if found is None:
        return False
    if found.time() == dt.time(0) and not states_clock(case["text"]):
        return score(case, When(found.date()), strict=strict)
    return score(case, When(found.date(), found.time()), strict=strict)


def summary(cases: list[dict], results: list, scorer) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """(right, total, {category: (right, total)}) for cases scored by `scorer(case, result)`."""
    right, total = Counter(), Counter()
    for case, result in zip(cases, results, strict=True):
        total[category(case)] += 1
        right[category(case)] += scorer(case, result)
    per_category = {name: (right[name], total[name]) for name in sorted(total)}
    return sum(right.values()), sum(total.values()), per_category


def future_cases() -> list[dict]:
    return [case for case in load_cases("chrono_en.jsonl") if is_future(case) and case["id"] not in KNOWN_DIFFERENCES]
