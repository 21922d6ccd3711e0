"""booking.dates: which day and time a phrase means (opening hours, today or tomorrow, weekdays,
years, day first, timezones, durations, midnight, the past, parts of day).

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day (booking/tests/date_cases.py).
"""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.dates import DEFAULT_OPEN_HOURS, PARTS_OF_DAY, When, parse_when
from booking.tests.date_cases import IST, NOW, read


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
