"""Availability at frozen moments (every test passes `now` explicitly): check_start, whether one
start can be booked and why not, with the nearest free times; and, for any moment, that
free_slots and check_start agree.

Reference week (India, Asia/Kolkata): Monday 7 December 2026 … Sunday 13 December 2026.
The clinic (factories.CLINIC_HOURS, the `doctor` fixture of booking/tests/conftest.py) is open
Mon–Fri 10:00–13:00 and 17:00–20:00, Sat 10:00–13:00, closed on Sunday; slots are 30 minutes,
no minimum notice unless a test says so. Helpers in booking/tests/slotting.py.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.models import Appointment
from booking.slots import (
    Reason,
    check_start,
    free_slots,
    nearest_free_slots,
)
from booking.tests.factories import ist, make_appointment, make_doctor, make_time_off
from booking.tests.slotting import MONDAY, NOW, day_times, hhmm

pytestmark = pytest.mark.django_db


class TestCheckStart:
    def test_a_free_aligned_start_is_ok_without_alternatives(self, doctor):
        check = check_start(doctor, ist("2026-12-07 10:30"), now=NOW)
        assert check.ok
        assert check.reason is None
        assert check.alternatives == []

    def test_a_start_in_any_timezone_is_the_same_instant(self, doctor):
        """10:30 in India given as 05:00 UTC is the same slot."""
        assert check_start(doctor, dt.datetime(2026, 12, 7, 5, 0, tzinfo=dt.UTC), now=NOW).ok

    def test_sunday_is_closed_and_alternatives_are_the_nearest_either_side(self, doctor):
        """Sunday 11:00: Saturday 12:30 is 22.5 h away; Saturday 12:00 and Monday 10:00 tie at 23 h."""
        check = check_start(doctor, ist("2026-12-13 11:00"), now=NOW)
        assert check.reason == Reason.CLOSED
        assert not check.ok
        assert day_times(check.alternatives) == ["Sat 12:30", "Sat 12:00", "Mon 10:00"]

    def test_the_lunch_break_is_closed_and_same_day_slots_are_offered(self, doctor):
        check = check_start(doctor, ist("2026-12-07 14:00"), now=NOW)
        assert check.reason == Reason.CLOSED
        assert hhmm(check.alternatives) == ["12:30", "12:00", "11:30"]

    def test_a_day_off_is_closed(self, doctor):
        make_time_off(doctor, dt.date(2026, 12, 8))
        check = check_start(doctor, ist("2026-12-08 10:00"), now=NOW)
        assert check.reason == Reason.CLOSED
        assert all(slot.date() != dt.date(2026, 12, 8) for slot in check.alternatives)

    def test_a_part_day_off_is_closed_and_the_same_day_remains(self, doctor):
        make_time_off(doctor, MONDAY, start_time="10:00", end_time="12:00")
        check = check_start(doctor, ist("2026-12-07 11:00"), now=NOW)
        assert check.reason == Reason.CLOSED
        assert hhmm(check.alternatives) == ["12:00", "12:30", "17:00"]

    def test_a_start_between_slot_boundaries_is_not_aligned(self, doctor):
        """10:10 is open but not a slot start: the slots around it come first."""
        check = check_start(doctor, ist("2026-12-07 10:10"), now=NOW)
        assert check.reason == Reason.NOT_ALIGNED
        assert hhmm(check.alternatives) == ["10:00", "10:30", "11:00"]

    def test_a_start_with_seconds_is_not_aligned(self, doctor):
        check = check_start(doctor, ist("2026-12-07 10:30") + dt.timedelta(seconds=5), now=NOW)
        assert check.reason == Reason.NOT_ALIGNED

    def test_a_taken_slot_is_taken(self, doctor):
        make_appointment(doctor, ist("2026-12-07 10:30"))
        check = check_start(doctor, ist("2026-12-07 10:30"), now=NOW)
        assert check.reason == Reason.TAKEN
        assert hhmm(check.alternatives) == ["10:00", "11:00", "11:30"]

    def test_capacity_two_is_taken_only_at_the_second_booking(self):
        doctor = make_doctor(slot_capacity=2)
        make_appointment(doctor, ist("2026-12-07 10:30"))
        assert check_start(doctor, ist("2026-12-07 10:30"), now=NOW).ok
        make_appointment(doctor, ist("2026-12-07 10:30"), seat=2)
        assert check_start(doctor, ist("2026-12-07 10:30"), now=NOW).reason == Reason.TAKEN

    def test_the_excluded_appointment_does_not_take_its_slot(self, doctor):
        """Rescheduling leaves the appointment being moved out of the count."""
        mine = make_appointment(doctor, ist("2026-12-07 10:30"))
        assert check_start(doctor, ist("2026-12-07 10:30"), now=NOW, exclude_appointment=mine).ok

    def test_a_past_start_is_past_and_alternatives_are_upcoming(self, doctor):
        now = ist("2026-12-07 12:10")
        check = check_start(doctor, ist("2026-12-07 11:00"), now=now)
        assert check.reason == Reason.PAST
        assert hhmm(check.alternatives) == ["12:30", "17:00", "17:30"]

    def test_a_start_inside_the_notice_is_too_soon(self):
        doctor = make_doctor(min_notice_minutes=60)
        now = ist("2026-12-07 10:10")
        check = check_start(doctor, ist("2026-12-07 11:00"), now=now)
        assert check.reason == Reason.TOO_SOON
        assert hhmm(check.alternatives) == ["11:30", "12:00", "12:30"]
        assert check_start(doctor, ist("2026-12-07 11:30"), now=now).ok

    def test_a_start_past_the_horizon_is_too_far_and_alternatives_end_the_horizon(self):
        """Horizon 2 from Monday: Thursday is too far; Wednesday evening is nearest."""
        doctor = make_doctor(horizon_days=2)
        check = check_start(doctor, ist("2026-12-10 10:00"), now=NOW)
        assert check.reason == Reason.TOO_FAR
        assert day_times(check.alternatives) == ["Wed 19:30", "Wed 19:00", "Wed 18:30"]
        assert check_start(doctor, ist("2026-12-09 19:30"), now=NOW).ok

    def test_the_horizon_counts_local_days_not_24_hour_periods(self):
        """Horizon 1 at Monday 23:00: all of Tuesday is bookable, even 19:30 (more than 20 h later)."""
        doctor = make_doctor(horizon_days=1)
        assert check_start(doctor, ist("2026-12-08 19:30"), now=ist("2026-12-07 23:00")).ok

    def test_alternatives_prefer_the_same_day_over_a_closer_slot_on_the_next(self):
        """Monday 22:30 is taken; Tuesday 00:00 is 1.5 h away, Monday 08:30 is 14 h away."""
        doctor = make_doctor(hours={0: [("08:00", "09:00"), ("22:00", "23:00")], 1: [("00:00", "01:00")]})
        make_appointment(doctor, ist("2026-12-07 22:00"))
        make_appointment(doctor, ist("2026-12-07 22:30"))
        check = check_start(doctor, ist("2026-12-07 22:30"), now=ist("2026-12-07 07:00"))
        assert check.reason == Reason.TAKEN
        assert day_times(check.alternatives) == ["Mon 08:30", "Mon 08:00", "Tue 00:00"]

    def test_alternatives_beyond_the_search_window_come_from_the_next_free_days(self, doctor):
        """Everything off for three weeks: the alternatives are the first slots after the leave."""
        make_time_off(doctor, MONDAY, dt.date(2026, 12, 27))
        check = check_start(doctor, ist("2026-12-08 10:00"), now=NOW)
        assert check.reason == Reason.CLOSED
        assert [f"{slot:%Y-%m-%d %H:%M}" for slot in check.alternatives] == [
            "2026-12-28 10:00", "2026-12-28 10:30", "2026-12-28 11:00",
        ]  # fmt: skip

    def test_a_fully_booked_horizon_has_no_alternatives(self):
        doctor = make_doctor(horizon_days=0, hours={0: [("10:00", "11:00")]})
        make_appointment(doctor, ist("2026-12-07 10:00"))
        make_appointment(doctor, ist("2026-12-07 10:30"))
        check = check_start(doctor, ist("2026-12-07 10:00"), now=NOW)
        assert check.reason == Reason.TAKEN
        assert check.alternatives == []

    def test_time_rules_are_checked_before_opening_hours(self, doctor):
        """A past Sunday is PAST (the first reason that applies), not CLOSED."""
        assert check_start(doctor, ist("2026-12-06 11:00"), now=NOW).reason == Reason.PAST

    def test_a_naive_start_is_refused(self, doctor):
        with pytest.raises(ValueError, match="aware"):
            check_start(doctor, dt.datetime(2026, 12, 7, 10, 0), now=NOW)

    def test_an_ok_check_costs_three_queries(self, doctor, django_assert_num_queries):
        with django_assert_num_queries(3):
            assert check_start(doctor, ist("2026-12-07 10:30"), now=NOW).ok

    def test_a_refusal_with_alternatives_costs_five_queries(self, doctor, django_assert_num_queries):
        """Three for the day, then time off and appointments for the fortnight around it."""
        make_appointment(doctor, ist("2026-12-07 10:30"))
        with django_assert_num_queries(5):
            assert check_start(doctor, ist("2026-12-07 10:30"), now=NOW).reason == Reason.TAKEN

    def test_nearest_free_slots_is_what_check_start_offers(self, doctor):
        make_appointment(doctor, ist("2026-12-07 10:30"))
        start = ist("2026-12-07 10:30")
        assert nearest_free_slots(doctor, start, now=NOW) == check_start(doctor, start, now=NOW).alternatives
        assert hhmm(nearest_free_slots(doctor, start, now=NOW, limit=5)) == [
            "10:00",
            "11:00",
            "11:30",
            "12:00",
            "12:30",
        ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes=st.integers(min_value=0, max_value=14 * 24 * 60), notice=st.sampled_from([0, 45, 120]))
def test_every_free_slot_checks_ok_and_respects_the_notice(doctor, minutes, notice):
    """Whatever the moment: free_slots and check_start agree, and no slot starts inside the notice."""
    doctor.min_notice_minutes = notice
    if not Appointment.objects.filter(doctor=doctor).exists():  # the fixture's doctor lives across examples
        make_appointment(doctor, ist("2026-12-09 11:00"))
    now = NOW + dt.timedelta(minutes=minutes)
    local_today = now.astimezone(doctor.tz).date()
    slots = free_slots(doctor, start_day=local_today, end_day=local_today + dt.timedelta(days=2), now=now)
    for slot in slots:
        assert slot >= now + dt.timedelta(minutes=notice)
        assert check_start(doctor, slot, now=now).ok
    assert ist("2026-12-09 11:00") not in slots
