"""booking.dates: what moment a patient means, at frozen reference times.

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as test_slots), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day.
"""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import booking.dates
from booking.dates import DEFAULT_OPEN_HOURS, PARTS_OF_DAY, When, parse_when

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


def test_the_clinic_table_is_large_enough():
    assert len(CLINIC_PHRASES) >= 80
    assert len({text for text, _, _ in CLINIC_PHRASES}) == len(CLINIC_PHRASES)


@pytest.mark.parametrize(("text", "start", "part"), CLINIC_PHRASES)
def test_clinic_phrase(text, start, part):
    assert read(text) == (start, part)


@pytest.mark.parametrize("text", NEGATIVES)
def test_message_without_a_time_finds_nothing(text):
    assert read(text) is None


def test_common_messages_never_reach_dateparser(monkeypatch):
    """The speed promise: everything a patient usually writes is read without dateparser."""

    def refuse(*args):
        raise AssertionError("dateparser was asked")

    monkeypatch.setattr(booking.dates, "_fallback", refuse)
    for text, start, part in CLINIC_PHRASES:
        assert read(text) == (start, part), text
    for text in NEGATIVES:
        assert read(text) is None, text


@pytest.mark.parametrize(
    ("text", "open_hours", "start"),
    [
        ("at 3", (dt.time(9), dt.time(18)), "2026-12-07T15:00"),
        ("at 9", (dt.time(9), dt.time(18)), "2026-12-08T09:00"),  # past at 10:00: tomorrow's
        ("at 12", (dt.time(9), dt.time(18)), "2026-12-07T12:00"),
        ("at 8", (dt.time(9), dt.time(18)), "2026-12-08T08:00"),  # an hour before opening beats 20:00
        ("at 7", (dt.time(9), dt.time(18)), "2026-12-07T19:00"),  # an hour after closing beats 07:00
        ("at 9", (dt.time(17), dt.time(21)), "2026-12-07T21:00"),  # an evening clinic
        ("at 6", (dt.time(17), dt.time(21)), "2026-12-07T18:00"),
        ("at 7", (dt.time(6), dt.time(11)), "2026-12-08T07:00"),  # a morning clinic
        ("tomorrow 4:30", (dt.time(9), dt.time(18)), "2026-12-08T16:30"),
        ("at 3 pm", (dt.time(6), dt.time(11)), "2026-12-07T15:00"),  # am/pm written: opening hours do not matter
        ("shaam 5", (dt.time(6), dt.time(11)), "2026-12-07T17:00"),  # a part of day decides before opening hours
    ],
)
def test_bare_hour_is_read_into_opening_hours(text, open_hours, start):
    assert read(text, open_hours=open_hours) == (start, None)


def test_default_opening_hours_are_nine_to_six():
    assert DEFAULT_OPEN_HOURS == (dt.time(9), dt.time(18))
    assert read("at 3", open_hours=None) == read("at 3", open_hours=(dt.time(9), dt.time(18)))


def test_a_time_with_no_day_is_today_while_ahead_and_tomorrow_once_past():
    late = NOW.replace(hour=16)
    assert parse_when("11am", now=late) == When(dt.date(2026, 12, 8), dt.time(11), day_given=False)
    assert parse_when("5pm", now=late) == When(dt.date(2026, 12, 7), dt.time(17), day_given=False)
    assert parse_when("4pm", now=late) == When(dt.date(2026, 12, 7), dt.time(16), day_given=False)  # not past yet
    assert parse_when("morning", now=late) == When(dt.date(2026, 12, 8), None, "morning", day_given=False)
    assert parse_when("evening", now=late) == When(dt.date(2026, 12, 7), None, "evening", day_given=False)


def test_a_named_day_keeps_a_past_time_for_the_caller_to_refuse():
    late = NOW.replace(hour=16)
    assert parse_when("today 9am", now=late) == When(dt.date(2026, 12, 7), dt.time(9))
    assert parse_when("aaj subah", now=late) == When(dt.date(2026, 12, 7), None, "morning")


