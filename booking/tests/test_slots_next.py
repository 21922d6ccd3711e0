"""Availability at frozen moments (every test passes `now` explicitly): next_free_slots, the next
free starts after a moment.

Reference week (India, Asia/Kolkata): Monday 7 December 2026 … Sunday 13 December 2026.
The clinic (factories.CLINIC_HOURS, the `doctor` fixture of booking/tests/conftest.py) is open
Mon–Fri 10:00–13:00 and 17:00–20:00, Sat 10:00–13:00, closed on Sunday; slots are 30 minutes,
no minimum notice unless a test says so. Helpers in booking/tests/slotting.py.
"""

import datetime as dt

import pytest

from booking.slots import (
    next_free_slots,
)
from booking.tests.factories import ist, make_appointment, make_doctor, make_time_off
from booking.tests.slotting import MONDAY, NOW, day_times

pytestmark = pytest.mark.django_db


class TestNextFreeSlots:
    def test_it_returns_the_next_free_starts_in_order_skipping_taken_ones(self, doctor):
        make_appointment(doctor, ist("2026-12-07 19:00"))
        slots = next_free_slots(doctor, after=ist("2026-12-07 18:40"), now=NOW, limit=4)
        assert day_times(slots) == ["Mon 19:30", "Tue 10:00", "Tue 10:30", "Tue 11:00"]

    def test_a_start_equal_to_after_is_included(self, doctor):
        assert day_times(next_free_slots(doctor, after=ist("2026-12-07 17:00"), now=NOW, limit=1)) == ["Mon 17:00"]

    def test_it_crosses_the_year_end(self, doctor):
        """From New Year's Eve evening: the last two of Thursday, then Friday 1 January."""
        now = ist("2026-12-31 18:50")
        slots = next_free_slots(doctor, after=now, now=now, limit=4)
        assert [f"{slot:%Y-%m-%d %H:%M}" for slot in slots] == [
            "2026-12-31 19:00", "2026-12-31 19:30", "2027-01-01 10:00", "2027-01-01 10:30",
        ]  # fmt: skip

    def test_it_looks_past_a_long_leave(self, doctor):
        """Three weeks off: the search reads further chunks until it finds slots."""
        make_time_off(doctor, MONDAY, dt.date(2026, 12, 27))
        slots = next_free_slots(doctor, after=NOW, now=NOW, limit=2)
        assert [f"{slot:%Y-%m-%d %H:%M}" for slot in slots] == ["2026-12-28 10:00", "2026-12-28 10:30"]

    def test_a_long_search_reads_the_weekly_hours_once(self, doctor, django_assert_num_queries):
        """Off for three weeks: four one-week chunks, each two queries, plus the hours once."""
        make_time_off(doctor, MONDAY, dt.date(2026, 12, 27))
        with django_assert_num_queries(1 + 4 * 2):
            assert next_free_slots(doctor, after=NOW, now=NOW, limit=1) == [ist("2026-12-28 10:00")]

    def test_a_doctor_without_hours_has_no_next_slots_after_one_query(self, django_assert_num_queries):
        doctor = make_doctor(hours={})
        with django_assert_num_queries(1):
            assert next_free_slots(doctor, after=NOW, now=NOW) == []

    def test_it_stops_at_the_horizon(self):
        doctor = make_doctor(horizon_days=1)
        slots = next_free_slots(doctor, after=NOW, now=NOW, limit=50)
        assert len(slots) == 24
        assert slots[-1] == ist("2026-12-08 19:30")

    def test_an_after_in_the_past_starts_from_now(self, doctor):
        now = ist("2026-12-07 12:10")
        slots = next_free_slots(doctor, after=ist("2026-12-01 00:00"), now=now, limit=2)
        assert day_times(slots) == ["Mon 12:30", "Mon 17:00"]
