"""A patient's outgoing messages leave in the order they were queued (issue 15, chat/send_order.py):
a send waits while an older message of its patient is queued or sending, the send that ends
sends the next one, other patients are never held up, and the immediate backend cannot loop.
Against the stub Graph API on 127.0.0.1 (the `graph` fixture), real commits (`travel`)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from chat.handoff import pause_bot
from chat.models import Message
from chat.outbound import queue_reply, reconcile_message_now, send_message_now
from chat.send_order import WAIT_MAX, WAIT_MIN, wait_delay
from chat.tasks import send_message
from chat.tests.phone import NOW, make_clinic
from chat.tests.pipelining import patient_of, queue_text
from clinicbot.replies import text
from patients.models import Doctor, Patient

HOUR = dt.timedelta(hours=1)
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # defers, runs nothing


@pytest.fixture
def clinic(travel) -> Doctor:
    return make_clinic()


@pytest.fixture
def patient(clinic) -> Patient:
    return patient_of(clinic, last_wrote=NOW - HOUR)


@pytest.fixture
def other(clinic) -> Patient:
    return Patient.objects.create(doctor=clinic, wa_id="919800000888", name="Imran Shaikh", last_inbound_at=NOW - HOUR)


def texts_sent(graph) -> list[str]:
    return [r.json["text"]["body"] for r in graph.requests]


def status(message: Message) -> str:
    message.refresh_from_db()
    return message.status


def test_the_younger_message_waits_and_goes_out_right_after_the_older(patient, graph, held_sends):
    """Two queued replies, the younger's task first: it waits (no request, still queued, not
    re-enqueued on the immediate backend); the older's send then sends it, in order."""
    older, younger = queue_text(patient, "Your appointment is at 11:00."), queue_text(patient, "See you!")
    assert held_sends == [older.pk, younger.pk]
    assert send_message_now(younger.pk) == "waiting"
    assert (graph.requests, status(younger)) == ([], Message.Status.QUEUED)
    assert held_sends == [older.pk, younger.pk]  # nothing to defer with: the older one sends it
    assert send_message_now(older.pk) == "sent"
    assert texts_sent(graph) == ["Your appointment is at 11:00.", "See you!"]
    assert (status(older), status(younger)) == (Message.Status.SENT, Message.Status.SENT)
    assert send_message_now(younger.pk) == "skipped"  # its own task, late: nothing sent twice
    assert len(graph.requests) == 2


def test_with_a_deferring_backend_a_waiting_message_is_queued_again_shortly(patient, graph, settings):
    settings.TASKS = DUMMY
    backend = send_message.get_backend()
    older, younger = queue_text(patient, "first"), queue_text(patient, "second")
    assert send_message_now(younger.pk) == "waiting"
    again = backend.results[-1]
    assert (again.args, again.task.run_after) == ([younger.pk], NOW + WAIT_MIN)
    assert send_message_now(older.pk) == "sent"
    assert texts_sent(graph) == ["first", "second"]


def test_the_wait_grows_with_the_time_waited():
    assert wait_delay(NOW, now=NOW) == WAIT_MIN
    assert wait_delay(NOW, now=NOW + dt.timedelta(seconds=50)) == dt.timedelta(seconds=5)
    assert wait_delay(NOW, now=NOW + 2 * HOUR) == WAIT_MAX


def test_another_patients_message_is_not_held_up(patient, other, graph, held_sends):
    """Patient one's message is in flight (sending): patient one's next waits, patient two's goes."""
    in_flight, behind = queue_text(patient, "one"), queue_text(patient, "two")
    Message.objects.filter(pk=in_flight.pk).update(status=Message.Status.SENDING, send_started_at=NOW)
    theirs = queue_text(other, "for Imran")
    assert send_message_now(behind.pk) == "waiting"
    assert send_message_now(theirs.pk) == "sent"
    assert texts_sent(graph) == ["for Imran"]


@pytest.mark.parametrize("ahead", [Message.Status.UNKNOWN, Message.Status.FAILED, Message.Status.SENT])
def test_an_unknown_failed_or_sent_message_does_not_hold_the_line(patient, graph, held_sends, ahead):
    older, younger = queue_text(patient, "one"), queue_text(patient, "two")
    Message.objects.filter(pk=older.pk).update(status=ahead, send_started_at=NOW)
    assert send_message_now(younger.pk) == "sent"
    assert texts_sent(graph) == ["two"]


def test_a_message_requeued_after_an_outage_holds_the_younger_ones_until_it_is_sent(patient, graph, settings):
    """Meta down for the older one's four attempts: it is requeued (30 s+), the younger waits
    behind it rather than overtaking; the older's retry sends both, in order."""
    settings.TASKS = DUMMY
    older, younger = queue_text(patient, "first"), queue_text(patient, "second")
    graph.reply(503, times=4)
    assert send_message_now(older.pk) == "requeued"
    assert send_message_now(younger.pk) == "waiting"
    assert len(graph.requests) == 4 and status(younger) == Message.Status.QUEUED
    assert send_message_now(older.pk) == "sent"  # the deferred retry
    assert texts_sent(graph)[4:] == ["first", "second"]


