"""One waiting process_inbox task per patient (chat/inbox_queue.py): a burst makes one task, and
a message that arrives while a task runs still gets answered, once, in order."""

import pytest
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chat.models import Message
from chat.pipeline import process_inbox_now
from chat.tests.webhooks import ASHA, URL, text_body
from patients.models import Patient

# Real commits: a task is enqueued when the webhook's transaction commits, and coalescing reads
# the task table as another process would.
pytestmark = [pytest.mark.usefixtures("clinic", "database_tasks"), pytest.mark.django_db(transaction=True)]


def post(text: str) -> None:
    response = Client().post(URL, data=text_body(text), content_type="application/json")
    assert response.status_code == 200, response.content


def inbox_tasks(status: str | None = None):
    rows = DBTaskResult.objects.filter(task_path="chat.tasks.process_inbox")
    return rows.filter(status=status) if status else rows


def run_task(row: DBTaskResult) -> int:
    """What db_worker does with one row: claim it (committed before the task runs), run, finish."""
    row.claim("test-worker")
    processed = process_inbox_now(*row.args_kwargs["args"])
    row.set_successful(processed)
    return processed


def claimed_task() -> DBTaskResult:
    row = inbox_tasks(TaskResultStatus.READY).get()
    row.claim("test-worker")
    return row


def answered_in_order() -> list[str]:
    """The patient's messages, each marked processed, and the replies queued: one per message."""
    patient = Patient.objects.get(wa_id=ASHA)
    incoming = Message.objects.filter(patient=patient, direction="in").order_by("wa_timestamp", "id")
    assert all(message.processed for message in incoming)
    assert Message.objects.filter(patient=patient, direction="out").count() == incoming.count()
    return [message.text for message in incoming]


def test_a_burst_of_twenty_messages_from_one_patient_makes_one_task():
    for n in range(20):
        post(f"message {n}")
    assert inbox_tasks().count() == 1
    assert run_task(inbox_tasks().get()) == 20
    assert answered_in_order() == [f"message {n}" for n in range(20)]


def test_a_message_arriving_after_the_task_started_gets_a_task_of_its_own():
    """The running task may have read the inbox before this message committed: a new task is
    enqueued, and whichever task reads the message first answers it; the other finds nothing."""
    post("first")
    running = claimed_task()
    post("second, while the first task runs")
    assert inbox_tasks(TaskResultStatus.READY).count() == 1
    assert process_inbox_now(*running.args_kwargs["args"]) == 2  # it read both after all
    running.set_successful(2)
    assert run_task(inbox_tasks(TaskResultStatus.READY).get()) == 0
    assert answered_in_order() == ["first", "second, while the first task runs"]


def test_a_message_committed_after_the_running_task_read_the_inbox_is_answered_by_the_next():
    """The interleaving that would lose a message if a running task counted as waiting: the task
    has answered what it saw and not yet finished when the new message commits."""
    post("first")
    running = claimed_task()
    assert process_inbox_now(*running.args_kwargs["args"]) == 1
    post("second, after the inbox was read")
    running.set_successful(1)
    assert run_task(inbox_tasks(TaskResultStatus.READY).get()) == 1
    assert answered_in_order() == ["first", "second, after the inbox was read"]
    assert inbox_tasks().count() == 2


def test_a_finished_task_does_not_stop_the_next_message_from_being_enqueued():
    post("first")
    run_task(inbox_tasks().get())
    post("a day later")
    assert inbox_tasks(TaskResultStatus.READY).count() == 1
    run_task(inbox_tasks(TaskResultStatus.READY).get())
    assert answered_in_order() == ["first", "a day later"]


def test_another_patients_waiting_task_does_not_count(settings):
    post("from Asha")
    other = text_body("from someone else").replace(ASHA.encode(), b"919800000777")
    assert Client().post(URL, data=other, content_type="application/json").status_code == 200
    assert inbox_tasks(TaskResultStatus.READY).count() == 2


def test_a_reply_waiting_to_be_sent_runs_before_the_inbox_tasks_queued_ahead_of_it():
    """In a backlog db_worker takes the highest priority first, then the oldest: a reply the bot
    already queued is sent before the next patient's inbox is read."""
    post("first")
    other = text_body("from someone else").replace(ASHA.encode(), b"919800000777")
    Client().post(URL, data=other, content_type="application/json")
    run_task(inbox_tasks(TaskResultStatus.READY).order_by("enqueued_at").first())
    ready = DBTaskResult.objects.ready()  # the order db_worker claims them in (the model's ordering)
    assert [row.task_path for row in ready] == ["chat.tasks.send_message", "chat.tasks.process_inbox"]
