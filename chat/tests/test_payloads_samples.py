"""Webhook bodies become typed events (chat.whatsapp.payloads.parse_webhook), the project's samples
(samples/): one expectation per file, messages, media, statuses and the async error.

The bodies are the JSON fixtures in chat/tests/fixtures/whatsapp/; what each should become is in
chat/tests/payload_cases.py (shared with the webhook's tests).
"""

from __future__ import annotations

import datetime as dt

import pytest

from chat.tests.payload_cases import (
    MEDIA,
    OTHER_SAMPLES,
    SIMPLE,
    only_inbound,
    only_status,
    utc,
)
from chat.tests.samples import ASHA, CLINIC, SAMPLES, sample
from chat.whatsapp.payloads import parse_webhook

# -- samples/: one expectation per file ---------------------------------------------------


def test_every_sample_file_has_an_expectation():
    """A sample added to samples/ without an expectation here fails, rather than going untested."""
    assert {p.name for p in SAMPLES.glob("*.json")} == set(SIMPLE) | OTHER_SAMPLES


@pytest.mark.parametrize("name", sorted(SIMPLE))
def test_sample_message_becomes_one_inbound_with_what_the_patient_sent(name):
    """Each single-message sample gives one Inbound from Asha, with the type, readable text and reply id."""
    kind, text, reply_id, context = SIMPLE[name]
    inbound = only_inbound(name)
    raw_message = sample(name)["entry"][0]["changes"][0]["value"]["messages"][0]
    assert (inbound.type, inbound.text, inbound.reply_id, inbound.context_wamid) == (kind, text, reply_id, context)
    assert inbound.phone_number_id == CLINIC
    assert inbound.display_phone_number == "919812300000"
    assert (inbound.wa_id, inbound.user_id, inbound.profile_name) == (ASHA, None, "Asha Verma")
    assert inbound.wamid == raw_message["id"]
    assert inbound.timestamp == utc(int(raw_message["timestamp"]))
    assert inbound.timestamp.tzinfo is dt.UTC
    assert inbound.raw == raw_message


@pytest.mark.parametrize("name", sorted(MEDIA))
def test_media_sample_carries_the_media_id_mime_type_and_filename(name):
    """Media messages expose what the downloader needs: id, mime type, sha256, caption, filename."""
    inbound = only_inbound(name)
    raw_media = sample(name)["entry"][0]["changes"][0]["value"]["messages"][0][inbound.type]
    assert inbound.media == {**MEDIA[name], "sha256": raw_media["sha256"]}


def test_non_media_samples_have_no_media():
    """Only media types carry a media dict, so the integrator can branch on `media is None`."""
    for name in set(SIMPLE) - set(MEDIA):
        assert only_inbound(name).media is None, name


def test_location_sample_keeps_coordinates_name_and_address():
    """A shared location gives its coordinates, and its name and address as the text."""
    inbound = only_inbound("location.json")
    assert inbound.location == {"latitude": 18.5204, "longitude": 73.8567, "name": "Clinic", "address": "FC Road, Pune"}


def test_unsupported_sample_keeps_the_error_in_raw():
    """An unsupported message is still an Inbound (stored as a placeholder); Meta's 131051 stays in raw."""
    inbound = only_inbound("unsupported.json")
    assert inbound.raw["errors"][0]["code"] == 131051


def test_bsuid_only_sample_keys_the_patient_by_user_id_and_username():
    """A username-only user has no phone number: the BSUID and username come from contacts[]."""
    inbound = only_inbound("bsuid_only.json")
    assert inbound.wa_id is None
    assert inbound.user_id == "IN.13491208655302741918"
    assert inbound.username == "@asha_v"
    assert inbound.profile_name == "asha_v"
    assert (inbound.wamid, inbound.type, inbound.text) == ("wamid.DEV0018", "text", "hi")


def test_unknown_number_sample_is_an_inbound_for_that_phone_number_id():
    """The parser does not know the clinics: a message to another number comes out with its id."""
    inbound = only_inbound("unknown_number.json")
    assert (inbound.phone_number_id, inbound.display_phone_number) == ("999999999999999", "910000000000")
    assert (inbound.wamid, inbound.text) == ("wamid.DEV0019", "wrong clinic")


def test_batch_sample_gives_every_message_and_the_status():
    """Two messages from two patients and a status in one change: all three come out, each paired with its contact."""
    batch = parse_webhook(sample("batch.json"))
    assert [(i.wamid, i.wa_id, i.profile_name, i.text) for i in batch.inbound] == [
        ("wamid.DEV0014", ASHA, "Asha Verma", "first of two"),
        ("wamid.DEV0015", "919800000002", "Rahul Nair", "hello from the second patient"),
    ]
    assert [(s.wamid, s.status, s.recipient_id) for s in batch.statuses] == [("wamid.DEV0904", "read", ASHA)]
    assert not batch.problems and not batch.ignored


def test_multi_entry_sample_gives_the_message_of_every_entry():
    """Two entries in one body: both messages come out, in order."""
    batch = parse_webhook(sample("multi_entry.json"))
    assert [(i.wamid, i.wa_id, i.text) for i in batch.inbound] == [
        ("wamid.DEV0016", ASHA, "entry one"),
        ("wamid.DEV0017", "919800000002", "entry two"),
    ]
    assert not batch.problems


@pytest.mark.parametrize(
    ("name", "status", "seconds"),
    [
        ("status_sent.json", "sent", 1767225650),
        ("status_delivered.json", "delivered", 1767225651),
        ("status_read.json", "read", 1767225652),
    ],
)
def test_status_sample_becomes_a_status_without_error(name, status, seconds):
    """sent/delivered/read statuses carry the wamid, recipient and an aware time, and no error."""
    result = only_status(parse_webhook(sample(name)))
    assert (result.phone_number_id, result.wamid, result.status) == (CLINIC, "wamid.DEV0904", status)
    assert result.timestamp == utc(seconds)
    assert result.recipient_id == ASHA
    assert (result.error_code, result.error_title, result.error_details) == (None, "", "")


def test_failed_status_sample_keeps_meta_error_code_title_and_details():
    """A failed status carries Meta's code (131047: outside the window) for the doctor to see."""
    result = only_status(parse_webhook(sample("status_failed.json")))
    assert (result.wamid, result.status, result.error_code) == ("wamid.DEV0905", "failed", 131047)
    assert result.error_title == "Re-engagement message"
    assert result.error_details.startswith("Message failed to send because more than 24 hours")


def test_status_keeps_the_raw_pricing_for_storage():
    """Pricing fields change often (July 2025), so the raw status is kept whole."""
    result = only_status(parse_webhook(sample("status_sent.json")))
    assert result.raw["pricing"]["pricing_model"] == "PMP"


def test_async_error_sample_becomes_a_problem_with_its_code():
    """An errors[] at value level (no message, no status) is a Problem with Meta's code and title."""
    batch = parse_webhook(sample("async_error.json"))
    assert not batch.inbound and not batch.statuses and not batch.ignored
    [problem] = batch.problems
    assert (problem.code, problem.phone_number_id) == (131000, CLINIC)
    assert "Something went wrong" in problem.reason
    assert problem.raw["error_data"]["details"] == "Unknown error"