def test_a_part_of_day_said_after_it_ended_is_tomorrows():
    assert read("evening", NOW.replace(hour=22)) == ("2026-12-08", "evening")
    assert read("shaam ko", NOW.replace(hour=21, minute=59)) == ("2026-12-07", "evening")
    assert read("afternoon", NOW.replace(hour=17)) == ("2026-12-08", "afternoon")
    assert read("raat 11 baje", NOW.replace(hour=22)) == ("2026-12-07T23:00", None)  # still ahead


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("10:30", False), ("6pm", False), ("evening", False), ("5:15 wala", False), ("ok 12:30 is fine", False),
        ("10:30 theek hai", False), ("shaam 5 baje", False), ("at 3", False), ("midnight", False),
        ("tomorrow 10:30", True), ("friday", True), ("this evening", True), ("tonight", True), ("15/12", True),
        ("in 2 hours", True), ("kal shaam", True), ("right now", True),
    ],
)  # fmt: skip
def test_day_given_says_whether_the_message_named_a_day(text, given):
    assert parse_when(text, now=NOW).day_given is given


def test_weekday_naming_today_means_next_week_once_the_time_named_is_over():
    evening = NOW.replace(hour=20)  # Monday 20:00
    assert read("monday 9am", evening) == ("2026-12-14T09:00", None)
    assert read("monday morning", evening) == ("2026-12-14", "morning")
    assert read("monday 9pm", evening) == ("2026-12-07T21:00", None)
    assert read("monday", evening) == ("2026-12-07", None)  # a day alone: today still counts


def test_date_already_past_this_year_means_next_year_unless_the_year_is_written():
    assert read("15/02") == ("2027-02-15", None)
    assert read("1 dec") == ("2027-12-01", None)
    assert read("7 dec") == ("2026-12-07", None)  # today is not past
    assert read("15/02/2020") == ("2020-02-15", None)  # written: the caller says it is past
    assert read("29/02") == ("2028-02-29", None)  # the next 29 February


def test_day_first_unless_impossible_or_a_written_weekday_says_otherwise():
    assert read("3/4/2027") == ("2027-04-03", None)  # 3 April
    assert read("5/31/2027") == ("2027-05-31", None)  # 31 can only be the day
    assert read("Tuesday 12/7/2027") == ("2027-12-07", None)  # 12 July 2027 is a Monday, 7 Dec a Tuesday
    assert read("Monday 12/7/2027") == ("2027-07-12", None)
    assert read("31/4") is None  # neither reading exists
    assert read("February 29, 2027") is None


def test_now_is_read_in_the_doctors_timezone():
    utc_evening = dt.datetime(2026, 12, 7, 20, 0, tzinfo=dt.UTC)  # already 01:30 on the 8th in India
    assert read("today", utc_evening) == ("2026-12-08", None)
    assert read("tomorrow", utc_evening) == ("2026-12-09", None)
    assert read("in 1 hour", utc_evening) == ("2026-12-08T02:30", None)
    assert read("today", utc_evening, tz="Europe/London") == ("2026-12-07", None)
    assert read("today", utc_evening, tz=zoneinfo.ZoneInfo("Asia/Dubai")) == ("2026-12-08", None)


def test_a_naive_now_is_taken_as_local_time_in_the_timezone():
    assert read("in 2 hours", NOW.replace(tzinfo=None)) == read("in 2 hours", NOW)


def test_durations_below_a_day_are_moments_and_cross_midnight():
    late = NOW.replace(hour=23, minute=30)
    assert read("in 2 hours", late) == ("2026-12-08T01:30", None)
    assert read("in half an hour", late) == ("2026-12-08T00:00", None)
    assert read("in 1.5 hours") == ("2026-12-07T11:30", None)
    assert read("2 din baad") == ("2026-12-09", None)  # days stay days: no clock time invented


