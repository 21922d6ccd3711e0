"""POST /webhooks/whatsapp/ with values the database cannot hold (found by test_webhook_fuzz): NUL
characters, lone surrogates, over-wide ids, names and titles, huge error codes: cleaned, cut or
dropped and logged, never a 500.

Bodies come from the JSON fixtures in chat/tests/fixtures/whatsapp/ (samples/ written for this
project, peer-pywa/ from pywa's test suite; what each should become in chat/tests/payload_cases.py).
Replies go out through the sandbox transport, so "sent" means the sandbox took it (status sent or
delivered, a wamid.SANDBOX- id). The `clinic` and `peer_clinic` fixtures are in chat/tests/conftest.py.
"""

from __future__ import annotations

import json

import pytest

from chat.models import Message, PendingStatus
from chat.tests.samples import sample
from chat.tests.sent_messages import T0, post_status
from chat.tests.webhooks import ASHA, first_message, post, replies_to
from patients.models import Patient

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
