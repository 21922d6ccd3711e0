"""Moving a visit at frozen moments (`now` passed explicitly): appointment_reschedule, the seat
and checks of the new start, the cut-off for patients, and what a refused move leaves alone.

The clinic is factories.CLINIC_HOURS (Mon–Fri 10:00–13:00 and 17:00–20:00, Sat mornings) in
India, 30-minute slots (the `doctor` fixture of booking/tests/conftest.py); Monday 7 December
2026 is the reference day. Helpers in booking/tests/servicing.py.
"""

from unittest import mock

import pytest

from booking import services
from booking.models import Appointment
from booking.services import (
    appointment_cancel,
    appointment_reschedule,
)
from booking.slots import Reason
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from booking.tests.servicing import NOW, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(doctor):
    """A patient of the conftest's `doctor` (in place of the booking flow's `patient`)."""
    return make_patient(doctor)


class TestReschedule:
    def test_it_moves_the_appointment_and_frees_the_old_slot_at_once(
        self, doctor, patient, after_change, django_capture_on_commit_callbacks
    ):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        with django_capture_on_commit_callbacks(execute=True):
            result = appointment_reschedule(
                appointment=appointment, new_start=ist("2026-12-08 17:00"), now=NOW, by_patient=True
            )
        assert result.ok
        moved = Appointment.objects.get()
        assert moved.pk == appointment.pk
        assert (moved.start, moved.end) == (ist("2026-12-08 17:00"), ist("2026-12-08 17:30"))
        after_change.assert_called_once_with(result.appointment)
        assert book(doctor, make_patient(doctor), "2026-12-07 10:30").ok

    def test_moving_into_the_neighbouring_slot_ignores_its_own_booking(self):
        """Capacity 1, 10:30 booked by this patient: 11:00 is free, and 10:30 does not count."""
        doctor = make_doctor()
        appointment = book(doctor, make_patient(doctor), "2026-12-07 10:30").appointment
        result = appointment_reschedule(
            appointment=appointment, new_start=ist("2026-12-07 11:00"), now=NOW, by_patient=True
        )
        assert result.ok
        assert Appointment.objects.get().start == ist("2026-12-07 11:00")

    def test_a_taken_new_slot_is_refused_and_the_appointment_stays(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        book(doctor, make_patient(doctor), "2026-12-07 11:00")
        result = appointment_reschedule(
            appointment=appointment, new_start=ist("2026-12-07 11:00"), now=NOW, by_patient=True
        )
        assert result.reason == Reason.TAKEN
        assert result.appointment.start == ist("2026-12-07 10:30")
        assert ist("2026-12-07 10:30") in result.alternatives  # its own slot is still its own
        assert Appointment.objects.get(pk=appointment.pk).start == ist("2026-12-07 10:30")

    def test_the_seat_follows_the_new_slot(self):
        doctor = make_doctor(slot_capacity=2)
        book(doctor, make_patient(doctor), "2026-12-07 11:00")
        first = book(doctor, make_patient(doctor), "2026-12-07 10:30").appointment
        second = book(doctor, make_patient(doctor), "2026-12-07 10:30").appointment
        assert second.seat == 2
        result = appointment_reschedule(appointment=second, new_start=ist("2026-12-07 11:00"), now=NOW, by_patient=True)
        assert result.appointment.seat == 2
        assert Appointment.objects.get(pk=first.pk).seat == 1

    def test_a_patient_cannot_move_a_visit_inside_the_cutoff_of_its_old_start(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        result = appointment_reschedule(
            appointment=appointment, new_start=ist("2026-12-08 10:00"), now=ist("2026-12-07 09:00"), by_patient=True
        )
        assert result.reason == Reason.TOO_LATE
        assert Appointment.objects.get().start == ist("2026-12-07 10:30")

    def test_staff_can_move_a_visit_inside_the_cutoff(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        result = appointment_reschedule(
            appointment=appointment, new_start=ist("2026-12-08 10:00"), now=ist("2026-12-07 09:00"), by_patient=False
        )
        assert result.ok
        assert Appointment.objects.get().start == ist("2026-12-08 10:00")

    def test_the_new_start_gets_the_same_checks_as_a_booking(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        for when, reason in {
            "2026-12-13 11:00": Reason.CLOSED,
            "2026-12-07 10:40": Reason.NOT_ALIGNED,
            "2026-12-07 07:00": Reason.PAST,
            "2027-02-01 10:00": Reason.TOO_FAR,
        }.items():
            result = appointment_reschedule(appointment=appointment, new_start=ist(when), now=NOW, by_patient=False)
            assert (when, result.reason) == (when, reason)
        assert Appointment.objects.get().start == ist("2026-12-07 10:30")

    def test_a_patient_at_the_limit_can_still_move_a_visit(self, patient):
        doctor = patient.doctor
        doctor.max_future_appointments = 1
        doctor.save(update_fields=["max_future_appointments"])
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        assert appointment_reschedule(
            appointment=appointment, new_start=ist("2026-12-08 10:00"), now=NOW, by_patient=True
        ).ok

    def test_moving_a_past_visit_into_the_future_respects_the_limit(self, doctor, patient):
        """Staff reviving last Friday's visit would give the patient a third upcoming one."""
        past = make_appointment(doctor, ist("2026-12-04 10:00"), patient=patient)
        book(doctor, patient, "2026-12-07 10:00")
        book(doctor, patient, "2026-12-08 10:00")
        result = appointment_reschedule(appointment=past, new_start=ist("2026-12-09 10:00"), now=NOW, by_patient=False)
        assert result.reason == Reason.TOO_MANY

    def test_the_same_start_changes_nothing(self, doctor, patient, django_capture_on_commit_callbacks):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        with django_capture_on_commit_callbacks() as callbacks:
            result = appointment_reschedule(
                appointment=appointment, new_start=ist("2026-12-07 10:30"), now=NOW, by_patient=True
            )
        assert result.ok
        assert result.appointment.updated_at == appointment.updated_at
        assert callbacks == []

    def test_a_cancelled_appointment_cannot_be_moved(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        appointment_cancel(appointment=appointment, now=NOW, by_patient=True)
        result = appointment_reschedule(
            appointment=appointment, new_start=ist("2026-12-08 10:00"), now=NOW, by_patient=True
        )
        assert result.reason == Reason.NOT_BOOKED

    def test_a_racer_on_the_new_slot_leaves_the_old_one_untouched(self, doctor, patient):
        appointment = book(doctor, patient, "2026-12-07 10:30").appointment
        make_appointment(doctor, ist("2026-12-07 11:00"))
        with (
            mock.patch.object(services, "check_start", return_value=mock.Mock(ok=True)),
            mock.patch.object(services, "_free_seat", return_value=1),
        ):
            result = appointment_reschedule(
                appointment=appointment, new_start=ist("2026-12-07 11:00"), now=NOW, by_patient=True
            )
        assert result.reason == Reason.TAKEN
        assert result.appointment.start == ist("2026-12-07 10:30")
        assert Appointment.objects.get(pk=appointment.pk).start == ist("2026-12-07 10:30")
