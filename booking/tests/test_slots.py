"""Availability at frozen moments: every test passes `now` explicitly.

Reference week (India, Asia/Kolkata): Monday 7 December 2026 … Sunday 13 December 2026.
The clinic (factories.CLINIC_HOURS) is open Mon–Fri 10:00–13:00 and 17:00–20:00, Sat
10:00–13:00, closed on Sunday; slots are 30 minutes, no minimum notice unless a test says so.
"""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.models import Appointment
from booking.slots import (
    Reason,
    check_start,
    free_slots,
    hours_in_words,
    nearest_free_slots,
    next_free_slots,
    opening_span,
)
from booking.tests.factories import ist, local, make_appointment, make_doctor, make_time_off, set_hours

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)
NOW = ist("2026-12-07 08:00")  # Monday, before opening


def day_times(slots: list[dt.datetime]) -> list[str]:
    return [f"{slot:%a %H:%M}" for slot in slots]


def hhmm(slots: list[dt.datetime]) -> list[str]:
    return [f"{slot:%H:%M}" for slot in slots]


MONDAY_SLOTS = [
    "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
    "17:00", "17:30", "18:00", "18:30", "19:00", "19:30",
]  # fmt: skip


@pytest.fixture
def doctor():
    return make_doctor()


class TestFreeSlots:
    def test_a_weekday_is_stepped_by_slot_length_around_the_lunch_break(self, doctor):
        """Slots start at each interval's start; nothing between 13:00 and 17:00."""
        assert hhmm(free_slots(doctor, start_day=MONDAY, now=NOW)) == MONDAY_SLOTS

    def test_slots_are_aware_in_the_doctors_timezone(self, doctor):
        """Returned starts carry Asia/Kolkata, so they print as the clinic's wall clock."""
        first = free_slots(doctor, start_day=MONDAY, now=NOW)[0]
        assert first.tzinfo == zoneinfo.ZoneInfo("Asia/Kolkata")
        assert first == dt.datetime(2026, 12, 7, 4, 30, tzinfo=dt.UTC)

    def test_sunday_is_closed(self, doctor):
        """No weekly hours on Sunday: no slots at all."""
        assert free_slots(doctor, start_day=dt.date(2026, 12, 13), now=NOW) == []

    def test_saturday_has_only_the_morning(self, doctor):
        slots = free_slots(doctor, start_day=dt.date(2026, 12, 12), now=NOW)
        assert hhmm(slots) == ["10:00", "10:30", "11:00", "11:30", "12:00", "12:30"]

    def test_a_range_covers_every_day_inclusive(self, doctor):
        """Saturday to Monday: six Saturday slots, none on Sunday, twelve on Monday."""
        slots = free_slots(doctor, start_day=dt.date(2026, 12, 12), end_day=dt.date(2026, 12, 14), now=NOW)
        assert [slot.date() for slot in slots].count(dt.date(2026, 12, 12)) == 6
        assert [slot.date() for slot in slots].count(dt.date(2026, 12, 13)) == 0
        assert [slot.date() for slot in slots].count(dt.date(2026, 12, 14)) == 12
        assert slots == sorted(slots)

    def test_a_whole_day_off_removes_the_day(self, doctor):
        make_time_off(doctor, dt.date(2026, 12, 8))
        assert free_slots(doctor, start_day=dt.date(2026, 12, 8), now=NOW) == []
        assert len(free_slots(doctor, start_day=dt.date(2026, 12, 9), now=NOW)) == 12

    def test_a_part_day_off_removes_that_part_of_every_day_in_its_range(self, doctor):
        """11:00–12:00 off on Wednesday and Thursday; 10:30 ends at 11:00 and stays free."""
        make_time_off(doctor, dt.date(2026, 12, 9), dt.date(2026, 12, 10), start_time="11:00", end_time="12:00")
        for day in (dt.date(2026, 12, 9), dt.date(2026, 12, 10)):
            slots = hhmm(free_slots(doctor, start_day=day, now=NOW))
            assert slots[:4] == ["10:00", "10:30", "12:00", "12:30"]
            assert len(slots) == 10
        assert len(free_slots(doctor, start_day=dt.date(2026, 12, 11), now=NOW)) == 12

    def test_a_part_day_off_blocks_a_slot_it_only_overlaps(self, doctor):
        """Time off 10:45–11:15 blocks both 10:30 and 11:00: neither visit could be seen whole."""
        make_time_off(doctor, MONDAY, start_time="10:45", end_time="11:15")
        assert hhmm(free_slots(doctor, start_day=MONDAY, now=NOW))[:3] == ["10:00", "11:30", "12:00"]

    def test_the_last_slot_must_end_by_closing(self):
        """Open 10:00–12:45 with 30-minute slots: 12:00 (ends 12:30) fits, 12:30 (ends 13:00) does not."""
        doctor = make_doctor(hours={0: [("10:00", "12:45")]})
        assert hhmm(free_slots(doctor, start_day=MONDAY, now=NOW)) == ["10:00", "10:30", "11:00", "11:30", "12:00"]
        assert check_start(doctor, ist("2026-12-07 12:00"), now=NOW).ok
        last = check_start(doctor, ist("2026-12-07 12:30"), now=NOW)
        assert last.reason == Reason.CLOSED
        assert last.alternatives[0] == ist("2026-12-07 12:00")

    def test_a_slot_ending_exactly_at_closing_fits(self):
        doctor = make_doctor(hours={0: [("10:00", "11:00")]})
        assert hhmm(free_slots(doctor, start_day=MONDAY, now=NOW)) == ["10:00", "10:30"]

    def test_booked_slots_are_not_free_but_cancelled_ones_are(self, doctor):
        make_appointment(doctor, ist("2026-12-07 10:00"))
        make_appointment(doctor, ist("2026-12-07 10:30"), status=Appointment.Status.CANCELLED)
        slots = hhmm(free_slots(doctor, start_day=MONDAY, now=NOW))
        assert "10:00" not in slots
        assert "10:30" in slots

    def test_a_slot_stays_free_until_its_capacity_is_reached(self):
        doctor = make_doctor(slot_capacity=2)
        make_appointment(doctor, ist("2026-12-07 10:00"))
        assert "10:00" in hhmm(free_slots(doctor, start_day=MONDAY, now=NOW))
        make_appointment(doctor, ist("2026-12-07 10:00"), seat=2)
        assert "10:00" not in hhmm(free_slots(doctor, start_day=MONDAY, now=NOW))

    def test_an_appointment_off_the_grid_blocks_every_slot_it_overlaps(self, doctor):
        """Booked 10:15–10:45 under an older 15-minute grid: both 10:00 and 10:30 are taken."""
        Appointment.objects.create(
            doctor=doctor,
            patient=make_appointment(doctor, ist("2026-12-07 19:30")).patient,
            start=ist("2026-12-07 10:15"),
            end=ist("2026-12-07 10:45"),
        )
        assert hhmm(free_slots(doctor, start_day=MONDAY, now=NOW))[:2] == ["11:00", "11:30"]

    def test_minimum_notice_hides_slots_starting_too_soon(self):
        """Now 10:10 with 60 minutes' notice: the first free slot is 11:30 (11:00 < 11:10)."""
        doctor = make_doctor(min_notice_minutes=60)
        slots = free_slots(doctor, start_day=MONDAY, now=ist("2026-12-07 10:10"))
        assert hhmm(slots)[0] == "11:30"

    def test_slots_already_started_are_gone_even_without_notice(self, doctor):
        slots = free_slots(doctor, start_day=MONDAY, now=ist("2026-12-07 10:30"))
        assert hhmm(slots)[0] == "10:30"
        slots = free_slots(doctor, start_day=MONDAY, now=ist("2026-12-07 10:31"))
        assert hhmm(slots)[0] == "11:00"

    def test_the_horizon_ends_after_horizon_days_local_days(self):
        """Horizon 2 from Monday: Monday, Tuesday and Wednesday only."""
        doctor = make_doctor(horizon_days=2)
        slots = free_slots(doctor, start_day=MONDAY, end_day=dt.date(2026, 12, 12), now=NOW)
        assert sorted({slot.date() for slot in slots}) == [MONDAY, dt.date(2026, 12, 8), dt.date(2026, 12, 9)]

    def test_days_in_the_past_have_no_slots(self, doctor):
        assert free_slots(doctor, start_day=dt.date(2026, 12, 4), end_day=dt.date(2026, 12, 6), now=NOW) == []

    def test_part_of_day_keeps_starts_in_the_window(self, doctor):
        slots = free_slots(doctor, start_day=MONDAY, now=NOW, part_of_day=(dt.time(12), dt.time(18)))
        assert hhmm(slots) == ["12:00", "12:30", "17:00", "17:30"]

    def test_a_month_end_range_runs_into_the_next_month(self, doctor):
        """Monday 30 November to Tuesday 1 December."""
        now = ist("2026-11-30 08:00")
        slots = free_slots(doctor, start_day=dt.date(2026, 11, 30), end_day=dt.date(2026, 12, 1), now=now)
        assert len(slots) == 24
        assert {slot.date() for slot in slots} == {dt.date(2026, 11, 30), dt.date(2026, 12, 1)}

    def test_a_year_end_range_and_time_off_across_new_year(self, doctor):
        """Off Thursday 31 December and Friday 1 January: the range's slots are Saturday 2 January's."""
        make_time_off(doctor, dt.date(2026, 12, 31), dt.date(2027, 1, 1))
        now = ist("2026-12-30 20:00")
        slots = free_slots(doctor, start_day=dt.date(2026, 12, 30), end_day=dt.date(2027, 1, 2), now=now)
        assert {slot.date() for slot in slots} == {dt.date(2027, 1, 2)}
        assert len(slots) == 6

    def test_a_kolkata_slot_just_after_midnight_belongs_to_the_local_day(self):
        """Tuesday 00:30 in India is Monday 19:00 UTC: it is a Tuesday slot, from Tuesday's hours."""
        doctor = make_doctor(hours={1: [("00:00", "02:00")]})
        now = ist("2026-12-07 12:00")
        tuesday = free_slots(doctor, start_day=dt.date(2026, 12, 8), now=now)
        assert hhmm(tuesday) == ["00:00", "00:30", "01:00", "01:30"]
        assert tuesday[1] == dt.datetime(2026, 12, 7, 19, 0, tzinfo=dt.UTC)
        assert free_slots(doctor, start_day=MONDAY, now=now) == []

    def test_a_spring_forward_night_has_only_the_real_hours(self):
        """New York, 14 March 2027: 02:00 jumps to 03:00, so 01:00–04:00 holds two hours of slots."""
        doctor = make_doctor(timezone="America/New_York", hours={6: [("01:00", "04:00")]}, horizon_days=30)
        now = local(doctor, "2027-03-10 09:00")
        slots = free_slots(doctor, start_day=dt.date(2027, 3, 14), now=now)
        assert hhmm(slots) == ["01:00", "01:30", "03:00", "03:30"]
        assert slots[2].astimezone(dt.UTC) - slots[1].astimezone(dt.UTC) == dt.timedelta(minutes=30)

    def test_a_fall_back_night_has_the_repeated_hour(self):
        """New York, 7 November 2027: 01:00–02:00 happens twice, so 01:00–03:00 holds three hours."""
        doctor = make_doctor(timezone="America/New_York", hours={6: [("01:00", "03:00")]}, horizon_days=30)
        now = local(doctor, "2027-11-01 09:00")
        slots = free_slots(doctor, start_day=dt.date(2027, 11, 7), now=now)
        assert [f"{slot.astimezone(dt.UTC):%H:%M}" for slot in slots] == [
            "05:00", "05:30", "06:00", "06:30", "07:00", "07:30",
        ]  # fmt: skip
        assert hhmm(slots) == ["01:00", "01:30", "01:00", "01:30", "02:00", "02:30"]

    def test_daytime_slots_on_a_dst_day_keep_their_wall_clock(self):
        doctor = make_doctor(timezone="America/New_York", hours={6: [("09:00", "10:00")]})
        now = local(doctor, "2027-03-10 09:00")
        slots = free_slots(doctor, start_day=dt.date(2027, 3, 14), now=now)
        assert hhmm(slots) == ["09:00", "09:30"]
        assert slots[0] == dt.datetime(2027, 3, 14, 13, 0, tzinfo=dt.UTC)  # EDT, UTC-4

    def test_a_naive_now_is_refused(self, doctor):
        with pytest.raises(ValueError, match="aware"):
            free_slots(doctor, start_day=MONDAY, now=dt.datetime(2026, 12, 7, 8, 0))

    def test_a_zero_slot_length_is_refused_instead_of_looping(self):
        doctor = make_doctor(slot_minutes=0)
        with pytest.raises(ValueError, match="slot_minutes"):
            free_slots(doctor, start_day=MONDAY, now=NOW)

    def test_a_month_of_slots_costs_three_queries(self, doctor, django_assert_num_queries):
        """Weekly hours, time off, appointments: whatever the number of days or slots."""
        make_time_off(doctor, dt.date(2026, 12, 15))
        make_appointment(doctor, ist("2026-12-08 10:00"))
        with django_assert_num_queries(3):
            slots = free_slots(doctor, start_day=MONDAY, end_day=dt.date(2027, 1, 6), now=NOW)
        assert len(slots) > 200


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