def test_on_the_immediate_backend_a_message_behind_a_lost_one_waits_without_looping(patient, graph, held_sends):
    """The older message's task is lost: the younger's task, run inline by the immediate backend,
    answers "waiting" once and returns (a re-enqueue would run it again at once, for ever)."""
    queue_text(patient, "lost")
    younger = queue_text(patient, "behind it")
    assert send_message.get_backend().supports_defer is False
    assert send_message.enqueue(younger.pk).return_value == "waiting"
    assert graph.requests == [] and status(younger) == Message.Status.QUEUED


def test_on_the_immediate_backend_a_send_in_another_thread_sends_the_one_that_waited(patient, graph, held_sends):
    """Two requests at once (daphne's threads, tasks inline): the older reply is on the wire when
    the younger's task runs; the younger waits and the older's thread sends it when it is done."""
    older, younger = queue_text(patient, "first"), queue_text(patient, "second")
    graph.reply(200, delay=0.3)
    results: list[str] = []

    def send_older() -> None:
        try:
            results.append(send_message_now(older.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=send_older)
    thread.start()
    graph.wait_for(1, timeout=5)
    assert send_message.enqueue(younger.pk).return_value == "waiting"
    thread.join(10)
    assert results == ["sent"]
    assert texts_sent(graph) == ["first", "second"]
    assert status(younger) == Message.Status.SENT


def test_five_workers_sending_five_messages_of_one_patient_at_once_send_them_in_order(patient, graph, held_sends):
    """Each worker has its own message's task, all released at once: whoever claims, the Graph
    API gets them oldest first, each once (on PostgreSQL, the claim's NOT EXISTS under
    concurrency)."""
    messages = [queue_text(patient, f"part {n}") for n in range(5)]
    barrier = threading.Barrier(5)
    results: list[str] = []

    def worker(message: Message) -> None:
        try:
            barrier.wait(5)
            results.append(send_message_now(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(m,)) for m in reversed(messages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert texts_sent(graph) == [f"part {n}" for n in range(5)]
    assert all(status(m) == Message.Status.SENT for m in messages)
    assert "sent" in results and set(results) <= {"sent", "waiting", "skipped"}


def sending_when_its_worker_died(message: Message, resends: int) -> None:
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, send_started_at=NOW, resends=resends)


def test_a_send_resent_after_its_worker_died_still_goes_first(patient, graph, held_sends, travel):
    """The older send's worker was killed (left `sending`); past the deadline it is queued again
    (resent once): the younger still waits for it, and its send sends both, in order."""
    older, younger = queue_text(patient, "first"), queue_text(patient, "second")
    sending_when_its_worker_died(older, resends=0)
    assert send_message_now(younger.pk) == "waiting"
    travel.shift(dt.timedelta(minutes=3))
    assert reconcile_message_now(older.pk) == "resent"
    assert send_message_now(younger.pk) == "waiting"
    assert send_message_now(older.pk) == "sent"
    assert texts_sent(graph) == ["first", "second"]


def test_a_send_failed_after_its_worker_died_lets_the_next_message_go(patient, graph, held_sends, travel):
    """Already resent once: the reconcile fails it ("may not have been delivered") and gives the
    younger one, which waited behind it, a send task."""
    older, younger = queue_text(patient, "first"), queue_text(patient, "second")
    sending_when_its_worker_died(older, resends=1)
    assert send_message_now(younger.pk) == "waiting"
    held_sends.clear()
    travel.shift(dt.timedelta(minutes=3))
    assert reconcile_message_now(older.pk) == "failed"
    assert held_sends == [younger.pk]
    assert send_message_now(younger.pk) == "sent"
    assert texts_sent(graph) == ["second"]


def test_pausing_the_bot_lets_a_staff_message_behind_its_cancelled_reply_go(patient, graph, held_sends):
    """A bot reply still queued holds a staff message; the pause cancels the reply and gives
    the staff message its send task."""
    bot = queue_text(patient, "bot reply")
    with transaction.atomic():
        staff = queue_reply(patient=patient, reply=text("Doctor here."), sender=Message.Sender.STAFF)
    assert send_message_now(staff.pk) == "waiting"
    held_sends.clear()
    pause_bot(patient=patient, reason="doctor replied")
    assert status(bot) == Message.Status.FAILED and held_sends == [staff.pk]
    assert send_message_now(staff.pk) == "sent"
    assert texts_sent(graph) == ["Doctor here."]
