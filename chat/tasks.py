"""The tasks of the message pipeline (django-tasks API: immediate in the demo and tests, the
database backend with `manage.py db_worker` in production)."""

from django_tasks import task


@task()
def process_inbox(patient_id: int) -> int:
    from chat.pipeline import process_inbox_now

    return process_inbox_now(patient_id)


# Ahead of process_inbox in the database queue (which runs the highest priority first, then the
# oldest): in a backlog, a reply already decided goes out before the next inbox is read, instead
# of waiting behind all of them (docs/benchmarks.md, "A burst after an outage").
SEND_PRIORITY = 10


@task(priority=SEND_PRIORITY)
def send_message(message_id: int) -> str:
    from chat.outbound import send_message_now

    return send_message_now(message_id)


@task()
def mark_read_on_whatsapp(patient_id: int) -> bool:
    from chat.read_receipts import mark_patient_read

    return mark_patient_read(patient_id)


@task()
def reconcile_message(message_id: int) -> str:
    from chat.outbound import reconcile_message_now

    return reconcile_message_now(message_id)


@task()
def fetch_media(media_id: int) -> str:
    from chat.media_fetch import fetch_media_now

    return fetch_media_now(media_id)
