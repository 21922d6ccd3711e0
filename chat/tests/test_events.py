"""The live events, as Zulip tests its events: each builder's dict survives a JSON round trip
unchanged and has exactly the keys the page reads (static/js/chat/events.js), and no module but
the builder makes an event of that type."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from booking.events import appointment_changed
from booking.models import Appointment
from booking.tests.factories import make_doctor
from chat.events import message_created, message_media, message_status
from chat.models import MediaFile, Message
from patients.events import patient_updated
from patients.models import Patient

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
AT = dt.datetime(2026, 12, 7, 4, 30, tzinfo=dt.UTC)
ISO = str
OPTIONAL_ISO = (str, type(None))
OPTIONAL_INT = (int, type(None))

# What each event carries under its one key, and the type of each value.
MESSAGE = {
    "id": int,
    "patient_id": int,
    "direction": str,
    "type": str,
    "text": str,
    "reply_id": str,
    "status": str,
    "error_code": OPTIONAL_INT,
    "error_title": str,
    "sender": str,
    "sender_name": str,
    "client_id": (str, type(None)),
    "media": (dict, type(None)),
    "buttons": list,
    "created_at": ISO,
    "wa_timestamp": OPTIONAL_ISO,
}
STATUS = {"id": int, "patient_id": int, "status": str, "error_code": OPTIONAL_INT, "error_title": str}
MEDIA = {"id": int, "patient_id": int, "media": dict}
FILE = {
    "kind": str,
    "label": str,
    "id": int,
    "state": str,
    "mime_type": str,
    "filename": str,
    "size": OPTIONAL_INT,
    "error": str,
    "retry": bool,
    "url": (str, type(None)),
    "thumbnail_url": (str, type(None)),
}
PATIENT = {
    "id": int,
    "ai_paused": bool,
    "ai_paused_by": (str, type(None)),
    "ai_paused_at": OPTIONAL_ISO,
    "ai_pause_reason": str,
    "handoff_requested": bool,
    "bot_state": str,
    "unread_count": int,
}
APPOINTMENT = {"id": int, "patient_id": int, "start": ISO, "status": str}
BUILDERS = {  # event type: (the module that builds it, the key of its payload)
    "message.created": ("chat/events.py", "message"),
    "message.status": ("chat/events.py", "message"),
    "message.media": ("chat/events.py", "message"),
    "patient.updated": ("patients/events.py", "patient"),
    "appointment.changed": ("booking/events.py", "appointment"),
}


@pytest.fixture
def rows():
    doctor = make_doctor()
    staff = get_user_model().objects.create_user("meera", first_name="Meera", last_name="Joshi")
    patient = Patient.objects.create(
        doctor=doctor, wa_id="919800000101", name="Rahul", ai_paused=True, ai_paused_by=staff, ai_paused_at=AT
    )
    incoming = Message.objects.create(
        doctor=doctor,
        patient=patient,
        direction=Message.Direction.IN,
        text="Is the clinic open on Sunday?",
        status=Message.Status.RECEIVED,
        sender=Message.Sender.PATIENT,
        wa_timestamp=AT,
    )
    failed = Message.objects.create(
        doctor=doctor,
        patient=patient,
        direction=Message.Direction.OUT,
        text="We are closed on Sundays.",
        status=Message.Status.FAILED,
        error_code=131047,
        error_title="Re-engagement message",
        sender=Message.Sender.STAFF,
        sender_user=staff,
        client_id="c0ffee",
    )
    appointment = Appointment.objects.create(
        doctor=doctor, patient=patient, start=AT, end=AT + dt.timedelta(minutes=30)
    )
    return {"patient": patient, "incoming": incoming, "failed": failed, "appointment": appointment}


def assert_shape(event: dict, event_type: str, schema: dict) -> dict:
    assert json.loads(json.dumps(event)) == event  # plain JSON: what the socket sends is what was built
    _, key = BUILDERS[event_type]
    assert event["type"] == event_type and set(event) == {"type", key}
    payload = event[key]
    assert set(payload) == set(schema), f"{event_type}: the page reads {sorted(schema)}, got {sorted(payload)}"
    for name, kind in schema.items():
        assert isinstance(payload[name], kind), f"{event_type}.{key}.{name} is {payload[name]!r}"
    return payload


def test_message_created_carries_the_message_as_the_thread_draws_it(rows):
    incoming = assert_shape(message_created(rows["incoming"]), "message.created", MESSAGE)
    assert incoming["wa_timestamp"] == AT.isoformat() and incoming["direction"] == "in"
    failed = assert_shape(message_created(rows["failed"]), "message.created", MESSAGE)
    assert failed["sender_name"] == "Meera Joshi" and failed["client_id"] == "c0ffee"
    assert failed["wa_timestamp"] is None


def test_message_status_carries_only_the_tick_and_the_failure(rows):
    status = assert_shape(message_status(rows["failed"]), "message.status", STATUS)
    assert status == {
        "id": rows["failed"].pk,
        "patient_id": rows["patient"].pk,
        "status": "failed",
        "error_code": 131047,
        "error_title": "Re-engagement message",
    }


def test_message_media_carries_the_file_as_the_thread_draws_it(rows):
    photo = Message.objects.create(
        doctor=rows["patient"].doctor,
        patient=rows["patient"],
        direction=Message.Direction.IN,
        type=Message.Type.IMAGE,
        status=Message.Status.RECEIVED,
        sender=Message.Sender.PATIENT,
        payload={"image": {"id": "77"}},
    )
    media = MediaFile.objects.create(message=photo, media_id="77", mime_type="image/jpeg")
    payload = assert_shape(message_media(photo, media), "message.media", MEDIA)
    assert set(payload["media"]) == set(FILE) and payload["media"]["state"] == "pending"
    for name, kind in FILE.items():
        assert isinstance(payload["media"][name], kind), name
    created = assert_shape(message_created(photo), "message.created", MESSAGE)
    assert created["media"] == payload["media"]


def test_patient_updated_carries_the_row_s_bot_status_and_unread_count(rows):
    patient = assert_shape(patient_updated(rows["patient"]), "patient.updated", PATIENT)
    assert patient["ai_paused_by"] == "meera" and patient["ai_paused_at"] == AT.isoformat()
    Patient.objects.filter(pk=rows["patient"].pk).update(ai_paused=False, ai_paused_by=None, ai_paused_at=None)
    resumed = assert_shape(patient_updated(Patient.objects.get(pk=rows["patient"].pk)), "patient.updated", PATIENT)
    assert resumed["ai_paused"] is False and resumed["ai_paused_by"] is None and resumed["ai_paused_at"] is None


def test_appointment_changed_has_one_shape_with_the_patient_id(rows):
    appointment = assert_shape(appointment_changed(rows["appointment"]), "appointment.changed", APPOINTMENT)
    assert appointment["patient_id"] == rows["patient"].pk and appointment["start"] == AT.isoformat()


def test_only_the_builder_makes_each_event_and_the_page_handles_each():
    sources = [
        path
        for app in ("clinicbot", "patients", "booking", "chat", "privacy")
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    page = (ROOT / "static" / "js" / "chat" / "events.js").read_text()
    for event_type, (builder, key) in BUILDERS.items():
        literal = re.compile(r"""["']type["']\s*:\s*["']""" + re.escape(event_type) + """["']""")
        makers = sorted(str(p.relative_to(ROOT)) for p in sources if literal.search(p.read_text()))
        assert makers == [builder], f"{event_type} is built in {makers}"
        assert f'case "{event_type}":' in page and f"event.{key}" in page
    assert "event.appointment || event" not in page  # one shape of appointment.changed
