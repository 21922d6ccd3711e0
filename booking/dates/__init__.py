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
  this module (`DATEPARSER_SETTINGS`) and asked only when the text carries a strong date cue (a
  month or weekday name, "next", an ordinal) and nothing here matched or was deliberately
  rejected ("3rd floor", "since 3 days"). What it gets wrong is checked after: month- or
  year-only answers ("mar" -> March) and answers in the past ("at 5" -> the 5th) are dropped.
"""

import calendar
import datetime as dt
import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass

from clinicbot.text import edit_distance

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


# Only this many characters of a message are read. A patient names the moment in the first
# sentence or two (the longest real booking message in the tables is under 200 characters), and
# the rules below cost time that grows faster than the text: a 65,536-character paste took
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


def _zone(tz) -> zoneinfo.ZoneInfo:
    return tz if isinstance(tz, dt.tzinfo) else zoneinfo.ZoneInfo(tz)


def _local(moment: dt.datetime, zone) -> dt.datetime:
    """Naive local time in `zone`; a naive moment is taken as local already."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment.tzinfo else moment


# --------------------------------------------------------------------------------------------
# Word tables
# --------------------------------------------------------------------------------------------

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = {name for name in MONTHS if len(name) > 4 or name in ("may", "june", "july")}

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip

# Typos and Hinglish, rewritten to the English the rules below understand. Multi-word keys win
# over single words ("dedh baje" before "baje"). Short Hindi weekday names (som, mangal, shani,
# ravi) are left alone on purpose: they are also everyday words and names.
_WORDS = {
    # tomorrow / today / next
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tmro": "tomorrow", "tmw": "tomorrow",
    "tmrrw": "tomorrow", "tomm": "tomorrow", "tomoro": "tomorrow", "tomorow": "tomorrow",
    "tommorow": "tomorrow", "tommorrow": "tomorrow", "tomorrw": "tomorrow", "tomrw": "tomorrow",
    "tomrow": "tomorrow", "tommorw": "tomorrow", "tomarrow": "tomorrow", "tomorro": "tomorrow",
    "tommarow": "tomorrow", "2moro": "tomorrow", "2morow": "tomorrow", "2morrow": "tomorrow",
    "2mrw": "tomorrow", "2mro": "tomorrow",
    "tday": "today", "2day": "today", "tdy": "today", "todays": "today",
    "tonite": "tonight", "2nite": "tonight", "2night": "tonight",
    "nxt": "next", "nex": "next", "upcomming": "upcoming", "kl": "tomorrow", "thrs": "thursday",
    "prso": "day after tomorrow", "parsho": "day after tomorrow", "parsoon": "day after tomorrow",
    # meals as times of day ("after lunch" in medicine talk is caught as a dose or medicine words)
    "after lunch": "afternoon", "post lunch": "afternoon", "lunch ke baad": "afternoon",
    "lunch ke bad": "afternoon", "lunch nantar": "afternoon", "lunch time": "afternoon",
    "before lunch": "morning", "lunch se pehle": "morning", "lunch ke pehle": "morning",
    "after noon": "afternoon",
    # parts of day
    "mrng": "morning", "morng": "morning", "mornin": "morning", "morn": "morning", "mrning": "morning",
    "moring": "morning", "evng": "evening", "evning": "evening", "eveing": "evening", "evenin": "evening",
    "eve": "evening", "evn": "evening", "aftn": "afternoon", "aftrnoon": "afternoon",
    "afternon": "afternoon", "nite": "night", "nyt": "night",
    # weekdays and months
    "wensday": "wednesday", "wednsday": "wednesday", "wendsday": "wednesday", "wedensday": "wednesday",
    "wednesdy": "wednesday", "thrusday": "thursday", "thursdy": "thursday", "thurday": "thursday",
    "tuesdy": "tuesday", "tusday": "tuesday", "teusday": "tuesday", "saterday": "saturday",
    "satarday": "saturday", "saturdy": "saturday", "fryday": "friday", "fridy": "friday",
    "mondy": "monday", "sundy": "sunday",
    "febuary": "february", "feburary": "february", "febraury": "february", "janaury": "january",
    "januray": "january", "agust": "august", "augest": "august", "septmber": "september",
    "setember": "september", "octobar": "october", "novmber": "november", "decmber": "december",
    "aprl": "april", "apl": "april", "mrch": "march", "agst": "august", "augst": "august", "octbr": "october",
    "novmbr": "november", "dcmbr": "december", "decmbr": "december", "jnry": "january",
    # Hinglish: days
    "aaj": "today", "aj": "today", "kal": "tomorrow", "parso": "day after tomorrow",
    "parson": "day after tomorrow", "parsoo": "day after tomorrow", "parsu": "day after tomorrow",
    "abhi": "right now",
    # Hinglish: parts of day
    "subah": "morning", "subha": "morning", "subeh": "morning", "savere": "morning", "sawere": "morning",
    "dopahar": "afternoon", "dopehar": "afternoon", "dophar": "afternoon", "dupahar": "afternoon",
    "dopaher": "afternoon", "dupehar": "afternoon", "dopahr": "afternoon",
    "shaam": "evening", "sham": "evening", "shaame": "evening", "raat": "night", "raath": "night",
    # Hinglish: clock
    "baje": "oclock", "bje": "oclock", "bajey": "oclock", "bajay": "oclock", "bajhe": "oclock", "baj": "oclock",
    "bajke": "oclock", "bajee": "oclock", "bjy": "oclock",
    "dedh baje": "1:30 oclock", "dedh bje": "1:30 oclock", "dhai baje": "2:30 oclock",
    "dhaai baje": "2:30 oclock", "dhai bje": "2:30 oclock", "adhai baje": "2:30 oclock",
    "saadhe": "half past", "sadhe": "half past", "saade": "half past", "sade": "half past",
    "sawa": "quarter past", "sava": "quarter past", "savva": "quarter past",
    "paune": "quarter to", "pone": "quarter to", "paone": "quarter to",
    # Hinglish: weekdays
    "somvar": "monday", "somvaar": "monday", "somwar": "monday", "somwaar": "monday",
    "mangalvar": "tuesday", "mangalwar": "tuesday", "mangalvaar": "tuesday", "mangalwaar": "tuesday",
    "budhvar": "wednesday", "budhwar": "wednesday", "budhvaar": "wednesday", "budhwaar": "wednesday",
    "guruvar": "thursday", "guruwar": "thursday", "guruvaar": "thursday", "guruwaar": "thursday",
    "brihaspativar": "thursday", "veervar": "thursday", "virvar": "thursday",
    "shukravar": "friday", "shukrawar": "friday", "shukravaar": "friday", "shukrwar": "friday",
    "shanivar": "saturday", "shaniwar": "saturday", "shanivaar": "saturday", "shaniwaar": "saturday",
    "ravivar": "sunday", "raviwar": "sunday", "ravivaar": "sunday", "itvaar": "sunday",
    "itwar": "sunday", "itwaar": "sunday", "etwar": "sunday", "itvar": "sunday",
    # Hinglish: relative words and units
    "agle": "next", "agla": "next", "agli": "next", "aane wale": "coming", "aane wala": "coming",
    "pichle": "last", "pichla": "last", "pichhle": "last",
    "is hafte": "this week", "is mahine": "this month",
    # the moment under discussion ("usi time", "wahi din"): read against `about`
    **{f"{that} {what}": f"same {meaning}" for that in ("usi", "ussi", "wahi", "vahi", "wohi", "isi", "tech", "tyach")
       for what, meaning in (("time", "time"), ("samay", "time"), ("timing", "time"), ("slot", "slot"),
                             ("din", "day"), ("divshi", "day"), ("veli", "time"), ("vel", "time"))},
    "same din": "same day", "same samay": "same time",
    "hafte": "week", "hafta": "week", "hafton": "weeks", "mahine": "month", "mahina": "month",
    "saal": "year", "din": "day", "ghante": "hour", "ghanta": "hour", "ghanton": "hours",
    "ke baad": "later", "baad": "later", "ke bad": "later", "pehle": "before", "pahle": "before",
    # Marathi in Roman script: days, parts of day, clock, weekdays ("somvari" is "on Monday")
    "udya": "tomorrow", "udyaa": "tomorrow", "udyala": "tomorrow", "udyla": "tomorrow", "uddya": "tomorrow",
    "parva": "day after tomorrow", "parwa": "day after tomorrow", "parvaa": "day after tomorrow",
    "sakali": "morning", "sakaali": "morning", "sakli": "morning", "sakaly": "morning",
    "dupari": "afternoon", "dupaari": "afternoon", "dupari la": "afternoon",
    "sandhyakali": "evening", "sandhyakaali": "evening", "sandhyakal": "evening", "sandhyakaal": "evening",
    "sandhyaakali": "evening", "sandhakali": "evening", "sandyakali": "evening", "sandhyakali la": "evening",
    "ratri": "night", "raatri": "night", "ratry": "night",
    "vajta": "oclock", "vajata": "oclock", "wajta": "oclock", "wajata": "oclock", "vajta la": "oclock",
    "vaje": "oclock", "vajle": "oclock", "wajle": "oclock", "vajat": "oclock",
    "didh vajta": "1:30 oclock", "didh vajata": "1:30 oclock", "adich vajta": "2:30 oclock",
    "adich vajata": "2:30 oclock", "pavne": "quarter to", "paavne": "quarter to", "pavane": "quarter to",
    "somvari": "monday", "somwari": "monday", "mangalvari": "tuesday", "mangalwari": "tuesday",
    "budhvari": "wednesday", "budhwari": "wednesday", "guruvari": "thursday", "guruwari": "thursday",
    "shukravari": "friday", "shukrawari": "friday", "shanivari": "saturday", "shaniwari": "saturday",
    "ravivari": "sunday", "raviwari": "sunday",
    "pudhchya": "next", "pudhcha": "next", "pudhchi": "next", "pudhil": "next", "pudhchya aathvadyat": "next week",
    "aathvadyat": "week", "athavdyat": "week", "aathavdyat": "week", "athvadyat": "week", "aathvada": "week",
    "athvada": "week", "aathavda": "week", "divsani": "days later", "divsanni": "days later",
    "divasani": "days later", "divsaanni": "days later", "divas": "day", "divsa": "day", "nantar": "later",
    "taas": "hour", "tasa": "hour", "nako": "nahi",
    # "aaj kal" is "these days", not today or tomorrow ("aajkal neend nahi aati")
    "aaj kal": "", "aajkal": "", "ajkal": "", "aaj kaal": "",
    "aftr": "after", "afetr": "after",
    # Hindi particles ("somvar ko", "subah ke 10 baje") carry nothing the rules need
    "ko": "", "ke": "",
}  # fmt: skip

