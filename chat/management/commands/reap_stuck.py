"""Settle sends, tasks and inboxes stuck past their deadlines (chat/reaper.py). Safe to run from
cron at any frequency, on any number of machines."""

from django.core.management.base import BaseCommand

from chat.reaper import reap_stuck


class Command(BaseCommand):
    help = "Settle messages stuck sending or unknown, tasks left RUNNING by a dead worker, and unprocessed inboxes."

    def handle(self, *args, **options):
        counts = reap_stuck()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()) or "nothing stuck")
