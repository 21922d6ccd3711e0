"""From stored message to sent reply: process_inbox's order, send_message against a stub Graph
API over real sockets (retries, timeouts, Meta's error codes, duplicate tasks), and the 24-hour
customer-service window.

The stub (chat/tests/stub_graph.py) is a real HTTP server on 127.0.0.1; with an access token
configured the real GraphClient talks to it exactly as it would to graph.facebook.com.
"""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from chat.models import Message, MessageTemplate, PendingStatus
from chat.outbound import (
    MAX_REQUEUES,
    WindowClosed,
    callback_data,
    queue_template,
    send_message_now,
)
from chat.pipeline import process_inbox_now
from chat.simulator import webhook_payload
from chat.tasks import send_message
from chat.tests.phone import NOW, WA_ID, make_clinic
from chat.tests.pipelining import patient_of, queue_text
from chat.tests.webhooks import status_body
from clinicbot.replies import text
from patients.models import Doctor, Patient

PHONE_NUMBER_ID = "100200300400500"
SEND_PATH = f"/v23.0/{PHONE_NUMBER_ID}/messages"
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def clinic(travel) -> Doctor:
    """The demo-like clinic, time frozen at phone.NOW with real commits (`travel`), in place of the
    conftest's samples' clinic; the conftest's `phone` is its patient."""
    return make_clinic()


def sent_count() -> int:
    return Message.objects.filter(
        direction=Message.Direction.OUT, status__in=[Message.Status.SENT, Message.Status.DELIVERED]
    ).count()


# --- process_inbox: order ----------------------------------------------------------------------


def message_at(doctor: Doctor, n: int, at: dt.datetime) -> dict:
    body = webhook_payload(doctor=doctor, wa_id=WA_ID, name="Rahul Deshmukh", text=f"m{n:02d}")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update(id=f"wamid.ORDER-{n:02d}", timestamp=str(int(at.timestamp())))
    return body


def test_twenty_messages_delivered_out_of_order_are_stored_once_and_answered_in_timestamp_order(clinic, monkeypatch):
    """20 messages in 20 POSTs, shuffled, two of them delivered twice, processing held back: 20 rows,
    one process_inbox per stored message, and the bot answers them oldest first, each once."""
    held: list[int] = []
    monkeypatch.setattr("chat.inbound.enqueue_process", lambda patient: held.append(patient.pk))
    seen: list[str] = []

    def echo_bot(*, patient, message, now, llm_answer=None):
        seen.append(message.text)
        return [text(f"re: {message.text}")]

    monkeypatch.setattr("chat.pipeline.respond", echo_bot)
    start = NOW - dt.timedelta(minutes=10)
    bodies = [message_at(clinic, n, start + n * dt.timedelta(seconds=15)) for n in range(20)]
    deliveries = bodies + [bodies[3], bodies[17]]
    random.Random(20260310).shuffle(deliveries)
    assert deliveries[:20] != bodies

    client = Client()
    for body in deliveries:
        assert client.post("/webhooks/whatsapp/", data=body, content_type="application/json").status_code == 200

    patient = Patient.objects.get(wa_id=WA_ID)
    incoming = Message.objects.filter(patient=patient, direction=Message.Direction.IN)
    assert incoming.count() == 20 and not incoming.filter(processed=True).exists()
    assert held == [patient.pk] * 20
    assert seen == [] and not Message.objects.filter(direction=Message.Direction.OUT).exists()

    assert process_inbox_now(patient.pk) == 20
    expected = [f"m{n:02d}" for n in range(20)]
    assert seen == expected
    replies = Message.objects.filter(patient=patient, direction=Message.Direction.OUT).order_by("pk")
    assert [r.text for r in replies] == [f"re: {t}" for t in expected]
    assert sent_count() == 20
    assert not incoming.filter(processed=False).exists()
    assert process_inbox_now(patient.pk) == 0
    assert len(seen) == 20


def test_a_message_redelivered_after_the_window_closed_is_stored_but_not_answered(phone, caplog):
    """Meta retries for days: a message first sent 25 hours ago is kept for the doctor, but free text
    can no longer be sent, so the bot stays quiet (and says so in the log)."""
    late = message_at(phone.doctor, 1, NOW - 25 * HOUR)
    assert phone.post(late) == []
    message = Message.objects.get(direction=Message.Direction.IN)
    assert message.processed and message.text == "m01"
    assert not Message.objects.filter(direction=Message.Direction.OUT).exists()
    assert "outside the 24-hour window" in caplog.text


# --- send_message against the stub Graph API ---------------------------------------------------


def test_two_server_errors_then_success_send_the_reply_once(phone, graph):
    """500, 500, 200: three identical requests with the bearer token, one message sent, Meta's wamid stored."""
    graph.reply(500, times=2)
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.wamid, reply.error_code) == (Message.Status.SENT, "wamid.stub-1", None)
    assert reply.sent_at == NOW
    assert [r.path for r in graph.requests] == [SEND_PATH] * 3
    assert {r.headers["Authorization"] for r in graph.requests} == {"Bearer test-token"}
    assert all(r.json == {**reply.payload, "biz_opaque_callback_data": callback_data(reply.pk)} for r in graph.requests)
    assert reply.payload["to"] == WA_ID and reply.payload["type"] == "interactive"
    assert sent_count() == 1