# Hindi and Marathi in Devanagari, rewritten word by word into the Roman spellings above (so
# "कल शाम 5 बजे" is read as "kal shaam 5 baje"). Marathi glues endings onto words ("सोमवारी",
# "उद्याला", "दिवसांनी"): a word not in the table is tried again without one of _DEVANAGARI_ENDINGS.
_DEVANAGARI = {
    # days
    "कल": "kal", "आज": "aaj", "परसों": "parso", "परसो": "parso", "अभी": "abhi", "उद्या": "udya", "परवा": "parva",
    # parts of day
    "सुबह": "subah", "सवेरे": "savere", "दोपहर": "dopahar", "दुपहर": "dopahar", "शाम": "shaam", "रात": "raat",
    "सकाळी": "sakali", "सकाळ": "sakali", "दुपारी": "dupari", "दुपार": "dupari", "संध्याकाळी": "sandhyakali",
    "संध्याकाळ": "sandhyakali", "सायंकाळी": "sandhyakali", "रात्री": "ratri", "रात्र": "ratri",
    # clock
    "बजे": "baje", "बज": "baje", "बजें": "baje", "वाजता": "vajta", "वाजे": "vajta", "वाजले": "vajta",
    "साढ़े": "saadhe", "साढे": "saadhe", "सवा": "sawa", "पौने": "paune", "पोने": "paune", "डेढ़": "dedh",
    "डेढ": "dedh", "ढाई": "dhai", "साडे": "saadhe", "सव्वा": "sawa", "पावणे": "paune", "दीड": "didh",
    "अडीच": "adich",
    # numbers (Hindi, then Marathi)
    "एक": "ek", "दो": "do", "तीन": "teen", "चार": "char", "पांच": "paanch", "पाँच": "paanch", "छह": "chhe",
    "छः": "chhe", "सात": "saat", "आठ": "aath", "नौ": "nau", "दस": "das", "ग्यारह": "gyarah", "बारह": "barah",
    "दोन": "do", "पाच": "paanch", "सहा": "chhe", "नऊ": "nau", "दहा": "das", "अकरा": "gyarah", "बारा": "barah",
    # weekdays (Hindi, then Marathi spellings that differ)
    "सोमवार": "somvar", "मंगलवार": "mangalvar", "बुधवार": "budhvar", "गुरुवार": "guruvar",
    "बृहस्पतिवार": "guruvar", "शुक्रवार": "shukravar", "शनिवार": "shanivar", "रविवार": "ravivar",
    "इतवार": "itvaar", "मंगळवार": "mangalvar",
    # months (Hindi, then Marathi)
    "जनवरी": "january", "फरवरी": "february", "मार्च": "march", "अप्रैल": "april", "मई": "may", "जून": "june",
    "जुलाई": "july", "अगस्त": "august", "सितंबर": "september", "सितम्बर": "september",
    "अक्टूबर": "october", "अक्तूबर": "october", "नवंबर": "november", "नवम्बर": "november",
    "दिसंबर": "december", "दिसम्बर": "december", "जानेवारी": "january", "फेब्रुवारी": "february",
    "एप्रिल": "april", "जुलै": "july", "ऑगस्ट": "august", "सप्टेंबर": "september",
    "ऑक्टोबर": "october", "नोव्हेंबर": "november", "डिसेंबर": "december",
    # relative words and units
    "अगले": "agle", "अगला": "agla", "अगली": "agli", "पुढच्या": "pudhchya", "पुढील": "pudhil", "पुढचा": "pudhcha",
    "हफ्ते": "hafte", "हफ़्ते": "hafte", "हफ्ता": "hafta", "सप्ताह": "hafta", "आठवड्यात": "aathvadyat",
    "आठवडा": "aathvada", "आठवड्याने": "aathvada baad", "महीने": "mahine", "महीना": "mahina", "महिन्याने": "month later",
    "दिन": "din", "दिवस": "divas", "दिवसांनी": "divsani", "दिवसानी": "divsani", "घंटे": "ghante", "घंटा": "ghanta",
    "तास": "taas", "तासाने": "hour later", "मिनट": "minute", "मिनिटे": "minute", "बाद": "baad", "नंतर": "nantar",
    "पहले": "pehle", "आधी": "aadhi", "को": "ko", "के": "ke", "तारीख": "tarikh", "तारीख़": "tarikh",
    "तारखेला": "tarikh", "दिवसां": "days", "तारीखला": "tarikh", "नहीं": "nahi", "नही": "nahi", "नको": "nahi",
    "उसी": "usi", "वही": "wahi", "त्याच": "tyach", "समय": "samay", "टाइम": "time", "वेळी": "veli", "वेळ": "veli",
    "थोड़ा": "thoda", "थोडा": "thoda", "थोडं": "thoda", "आधा": "aadha", "से": "se", "पासून": "since",
    # words that make a message medical talk, and greetings
    "गोली": "goli", "गोळी": "goli", "गोळ्या": "goli", "दवा": "dawa", "दवाई": "dawai", "बुखार": "bukhar",
    "ताप": "fever", "दर्द": "dard", "खांसी": "khansi", "खोकला": "cough", "रोज": "roz", "रोज़": "roz",
    "झोप": "neend", "नींद": "neend", "शुभ": "good", "खाने": "khane", "जेवणानंतर": "after food",
}  # fmt: skip
_DEVANAGARI_ENDINGS = ("ला", "ी", "च", "ची", "चा", "ना", "पासून", "पर्यंत", "नंतर", "ने")
_DEVANAGARI_RE = re.compile(r"[\u0900-\u0963\u0970-\u097f]+")
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _devanagari(match: re.Match) -> str:
    word = match.group(0)
    if word in _DEVANAGARI:
        return f" {_DEVANAGARI[word]} "
    for ending in _DEVANAGARI_ENDINGS:
        stem = word.removesuffix(ending)
        if stem != word and stem in _DEVANAGARI:
            tail = {"पासून": " since", "नंतर": " later", "ने": " later"}.get(ending, "")
            return f" {_DEVANAGARI[stem]}{tail} "
    return f" {word} "


_WORDS_RE = re.compile(
    r"(?<![\w'])(?:" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")(?![\w'])"
)
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "−": "-", "@": " at ", "~": " about "})
_AMPM_RE = re.compile(r"(?<![a-z])([ap])\.\s?m\b\.?")
_CLOCK_TYPO_RE = re.compile(r"(?<![\d:.,/-])(\d{1,2})(?:\s*:\s+|\s+:\s*|;|[,-](?=\d\d\s*[ap]m\b))([0-5]\d)(?!\d)")
_ISH_RE = re.compile(r"(?<![\d:.])(\d{1,2}(?::[0-5]\d)?)\s*-?ish\b")
_OCLOCK_RE = re.compile(r"\bo\s?'?\s?(?:clock|clk)\b")
_SPACES_RE = re.compile(r"\s+")
# "tom" is tomorrow only before a time or a part of day ("tom 9am", "tom mrng"); else it is a name.
_TOM_RE = re.compile(r"\btom\b(?=\s*(?:\d|at\b|mo|mr|ev|af|ni|su|sh|do|ra))")


def _normalise(text: str) -> str:
    """Lower case, one spelling per word: "Kal SHAAM 5 baje" -> "tomorrow evening 5 oclock"."""
    s = unicodedata.normalize("NFC", text).translate(_TRANSLATE).translate(_DIGITS).lower()
    if _DEVANAGARI_RE.search(s):
        s = _SPACES_RE.sub(" ", _DEVANAGARI_RE.sub(_devanagari, s))
    s = _AMPM_RE.sub(r"\1m", s)
    s = _CLOCK_TYPO_RE.sub(r"\1:\2", s)  # "5 :30", "5;30", and "5,30 pm" / "5-30 pm" with am/pm after
    s = _ISH_RE.sub(r"around \1", s)  # "5ish"
    s = _OCLOCK_RE.sub("oclock", s)
    s = _TOM_RE.sub("tomorrow", s)
    if _ORDINAL_WORD_RE.search(s):  # "twentieth of december" -> "20 of december"
        s = _ORDINAL_BEFORE_MONTH_RE.sub(lambda m: str(ORDINAL_WORDS[_dash(m.group("w"))]), s)
        s = _ORDINAL_AFTER_MONTH_RE.sub(lambda m: f"{m.group('mon')} {ORDINAL_WORDS[_dash(m.group('w'))]}", s)
    s = _DOTTED_KO_RE.sub(r"on \1", s)  # "14.12 ko": a date, said before "ko" vanishes below
    s = _WORDS_RE.sub(lambda m: _WORDS[m.group(0)], s)
    s = _TARIKH_RE.sub(r"on \1th", s)  # "20 tarikh ko": the 20th
    s = _HALF_RE.sub(_half, s)  # "tomorrow second half": the afternoon
    s = _FUZZY_TOKEN_RE.sub(_fuzzy, s)
    return _SPACES_RE.sub(" ", s).strip()


_DOTTED_KO_RE = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2})\s+(?:ko|la|ला|को)(?![a-z])")

