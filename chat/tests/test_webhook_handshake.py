"""The webhook's door (GET and POST /webhooks/whatsapp/ through Django's full request stack): Meta's
verification handshake, the signature over the raw bytes, a body that is not JSON, and the same
body delivered more than once.

Bodies come from the JSON fixtures in chat/tests/fixtures/whatsapp/ (samples/ written for this
project, peer-pywa/ from pywa's test suite; what each should become in chat/tests/payload_cases.py).
Replies go out through the sandbox transport, so "sent" means the sandbox took it (status sent or
delivered, a wamid.SANDBOX- id). The `clinic` and `peer_clinic` fixtures are in chat/tests/conftest.py.
"""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client, override_settings

from chat.models import Message
from chat.tests.samples import SAMPLES, sample
from chat.tests.webhooks import SECRET, URL, first_message, post
from chat.whatsapp.signature import sign
from patients.models import Patient


def delivered_replies() -> int:
    """Outgoing messages the transport took: sent, or already delivered."""
    return Message.objects.filter(
        direction=Message.Direction.OUT, status__in=[Message.Status.SENT, Message.Status.DELIVERED]
    ).count()


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
