"""The short unit table of booking.dates: the reference moment, how an answer is written, the clinic
phrases and the messages that name no time. Read by the test_date_* modules and by bench/dates.py.

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules). Expected
answers are written the way `manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment,
"YYYY-MM-DD" for a day, plus the part of day.
"""

import datetime as dt
import zoneinfo

from booking.dates import When, parse_when

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=IST)  # Monday


def meaning(when: When | None) -> tuple[str, str | None] | None:
    if when is None:
        return None
    if when.time is None:
        return when.day.isoformat(), when.part_of_day
    return f"{when.day.isoformat()}T{when.time:%H:%M}", when.part_of_day


def read(text: str, now: dt.datetime = NOW, **kwargs) -> tuple[str, str | None] | None:
    return meaning(parse_when(text, now=now, **kwargs))


# (what the patient typed, start, part of day), read on Monday 7 December 2026 at 10:00.
CLINIC_PHRASES = [
    # relative days, English
    ("today", "2026-12-07", None),
    ("tomorrow", "2026-12-08", None),
    ("day after tomorrow", "2026-12-09", None),
    ("in 3 days", "2026-12-10", None),
    ("after 2 days", "2026-12-09", None),
    ("in a week", "2026-12-14", None),
    ("next week", "2026-12-14", None),
    ("next monday", "2026-12-14", None),
    ("next monday morning", "2026-12-14", "morning"),
    ("this friday", "2026-12-11", None),
    ("coming saturday", "2026-12-12", None),
    ("on saturday", "2026-12-12", None),
    ("sunday", "2026-12-13", None),
    ("next week tuesday", "2026-12-15", None),
    ("tuesday next week", "2026-12-15", None),
    ("friday after next", "2026-12-18", None),
    ("next to next monday", "2026-12-21", None),
    ("2nd saturday", "2026-12-12", None),
    ("tomorrow evening", "2026-12-08", "evening"),
    ("tomorrow afternoon", "2026-12-08", "afternoon"),
    ("this evening", "2026-12-07", "evening"),
    ("tonight", "2026-12-07", "evening"),
    ("tonight 8pm", "2026-12-07T20:00", None),
    ("in 2 hours", "2026-12-07T12:00", None),
    ("in 30 mins", "2026-12-07T10:30", None),
    # written dates, day first
    ("15/02", "2027-02-15", None),
    ("15/02 at 11", "2027-02-15T11:00", None),
    ("15-2-2027", "2027-02-15", None),
    ("15th feb", "2027-02-15", None),
    ("feb 15", "2027-02-15", None),
    ("15/12 11am", "2026-12-15T11:00", None),
    ("3/1", "2027-01-03", None),
    ("8/12", "2026-12-08", None),
    ("25.12.2026", "2026-12-25", None),
    ("I want appointment on 23rd dec at 4:30 pm", "2026-12-23T16:30", None),
    ("I want appointment on 3rd dec at 4:30 pm", "2027-12-03T16:30", None),
    ("on 20th", "2026-12-20", None),
    ("20th at 5pm", "2026-12-20T17:00", None),
    ("5th of next month", "2027-01-05", None),
    ("2nd jan", "2027-01-02", None),
    ("jan 2nd 2027 10am", "2027-01-02T10:00", None),
    ("31st december evening", "2026-12-31", "evening"),
    ("twentieth of december", "2026-12-20", None),
    # times of day
    ("3pm", "2026-12-07T15:00", None),
    ("15:00", "2026-12-07T15:00", None),
    ("3:30", "2026-12-07T15:30", None),
    ("noon", "2026-12-07T12:00", None),
    ("half past 4", "2026-12-07T16:30", None),
    ("quarter to 5", "2026-12-07T16:45", None),
    ("quarter past 11", "2026-12-07T11:15", None),
    ("10 o'clock", "2026-12-07T10:00", None),
    ("at 3", "2026-12-07T15:00", None),
    ("at 9", "2026-12-08T09:00", None),  # 09:00 has passed at 10:00: tomorrow's
    ("tomorrow at 3", "2026-12-08T15:00", None),
    ("4.30 pm", "2026-12-07T16:30", None),
    ("tomorrow 10.30", "2026-12-08T10:30", None),
    ("evening 7:30", "2026-12-07T19:30", None),
    ("12 noon tomorrow", "2026-12-08T12:00", None),
    ("morning", "2026-12-07", "morning"),
    ("afternoon", "2026-12-07", "afternoon"),
    # messy sentences
    ("can i come tmrw evening around 6?", "2026-12-08T18:00", None),
    ("Is doctor available on Saturday morning?", "2026-12-12", "morning"),
    ("I'll come around 11 tomorrow", "2026-12-08T11:00", None),
    ("can I get an appointment for tomorrow between 4 and 5", "2026-12-08T16:00", None),
    ("Please book me for Friday 6pm", "2026-12-11T18:00", None),
    ("wednesday or thursday is fine", "2026-12-09", None),
    ("is 4-5 pm ok", "2026-12-07T16:00", None),
    ("Can I come at 7:30 p.m. on 9th?", "2026-12-09T19:30", None),
    # typos
    ("tommorow 11am", "2026-12-08T11:00", None),
    ("tomorow morning", "2026-12-08", "morning"),
    ("nxt monday", "2026-12-14", None),
    ("2moro evng", "2026-12-08", "evening"),
    ("tmrw mrng 9", "2026-12-08T09:00", None),
    ("tom 9am", "2026-12-08T09:00", None),
    ("wensday 5pm", "2026-12-09T17:00", None),
    ("thrusday", "2026-12-10", None),
    ("15 febuary", "2027-02-15", None),
    # Hinglish
    ("aaj shaam 6 baje", "2026-12-07T18:00", None),
    ("kal", "2026-12-08", None),
    ("kal shaam 5 baje", "2026-12-08T17:00", None),
    ("kal subah 10 baje", "2026-12-08T10:00", None),
    ("kal subah 9:30 baje", "2026-12-08T09:30", None),
    ("kal dopahar 2 baje", "2026-12-08T14:00", None),
    ("parso", "2026-12-09", None),
    ("parso shaam saadhe 5", "2026-12-09T17:30", None),
    ("somvar ko 11 baje", "2026-12-07T11:00", None),
    ("mangalvar ko 4 baje", "2026-12-08T16:00", None),
    ("budhvar subah 11 baje", "2026-12-09T11:00", None),
    ("shukravar shaam", "2026-12-11", "evening"),
    ("ravivar", "2026-12-13", None),
    ("agle somvar", "2026-12-14", None),
    ("agle hafte mangalvar", "2026-12-15", None),
    ("raat 8 baje", "2026-12-07T20:00", None),
    ("subah 10", "2026-12-07T10:00", None),
    ("shaam 5", "2026-12-07T17:00", None),
    ("dopahar 2", "2026-12-07T14:00", None),
    ("saadhe 5", "2026-12-07T17:30", None),
    ("sawa 5", "2026-12-07T17:15", None),
    ("paune 5", "2026-12-07T16:45", None),
    ("dedh baje", "2026-12-07T13:30", None),
    ("dhai baje", "2026-12-07T14:30", None),
    ("2 din baad", "2026-12-09", None),
    ("ek hafte baad", "2026-12-14", None),
    ("mujhe kal 5 baje aana hai", "2026-12-08T17:00", None),
    ("abhi aa sakta hu?", "2026-12-07T10:00", None),
    ("agle mahine", "2027-01-07", None),
    ("kal nahi parso", "2026-12-09", None),
    # a day ruled out, a weekday written beside its date
    ("not tomorrow, friday", "2026-12-11", None),
    ("Tuesday the 15th", "2026-12-15", None),
    ("first saturday of next month", "2027-01-02", None),
]

# Messages that name no time: a booking must not be read into them.
NEGATIVES = [
    "hi",
    "hello doctor",
    "ok",
    "ok thanks",
    "thank you",
    "dr sharma",
    "what are the fees",
    "how much is the consultation",
    "where is the clinic",
    "2 tablets daily",
    "take 1 tablet after food",
    "take 1/2 tablet at night",
    "1 tablet morning and night",
    "my number is 9876543210",
    "call me on 9876543210",
    "500 rs?",
    "₹500",
    "I have fever since 3 days",
    "3-4 days se bukhar hai",
    "fever 101 at night",
    "for 5 days",
    "I am 35 years old",
    "bp 120/80",
    "weight 65 kg",
    "room no 5",
    "good morning doctor",
    "good evening sir",
    "2nd opinion",
    "I'm on the 3rd floor",
    "tom and jerry",
    "too much sun",
]


ABOUT = dt.datetime(2026, 12, 11, 17, 0, tzinfo=IST)  # the Friday 17:00 under discussion