# Misspellings beyond the table above ("satruday", "wendesday", "tommorrw", "decembr", "budvar"):
# a word of five letters or more that starts with the same letter as a day, month or part of the
# day and is at most one typo away (two for words of seven letters or more). Weekday names must
# keep their ending ("...y", "...ya", "...var"), so "sundar" and "money" stay what they are;
# months shorter than six letters (march, april, may, june, july) are left alone ("match").
_FUZZY_TARGETS = (
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "morning",
     "evening", "afternoon", "january", "february", "august", "september", "october", "november", "december"]
    + ["somvar", "mangalvar", "budhvar", "guruvar", "shukravar", "shanivar", "ravivar"]
)  # fmt: skip
_FUZZY_BY_LETTER: dict[str, list[str]] = {}
for _target in _FUZZY_TARGETS:
    _FUZZY_BY_LETTER.setdefault(_target[0], []).append(_target)
_FUZZY_TOKEN_RE = re.compile(r"(?<![\w'])[a-z]{5,12}(?![\w'])")
_FUZZY_KNOWN = {
    *MONTHS, *WEEKDAYS, *_WORDS, *(w for v in _WORDS.values() for w in v.split()), "today", "tonight",
    "monthly", "sunny", "money", "moody", "mostly", "mainly", "freely", "frankly", "fries", "fried",
    "sundar", "sunder", "someday", "sometime", "sometimes", "evenly", "events", "everyday", "tomato",
    "tomatoes", "augustine", "mourning", "moaning", "mooring", "morningstar", "octave", "evenings", "mornings",
}  # fmt: skip


def _fuzzy(match: re.Match) -> str:
    return _fuzzy_word(match.group(0))


@functools.lru_cache(maxsize=4096)
def _fuzzy_word(word: str) -> str:
    if word in _FUZZY_KNOWN:
        return word
    limit = 1 if len(word) <= 6 else 2
    for target in _FUZZY_BY_LETTER.get(word[0], ()):
        if target.endswith("day") and not word.endswith(("y", "ya", "dey")):
            continue
        if target.endswith("var") and not word.endswith(("var", "war", "vaar", "waar")):
            continue
        if edit_distance(word, target, limit) <= limit:
            return _WORDS.get(target, target)
    for target in ("march", "april"):  # short months: only two neighbours swapped ("marhc", not "match")
        if sorted(word) == sorted(target) and edit_distance(word, target, 1) == 1:
            return target
    return word


# Indian English halves of the working day, only beside a day or "of the day" ("tomorrow second
# half", "first half of the day"); "the second half of 2025" is no part of a day.
_HALVES = {"first": "morning", "1st": "morning", "second": "afternoon", "2nd": "afternoon"}
_HALF_RE = re.compile(r"\b(?P<which>first|1st|second|2nd)\s+half(?P<of_day>\s+of\s+the\s+day)?\b")
_DAY_WORD_RE = re.compile(r"\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")


def _half(match: re.Match) -> str:
    s, start, end = match.string, match.start(), match.end()
    beside_a_day = _DAY_WORD_RE.match(s, end + 1) or _DAY_WORD_RE.search(s, max(0, start - 10), start)
    return _HALVES[match.group("which")] if match.group("of_day") or beside_a_day else match.group(0)


_TARIKH_RE = re.compile(
    r"(?<![\d.:/])(\d{1,2})\s*(?:st|nd|rd|th)?\s*"
    r"(?:tarikh|tareekh|tarik|taarikh|tareek|tarakh|tarikh la|tarikhla|tarkhela|tarkhe|tarkh|date)(?![a-z])"
)


ORDINAL_WORDS = {
    word: number
    for number, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
ORDINAL_WORDS.update({f"twenty-{word}": 20 + ORDINAL_WORDS[word] for word in list(ORDINAL_WORDS)[:9]})
ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31})


def _dash(words: str) -> str:
    return re.sub(r"[\s-]+", "-", words)


# Numbers as words, for durations ("a couple of days", "do din", "half an hour").
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "few": 3, "a few": 3, "several": 7, "couple": 2, "a couple": 2, "couple of": 2,
    "a couple of": 2, "half": 0.5, "half an": 0.5, "half a": 0.5,
    "ek": 1, "do": 2, "teen": 3, "char": 4, "chaar": 4, "paanch": 5, "panch": 5, "chhe": 6,
    "saat": 7, "aath": 8, "nau": 9, "das": 10, "dedh": 1.5, "dhai": 2.5, "dhaai": 2.5,
    "aadha": 0.5, "adha": 0.5, "aadhe": 0.5, "didh": 1.5, "adich": 2.5, "don": 2, "paach": 5, "pach": 5, "saha": 6, "daha": 10,
}  # fmt: skip
# Hours as words, for "five oclock", "do baje", "half past four".
HOUR_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "ek": 1, "do": 2, "teen": 3, "char": 4,
    "chaar": 4, "paanch": 5, "panch": 5, "chhe": 6, "saat": 7, "aath": 8, "nau": 9, "das": 10,
    "gyarah": 11, "barah": 12, "don": 2, "paach": 5, "pach": 5, "saha": 6, "daha": 10, "akra": 11, "bara": 12,
}  # fmt: skip

# Units of a duration: (months, seconds, below a day?). Single letters and "mo" only count when
# glued to a number ("3w", "1d", "+1m"), so "5 m" or "a few h" stay plain text.
_UNIT_TABLE = {
    ("seconds", "second", "secs", "sec"): (0, 1, True),
    ("minutes", "minute", "mins", "min", "mint"): (0, 60, True),
    ("hours", "hour", "hrs", "hr"): (0, 3600, True),
    ("days", "day"): (0, 86400, False),
    ("weeks", "week", "wks", "wk"): (0, 7 * 86400, False),
    ("fortnights", "fortnight"): (0, 14 * 86400, False),
    ("months", "month", "mons", "mon", "mths", "mth"): (1, 0, False),
    ("quarters", "quarter", "qtrs", "qtr"): (3, 0, False),
    ("years", "year", "yrs", "yr"): (12, 0, False),
}
_SHORT_UNIT_TABLE = {"s": (0, 1, True), "m": (0, 60, True), "h": (0, 3600, True), "d": (0, 86400, False),
                     "w": (0, 7 * 86400, False), "mo": (1, 0, False), "y": (12, 0, False)}  # fmt: skip
UNITS = {word: value for words, value in _UNIT_TABLE.items() for word in words}
UNITS.update({f"{word}s": value for word, value in _SHORT_UNIT_TABLE.items() if word == "mo"})
SHORT_UNITS = dict(_SHORT_UNIT_TABLE)

# Words after a number that make it a quantity, never an hour or a date ("2 tablets", "500 rs").
QUANTITY_WORDS = (
    "tablets?|tabs?|capsules?|caps?|pills?|doses?|drops?|spoons?|teaspoons?|tsp|times?|x|mg|mcg|ml|kgs?|"
    "kilos?|kilograms?|grams?|gms?|g|lbs?|rs|rupees?|inr|points?|percent|people|persons?|patients?|members?|"
    "kids?|children|floor|yrs?|years?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|log|bottles?|strips?|"
    "injections?|puffs?|units?|cm|mm|inch(?:es)?|feet|ft|degrees?|beds?|rooms?|nos?|numbers?|goli|goliyan|golya|"
    "baar|bar|vela|veles|pages?|steps?|kms?|km|litres?|liters?|l|glass(?:es)?|cups?|sachets?"
)


