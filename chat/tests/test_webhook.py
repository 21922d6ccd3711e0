"""POST /webhooks/whatsapp/ end to end: the handshake, signatures, every sample and peer payload
posted through Django's full request stack, duplicates, statuses, and a fuzzer.

Bodies come from the JSON fixtures in fixtures/whatsapp/ (samples/ written for this project,
peer-pywa/ from pywa's test suite). Replies go out through the sandbox transport, so "sent"
means the sandbox took it (status sent or delivered, a wamid.SANDBOX- id).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import os
import uuid

import pytest
from django.db.models import Count, F, Q
from django.test import Client, TestCase, override_settings
from hypothesis import HealthCheck, given
from hypothesis import event as hypothesis_event
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chat.models import Message, PendingStatus
from chat.tests.junk import JSON_VALUES, NASTY_STRINGS, RAW, RAW_TOKENS
from chat.tests.phone import make_clinic
from chat.tests.test_payloads import (
    MEDIA,
    PEER,
    PEER_CASES,
    PEER_IGNORED,
    PEER_MESSAGES,
    PEER_STATUSES,
    SAMPLES,
    SIMPLE,
    peer_cases,
    sample,
)
from chat.tests.webhooks import ASHA, SAMPLE_NOW, SECRET, URL, first_message, post, replies_to, status_body
from chat.whatsapp.payloads import parse_webhook
from chat.whatsapp.signature import sign
from patients.models import Patient

PEER_PHONE_NUMBER_ID = "1122334455667"
KEPT_FOR_DOCTOR = "the clinic team will see this"


@pytest.fixture
def pushed(monkeypatch):
    """Every live event pushed to a doctor's page."""
    events: list[dict] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append(event))
    return events


def delivered_replies() -> int:
    """Outgoing messages the transport took: sent, or already delivered."""
    return Message.objects.filter(
        direction=Message.Direction.OUT, status__in=[Message.Status.SENT, Message.Status.DELIVERED]
    ).count()


def outgoing(patient: Patient, wamid: str, status: str = Message.Status.SENT) -> Message:
    """An outgoing message Meta has already accepted (as send_message_now leaves it)."""
    return Message.objects.create(
        doctor=patient.doctor,
        patient=patient,
        direction=Message.Direction.OUT,
        type=Message.Type.TEXT,
        text="Your appointment is on Friday at 11:00.",
        wamid=wamid,
        status=status,
        sender=Message.Sender.BOT,
        processed=True,
        sent_at=SAMPLE_NOW,
    )


def asha(doctor) -> Patient:
    return Patient.objects.create(doctor=doctor, wa_id=ASHA, name="Asha Verma", last_inbound_at=SAMPLE_NOW)


# --- GET: Meta's verification handshake --------------------------------------------------------


HANDSHAKE = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"}


@override_settings(WHATSAPP_VERIFY_TOKEN="verify-me")
def test_handshake_with_the_right_token_answers_the_raw_challenge():
    """mode=subscribe and the configured verify token: 200 with the challenge as the plain body."""
    response = Client().get(URL, HANDSHAKE)
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "query",
    [
        {**HANDSHAKE, "hub.verify_token": "guess"},
        {**HANDSHAKE, "hub.verify_token": ""},
        {k: v for k, v in HANDSHAKE.items() if k != "hub.verify_token"},
        {k: v for k, v in HANDSHAKE.items() if k != "hub.mode"},
        {**HANDSHAKE, "hub.mode": "unsubscribe"},
    ],
    ids=["wrong-token", "empty-token", "no-token", "no-mode", "other-mode"],
)
@override_settings(WHATSAPP_VERIFY_TOKEN="verify-me")
def test_handshake_with_a_wrong_token_or_mode_is_refused_without_the_challenge(query):
    """A wrong, empty or missing token, or a mode other than subscribe: 403, and the challenge is not echoed."""
    response = Client().get(URL, query)
    assert response.status_code == 403
    assert b"1158201444" not in response.content