@pytest.mark.parametrize(
    "text", ["in 99999 years", "+9999999999 hours", "after 99999999999999999999 minutes", "in 300 years"]
)
def test_durations_beyond_a_century_find_nothing(text):
    assert read(text) is None


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10**30),
    st.sampled_from(["minutes", "hours", "days", "weeks", "months", "years"]),
    st.sampled_from(["in {n} {unit}", "{n} {unit} ago", "+{n} {unit}", "{n} {unit} after tomorrow"]),
)
def test_any_duration_is_read_or_refused_without_raising(number, unit, template):
    when = parse_when(template.format(n=number, unit=unit), now=NOW)
    assert when is None or isinstance(when.day, dt.date)


def test_midnight_without_a_day_is_the_one_ending_today():
    assert read("midnight") == ("2026-12-08T00:00", None)
    assert read("at midnight on 12th december") == ("2026-12-12T00:00", None)


def test_past_phrases_mean_the_past_for_the_caller_to_refuse():
    assert read("yesterday") == ("2026-12-06", None)
    assert read("3 days ago") == ("2026-12-04", None)
    assert read("last friday") == ("2026-12-04", None)


def test_a_past_week_month_or_minus_duration_is_not_read_before_the_day_asked_for():
    """Only chrono's past cases wanted "last week" and "-2 days" as moments (docs/dates.md, Dropped)."""
    assert read("came last week, can I come tomorrow?") == ("2026-12-08", None)
    assert read("last year same problem, tomorrow 5pm?") == ("2026-12-08T17:00", None)
    assert read("is friday the last day?") == ("2026-12-11", None)
    assert read("last month") is None
    assert read("cough -2 days") is None
    assert read("+2 days") == ("2026-12-09", None)


def test_start_is_an_aware_moment_in_the_timezone_only_when_a_time_is_known():
    when = parse_when("tomorrow 5pm", now=NOW)
    assert when.start("Asia/Kolkata") == dt.datetime(2026, 12, 8, 17, 0, tzinfo=IST)
    assert when.start(IST).astimezone(dt.UTC) == dt.datetime(2026, 12, 8, 11, 30, tzinfo=dt.UTC)
    assert parse_when("tomorrow evening", now=NOW).start(IST) is None


def test_when_refuses_a_part_of_day_it_cannot_have():
    with pytest.raises(ValueError):
        When(dt.date(2026, 12, 8), dt.time(17), "evening")
    with pytest.raises(ValueError):
        When(dt.date(2026, 12, 8), None, "night")
    assert When(dt.date(2026, 12, 8), None, "evening").start(IST) is None


def test_parts_of_day_are_three_consecutive_ranges():
    assert list(PARTS_OF_DAY) == ["morning", "afternoon", "evening"]
    assert PARTS_OF_DAY["morning"] == (dt.time(6), dt.time(12))
    assert PARTS_OF_DAY["morning"][1] == PARTS_OF_DAY["afternoon"][0]
    assert PARTS_OF_DAY["afternoon"][1] == PARTS_OF_DAY["evening"][0]


def test_night_is_read_as_evening_and_its_hours_as_night_hours():
    assert read("raat") == ("2026-12-07", "evening")
    assert read("raat 11 baje") == ("2026-12-07T23:00", None)
    assert read("1 at night") == ("2026-12-08T01:00", None)  # 01:00 has passed at 10:00


