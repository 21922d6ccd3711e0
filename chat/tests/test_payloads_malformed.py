"""Webhook bodies become typed events (chat.whatsapp.payloads.parse_webhook), malformed ones: a
broken envelope or a message missing what makes it storable is a Problem with a short reason,
never an exception; one bad message hides no good one; the events are frozen.

The bodies are the JSON fixtures in chat/tests/fixtures/whatsapp/; what each should become is in
chat/tests/payload_cases.py (shared with the webhook's tests).
"""

from __future__ import annotations

import pytest

from chat.tests.payload_cases import (
    only_inbound,
)
from chat.tests.samples import ASHA, CLINIC, sample
from chat.whatsapp.payloads import Ignored, Problem, parse_webhook

# -- malformed bodies -----------------------------------------------------------------------


def text_body(**message_changes) -> dict:
    body = sample("text.json")
    body["entry"][0]["changes"][0]["value"]["messages"][0].update(message_changes)
    return body


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (None, "not a JSON object"),
        ([1, 2], "not a JSON object"),
        ({"object": "page", "entry": []}, "unknown object"),
        ({"object": "whatsapp_business_account"}, "no entry"),
        ({"object": "whatsapp_business_account", "entry": [{"id": "1"}]}, "without a changes list"),
        ({"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages"}]}]}, "without a value"),
        (
            {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "bogus", "value": {}}]}]},
            "unknown field 'bogus'",
        ),
        (
            {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {}}]}]},
            "without metadata",
        ),
    ],
)
def test_malformed_envelope_becomes_a_problem_with_a_short_reason(body, reason):
    """Junk never raises: it is one Problem saying what was wrong."""
    batch = parse_webhook(body)
    assert not batch.inbound and not batch.statuses
    assert len(batch.problems) == 1
    assert reason in batch.problems[0].reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": None}, "without an id"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"timestamp": "9" * 30}, "timestamp"),
        ({"from": None}, "sender"),
    ],
)
def test_message_missing_what_makes_it_storable_is_a_problem(changes, reason):
    """No wamid, no usable time or no patient id: the message cannot be stored, so it is a Problem."""
    body = text_body(**changes)
    if "from" in changes:
        body["entry"][0]["changes"][0]["value"].pop("contacts")
    batch = parse_webhook(body)
    assert not batch.inbound
    assert [p.phone_number_id for p in batch.problems] == [CLINIC]
    assert reason in batch.problems[0].reason


def test_unknown_status_value_is_a_problem():
    """A status outside sent/delivered/read/failed is a Problem, never a Status the pipeline would apply."""
    body = sample("status_read.json")
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "exploded"
    batch = parse_webhook(body)
    assert not batch.statuses
    assert batch.problems[0].reason == "unknown status 'exploded'"


def test_message_type_outside_the_product_list_is_unsupported():
    """A type the product does not know is an unsupported Inbound, with the original in raw."""
    [inbound] = parse_webhook(text_body(type="poll")).inbound
    assert (inbound.type, inbound.raw["type"], inbound.text) == ("unsupported", "poll", "")


def test_one_bad_message_does_not_hide_the_good_ones():
    """A broken message in a batch is a Problem; the other messages are still parsed."""
    body = sample("batch.json")
    body["entry"][0]["changes"][0]["value"]["messages"].insert(0, "garbage")
    batch = parse_webhook(body)
    assert [i.wamid for i in batch.inbound] == ["wamid.DEV0014", "wamid.DEV0015"]
    assert [p.reason for p in batch.problems] == ["message is not an object"]


def test_contact_of_someone_else_is_not_used_for_the_sender():
    """With one contact whose wa_id is not the sender's, the name is not borrowed from it."""
    body = text_body()
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "919800000099"
    [inbound] = parse_webhook(body).inbound
    assert (inbound.wa_id, inbound.profile_name) == (ASHA, "")


def test_parsed_events_are_frozen():
    """Events are values: the pipeline cannot change what Meta sent by accident."""
    inbound = only_inbound("text.json")
    with pytest.raises(AttributeError):
        inbound.text = "changed"  # type: ignore[misc]
    assert isinstance(Problem("x", None), Problem) and isinstance(Ignored("x", None), Ignored)
