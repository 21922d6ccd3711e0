"""dateparser, the fallback for rare forms ("dec-20"): the one place it is configured and asked."""

import datetime as dt
import zoneinfo

from .when import When

# The one configuration of dateparser in the project. Day-first and forward like the scan;
# it works in naive local time (RELATIVE_BASE is the local "now", added per call) and says whether
# a time was given (RETURN_TIME_AS_PERIOD), so a day is never mistaken for a moment at midnight.
DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "future",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_TIME_AS_PERIOD": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _dateparser_parser(local_now: dt.datetime):
    """A parser for one question: RELATIVE_BASE is fixed per parser, and the fallback is rare."""
    from dateparser.date import DateDataParser  # imported on first use: it is slow to import

    settings = dict(DATEPARSER_SETTINGS, RELATIVE_BASE=local_now)
    return DateDataParser(languages=["en"], settings=settings)


def _fallback(s: str, local_now: dt.datetime, zone: zoneinfo.ZoneInfo) -> When | None:
    """Ask dateparser about a form not recognised here, and keep only an answer that makes sense."""
    data = _dateparser_parser(local_now).get_date_data(s)
    found, period = data.date_obj, data.period
    if found is None or period not in ("day", "time", "week"):
        return None  # "mar" -> March, "2020" -> a year: not a day anyone can book
    if found.date() < local_now.date():
        return None  # dateparser reads "at 5" as the 5th of this month, even when it has passed
    if period == "time":
        return When(found.date(), found.time().replace(second=0, microsecond=0))
    return When(found.date())
