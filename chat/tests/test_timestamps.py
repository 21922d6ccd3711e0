"""Absurd timestamps and messages that fail processing (issue 12): neither can break an inbox or
stop a patient's later messages from being handled."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from chat import pipeline
from chat.models import Message, RawWebhook
from chat.tests.samples import sample
from chat.tests.webhooks import ASHA, SAMPLE_NOW, SECRET, first_message, replies_to, signed_post
from chat.whatsapp.payloads import TIMESTAMP_MAX_AGE, TIMESTAMP_MAX_AHEAD, parse_webhook
from patients.models import Patient

pytestmark = pytest.mark.usefixtures("clinic")

ABSURD = {
    "9999-12-31": "253402300799",
    "year 1": "-62135596800",
    "negative": "-1",
    "huge": "9" * 40,
    "not a number": "yesterday",
}


def text_at(timestamp, *, wamid: str = "wamid.T-1", said: str = "hi", wa_id: str = ASHA) -> bytes:
    body = sample("text.json")
    message = first_message(body)
    message.update(id=wamid, timestamp=timestamp, **{"from": wa_id})
    message["text"]["body"] = said
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = wa_id
    return json.dumps(body).encode()


def staff_client(doctor) -> Client:
    user = User.objects.create_user("desk", password="pw-desk-123")
    doctor.members.add(user)
    client = Client()
    client.force_login(user)
    return client


@override_settings(WHATSAPP_APP_SECRET=SECRET)
@pytest.mark.parametrize("timestamp", list(ABSURD.values()), ids=list(ABSURD))
def test_an_absurd_timestamp_is_replaced_by_the_receipt_time_and_kept_raw(timestamp):
    """Stored at the receipt time, answered, Meta's value kept in the payload and the raw body."""
    response = signed_post(text_at(timestamp))
    assert response.status_code == 200 and response.json()["stored"] == 1
    message = Message.objects.get(direction="in")
    assert message.wa_timestamp == SAMPLE_NOW
    assert message.payload["timestamp"] == timestamp
    assert Patient.objects.get().last_inbound_at == SAMPLE_NOW
    assert len(replies_to(ASHA)) == 1
    assert "replaced by the receipt time" in RawWebhook.objects.get().reason


@override_settings(WHATSAPP_APP_SECRET=SECRET)
@pytest.mark.parametrize("timestamp", ["253402300799", "-62135596800"], ids=["9999-12-31", "year 1"])
def test_after_an_absurd_timestamp_the_inbox_lists_and_later_messages_are_answered(clinic, timestamp):  # noqa: F811
    signed_post(text_at(timestamp))
    signed_post(text_at(str(int(SAMPLE_NOW.timestamp())), wamid="wamid.T-2", said="what are your timings?"))
    assert len(replies_to(ASHA)) == 2
    assert not Message.objects.filter(direction="in", processed=False).exists()
    response = staff_client(clinic).get("/api/chat/conversations")
    assert response.status_code == 200
    assert response.json()["conversations"][0]["window_open"] is True


def test_a_timestamp_inside_the_window_is_kept():
    """A message redelivered days later keeps Meta's time; a minute of clock skew ahead too."""
    for offset in (-TIMESTAMP_MAX_AGE + dt.timedelta(hours=1), TIMESTAMP_MAX_AHEAD - dt.timedelta(minutes=1)):
        at = SAMPLE_NOW + offset
        body = json.loads(text_at(str(int(at.timestamp()))))
        [inbound] = parse_webhook(body, received_at=SAMPLE_NOW).inbound
        assert (inbound.timestamp, inbound.timestamp_replaced) == (at.replace(microsecond=0), False)


def test_a_status_with_an_absurd_timestamp_uses_the_receipt_time():
    body = sample("status_delivered.json")
    body["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"] = "253402300799"
    [status] = parse_webhook(body, received_at=SAMPLE_NOW).statuses
    assert (status.timestamp, status.timestamp_replaced) == (SAMPLE_NOW, True)


