"""POST /webhooks/whatsapp/ with statuses for a message we sent: the status samples, then statuses
in and out of order (never backwards), read without delivered, failed with Meta's code and
title, and a status for a wamid not yet known, kept and applied later.

Bodies come from the JSON fixtures in chat/tests/fixtures/whatsapp/ (samples/ written for this
project, peer-pywa/ from pywa's test suite; what each should become in chat/tests/payload_cases.py).
Replies go out through the sandbox transport, so "sent" means the sandbox took it (status sent or
delivered, a wamid.SANDBOX- id). The `clinic` and `peer_clinic` fixtures are in chat/tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase

from chat.models import Message, PendingStatus
from chat.tests.samples import sample
from chat.tests.sent_messages import T0, asha, outgoing, post_status
from chat.tests.webhooks import ASHA, post, replies_to
from patients.models import Patient


@pytest.fixture
def pushed(monkeypatch):
    """Every live event pushed to a doctor's page (the event alone: chat/tests/conftest.py's `pushed`,
    for the API tests, keeps (doctor_id, event))."""
    events: list[dict] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append(event))
    return events


def test_the_batch_sample_stores_both_messages_and_applies_its_status(clinic, pushed):
    """Two patients' messages and a read status in one change: both stored, both answered, the status applied."""
    ours = outgoing(asha(clinic), "wamid.DEV0904")
    response = post(sample("batch.json"))
    assert response.json() == {"ok": True, "stored": 2, "duplicates": 0, "statuses": 1}
    incoming = Message.objects.filter(direction="in").order_by("wa_timestamp")
    assert [(m.wamid, m.patient.wa_id, m.text) for m in incoming] == [
        ("wamid.DEV0014", ASHA, "first of two"),
        ("wamid.DEV0015", "919800000002", "hello from the second patient"),
    ]
    assert Patient.objects.get(wa_id="919800000002").name == "Rahul Nair"
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.read_at == dt.datetime.fromtimestamp(1767225662, tz=dt.UTC)
    assert len(replies_to("919800000002")) == 1


def test_status_samples_move_the_sent_message_to_delivered_then_read(clinic, pushed):
    """The sent, delivered and read samples, in order, for a message we sent: sent (already), delivered, read."""
    ours = outgoing(asha(clinic), "wamid.DEV0904")
    seen = []
    for name in ("status_sent.json", "status_delivered.json", "status_read.json"):
        assert post(sample(name)).json()["statuses"] == 1
        ours.refresh_from_db()
        seen.append(ours.status)
    assert seen == ["sent", "delivered", "read"]
    assert ours.delivered_at == dt.datetime.fromtimestamp(1767225651, tz=dt.UTC)
    assert ours.read_at == dt.datetime.fromtimestamp(1767225652, tz=dt.UTC)
    assert [e["message"]["status"] for e in pushed if e["type"] == "message.status"] == ["delivered", "read"]


def test_the_failed_status_sample_keeps_metas_code_and_title(clinic, pushed):
    """A failed status stores Meta's code (131047) and title for the doctor to see."""
    ours = outgoing(asha(clinic), "wamid.DEV0905")
    post(sample("status_failed.json"))
    ours.refresh_from_db()
    assert (ours.status, ours.error_code, ours.error_title) == ("failed", 131047, "Re-engagement message")
    [event] = [e for e in pushed if e["type"] == "message.status"]
    assert event["message"]["error_code"] == 131047


# --- statuses ----------------------------------------------------------------------------------


def test_statuses_in_order_move_the_message_sent_delivered_read(clinic, pushed):
    """sent, delivered, read: each moves the message forward, records its time and is pushed once."""
    ours = outgoing(asha(clinic), "wamid.OUT1")
    post_status("wamid.OUT1", "sent", T0)
    post_status("wamid.OUT1", "delivered", T0 + 1)
    post_status("wamid.OUT1", "read", T0 + 5)
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.delivered_at == dt.datetime.fromtimestamp(T0 + 1, tz=dt.UTC)
    assert ours.read_at == dt.datetime.fromtimestamp(T0 + 5, tz=dt.UTC)
    assert [e["message"]["status"] for e in pushed if e["type"] == "message.status"] == ["delivered", "read"]


