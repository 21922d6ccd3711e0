"""Sending a due reminder: as text inside the 24-hour window and as the clinic's template outside
it, once, never early, never after the visit began.

The clinic is open 9:00–18:00 Mon–Sat in India. The visit is Thursday 26 November 2026 at
15:00 IST; with the default offsets its reminders are due Wednesday 15:00 and Thursday 13:00.
Times are frozen with time_machine.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from booking import reminders
from booking.models import Appointment, Reminder
from booking.tasks import send_reminder
from booking.tests.factories import make_doctor, make_time_off
from booking.tests.reminding import (
    DAY_BEFORE,
    TEXT_TOMORROW,
    TWO_HOURS_BEFORE,
    VISIT,
    book,
    clinic,
    outgoing,
    patient_of,
    reminder_template,
    sweep,
)
from chat.models import Message
from chat.notices import reminder_send

pytestmark = pytest.mark.usefixtures("sandbox_transport")  # booking/tests/conftest.py


# --- Sending: text or template ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
class TestSend:
    def test_inside_the_window_the_reminder_is_a_text(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=3))
        appointment = book(doctor, patient)
        assert sweep(DAY_BEFORE) == {"sent": 1, "skipped": 0, "failed": 0, "taken": 0, "retry": 0}
        [message] = outgoing(patient)
        assert message.type == Message.Type.TEXT
        assert message.text == TEXT_TOMORROW
        assert message.payload["text"]["body"] == TEXT_TOMORROW
        assert message.sender == Message.Sender.BOT
        assert message.status in (Message.Status.SENT, Message.Status.DELIVERED)  # through the sandbox
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.SENT
        assert reminder.sent_at == DAY_BEFORE
        assert reminder.detail == f"Message {message.pk} (text)."

    def test_outside_the_window_the_reminder_is_the_configured_template(self):
        doctor = clinic(reminder_template="appointment_reminder", reminder_template_language="en_GB")
        reminder_template(doctor, language="en")  # same name, another language: not this one
        template = reminder_template(doctor, language="en_GB")
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(days=3))
        book(doctor, patient)
        sweep(DAY_BEFORE)
        [message] = outgoing(patient)
        assert message.type == Message.Type.TEMPLATE
        assert message.payload["template"]["name"] == template.name
        assert message.payload["template"]["language"]["code"] == "en_GB"
        params = [p["text"] for p in message.payload["template"]["components"][0]["parameters"]]
        assert params == ["Dr. Meera Joshi", "Thu 26 Nov, 3:00 PM"]
        assert message.text == (
            "Reminder: your appointment with Dr. Meera Joshi is on Thu 26 Nov, 3:00 PM. "
            "Reply here to cancel or reschedule."
        )

    def test_a_patient_who_never_wrote_gets_the_template(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor)
        patient = patient_of(doctor, wrote=None)
        book(doctor, patient)
        sweep(DAY_BEFORE)
        assert [m.type for m in outgoing(patient)] == [Message.Type.TEMPLATE]

    def test_a_window_about_to_close_gets_the_template_not_a_text_meta_would_refuse(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor)
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=23, minutes=55))
        book(doctor, patient)
        sweep(DAY_BEFORE)
        assert [m.type for m in outgoing(patient)] == [Message.Type.TEMPLATE]

    def test_after_meta_refused_free_text_the_template_is_used(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor)
        wrote = DAY_BEFORE - dt.timedelta(hours=2)
        patient = patient_of(doctor, wrote=wrote, window_closed_at=wrote + dt.timedelta(hours=1))
        book(doctor, patient)
        sweep(DAY_BEFORE)
        assert [m.type for m in outgoing(patient)] == [Message.Type.TEMPLATE]

    def test_outside_the_window_without_a_template_the_reminder_fails_and_says_why(self):
        doctor = clinic(reminder_template="")
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(days=2))
        appointment = book(doctor, patient)
        assert sweep(DAY_BEFORE)["failed"] == 1
        assert outgoing(patient) == []
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.FAILED
        assert reminder.detail == "The 24-hour window is closed and the doctor has no reminder template set."
        assert reminder.sent_at is None

    def test_a_configured_template_the_clinic_does_not_have_fails_and_names_it(self):
        doctor = clinic(reminder_template="visit_reminder")
        patient = patient_of(doctor)
        appointment = book(doctor, patient)
        sweep(DAY_BEFORE)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.FAILED
        assert "visit_reminder (en) is not among the clinic's active templates" in reminder.detail
        assert outgoing(patient) == []

    def test_a_template_with_other_parameters_fails_before_meta_would_refuse_it(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor, body="See you soon, {{1}}!")
        appointment = book(doctor, patient_of(doctor))
        sweep(DAY_BEFORE)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.FAILED
        assert "takes 1 parameters" in reminder.detail

    def test_the_two_hour_reminder_says_today(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=TWO_HOURS_BEFORE - dt.timedelta(hours=1))
        book(doctor, patient)
        sweep(DAY_BEFORE - dt.timedelta(minutes=1))  # nothing due yet
        assert outgoing(patient) == []
        Reminder.objects.filter(offset_minutes=1440).update(status=Reminder.Status.SENT)  # went out yesterday
        sweep(TWO_HOURS_BEFORE)
        [message] = outgoing(patient)
        assert message.text.startswith("Reminder: your appointment with Dr. Meera Joshi is today at 3:00 PM. ")

    def test_the_wording_is_in_the_doctors_timezone(self):
        doctor = make_doctor(
            hours={weekday: [("00:00", "23:59")] for weekday in range(7)}, name="Asha Rao", timezone="Europe/London"
        )
        london = VISIT.astimezone(doctor.tz).replace(hour=9, minute=30)  # Thu 26 Nov 09:30 in London
        patient = patient_of(doctor, wrote=london - dt.timedelta(hours=25))
        book(doctor, patient, start=london)
        sweep(london - dt.timedelta(hours=24))
        [message] = outgoing(patient)
        assert "with Dr. Asha Rao is tomorrow, Thu 26 Nov at 9:30 AM." in message.text

    def test_a_reminder_is_not_sent_before_it_is_due(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE)
        appointment = book(doctor, patient)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        early = DAY_BEFORE - dt.timedelta(seconds=1)
        with time_machine.travel(early, tick=False):
            assert reminder_send(reminder_id=reminder.pk, now=early) == reminders.NOT_DUE
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.PENDING
        assert outgoing(patient) == []

    def test_the_task_sends_a_due_reminder_once(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        with time_machine.travel(DAY_BEFORE + dt.timedelta(seconds=5), tick=False):
            assert send_reminder.call(reminder.pk) == "sent"
            assert send_reminder.call(reminder.pk) == "taken"
        assert len(outgoing(patient)) == 1

    def test_a_sweep_after_downtime_sends_only_the_nearest_reminder(self):
        """Workers were down for a day: the patient gets one reminder, not two at once."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=TWO_HOURS_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        counts = sweep(TWO_HOURS_BEFORE + dt.timedelta(minutes=5))
        assert (counts["sent"], counts["skipped"]) == (1, 1)
        assert len(outgoing(patient)) == 1
        statuses = dict(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", "status"))
        assert statuses == {1440: Reminder.Status.SKIPPED, 120: Reminder.Status.SENT}

    def test_a_reminder_found_after_the_visit_began_is_skipped(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=VISIT - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        counts = sweep(VISIT + dt.timedelta(minutes=1))
        assert counts["sent"] == 0
        assert outgoing(patient) == []
        assert set(Reminder.objects.filter(appointment=appointment).values_list("detail", flat=True)) >= {
            "Too late: the visit time has come."
        }

    def test_no_reminder_for_a_visit_inside_time_off(self):
        """The clinic closed over the visit: the closure notice tells the patient, not a reminder."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        make_time_off(doctor, VISIT.astimezone(doctor.tz).date())
        counts = sweep(DAY_BEFORE + dt.timedelta(minutes=1))
        assert (counts["sent"], counts["skipped"]) == (0, 1)
        assert outgoing(patient) == []
        [skipped] = Reminder.objects.filter(appointment=appointment, status=Reminder.Status.SKIPPED)
        assert "time off" in skipped.detail

    def test_the_sweep_goes_through_every_due_reminder_page_by_page(self, monkeypatch):
        monkeypatch.setattr(reminders, "SWEEP_BATCH", 2)
        doctor = clinic(slot_capacity=5)
        patients = [patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1)) for _ in range(5)]
        for patient in patients:
            book(doctor, patient)
        assert sweep(DAY_BEFORE)["sent"] == 5
        assert [len(outgoing(p)) for p in patients] == [1] * 5

    def test_the_command_prints_its_counts(self):
        doctor = clinic(reminder_template="")
        sent_to = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        book(doctor, sent_to)
        book(doctor, patient_of(doctor, wrote=None), start=VISIT + dt.timedelta(minutes=30))
        cancelled = book(doctor, patient_of(doctor), start=VISIT + dt.timedelta(hours=1))
        Reminder.objects.filter(appointment=cancelled).update(due_at=DAY_BEFORE)  # as if cancelled behind its back
        Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
        out = io.StringIO()
        with time_machine.travel(DAY_BEFORE + dt.timedelta(hours=1), tick=False):
            call_command("send_reminders", stdout=out)
        assert out.getvalue().strip() == "Reminders: 1 sent, 2 skipped (cancelled, moved or late), 1 failed."
        out = io.StringIO()
        with time_machine.travel(DAY_BEFORE + dt.timedelta(hours=1), tick=False):
            call_command("send_reminders", stdout=out)
        assert out.getvalue().strip() == "Reminders: none due."
