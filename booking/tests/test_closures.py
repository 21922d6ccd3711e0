"""Appointments covered by time off: computed, so the mark lasts until they are moved or cancelled."""

import datetime as dt

import pytest

from booking.closures import appointments_in_time_off, covered_appointment_ids, covered_appointments
from booking.models import Appointment
from booking.tests.factories import ist, make_appointment, make_doctor, make_time_off

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def doctor():
    return make_doctor()


def test_covered_appointments_are_the_booked_ones_overlapping_the_range(doctor):
    inside = make_appointment(doctor, ist("2026-12-07 10:30"))
    straddling = make_appointment(doctor, ist("2026-12-07 11:45"))  # 11:45–12:15 overlaps 12:00
    make_appointment(doctor, ist("2026-12-07 12:00"), status=Appointment.Status.CANCELLED)
    make_appointment(doctor, ist("2026-12-07 12:30"))  # after the range
    make_appointment(make_doctor(), ist("2026-12-07 10:30"))  # another doctor

    found = covered_appointments(doctor, ist("2026-12-07 10:00"), ist("2026-12-07 12:00"))

    assert list(found) == [inside, straddling]


def test_a_whole_day_off_covers_that_local_days_bookings_only(doctor):
    morning = make_appointment(doctor, ist("2026-12-07 10:00"))
    evening = make_appointment(doctor, ist("2026-12-07 19:30"))
    tuesday = make_appointment(doctor, ist("2026-12-08 10:00"))
    make_time_off(doctor, MONDAY)

    ids = covered_appointment_ids(doctor, Appointment.objects.all())

    assert ids == {morning.pk, evening.pk}
    assert tuesday.pk not in ids


def test_part_of_a_day_off_covers_only_the_hours_in_the_doctors_timezone(doctor):
    in_hours = make_appointment(doctor, ist("2026-12-08 11:00"))
    after = make_appointment(doctor, ist("2026-12-08 12:00"))
    time_off = make_time_off(doctor, MONDAY, dt.date(2026, 12, 9), start_time="10:30", end_time="12:00")

    assert covered_appointment_ids(doctor, [in_hours, after]) == {in_hours.pk}
    assert appointments_in_time_off(doctor, time_off) == [in_hours]


def test_the_mark_goes_once_the_appointment_is_moved_out_or_cancelled(doctor):
    moved = make_appointment(doctor, ist("2026-12-07 10:00"))
    cancelled = make_appointment(doctor, ist("2026-12-07 10:30"))
    make_time_off(doctor, MONDAY)
    assert covered_appointment_ids(doctor, [moved, cancelled]) == {moved.pk, cancelled.pk}

    moved.start, moved.end = ist("2026-12-08 10:00"), ist("2026-12-08 10:30")
    moved.save()
    cancelled.status = Appointment.Status.CANCELLED
    cancelled.save()

    assert covered_appointment_ids(doctor, Appointment.objects.all()) == set()


def test_no_appointments_costs_no_query(doctor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert covered_appointment_ids(doctor, []) == set()


def test_a_month_off_is_read_in_one_query(doctor, django_assert_num_queries):
    inside = make_appointment(doctor, ist("2026-12-20 10:00"))
    make_appointment(doctor, ist("2026-12-20 14:00"))  # outside the daily hours off
    time_off = make_time_off(doctor, MONDAY, dt.date(2027, 1, 6), start_time="09:00", end_time="13:00")
    with django_assert_num_queries(1):
        assert appointments_in_time_off(doctor, time_off) == [inside]