def test_dateparser_reads_a_form_the_fast_rules_do_not():
    calls = []
    real = booking.dates._fallback

    def spy(*args):
        calls.append(args[0])
        return real(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(booking.dates, "_fallback", spy)
        assert read("dec-20") == ("2026-12-20", None)
    assert calls == ["dec-20"]


class _FakeDateData:
    def __init__(self, date_obj, period):
        self.date_obj, self.period = date_obj, period


class _FakeParser:
    def __init__(self, answer):
        self.answer = answer

    def get_date_data(self, text):
        return self.answer


@pytest.mark.parametrize(
    "answer",
    [
        _FakeDateData(dt.datetime(2026, 12, 5), "day"),  # "at 5" read as the 5th, already past
        _FakeDateData(dt.datetime(2027, 3, 1), "month"),  # "mar" read as March
        _FakeDateData(dt.datetime(2027, 1, 1), "year"),
        _FakeDateData(None, "day"),
    ],
)
def test_dateparser_answers_that_make_no_sense_are_dropped(monkeypatch, answer):
    monkeypatch.setattr(booking.dates.fallback, "_dateparser_parser", lambda now: _FakeParser(answer))
    assert read("next fortnightly camp") is None


def test_dateparser_answers_that_make_sense_are_kept(monkeypatch):
    answer = _FakeDateData(dt.datetime(2026, 12, 20, 17, 0), "time")
    monkeypatch.setattr(booking.dates.fallback, "_dateparser_parser", lambda now: _FakeParser(answer))
    assert read("next fortnightly camp") == ("2026-12-20T17:00", None)


def test_dateparser_is_configured_day_first_and_forward():
    parser = booking.dates.fallback._dateparser_parser(NOW.replace(tzinfo=None))
    assert parser._settings.DATE_ORDER == "DMY"
    assert parser._settings.PREFER_DATES_FROM == "future"
    assert parser.get_date_data("3/4").date_obj.date() == dt.date(2027, 4, 3)


def test_text_without_any_date_word_never_reaches_dateparser(monkeypatch):
    monkeypatch.setattr(booking.dates.fallback, "_dateparser_parser", lambda now: pytest.fail("dateparser was asked"))
    for text in ("hi", "what are the fees", "ok thanks", "2 tablets daily", "doctor kab available hai"):
        assert read(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_a_well_formed_answer_or_nothing(text):
    when = parse_when(text, now=NOW)
    if when is not None:
        assert isinstance(when.day, dt.date)
        assert when.part_of_day in (None, *PARTS_OF_DAY)
        assert when.time is None or when.part_of_day is None


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2026, 12, 8), max_value=dt.date(2027, 12, 6)))
def test_any_coming_date_written_day_first_is_read_back(day):
    assert read(f"{day.day}/{day.month}") == (day.isoformat(), None)
    assert read(f"{day.day:02d}-{day.month:02d}-{day.year}") == (day.isoformat(), None)
    assert read(f"{day.day} {day:%B} at 11am") == (f"{day.isoformat()}T11:00", None)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.sampled_from(["am", "pm"]), st.sampled_from([0, 15, 30, 45]))
def test_any_written_clock_time_is_read_back(hour, meridiem, minute):
    expected = dt.time(hour % 12 + (12 if meridiem == "pm" else 0), minute)
    assert read(f"tomorrow {hour}:{minute:02d} {meridiem}") == (f"2026-12-08T{expected:%H:%M}", None)


ABOUT = dt.datetime(2026, 12, 11, 17, 0, tzinfo=IST)  # the Friday 17:00 under discussion


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("same time", When(dt.date(2026, 12, 11), dt.time(17), day_given=False)),
        ("usi time", When(dt.date(2026, 12, 11), dt.time(17), day_given=False)),
        ("wahi time chalega", When(dt.date(2026, 12, 11), dt.time(17), day_given=False)),
        ("same time on wednesday", When(dt.date(2026, 12, 9), dt.time(17))),
        ("same time on monday", When(dt.date(2026, 12, 7), dt.time(17))),  # today is Monday, 17:00 still ahead
        ("same time tomorrow", When(dt.date(2026, 12, 8), dt.time(17))),
        ("kal usi time", When(dt.date(2026, 12, 8), dt.time(17))),
        ("same day 11am", When(dt.date(2026, 12, 11), dt.time(11))),
        ("one hour later", When(dt.date(2026, 12, 11), dt.time(18), day_given=False)),
        ("an hour later", When(dt.date(2026, 12, 11), dt.time(18), day_given=False)),
        ("ek ghante baad", When(dt.date(2026, 12, 11), dt.time(18), day_given=False)),
        ("half an hour earlier", When(dt.date(2026, 12, 11), dt.time(16, 30), day_given=False)),
        ("30 min pehle", When(dt.date(2026, 12, 11), dt.time(16, 30), day_given=False)),
        ("thoda pehle", When(dt.date(2026, 12, 11), dt.time(16), day_given=False)),
        ("earlier", When(dt.date(2026, 12, 11), dt.time(16), day_given=False)),
        ("can it be a bit later?", When(dt.date(2026, 12, 11), dt.time(18), day_given=False)),
        ("later", When(dt.date(2026, 12, 11), dt.time(18), day_given=False)),
        ("2 days later", When(dt.date(2026, 12, 13), day_given=False)),
        ("6pm", When(dt.date(2026, 12, 7), dt.time(18), day_given=False)),  # a clock time wins over about
        ("in 2 hours", When(dt.date(2026, 12, 7), dt.time(12))),  # "in" counts from now, not from about
    ],
)
def test_words_about_the_moment_under_discussion_are_read_against_it(text, expected):
    assert parse_when(text, now=NOW, about=ABOUT) == expected