def test_a_permanent_error_marks_the_message_failed_with_metas_code(phone, graph):
    """A bad-parameter error (131009) is not retried: one request, failed, with Meta's code and message."""
    graph.error(400, 131009, "Parameter value is not valid")
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.error_code, reply.error_title) == ("failed", 131009, "Parameter value is not valid")
    assert reply.wamid is None
    assert len(graph.requests) == 1


def test_a_timeout_is_not_resent_blindly_and_a_second_task_sends_nothing(phone, graph):
    """The request gets no answer within the timeout: Meta may have it, so it is not sent again
    (one request); the message waits as unknown for a status webhook (chat/tests/test_exactly_once.py),
    and another send_message task for it sends nothing."""
    graph.reply(200, delay=3)
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert len(graph.requests) == 1
    assert (reply.status, reply.wamid) == (Message.Status.UNKNOWN, None)
    assert send_message.enqueue(reply.pk).return_value == "skipped"
    assert len(graph.requests) == 1


def test_outside_the_window_error_fails_the_message_and_marks_the_patient(phone, graph):
    """131047 from Meta: failed with that code, and the patient is marked outside the window."""
    graph.error(400, 131047, "Re-engagement message")
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.error_code) == ("failed", 131047)
    assert phone.patient.window_closed_at == NOW
    assert len(graph.requests) == 1


def test_an_expired_token_flags_the_doctors_channel(phone, graph):
    """190 (token expired): not retried, the message failed, and the doctor's channel needs attention."""
    graph.error(401, 190, "Error validating access token: Session has expired")
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.error_code) == ("failed", 190)
    doctor = Doctor.objects.get(pk=phone.doctor.pk)
    assert doctor.channel_needs_attention
    assert doctor.channel_error.startswith("190: Error validating access token")
    assert len(graph.requests) == 1


def test_an_undeliverable_recipient_is_flagged(phone, graph):
    """131026 (not on WhatsApp, old client): failed, no retry, and the patient is flagged undeliverable."""
    graph.error(400, 131026, "Message undeliverable")
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.error_code) == ("failed", 131026)
    assert phone.patient.undeliverable
    assert len(graph.requests) == 1


def test_a_duplicated_send_message_task_sends_nothing(phone, graph):
    """The task runs again (a worker retry, a double enqueue): the message is no longer queued, so nothing is sent."""
    [reply] = phone.send("hi")
    assert len(graph.requests) == 1
    results = [send_message.enqueue(reply.pk).return_value for _ in range(2)]
    assert results == ["skipped", "skipped"]
    assert len(graph.requests) == 1
    reply.refresh_from_db()
    assert (reply.status, reply.wamid) == (Message.Status.SENT, "wamid.stub-1")


