"""The queued webhook (WEBHOOK_QUEUE=true, chat/webhook_queue.py): the POST is verified and
stored as one row, `ingest_webhooks` reads the rows in batches through the inline receive path.
Real commits (transactional_db): what is tested is what a crash or a rollback leaves behind."""

import datetime as dt
import json
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chat import webhook_queue
from chat.models import Message, QueuedWebhook, RawWebhook
from chat.tests.samples import sample
from chat.tests.webhooks import ASHA, SAMPLE_NOW, SECRET, URL, first_message, statements, text_body
from chat.webhook_queue import ingest_batch, ingest_forever
from chat.whatsapp.signature import sign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(clinic, settings):
    settings.WEBHOOK_QUEUE = True
    settings.WHATSAPP_APP_SECRET = SECRET
    return clinic


@pytest.fixture
def sent(monkeypatch):
    """What reached the channel layer, in order: (group, event type)."""
    sent: list[tuple[str, str]] = []

    async def record(group, message):
        sent.append((group, message["event"]["type"]))

    monkeypatch.setattr("clinicbot.events._send", record)
    return sent


def post(raw: bytes, signature: str | None = None):
    signature = sign(raw, SECRET) if signature is None else signature
    return Client().post(URL, data=raw, content_type="application/json", headers={"X-Hub-Signature-256": signature})


def patient_messages() -> list[str]:
    return list(
        Message.objects.filter(patient__wa_id=ASHA, direction="in").order_by("pk").values_list("text", flat=True)
    )


def test_the_ack_is_one_insert_and_stores_no_message_until_read(queued):
    raw = text_body("hello")
    with CaptureQueriesContext(connection) as queries:
        response = post(raw)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "queued": True}
    assert statements([q["sql"] for q in queries.captured_queries]) == ["INSERT chat_queuedwebhook"]
    assert bytes(QueuedWebhook.objects.get().body) == raw  # the exact signed bytes
    assert patient_messages() == []

    assert ingest_batch() == 1
    assert patient_messages() == ["hello"]
    assert Message.objects.filter(patient__wa_id=ASHA, direction="out").exists()  # the bot answered
    assert not QueuedWebhook.objects.exists()


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "sha1=abc", "sha256=zz"])
def test_a_forged_or_missing_signature_is_refused_and_nothing_is_queued(queued, signature):
    response = post(text_body("forged"), signature=signature)
    assert response.status_code == 403
    assert not QueuedWebhook.objects.exists()


def test_a_redelivered_body_is_queued_twice_and_stored_once(queued):
    raw = text_body("only once", wamid="wamid.QUEUE-ONCE")
    assert post(raw).status_code == post(raw).status_code == 200
    assert QueuedWebhook.objects.count() == 2
    assert ingest_batch() == 2
    assert patient_messages() == ["only once"]
    assert post(raw).status_code == 200  # and again after it was read
    ingest_batch()
    assert patient_messages() == ["only once"]


def test_bodies_are_read_in_the_order_they_arrived_across_batches(queued):
    texts = [f"message {n}" for n in range(7)]
    for text in texts:
        post(text_body(text))
    assert [ingest_batch(limit=3) for _ in range(4)] == [3, 3, 1, 0]
    assert patient_messages() == texts


