"""Delete access-log entries older than N days; never fewer than 365 (the log is kept a year)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from patients.models import AuditEvent

MIN_DAYS = 365


class Command(BaseCommand):
    help = f"Delete AuditEvent rows older than --older-than DAYS (at least {MIN_DAYS})."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *, older_than: int, dry_run: bool, **options):
        if older_than < MIN_DAYS:
            raise CommandError(f"--older-than must be at least {MIN_DAYS} days: the access log is kept a year.")
        cutoff = timezone.now() - dt.timedelta(days=older_than)
        old = AuditEvent.objects.filter(at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"{old.count()} access-log entries are older than {cutoff:%Y-%m-%d %H:%M} UTC.")
            return
        deleted, _ = old.delete()
        self.stdout.write(f"Deleted {deleted} access-log entries older than {cutoff:%Y-%m-%d %H:%M} UTC.")
