"""The front desk books, moves and cancels through booking.services: the minimum notice and the
per-patient limit are theirs to override, a taken slot never is. Every change is on the audit log."""

import pytest
from django.contrib.auth.models import User

from booking.front_desk import book_by_staff, cancel_by_staff, move_by_staff
from booking.models import Appointment
from booking.slots import Reason
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from patients.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = ist("2026-12-07 10:05")  # Monday, the clinic open


@pytest.fixture
def doctor():
    return make_doctor(min_notice_minutes=120, max_future_appointments=1)


@pytest.fixture
def patient(doctor):
    return make_patient(doctor)


@pytest.fixture
def desk():
    return User.objects.create_user("desk", is_staff=True)


def test_staff_book_inside_the_minimum_notice_and_over_the_limit(doctor, patient, desk):
    make_appointment(doctor, ist("2026-12-08 10:00"), patient=patient)  # the patient's one allowed visit

    result = book_by_staff(doctor=doctor, patient=patient, start=ist("2026-12-07 10:30"), user=desk, now=NOW)

    assert result.ok
    assert result.appointment.source == Appointment.Source.STAFF
    event = AuditEvent.objects.get(action=AuditEvent.Action.APPOINTMENT_BOOKED)
    assert (event.user, event.patient, event.appointment_id) == (desk, patient, result.appointment.pk)


def test_a_staff_booking_into_a_taken_slot_is_refused_with_alternatives(doctor, patient, desk):
    make_appointment(doctor, ist("2026-12-07 11:00"))

    result = book_by_staff(doctor=doctor, patient=patient, start=ist("2026-12-07 11:00"), user=desk, now=NOW)

    assert result.reason == Reason.TAKEN
    assert result.alternatives  # and the nearest free times, inside the notice too
    assert ist("2026-12-07 10:30") in result.alternatives
    assert Appointment.objects.filter(patient=patient).count() == 0
    assert not AuditEvent.objects.exists()


def test_a_staff_booking_when_closed_is_refused(doctor, patient, desk):
    result = book_by_staff(doctor=doctor, patient=patient, start=ist("2026-12-07 14:00"), user=desk, now=NOW)
    assert result.reason == Reason.CLOSED


def test_staff_move_ignores_notice_and_cut_off_but_not_a_taken_slot(doctor, patient, desk):
    appointment = make_appointment(doctor, ist("2026-12-07 10:30"), patient=patient)  # inside the cut-off
    make_appointment(doctor, ist("2026-12-07 12:00"))

    refused = move_by_staff(appointment=appointment, start=ist("2026-12-07 12:00"), user=desk, now=NOW)
    moved = move_by_staff(appointment=appointment, start=ist("2026-12-07 11:00"), user=desk, now=NOW)

    assert refused.reason == Reason.TAKEN
    assert moved.ok
    assert Appointment.objects.get(pk=appointment.pk).start == ist("2026-12-07 11:00")
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.APPOINTMENT_MOVED
    assert event.detail == "from 2026-12-07T05:00Z to 2026-12-07T05:30Z"


def test_staff_cancel_is_recorded_once(doctor, patient, desk):
    appointment = make_appointment(doctor, ist("2026-12-07 10:30"), patient=patient)

    assert cancel_by_staff(appointment=appointment, user=desk, now=NOW).ok
    assert cancel_by_staff(appointment=appointment, user=desk, now=NOW).reason == Reason.NOT_BOOKED

    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.APPOINTMENT_CANCELLED).count() == 1
