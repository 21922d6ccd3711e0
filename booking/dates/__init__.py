"""What moment a patient means, in the doctor's timezone, relative to now.

Patients write "kal shaam 5 baje", "tmrw 3pm", "15/02 at 11", "next monday morning". This module
turns such text into a `When`: an exact moment, or a day with an optional part of day, or None
when the message names no time at all ("hi", "2 tablets daily", a phone number, a price).

How it works, and why:

* Speed. Every inbound message may be offered to the parser, and `dateparser.parse` costs about
  a millisecond per call. So the common forms are recognised here with a handful of compiled
  regular expressions over a normalised copy of the text (tens of microseconds), and a cheap
  pre-check returns None at once for text with no date-ish token.
* Normalising before: typos ("tmrw", "nxt", "febuary") and Hinglish ("aaj", "kal", "parso",
  "subah", "shaam", "baje", "saadhe", "somvar" …) are rewritten into plain English words by one
  table lookup, so every later rule is written once, in English. Hindi and Marathi in Devanagari
  are first rewritten word by word into those Roman spellings (कल -> kal, उद्या -> udya, सकाळी ->
  sakali, बजे/वाजता -> baje), Devanagari digits into digits. Misspellings beyond the table are
  matched by edit distance to day and month names, with guards so ordinary words stay words.
* Not every number is a time. Doses, frequencies and readings ("2 tablets at 9 pm", "twice a
  day", "BP 140/90 aaj subah") find nothing unless the message also asks for a visit; a day the
  patient rules out ("can't come today, tomorrow?", "kal nahi parso") is not the answer.
* India first. Dates are day-first (15/02 is 15 February). A numeric date is read month-first
  only when the day-first reading is impossible (5/31) or a weekday written next to it says so
  ("Sunday 12/7/2014" is a Sunday only as 7 December).
* A booking looks forward. A weekday name means its next occurrence (today counts unless the
  time named is already over); a date without a year that has passed this year means next year;
  "kal" means tomorrow. A time with no day is today while it is still ahead and tomorrow once it
  has passed ("6pm" written at 19:00); a part of day said after it ended is tomorrow's ("evening"
  at 22:00). Such an answer says `day_given=False`: the day is a guess, and the booking flow uses
  the day in front of the patient instead, or offers choices. A day that was named is kept even
  when the time is past ("today 9am" at 16:00), for the caller to refuse.
* Context. "same time", "an hour later", "thoda pehle" are read against `about`, the moment under
  discussion, when the caller gives one, and find nothing without it.
* Bounded. Only the first MAX_TEXT characters are read, and no rule is quadratic in the length.
* A bare hour is resolved into opening hours: "at 3" in a clinic open 09:00–18:00 is 15:00,
  "at 9" is 09:00. With a part of day the part decides ("shaam 5" is 17:00).
* dateparser is the fallback for forms not recognised here ("dec-20"). It is configured only in
  `fallback.py` (`DATEPARSER_SETTINGS`) and asked only when the text carries a strong date cue (a
  month or weekday name, "next", an ordinal) and nothing here matched or was deliberately
  rejected ("3rd floor", "since 3 days"). What it gets wrong is checked after: month- or
  year-only answers ("mar" -> March) and answers in the past ("at 5" -> the 5th) are dropped.

The package, bottom layer first (each module imports only the ones listed above it;
resolution names the scanner's class in type hints only):

* `words.py`: the word tables (months, weekdays, typos, Hinglish, Marathi, Devanagari, numbers,
  units, quantities).
* `patterns.py`: the compiled regular expressions, built from the tables.
* `normalise.py`: the message rewritten into one spelling per word, before any pattern runs.
* `when.py`: the answer (`When`, the parts of the day, the defaults).
* `candidates.py`: what the scan finds (a day, a clock time, a duration) and calendar arithmetic.
* `resolution.py`: from the candidates to a `When` (which day and time win, the hour a bare
  number means).
* `scanner.py`: the scan of one message, every rule in order.
* `fallback.py`: dateparser, configured and asked in this one place.
* here: `parse_when`, the cheap pre-checks, and the names other modules import.
"""

import datetime as dt
import zoneinfo

from .fallback import DATEPARSER_SETTINGS, _fallback
from .normalise import _normalise
from .patterns import _ABOUT_CUE, _BOOKING_WORD_RE, _CUE, _FALLBACK_CUE, _MEDICINE_RE, _READING_RE
from .scanner import ABOUT_SHIFT, _Scan
from .when import AFTERNOON, DEFAULT_OPEN_HOURS, DEFAULT_TZ, EVENING, MORNING, PARTS_OF_DAY, When, _local, _zone
from .words import HOUR_WORDS, MONTHS, NUMBER_WORDS, ORDINAL_WORDS, QUANTITY_WORDS, SHORT_UNITS, UNITS, WEEKDAYS

__all__ = [
    "ABOUT_SHIFT",
    "AFTERNOON",
    "DATEPARSER_SETTINGS",
    "DEFAULT_OPEN_HOURS",
    "DEFAULT_TZ",
    "EVENING",
    "HOUR_WORDS",
    "MAX_TEXT",
    "MONTHS",
    "MORNING",
    "NUMBER_WORDS",
    "ORDINAL_WORDS",
    "PARTS_OF_DAY",
    "QUANTITY_WORDS",
    "SHORT_UNITS",
    "UNITS",
    "WEEKDAYS",
    "When",
    "parse_when",
]


# Only this many characters of a message are read. A patient names the moment in the first
# sentence or two (the longest real booking message in the tables is under 200 characters), and
# the rules cost time that grows faster than the text: a 65,536-character paste took
# seconds before this cap and takes about a millisecond with it (docs/benchmarks.md).
MAX_TEXT = 500


def parse_when(
    text: str,
    *,
    now: dt.datetime,
    tz: str | zoneinfo.ZoneInfo = DEFAULT_TZ,
    open_hours: tuple[dt.time, dt.time] | None = None,
    about: dt.datetime | None = None,
) -> When | None:
    """What moment `text` means, or None when it names no time.

    now: an aware datetime (converted to tz); a naive one is taken as local time in tz.
    open_hours: the clinic's earliest opening and latest closing, used to read bare hours like
    "at 3" (default 09:00–18:00).
    about: the moment under discussion (the time just offered, refused or being moved), aware or
    local like `now`. "same time", "an hour later", "earlier" are read against it; without it
    they find nothing.
    """
    zone = _zone(tz)
    local_now = _local(now, zone)
    s = _normalise(text[:MAX_TEXT])
    if not _CUE.search(s) and not (about and _ABOUT_CUE.search(s)):
        return None
    if (_MEDICINE_RE.search(s) or _READING_RE.search(s)) and not _BOOKING_WORD_RE.search(s):
        return None  # "take 2 tablets at 9 pm", "twice a day", "BP 140/90 aaj subah": medicine and readings
    scan = _Scan(s, local_now, zone, open_hours or DEFAULT_OPEN_HOURS, _local(about, zone) if about else None)
    try:
        when = scan.run()
    except (OverflowError, ValueError):
        return None  # a moment outside the calendar ("in 99999 years") is no moment
    if when is None and not scan.blocked and _FALLBACK_CUE.search(s):
        when = _fallback(s, local_now, zone)
    return when
