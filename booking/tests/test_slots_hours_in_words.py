"""A clinic's opening hours summed up: opening_span and hours_in_words.

Reference week (India, Asia/Kolkata): Monday 7 December 2026 … Sunday 13 December 2026.
The clinic (factories.CLINIC_HOURS, the `doctor` fixture of booking/tests/conftest.py) is open
Mon–Fri 10:00–13:00 and 17:00–20:00, Sat 10:00–13:00, closed on Sunday; slots are 30 minutes,
no minimum notice unless a test says so. Helpers in booking/tests/slotting.py.
"""

import datetime as dt

import pytest

from booking.slots import (
    hours_in_words,
    opening_span,
)
from booking.tests.factories import make_doctor, set_hours

pytestmark = pytest.mark.django_db


class TestOpeningHoursInWords:
    def test_opening_span_is_the_earliest_opening_and_latest_closing(self, doctor):
        assert opening_span(doctor) == (dt.time(10), dt.time(20))

    def test_opening_span_is_none_without_hours(self):
        assert opening_span(make_doctor(hours={})) is None

    def test_hours_in_words_groups_equal_consecutive_days(self, doctor):
        assert hours_in_words(doctor) == "Mon–Fri 10:00–13:00, 17:00–20:00; Sat 10:00–13:00; Sun closed"

    def test_hours_in_words_keeps_days_apart_when_a_different_day_is_between(self):
        doctor = make_doctor(hours={0: [("09:30", "12:00")], 2: [("09:30", "12:00")]})
        assert hours_in_words(doctor) == "Mon 09:30–12:00; Tue closed; Wed 09:30–12:00; Thu–Sun closed"

    def test_hours_in_words_lists_intervals_in_time_order(self, doctor):
        set_hours(doctor, {d: [("17:00", "19:00"), ("08:00", "12:00")] for d in range(7)})
        assert hours_in_words(doctor) == "Mon–Sun 08:00–12:00, 17:00–19:00"

    def test_hours_in_words_without_hours_says_closed(self):
        assert hours_in_words(make_doctor(hours={})) == "Mon–Sun closed"
