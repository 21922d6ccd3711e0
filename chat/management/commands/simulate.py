"""Chat as a patient in the terminal, through the real (signed) webhook path."""

import sys

from django.core.management.base import BaseCommand, CommandError

from chat.simulator import bot_replies_after, choices_of, last_message_id, post_webhook, webhook_payload
from patients.models import Doctor


class Command(BaseCommand):
    help = "Type as a patient; the bot's replies are printed, buttons and list rows numbered (type the number to tap)."

    def add_arguments(self, parser):
        parser.add_argument("--phone", default="919800000001", help="the patient's WhatsApp number (digits)")
        parser.add_argument("--name", default="Simulated Patient")
        parser.add_argument("--doctor", help="phone_number_id of the doctor (default: the first doctor)")
        parser.add_argument("--url", help="post to a running server (e.g. http://127.0.0.1:8000) instead of in-process")
        parser.add_argument(
            "--wait", type=float, default=0.0, help="seconds to wait for replies (when a worker sends them)"
        )

    def handle(self, *args, phone, name, doctor, url, wait, **options):
        doctors = Doctor.objects.exclude(phone_number_id=None)
        chosen = doctors.filter(phone_number_id=doctor).first() if doctor else doctors.order_by("pk").first()
        if chosen is None:
            raise CommandError("No doctor with a WhatsApp number. Run `manage.py seed_demo` first.")
        phone = "".join(ch for ch in phone if ch.isdigit())
        if not phone:
            raise CommandError("--phone needs digits, e.g. 919800000001")
        interactive = sys.stdin.isatty()
        if interactive:
            self.stdout.write(f"Chatting with {chosen} as +{phone}. Empty line or Ctrl-D to quit.")
        options_now: list[tuple[str, str, str]] = []
        while True:
            if interactive:
                self.stdout.write("you> ", ending="")
                self.stdout.flush()
            line = sys.stdin.readline()
            if not line or (interactive and not line.strip()):
                return
            text = line.strip()
            if not text:
                continue
            choice = None
            if text.isdigit() and 1 <= int(text) <= len(options_now):
                choice = options_now[int(text) - 1]
                self.stdout.write(f"  (tapped: {choice[2]})")
            before = last_message_id()
            status = post_webhook(
                webhook_payload(doctor=chosen, wa_id=phone, name=name, text=text, choice=choice), url=url
            )
            if status != 200:
                self.stderr.write(f"webhook answered {status}")
                continue
            replies = bot_replies_after(doctor=chosen, wa_id=phone, after_id=before, wait=wait)
            if not replies:
                self.stdout.write("  (no reply — the bot is paused for this patient, or busy)")
            for reply in replies:
                self.stdout.write(f"bot> {reply.text}")
                options_now = choices_of(reply) or options_now
                for number, (_, _, title) in enumerate(choices_of(reply), start=1):
                    self.stdout.write(f"     [{number}] {title}")
