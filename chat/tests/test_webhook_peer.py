"""POST /webhooks/whatsapp/ with every case of a peer library's payloads (peer-pywa/): 200 to each,
messages stored as their type, the kinds the product ignores logged, statuses applied.

Bodies come from the JSON fixtures in chat/tests/fixtures/whatsapp/ (samples/ written for this
project, peer-pywa/ from pywa's test suite; what each should become in chat/tests/payload_cases.py).
Replies go out through the sandbox transport, so "sent" means the sandbox took it (status sent or
delivered, a wamid.SANDBOX- id). The `clinic` and `peer_clinic` fixtures are in chat/tests/conftest.py.
"""

from __future__ import annotations

import logging

import pytest

from chat.models import Message, PendingStatus
from chat.tests.payload_cases import PEER_CASES, PEER_IGNORED, PEER_MESSAGES, PEER_STATUSES
from chat.tests.samples import peer_cases
from chat.tests.sent_messages import outgoing
from chat.tests.webhooks import post
from patients.models import Patient

# --- every case in peer-pywa/ ------------------------------------------------------------------


@pytest.mark.parametrize(("name", "case"), PEER_CASES, ids=[f"{n[:-5]}-{c}" for n, c in PEER_CASES])
def test_every_peer_case_is_answered_200(peer_clinic, name, case):
    """pywa's payloads, each posted alone: the webhook answers 200 to every one of them."""
    response = post(peer_cases(name)[case])
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True


@pytest.mark.parametrize(
    ("name", "case"), sorted(PEER_MESSAGES), ids=[f"{n[:-5]}-{c}" for n, c in sorted(PEER_MESSAGES)]
)
def test_peer_message_case_is_stored_as_its_type(peer_clinic, name, case):
    """pywa's message payloads are stored once, with the type, text and reply id the parser gives them."""
    body = peer_cases(name)[case]
    assert post(body).json()["stored"] == 1
    message = Message.objects.get(direction=Message.Direction.IN)
    assert (message.type, message.text, message.reply_id) == PEER_MESSAGES[name, case]
    assert message.doctor == peer_clinic
    assert (message.patient.wa_id, message.patient.user_id) == ("972987654321", "US.13491208655302741918")


@pytest.mark.parametrize(("name", "case"), sorted(PEER_IGNORED), ids=[f"{n[:-5]}-{c}" for n, c in sorted(PEER_IGNORED)])
def test_peer_kinds_the_product_does_not_act_on_are_logged_and_store_nothing(peer_clinic, caplog, name, case):
    """Account updates, template status, system events, edits, deletions, "played": logged as ignored, nothing stored."""
    with caplog.at_level(logging.INFO, logger="chat.inbound"):
        response = post(peer_cases(name)[case])
    assert response.json() == {"ok": True, "stored": 0, "duplicates": 0, "statuses": 0}
    assert not Message.objects.exists() and not Patient.objects.exists() and not PendingStatus.objects.exists()
    assert f"webhook {PEER_IGNORED[name, case]} ignored" in caplog.text


@pytest.mark.parametrize(("name", "case"), sorted(PEER_STATUSES), ids=[c for _, c in sorted(PEER_STATUSES)])
def test_peer_status_case_is_applied_to_our_message(peer_clinic, name, case):
    """pywa's statuses move our outgoing message of that wamid (failed with Meta's code)."""
    body = peer_cases(name)[case]
    item = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    patient = Patient.objects.create(doctor=peer_clinic, wa_id="972987654321")
    ours = outgoing(patient, item["id"])
    assert post(body).json()["statuses"] == 1
    ours.refresh_from_db()
    assert (ours.status, ours.error_code) == PEER_STATUSES[name, case]
