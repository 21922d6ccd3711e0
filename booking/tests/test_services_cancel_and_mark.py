"""Cancelling and marking a visit at frozen moments (`now` passed explicitly): appointment_cancel
with the patients' cut-off and the slot freed again; appointment_mark, completed or no-show.

The clinic is factories.CLINIC_HOURS (Mon–Fri 10:00–13:00 and 17:00–20:00, Sat mornings) in
India, 30-minute slots (the `doctor` fixture of booking/tests/conftest.py); Monday 7 December
2026 is the reference day. Helpers in booking/tests/servicing.py.
"""

import pytest

from booking.models import Appointment
from booking.services import (
    appointment_cancel,
    appointment_mark,
)
from booking.slots import Reason, check_start
from booking.tests.factories import ist, make_patient
from booking.tests.servicing import NOW, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(doctor):
    """A patient of the conftest's `doctor` (in place of the booking flow's `patient`)."""
    return make_patient(doctor)


class TestCancel:
    def test_a_patient_cancels_before_the_cutoff_and_the_slot_is_free_again(
        self, doctor, patient, after_change, django_capture_on_commit_callbacks
    ):
        """Cut-off 120 minutes: at 08:00 a 10:30 visit can still be cancelled by the patient."""
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        with django_capture_on_commit_callbacks(execute=True):
            result = appointment_cancel(appointment=appointment, now=NOW, by_patient=True)
        assert result.ok
        assert result.appointment.status == Appointment.Status.CANCELLED
        assert Appointment.objects.get().status == Appointment.Status.CANCELLED
        assert check_start(doctor, ist("2026-12-07 10:30"), now=NOW).ok
        after_change.assert_called_once_with(result.appointment)

    def test_a_patient_cannot_cancel_inside_the_cutoff(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        result = appointment_cancel(appointment=appointment, now=ist("2026-12-07 08:31"), by_patient=True)
        assert result.reason == Reason.TOO_LATE
        assert not result.ok
        assert Appointment.objects.get().status == Appointment.Status.BOOKED

    def test_exactly_at_the_cutoff_a_patient_can_still_cancel(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        assert appointment_cancel(appointment=appointment, now=ist("2026-12-07 08:30"), by_patient=True).ok

    def test_staff_can_cancel_inside_the_cutoff(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        result = appointment_cancel(appointment=appointment, now=ist("2026-12-07 10:25"), by_patient=False)
        assert result.ok
        assert Appointment.objects.get().status == Appointment.Status.CANCELLED

    def test_cancelling_twice_is_refused_the_second_time(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        appointment_cancel(appointment=appointment, now=NOW, by_patient=True)
        again = appointment_cancel(appointment=appointment, now=NOW, by_patient=True)
        assert again.reason == Reason.NOT_BOOKED
        assert again.appointment.status == Appointment.Status.CANCELLED


class TestMark:
    def test_staff_mark_a_visit_completed_then_correct_it_to_no_show(
        self, doctor, patient, after_change, django_capture_on_commit_callbacks
    ):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        with django_capture_on_commit_callbacks(execute=True):
            completed = appointment_mark(appointment=appointment, status=Appointment.Status.COMPLETED)
            no_show = appointment_mark(appointment=appointment, status="no_show")
        assert completed.status == Appointment.Status.COMPLETED
        assert no_show.status == Appointment.Status.NO_SHOW
        assert Appointment.objects.get().status == Appointment.Status.NO_SHOW
        assert after_change.call_count == 2

    def test_marking_the_same_status_again_writes_nothing(self, doctor, patient, django_capture_on_commit_callbacks):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        appointment_mark(appointment=appointment, status="completed")
        with django_capture_on_commit_callbacks() as callbacks:
            appointment_mark(appointment=appointment, status="completed")
        assert callbacks == []

    def test_only_completed_and_no_show_can_be_marked(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        for status in ("booked", "cancelled", "nonsense"):
            with pytest.raises(ValueError):
                appointment_mark(appointment=appointment, status=status)
        assert Appointment.objects.get().status == Appointment.Status.BOOKED

    def test_a_cancelled_appointment_cannot_be_marked(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        appointment_cancel(appointment=appointment, now=NOW, by_patient=False)
        with pytest.raises(ValueError, match="cancelled"):
            appointment_mark(appointment=appointment, status="completed")
