"""The live events, as Zulip tests its events: each builder's dict survives a JSON round trip
unchanged and has exactly the keys the page reads (static/js/chat/events.js), and no module but
the builder makes an event of that type."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from booking.events import appointment_changed
from booking.models import Appointment
from booking.tests.factories import make_doctor
from patients.models import Patient

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
AT = dt.datetime(2026, 12, 7, 4, 30, tzinfo=dt.UTC)
ISO = str

# What each event carries under its one key, and the type of each value.
APPOINTMENT = {"id": int, "patient_id": int, "start": ISO, "status": str}
BUILDERS = {  # event type: (the module that builds it, the key of its payload)
    "appointment.changed": ("booking/events.py", "appointment"),
}


@pytest.fixture
def rows():
    doctor = make_doctor()
    patient = Patient.objects.create(doctor=doctor, wa_id="919800000101", name="Rahul")
    appointment = Appointment.objects.create(
        doctor=doctor, patient=patient, start=AT, end=AT + dt.timedelta(minutes=30)
    )
    return {"patient": patient, "appointment": appointment}


def assert_shape(event: dict, event_type: str, schema: dict) -> dict:
    assert json.loads(json.dumps(event)) == event  # plain JSON: what the socket sends is what was built
    _, key = BUILDERS[event_type]
    assert event["type"] == event_type and set(event) == {"type", key}
    payload = event[key]
    assert set(payload) == set(schema), f"{event_type}: the page reads {sorted(schema)}, got {sorted(payload)}"
    for name, kind in schema.items():
        assert isinstance(payload[name], kind), f"{event_type}.{key}.{name} is {payload[name]!r}"
    return payload


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
