"""Signed bodies built to break the webhook (issue 12): always 200 unless the database is down,
what can be used is stored and answered, and what cannot is kept raw for the operator."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from chat.models import Message, RawWebhook
from chat.tests.samples import sample
from chat.tests.webhooks import ASHA, SECRET, first_message, replies_to, signed_post

pytestmark = pytest.mark.usefixtures("clinic")


def text_message_raw(extra: str) -> bytes:
    """The text sample with `"extra": <extra>` spliced into its message (raw JSON, so NaN or a
    4,301-digit number can be written as Meta's serializer never would)."""
    body = sample("text.json")
    first_message(body)["extra"] = "__EXTRA__"
    return json.dumps(body).replace('"__EXTRA__"', extra).encode()


@override_settings(WHATSAPP_APP_SECRET=SECRET)
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_a_signed_body_nested_1000_or_more_deep_is_200_and_kept_raw(depth):
    raw = ("[" * depth + "]" * depth).encode()
    response = signed_post(raw)
    assert (response.status_code, response.json()["ignored"]) == (200, "too deep")
    [kept] = RawWebhook.objects.all()
    assert bytes(kept.body) == raw and kept.reason.startswith("too deep")
    assert not Message.objects.exists()


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_message_with_a_1000_deep_field_is_200_and_kept_raw():
    response = signed_post(text_message_raw("[" * 1000 + "]" * 1000))
    assert (response.status_code, response.json()["ignored"]) == (200, "too deep")
    assert RawWebhook.objects.count() == 1 and not Message.objects.exists()


@override_settings(WHATSAPP_APP_SECRET=SECRET)
@pytest.mark.parametrize("number", ["9" * 4301, "-" + "1" * 5000, "NaN", "Infinity", "-Infinity", "1e999"])
def test_a_message_carrying_an_unusable_number_is_stored_answered_and_kept_raw(number):
    """A 4,301-digit integer (Python refuses it) or NaN/Infinity (jsonb refuses them): the
    message itself is fine, so it is stored with that value as null and answered."""
    raw = text_message_raw(number)
    response = signed_post(raw)
    assert response.status_code == 200 and response.json()["stored"] == 1
    message = Message.objects.get(direction="in")
    assert message.payload["extra"] is None and message.text
    assert len(replies_to(ASHA)) >= 1
    [kept] = RawWebhook.objects.all()
    assert bytes(kept.body) == raw and "unusable number" in kept.reason


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_timestamp_of_4301_digits_is_replaced_by_the_receipt_time():
    raw = text_message_raw("1").replace(b'"timestamp": "1767225600"', b'"timestamp": ' + b"9" * 4301)
    response = signed_post(raw)
    assert response.status_code == 200 and response.json()["stored"] == 1
    assert "replaced by the receipt time" in RawWebhook.objects.get().reason


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_junk_that_is_not_json_is_kept_raw():
    raw = b"\xff\xfe not json {"
    assert signed_post(raw).json()["ignored"] == "not json"
    assert bytes(RawWebhook.objects.get().body) == raw


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_an_ordinary_message_keeps_no_raw_copy():
    assert signed_post(json.dumps(sample("text.json")).encode()).json()["stored"] == 1
    assert not RawWebhook.objects.exists()


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_message_for_an_unknown_number_is_kept_raw_for_replay():
    raw = json.dumps(sample("unknown_number.json")).encode()
    assert signed_post(raw).status_code == 200
    assert "unknown phone_number_id 999999999999999" in RawWebhook.objects.get().reason


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_message_that_breaks_storing_does_not_stop_the_next_one(monkeypatch):
    """A bug hit by one message of a batch: that one is reported and kept raw, the other is stored, 200."""
    import chat.inbound

    real = chat.inbound.find_or_create_patient

    def breaks_for_the_first(*, doctor, inbound):
        if inbound.wamid == "wamid.FIRST":
            raise ValueError("a bug")
        return real(doctor=doctor, inbound=inbound)

    monkeypatch.setattr(chat.inbound, "find_or_create_patient", breaks_for_the_first)
    body = sample("text.json")
    value = body["entry"][0]["changes"][0]["value"]
    second = dict(value["messages"][0], id="wamid.SECOND")
    value["messages"] = [dict(value["messages"][0], id="wamid.FIRST"), second]
    response = signed_post(json.dumps(body).encode())
    assert response.status_code == 200
    assert response.json()["stored"] == 1
    assert list(Message.objects.filter(direction="in").values_list("wamid", flat=True)) == ["wamid.SECOND"]
    assert "'wamid.FIRST' not stored: ValueError" in RawWebhook.objects.get().reason


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_database_that_is_down_is_a_500_so_meta_retries(monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("chat.inbound.store_inbound", down)
    response = signed_post(json.dumps(sample("text.json")).encode(), Client(raise_request_exception=False))
    assert response.status_code == 500
