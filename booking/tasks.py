"""The reminder task (django-tasks API): enqueued by booking.reminders with run_after = its due
time when the backend can defer (the database backend and `manage.py db_worker`). An entry
point: it runs chat.notices.reminder_send, booking's claim with chat's message."""

from django.utils import timezone
from django_tasks import task


@task()
def send_reminder(reminder_id: int) -> str:
    from chat.notices import reminder_send  # booking decides, chat words and queues the message

    return reminder_send(reminder_id=reminder_id, now=timezone.now())
