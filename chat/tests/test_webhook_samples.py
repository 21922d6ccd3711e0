"""POST /webhooks/whatsapp/ with every message sample in samples/: stored as its kind, answered (or
kept for the doctor), batch and multi-entry bodies, a username-only patient, an unknown number,
an async error; and every sample file is posted by some webhook test (this module or
test_webhook_statuses).

Bodies come from the JSON fixtures in chat/tests/fixtures/whatsapp/ (samples/ written for this
project, peer-pywa/ from pywa's test suite; what each should become in chat/tests/payload_cases.py).
Replies go out through the sandbox transport, so "sent" means the sandbox took it (status sent or
delivered, a wamid.SANDBOX- id). The `clinic` and `peer_clinic` fixtures are in chat/tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from chat.models import Message, PendingStatus
from chat.tests.payload_cases import MEDIA, SIMPLE
from chat.tests.samples import SAMPLES, sample
from chat.tests.webhooks import ASHA, first_message, post, replies_to
from patients.models import Patient

KEPT_FOR_DOCTOR = "the clinic team will see this"


# --- every sample in samples/ ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_sample_message_is_stored_as_its_kind(clinic, name):
    """Each single-message sample is stored once: its type, readable text, tapped id and Meta's raw object."""
    kind, text, reply_id, _context = SIMPLE[name]
    body = sample(name)
    response = post(body)
    assert response.status_code == 200
    message = Message.objects.get(direction=Message.Direction.IN)
    assert (message.type, message.text, message.reply_id) == (kind, text, reply_id)
    assert message.wamid == first_message(body)["id"]
    assert message.payload == first_message(body)
    assert message.wa_timestamp == dt.datetime.fromtimestamp(int(first_message(body)["timestamp"]), tz=dt.UTC)
    assert (message.status, message.sender) == (Message.Status.RECEIVED, Message.Sender.PATIENT)
    assert (message.patient.wa_id, message.patient.name) == (ASHA, "Asha Verma")
    assert message.doctor == clinic == message.patient.doctor
    if name in MEDIA:
        media = message.payload[kind]
        assert (media["id"], media["mime_type"]) == (MEDIA[name]["id"], MEDIA[name]["mime_type"])


@pytest.mark.parametrize("name", ["sticker.json", "location.json", "contacts_card.json"])
def test_a_sample_the_bot_cannot_read_is_kept_for_the_doctor_and_answered(clinic, name):
    """Stickers, locations and contact cards get "the clinic team will see this" and the menu
    (voice notes, photos and documents: chat/tests/test_bot_media.py)."""
    post(sample(name))
    [reply] = replies_to(ASHA)
    assert KEPT_FOR_DOCTOR in reply.text
    assert [b["reply"]["id"] for b in reply.payload["interactive"]["action"]["buttons"]] == [
        "book",
        "my_appointments",
        "talk_doctor",
    ]
    assert reply.status in (Message.Status.SENT, Message.Status.DELIVERED)


@pytest.mark.parametrize("name", ["image.json", "document.json"])
def test_a_photo_or_document_is_acknowledged_and_handed_to_the_doctor(clinic, name):
    """A photo captioned "my prescription" (or a document "report"): "the doctor will see it", and
    the conversation needs the doctor."""
    post(sample(name))
    [reply] = replies_to(ASHA)
    assert "the doctor will see it" in reply.text
    assert Patient.objects.get(wa_id=ASHA).handoff_requested_at is not None


def test_a_reaction_sample_is_stored_and_not_answered(clinic):
    """A 👍 on an earlier message is stored for the doctor, never answered."""
    post(sample("reaction.json"))
    assert Message.objects.get(direction="in").text == "👍"
    assert replies_to(ASHA) == []


def test_the_unsupported_sample_is_stored_as_unsupported_and_answered_politely(clinic):
    """Meta's type "unsupported" (131051) is kept as a placeholder and the patient asked to type instead."""
    response = post(sample("unsupported.json"))
    assert response.status_code == 200
    message = Message.objects.get(direction="in")
    assert message.type == Message.Type.UNSUPPORTED
    assert message.payload["errors"][0]["code"] == 131051
    [reply] = replies_to(ASHA)
    assert KEPT_FOR_DOCTOR in reply.text and "please type your question" in reply.text


@pytest.mark.parametrize("unknown_type", ["order", "poll", "ephemeral", "x" * 40])
def test_a_message_of_an_unknown_type_is_stored_as_unsupported_and_answered_politely(clinic, unknown_type):
    """A type the product has never heard of: 200, stored as unsupported with the original type in the payload, a polite reply."""
    body = sample("text.json")
    message = first_message(body)
    message.pop("text")
    message.update(type=unknown_type, **{unknown_type: {"anything": [1, 2, 3]}})
    response = post(body)
    assert response.status_code == 200
    stored = Message.objects.get(direction="in")
    assert stored.type == Message.Type.UNSUPPORTED
    assert stored.payload["type"] == unknown_type
    [reply] = replies_to(ASHA)
    assert KEPT_FOR_DOCTOR in reply.text


def test_the_multi_entry_sample_stores_the_message_of_every_entry(clinic):
    """Two entries in one body: both messages are stored, for their own patients."""
    assert post(sample("multi_entry.json")).json()["stored"] == 2
    stored = dict(Message.objects.filter(direction="in").values_list("wamid", "patient__wa_id"))
    assert stored == {"wamid.DEV0016": ASHA, "wamid.DEV0017": "919800000002"}


def test_the_bsuid_only_sample_stores_a_patient_known_only_by_user_id(clinic):
    """A username-only user (no phone number) is stored under the BSUID and answered through it."""
    post(sample("bsuid_only.json"))
    patient = Patient.objects.get()
    assert (patient.wa_id, patient.user_id, patient.username) == (None, "IN.13491208655302741918", "@asha_v")
    assert patient.messages.get(direction="in").text == "hi"
    [reply] = patient.messages.filter(direction="out")
    assert reply.payload["recipient"] == "IN.13491208655302741918" and "to" not in reply.payload


def test_a_message_for_an_unknown_phone_number_id_stores_nothing_and_is_logged(clinic, caplog):
    """Another number's message (a misrouted webhook): 200, no patient, no message, a warning naming the number."""
    response = post(sample("unknown_number.json"))
    assert response.status_code == 200
    assert not Message.objects.exists() and not Patient.objects.exists()
    assert "unknown phone_number_id 999999999999999" in caplog.text


def test_an_async_error_is_answered_200_and_logged_with_its_code(clinic, caplog):
    """Meta's value-level errors[] (no message, no status): 200, nothing stored, the code and title in the log."""
    with caplog.at_level(logging.WARNING, logger="chat.inbound"):
        response = post(sample("async_error.json"))
    assert response.status_code == 200
    assert not Message.objects.exists() and not PendingStatus.objects.exists()
    [record] = [r for r in caplog.records if r.name == "chat.inbound"]
    assert record.levelno == logging.WARNING
    assert "error 131000: Something went wrong" in record.getMessage()


def test_every_sample_file_is_posted_by_some_test_here():
    """A new sample in samples/ fails here until a webhook test posts it."""
    posted_elsewhere = {
        "async_error.json",
        "batch.json",
        "bsuid_only.json",
        "multi_entry.json",
        "status_delivered.json",
        "status_failed.json",
        "status_read.json",
        "status_sent.json",
        "unknown_number.json",
    }
    assert {p.name for p in SAMPLES.glob("*.json")} == set(SIMPLE) | posted_elsewhere
