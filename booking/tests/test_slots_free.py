"""Availability at frozen moments (every test passes `now` explicitly): free_slots, the free starts
of a range of days.

Reference week (India, Asia/Kolkata): Monday 7 December 2026 … Sunday 13 December 2026.
The clinic (factories.CLINIC_HOURS, the `doctor` fixture of booking/tests/conftest.py) is open
Mon–Fri 10:00–13:00 and 17:00–20:00, Sat 10:00–13:00, closed on Sunday; slots are 30 minutes,
no minimum notice unless a test says so. Helpers in booking/tests/slotting.py.
"""

import datetime as dt
import zoneinfo

import pytest

from booking.models import Appointment
from booking.slots import (
    Reason,
    check_start,
    free_slots,
)
from booking.tests.factories import ist, local, make_appointment, make_doctor, make_time_off
from booking.tests.slotting import MONDAY, MONDAY_SLOTS, NOW, hhmm

pytestmark = pytest.mark.django_db


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
