"""Post the kept raw webhooks (RawWebhook) through the receive path again, e.g. once the clinic
whose phone_number_id they named is configured. Idempotent: a message already stored is a
duplicate (wamid is unique) and a status already applied changes nothing, so running it twice,
or on bodies that were partly used the first time, stores nothing twice."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from chat.inbound import handle_batch
from chat.models import RawWebhook
from chat.whatsapp.body import decode
from chat.whatsapp.payloads import parse_webhook


class Command(BaseCommand):
    help = "Replay kept raw webhooks (all not replayed yet, or the given ids)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="RawWebhook ids (default: every one not replayed yet)")

    def handle(self, *args, ids, **options):
        kept = RawWebhook.objects.filter(pk__in=ids) if ids else RawWebhook.objects.filter(replayed_at=None)
        for raw in kept.order_by("id"):
            decoded = decode(bytes(raw.body))
            if decoded.problem:
                self.stdout.write(f"#{raw.pk}: skipped, {decoded.problem} ({decoded.detail})")
                continue
            # Timestamps are judged against when Meta delivered it, not now.
            counts, unusual = handle_batch(parse_webhook(decoded.value, received_at=raw.received_at))
            if not unusual:  # what is still unusable (the number is still unknown) waits for the next run
                RawWebhook.objects.filter(pk=raw.pk).update(replayed_at=timezone.now())
            left = f"; still unusable: {'; '.join(unusual)[:200]}" if unusual else ""
            self.stdout.write(f"#{raw.pk}: stored {counts['stored']}, statuses {counts['statuses']}{left}")
