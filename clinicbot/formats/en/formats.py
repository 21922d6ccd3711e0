"""Dates as clinics in India write and read them: day first, never month first.

Django's "en" formats are American, so a front-desk "04/12/2026" typed in admin was 12 April.
Here a typed date is ISO (what the admin calendar fills in) or day/month/year, and every date
shown names its month ("4 Dec 2026"), so nothing can be read the wrong way round.
"""

DATE_FORMAT = "j M Y"  # 4 Dec 2026
DATETIME_FORMAT = "j M Y, P"  # 4 Dec 2026, 3 p.m.
SHORT_DATE_FORMAT = "d/m/Y"  # 04/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y P"
MONTH_DAY_FORMAT = "j F"  # 4 December
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-04 (first: the admin calendar writes this)
    "%d/%m/%Y",  # 04/12/2026
    "%d/%m/%y",  # 04/12/26
    "%d-%m-%Y",  # 04-12-2026
    "%d.%m.%Y",  # 04.12.2026
    "%d %b %Y",  # 4 Dec 2026
    "%d %B %Y",  # 4 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d-%m-%Y %H:%M",
]
