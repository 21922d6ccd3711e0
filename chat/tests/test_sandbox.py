"""The sandbox client: what `client_for` gives a clinic without an access token. It answers like
Meta (a wamid, GraphError where Meta would refuse), reaches no network, and its statuses come back
as status webhooks through the webhook's own receive function, after the send's work is done."""

import pytest
import requests
import time_machine
from django.db import transaction

import chat.inbound
from chat import sandbox, simulator
from chat.models import Message
from chat.outbound import queue_reply
from chat.sandbox import SandboxClient
from chat.tests.phone import NOW, Phone, make_clinic
from chat.whatsapp import outgoing
from chat.whatsapp.graph import GraphClient, GraphError
from chat.whatsapp.transport import client_for
from clinicbot.replies import Reply

WA_ID = "919800000888"


@pytest.fixture(autouse=True)
def no_network(monkeypatch, settings):
    """No token anywhere, so every clinic is in the sandbox; any HTTP request fails the test."""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""

    def refuse(*args, **kwargs):
        raise AssertionError("the sandbox must not reach the network")

    monkeypatch.setattr(requests.Session, "request", refuse)
    sandbox.OUTBOX.clear()


@pytest.fixture
def clinic(transactional_db, settings):
    settings.LLM_API_KEY = ""
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def pushed(monkeypatch):
    """Every live event pushed to a doctor's page."""
    events: list[dict] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append(event))
    return events


@pytest.fixture
def batches(monkeypatch):
    """Every batch the webhook's receive path handled, with whether a transaction was open."""
    seen: list[tuple[object, bool]] = []
    real = chat.inbound.handle_batch

    def spy(batch):
        seen.append((batch, transaction.get_connection().in_atomic_block))
        return real(batch)

    monkeypatch.setattr(chat.inbound, "handle_batch", spy)
    return seen


def statuses_of(batches) -> list[tuple[str, str]]:
    return [(s.wamid, s.status) for batch, _ in batches for s in batch.statuses]


def test_client_for_is_the_sandbox_without_a_token_and_graph_with_one(clinic, settings):
    assert isinstance(client_for(clinic), SandboxClient)
    clinic.access_token = "the-clinics-own"
    assert isinstance(client_for(clinic), GraphClient)
    clinic.access_token = ""
    settings.WHATSAPP_ACCESS_TOKEN = "global"
    assert isinstance(client_for(clinic), GraphClient)


def test_send_returns_a_wamid_and_records_the_body(clinic):
    body = outgoing.text(WA_ID, "Hello")
    client = SandboxClient()
    wamid = client.send(clinic.phone_number_id, body)
    assert wamid.startswith("wamid.SANDBOX-") and wamid != client.send(clinic.phone_number_id, body)
    assert sandbox.OUTBOX[0] == {"phone_number_id": clinic.phone_number_id, "wamid": wamid, "body": body}


def test_send_refuses_what_meta_would_refuse_with_a_permanent_graph_error(clinic):
    with pytest.raises(GraphError) as refused:
        SandboxClient().send(clinic.phone_number_id, {"messaging_product": "whatsapp", "type": "text"})
    assert (refused.value.code, refused.value.retryable, refused.value.ambiguous) == (100, False, False)
    assert not sandbox.OUTBOX


def test_mark_read_is_acknowledged_and_recorded(clinic):
    assert SandboxClient().mark_read(clinic.phone_number_id, "wamid.IN-1") is None
    assert [r["body"] for r in sandbox.OUTBOX] == [outgoing.mark_read("wamid.IN-1")]


def test_a_send_is_delivered_by_a_status_webhook_through_the_receive_path(clinic, batches, pushed):
    """Sent with our id echoed, then "delivered" arrives as a webhook outside any transaction,
    and the doctor's page sees sent, then delivered."""
    phone = Phone(clinic, wa_id=WA_ID)
    phone.send("hi")
    batches.clear()
    pushed.clear()
    with transaction.atomic():
        reply = queue_reply(patient=phone.patient, reply=Reply("By hand"))
    reply.refresh_from_db()
    assert (reply.status, reply.wamid.startswith("wamid.SANDBOX-")) == (Message.Status.DELIVERED, True)
    assert statuses_of(batches) == [(reply.wamid, "delivered")]
    [(batch, in_transaction)] = batches
    assert batch.statuses[0].callback_data == f"clinicbot-message:{reply.pk}" and not in_transaction
    assert sandbox.OUTBOX[-1]["body"]["biz_opaque_callback_data"] == f"clinicbot-message:{reply.pk}"
    shown = [e["message"]["status"] for e in pushed if e["type"] == "message.status" and e["message"]["id"] == reply.pk]
    assert shown == ["sent", "delivered"]


def test_statuses_wait_for_the_open_transaction_to_commit(clinic, batches):
    client = SandboxClient()
    with transaction.atomic():
        client.send(clinic.phone_number_id, outgoing.text(WA_ID, "Hello"))
        client.close()
        assert batches == []
    assert len(statuses_of(batches)) == 1


def test_the_phone_reads_earlier_replies_when_the_patient_writes_again(clinic, batches):
    """What the bot sent is delivered; the patient's next message first reports it read, through
    the same receive path, and nothing in inbound or outbound had to know it was a sandbox."""
    simulator.post_webhook(simulator.webhook_payload(doctor=clinic, wa_id=WA_ID, name="Asha", text="hi"))
    [welcome] = Message.objects.filter(patient__wa_id=WA_ID, direction=Message.Direction.OUT)
    assert welcome.status == Message.Status.DELIVERED
    batches.clear()
    simulator.post_webhook(simulator.webhook_payload(doctor=clinic, wa_id=WA_ID, name="Asha", text="menu"))
    welcome.refresh_from_db()
    assert welcome.status == Message.Status.READ and welcome.read_at is not None
    assert statuses_of(batches)[0] == (welcome.wamid, "read")
    assert [s for s in statuses_of(batches) if s[1] == "read"] == [(welcome.wamid, "read")]


def test_the_status_webhooks_are_signed_when_an_app_secret_is_set(clinic, batches, settings):
    settings.WHATSAPP_APP_SECRET = "sandbox-secret"
    status = simulator.post_webhook(simulator.webhook_payload(doctor=clinic, wa_id=WA_ID, name="Asha", text="hi"))
    assert status == 200
    [welcome] = Message.objects.filter(patient__wa_id=WA_ID, direction=Message.Direction.OUT)
    assert welcome.status == Message.Status.DELIVERED  # the signed status webhook was accepted
