"""Send every reminder that is due and not sent yet, once, now. The web process already does this
every REMINDER_SWEEP_SECONDS by itself (chat/sweep.py); this is for trying it by hand.
Safe while the server runs, and when two runs overlap (each reminder is claimed by one of them)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from chat.notices import reminders_send_due


def summary(counts: dict[str, int]) -> str:
    """ "Reminders: 1 sent, 2 skipped (cancelled, moved or late), 0 failed." or "Reminders: none due."
    Reminders another run was sending, or that wait for the next sweep, are mentioned only when there are some."""
    if not any(counts.values()):
        return "Reminders: none due."
    line = (
        f"Reminders: {counts['sent']} sent, {counts['skipped']} skipped (cancelled, moved or late), "
        f"{counts['failed']} failed."
    )
    if counts["taken"]:
        line += f" {counts['taken']} handled by another run."
    if counts["retry"]:
        line += f" {counts['retry']} still due: the next sweep sends them (the database was busy)."
    return line


class Command(BaseCommand):
    help = "Send the appointment reminders that are due and not sent yet; prints what happened."

    def handle(self, *args, **options):
        self.stdout.write(summary(reminders_send_due(now=timezone.now())))
