"""Booking at frozen moments (`now` passed explicitly): appointment_book, the seat it gives or
the reason it refuses with its alternatives, the limit of upcoming appointments a patient may
hold, and that only the `now` the caller passes counts, never the system clock.

The clinic is factories.CLINIC_HOURS (Mon–Fri 10:00–13:00 and 17:00–20:00, Sat mornings) in
India, 30-minute slots (the `doctor` fixture of booking/tests/conftest.py); Monday 7 December
2026 is the reference day. Helpers in booking/tests/servicing.py.
"""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.db import connection

from booking import services
from booking.models import Appointment
from booking.services import (
    appointment_book,
    appointment_cancel,
)
from booking.slots import Reason
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from booking.tests.servicing import NOW, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(doctor):
    """A patient of the conftest's `doctor` (in place of the booking flow's `patient`)."""
    return make_patient(doctor)


class TestBook:
    def test_a_free_slot_is_booked_on_seat_one_for_one_slot_length(self, doctor, patient):
        result = book(doctor, patient, "2026-12-07 10:30", reason="  fever  ")
        assert result.ok
        assert result.reason is None
        appointment = Appointment.objects.get()
        assert appointment == result.appointment
        assert appointment.start == ist("2026-12-07 10:30")
        assert appointment.end == ist("2026-12-07 11:00")
        assert appointment.seat == 1
        assert appointment.status == Appointment.Status.BOOKED
        assert appointment.source == Appointment.Source.WHATSAPP
        assert appointment.reason == "fever"

    def test_staff_bookings_record_their_source(self, doctor, patient):
        result = book(doctor, patient, "2026-12-07 10:30", source="staff")
        assert result.appointment.source == Appointment.Source.STAFF

    def test_a_very_long_reason_is_cut_to_the_column(self, doctor, patient):
        result = book(doctor, patient, "2026-12-07 10:30", reason="x" * 1000)
        assert Appointment.objects.get(pk=result.appointment.pk).reason == "x" * 300

    def test_a_booking_announces_itself_only_after_commit(
        self, doctor, patient, after_change, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            result = book(doctor, patient, "2026-12-07 10:30")
        after_change.assert_not_called()
        assert len(callbacks) == 1
        callbacks[0]()
        after_change.assert_called_once_with(result.appointment)

    def test_a_taken_slot_is_refused_with_alternatives_and_nothing_written(
        self, doctor, after_change, django_capture_on_commit_callbacks
    ):
        assert book(doctor, make_patient(doctor), "2026-12-07 10:30").ok
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = book(doctor, make_patient(doctor), "2026-12-07 10:30")
        assert not result.ok
        assert result.reason == Reason.TAKEN
        assert result.appointment is None
        assert [f"{slot:%H:%M}" for slot in result.alternatives] == ["10:00", "11:00", "11:30"]
        assert Appointment.objects.count() == 1
        assert callbacks == []

    def test_capacity_two_books_two_seats_and_refuses_the_third(self):
        doctor = make_doctor(slot_capacity=2)
        first = book(doctor, make_patient(doctor), "2026-12-07 10:30")
        second = book(doctor, make_patient(doctor), "2026-12-07 10:30")
        third = book(doctor, make_patient(doctor), "2026-12-07 10:30")
        assert (first.appointment.seat, second.appointment.seat) == (1, 2)
        assert third.reason == Reason.TAKEN
        assert third.alternatives
        assert Appointment.objects.filter(start=ist("2026-12-07 10:30")).count() == 2

    def test_a_cancelled_seat_is_given_again_lowest_first(self):
        doctor = make_doctor(slot_capacity=2)
        first = book(doctor, make_patient(doctor), "2026-12-07 10:30").appointment
        book(doctor, make_patient(doctor), "2026-12-07 10:30")
        appointment_cancel(appointment=first, now=NOW, by_patient=False)
        again = book(doctor, make_patient(doctor), "2026-12-07 10:30")
        assert again.appointment.seat == 1

    def test_every_slot_refusal_comes_back_with_its_reason(self):
        doctor = make_doctor(min_notice_minutes=60, horizon_days=14)
        patient = make_patient(doctor)
        now = ist("2026-12-07 10:10")
        cases = {
            "2026-12-13 11:00": Reason.CLOSED,  # Sunday
            "2026-12-07 14:00": Reason.CLOSED,  # lunch break
            "2026-12-07 12:10": Reason.NOT_ALIGNED,
            "2026-12-07 10:00": Reason.PAST,
            "2026-12-07 11:00": Reason.TOO_SOON,
            "2026-12-22 10:00": Reason.TOO_FAR,
        }
        for when, reason in cases.items():
            result = book(doctor, patient, when, now=now)
            assert (when, result.reason) == (when, reason)
            assert result.alternatives, when
        assert not Appointment.objects.exists()

    def test_booking_just_after_midnight_in_india_stores_the_previous_utc_day(self):
        """Tuesday 8 December 00:30 in India is Monday 7 December 19:00 UTC, and stays a Tuesday visit."""
        doctor = make_doctor(hours={1: [("00:00", "02:00")]})
        result = book(doctor, make_patient(doctor), "2026-12-08 00:30", now=ist("2026-12-07 21:00"))
        assert result.ok
        stored = Appointment.objects.get()
        assert stored.start == dt.datetime(2026, 12, 7, 19, 0, tzinfo=dt.UTC)
        assert stored.start.astimezone(doctor.tz).date() == dt.date(2026, 12, 8)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT start AT TIME ZONE 'UTC' FROM booking_appointment")
                assert cursor.fetchone()[0] == dt.datetime(2026, 12, 7, 19, 0)
        again = book(doctor, make_patient(doctor), "2026-12-08 00:30", now=ist("2026-12-07 21:00"))
        assert again.reason == Reason.TAKEN

    def test_a_start_given_in_utc_books_the_same_slot(self, doctor, patient):
        result = appointment_book(
            doctor=doctor, patient=patient, start=dt.datetime(2026, 12, 7, 5, 0, tzinfo=dt.UTC), now=NOW
        )
        assert result.appointment.start == ist("2026-12-07 10:30")

    def test_the_rules_are_read_from_the_locked_row_not_the_callers_copy(self, doctor, patient):
        """Staff raised the capacity after the caller loaded the doctor: the fresh value counts."""
        book(doctor, make_patient(doctor), "2026-12-07 10:30")
        type(doctor).objects.filter(pk=doctor.pk).update(slot_capacity=2)
        assert doctor.slot_capacity == 1
        assert book(doctor, patient, "2026-12-07 10:30").appointment.seat == 2

    def test_a_patient_of_another_doctor_is_a_programming_error(self, doctor):
        other = make_patient(make_doctor())
        with pytest.raises(ValueError, match="belongs to doctor"):
            book(doctor, other, "2026-12-07 10:30")

    def test_a_naive_start_is_a_programming_error(self, doctor, patient):
        with pytest.raises(ValueError, match="aware"):
            appointment_book(doctor=doctor, patient=patient, start=dt.datetime(2026, 12, 7, 10, 30), now=NOW)

    def test_a_racer_who_slipped_past_the_check_is_told_taken(
        self, doctor, patient, after_change, django_capture_on_commit_callbacks
    ):
        """The unique (doctor, start, seat) constraint fires; the booking answers TAKEN, raises nothing."""
        make_appointment(doctor, ist("2026-12-07 10:30"))
        with (
            mock.patch.object(services, "check_start", return_value=mock.Mock(ok=True)),
            mock.patch.object(services, "_free_seat", return_value=1),
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            result = book(doctor, patient, "2026-12-07 10:30")
        assert result.reason == Reason.TAKEN
        assert [f"{slot:%H:%M}" for slot in result.alternatives] == ["10:00", "11:00", "11:30"]
        assert Appointment.objects.count() == 1  # and the transaction is still usable
        assert callbacks == []


class TestMaxFutureAppointments:
    def test_a_patient_cannot_hold_more_than_the_limit(self, doctor, patient):
        """Limit 2: the third upcoming booking is refused with TOO_MANY, no alternatives."""
        assert book(doctor, patient, "2026-12-07 10:00").ok
        assert book(doctor, patient, "2026-12-08 10:00").ok
        third = book(doctor, patient, "2026-12-09 10:00")
        assert third.reason == Reason.TOO_MANY
        assert third.alternatives == []
        assert Appointment.objects.count() == 2

    def test_the_limit_is_checked_before_the_slot(self, doctor, patient):
        """Offering other times would not help a patient who is at the limit."""
        book(doctor, patient, "2026-12-07 10:00")
        book(doctor, patient, "2026-12-08 10:00")
        assert book(doctor, patient, "2026-12-13 11:00").reason == Reason.TOO_MANY  # a closed Sunday

    def test_past_and_cancelled_appointments_do_not_count(self, doctor, patient):
        make_appointment(doctor, ist("2026-12-04 10:00"), patient=patient)  # last Friday
        make_appointment(doctor, ist("2026-12-07 10:30"), patient=patient, status=Appointment.Status.CANCELLED)
        make_appointment(doctor, ist("2026-12-07 11:00"), patient=patient, status=Appointment.Status.COMPLETED)
        assert book(doctor, patient, "2026-12-07 10:00").ok
        assert book(doctor, patient, "2026-12-08 10:00").ok

    def test_other_patients_are_not_counted(self, doctor, patient):
        book(doctor, make_patient(doctor), "2026-12-07 10:00")
        book(doctor, make_patient(doctor), "2026-12-07 10:30")
        assert book(doctor, patient, "2026-12-07 11:00").ok


@time_machine.travel(dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC), tick=False)
def test_the_clock_is_what_the_caller_passes(doctor, patient):
    """With the wall clock frozen at 08:00 India, `now` still decides: nothing reads the system clock."""
    from django.utils import timezone

    assert timezone.now() == NOW
    later = ist("2026-12-07 12:10")
    assert book(doctor, patient, "2026-12-07 10:30", now=later).reason == Reason.PAST
    assert book(doctor, patient, "2026-12-07 12:30", now=later).ok