def _alt(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_MONTH = rf"(?:{_alt(MONTHS)})\.?(?![a-z])"
_WEEKDAY = rf"(?:{_alt(WEEKDAYS)})\.?(?![a-z])"
# A number starts where no digit stands before it: without that, a long digit run is tried from
# every position and costs quadratic time ("7" * 500 took 45 ms; now well under one).
_NUM = rf"(?:(?<![\d.])\d+(?:\.\d+)?|(?<![a-z])(?:{_alt(NUMBER_WORDS)}))"
_DUR_ITEM = rf"(?:{_NUM}\s*(?:{_alt(UNITS)})(?![a-z])|(?<![\d.])\d+(?:{_alt(SHORT_UNITS)})(?![a-z]))"
_DUR = rf"(?:{_DUR_ITEM}(?:\s*,?\s*(?:and\s+)?{_DUR_ITEM})*)"
_HOUR_WORD = _alt(HOUR_WORDS)

# Anything that could possibly be a date or a time. Text without any of this is answered with
# None before any other rule runs ("hi", "what are the fees", "ok thanks").
_CUE = re.compile(
    r"\d|\b(?:today|tonight|tomorrow|yesterday|now|noon|midday|midnight|morning|afternoon|evening|night|"
    r"oclock|week|weekend|weekday|fortnight|month|year|day|days|hour|hours|min|mins|minute|minutes|"
    r"second|seconds|quarter|qtr|half|" + _alt(MONTHS) + "|" + _alt(WEEKDAYS) + r")"
)
# A dose or a frequency makes a message about medicine ("2 tablets at 9 pm", "1-0-1", "twice a
# day", "din me 3 baar"); its times say when to take it, unless the message also asks for a visit.
_MEDICINE_RE = re.compile(
    r"(?:(?<![\d.])\d+(?:\.\d+)?|\b(?:one|two|three|half|ek|do|teen|don|aadhi|adhi))\s*"
    r"(?:tablets?|tabs?|capsules?|caps?|pills?|mg|mcg|ml|drops?|spoons?|teaspoons?|tsp|puffs?|goli|doses?|units?)"
    r"(?![a-z])|(?<![\d-])[0-2]-[0-2]-[0-2](?![\d-])"
    r"|\b(?:once|twice|thrice|(?<![\d.])\d+\s*(?:times?|x|baar|bar|vela|veles))\s+(?:a\s+|per\s+|in\s+a\s+|every\s+)?"
    r"(?:day|daily|week|night)\b|\bday\s+(?:me|mein|main|madhe|madhye)\s+(?:\d+|ek|do|teen|don)\s*(?:baar|bar|times|vela)\b"
)
# A reading ("BP 140/90 aaj subah", "fever 102 since yesterday night", "sugar 250") reports a
# measurement; its day says when it was taken.
_READING_RE = re.compile(
    r"\b(?:bp|b\.p|sugar|pulse|spo2|oxygen|temp|temperature|weight|hba1c|fever|bukhar|taap)\b"
    r"(?:\s*(?:is|was|level|fasting|pp|random|reading|of|:|=|-))*\s*\d"
)
_BOOKING_WORD_RE = re.compile(
    r"\b(?:appointments?|appt|book|booking|slot|visit|come|coming|checkup|check up|consult\w*|aana|aaun|aau|"
    r"aaye|aa sakt\w*|aa jau\w*|milna|milenge|mil sakt\w*|yeu|yeto|yete|bhet\w*|dikhana|dikhane|reschedule)\b"
)
_ABOUT_CUE = re.compile(r"\b(?:same|earlier|later|before|early|late|aadhi|adhi)\b")
# Cues strong enough to ask dateparser about text nothing here understood.
_FALLBACK_CUE = re.compile(
    r"\b(?:" + _alt(MONTHS) + r"|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|fortnight|next|coming|upcoming|end of|beginning of)\b|\d(?:st|nd|rd|th)\b"
)


# --------------------------------------------------------------------------------------------
# Candidates found in a message
# --------------------------------------------------------------------------------------------


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


_DUR_ITEM_RE = re.compile(
    rf"(?P<n>(?<![\d.])\d+(?:\.\d+)?|(?<![a-z])(?:{_alt(NUMBER_WORDS)}))\s*(?P<u>{_alt(UNITS)})(?![a-z])"
    rf"|(?P<n2>(?<![\d.])\d+(?:\.\d+)?)(?P<u2>{_alt(SHORT_UNITS)})(?![a-z])"
)


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


def _year(text: str | None, era: str | None = None) -> int | None:
    """A written year: 2027, '27, 27; Buddhist-era years ("2555 BE") are converted."""
    if not text:
        return None
    year = int(text.lstrip("'"))
    if len(text.lstrip("'")) == 2:
        year += 2000
    if era == "be":
        year -= 543
    return year if 1900 <= year <= 2199 or era in ("ad", "ce") else None


# --------------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------------

_ERA = r"(?:\s*(?P<era>be|ad|ce)\b)?"
_ISO_RE = re.compile(r"(?<![\d/.-])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)(?!/\d)")
_NUMERIC_RE = re.compile(
    r"(?<![\d/.:,-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}|\d))?(?!\d)(?!/\d)(?!-\d(?!\d?:\d\d))(?!\.\d+\.)"
)
_MONTH_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])")
_DAY_MONTH_RE = re.compile(
    rf"(?<![\d:.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:\s*(?:-|to|till|until|and)\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?"
    rf"(?:\s+of\s+|\s*|[/-])(?P<mon>{_MONTH})"
    rf"(?:[\s,/-]*(?P<y>(?:19|20)\d\d|'\d\d|\d{{4}}(?=\s*be\b)){_ERA})?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?P<mon>{_MONTH})[\s,.]*(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?!\s*(?:am|pm)\b)(?!\.\d)"
    rf"(?:\s*(?:-|to|till|until)\s*(?:(?P<mon2>{_MONTH})[\s,.]*)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?!\s*(?:am|pm)\b))?"
    rf"(?:,?\s*(?P<y>(?:19|20)\d\d|\d{{4}}(?=\s*be\b))(?![\d:]){_ERA})?"
)
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(sorted((w for w in ORDINAL_WORDS if "-" not in w), key=len, reverse=True))
    + ")"
)
_ORDINAL_WORD_RE = re.compile(rf"\b{_ORDINAL_WORD}\b")
_ORDINAL_BEFORE_MONTH_RE = re.compile(rf"\b(?P<w>{_ORDINAL_WORD})\b(?=(?:\s+of)?\s+{_MONTH})")
_ORDINAL_AFTER_MONTH_RE = re.compile(rf"(?P<mon>{_MONTH})\s+(?:the\s+)?(?P<w>{_ORDINAL_WORD})\b")
_YEAR_MONTH_DAY_RE = re.compile(rf"(?<!\d)(?P<y>(?:19|20)\d\d)[\s/-]+(?P<mon>{_MONTH})[\s/-]+(?P<d>\d{{1,2}})(?!\d)")
_MONTH_END_RE = re.compile(
    r"\b(?:(?:this|the|(?P<next>next))\s+)?month\s*(?:end|ending)\b"
    r"|\bend\s+of\s+(?:(?:this|the|(?P<next2>next))\s+)?month\b"
)
_MONTH_ONLY_RE = re.compile(
    rf"(?:\b(?P<prep>in|from|during|by|till|until|next|this|coming)\s+(?:the\s+month\s+of\s+)?)?(?P<mon>{_MONTH})"
    rf"(?!\s+(?:be|not|i|we|you|he|she|they|it)\b)"
    rf"(?:\s*(?:to|till|until|-)\s*(?P<mon2>{_MONTH}))?(?:,?\s+(?P<y>(?:19|20)\d\d))?"
)
_ORDINAL_RE = re.compile(
    r"(?:\b(?P<which_pre>next|this|coming)\s+month\s*,?\s*(?:on\s+)?(?:the\s+)?)?"
    r"(?<![\d:.])(?P<d>\d{1,2})(?P<suffix>st|nd|rd|th)(?![a-z])"
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?P<which>next|this|coming)\s+month)?"
)
_ORDINAL_BEFORE_RE = re.compile(r"\b(?:on|by|the|till|until|before|after|from|date|dated)\s*$")
_ORDINAL_NOUN_RE = re.compile(
    r"^\s*(?:floor|time|times|dose|opinion|visit|day|week|month|year|attempt|child|baby|test|report|standard|"
    r"std|class|grade|stage|trimester|pregnancy|sitting|session|injection|cycle)\b"
)
_ORDINAL_AFTER_RE = re.compile(
    r"^\s*(?:$|[,.?!]|at\b|by\b|\d|morning|afternoon|evening|night|ko\b|or\b|and\b|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
)
_YEAR_TOKEN_RE = re.compile(r"(?<![\d/.:-])(?P<y>(?:19|20)\d\d)(?![\d/:-])")
_WEEKDAY_BEFORE_RE = re.compile(rf"(?P<wd>{_WEEKDAY})[\s,.]*$")

_WEEKDAY_RE = re.compile(
    r"(?:\b(?P<pre>this\s+coming|this|coming|upcoming|next\s+to\s+next|next|following|last|past|previous)\s+)?"
    r"(?:\b(?P<wkpre>next|this|last|coming)\s+week(?:'s)?\s*,?\s*(?:on\s+)?(?:the\s+)?)?"
    rf"\b(?P<wd>{_WEEKDAY})"
    r"(?:\s*,?\s*(?:of\s+)?(?:the\s+)?(?P<wkpost>next|this|last|coming)\s+week(?![a-z]))?"
    r"(?:\s+(?P<postnext>next)(?![a-z])(?!\s+week))?"
    r"(?P<afternext>\s+after\s+next)?"
)
_NTH_WEEKDAY_RE = re.compile(
    rf"\b(?P<n>1st|2nd|3rd|4th|5th|first|second|third|fourth|fifth|last)\s+(?P<wd>{_WEEKDAY})"
    rf"(?:\s+(?:of|in)\s+(?:(?P<mon>{_MONTH})|(?P<rel>(?:the\s+)?(?:this|next|coming)\s+month|the\s+month)))?"
)
_NTH = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4, "5th": 5,
        "fifth": 5, "last": -1}  # fmt: skip
_WEEKDAY_ABBR_BEFORE_RE = re.compile(r"(?:^|\b(?:on|by|till|until|from|every|and|or|to)|[,(])\s*$")
_WEEKDAY_ABBR_AFTER_RE = re.compile(r"^\s*(?:[,\d]|morning|afternoon|evening|night|at\b|or\b|and\b|$|[.?!])")
# "sun", "sat", "wed" and "mon" are also words ("too much sun", "I sat"): they need a firmer hint.
_WORDLIKE_ABBR_AFTER_RE = re.compile(r"^\s*(?:[,\d]|morning|afternoon|evening|night)")
_WORDLIKE_ABBR_BEFORE_RE = re.compile(r"(?:\b(?:on|by|till|until|from|every|and|or|to)|[,(])\s*$")
_WORDLIKE_ABBRS = {"sun", "sat", "wed", "mon"}
_WEEKEND_RE = re.compile(r"\b(?:(?P<pre>this|next|coming|last)\s+)?weekend\b")
_NEXT_WEEKDAY_RE = re.compile(r"\bnext\s+(?:weekday|working day|business day)\b")

_RELATIVE_PHRASE_RE = re.compile(r"\b(?:the\s+)?day\s+(?P<dir>after\s+tomorrow|before\s+yesterday)\b")
_RELATIVE_WORD_RE = re.compile(r"\b(?P<w>today|tonight|tomorrow|yesterday|right now)\b")
_AFTER_NUMBER_RE = re.compile(rf"(?:\d|\b(?:{_alt(NUMBER_WORDS)}))\s*$")

_DUR_PRE_RE = re.compile(
    r"(?:\b(?P<pre>in|within|after|give it|wait|for|next|since|during)|(?P<now>\bnow\s*\+)|(?P<sign>(?<![\w.])[+-]))"
    rf"\s*(?:(?:about|around|approx|approximately|roughly|nearly|almost|just|another|the\s+next)\s+)*(?P<dur>{_DUR})"
)
_DUR_POST_RE = re.compile(
    rf"(?P<dur>{_DUR})\s*(?P<post>later|from now|from today|hence|out|after|from|mein|me|ago|before now|before|earlier|back)(?![a-z])"
)
_DUR_BARE_RE = re.compile(_DUR)
_NEXT_UNIT_RE = re.compile(
    r"\b(?P<pre>next|following|coming|this|last|past|previous|after this)\s+"
    r"(?P<unit>hour|day|week|fortnight|month|quarter|qtr|year)(?![a-z])"
)
_THE_UNIT_RE = re.compile(r"\bthe\s+(?P<unit>second|sec|minute|min|hour|day|week|month|year)\s+(?P<dir>after|before)\b")
_ANCHOR_GAP_RE = re.compile(r"\s*")

