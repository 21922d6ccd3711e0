"""The send pipeline tests' patient and queued reply (shared by test_pipeline and test_reaper).
The fixtures of test_pipeline, test_exactly_once and test_reaper (`travel`, `graph`, `held_sends`,
`phone`) are in chat/tests/conftest.py; each module builds its `clinic` over `travel`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chat.models import Message
from chat.outbound import queue_reply
from chat.tests.phone import WA_ID
from clinicbot.replies import text
from patients.models import Doctor, Patient


def patient_of(doctor: Doctor, *, last_wrote: dt.datetime) -> Patient:
    return Patient.objects.create(doctor=doctor, wa_id=WA_ID, name="Rahul Deshmukh", last_inbound_at=last_wrote)


def queue_text(patient: Patient, words: str) -> Message:
    with transaction.atomic():
        return queue_reply(patient=patient, reply=text(words))
