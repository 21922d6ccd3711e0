"""What the worker's two tasks cost the database (issue 15): one process_inbox and one
send_message, their statements counted here, Zulip-style, as test_ack_queries.py counts the ack.
A change that adds one fails here and must say why."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chat.models import Message
from chat.outbound import send_message_now
from chat.pipeline import process_inbox_now
from chat.tests.stub_graph import StubGraph
from chat.tests.webhooks import ASHA, URL, statements, text_body
from patients.models import Doctor, Patient

# Real commits: the statements counted are a worker's, outside any test transaction.
pytestmark = [pytest.mark.usefixtures("clinic", "database_tasks"), pytest.mark.django_db(transaction=True)]


def post(text: str) -> None:
    response = Client().post(URL, data=text_body(text), content_type="application/json")
    assert response.status_code == 200, response.content


def captured(function, *args) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        function(*args)
    return statements([q["sql"] for q in queries.captured_queries])


@pytest.fixture
def asha() -> Patient:
    """A known patient whose first message was answered, so the next is a plain one."""
    post("hi")
    patient = Patient.objects.get(wa_id=ASHA)
    process_inbox_now(patient.pk)
    return patient


def test_one_process_inbox_for_one_message_is_thirteen_statements(asha):
    """BEGIN; the patient locked (with its clinic); its unprocessed messages; in the message's
    savepoint the flood count, the bot's two reads (FAQ entries, the hours it greets with), the
    reply's insert and the inbox row's update; the processed mark; COMMIT; after commit the
    reply's send_message task. No re-read of the patient after the bot answered."""
    post("hello")
    sql = captured(process_inbox_now, asha.pk)
    assert len(sql) == 13, sql
    assert sql.count("SELECT patients_patient") == 1, sql
    assert sql.count("UPDATE chat_message") == 1, sql
    assert sql[-1] == "INSERT django_tasks_database_dbtaskresult", sql


def test_twenty_messages_in_one_run_are_marked_processed_in_one_update(asha):
    """A coalesced burst (chat/inbox_queue.py) is one run: the patient, the inbox and the
    processed mark are paid once, not once per message."""
    Doctor.objects.update(flood_limit_per_minute=100)  # 21 messages in the frozen minute
    for n in range(20):
        post(f"hello {n}")
    sql = captured(process_inbox_now, asha.pk)
    assert sql.count("SELECT patients_patient") == 1, sql
    assert sql.count("UPDATE chat_message") == 1, sql
    assert sql.count("INSERT chat_message") == 20, sql
    assert Message.objects.filter(patient=asha, direction="in", processed=False).count() == 0


def test_one_send_message_is_six_statements(asha, settings):
    """The claim (one UPDATE whose NOT EXISTS waits for the patient's older messages,
    chat/send_order.py); the deferred deadline check (its task row); the message with its patient
    and clinic; after the Graph API answered, one UPDATE storing the wamid (no transaction, no
    re-read: the live event is built from what was written); one look for statuses that
    overtook the answer; one look for the patient's next queued message, which the send may have
    held back (sent at once by this worker instead of when its task looks again)."""
    reply = Message.objects.filter(patient=asha, direction="out", status="queued").get()
    with StubGraph() as stub:
        settings.WHATSAPP_API_BASE = stub.base_url
        with CaptureQueriesContext(connection) as queries:
            send_message_now(reply.pk)
        assert len(stub.requests) == 1
    sql = statements([q["sql"] for q in queries.captured_queries])
    assert sql == [
        "UPDATE chat_message",
        "INSERT django_tasks_database_dbtaskresult",
        "SELECT chat_message",
        "UPDATE chat_message",
        "SELECT chat_pendingstatus",
        "SELECT chat_message",
    ], sql
    assert "NOT EXISTS" in queries.captured_queries[0]["sql"].upper()
    reply.refresh_from_db()
    assert reply.status == "sent" and reply.wamid
