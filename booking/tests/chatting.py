"""A patient's phone for conversation tests: signed webhooks in, the bot's messages back.

Used by the dialogue table and the property test. Each message goes through the real door
(`POST /webhooks/whatsapp/` with an `X-Hub-Signature-256` made with the app secret), the
pipeline and the booking flow; the on-commit work (process_inbox, sending) runs at once inside
the test's transaction, so these tests need no `transactional_db`.
"""

import json

from django.test import Client, TestCase

from booking.models import Appointment
from booking.tests.factories import TWO_SESSION_HOURS, make_doctor
from chat.models import Message
from chat.simulator import webhook_payload
from chat.whatsapp.signature import sign
from patients.demo import DEMO_CLINIC, DEMO_PHONE_NUMBER_ID
from patients.models import Doctor, Patient

SECRET = "dialogue-test-app-secret"
WA_ID = "919822000111"


def make_clinic() -> Doctor:
    """The demo clinic's shape: Mon–Sat 10–13 and 17–20, Sunday off, 15-minute slots, an hour's
    notice, 30 days ahead, no changes within two hours, at most two upcoming visits."""
    return make_doctor(
        hours=TWO_SESSION_HOURS,
        **{**DEMO_CLINIC, "fees": "₹500 consultation"},
        phone_number_id=DEMO_PHONE_NUMBER_ID,
        slot_minutes=15,
        min_notice_minutes=60,
    )


class SignedPhone:
    """One patient's WhatsApp, talking to the clinic through the signed webhook."""

    def __init__(self, doctor: Doctor, wa_id: str = WA_ID, name: str = "Rahul Deshmukh") -> None:
        self.doctor, self.wa_id, self.name = doctor, wa_id, name
        self.client = Client()
        self.last: list[Message] = []

    def post(self, payload: dict) -> list[Message]:
        before = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        body = json.dumps(payload).encode()
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/webhooks/whatsapp/",
                data=body,
                content_type="application/json",
                headers={"X-Hub-Signature-256": sign(body, SECRET)},
            )
        assert response.status_code == 200, response.content
        self.last = list(
            Message.objects.filter(
                patient__wa_id=self.wa_id, direction=Message.Direction.OUT, sender=Message.Sender.BOT, pk__gt=before
            ).order_by("pk")
        )
        return self.last

    def send(self, text: str) -> list[Message]:
        return self.post(webhook_payload(doctor=self.doctor, wa_id=self.wa_id, name=self.name, text=text))

    def tap(self, reply_id: str, title: str = "", kind: str = "button_reply") -> list[Message]:
        payload = webhook_payload(
            doctor=self.doctor, wa_id=self.wa_id, name=self.name, choice=(kind, reply_id, title or reply_id)
        )
        return self.post(payload)

    def rows(self) -> list[tuple[str, str]]:
        """(id, title) of the rows of the last list the bot sent."""
        for message in reversed(self.last):
            interactive = message.payload.get("interactive", {})
            if interactive.get("type") == "list":
                return [(r["id"], r["title"]) for s in interactive["action"]["sections"] for r in s["rows"]]
        return []

    def buttons(self) -> list[tuple[str, str]]:
        found = []
        for message in self.last:
            for button in message.payload.get("interactive", {}).get("action", {}).get("buttons", []):
                found.append((button["reply"]["id"], button["reply"]["title"]))
        return found

    def text(self) -> str:
        """Everything the bot said in answer to the last message, as one string."""
        return "\n".join(m.text for m in self.last)

    @property
    def patient(self) -> Patient:
        return Patient.objects.get(doctor=self.doctor, wa_id=self.wa_id)


def booked_starts(doctor: Doctor, wa_id: str = WA_ID) -> list[str]:
    """The patient's booked appointments as "YYYY-MM-DD HH:MM" in the clinic's time."""
    starts = Appointment.objects.filter(
        doctor=doctor, patient__wa_id=wa_id, status=Appointment.Status.BOOKED
    ).values_list("start", flat=True)
    return sorted(f"{s.astimezone(doctor.tz):%Y-%m-%d %H:%M}" for s in starts)
