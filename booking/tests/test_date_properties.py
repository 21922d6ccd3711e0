"""booking.dates on generated input (hypothesis): any text, date or clock time.

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day (booking/tests/date_cases.py).
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.dates import PARTS_OF_DAY, parse_when
from booking.tests.date_cases import IST, NOW, read


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
