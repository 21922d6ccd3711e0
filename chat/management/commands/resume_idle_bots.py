"""Give idle conversations back to the bot (doctors with auto_resume_hours set). Safe from cron."""

from django.core.management.base import BaseCommand

from chat.handoff import resume_idle_bots


class Command(BaseCommand):
    help = "Resume the bot for patients whose doctor left them without a staff reply for auto_resume_hours."

    def handle(self, *args, **options):
        resumed = resume_idle_bots()
        self.stdout.write(f"Resumed the bot for {resumed} patient(s).")
