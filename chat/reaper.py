"""The reaper: what a killed worker or a lost task left half done, settled after a bounded time.

- an outgoing message `sending` past SENDING_DEADLINE, or `unknown` past RECONCILE_WAIT, goes
  through the same reconciliation as an unanswered send (chat/outbound.py): resent once when no
  status webhook names it, then shown to the doctor as "may not have been delivered";
- a task row RUNNING past TASK_DEADLINE (its worker died: db_worker never picks it up again) is
  marked failed;
- a patient message still unprocessed past INBOX_DEADLINE with no process_inbox task waiting or
  running for its patient (the task was never enqueued, e.g. the queue insert failed after the
  message committed) gets a new task. A patient merely waiting in a long queue gets none: a
  sweep every 30 s would otherwise add a task per waiting patient each time.

Each send also queues its own deferred check, so with the database backend a message is settled
without this sweep; `manage.py reap_stuck` runs it from cron for everything else.
"""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chat.models import Message
from chat.outbound import RECONCILE_WAIT, SENDING_DEADLINE, reconcile_message_now

log = logging.getLogger(__name__)

# Longer than any task runs alive: process_inbox with an LLM call (8 s) or a send (under 1 min).
TASK_DEADLINE = dt.timedelta(minutes=10)
INBOX_DEADLINE = dt.timedelta(minutes=5)


def reap_stuck(*, now: dt.datetime | None = None) -> dict:
    """Settle everything stuck past its deadline. Returns counts per outcome."""
    from chat.tasks import process_inbox

    now = now or timezone.now()
    counts: dict[str, int] = {}
    stuck = Message.objects.filter(direction=Message.Direction.OUT, send_started_at__isnull=False).filter(
        status__in=[Message.Status.SENDING, Message.Status.UNKNOWN],
        send_started_at__lte=now - min(SENDING_DEADLINE, RECONCILE_WAIT),
    )
    for message_id in list(stuck.values_list("pk", flat=True)):
        outcome = reconcile_message_now(message_id, now=now)
        counts[f"messages {outcome}"] = counts.get(f"messages {outcome}", 0) + 1
    dead = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=now - TASK_DEADLINE)
    counts["tasks failed"] = dead.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="chat.reaper.WorkerDied",
        traceback=f"Reaped: still RUNNING {TASK_DEADLINE} after it started; its worker is gone.",
    )
    waiting = (
        Message.objects.filter(direction=Message.Direction.IN, processed=False, created_at__lte=now - INBOX_DEADLINE)
        .values_list("patient_id", flat=True)
        .distinct()
    )
    queued = DBTaskResult.objects.filter(
        task_path="chat.tasks.process_inbox", status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    patients = [patient_id for patient_id in waiting if not queued.filter(args_kwargs__args__0=patient_id).exists()]
    for patient_id in patients:
        process_inbox.enqueue(patient_id)
    counts["inboxes requeued"] = len(patients)
    if any(counts.values()):
        log.warning("reaper: %s", counts)
    return counts