@override_settings(WHATSAPP_VERIFY_TOKEN="")
def test_handshake_is_refused_when_no_verify_token_is_configured():
    """With no verify token set, nobody can subscribe the URL, not even with an empty token."""
    assert Client().get(URL, {**HANDSHAKE, "hub.verify_token": ""}).status_code == 403
    assert Client().get(URL, HANDSHAKE).status_code == 403


def test_other_methods_are_not_allowed():
    """Only GET and POST exist on the webhook."""
    assert Client().put(URL, data="{}", content_type="application/json").status_code == 405


# --- POST: the signature -----------------------------------------------------------------------


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_correctly_signed_post_is_stored_and_answered(clinic):
    """The app secret's HMAC of the raw body: 200, the message stored and the patient answered."""
    raw = (SAMPLES / "text.json").read_bytes()
    response = post(raw, signature=sign(raw, SECRET))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "stored": 1, "duplicates": 0, "statuses": 0}
    assert Message.objects.get(direction="in").wamid == "wamid.DEV0001"
    assert delivered_replies() == 1


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_signature_is_over_the_raw_bytes_even_with_non_ascii_text(clinic):
    """Devanagari sent unescaped, as Meta sends it, verifies because the received bytes are hashed."""
    body = sample("text.json")
    first_message(body)["text"]["body"] = "नमस्ते, कल शाम 5 बजे"
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    assert post(raw, signature=sign(raw, SECRET)).status_code == 200
    assert Message.objects.get(direction="in").text == "नमस्ते, कल शाम 5 बजे"


@pytest.mark.parametrize(
    "make_header",
    [
        lambda raw: sign(raw, "someone-elses-secret"),
        lambda raw: None,
        lambda raw: "",
        lambda raw: "sha1=" + sign(raw, SECRET).removeprefix("sha256="),
        lambda raw: sign(raw + b" ", SECRET),
    ],
    ids=["wrong-secret", "missing", "empty", "sha1-prefix", "body-changed-after-signing"],
)
@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_badly_signed_post_is_refused_and_stores_nothing(clinic, make_header, caplog):
    """Wrong secret, no header, wrong algorithm, or a body changed after signing: 403, nothing stored, logged."""
    raw = (SAMPLES / "text.json").read_bytes()
    response = post(raw, signature=make_header(raw))
    assert response.status_code == 403
    assert not Message.objects.exists() and not Patient.objects.exists()
    assert "bad or missing X-Hub-Signature-256" in caplog.text


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_re_serialised_body_no_longer_matches_its_signature(clinic):
    """Signing the parsed JSON and sending it re-serialised differently is refused (hash bytes, not JSON)."""
    raw = (SAMPLES / "text.json").read_bytes()
    compact = json.dumps(json.loads(raw), separators=(",", ":")).encode()
    assert compact != raw
    assert post(compact, signature=sign(raw, SECRET)).status_code == 403
    assert not Message.objects.exists()


@override_settings(WHATSAPP_APP_SECRET="")
def test_without_an_app_secret_unsigned_posts_are_accepted(clinic):
    """The demo (no secret configured) takes unsigned posts; the start-up log says so loudly."""
    assert post(sample("text.json")).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1


def test_a_body_that_is_not_json_is_answered_200_and_stores_nothing(clinic, caplog):
    """Junk bytes are logged and answered 200 (anything else makes Meta retry for days)."""
    response = post(b"\xff\xfe not json {")
    assert response.status_code == 200
    assert response.json()["ignored"] == "not json"
    assert not Message.objects.exists()
    assert "webhook body is not JSON" in caplog.text


# --- duplicates --------------------------------------------------------------------------------


def test_the_same_post_delivered_three_times_stores_one_message_and_sends_one_reply(clinic):
    """Meta delivers at least once: three deliveries of one message, one stored row, one reply sent."""
    body = sample("text_hinglish.json")
    answers = [post(body).json() for _ in range(3)]
    assert [a["stored"] for a in answers] == [1, 0, 0]
    assert [a["duplicates"] for a in answers] == [0, 1, 1]
    assert Message.objects.filter(direction="in").count() == 1
    assert delivered_replies() == 1
    assert Message.objects.filter(direction="out").count() == 1
    patient = Patient.objects.get()
    assert patient.unread_count == 1


