"""Send every reminder that is due and not sent yet: the safety sweep behind the deferred tasks,
and the only sender with the immediate task backend. Safe from cron every few minutes, and when
two runs overlap (each reminder is claimed by one of them)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from booking.reminders import reminders_send_due


class Command(BaseCommand):
    help = "Send the appointment reminders that are due and not sent yet; prints what happened."

    def handle(self, *args, **options):
        counts = reminders_send_due(now=timezone.now())
        self.stdout.write(
            f"Reminders: {counts['sent']} sent, {counts['skipped']} skipped (cancelled, moved or late), "
            f"{counts['failed']} failed, {counts['taken']} taken by another run, "
            f"{counts['retry']} left for the next run (database error)."
        )