_T_COLON_RE = re.compile(
    r"(?<!\d)(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
    r"(?:\s*(?P<mer>am|pm)(?![a-z]))?(?:\s*(?:oclock|hrs|hours)(?![a-z]))?"
)
_YEAR_COLON_RE = re.compile(r"\d{4}:$")
_T_MERIDIEM_RE = re.compile(r"(?<![\d:.])(?P<h>\d{1,2})(?:\.(?P<m>[0-5]\d))?\s*(?P<mer>am|pm)(?![a-z])")
_T_NAMED_RE = re.compile(r"(?:(?<![\d:])12\s*)?\b(?P<w>noon|midday|midnight)\b")
_T_PAST_RE = re.compile(
    rf"\b(?P<q>half|quarter)\s+(?P<rel>past|to)\s+(?P<h>\d{{1,2}}|{_HOUR_WORD})(?![\d:a-z])"
    r"(?:\s*(?P<mer>am|pm)(?![a-z]))?(?:\s*oclock)?"
)
_T_OCLOCK_RE = re.compile(rf"(?<![\d:.])(?P<h>\d{{1,2}}|\b(?:{_HOUR_WORD}))\s*oclock")
_T_SPACED_RE = re.compile(
    r"(?<![\d:.,/+-])(?P<h>\d{1,2})\s(?P<m>[0-5]\d)(?![\d:./])(?:\s*(?P<mer>am|pm|oclock)(?![a-z]))?"
    rf"(?!\s*(?:{QUANTITY_WORDS})(?![a-z]))"
)
_T_COMPACT_RE = re.compile(
    r"(?<![\d:.,/+-])(?P<h>[01]?\d|2[0-3])(?P<m>[0-5]\d)(?![\d:./])"
    r"(?:\s*(?P<mer>am|pm)(?![a-z])|\s*(?P<word>oclock|hrs|hours)(?![a-z]))?"
    rf"(?!\s*(?:{QUANTITY_WORDS})(?![a-z]))"
)
# What may stand before a number that is a message of its own ("ok 1130", "maybe 2", "is 3 ok?")
# and what may follow it ("ok", "chalega", "or 12", "wala").
_ALONE_BEFORE_RE = re.compile(
    r"(?:\s|[,.!?]|\b(?:ok|okay|okk|k|hmm|then|so|sir|madam|maam|ji|haan|ha|yes|please|pls|plz|maybe|may be|"
    r"how about|what about|is|kya|and|or|else|otherwise|nahi to|warna|the|doctor|dr)\b)*"
)
_HEDGE_BEFORE_RE = re.compile(
    r"\b(?:ok|okay|okk|maybe|may be|how about|what about|is|kya|or|else|otherwise|nahi to|warna)\b"
)
_HEDGE_AFTER_RE = re.compile(
    r"\s*(?:ok|okay|okk|fine|chalega|chalegi|chalel|jamel|possible|works?|theek|thik|would (?:be|work)|"
    r"is (?:fine|ok|okay|good|possible|available|free|better|convenient)|available|free|or\s+\d|wala|wali|"
    r"vala|one\b|then|\?)(?![a-z])"
)
_DATE_WORD_BEFORE_RE = re.compile(r"\b(?:on|date|dated|dt|for|appointment|appt|booking|book)\s*$")
_QUANTITY_AFTER_RE = re.compile(rf"\s*(?:%|(?:{QUANTITY_WORDS})(?![a-z]))")
_T_DOT_RE = re.compile(r"(?<![\d.:,])(?P<h>\d{1,2})\.(?P<m>[0-5]\d)(?![\d.])")
_T_BARE_RE = re.compile(
    rf"(?<![\d:.,/+-])(?P<h>\d{{1,2}})(?![\d:/%])(?![.,]\d)(?!\s*-\s*\d+\.\d)(?!\s*(?:{QUANTITY_WORDS})(?![a-z]))"
)
_MARKER_BEFORE_RE = re.compile(
    r"(?:\b(?:at|around|arround|arnd|by|till|untill|until|before|after|between|from|abt|about|approx|"
    r"approximately|near|nearly|tonight|morning|afternoon|evening|night)|\bat\s+(?:about|around))\s*$"
)
# Words after a number that make it a clock time: Marathi "11 la", Hindi "5 tak", "5 ke aas paas"
# ("ke" is gone by now). Not "pe" / "par", which also follow room and page numbers.
_MARKER_AFTER_RE = re.compile(r"\s*(?:la|tak|paryant|aas paas|aaspaas|aas pass|around)(?![a-z])")
_PART_AFTER_RE = re.compile(r"^\s*(?:in the\s+|at\s+)?(?:morning|afternoon|evening|night|tonight)\b")
_RANGE_GAP_RE = re.compile(r"^\s*(?:-|to|till|until|and)\s*$")
_RANGE_HEAD_RE = re.compile(r"(?<![\d:.])(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?\s*(?:-|to|till|until)\s*$")

# Words read against the moment under discussion (`about`). Normalising has already turned
# "usi time", "wahi time", "उसी समय" into "same time" and "pehle" / "baad" into before / later.
_SAME_RE = re.compile(r"\b(?:the\s+)?same\s+(?P<what>time|timing|slot|day)\b")
_SHIFT_RE = re.compile(r"\b(?P<w>earlier|later|before|early|late|aadhi|adhi)\b")
# A bare "earlier" / "later" counts only in a message that says nothing else: "a bit earlier?",
# "thoda pehle chalega", "can it be later" — not "I'll call later" or "told you before".
_FILLER_RE = re.compile(
    r"\b(?:ok|okay|k|hmm|yes|sir|madam|maam|doctor|dr|please|pls|plz|can|could|it|be|is|possible|slot|"
    r"time|timing|appointment|a|an|any|some|something|bit|little|lil|slightly|much|more|thoda|thodi|thodasa|"
    r"zara|jara|kuch|der|se|me|mein|i|we|come|aa|aana|sakte|sakta|sakti|hai|hain|ho|chalega|chalegi|if|"
    r"than|that|this|one|the|make|move|shift|do|kar|karo|de|dijiye|maybe|would|prefer|better|want|need|"
    r"like|ji|haan|ha|instead|bhi|take|give|ka|ki|ke|ahead|back|yaar|bro|just|chalel|jamel|ka)\b|[^\w\s]"
)
ABOUT_SHIFT = dt.timedelta(hours=1)  # what a bare "earlier" or "later" moves the time by

_PART_RE = re.compile(
    r"(?<!good )(?<!gud )\b(?P<this>this\s+)?(?P<p>early morning|morning|afternoon|evening|night|tonight)\b"
)
# A part of day alone in talk about medicine or symptoms says when something happens, not when to
# come: "1 tablet morning and night", "fever at night", "pain since morning".
_ATTACHED_GAP_RE = re.compile(r"[\s,.]*(?:the\s+)?")
# A day the patient rules out: "not tomorrow", "can't come today", "I won't be able to come
# tomorrow", "kal nahi", "today is not possible", "aaj busy hu", "kal ki jagah parso". The words
# between stay inside one clause (no comma or full stop), so "not tomorrow, friday" keeps Friday.
_NEGATION = (
    r"not|nahi|nahin|nhi|nai|busy|impossible|mushkil|difficult|cant|can't|cannot|won't|wont|"
    r"no(?!\s+(?:problem|issue|worries|tension|doubt))|(?:ki\s+|ke\s+)?(?:jagah|jagha|jageh)|ke badle|badle|ki bajaye|"
    r"aivaji|aiwaji|instead|have office|have work|have duty|have exam|office hai|duty hai|kaam hai|"
    r"out of station|out of town|travelling|bahar hu|bahar hoon|gaon ja"
)
_NOT_BEFORE_RE = re.compile(
    r"\b(?:not|except|instead of|cant|can't|cannot|can not|couldnt|couldn't|wont|won't|unable|busy|"
    r"have office|have work|have duty|have exam|out of station|out of town)\b"
    r"[^,.;!?]{0,40}$"
)
_NOT_AFTER_RE = re.compile(
    r"\s*(?P<skip>(?:(?:early\s+)?(?:morning|afternoon|evening|night)\s+)?)"
    rf"(?:(?:[a-z']+)\s+){{0,3}}?(?:{_NEGATION})(?![a-z])"
)
_CLOCK_NOT_AFTER_RE = re.compile(rf"\s*(?:is\s+|slot\s+|time\s+)?(?:{_NEGATION})(?![a-z])")
# "kal raat se bukhar hai", "fever since yesterday": when symptoms began, not when to come
_SINCE_BEFORE_RE = re.compile(r"\b(?:since|pasun)\s+$")
_SINCE_AFTER_RE = re.compile(r"\s*(?:(?:morning|afternoon|evening|night)\s+)?(?:se|since|pasun)(?![a-z])")
_HEALTH_TALK_RE = re.compile(
    r"\b(?:tablets?|tabs?|capsules?|pills?|doses?|syrup|medicines?|dawai|dawa|drops?|injections?|fever|pain|"
    r"cough|cold|vomit\w*|loose motions?|bukhar|dard|khansi|since|every|daily|roz|goli|mg|ml|take|apply|cream|"
    r"ointment|bedtime|breakfast|lunch|dinner|khane|khana|jevan|jevna|nashta|khali pet|empty stomach|headache|"
    r"neend|sleep|zop|jhop|sugar|bp|taap|twice|thrice|once|khokla|sardi|ulti|chakkar|jalan|"
    r"\w*dukh\w*|\w*dard)\b"
)


# --------------------------------------------------------------------------------------------
# The scan
# --------------------------------------------------------------------------------------------


