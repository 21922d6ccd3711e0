"""What one webhook costs the database on the ack path (issue 15): the webhook verifies, stores
and enqueues on the database task backend; its statements are counted here, Zulip-style, so a
change that adds one is seen (and must say why)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chat.models import Message
from chat.tests.webhooks import ASHA, URL, statements, text_body
from patients.numbers import doctor_for_number

SAMPLE_PHONE_NUMBER_ID = "100200300400500"
# Real commits: the statements counted are those of a request outside any test transaction.
pytestmark = [pytest.mark.usefixtures("clinic"), pytest.mark.django_db(transaction=True)]


def ack_queries(raw: bytes) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(URL, data=raw, content_type="application/json")
    assert response.status_code == 200, response.content
    return [q["sql"] for q in queries.captured_queries]


def test_a_message_from_a_known_patient_is_acked_in_seven_statements(database_tasks):
    """The clinic comes from the per-process cache (patients/numbers.py), then one transaction:
    the patient, the message insert (its unique wamid is the duplicate check), one update for the
    counter and the inbox fields, the re-read of what the live event shows; after commit, the
    check that finds the patient's process_inbox task still waiting, so no new one."""
    ack_queries(text_body("first, creates the patient"))
    sql = statements(ack_queries(text_body("hi again")))
    assert Message.objects.filter(patient__wa_id=ASHA, direction="in").count() == 2
    assert len(sql) == 7, sql
    assert [s.split()[0] for s in sql].count("UPDATE") == 1, sql
    assert sql[-1] == "SELECT django_tasks_database_dbtaskresult", sql


def test_with_no_task_waiting_the_ack_adds_the_task_insert(database_tasks):
    """The first message's task was claimed by a worker: the next message needs its own."""
    ack_queries(text_body("first, creates the patient"))
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    sql = statements(ack_queries(text_body("while the task runs")))
    assert len(sql) == 8, sql
    assert sql[-2:] == ["SELECT django_tasks_database_dbtaskresult", "INSERT django_tasks_database_dbtaskresult"], sql


def test_a_redelivered_message_inserts_nothing_and_enqueues_nothing(database_tasks):
    raw = text_body("once", wamid="wamid.Q-ONCE")
    ack_queries(raw)
    sql = statements(ack_queries(raw))
    assert not any(s.startswith("INSERT django_tasks") for s in sql), sql
    assert Message.objects.filter(wamid="wamid.Q-ONCE").count() == 1


def test_a_new_patient_adds_only_its_insert_in_a_savepoint(database_tasks):
    """The savepoint lets a webhook racing to create the same patient lose gracefully; no task
    is waiting for a new patient, so its task row is inserted. The clinic is known to the
    process already (a cold cache adds its one SELECT, once per CACHE_SECONDS)."""
    assert doctor_for_number(SAMPLE_PHONE_NUMBER_ID) is not None
    sql = statements(ack_queries(text_body("first message ever")))
    assert len(sql) == 11, sql
    assert sql[2].startswith("SAVEPOINT") and sql[3] == "INSERT patients_patient", sql