def test_a_message_repeated_inside_one_post_is_stored_once(clinic):
    """The same wamid twice in one body (a batch that repeats itself) is one message and one reply."""
    body = sample("text.json")
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"].append(copy.deepcopy(value["messages"][0]))
    assert post(body).json()["stored"] == 1
    assert Message.objects.filter(direction="in").count() == 1
    assert delivered_replies() == 1


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


def test_the_batch_sample_stores_both_messages_and_applies_its_status(clinic, pushed):
    """Two patients' messages and a read status in one change: both stored, both answered, the status applied."""
    ours = outgoing(asha(clinic), "wamid.DEV0904")
    response = post(sample("batch.json"))
    assert response.json() == {"ok": True, "stored": 2, "duplicates": 0, "statuses": 1}
    incoming = Message.objects.filter(direction="in").order_by("wa_timestamp")
    assert [(m.wamid, m.patient.wa_id, m.text) for m in incoming] == [
        ("wamid.DEV0014", ASHA, "first of two"),
        ("wamid.DEV0015", "919800000002", "hello from the second patient"),
    ]
    assert Patient.objects.get(wa_id="919800000002").name == "Rahul Nair"
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.read_at == dt.datetime.fromtimestamp(1767225662, tz=dt.UTC)
    assert len(replies_to("919800000002")) == 1


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


def test_status_samples_move_the_sent_message_to_delivered_then_read(clinic, pushed):
    """The sent, delivered and read samples, in order, for a message we sent: sent (already), delivered, read."""
    ours = outgoing(asha(clinic), "wamid.DEV0904")
    seen = []
    for name in ("status_sent.json", "status_delivered.json", "status_read.json"):
        assert post(sample(name)).json()["statuses"] == 1
        ours.refresh_from_db()
        seen.append(ours.status)
    assert seen == ["sent", "delivered", "read"]
    assert ours.delivered_at == dt.datetime.fromtimestamp(1767225651, tz=dt.UTC)
    assert ours.read_at == dt.datetime.fromtimestamp(1767225652, tz=dt.UTC)
    assert [e["message"]["status"] for e in pushed if e["type"] == "message.status"] == ["delivered", "read"]


def test_the_failed_status_sample_keeps_metas_code_and_title(clinic, pushed):
    """A failed status stores Meta's code (131047) and title for the doctor to see."""
    ours = outgoing(asha(clinic), "wamid.DEV0905")
    post(sample("status_failed.json"))
    ours.refresh_from_db()
    assert (ours.status, ours.error_code, ours.error_title) == ("failed", 131047, "Re-engagement message")
    [event] = [e for e in pushed if e["type"] == "message.status"]
    assert event["message"]["error_code"] == 131047


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


# --- every case in peer-pywa/ ------------------------------------------------------------------


@pytest.fixture
def peer_clinic(clinic):
    """A clinic on pywa's test number, so its message cases have somewhere to land."""
    return make_clinic(phone_number_id=PEER_PHONE_NUMBER_ID, display_phone_number="972123456789")


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


# --- statuses ----------------------------------------------------------------------------------

T0 = 1767225650  # the samples' "sent" time


def post_status(wamid: str, status: str, seconds: int, errors: list | None = None) -> None:
    assert post(status_body(wamid, status, seconds, errors)).status_code == 200


def test_statuses_in_order_move_the_message_sent_delivered_read(clinic, pushed):
    """sent, delivered, read: each moves the message forward, records its time and is pushed once."""
    ours = outgoing(asha(clinic), "wamid.OUT1")
    post_status("wamid.OUT1", "sent", T0)
    post_status("wamid.OUT1", "delivered", T0 + 1)
    post_status("wamid.OUT1", "read", T0 + 5)
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.delivered_at == dt.datetime.fromtimestamp(T0 + 1, tz=dt.UTC)
    assert ours.read_at == dt.datetime.fromtimestamp(T0 + 5, tz=dt.UTC)
    assert [e["message"]["status"] for e in pushed if e["type"] == "message.status"] == ["delivered", "read"]


