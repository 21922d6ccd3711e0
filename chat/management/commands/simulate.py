"""Chat as a patient in the terminal, through the real (signed) webhook path.

By default it posts to the server `make demo` runs (127.0.0.1:8000) when one answers there, so
the conversation shows live on its /chat/; otherwise it posts in-process. Either way it says
where it posts, first thing."""

import sys

from django.core.management.base import BaseCommand, CommandError

from chat.models import Message
from chat.simulator import (
    DEFAULT_SERVER,
    bot_replies_after,
    choices_of,
    last_message_id,
    post_webhook,
    server_answers,
    webhook_payload,
)
from patients.models import Doctor


class Command(BaseCommand):
    help = "Type as a patient; the bot's replies are printed, buttons and list rows numbered (type the number to tap)."

    def add_arguments(self, parser):
        parser.add_argument("--phone", default="919800000001", help="the patient's WhatsApp number (digits)")
        parser.add_argument("--name", default="Simulated Patient")
        parser.add_argument("--doctor", help="phone_number_id of the doctor (default: the first doctor)")
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--url", help=f"post to the server at this address (default: {DEFAULT_SERVER} when it answers)"
        )
        where.add_argument("--in-process", action="store_true", help="post in-process even when a server answers")
        parser.add_argument(
            "--wait",
            type=float,
            default=None,
            help="seconds to wait for replies (default: 3 when posting to a server, whose worker may send them; 0 in-process)",
        )

    def handle(self, *args, phone, name, doctor, url, in_process, wait, **options):
        doctors = Doctor.objects.exclude(phone_number_id=None)
        chosen = doctors.filter(phone_number_id=doctor).first() if doctor else doctors.order_by("pk").first()
        if chosen is None:
            raise CommandError("No doctor with a WhatsApp number. Run `manage.py seed_demo` first.")
        phone = "".join(ch for ch in phone if ch.isdigit())
        if not phone:
            raise CommandError("--phone needs digits, e.g. 919800000001")
        if not url and not in_process and server_answers(DEFAULT_SERVER):
            url = DEFAULT_SERVER
        if url:
            self.stdout.write(f"Posting to the server at {url}: the conversation shows live on its /chat/.")
        else:
            self.stdout.write(
                f"Posting in-process (no server answered at {DEFAULT_SERVER}, or --in-process): "
                "a running server's /chat/ shows it only after a reload."
            )
        if wait is None:
            wait = 3.0 if url else 0.0
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
            payload = webhook_payload(doctor=chosen, wa_id=phone, name=name, text=text, choice=choice)
            status = post_webhook(payload, url=url)
            if status != 200:
                self.stderr.write(f"webhook answered {status}")
                continue
            wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
            if url and not Message.objects.filter(wamid=wamid).exists():
                raise CommandError(
                    f"The server at {url} stored the message in another database than this command reads. "
                    "Run this command with the server's settings (DATABASE_URL / SQLITE_PATH), or use --in-process."
                )
            replies = bot_replies_after(doctor=chosen, wa_id=phone, after_id=before, wait=wait)
            if not replies:
                self.stdout.write("  (no reply — the bot is paused for this patient, or busy)")
            for reply in replies:
                self.stdout.write(f"bot> {reply.text}")
                options_now = choices_of(reply) or options_now
                for number, (_, _, title) in enumerate(choices_of(reply), start=1):
                    self.stdout.write(f"     [{number}] {title}")
