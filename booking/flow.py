"""The booking conversation. State lives in Patient.conversation_state / conversation_data.

The chat bot calls exactly these four functions; the booking flow itself arrives with the
"native booking" issue. Until then booking is answered honestly and the doctor is offered.
"""

import datetime as dt

from django.utils import timezone

from booking.models import Appointment
from clinicbot.replies import Reply
from patients.models import Patient

STATE_PREFIX = "booking"


def is_active(patient: Patient) -> bool:
    return patient.conversation_state.startswith(STATE_PREFIX)


def start(*, patient: Patient, now: dt.datetime, text: str = "") -> list[Reply]:
    """The patient asked to book ("Book appointment", "appointment chahiye", "book tmrw 3pm")."""
    return [
        Reply(
            text="Booking in this chat is coming soon. Meanwhile the doctor's team can book you in — tap below and they will reply here.",
            buttons=[("talk_doctor", "Talk to doctor"), ("menu", "Menu")],
        )
    ]


def handle(*, patient: Patient, text: str, reply_id: str, now: dt.datetime) -> list[Reply] | None:
    """Continue an active flow with this message; None when the message is not for the flow."""
    return None


def my_appointments(*, patient: Patient, now: dt.datetime) -> list[Reply]:
    upcoming = list(Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=now).order_by("start")[:5])
    if not upcoming:
        return [Reply(text="You have no upcoming appointments.", buttons=[("book", "Book appointment"), ("talk_doctor", "Talk to doctor")])]
    tz = patient.doctor.tz
    lines = [f"• {timezone.localtime(a.start, tz):%a %d %b, %I:%M %p}" for a in upcoming]
    return [Reply(text="Your upcoming appointments:\n" + "\n".join(lines))]
