"""Appointment reminders are made on every change: one per offset due before the visit, once.

The clinic is open 9:00–18:00 Mon–Sat in India. The visit is Thursday 26 November 2026 at
15:00 IST; with the default offsets its reminders are due Wednesday 15:00 and Thursday 13:00.
Times are frozen with time_machine.
"""

import datetime as dt

import pytest
import time_machine
from django_tasks import default_task_backend

from booking import reminders
from booking.models import Reminder
from booking.reminders import reminders_schedule
from booking.services import appointment_cancel
from booking.tasks import send_reminder
from booking.tests.factories import ist
from booking.tests.reminding import (
    BOOKED_AT,
    DAY_BEFORE,
    TWO_HOURS_BEFORE,
    VISIT,
    book,
    clinic,
    outgoing,
    patient_of,
)

pytestmark = pytest.mark.usefixtures("sandbox_transport")  # booking/tests/conftest.py


@pytest.fixture
def pushed(monkeypatch):
    events = []
    monkeypatch.setattr("booking.services.push_now", lambda *, doctor_id, event: events.append((doctor_id, event)))
    return events


# --- Scheduling ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
class TestSchedule:
    def test_a_booking_gets_one_reminder_per_offset_due_before_the_visit(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        rows = list(Reminder.objects.filter(appointment=appointment).order_by("due_at"))
        assert [(r.offset_minutes, r.due_at, r.status) for r in rows] == [
            (1440, DAY_BEFORE, Reminder.Status.PENDING),
            (120, TWO_HOURS_BEFORE, Reminder.Status.PENDING),
        ]
        assert {r.appointment_start for r in rows} == {VISIT}

    def test_a_booking_made_three_hours_ahead_gets_only_the_two_hour_reminder(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor), now=ist("2026-11-26 12:00"))
        assert list(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", flat=True)) == [120]

    def test_the_doctor_chooses_the_offsets_and_nonsense_is_ignored(self):
        doctor = clinic(reminder_offsets=[60, "30", -5, 0, "soon", True, 60, 10**7])
        assert reminders.reminder_offsets(doctor) == [60, 30]
        appointment = book(doctor, patient_of(doctor))
        assert sorted(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", flat=True)) == [
            30,
            60,
        ]

    def test_a_doctor_without_offsets_sends_no_reminders(self):
        doctor = clinic(reminder_offsets=[])
        appointment = book(doctor, patient_of(doctor))
        assert not Reminder.objects.filter(appointment=appointment).exists()

    def test_scheduling_twice_makes_no_second_row(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        again = reminders_schedule(appointment=appointment, now=BOOKED_AT)
        assert len(again) == 2
        assert Reminder.objects.filter(appointment=appointment).count() == 2

    def test_with_the_immediate_backend_nothing_is_sent_at_booking(self):
        """The immediate backend cannot wait: the reminders wait for the sweep instead."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=BOOKED_AT - dt.timedelta(minutes=5))
        book(doctor, patient)
        assert not default_task_backend.supports_defer
        assert outgoing(patient) == []
        assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.PENDING}

    def test_a_backend_that_can_defer_gets_one_task_per_reminder_at_its_due_time(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        backend = send_reminder.get_backend()
        assert backend.supports_defer
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        queued = [(r.task.name, r.args, r.task.run_after) for r in backend.results]
        ids = dict(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", "pk"))
        assert sorted(queued, key=lambda q: q[2]) == [
            ("send_reminder", [ids[1440]], DAY_BEFORE),
            ("send_reminder", [ids[120]], TWO_HOURS_BEFORE),
        ]
        reminders_schedule(appointment=appointment, now=BOOKED_AT)  # nothing new: nothing enqueued again
        assert len(backend.results) == 2

    def test_every_change_pushes_appointment_changed_to_the_doctors_page(self, pushed):
        doctor = clinic()
        patient = patient_of(doctor)
        appointment = book(doctor, patient)
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_cancel(appointment=appointment, now=BOOKED_AT, by_patient=False)
        assert pushed == [
            (
                doctor.pk,
                {
                    "type": "appointment.changed",
                    "appointment": {
                        "id": appointment.pk,
                        "patient_id": patient.pk,
                        "start": VISIT.astimezone(dt.UTC).isoformat(),
                        "status": status,
                    },
                },
            )
            for status in ("booked", "cancelled")
        ]
