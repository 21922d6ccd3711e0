"""Reminders are never stale: a cancelled, moved or finished visit is not reminded of its old time.

The clinic is open 9:00–18:00 Mon–Sat in India. The visit is Thursday 26 November 2026 at
15:00 IST; with the default offsets its reminders are due Wednesday 15:00 and Thursday 13:00.
Times are frozen with time_machine.
"""

import datetime as dt

import pytest
import time_machine

from booking.models import Appointment, Reminder
from booking.reminders import reminders_schedule
from booking.services import appointment_cancel, appointment_mark, appointment_reschedule
from booking.tests.factories import ist, make_appointment
from booking.tests.reminding import (
    BOOKED_AT,
    DAY_BEFORE,
    TWO_HOURS_BEFORE,
    VISIT,
    book,
    clinic,
    outgoing,
    patient_of,
    sweep,
)
from chat import notices
from chat.notices import reminder_send

pytestmark = pytest.mark.usefixtures("sandbox_transport")  # booking/tests/conftest.py


# --- Never stale --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
class TestNeverStale:
    def test_a_cancelled_appointment_gets_no_reminder(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_cancel(appointment=appointment, now=BOOKED_AT, by_patient=True)
        assert set(Reminder.objects.filter(appointment=appointment).values_list("status", flat=True)) == {
            Reminder.Status.SKIPPED
        }
        sweep(DAY_BEFORE)
        sweep(TWO_HOURS_BEFORE)
        assert outgoing(patient) == []

    def test_a_moved_appointment_is_reminded_of_the_new_time_only(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=ist("2026-11-26 10:00"))
        appointment = book(doctor, patient)
        new_start = ist("2026-11-27 11:00")  # Friday
        with time_machine.travel(BOOKED_AT, tick=False):
            assert appointment_reschedule(
                appointment=appointment, new_start=new_start, now=BOOKED_AT, by_patient=True
            ).ok
        rows = Reminder.objects.filter(appointment=appointment)
        assert set(rows.filter(appointment_start=VISIT).values_list("status", flat=True)) == {Reminder.Status.SKIPPED}
        assert set(rows.filter(appointment_start=new_start).values_list("status", "due_at")) == {
            (Reminder.Status.PENDING, ist("2026-11-26 11:00")),
            (Reminder.Status.PENDING, ist("2026-11-27 09:00")),
        }
        assert sweep(DAY_BEFORE)["sent"] == 0  # the old 24-hour reminder's time: nothing
        assert sweep(ist("2026-11-26 11:00"))["sent"] == 1
        [message] = outgoing(patient)
        assert "is tomorrow, Fri 27 Nov at 11:00 AM." in message.text
        assert sweep(TWO_HOURS_BEFORE)["sent"] == 0  # the old 2-hour reminder's time: nothing

    def test_moved_away_and_back_the_reminders_for_that_time_are_pending_again(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_reschedule(
                appointment=appointment, new_start=ist("2026-11-27 11:00"), now=BOOKED_AT, by_patient=False
            )
            appointment_reschedule(appointment=appointment, new_start=VISIT, now=BOOKED_AT, by_patient=False)
        rows = Reminder.objects.filter(appointment=appointment)
        assert set(rows.filter(appointment_start=VISIT).values_list("status", flat=True)) == {Reminder.Status.PENDING}
        assert set(rows.exclude(appointment_start=VISIT).values_list("status", flat=True)) == {Reminder.Status.SKIPPED}

    def test_a_visit_marked_done_early_gets_no_later_reminder(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=TWO_HOURS_BEFORE)
        appointment = book(doctor, patient)
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_mark(appointment=appointment, status=Appointment.Status.NO_SHOW)
        sweep(TWO_HOURS_BEFORE)
        assert outgoing(patient) == []

    def test_the_sender_rechecks_the_appointment_whatever_the_rows_say(self):
        """A reminder still pending for a start the appointment no longer has is skipped on claim."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = make_appointment(doctor, VISIT, patient=patient)  # no hook: rows made by hand
        reminders_schedule(appointment=appointment, now=BOOKED_AT)
        moved = VISIT + dt.timedelta(hours=1)
        Appointment.objects.filter(pk=appointment.pk).update(start=moved, end=moved + dt.timedelta(minutes=30))
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        with time_machine.travel(DAY_BEFORE, tick=False):
            assert reminder_send(reminder_id=reminder.pk, now=DAY_BEFORE) == "skipped"
        reminder.refresh_from_db()
        assert (reminder.status, reminder.detail) == (
            Reminder.Status.SKIPPED,
            "The appointment was moved to another time.",
        )
        assert outgoing(patient) == []

    def test_a_failure_inside_the_send_marks_the_reminder_failed_and_sends_nothing(self, monkeypatch):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(notices, "reminder_text", broken)
        assert sweep(DAY_BEFORE)["failed"] == 1
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert (reminder.status, reminder.detail) == (Reminder.Status.FAILED, "Internal error: RuntimeError")
        assert outgoing(patient) == []