@pytest.mark.parametrize(
    "stored", [dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC), dt.datetime(1, 1, 1, tzinfo=dt.UTC)]
)
def test_rows_stored_with_extreme_times_before_the_clamp_do_not_break_the_inbox(clinic, stored):  # noqa: F811
    """Rows written before timestamps were clamped: the list answers 200 and the patient's next
    message is answered (the flood window and the 24-hour window do no overflowing arithmetic)."""
    signed_post(text_at(str(int(SAMPLE_NOW.timestamp())), wamid="wamid.OLD"))
    Message.objects.filter(wamid="wamid.OLD").update(wa_timestamp=stored)
    Patient.objects.update(last_inbound_at=stored, last_message_at=stored)
    client = staff_client(clinic)
    response = client.get("/api/chat/conversations")
    assert response.status_code == 200, response.content
    patient = Patient.objects.get()
    assert client.get(f"/api/chat/messages/{patient.pk}").status_code == 200
    Patient.objects.update(last_inbound_at=SAMPLE_NOW)
    assert pipeline.messages_in_last_minute(Message.objects.get(wamid="wamid.OLD")) == 1
    signed_post(text_at(str(int(SAMPLE_NOW.timestamp())), wamid="wamid.NEW", said="what are your timings?"))
    assert Message.objects.get(wamid="wamid.NEW").processed
    assert len(replies_to(ASHA)) == 2


# --- a message that fails processing ------------------------------------------------------------


def breaking_on(monkeypatch, word: str, *, times: int | None = None) -> list[int]:
    """Make the bot raise for messages containing `word` (`times` times, or always)."""
    calls = []
    real = pipeline.respond

    def respond(*, patient, message, now, llm_answer=None):
        if word in (message.text or "") and (times is None or len(calls) < times):
            calls.append(message.pk)
            raise RuntimeError("a bug in the bot")
        return real(patient=patient, message=message, now=now, llm_answer=llm_answer)

    monkeypatch.setattr(pipeline, "respond", respond)
    return calls


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_message_that_always_fails_is_parked_for_the_doctor_after_three_attempts(monkeypatch):
    calls = breaking_on(monkeypatch, "boom")
    now = str(int(SAMPLE_NOW.timestamp()))
    assert signed_post(text_at(now, wamid="wamid.BOOM", said="boom")).status_code == 200
    boom = Message.objects.get(wamid="wamid.BOOM")
    assert len(calls) == pipeline.MAX_PROCESS_ATTEMPTS == boom.attempts
    assert boom.processed
    patient = Patient.objects.get()
    assert patient.ai_paused and patient.handoff_requested_at is not None
    assert patient.ai_pause_reason == pipeline.REASON_COULD_NOT_PROCESS
    assert [m.text for m in replies_to(ASHA)] == [pipeline.COULD_NOT_PROCESS.text]

    signed_post(text_at(now, wamid="wamid.LATER", said="hello?"))
    assert Message.objects.get(wamid="wamid.LATER").processed  # shown to the doctor, not stuck


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_message_that_fails_once_is_answered_on_the_retry(monkeypatch):
    calls = breaking_on(monkeypatch, "timings", times=1)
    signed_post(text_at(str(int(SAMPLE_NOW.timestamp())), said="what are your timings?"))
    message = Message.objects.get(direction="in")
    assert (len(calls), message.attempts, message.processed) == (1, 1, True)
    assert not Patient.objects.get().ai_paused
    [reply] = replies_to(ASHA)
    assert reply.text != pipeline.COULD_NOT_PROCESS.text


@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_a_failing_message_of_one_patient_does_not_touch_another_patients(monkeypatch):
    breaking_on(monkeypatch, "boom")
    now = str(int(SAMPLE_NOW.timestamp()))
    signed_post(text_at(now, wamid="wamid.BOOM", said="boom"))
    signed_post(text_at(now, wamid="wamid.OTHER", said="hi", wa_id="919800000002"))
    other = Patient.objects.get(wa_id="919800000002")
    assert not other.ai_paused
    assert len(replies_to("919800000002")) == 1


def test_the_bot_is_given_a_bounded_prefix_and_the_doctor_the_whole_text():
    message = Message(text="tomorrow 3pm " * 10_000)
    bounded = pipeline.understood(message)
    assert len(bounded.text) == pipeline.UNDERSTOOD_PREFIX
    assert len(message.text) == 130_000
    short = Message(text="hi")
    assert pipeline.understood(short) is short