def test_junk_that_was_signed_is_kept_raw_with_its_reason_and_leaves_the_queue(queued):
    unknown_number = sample("text.json")
    unknown_number["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    bodies = [b"not json {", json.dumps(unknown_number).encode(), b"[]", text_body("fine")]
    for raw in bodies:
        assert post(raw).status_code == 200
    assert ingest_batch() == 4
    reasons = list(RawWebhook.objects.order_by("pk").values_list("reason", flat=True))
    assert len(reasons) == 3
    assert "not json" in reasons[0]
    assert "unknown phone_number_id 999" in reasons[1]
    assert patient_messages() == ["fine"]
    assert not QueuedWebhook.objects.exists()


def test_a_body_that_breaks_the_reader_is_kept_raw_and_the_others_are_stored(queued, monkeypatch, sent):
    real = webhook_queue.receive_verified

    def breaks_on_boom(body, *, received_at):
        result = real(body, received_at=received_at)  # it stores, then fails: its writes must go
        if b"boom" in body:
            raise ValueError("a bug")
        return result

    monkeypatch.setattr(webhook_queue, "receive_verified", breaks_on_boom)
    for text in ["before", "boom", "after"]:
        post(text_body(text))
    assert ingest_batch() == 3
    assert patient_messages() == ["before", "after"]  # "boom" rolled back with its savepoint
    raw = RawWebhook.objects.get()
    assert "ValueError" in raw.reason and b"boom" in bytes(raw.body)
    assert not QueuedWebhook.objects.exists()
    # Nothing was pushed for the rolled-back message: pushes come from what committed.
    assert len([1 for _, kind in sent if kind == "message.created"]) == len(Message.objects.filter(patient__wa_id=ASHA))


def test_a_database_that_goes_away_mid_batch_loses_nothing(queued, monkeypatch):
    for text in ["one", "two", "three"]:
        post(text_body(text))
    real = webhook_queue.receive_verified

    def down_on_two(body, *, received_at):
        if b'"two"' in body:
            raise OperationalError("server closed the connection unexpectedly")
        return real(body, received_at=received_at)

    monkeypatch.setattr(webhook_queue, "receive_verified", down_on_two)
    with pytest.raises(OperationalError):
        ingest_batch()
    assert patient_messages() == []  # "one" was rolled back with the batch
    assert QueuedWebhook.objects.count() == 3
    monkeypatch.setattr(webhook_queue, "receive_verified", real)
    assert ingest_batch() == 3
    assert patient_messages() == ["one", "two", "three"]


def test_an_ingester_killed_mid_batch_leaves_every_body_queued(queued, monkeypatch):
    for text in ["one", "two"]:
        post(text_body(text))
    real = webhook_queue.receive_verified

    def killed_on_two(body, *, received_at):
        if b'"two"' in body:
            raise SystemExit("SIGKILL-like: the process ends here")
        return real(body, received_at=received_at)

    monkeypatch.setattr(webhook_queue, "receive_verified", killed_on_two)
    with pytest.raises(SystemExit):
        ingest_batch()
    assert QueuedWebhook.objects.count() == 2 and patient_messages() == []
    monkeypatch.setattr(webhook_queue, "receive_verified", real)
    ingest_batch()
    assert patient_messages() == ["one", "two"]


def test_pushes_are_gathered_in_order_and_the_reply_is_enqueued_after_them(queued, sent, monkeypatch):
    order: list[str] = []
    monkeypatch.setattr("chat.inbound.enqueue_inbox", lambda patient_id: order.append(f"enqueue {len(sent)}"))
    post(text_body("first"))
    post(text_body("second"))
    ingest_batch()
    kinds = [kind for _, kind in sent]
    assert kinds == ["message.created", "patient.updated", "message.created", "patient.updated"]
    assert {group for group, _ in sent} == {f"doctor-{queued.pk}"}
    assert order == ["enqueue 4", "enqueue 4"]  # both after all four pushes were sent


def test_timestamps_and_kept_bodies_are_judged_by_when_meta_delivered_them(queued):
    body = sample("text.json")
    first_message(body)["timestamp"] = str(int((SAMPLE_NOW + dt.timedelta(minutes=90)).timestamp()))
    raw = json.dumps(body).encode()
    post(raw)  # at SAMPLE_NOW: 90 minutes ahead is implausible (over 1 hour), replaced by the receipt time
    with time_machine.travel(SAMPLE_NOW + dt.timedelta(hours=2), tick=False):
        ingest_batch()  # read two hours later (a backlog): the receipt time is still SAMPLE_NOW
    message = Message.objects.get(patient__wa_id=ASHA, direction="in")
    assert message.wa_timestamp == SAMPLE_NOW
    assert RawWebhook.objects.get().received_at == SAMPLE_NOW


def test_with_the_queue_off_the_webhook_stores_inline(clinic, settings):
    settings.WEBHOOK_QUEUE = False
    settings.WHATSAPP_APP_SECRET = SECRET
    assert post(text_body("inline")).json()["stored"] == 1
    assert not QueuedWebhook.objects.exists()
    assert patient_messages() == ["inline"]


def test_the_command_reads_everything_queued_once(queued, capsys):
    for n in range(5):
        post(text_body(f"m{n}"))
    call_command("ingest_webhooks", "--once", "--batch", "2")
    assert "read 5 queued webhook bodies; 0 left" in capsys.readouterr().out
    assert len(patient_messages()) == 5


@pytest.mark.parametrize("queue_on, polls_every", [(True, 0.02), (False, 1.0)])
def test_the_command_polls_an_empty_queue_briskly_only_when_the_queue_is_on(
    clinic, settings, monkeypatch, queue_on, polls_every
):
    """A Procfile's ingest process left running where WEBHOOK_QUEUE is off reads what is left,
    then idles at one poll a second instead of fifty."""
    from chat.management.commands import ingest_webhooks

    settings.WEBHOOK_QUEUE = queue_on
    loops = []
    monkeypatch.setattr(ingest_webhooks, "ingest_forever", lambda **kwargs: loops.append(kwargs))
    call_command("ingest_webhooks")
    assert loops[0]["idle_sleep"] == polls_every


def test_the_loop_keeps_reading_and_survives_a_database_outage(queued, monkeypatch):
    post(text_body("before the outage"))
    real, calls = webhook_queue.ingest_batch, []

    def flaky(limit):
        calls.append(limit)
        if len(calls) == 1:
            raise OperationalError("connection refused")
        return real(limit)

    monkeypatch.setattr(webhook_queue, "ingest_batch", flaky)
    monkeypatch.setattr(webhook_queue.time, "sleep", lambda seconds: None)
    ingest_forever(stop=lambda: len(calls) >= 2 and not QueuedWebhook.objects.exists())
    assert patient_messages() == ["before the outage"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED between connections needs PostgreSQL")
def test_two_ingesters_at_once_store_every_message_once(queued):
    texts = [f"burst {n}" for n in range(120)]
    for text in texts:
        post(text_body(text))
    errors: list[BaseException] = []

    def ingester():
        try:
            while ingest_batch(limit=7):
                pass
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingester) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(patient_messages()) == sorted(texts)
    assert not QueuedWebhook.objects.exists()