class _Scan:
    """One message: finds day, time and part-of-day candidates, then combines the first of each.

    Rules run from the most specific (written dates) to the least (bare hours); each claims the
    characters it used so a later rule cannot read them again ("next week tuesday" is one
    weekday, not also "next week").
    """

    def __init__(self, s: str, now: dt.datetime, zone: zoneinfo.ZoneInfo, open_hours, about=None):
        self.s = s
        self.now = now
        self.about = about  # the moment under discussion, naive local time, or None
        self.same_time = False  # "same time", "usi time": the clock time of `about`
        self.shift: dt.timedelta | None = None  # a bare "earlier" / "later": from `about`
        self.today = now.date()
        self.zone = zone
        self.open_hours = open_hours
        self.taken = bytearray(len(s))  # 1 where a rule already claimed the character: O(1) per claim
        self.days: list[_Day] = []
        self.times: list[_Time] = []
        self.durations: list[_Dur] = []
        self.blocked = False  # something date-like was seen and deliberately rejected
        self.cut = 0  # past a ruled-out day or time ("not today, tomorrow 5pm"), the answer is read from here

    # -- bookkeeping -------------------------------------------------------------------------

    def free(self, start: int, end: int) -> bool:
        return self.taken.find(1, start, end) == -1

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = b"\x01" * (end - start)

    def add_day(self, start: int, end: int, day: dt.date | None, **kw) -> None:
        self.take(start, end)
        if day is None:
            self.blocked = True
        else:
            self.days.append(_Day(start, end, day, **kw))

    def future(self, month: int, day: int, year: int | None) -> dt.date | None:
        """A day and month with an optional year; without a year, the next one not yet past."""
        if year is not None:
            return _valid(year, month, day)
        for candidate_year in (self.today.year, self.today.year + 1, self.today.year + 2, self.today.year + 3):
            date = _valid(candidate_year, month, day)
            if date and date >= self.today:
                return date
            if date is None and not (month == 2 and day == 29):
                return None
        return None

    # -- the whole message -------------------------------------------------------------------

    def run(self) -> When | None:
        self.about_words()
        self.iso_dates()
        self.numeric_dates()
        self.month_name_dates()
        self.nth_weekdays()
        self.ordinals()
        self.month_only()
        self.month_ends()
        self.weekdays()
        self.relative_phrases()
        self.durations_found()
        self.relative_words()
        self.anchor_durations()
        parts = [(m.start(), m.group("p"), m.group("this")) for m in _PART_RE.finditer(self.s)]
        for start, _part, this in parts:
            if this:
                self.days.append(_Day(start, start + len(this), self.today))
        self.clock_times(parts)
        return self.combine(parts)

    def combine(self, parts) -> When | None:
        days = self.attached_weekdays_removed()
        day = min(days, key=lambda d: d.start) if days else None
        if day is not None and day.exact is not None and not (day.now_word and self.times):
            exact = day.exact.replace(second=0, microsecond=0)
            return When(exact.date(), exact.time(), day_given=not day.from_about)
        for clock in self.times:  # "5pm not possible, 6pm?"
            refused = _CLOCK_NOT_AFTER_RE.match(self.s, clock.end)
            self.cut = max(self.cut, refused.end() if refused else 0)
        for start, name, this in parts:  # "evening nahi, subah"
            refused = _CLOCK_NOT_AFTER_RE.match(self.s, start + len(this or "") + len(name))
            self.cut = max(self.cut, refused.end() if refused else 0)
        parts = [p for p in parts if p[0] >= self.cut]
        times = [t for t in self.times if t.start >= self.cut]
        part = parts[0][1] if parts else None
        clock = min(times, key=lambda t: t.start) if times else None
        if self.about is not None and clock is None and day is None and self.shift is not None:
            moment = self.about + self.shift  # a bare "earlier" / "later"
            return When(moment.date(), moment.time().replace(second=0, microsecond=0), day_given=False)
        time = self.resolve(clock, part) if clock else None
        if self.about is not None and clock is None and self.same_time:
            time = self.about.time().replace(second=0, microsecond=0)  # "same time (on friday)"
            if day is None:
                return When(self.about.date(), time, day_given=False)
        elif day is None and clock is None and part is None:
            return None
        elif day is None and clock is None and _HEALTH_TALK_RE.search(self.s):
            return None
        if day is None:
            # No day named: today while the time (or part of day) is still ahead, else tomorrow's.
            # "midnight" is the one ending today; "6pm" written at 19:00 is tomorrow's 6pm.
            date = self.today + dt.timedelta(days=1) if self.over(time, part) else self.today
            if time is not None:
                return When(date, time, day_given=False)
            return When(date, None, _part_name(part), day_given=False)
        date = day.day
        if not day.year_given:
            date = self.later_year(day, date)
        if day.roll and date == self.today and self.over(time, part):
            date += dt.timedelta(days=7)
        if time is not None:
            return When(date, time, day_given=not day.from_about)
        return When(date, None, _part_name(part), day_given=not day.from_about)

    def over(self, time: dt.time | None, part: str | None) -> bool:
        """Whether the time (or the part of day) named is already over today."""
        if time is not None:
            return time < self.now.time().replace(second=0, microsecond=0)
        if part is not None:
            return _part_range(part)[1] <= self.now.time()
        return False

    def about_words(self) -> None:
        """ "same time", "same day", and a bare "earlier" / "later", all read against `about`."""
        for m in _SAME_RE.finditer(self.s):
            self.take(m.start(), m.end())
            if m.group("what") == "day":
                if self.about is None:
                    self.blocked = True
                else:  # the day under discussion, which the patient named by pointing at it
                    self.days.append(_Day(m.start(), m.end(), self.about.date()))
            else:
                self.same_time = True
        found = _SHIFT_RE.search(self.s)
        if found and not _FILLER_RE.sub("", self.s[: found.start()] + " " + self.s[found.end() :]).strip():
            self.take(found.start(), found.end())
            sign = -1 if found.group("w") in ("earlier", "before", "early", "aadhi", "adhi") else 1
            self.shift = sign * ABOUT_SHIFT

    def later_year(self, day: _Day, date: dt.date) -> dt.date:
        """ "10 August - 12 September 2013": a year written later in the text applies to the first date."""
        found = _YEAR_TOKEN_RE.search(self.s, day.end)
        if not found:
            return date
        return _valid(int(found.group("y")), date.month, date.day) or date

    def attached_weekdays_removed(self) -> list[_Day]:
        """ "Tuesday, 10 January": the date decides, the weekday next to it is only decoration.
        "kal nahi parso", "not tomorrow, monday": a day the patient rules out is no answer."""
        dated = [d for d in self.days if d.weekday is None]
        starts = sorted(d.start for d in self.days)
        kept, ruled_out = [], []
        said_after = [found.span() for d in self.days if (found := _NOT_AFTER_RE.match(self.s, d.end))]
        for day in self.days:
            if day.weekday is not None and any(
                other.start >= day.end
                and _ATTACHED_GAP_RE.fullmatch(self.s, day.end, other.start)
                or other.end <= day.start
                and _ATTACHED_GAP_RE.fullmatch(self.s, other.end, day.start)
                and any(ch.isdigit() for ch in self.s[other.start : other.end])  # a written date, not "tomorrow"
                for other in dated
            ):
                continue  # "Tuesday, 10 January" and "14th monday": the date decides
            before = _tail(_NOT_BEFORE_RE, self.s, day.start)
            after = _NOT_AFTER_RE.match(self.s, day.end)
            if before and (
                any(before.start() < start < day.start for start in starts)
                or any(a <= before.start() < b for a, b in said_after)
            ):
                before = None  # "if not today then tomorrow", "today not possible, tomorrow": about today
            if after and any(day.end < start < after.end() for start in starts):
                after = None
            since = _SINCE_AFTER_RE.match(self.s, day.end) or _tail(_SINCE_BEFORE_RE, self.s, day.start)
            if since and _HEALTH_TALK_RE.search(self.s):
                self.cut = len(self.s)  # its part of day goes with it
                continue
            if before or after:
                ruled_out.append((day, after.end() if after else day.end, bool(after and after.group("skip"))))
                continue
            kept.append(day)
        for day, cut, skipped in ruled_out:
            if skipped and not kept:
                kept.append(day)  # "tomorrow evening not possible, morning?": the evening is ruled out, not the day
            self.cut = max(self.cut, cut)
        return kept

    # -- written dates -----------------------------------------------------------------------

    def iso_dates(self) -> None:
        for m in _ISO_RE.finditer(self.s):
            year, a, b = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            # 2024/13/1: the only possible reading is 13 January
            self.add_day(m.start(), m.end(), _valid(year, a, b) or _valid(year, b, a))

    def numeric_dates(self) -> None:
        for m in _NUMERIC_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            sep, year_text = m.group("sep"), m.group("y")
            if sep == "." and not year_text:
                if self.dotted_date(m):  # "24.12", "9.1", "on 15.12"; not "10.30", "2.5 mg"
                    self.add_day(m.start(), m.end(), self.future(int(m.group("b")), int(m.group("a")), None))
                continue
            # "3-4 days", "1.1.30" are not dates: dashes need a year, dots a full year
            if sep == "-" and not year_text or sep == "." and len(year_text) != 4:
                continue
            if year_text and len(year_text) == 1:
                self.take(m.start(), m.end())
                self.blocked = True
                continue
            if re.match(rf"\s*(?:{QUANTITY_WORDS})(?![a-z])", self.s[m.end() :]):
                continue  # "1/2 tablet", "3/4 days"
            a, b = int(m.group("a")), int(m.group("b"))
            year = _year(year_text)
            if year_text and year is None:
                continue
            self.add_day(m.start(), m.end(), self.numeric_reading(a, b, year, m.start()), year_given=bool(year_text))

    def dotted_date(self, m) -> bool:
        """Whether "a.b" without a year is a day-first date. A reading as a clock time wins when the
        minutes look like minutes ("10.30", "4.45", "5.10"); a measurement is never a date
        ("hba1c 7.5", "2.5 mg", "version 2.5"), so the date needs a message of its own, a date
        word before it ("on", "for", "appointment") or a time or part of day after it."""
        a, b_text = int(m.group("a")), m.group("b")
        b = int(b_text)
        before, after = self.s[: m.start()], self.s[m.end() :]
        if not (1 <= a <= 31 and 1 <= b <= 12) or _QUANTITY_AFTER_RE.match(after):
            return False
        clock_like = a <= 23 and len(b_text) == 2 and b % 5 == 0  # "10.10", "4.05": read as times
        if _DATE_WORD_BEFORE_RE.search(before):
            return True
        return not clock_like and bool(_ALONE_BEFORE_RE.fullmatch(before))

    def numeric_reading(self, a: int, b: int, year: int | None, start: int) -> dt.date | None:
        """Day-first; month-first only when day-first is impossible or a written weekday says so."""
        day_first = self.future(b, a, year)
        month_first = self.future(a, b, year)
        if day_first and month_first and day_first != month_first:
            weekday = _tail(_WEEKDAY_BEFORE_RE, self.s, start)
            if weekday:
                wanted = WEEKDAYS[weekday.group("wd").rstrip(".")]
                if day_first.weekday() != wanted and month_first.weekday() == wanted:
                    return month_first
        return day_first or month_first

    def month_name_dates(self) -> None:
        for m in _YEAR_MONTH_DAY_RE.finditer(self.s):
            month = MONTHS[m.group("mon").rstrip(".")]
            self.add_day(m.start(), m.end(), _valid(int(m.group("y")), month, int(m.group("d"))))
        for m in _MONTH_YEAR_RE.finditer(self.s):
            if self.free(m.start(), m.end()):
                self.add_day(m.start(), m.end(), _valid(int(m.group("y")), int(m.group("m")), 1))
        for pattern in (_DAY_MONTH_RE, _MONTH_DAY_RE):
            for m in pattern.finditer(self.s):
                if not self.free(m.start(), m.end()):
                    continue
                month = MONTHS[m.group("mon").rstrip(".")]
                year = _year(m.group("y"), m.group("era"))
                day = self.future(month, int(m.group("d")), year)
                if day and m.group("d2"):  # a range: its end must exist too ("June 10 - 31" does not)
                    mon2 = m.groupdict().get("mon2")
                    month2 = MONTHS[mon2.rstrip(".")] if mon2 else month
                    if _valid(year or 2000, month2, int(m.group("d2"))) is None:
                        day = None
                self.add_day(m.start(), m.end(), day, year_given=year is not None)

    def nth_weekdays(self) -> None:
        """ "2nd saturday", "first monday of january", "last friday of the month"."""
        for m in _NTH_WEEKDAY_RE.finditer(self.s):
            n, month_name, relative = _NTH[m.group("n")], m.group("mon"), m.group("rel")
            if n == -1 and not (month_name or relative):
                continue  # "last friday" is the previous Friday, read with the weekdays
            target = WEEKDAYS[m.group("wd").rstrip(".")]
            first = self.today.replace(day=1)
            if relative and ("next" in relative or "coming" in relative):
                first = _add_months(first, 1)
            elif month_name:
                first = first.replace(month=MONTHS[month_name.rstrip(".")])
            day = _nth_weekday(first, target, n)
            if day is not None and day < self.today and not relative:
                first = first.replace(year=first.year + 1) if month_name else _add_months(first, 1)
                day = _nth_weekday(first, target, n)
            self.add_day(m.start(), m.end(), day)

    def ordinals(self) -> None:
        """ "on 15th", "15th ko", "5th of next month": a day of this month or the next."""
        for m in _ORDINAL_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            which = m.group("which") or m.group("which_pre")
            rejected = (
                _ORDINAL_NOUN_RE.match(self.s[m.end() :])
                or not (  # "3rd floor", "2nd opinion"
                    which or _tail(_ORDINAL_BEFORE_RE, self.s, m.start()) or _ORDINAL_AFTER_RE.match(self.s[m.end() :])
                )
            )
            if rejected:
                self.blocked = True
                continue
            number = int(m.group("d"))
            first = self.today.replace(day=1)
            months = {"next": [1], "coming": [1], "this": [0]}.get(which, [0, 1, 2])
            day = None
            for offset in months:
                month_start = _add_months(first, offset)
                candidate = _valid(month_start.year, month_start.month, number)
                if candidate and (which or candidate >= self.today):
                    day = candidate
                    break
            self.add_day(m.start(), m.end(), day)

    def month_ends(self) -> None:
        """ "month end", "end of this month", "end of next month": the month's last day."""
        for m in _MONTH_END_RE.finditer(self.s):
            if self.free(m.start(), m.end()):
                first = _add_months(self.today.replace(day=1), 1 if m.group("next") or m.group("next2") else 0)
                self.add_day(m.start(), m.end(), _add_months(first, 1) - dt.timedelta(days=1))

    def month_only(self) -> None:
        """ "in May", "from May to December", or a message that is just "January": the 1st."""
        whole = self.s.strip(" .!?") in _FULL_MONTHS
        for m in _MONTH_ONLY_RE.finditer(self.s):
            if not self.free(m.start(), m.end()) or not (m.group("prep") or m.group("y") or whole):
                continue
            month = MONTHS[m.group("mon").rstrip(".")]
            year = int(m.group("y")) if m.group("y") else None
            if year is not None and m.group("mon2") and MONTHS[m.group("mon2").rstrip(".")] < month:
                year -= 1  # "from December to May 2025": December 2024
            if year is None:
                year = self.today.year if month >= self.today.month else self.today.year + 1
            day = dt.date(year, month, 1)
            if day < self.today and (day.year, day.month) == (self.today.year, self.today.month):
                day = self.today  # "in July", written in July: the rest of this month
            self.add_day(m.start(), m.end(), day)

    # -- weekdays and relative days ----------------------------------------------------------

    def weekdays(self) -> None:
        monday = self.today - dt.timedelta(days=self.today.weekday())
        for m in _WEEKDAY_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            name = m.group("wd").rstrip(".")
            pre, week = m.group("pre"), m.group("wkpre") or m.group("wkpost")
            if m.group("postnext") and not pre:
                pre = "next"  # "monday next"
            if name not in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
                wordlike = name in _WORDLIKE_ABBRS
                after = _WORDLIKE_ABBR_AFTER_RE if wordlike else _WEEKDAY_ABBR_AFTER_RE
                before = _WORDLIKE_ABBR_BEFORE_RE if wordlike else _WEEKDAY_ABBR_BEFORE_RE
                trusted = (
                    pre or week or _tail(before, self.s, m.start()) or after.match(self.s[m.end() :]) or self.s == name
                )
                if not trusted or (name == "mon" and _tail(_AFTER_NUMBER_RE, self.s, m.start())):
                    continue
            target = WEEKDAYS[name]
            ahead = (target - self.today.weekday()) % 7
            roll, bare = False, None
            if week:
                shift = {"next": 7, "coming": 7, "this": 0, "last": -7}[week]
                day = monday + dt.timedelta(days=shift + target)
            elif pre in ("next", "following"):
                day = monday + dt.timedelta(days=7 + target)  # the named day of next week
            elif pre and pre.startswith("next"):
                day = monday + dt.timedelta(days=14 + target)  # "next to next monday"
            elif pre in ("last", "past", "previous"):
                day = self.today - dt.timedelta(days=ahead and 7 - ahead or 7)
            elif pre in ("coming", "upcoming", "this coming"):
                day = self.today + dt.timedelta(days=ahead or 7)
            else:  # "friday", "this friday", "on friday": the next one, today included
                day = self.today + dt.timedelta(days=ahead)
                roll, bare = True, None if pre else target
            if m.group("afternext"):
                day += dt.timedelta(days=7)
            self.add_day(m.start(), m.end(), day, roll=roll, weekday=bare)
        for m in _WEEKEND_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            pre = m.group("pre")
            if pre == "next":
                day = monday + dt.timedelta(days=12)
            elif pre == "last":
                day = monday - dt.timedelta(days=2)
            else:
                day = self.today if self.today.weekday() >= 5 else monday + dt.timedelta(days=5)
            self.add_day(m.start(), m.end(), day)
        for m in _NEXT_WEEKDAY_RE.finditer(self.s):
            day = self.today + dt.timedelta(days=1)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            self.add_day(m.start(), m.end(), day)

    def relative_phrases(self) -> None:
        for m in _RELATIVE_PHRASE_RE.finditer(self.s):
            if not self.free(m.start(), m.end()) or _tail(_AFTER_NUMBER_RE, self.s, m.start()):
                continue  # "2 day after tomorrow" is a duration from tomorrow
            offset = 2 if m.group("dir").startswith("after") else -2
            self.add_day(m.start(), m.end(), self.today + dt.timedelta(days=offset))

    def relative_words(self) -> None:
        for m in _RELATIVE_WORD_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            word = m.group("w")
            if word == "right now":
                self.add_day(m.start(), m.end(), self.today, exact=self.now, now_word=True)
                continue
            offset = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word]
            self.add_day(m.start(), m.end(), self.today + dt.timedelta(days=offset))

    # -- durations ---------------------------------------------------------------------------

    def durations_found(self) -> None:
        for m in _DUR_PRE_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            months, seconds, below_day = _measure(m.group("dur"))
            pre, sign = m.group("pre"), m.group("sign")
            self.take(m.start(), m.end())
            if pre in ("since", "during") or pre == "for" and not below_day or _too_far(months, seconds):
                self.blocked = True  # "fever since 3 days", "for 5 days": how long, not when
                continue
            if sign == "-":
                months, seconds = -months, -seconds
            self.durations.append(_Dur(m.start(), m.end(), months, seconds, below_day, plus=bool(sign)))
        for m in _DUR_POST_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            months, seconds, below_day = _measure(m.group("dur"))
            post = m.group("post")
            self.take(m.start(), m.end())
            if _too_far(months, seconds):
                self.blocked = True
                continue
            anchor = post if post in ("after", "before", "from") else None
            if post in ("ago", "before now", "before", "earlier", "back"):
                months, seconds = -months, -seconds
            relative = post in ("later", "after", "earlier", "before", "back")
            self.durations.append(
                _Dur(m.start(), m.end(), months, seconds, below_day, anchor=anchor, relative=relative)
            )
        for m in _NEXT_UNIT_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            pre, unit = m.group("pre"), m.group("unit")
            months, seconds, below_day = UNITS[unit]
            if pre == "this":
                self.add_day(m.start(), m.end(), self.today)  # "this week": from today
                continue
            if pre in ("last", "past", "previous"):
                months, seconds = -months, -seconds
            self.take(m.start(), m.end())
            self.durations.append(_Dur(m.start(), m.end(), months, seconds, below_day, next_unit=True))
        for m in _THE_UNIT_RE.finditer(self.s):
            if not self.free(m.start(), m.end()):
                continue
            months, seconds, below_day = UNITS[m.group("unit")]
            if m.group("dir") == "before":
                months, seconds = -months, -seconds
            self.take(m.start(), m.end())
            self.durations.append(_Dur(m.start(), m.end(), months, seconds, below_day))
        for m in _DUR_BARE_RE.finditer(self.s):
            if self.free(m.start(), m.end()):
                self.blocked = True  # "5 days", "a few hours": a length of time, not a moment

    def anchor_durations(self) -> None:
        """ "2 days after next Friday", "next tuesday +10 days", or from now when nothing is next to it."""
        for dur in self.durations:
            base = None
            if dur.anchor:
                gap = _ANCHOR_GAP_RE.match(self.s, dur.end).end()
                base = next((d for d in self.days if d.start == gap and d.exact is None), None)
            elif dur.plus:
                base = next(
                    (d for d in self.days if d.end <= dur.start and not self.s[d.end : dur.start].strip()), None
                )
            if base is not None:
                self.days.remove(base)
                moved = _add_months(base.day, dur.months) + dt.timedelta(days=int(dur.seconds // 86400))
                self.days.append(_Day(min(base.start, dur.start), max(base.end, dur.end), moved))
                continue
            if dur.next_unit and self.same_time and self.about is not None and not dur.below_day:
                moved = _add_months(self.about.date(), dur.months) + dt.timedelta(days=int(dur.seconds // 86400))
                self.days.append(_Day(dur.start, dur.end, moved))  # "same time next week": a week on
                continue
            if dur.relative and self.about is not None:  # "an hour later" than the time discussed
                moment = _add_months_datetime(self.about, dur.months) + dt.timedelta(seconds=dur.seconds)
                exact = moment if dur.below_day or dur.seconds % 86400 else None
                self.days.append(_Day(dur.start, dur.end, moment.date(), exact=exact, from_about=True))
                continue
            if dur.below_day or dur.seconds % 86400:
                shifted = _add_months_datetime(self.now.replace(tzinfo=self.zone), dur.months)
                moment = shifted.astimezone(dt.UTC) + dt.timedelta(seconds=dur.seconds)
                local = moment.astimezone(self.zone).replace(tzinfo=None)
                self.days.append(_Day(dur.start, dur.end, local.date(), exact=local))
            else:
                moved = _add_months(self.today, dur.months) + dt.timedelta(days=int(dur.seconds // 86400))
                self.days.append(_Day(dur.start, dur.end, moved))

    # -- times of day ------------------------------------------------------------------------

    def clock_times(self, parts) -> None:
        s = self.s
        day_ends = {d.end for d in self.days}
        for m in _T_PAST_RE.finditer(s):
            hour = _hour_number(m.group("h"))
            minute = 30 if m.group("q") == "half" else 15
            if m.group("rel") == "to":
                hour, minute = (hour - 1) % 12 or 12, 60 - minute
            self.add_time(m, hour, minute, m.group("mer"))
        for m in _T_SPACED_RE.finditer(s):  # "7 15 pm", "11 30 am", "kal 5 30"
            if (
                not self.free(m.start(), m.end())
                or not m.group("mer")
                and (int(m.group("m")) % 5 or not self.time_context(m.start(), m.end(), day_ends, compact=True))
            ):
                continue
            self.add_time(m, int(m.group("h")), int(m.group("m")), _meridiem(m.group("mer")))
        for m in _T_COMPACT_RE.finditer(s):  # "715pm", "1130", "kal 1030"
            if not self.free(m.start(), m.end()):
                continue
            mer, hours_word = m.group("mer"), m.group("word")
            if not (mer or hours_word or self.time_context(m.start(), m.end(), day_ends, compact=True)):
                continue
            if not mer and not hours_word and (int(m.group("m")) % 5 or 1900 <= int(m.group(0)[:4]) <= 2199):
                continue  # "fever 101", a year: not 01:01 or 19:26
            hour = int(m.group("h"))
            fixed = not mer and (hour >= 13 or hour == 0 or m.group("h").startswith("0"))
            self.add_time(m, hour, int(m.group("m")), mer, fixed=fixed)
        for m in _T_COLON_RE.finditer(s):
            if (
                not self.free(m.start(), m.end())
                or s[m.start() - 1 : m.start()] == ":"
                and not _YEAR_COLON_RE.search(s, 0, m.start())
            ):
                continue  # the "00:09" of "11:00:09"; but "05/31/2024:14:15" is a date, then a time
            hour, mer = int(m.group("h")), m.group("mer")
            fixed = not mer and (hour >= 13 or hour == 0 or m.group("h").startswith("0"))
            self.add_time(m, hour, int(m.group("m")), mer, fixed=fixed)
        for m in _T_MERIDIEM_RE.finditer(s):
            if self.free(m.start(), m.end()):
                self.add_time(m, int(m.group("h")), int(m.group("m") or 0), m.group("mer"))
        for m in _T_NAMED_RE.finditer(s):
            if self.free(m.start(), m.end()):
                self.add_time(m, 0 if m.group("w") == "midnight" else 12, 0, None, fixed=True)
        for m in _T_OCLOCK_RE.finditer(s):
            if self.free(m.start(), m.end()):
                self.add_time(m, _hour_number(m.group("h")), 0, None)
        for m in _T_DOT_RE.finditer(s):  # "10.30" only where a time is expected
            if self.free(m.start(), m.end()) and self.time_context(m.start(), m.end(), day_ends, compact=True):
                self.add_time(m, int(m.group("h")), int(m.group("m")), None)
        for m in _T_BARE_RE.finditer(s):  # "at 3", "shaam 5", "tomorrow 3"
            if self.free(m.start(), m.end()) and self.time_context(m.start(), m.end(), day_ends):
                self.add_time(m, int(m.group("h")), 0, None)
        self.ranges(parts[0][1] if parts else None)

    def time_context(self, start: int, end: int, day_ends, compact: bool = False) -> bool:
        """Whether a plain number is a clock time: "at 3", "shaam 5", "tomorrow 3", and a message
        that is only the number and a hedge ("is 3 ok?", "4 chalega?", "maybe 2", "11 or 12").
        A number alone ("11") is not a time (chrono agrees), a time-shaped one alone ("1130") is."""
        before, after = self.s[:start], self.s[end:]
        if _tail(_MARKER_BEFORE_RE, self.s, start) or _PART_AFTER_RE.match(after) or _MARKER_AFTER_RE.match(after):
            return True  # "at 3", "shaam 5", "5 in the evening", "11 la", "5 tak"
        if _ALONE_BEFORE_RE.fullmatch(before) and (
            _HEDGE_AFTER_RE.match(after)
            or not after.strip(" ?.!,")
            and (compact or _HEDGE_BEFORE_RE.search(before) or "?" in after)
        ):
            return True
        stripped = before.rstrip(" ,")
        return len(stripped) in day_ends and len(stripped) < start

    def add_time(self, m, hour: int, minute: int, mer: str | None, fixed: bool = False) -> None:
        self.take(m.start(), m.end())
        if hour > 23 or (mer and not 1 <= hour <= 12):
            self.blocked = True  # "25:12", "14pm"
            return
        self.times.append(_Time(m.start(), m.end(), hour, minute, mer, fixed or (hour >= 13 and not mer)))

    def ranges(self, part: str | None) -> None:
        """ "3:30-4:30pm", "8 - 11pm", "10 - 11 at night": the start borrows the end's am/pm."""
        for end_time in list(self.times):
            head = _tail(_RANGE_HEAD_RE, self.s, end_time.start)
            if head and int(head.group("h")) <= 23 and self.free(head.start(), head.end()):
                number_end = head.end("m") if head.group("m") else head.end("h")
                self.take(head.start(), number_end)
                self.times.append(_Time(head.start(), number_end, int(head.group("h")), int(head.group("m") or 0)))
        ordered = sorted(self.times, key=lambda t: t.start)
        for first, second in zip(ordered, ordered[1:], strict=False):
            if first.meridiem or first.fixed or not _RANGE_GAP_RE.match(self.s[first.end : second.start]):
                continue
            end_part = self.part_after(second)
            if not (second.meridiem or second.fixed or end_part):
                continue
            end = _resolve(second, end_part or part, self.open_hours)
            end_minutes = end.hour * 60 + end.minute
            readings = [first.hour % 12, first.hour % 12 + 12]
            fitting = [h for h in readings if h * 60 + first.minute <= end_minutes]
            first.hour = max(fitting) if fitting else min(readings)
            first.fixed = True

    def part_after(self, clock: _Time) -> str | None:
        found = _PART_AFTER_RE.match(self.s[clock.end :])
        return found.group(0).split()[-1] if found else None

    def resolve(self, clock: _Time, part: str | None) -> dt.time:
        return _resolve(clock, part, self.open_hours)


def _tail(pattern: re.Pattern, s: str, end: int) -> re.Match | None:
    """`pattern` (anchored at its end with `$`) searched only in the 64 characters before `end`:
    every such pattern matches a few words, and searching from 0 made each call cost the whole text."""
    return pattern.search(s, max(0, end - 64), end)


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


# --------------------------------------------------------------------------------------------
# dateparser, the fallback
# --------------------------------------------------------------------------------------------


# The one configuration of dateparser in the project. Day-first and forward like the rules above;
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
