"""booking.dates: words about the moment under discussion (`about`: same time, an hour later).

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day (booking/tests/date_cases.py).
"""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.dates import When, parse_when
from booking.tests.date_cases import ABOUT, IST, NOW


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
