"""The webhook's fast path (WEBHOOK_QUEUE=true): verify, one insert, 200; read later in batches.

Meta delivers up to 1,000 messages a second to one number, and all of a clinic group's numbers
share the box. Storing a message inline costs one transaction of ~7 statements, two live pushes
and an enqueue: ~30 a second on two cores (issue 15). Queued, the request does only what must
happen before Meta is told "received": check the signature and make the body durable (one
INSERT, committed). `manage.py ingest_webhooks` then reads the queue in batches through the
same receive path as the inline webhook (chat.inbound.receive_verified) and deletes what it read
in the same transaction, so:

- nothing acknowledged is lost: the body is committed before the 200, and a batch that fails
  or an ingester killed mid-batch rolls back to the rows still queued;
- nothing is stored twice: a redelivered body is queued again and its messages meet the wamid's
  unique index, as inline; a body that is read twice (a batch retried) the same way;
- order: bodies are read in arrival order (id); several ingesters take disjoint batches
  (SKIP LOCKED), so across them order per patient is Meta's timestamp, as it is for Meta;
- one body that cannot be used is kept raw (RawWebhook) with the reason and never blocks the
  others; only a database that is down stops a batch, to be read again.
"""

import logging
import time

from django.db import connection, transaction
from django.utils import timezone

from chat.inbound import DATABASE_DOWN, keep_raw, receive_verified, signed
from chat.models import QueuedWebhook
from clinicbot.events import pushes_gathered

log = logging.getLogger(__name__)

QUEUE_INSERT = f"INSERT INTO {QueuedWebhook._meta.db_table} (body, received_at) VALUES (%s, %s)"
BATCH = 50  # bodies per transaction: ~50× fewer commits, yet a batch's pushes wait well under 100 ms


def queue_body(body: bytes, signature_header: str | None) -> tuple[int, dict]:
    """What the webhook view does with a POST when the queue is on: (HTTP status, JSON answer)."""
    if not signed(body, signature_header):
        return 403, {"error": "bad signature"}
    # One statement in autocommit, durable before the 200. Written without the ORM's save(): at
    # ~1,000 POSTs a second its model instance and SQL compilation were a quarter of the view.
    with connection.cursor() as cursor:
        cursor.execute(QUEUE_INSERT, [body, timezone.now()])
    return 200, {"ok": True, "queued": True}


def ingest_batch(limit: int = BATCH) -> int:
    """Read up to `limit` queued bodies, oldest first, in one transaction; returns how many."""
    with pushes_gathered(), transaction.atomic():
        rows = list(QueuedWebhook.objects.select_for_update(skip_locked=True).order_by("id")[:limit])
        for row in rows:
            ingest_one(row)
        if rows:
            QueuedWebhook.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def ingest_one(row: QueuedWebhook) -> None:
    body = bytes(row.body)
    try:
        with transaction.atomic():  # a savepoint: what this body wrote goes, or none of it
            receive_verified(body, received_at=row.received_at)
    except DATABASE_DOWN:
        raise
    except Exception as error:  # receive_verified keeps what it cannot use; this would be a bug
        log.exception("queued webhook #%s could not be read", row.pk)
        keep_raw(body=body, reasons=[f"not read from the queue: {type(error).__name__}"], received_at=row.received_at)


def ingest_forever(*, batch: int = BATCH, idle_sleep: float = 0.02, stop=lambda: False) -> None:
    """The ingester's loop: batches back to back while there are bodies, a short sleep when the
    queue is empty (the push to the doctor's page waits at most that long), a longer one after
    the database went away."""
    while not stop():
        try:
            # Idle, one indexed read per poll (a batch would be three statements: BEGIN, the
            # locking SELECT, COMMIT).
            if not QueuedWebhook.objects.exists():
                time.sleep(idle_sleep)
                continue
            ingest_batch(batch)
        except DATABASE_DOWN:
            log.exception("webhook queue: database unavailable, retrying in 1 s")
            connection.close()  # a broken connection is not reused; the next query opens one
            time.sleep(1.0)
