"""Exactly once toward Meta (issue 12): a send that got no answer is not resent blindly. It waits
as `unknown` for a status webhook echoing its biz_opaque_callback_data, adopts that wamid, and is
sent again only when none came within RECONCILE_WAIT. Against the stub Graph API on 127.0.0.1,
answering after the client's timeout."""

from __future__ import annotations

import collections
import datetime as dt
import json

import pytest
from django.test import Client

from chat.models import Message
from chat.outbound import (
    MAY_NOT_HAVE_BEEN_DELIVERED,
    RECONCILE_WAIT,
    callback_data,
    reconcile_message_now,
    retry_failed,
)
from chat.tests.phone import NOW, make_clinic
from chat.tests.webhooks import status_body
from patients.models import Doctor

LATE = 1.0  # the stub answers after this; the client gives up after WHATSAPP_TIMEOUT
URL = "/webhooks/whatsapp/"


@pytest.fixture
def clinic(travel) -> Doctor:
    """The demo-like clinic, time frozen at phone.NOW with real commits (`travel`), in place of the
    conftest's samples' clinic; the conftest's `phone` is its patient."""
    return make_clinic()


@pytest.fixture
def late_graph(graph, settings):
    settings.WHATSAPP_TIMEOUT = 0.2
    return graph


def meta_reports(stub, request, status: str = "sent", *, echo: bool = True) -> None:
    """What Meta does after accepting a send: a status webhook for the wamid it gave, echoing the
    request's biz_opaque_callback_data. The stub numbers its wamids in arrival order."""
    number = 1 + stub.requests.index(request)
    body = status_body(f"wamid.stub-{number}", status, int(NOW.timestamp()) + 1)
    if echo:
        body["entry"][0]["changes"][0]["value"]["statuses"][0]["biz_opaque_callback_data"] = request.json[
            "biz_opaque_callback_data"
        ]
    assert Client().post(URL, data=json.dumps(body), content_type="application/json").status_code == 200


def test_every_send_carries_the_message_id_in_biz_opaque_callback_data(phone, graph):
    [reply] = phone.send("hi")
    [request] = graph.requests
    assert request.json["biz_opaque_callback_data"] == callback_data(reply.pk) == f"clinicbot-message:{reply.pk}"


def test_an_unanswered_send_waits_as_unknown_and_adopts_the_wamid_a_status_echoes(phone, late_graph, travel):
    late_graph.reply(200, delay=LATE)
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.wamid, len(late_graph.requests)) == (Message.Status.UNKNOWN, None, 1)
    meta_reports(late_graph, late_graph.requests[0], "delivered")
    reply.refresh_from_db()
    assert (reply.status, reply.wamid, reply.error_title) == (Message.Status.DELIVERED, "wamid.stub-1", "")
    travel.shift(RECONCILE_WAIT + dt.timedelta(seconds=1))
    assert reconcile_message_now(reply.pk) == "settled"
    assert len(late_graph.requests) == 1  # 0 duplicates


def test_without_any_status_it_is_resent_once_after_the_wait_then_shown_to_the_doctor(phone, late_graph, travel):
    late_graph.reply(200, delay=LATE, times=2)
    [reply] = phone.send("hi")
    assert reconcile_message_now(reply.pk) == "waiting"
    travel.shift(RECONCILE_WAIT + dt.timedelta(seconds=1))
    assert reconcile_message_now(reply.pk) == "resent"  # immediate backend: sent again at once, late again
    reply.refresh_from_db()
    assert (reply.status, reply.resends, len(late_graph.requests)) == (Message.Status.UNKNOWN, 1, 2)
    travel.shift(RECONCILE_WAIT + dt.timedelta(seconds=1))
    assert reconcile_message_now(reply.pk) == "failed"
    reply.refresh_from_db()
    assert (reply.status, reply.error_title) == (Message.Status.FAILED, MAY_NOT_HAVE_BEEN_DELIVERED)
    assert len(late_graph.requests) == 2
    assert retry_failed(message=reply)  # the doctor's Retry: the stub answers in time now
    reply.refresh_from_db()
    assert (reply.status, reply.wamid) == (Message.Status.SENT, "wamid.stub-3")


def test_a_late_status_after_the_doctor_was_told_still_adopts_the_wamid(phone, late_graph, travel):
    late_graph.reply(200, delay=LATE, times=2)
    [reply] = phone.send("hi")
    for _ in range(2):
        travel.shift(RECONCILE_WAIT + dt.timedelta(seconds=1))
        reconcile_message_now(reply.pk)
    meta_reports(late_graph, late_graph.requests[1], "read")
    reply.refresh_from_db()
    assert (reply.status, reply.wamid) == (Message.Status.READ, "wamid.stub-2")


def test_a_status_without_our_id_for_an_unknown_wamid_is_kept_pending(phone, late_graph):
    late_graph.reply(200, delay=LATE)
    [reply] = phone.send("hi")
    meta_reports(late_graph, late_graph.requests[0], echo=False)
    reply.refresh_from_db()
    assert reply.status == Message.Status.UNKNOWN


def test_ten_replies_answered_late_are_delivered_once_each(phone, late_graph, travel):
    """The measured case of issue 12 (it used to be 9 extra deliveries for 10 messages): 0 duplicates."""
    late_graph.reply(200, delay=LATE, times=100)
    replies = [reply for n in range(10) for reply in phone.send(f"what are your timings {n}")]
    for request in list(late_graph.requests):
        meta_reports(late_graph, request)
    travel.shift(RECONCILE_WAIT + dt.timedelta(seconds=1))
    assert {reconcile_message_now(reply.pk) for reply in replies} == {"settled"}
    per_message = collections.Counter(r.json["biz_opaque_callback_data"] for r in late_graph.requests)
    assert len(per_message) == len(replies) and set(per_message.values()) == {1}
    assert Message.objects.filter(direction="out", status=Message.Status.SENT).count() == len(replies)


def test_a_status_that_beats_the_send_answer_is_not_moved_back_to_sent(phone, graph, monkeypatch):
    """Meta's "delivered" webhook, echoing our id, arrives while our send is still waiting for its
    answer: the message adopts it, and the answer that follows does not move it back to sent."""
    import chat.outbound

    real = chat.outbound.client_for

    class Racing:
        def __init__(self, client):
            self.client = client

        def send(self, phone_number_id, body):
            wamid = self.client.send(phone_number_id, body)
            meta_reports(graph, graph.requests[-1], "delivered")
            return wamid

        def close(self):
            self.client.close()

    monkeypatch.setattr(chat.outbound, "client_for", lambda doctor: Racing(real(doctor)))
    [reply] = phone.send("hi")
    reply.refresh_from_db()
    assert (reply.status, reply.wamid) == (Message.Status.DELIVERED, "wamid.stub-1")
