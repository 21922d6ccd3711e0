"""Read the webhook queue (WEBHOOK_QUEUE=true): store the messages and statuses of every signed
body the webhook acknowledged, in batches, until stopped (or once with --once)."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from chat.models import QueuedWebhook
from chat.webhook_queue import BATCH, ingest_batch, ingest_forever

IDLE_SLEEP_QUEUE_OFF = 1.0


class Command(BaseCommand):
    help = "Store the queued webhook bodies (WEBHOOK_QUEUE=true); runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="read everything queued now, then exit")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"bodies per transaction (default {BATCH})")
        parser.add_argument(
            "--idle-sleep", type=float, default=0.02, help="seconds between polls of an empty queue (default 0.02)"
        )

    def handle(self, *args, once, batch, idle_sleep, **options):
        if not settings.WEBHOOK_QUEUE:
            # Nothing new will come (what is left is from before the switch): poll once a second,
            # not 50 times, so a Procfile's ingest process costs nothing where the queue is off.
            idle_sleep = max(idle_sleep, IDLE_SLEEP_QUEUE_OFF)
            self.stderr.write(
                "WEBHOOK_QUEUE is off: the webhook stores inline and queues nothing; reading what is left."
            )
        if once:
            total = 0
            while read := ingest_batch(batch):
                total += read
            self.stdout.write(f"read {total} queued webhook bodies; {QueuedWebhook.objects.count()} left")
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))  # finish the batch, then exit
        self.stdout.write(f"reading the webhook queue ({QueuedWebhook.objects.count()} waiting)")
        try:
            ingest_forever(batch=batch, idle_sleep=idle_sleep, stop=lambda: bool(stopping))
        except KeyboardInterrupt:
            pass