def test_a_late_delivered_or_sent_after_read_never_moves_the_status_back(clinic, pushed):
    """Meta does not keep order: a delivered or sent arriving after read leaves the message read and pushes nothing.

    The late delivered still fills in the delivery time, which was unknown until then.
    """
    ours = outgoing(asha(clinic), "wamid.OUT2")
    post_status("wamid.OUT2", "read", T0 + 5)
    pushed.clear()
    post_status("wamid.OUT2", "delivered", T0 + 1)
    post_status("wamid.OUT2", "sent", T0)
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.read_at == dt.datetime.fromtimestamp(T0 + 5, tz=dt.UTC)
    assert ours.delivered_at == dt.datetime.fromtimestamp(T0 + 1, tz=dt.UTC)
    assert pushed == []


def test_a_late_sent_after_delivered_changes_nothing(clinic, pushed):
    """sent after delivered (Chatwoot #14529): the message stays delivered, nothing pushed."""
    ours = outgoing(asha(clinic), "wamid.OUT3")
    post_status("wamid.OUT3", "delivered", T0 + 1)
    pushed.clear()
    post_status("wamid.OUT3", "sent", T0)
    ours.refresh_from_db()
    assert ours.status == Message.Status.DELIVERED
    assert pushed == []


def test_read_without_delivered_moves_straight_to_read(clinic):
    """A message read at once gets no separate delivered: read alone is enough."""
    ours = outgoing(asha(clinic), "wamid.OUT4")
    post_status("wamid.OUT4", "read", T0 + 3)
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.read_at == dt.datetime.fromtimestamp(T0 + 3, tz=dt.UTC)
    assert ours.delivered_at is None


def test_a_failed_status_keeps_metas_code_and_title(clinic, pushed):
    """failed stores Meta's error code and title (here 131026, undeliverable) and pushes them."""
    ours = outgoing(asha(clinic), "wamid.OUT5")
    errors = [{"code": 131026, "title": "Message undeliverable", "error_data": {"details": "not on WhatsApp"}}]
    post_status("wamid.OUT5", "failed", T0 + 2, errors)
    ours.refresh_from_db()
    assert (ours.status, ours.error_code, ours.error_title) == ("failed", 131026, "Message undeliverable")
    [event] = [e for e in pushed if e["type"] == "message.status"]
    assert (event["message"]["status"], event["message"]["error_code"]) == ("failed", 131026)


def test_a_failed_status_without_a_title_keeps_metas_message(clinic):
    """Titles are being deprecated: the error's message stands in for it."""
    ours = outgoing(asha(clinic), "wamid.OUT6")
    post_status("wamid.OUT6", "failed", T0 + 2, [{"code": 131049, "message": "Marketing per-user limit"}])
    ours.refresh_from_db()
    assert (ours.error_code, ours.error_title) == (131049, "Marketing per-user limit")


def test_a_late_failure_after_read_changes_nothing(clinic):
    """The patient read it: a failure report that arrives afterwards cannot undo that."""
    ours = outgoing(asha(clinic), "wamid.OUT7")
    post_status("wamid.OUT7", "read", T0 + 5)
    post_status("wamid.OUT7", "failed", T0 + 2, [{"code": 131000, "title": "Something went wrong"}])
    ours.refresh_from_db()
    assert (ours.status, ours.error_code) == (Message.Status.READ, None)


def test_a_status_for_a_message_not_yet_known_is_kept_for_later(clinic):
    """A status that overtook its message is stored as a PendingStatus with Meta's code, and the webhook answers 200."""
    errors = [{"code": 131047, "title": "Re-engagement message"}]
    post_status("wamid.NOT-YET", "delivered", T0 + 1)
    post_status("wamid.NOT-YET", "failed", T0 + 2, errors)
    pending = list(PendingStatus.objects.filter(wamid="wamid.NOT-YET").order_by("timestamp"))
    assert [(p.status, p.error_code, p.error_title) for p in pending] == [
        ("delivered", None, ""),
        ("failed", 131047, "Re-engagement message"),
    ]
    assert not Message.objects.exists()