@pytest.mark.parametrize("text", ["same time", "usi time", "earlier", "later", "thoda pehle", "a bit later?"])
def test_words_about_a_moment_find_nothing_without_one(text):
    assert parse_when(text, now=NOW) is None


@pytest.mark.parametrize("text", ["I'll call later", "tell them later", "told you before", "I came earlier also"])
def test_later_and_earlier_in_other_talk_are_not_a_time(text):
    assert parse_when(text, now=NOW, about=ABOUT) is None


def test_about_can_be_naive_local_time_and_crosses_midnight():
    late = dt.datetime(2026, 12, 11, 23, 30)
    assert parse_when("an hour later", now=NOW, about=late) == When(
        dt.date(2026, 12, 12), dt.time(0, 30), day_given=False
    )


def test_without_about_a_duration_later_counts_from_now_as_chrono_does():
    assert parse_when("an hour later", now=NOW) == When(dt.date(2026, 12, 7), dt.time(11))


def test_only_a_bounded_prefix_is_read():
    assert booking.dates.MAX_TEXT == 500
    assert read("x" * 600 + " tomorrow 5pm") is None
    assert read("tomorrow 5pm " + "x" * 10_000) == ("2026-12-08T17:00", None)


@pytest.mark.parametrize(
    "text",
    [
        " ".join(
            "tomorrow 5pm kal 10:30 friday 15/12 next monday morning shaam baje 3rd dec in 2 hours".split() * 5000
        ),
        "7" * 10_000,
        " ".join(["kal"] * 5000),
        "1/2/3.4:5-" * 5000,
        "10:30 " * 10_000,
        "in 2 hours and " * 5000,
    ],
    ids=["date-words", "digits", "kal", "punctuated-digits", "times", "durations"],
)
def test_any_long_message_costs_a_few_milliseconds(text):
    import time

    parse_when(text, now=NOW)  # warm
    costs = []
    for _ in range(5):  # the best of five: a busy CI machine delays single runs, not all of them
        start = time.perf_counter()
        parse_when(text, now=NOW, about=ABOUT)
        costs.append(time.perf_counter() - start)
    assert min(costs) < 0.05  # measured at 1-7 ms on a 2-core machine (docs/benchmarks.md)


# Ordinary words one or two letters away from a day, a month or a part of the day.
ORDINARY_WORDS = (
    "sundar sunder sundae sunny sunset someday sometimes money monkey mondal moody mostly monthly freely frankly "
    "fridge fried fries friend tuesdays? thirsty truly saturn satisfied satish wednesbury weekly weirdly "
    "mourning moaning mooring warning evenly events eventual eating afternoons? match marks march? maybe mayur "
    "juice julie julia augment augmentin octane october? novel novice decent decide december? january? jaundice "
    "february? feverish september? septic tomato tomatoes tumour tomorrows? sombar mangal budh guru shukla shani "
    "ravi ravindra sanjay somnath budhiya"
).split()


