"""The live page's JSON API tests' routes, patients, messages and posting (shared by the
test_api_* modules; their fixtures `clinics`, `desk` and `pushed` are in chat/tests/conftest.py)."""

import datetime as dt
import json

from django.utils import timezone

from chat.models import Message
from patients.models import Patient

GET_ROUTES = ["/api/chat/conversations", "/api/chat/messages/{patient}"]
POST_ROUTES = [
    "/api/chat/send",
    "/api/chat/send-template",
    "/api/chat/retry",
    "/api/chat/pause-ai",
    "/api/chat/read",
]


def make_patient(doctor, wa_id, name, *, wrote_ago=dt.timedelta(minutes=5), unread=0, **fields) -> Patient:
    at = timezone.now() - wrote_ago
    return Patient.objects.create(
        doctor=doctor,
        wa_id=wa_id,
        name=name,
        last_inbound_at=at,
        last_message_at=at,
        last_message_preview=f"hello from {name}",
        unread_count=unread,
        **fields,
    )


def incoming(patient, text="hi", **fields) -> Message:
    return Message.objects.create(
        doctor_id=patient.doctor_id,
        patient=patient,
        direction="in",
        text=text,
        status="received",
        sender="patient",
        processed=True,
        **fields,
    )


def outgoing(patient, text="reply", *, status="sent", sender="bot", **fields) -> Message:
    return Message.objects.create(
        doctor_id=patient.doctor_id,
        patient=patient,
        direction="out",
        text=text,
        status=status,
        sender=sender,
        processed=True,
        payload={"messaging_product": "whatsapp", "to": patient.wa_id, "type": "text", "text": {"body": text}},
        **fields,
    )


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")
