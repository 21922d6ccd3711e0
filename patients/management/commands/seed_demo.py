"""A demo clinic to click around in: `manage.py seed_demo`. Running it again changes nothing."""

from django.core.management.base import BaseCommand

from clinicbot.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo doctor (WhatsApp number id 100200300400500), login demo/demo, schedule, patients."

    def handle(self, *args, **options):
        created = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready ({created} new rows). Log in as demo / demo."))