@pytest.mark.parametrize("word", [w for w in ORDINARY_WORDS if not w.endswith("?")])
def test_an_ordinary_word_near_a_day_or_month_is_not_read_as_one(word):
    assert read(f"{word}") is None
    assert read(f"my name is {word}") is None


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("satruday", "saturday"), ("saturady", "saturday"), ("wendesday", "wednesday"), ("wednessday", "wednesday"),
        ("thurshday", "thursday"), ("firday", "friday"), ("frday", "friday"), ("tuesdya", "tuesday"),
        ("sundey", "sunday"), ("mondey", "monday"), ("tomorroe", "tomorrow"), ("tommorrw", "tomorrow"),
        ("budvar", "budhvar"), ("sukravar", "shukravar"),
    ],
)  # fmt: skip
def test_a_misspelt_day_means_the_day(typo, meant):
    assert read(typo) == read(meant)


def test_devanagari_digits_read_as_digits():
    assert read("५ बजे") == read("5 बजे") == ("2026-12-07T17:00", None)
    assert read("२५/१२") == ("2026-12-25", None)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("24.12", "2026-12-24"), ("9.1", "2027-01-09"), ("on 15.12", "2026-12-15"), ("14.12 ko", "2026-12-14"),
        ("10.12", "2026-12-10"),  # minutes are rarely 12: a date
        ("10.30", "2026-12-07T10:30"), ("4.45", "2026-12-07T16:45"), ("5.10", "2026-12-07T17:10"),
        ("on 5.10", "2027-10-05"),  # "on" makes it a date
    ],
)  # fmt: skip
def test_a_dotted_pair_is_a_date_or_a_time_by_its_shape(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["2.5 mg", "hba1c 7.5", "amlodipine 2.5", "height 5.6", "version 2.5", "3.5 kg"])
def test_a_dotted_measurement_is_no_date(text):
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "start"),
    [("715pm", "2026-12-07T19:15"), ("7 15 pm", "2026-12-07T19:15"), ("1130", "2026-12-07T11:30"),
     ("0930", "2026-12-08T09:30"), ("1730 hrs", "2026-12-07T17:30"), ("kal 1030", "2026-12-08T10:30")],
)  # fmt: skip
def test_a_time_without_a_colon(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["fever 101", "order 1130", "2027", "in 2026", "pin 411038", "1130 rs"])
def test_a_number_that_only_looks_like_a_time_is_none(text):
    assert read(text) is None or read(text)[0].startswith(("2026-", "2027-")) and "T" not in read(text)[0]


@pytest.mark.parametrize(
    ("text", "start", "part"),
    [
        ("can't come today, tomorrow?", "2026-12-08", None),
        ("if not today then tomorrow", "2026-12-08", None),
        ("tomorrow evening not possible, morning?", "2026-12-08", "morning"),
        ("tomorrow 5pm not possible, 6pm?", "2026-12-08T18:00", None),
        ("kal ki jagah parso", "2026-12-09", None),
        ("I can come tomorrow, not today", "2026-12-08", None),
        ("tomorrow no problem", "2026-12-08", None),
    ],
)
def test_a_day_or_time_the_patient_rules_out_is_not_the_answer(text, start, part):
    assert read(text) == (start, part)


