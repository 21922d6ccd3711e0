"""One waiting process_inbox task per patient, however many messages arrive (issue 15).

A patient who sends 20 messages in a burst (or whose messages Meta redelivers after an outage)
used to get 20 tasks; each took the patient's row lock in turn, and all but the first found
nothing left to do, paying their task-table statements for nothing. A task reads every
unprocessed message of its patient when it starts, so a task that has not started yet will
also answer a message committed now: that message needs no task of its own.

Nothing is lost, because the skip is safe in every order (database task backend):
- the message commits before the check runs (this is called after commit);
- a task the check sees READY is claimed later, and db_worker commits the claim before running
  it, so the task's read of the inbox comes after this message's commit and includes it;
- a task already RUNNING may have read the inbox before this message: it does not count, and
  a new task is enqueued (it finds the message, or nothing if the running one took it).
Two webhooks checking at once can both enqueue: one extra task, never a missing one. Order and
exactly-once come from process_inbox itself (the patient's row lock, the processed mark).
With any other backend (immediate in tests and the demo) each message simply enqueues.
"""

from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_inbox(patient_id: int) -> bool:
    """Make sure a not-yet-started process_inbox task exists for the patient. Returns whether
    one was enqueued (False: one was waiting already)."""
    from chat.tasks import process_inbox

    backend = process_inbox.get_backend()
    if isinstance(backend, DatabaseBackend) and task_waiting(process_inbox.module_path, patient_id, backend.alias):
        return False
    process_inbox.enqueue(patient_id)
    return True


def task_waiting(task_path: str, patient_id: int, backend_name: str) -> bool:
    """Whether a task for this patient is READY (enqueued, not yet claimed by a worker). One query,
    on the task table's partial index of READY rows."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=task_path,
        backend_name=backend_name,
        args_kwargs__args__0=patient_id,
    ).exists()
