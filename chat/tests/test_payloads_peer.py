"""Webhook bodies become typed events (chat.whatsapp.payloads.parse_webhook), a peer library's
payloads (peer-pywa/): every case parses into the right kind: message, status or ignored.

The bodies are the JSON fixtures in chat/tests/fixtures/whatsapp/; what each should become is in
chat/tests/payload_cases.py (shared with the webhook's tests).
"""

from __future__ import annotations

import datetime as dt

import pytest

from chat.tests.payload_cases import (
    PEER_CASES,
    PEER_IGNORED,
    PEER_MESSAGES,
    PEER_STATUSES,
    PEER_USER,
    only_status,
)
from chat.tests.samples import peer_cases
from chat.whatsapp.payloads import parse_webhook

# -- peer-pywa/: every case parses into the right kind --------------------------------------


def test_every_peer_case_has_an_expectation():
    """A new case in peer-pywa/ fails here until someone says what it should become."""
    assert set(PEER_CASES) == set(PEER_MESSAGES) | set(PEER_STATUSES) | set(PEER_IGNORED)


@pytest.mark.parametrize(("name", "case"), sorted(PEER_MESSAGES))
def test_peer_message_case_becomes_an_inbound_of_the_right_type(name, case):
    """pywa's message payloads: one Inbound with the sender's phone, BSUID and name, type, text and reply id."""
    batch = parse_webhook(peer_cases(name)[case])
    [inbound] = batch.inbound
    assert (inbound.type, inbound.text, inbound.reply_id) == PEER_MESSAGES[name, case]
    assert (inbound.wa_id, inbound.user_id, inbound.profile_name) == PEER_USER
    assert inbound.phone_number_id == "1122334455667"
    assert inbound.timestamp.tzinfo is dt.UTC
    assert not batch.statuses and not batch.ignored


def test_peer_interactive_without_payload_is_unsupported_and_its_error_a_problem():
    """An interactive message Meta could not render comes with a value-level error: both are reported."""
    batch = parse_webhook(peer_cases("message.json")["interactive_message_with_err"])
    assert [i.type for i in batch.inbound] == ["unsupported"]
    assert [p.code for p in batch.problems] == [131000]


def test_peer_unknown_message_type_keeps_the_original_type_in_raw():
    """An `order` message maps to unsupported, and raw still says it was an order."""
    [inbound] = parse_webhook(peer_cases("message.json")["order"]).inbound
    assert (inbound.type, inbound.raw["type"]) == ("unsupported", "order")


def test_peer_reply_and_reaction_point_at_the_message_they_refer_to():
    """A quoted reply and a reaction both give the referenced wamid; a forwarded message has none."""
    cases = peer_cases("message.json")
    assert parse_webhook(cases["reply"]).inbound[0].context_wamid == "wamid.xyzxyz=="
    assert parse_webhook(cases["reaction"]).inbound[0].context_wamid == "wamid.yzxyzx="
    assert parse_webhook(cases["forwarded"]).inbound[0].context_wamid is None


def test_peer_document_media_has_filename():
    """pywa's document keeps its filename and caption in the media dict."""
    [inbound] = parse_webhook(peer_cases("message.json")["document"]).inbound
    assert inbound.media["filename"] == "filename.pdf"
    assert inbound.media["id"] == "1234567890987654321"


def test_peer_from_user_id_is_taken_from_the_message():
    """`from_user_id` on the message is the BSUID, even before the contact is looked at."""
    [inbound] = parse_webhook(peer_cases("callback_button.json")["quick_reply_without_context"]).inbound
    assert inbound.user_id == "US.13491208655302741918"


@pytest.mark.parametrize(("name", "case"), sorted(PEER_STATUSES))
def test_peer_status_case_becomes_a_status(name, case):
    """pywa's statuses come out with their status and, when failed, Meta's code."""
    result = only_status(parse_webhook(peer_cases(name)[case]))
    assert (result.status, result.error_code) == PEER_STATUSES[name, case]
    assert result.timestamp.tzinfo is dt.UTC
    assert result.wamid


@pytest.mark.parametrize(("name", "case"), sorted(PEER_IGNORED))
def test_peer_case_the_product_does_not_act_on_is_ignored(name, case):
    """Account updates, template status, system events, edits, deletions: recorded as Ignored, nothing else."""
    batch = parse_webhook(peer_cases(name)[case])
    assert [i.kind for i in batch.ignored] == [PEER_IGNORED[name, case]]
    assert not batch.inbound and not batch.statuses and not batch.problems
