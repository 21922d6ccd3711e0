"""A patient's phone for the bot's tests: a clinic like the demo one, messages posted through the
real webhook, the bot's replies read back from the outbox (the sandbox transport sends them:
status sent/delivered, a wamid.SANDBOX- id), and a stub LLM server. Shared by chat's and
booking's conversation tests."""

import contextlib
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import Client, TestCase

from booking.tests.factories import TWO_SESSION_HOURS, set_hours
from chat.models import Message
from chat.simulator import webhook_payload
from patients.demo import DEMO_CLINIC, DEMO_PHONE_NUMBER_ID
from patients.models import Doctor, FaqEntry, Patient

# A Tuesday morning in Pune.
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
NOW = dt.datetime(2026, 3, 10, 4, 30, tzinfo=dt.UTC)
WA_ID = "919800000777"


def make_clinic(**overrides) -> Doctor:
    """A clinic like the demo one: Mon–Sat 10–13 and 17–20, Sunday off, two FAQ answers."""
    doctor = Doctor.objects.create(**{**DEMO_CLINIC, "phone_number_id": DEMO_PHONE_NUMBER_ID, **overrides})
    set_hours(doctor, TWO_SESSION_HOURS)
    FaqEntry.objects.create(
        doctor=doctor,
        question="Is there parking?",
        keywords="parking, park, car, bike",
        answer="Yes, free parking for two-wheelers and cars behind the clinic.",
    )
    FaqEntry.objects.create(
        doctor=doctor,
        question="Do you do home visits?",
        keywords="home visit, ghar",
        answer="Home visits are possible for elderly patients nearby — please ask the doctor.",
    )
    return doctor


class Phone:
    """One patient's WhatsApp: sends through the real webhook, reads what the bot sent back."""

    def __init__(self, doctor: Doctor, wa_id: str = WA_ID, name: str = "Rahul Deshmukh") -> None:
        self.doctor, self.wa_id, self.name = doctor, wa_id, name
        self.client = Client()

    def post(self, payload: dict) -> list[Message]:
        before = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        # Inside a test's transaction nothing commits: run the commit hooks (process_inbox, the
        # sends) as a commit would. Outside one (transactional_db) they have already run.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/webhooks/whatsapp/", data=json.dumps(payload), content_type="application/json"
            )
        assert response.status_code == 200, response.content
        return list(
            Message.objects.filter(
                patient__wa_id=self.wa_id, direction=Message.Direction.OUT, sender=Message.Sender.BOT, pk__gt=before
            ).order_by("pk")
        )

    def send(self, text: str) -> list[Message]:
        """Type a message; returns the bot's messages it caused."""
        return self.post(webhook_payload(doctor=self.doctor, wa_id=self.wa_id, name=self.name, text=text))

    def tap(self, reply_id: str, title: str, kind: str = "button_reply") -> list[Message]:
        """Tap a reply button (or a list row)."""
        return self.post(
            webhook_payload(doctor=self.doctor, wa_id=self.wa_id, name=self.name, choice=(kind, reply_id, title))
        )

    @property
    def patient(self) -> Patient:
        return Patient.objects.get(doctor=self.doctor, wa_id=self.wa_id)


def button_ids(message: Message) -> list[str]:
    interactive = message.payload.get("interactive", {})
    return [b["reply"]["id"] for b in interactive.get("action", {}).get("buttons", [])]


def assert_sent(message: Message) -> None:
    """The sandbox transport took it: sent (or already delivered) with a sandbox wamid."""
    assert message.status in (Message.Status.SENT, Message.Status.DELIVERED), (message.status, message.error_title)
    assert message.wamid.startswith("wamid.SANDBOX-")


class LlmStub:
    """An OpenAI-compatible chat-completions server on 127.0.0.1, in a thread, for one test.

    Set `answer`, `status` or `delay` before the request; `requests` holds every JSON body
    received (and `auth` the Authorization headers).
    """

    def __init__(self) -> None:
        self.answer = "We are open Monday to Saturday."
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict] = []
        self.auth: list[str] = []
        self._stop = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                stub.requests.append(json.loads(self.rfile.read(length)))
                stub.auth.append(self.headers.get("Authorization", ""))
                if stub.delay:
                    stub._stop.wait(stub.delay)
                body = json.dumps({"choices": [{"message": {"role": "assistant", "content": stub.answer}}]}).encode()
                try:
                    self.send_response(stub.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def start(self) -> "LlmStub":
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def serve_llm(settings) -> Iterator[LlmStub]:
    """The stub LLM server, configured as the responder (key set, short timeout)."""
    stub = LlmStub().start()
    settings.LLM_API_BASE = stub.base
    settings.LLM_API_KEY = "test-key"
    settings.LLM_MODEL = "stub-model"
    settings.LLM_TIMEOUT = 1.0
    try:
        yield stub
    finally:
        stub.stop()
