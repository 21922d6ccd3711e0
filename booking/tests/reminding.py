"""The reminder tests' clinic, patient and clock (shared by the test_reminder_* modules).

The clinic is open 9:00–18:00 Mon–Sat in India. The visit is Thursday 26 November 2026 at
15:00 IST; with the default offsets its reminders are due Wednesday 15:00 and Thursday 13:00.
"""

import datetime as dt

import time_machine

from booking.models import Appointment
from booking.services import appointment_book
from booking.tests.factories import ist, make_doctor, make_patient
from chat.models import Message, MessageTemplate
from chat.notices import reminders_send_due

BOOKED_AT = ist("2026-11-24 10:00")  # Tuesday
VISIT = ist("2026-11-26 15:00")  # Thursday, 3 PM
DAY_BEFORE = ist("2026-11-25 15:00")  # the 24-hour reminder is due
TWO_HOURS_BEFORE = ist("2026-11-26 13:00")  # the 2-hour reminder is due
OPEN_ALL_DAY = {weekday: [("09:00", "18:00")] for weekday in range(6)}

TEXT_TOMORROW = (
    "Reminder: your appointment with Dr. Meera Joshi is tomorrow, Thu 26 Nov at 3:00 PM. "
    "Reply 'my appointments' to cancel or reschedule."
)


def clinic(**fields):
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Meera Joshi", **fields)


def patient_of(doctor, *, wrote=None, **fields):
    """A patient who last wrote at `wrote` (None: never)."""
    return make_patient(doctor, name="Asha Patil", last_inbound_at=wrote, **fields)


def book(doctor, patient, start=VISIT, now=BOOKED_AT) -> Appointment:
    """Book through the service and run its after-commit hook, as a real request would."""
    with time_machine.travel(now, tick=False):
        result = appointment_book(doctor=doctor, patient=patient, start=start, now=now)
    assert result.ok, result.reason
    return result.appointment


def outgoing(patient):
    return list(Message.objects.filter(patient=patient, direction=Message.Direction.OUT).order_by("id"))


def sweep(at: dt.datetime) -> dict:
    with time_machine.travel(at, tick=False):
        return reminders_send_due(now=at)


def reminder_template(doctor, *, name="appointment_reminder", language="en", body=None) -> MessageTemplate:
    return MessageTemplate.objects.create(
        doctor=doctor,
        name=name,
        language=language,
        body=body or "Reminder: your appointment with {{1}} is on {{2}}. Reply here to cancel or reschedule.",
    )