def test_workers_racing_for_one_message_send_it_once(clinic, graph, held_sends):
    """Four workers run send_message for the same id at the same moment: one claims and sends, three skip."""
    reply = queue_text(patient_of(clinic, last_wrote=NOW - HOUR), "See you on Friday at 11:00.")
    assert held_sends == [reply.pk]
    barrier = threading.Barrier(4)
    results: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(send_message_now(reply.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["sent", "skipped", "skipped", "skipped"]
    assert len(graph.requests) == 1
    reply.refresh_from_db()
    assert (reply.status, reply.wamid) == (Message.Status.SENT, "wamid.stub-1")


def test_with_a_worker_backend_a_retryable_failure_goes_back_to_the_queue_with_backoff(clinic, graph, settings):
    """Meta down for all four in-process attempts, with a backend that can defer (production's db_worker):
    the message is queued again, one attempt counted, and send_message re-enqueued 15–30 s later.
    The worker's next run sends it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = send_message.get_backend()
    reply = queue_text(patient_of(clinic, last_wrote=NOW - HOUR), "See you on Friday at 11:00.")
    assert [r.args for r in backend.results] == [[reply.pk]]
    graph.reply(503, times=4)

    assert send_message_now(reply.pk) == "requeued"
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == (Message.Status.QUEUED, 1)
    deferred = backend.results[-1]
    assert deferred.args == [reply.pk] and deferred.task.name == "send_message"
    assert NOW + dt.timedelta(seconds=15) <= deferred.task.run_after <= NOW + dt.timedelta(seconds=30)
    assert len(graph.requests) == 4

    assert send_message_now(reply.pk) == "sent"
    reply.refresh_from_db()
    assert (reply.status, reply.wamid) == (Message.Status.SENT, "wamid.stub-1")
    assert len(graph.requests) == 5


def test_with_a_worker_backend_retries_stop_after_max_requeues(clinic, graph, settings):
    """A message that has already been re-enqueued MAX_REQUEUES times is failed on the next outage."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    reply = queue_text(patient_of(clinic, last_wrote=NOW - HOUR), "See you on Friday at 11:00.")
    Message.objects.filter(pk=reply.pk).update(attempts=MAX_REQUEUES)
    graph.reply(503, times=4)
    assert send_message_now(reply.pk) == "failed"
    reply.refresh_from_db()
    assert reply.status == Message.Status.FAILED and reply.error_title.startswith("HTTP 503")


def test_statuses_that_arrived_before_the_send_finished_are_applied_to_it(phone, graph):
    """delivered and read for wamid.stub-1 arrive before our send stores that wamid (Meta does not keep
    order): they wait as PendingStatus and are applied the moment the send stores it."""
    client = Client()
    for status, seconds in (("read", 20), ("delivered", 10)):
        body = status_body("wamid.stub-1", status, int(NOW.timestamp()) + seconds)
        assert client.post("/webhooks/whatsapp/", data=body, content_type="application/json").status_code == 200
    assert PendingStatus.objects.filter(wamid="wamid.stub-1").count() == 2

    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.wamid, reply.status) == ("wamid.stub-1", Message.Status.READ)
    assert reply.delivered_at == NOW + dt.timedelta(seconds=10)
    assert reply.read_at == NOW + dt.timedelta(seconds=20)
    assert not PendingStatus.objects.exists()


# --- the 24-hour customer-service window -------------------------------------------------------


def test_free_text_to_a_patient_silent_for_more_than_24_hours_raises_window_closed(clinic, held_sends):
    """The patient last wrote 24 h + 1 min ago: queue_reply refuses with WindowClosed and queues nothing."""
    patient = patient_of(clinic, last_wrote=NOW - 24 * HOUR - dt.timedelta(minutes=1))
    with pytest.raises(WindowClosed):
        queue_text(patient, "Are you coming tomorrow?")
    assert not Message.objects.exists() and held_sends == []


def test_free_text_just_inside_the_window_is_sent(clinic, graph):
    """23 h 59 min after the patient's last message free text still goes out."""
    reply = queue_text(patient_of(clinic, last_wrote=NOW - 24 * HOUR + dt.timedelta(minutes=1)), "See you!")
    reply.refresh_from_db()
    assert reply.status == Message.Status.SENT
    assert graph.requests[0].json["text"]["body"] == "See you!"


def test_a_patient_who_never_wrote_gets_no_free_text(clinic):
    """No message from the patient at all: no window, so free text is refused."""
    patient = Patient.objects.create(doctor=clinic, wa_id=WA_ID)
    with pytest.raises(WindowClosed):
        queue_text(patient, "Hello")


def test_a_template_is_sent_outside_the_window(clinic, graph):
    """A template works a week after the patient went quiet: queued, sent to the stub as a template,
    and shown to the doctor with its parameters filled in."""
    patient = patient_of(clinic, last_wrote=NOW - 7 * 24 * HOUR)
    template = MessageTemplate.objects.create(
        doctor=clinic, name="appointment_reminder", language="en", body="Hello {{1}}, your visit is on {{2}}."
    )
    with transaction.atomic():
        message = queue_template(patient=patient, template=template, params=["Rahul", "Fri 13 Mar, 11:00"])
    message.refresh_from_db()
    assert message.text == "Hello Rahul, your visit is on Fri 13 Mar, 11:00."
    assert (message.type, message.status, message.wamid) == ("template", Message.Status.SENT, "wamid.stub-1")
    [request] = graph.requests
    assert request.json["type"] == "template"
    assert request.json["template"]["name"] == "appointment_reminder"
    assert request.json["template"]["language"]["code"] == "en"
    assert [p["text"] for p in request.json["template"]["components"][0]["parameters"]] == [
        "Rahul",
        "Fri 13 Mar, 11:00",
    ]


def test_free_text_whose_window_closes_before_it_is_sent_fails_without_a_request(clinic, graph, held_sends, travel):
    """Queued inside the window, sent after it closed (a worker backlog): failed with 131047 locally, no
    request to Meta, and the patient marked outside the window."""
    patient = patient_of(clinic, last_wrote=NOW - 23 * HOUR)
    reply = queue_text(patient, "Your report is ready.")
    travel.shift(2 * HOUR)
    assert send_message_now(reply.pk) == "failed"
    reply.refresh_from_db()
    assert (reply.status, reply.error_code) == (Message.Status.FAILED, 131047)
    assert graph.requests == []
    patient.refresh_from_db()
    assert patient.window_closed_at == NOW + 2 * HOUR


def test_a_new_patient_message_reopens_the_window(phone, graph):
    """After a 131047 the next message from the patient clears window_closed_at, and the reply goes out."""
    graph.error(400, 131047, "Re-engagement message")
    phone.send("hi")
    assert phone.patient.window_closed_at == NOW
    [reply] = phone.send("what are your timings?")
    reply.refresh_from_db()
    assert reply.status == Message.Status.SENT
    assert phone.patient.window_closed_at is None
