"""The assistant's answer to one patient message. Until the menu and booking exist, a plain
acknowledgement, so every message still gets exactly one reply."""

import datetime as dt

from chat.models import Message
from clinicbot.replies import Reply, text
from patients.models import Patient


def respond(*, patient: Patient, message: Message, now: dt.datetime) -> list[Reply]:
    clinic = patient.doctor.clinic_name or patient.doctor.name
    return [text(f"Thank you for your message. {clinic} has received it and will get back to you.")]