def test_pending_statuses_are_applied_when_the_message_gets_that_wamid(clinic, pushed):
    """Once our send stores the wamid, the statuses that waited for it are applied in time order and removed."""
    from chat.statuses import apply_pending_statuses

    post_status("wamid.EARLY", "read", T0 + 5)
    post_status("wamid.EARLY", "delivered", T0 + 1)
    ours = outgoing(asha(clinic), "wamid.EARLY")
    with TestCase.captureOnCommitCallbacks(execute=True):
        apply_pending_statuses("wamid.EARLY")
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.delivered_at == dt.datetime.fromtimestamp(T0 + 1, tz=dt.UTC)
    assert not PendingStatus.objects.exists()
    assert [e["message"]["status"] for e in pushed if e["type"] == "message.status"] == ["read"]


# --- what the database cannot hold (found by the fuzzer below) ---------------------------------


def text_with(**changes) -> dict:
    body = sample("text.json")
    first_message(body)["text"]["body"] = "hello"
    first_message(body).update(changes)
    return body


def test_nul_characters_and_lone_surrogates_are_cleaned_out_of_a_stored_message(clinic):
    """PostgreSQL refuses NUL and UTF-8 cannot carry a lone surrogate: both are cleaned from the text
    and the payload, and the message is stored and answered (200, not a 500 Meta would retry for days)."""
    body = text_with(extra={"k\x00": "v\x00"})
    first_message(body)["text"]["body"] = "hel\x00lo \ud83d"
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = "Asha\x00 Verma"
    response = post(json.dumps(body).encode())  # \u0000 and \ud83d escapes, as JSON allows
    assert response.status_code == 200
    message = Message.objects.get(direction="in")
    assert message.text == "hello \ufffd"
    assert message.payload["extra"] == {"k": "v"}
    assert message.patient.name == "Asha Verma"
    assert len(replies_to(ASHA)) == 1


def test_an_over_long_profile_name_and_reply_id_are_cut_to_their_columns(clinic):
    """A 500-character name and reply id are stored cut to the column widths."""
    body = text_with(type="button", button={"payload": "p" * 500, "text": "Confirm"})
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]["name"] = "N" * 500
    assert post(body).status_code == 200
    message = Message.objects.get(direction="in")
    assert message.reply_id == "p" * 256
    assert message.patient.name == "N" * 160


@pytest.mark.parametrize(
    "changes",
    [{"id": "wamid." + "x" * 300}, {"id": "wamid.\x00"}, {"from": "9" * 40}, {"from": "91\x0098"}],
    ids=["long-wamid", "nul-wamid", "long-wa-id", "nul-wa-id"],
)
def test_a_message_whose_ids_cannot_be_stored_is_dropped_and_logged(clinic, caplog, changes):
    """No real Meta id is wider than our columns or holds a NUL: the message is dropped with a warning, 200."""
    response = post(text_with(**changes))
    assert response.status_code == 200
    assert not Message.objects.exists() and not Patient.objects.exists()
    assert "unstorable" in caplog.text


def test_a_phone_number_id_with_a_nul_is_an_unknown_number(clinic, caplog):
    """The clinic lookup itself would fail on PostgreSQL: the message is dropped like any unknown number's."""
    body = text_with()
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "100200300400500\x00"
    assert post(body).status_code == 200
    assert not Message.objects.exists()
    assert "unstorable phone_number_id" in caplog.text


def test_statuses_the_database_cannot_hold_are_cleaned_or_dropped(clinic, caplog):
    """A 400-character title is cut to 300, a code beyond a 32-bit integer is forgotten, an over-wide wamid dropped."""
    post_status("wamid.T1", "failed", T0, [{"code": 2**40, "title": "t\x00" * 400}])
    post_status("wamid." + "x" * 300, "read", T0)
    [pending] = PendingStatus.objects.all()
    assert (pending.wamid, pending.error_code, pending.error_title) == ("wamid.T1", None, "t" * 300)
    assert "status read for an unstorable wamid" in caplog.text


# --- fuzzing -----------------------------------------------------------------------------------

