"""The answer: `When`, the parts of the day, and the defaults a caller can rely on."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

DEFAULT_TZ = "Asia/Kolkata"
DEFAULT_OPEN_HOURS = (dt.time(9), dt.time(18))

MORNING = (dt.time(6), dt.time(12))
AFTERNOON = (dt.time(12), dt.time(17))
EVENING = (dt.time(17), dt.time(22))
# The slot code offers slots inside these ranges when a patient names only a part of the day.
# "Night" / "raat" has no range of its own: a clinic's night is its evening.
PARTS_OF_DAY = {"morning": MORNING, "afternoon": AFTERNOON, "evening": EVENING}


@dataclass(frozen=True)
class When:
    """What a message means: a day, and either an exact time or (optionally) a part of day."""

    day: dt.date
    time: dt.time | None = None
    part_of_day: str | None = None  # "morning" | "afternoon" | "evening", None when time is set
    # False when the message named no day at all ("10:30", "6pm", "evening", "same time"): `day`
    # is then only the parser's guess (today if still ahead, else tomorrow, or the day of `about`),
    # and a caller with a day in front of the patient should use that day instead.
    day_given: bool = True

    def __post_init__(self):
        if self.part_of_day not in (None, *PARTS_OF_DAY):
            raise ValueError(f"part_of_day must be one of {list(PARTS_OF_DAY)}, not {self.part_of_day!r}")
        if self.time is not None and self.part_of_day is not None:
            raise ValueError("an exact time has no part of day")

    def start(self, tz) -> dt.datetime | None:
        """The exact moment as an aware datetime in `tz`, or None when only a day is known."""
        if self.time is None:
            return None
        return dt.datetime.combine(self.day, self.time, tzinfo=_zone(tz))


def _zone(tz) -> zoneinfo.ZoneInfo:
    return tz if isinstance(tz, dt.tzinfo) else zoneinfo.ZoneInfo(tz)


def _local(moment: dt.datetime, zone) -> dt.datetime:
    """Naive local time in `zone`; a naive moment is taken as local already."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment.tzinfo else moment
