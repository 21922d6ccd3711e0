"""Opening a conversation sends WhatsApp read receipts (the sandbox takes them and sends nothing)."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from chat import sandbox
from chat.read_receipts import mark_patient_read
from chat.simulator import webhook_payload
from chat.tests.stub_graph import StubGraph
from clinicbot.demo import seed_demo
from patients.models import Doctor, Patient


@pytest.fixture
def stub():
    with StubGraph() as server:
        yield server


@pytest.fixture
def doctor(transactional_db):
    seed_demo()
    return Doctor.objects.get(phone_number_id="100200300400500")


def test_opening_a_conversation_marks_the_latest_message_read(client, doctor, stub):
    """The doctor opens an unread chat → one mark-read request for the newest patient message."""
    with override_settings(
        WHATSAPP_ACCESS_TOKEN="test-token", WHATSAPP_API_BASE=stub.base_url, WHATSAPP_RETRY_BASE_DELAY=0
    ):
        client.post(
            "/webhooks/whatsapp/",
            webhook_payload(doctor=doctor, wa_id="919800000077", name="Ravi", text="hello"),
            content_type="application/json",
        )
        patient = Patient.objects.get(wa_id="919800000077")
        latest = patient.messages.filter(direction="in").latest("id")
        stub.clear()
        client.force_login(User.objects.get(username="demo"))
        response = client.post("/api/chat/read", json.dumps({"patientId": patient.pk}), content_type="application/json")
    assert response.status_code == 200
    reads = [r.json for r in stub.requests if r.json and r.json.get("status") == "read"]
    assert reads == [{"messaging_product": "whatsapp", "status": "read", "message_id": latest.wamid}]


def test_the_sandbox_takes_the_read_receipt_and_sends_nothing(doctor, stub):
    """Without a token the sandbox client answers as Meta would, and nothing leaves the machine."""
    patient = Patient.objects.get(wa_id="919800000101")
    latest = patient.messages.filter(direction="in").exclude(wamid=None).latest("wa_timestamp", "id")
    sandbox.OUTBOX.clear()
    assert mark_patient_read(patient.pk) is True
    assert stub.requests == []
    assert [r["body"] for r in sandbox.OUTBOX] == [
        {"messaging_product": "whatsapp", "status": "read", "message_id": latest.wamid}
    ]


def test_a_refused_read_receipt_is_not_an_error(doctor, stub):
    """Meta refusing the receipt (bad id) is logged and reported as False, never raised."""
    stub.error(400, 131009, "Parameter value is not valid")
    patient = Patient.objects.get(wa_id="919800000101")
    with override_settings(
        WHATSAPP_ACCESS_TOKEN="test-token", WHATSAPP_API_BASE=stub.base_url, WHATSAPP_RETRY_BASE_DELAY=0
    ):
        assert mark_patient_read(patient.pk) is False
    assert len(stub.requests) == 1