# At least 2,000 in every run (make test); FUZZ_EXAMPLES=20000 for a long run (docs/benchmarks.md).
# Run as FUZZ_SHARDS tests of FUZZ_EXAMPLES / FUZZ_SHARDS examples each (each its own random
# stream), which the root conftest lets parallel workers share out.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
FUZZ_SHARDS = 4
BASE_BODIES = [sample(p.name) for p in sorted(SAMPLES.glob("*.json"))] + [
    body for path in sorted(PEER.glob("*.json")) for body in peer_cases(path.name).values()
]

MESSAGE_BODIES = [body for body in BASE_BODIES if parse_webhook(body).inbound]


def _paths(value, prefix=()):
    """Every (container path, key) in a JSON tree, so a mutation can aim anywhere."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield prefix, key
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield prefix, index
            yield from _paths(child, (*prefix, index))


@st.composite
def mutated_bodies(draw) -> dict:
    """A real payload (sample or peer case) with fresh message ids, then 0–3 random edits, mostly
    inside the messages and statuses: a value replaced by any JSON value or a nasty string, a key
    deleted, or a list item doubled."""
    body = copy.deepcopy(
        draw(st.sampled_from(MESSAGE_BODIES) | st.sampled_from(MESSAGE_BODIES) | st.sampled_from(BASE_BODIES))
    )
    for entry in body.get("entry", []):
        for change in entry.get("changes", []) if isinstance(entry, dict) else []:
            for message in change.get("value", {}).get("messages", []) or []:
                message["id"] = f"wamid.FUZZ-{uuid.uuid4().hex}"
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        paths = list(_paths(body))
        deep = [(prefix, key) for prefix, key in paths if len(prefix) >= 6]  # inside one message or status
        if not paths:
            break
        prefix, key = draw(st.sampled_from(deep if deep and draw(st.integers(0, 4)) else paths))
        parent = body
        for step in prefix:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "nasty", "raw", "delete", "double"]))
        if action == "raw":
            parent[key] = RAW
        elif action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "nasty":
            parent[key] = draw(NASTY_STRINGS)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(parent[key][0]))
    return body


@pytest.fixture
def fuzz_client():
    """One client for all of a fuzz run's examples, raising any server error into the test."""
    return Client(raise_request_exception=True)


def assert_nothing_half_stored() -> None:
    """Every incoming message has its wamid, time and patient (of the same clinic); every patient has a message."""
    incoming = Message.objects.filter(direction=Message.Direction.IN)
    assert not incoming.filter(Q(wamid__isnull=True) | Q(wamid="")).exists()
    assert not incoming.filter(wa_timestamp__isnull=True).exists()
    assert not incoming.exclude(patient__doctor_id=F("doctor_id")).exists()
    assert not Patient.objects.annotate(n=Count("messages")).filter(n=0).exists()
    outgoing_stuck = Message.objects.filter(direction=Message.Direction.OUT, status=Message.Status.SENDING)
    assert not outgoing_stuck.exists()


@pytest.mark.slow
@pytest.mark.parametrize("fuzz_shard", range(FUZZ_SHARDS))
@hypothesis_settings(
    max_examples=-(-FUZZ_EXAMPLES // FUZZ_SHARDS),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    body=st.one_of(mutated_bodies(), mutated_bodies(), mutated_bodies(), JSON_VALUES),
    ascii_only=st.booleans(),
    raw_token=st.sampled_from(RAW_TOKENS),
)
@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_fuzzed_webhook_bodies_never_get_a_500_or_a_half_stored_message(
    peer_clinic, fuzz_client, fuzz_shard, body, ascii_only, raw_token
):
    """Random JSON and mutated samples/peer payloads, correctly signed, sent \\u-escaped or as raw
    UTF-8 (invalid where a lone surrogate is), some with NaN, 4,301-digit numbers, 1,000-deep
    nesting or absurd timestamps written in: always 200, and nothing is ever half stored."""
    client = fuzz_client
    raw = json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    raw = raw.replace(json.dumps(RAW).encode(), raw_token.encode())
    response = post(raw, signature=sign(raw, SECRET), client=client)
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert_nothing_half_stored()
    hypothesis_event(f"stored={response.json().get('stored')} statuses={response.json().get('statuses')}")