def test_a_late_delivered_or_sent_after_read_never_moves_the_status_back(clinic, pushed):
    """Meta does not keep order: a delivered or sent arriving after read leaves the message read and pushes nothing.

    The late delivered still fills in the delivery time, which was unknown until then.
    """
    ours = outgoing(asha(clinic), "wamid.OUT2")
    post_status("wamid.OUT2", "read", T0 + 5)
    pushed.clear()
    post_status("wamid.OUT2", "delivered", T0 + 1)
    post_status("wamid.OUT2", "sent", T0)
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.read_at == dt.datetime.fromtimestamp(T0 + 5, tz=dt.UTC)
    assert ours.delivered_at == dt.datetime.fromtimestamp(T0 + 1, tz=dt.UTC)
    assert pushed == []


def test_a_late_sent_after_delivered_changes_nothing(clinic, pushed):
    """sent after delivered (Chatwoot #14529): the message stays delivered, nothing pushed."""
    ours = outgoing(asha(clinic), "wamid.OUT3")
    post_status("wamid.OUT3", "delivered", T0 + 1)
    pushed.clear()
    post_status("wamid.OUT3", "sent", T0)
    ours.refresh_from_db()
    assert ours.status == Message.Status.DELIVERED
    assert pushed == []


def test_read_without_delivered_moves_straight_to_read(clinic):
    """A message read at once gets no separate delivered: read alone is enough."""
    ours = outgoing(asha(clinic), "wamid.OUT4")
    post_status("wamid.OUT4", "read", T0 + 3)
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.read_at == dt.datetime.fromtimestamp(T0 + 3, tz=dt.UTC)
    assert ours.delivered_at is None


def test_a_failed_status_keeps_metas_code_and_title(clinic, pushed):
    """failed stores Meta's error code and title (here 131026, undeliverable) and pushes them."""
    ours = outgoing(asha(clinic), "wamid.OUT5")
    errors = [{"code": 131026, "title": "Message undeliverable", "error_data": {"details": "not on WhatsApp"}}]
    post_status("wamid.OUT5", "failed", T0 + 2, errors)
    ours.refresh_from_db()
    assert (ours.status, ours.error_code, ours.error_title) == ("failed", 131026, "Message undeliverable")
    [event] = [e for e in pushed if e["type"] == "message.status"]
    assert (event["message"]["status"], event["message"]["error_code"]) == ("failed", 131026)


def test_a_failed_status_without_a_title_keeps_metas_message(clinic):
    """Titles are being deprecated: the error's message stands in for it."""
    ours = outgoing(asha(clinic), "wamid.OUT6")
    post_status("wamid.OUT6", "failed", T0 + 2, [{"code": 131049, "message": "Marketing per-user limit"}])
    ours.refresh_from_db()
    assert (ours.error_code, ours.error_title) == (131049, "Marketing per-user limit")


def test_a_late_failure_after_read_changes_nothing(clinic):
    """The patient read it: a failure report that arrives afterwards cannot undo that."""
    ours = outgoing(asha(clinic), "wamid.OUT7")
    post_status("wamid.OUT7", "read", T0 + 5)
    post_status("wamid.OUT7", "failed", T0 + 2, [{"code": 131000, "title": "Something went wrong"}])
    ours.refresh_from_db()
    assert (ours.status, ours.error_code) == (Message.Status.READ, None)


def test_a_status_for_a_message_not_yet_known_is_kept_for_later(clinic):
    """A status that overtook its message is stored as a PendingStatus with Meta's code, and the webhook answers 200."""
    errors = [{"code": 131047, "title": "Re-engagement message"}]
    post_status("wamid.NOT-YET", "delivered", T0 + 1)
    post_status("wamid.NOT-YET", "failed", T0 + 2, errors)
    pending = list(PendingStatus.objects.filter(wamid="wamid.NOT-YET").order_by("timestamp"))
    assert [(p.status, p.error_code, p.error_title) for p in pending] == [
        ("delivered", None, ""),
        ("failed", 131047, "Re-engagement message"),
    ]
    assert not Message.objects.exists()


def test_pending_statuses_are_applied_when_the_message_gets_that_wamid(clinic, pushed):
    """Once our send stores the wamid, the statuses that waited for it are applied in time order and removed."""
    from chat.statuses import apply_pending_statuses

    post_status("wamid.EARLY", "read", T0 + 5)
    post_status("wamid.EARLY", "delivered", T0 + 1)
    ours = outgoing(asha(clinic), "wamid.EARLY")
    with TestCase.captureOnCommitCallbacks(execute=True):
        apply_pending_statuses("wamid.EARLY")
    ours.refresh_from_db()
    assert ours.status == Message.Status.READ
    assert ours.delivered_at == dt.datetime.fromtimestamp(T0 + 1, tz=dt.UTC)
    assert not PendingStatus.objects.exists()
    assert [e["message"]["status"] for e in pushed if e["type"] == "message.status"] == ["read"]