def test_a_day_ruled_out_with_nothing_else_finds_nothing():
    assert read("can't come today") is None
    assert read("aaj nahi") is None


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("5 :30 pm", "2026-12-07T17:30"), ("5;30 pm", "2026-12-07T17:30"), ("5,30 pm", "2026-12-07T17:30"),
        ("5-30 pm", "2026-12-07T17:30"), ("kal 5 30", "2026-12-08T17:30"), ("kal 11 15", "2026-12-08T11:15"),
        ("5ish", "2026-12-07T17:00"), ("14th monday", "2026-12-14"), ("not tomorrow, friday", "2026-12-11"),
    ],
)  # fmt: skip
def test_clock_typos_and_a_weekday_after_its_date(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["room 12 30 people", "call 98 22 33", "3-4 days", "1,30,000 rs", "10, 30 pm"])
def test_numbers_with_separators_that_are_no_time(text):
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "start", "part"),
    [
        ("kl shaam", "2026-12-08", "evening"), ("prso", "2026-12-09", None), ("5 baj", "2026-12-07T17:00", None),
        ("tomorrow second half", "2026-12-08", "afternoon"), ("first half of the day", "2026-12-07", "morning"),
        ("can i come after lunch tomorrow", "2026-12-08", "afternoon"), ("before lunch", "2026-12-07", "morning"),
        ("month end", "2026-12-31", None), ("end of next month", "2027-01-31", None),
    ],
)  # fmt: skip
def test_shorthands_halves_of_the_day_meals_and_month_ends(text, start, part):
    assert read(text) == (start, part)


@pytest.mark.parametrize("text", ["first half", "the second half of 2025", "2 tablets after lunch", "take after lunch"])
def test_halves_and_meals_without_a_day_or_with_medicine_find_nothing(text):
    assert read(text) is None


@pytest.mark.parametrize(
    "text",
    ["BP 140/90 aaj subah", "fever 102 since yesterday night", "sugar 250 after food today", "weight 70 kg on monday",
     "take 2 tablets at 9 pm", "twice a day after meals", "tab dolo 650 1-0-1 for 3 days"],
)  # fmt: skip
def test_readings_and_doses_with_a_day_or_time_find_nothing(text):
    assert read(text) is None


@pytest.mark.parametrize(
    ("text", "start"),
    [("BP is high, can I come tomorrow at 11", "2026-12-08T11:00"),
     ("I take 2 tablets daily, appointment on friday please", "2026-12-11")],
)  # fmt: skip
def test_a_visit_asked_for_beside_medicine_talk_is_read(text, start):
    assert read(text) == (start, None)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    st.integers(1, 12),
    st.sampled_from([0, 5, 15, 30, 45]),
    st.sampled_from(["am", "pm", " am", " PM"]),
)
def test_a_time_alone_is_its_next_occurrence_and_names_no_day(now, hour, minute, meridiem):
    now = now.replace(second=0, microsecond=0, tzinfo=IST)
    when = parse_when(f"{hour}:{minute:02d}{meridiem}", now=now)
    moment = when.start(IST)
    assert when.day_given is False
    assert now <= moment < now + dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    st.integers(1, 5),
    st.sampled_from(["{n} hours later", "{n} hour baad", "{n} ghante baad", "{n} hrs earlier", "{n} ghante pehle"]),
)
def test_a_shift_is_measured_from_the_moment_under_discussion(about, hours, template):
    about = about.replace(second=0, microsecond=0, tzinfo=IST)
    when = parse_when(template.format(n=hours), now=NOW, about=about)
    sign = -1 if "earlier" in template or "pehle" in template else 1
    assert when.start(IST) == about + sign * dt.timedelta(hours=hours)
    assert when.day_given is False
    assert parse_when("same time", now=NOW, about=about).start(IST) == about


@pytest.mark.parametrize(
    ("text", "start"),
    [("udya yeu shakto ka 11 la", "2026-12-08T11:00"), ("5 tak aa jaunga", "2026-12-07T17:00"),
     ("5 ke aas paas", "2026-12-07T17:00")],
)  # fmt: skip
def test_words_after_a_number_that_make_it_a_time(text, start):
    assert read(text) == (start, None)


@pytest.mark.parametrize("text", ["room 5 pe", "page 5 par dekho", "2 tablets 5 din tak"])
def test_words_after_a_number_that_do_not(text):
    assert read(text) is None


@pytest.mark.parametrize("text", ["3 is my token number", "2 will come", "we are 3", "step 1", "11", " 3 "])
def test_a_number_without_a_hedge_is_no_time(text):
    assert read(text) is None
