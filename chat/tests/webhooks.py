"""Posting to the real webhook door in tests: the URL, the app secret the tests sign with, the
samples' moment, and helpers to post a body (signed or not) and read what came back.

The test's transaction never commits, so each post runs the commit hooks (process_inbox, sends,
pushes) as a commit would, and the ones they add in turn; under transactional_db they have
already run and nothing is captured."""

import datetime as dt
import json
import uuid

from django.test import Client, TestCase

from chat.models import Message
from chat.tests.samples import ASHA, sample  # noqa: F401 (ASHA: the samples' patient)
from chat.whatsapp.signature import sign

URL = "/webhooks/whatsapp/"
SECRET = "app-secret-for-tests"
# Just after the samples' timestamps (1767225600 = 2026-01-01 00:00 UTC): the 24-hour window is open.
SAMPLE_NOW = dt.datetime(2026, 1, 1, 0, 5, tzinfo=dt.UTC)


def post(body: dict | bytes, *, signature: str | None = None, client: Client | None = None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"X-Hub-Signature-256": signature} if signature is not None else {}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or Client()).post(URL, data=raw, content_type="application/json", headers=headers)


def signed_post(raw: bytes, client: Client | None = None):
    headers = {"X-Hub-Signature-256": sign(raw, SECRET)}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or Client()).post(URL, data=raw, content_type="application/json", headers=headers)


def first_message(body: dict) -> dict:
    return body["entry"][0]["changes"][0]["value"]["messages"][0]


def replies_to(wa_id: str) -> list[Message]:
    return list(Message.objects.filter(patient__wa_id=wa_id, direction=Message.Direction.OUT).order_by("pk"))


def status_body(wamid: str, status: str, seconds: int, errors: list | None = None) -> dict:
    body = sample("status_sent.json")
    item = body["entry"][0]["changes"][0]["value"]["statuses"][0]
    item.update(id=wamid, status=status, timestamp=str(seconds))
    if errors is not None:
        item["errors"] = errors
    return body


def text_body(text: str = "hi", wamid: str | None = None) -> bytes:
    body = sample("text.json")
    first_message(body).update(id=wamid or f"wamid.Q-{uuid.uuid4().hex}")
    first_message(body)["text"]["body"] = text
    return json.dumps(body).encode()


def statements(sql: list[str]) -> list[str]:
    """The first words of each statement, readable in a failure: 'SELECT patients_doctor' …"""
    shown = []
    for one in sql:
        words = one.replace('"', "").split()
        table = next((w for w in words[1:] if "_" in w and not w.startswith("(")), "")
        shown.append(f"{words[0]} {table.split('.')[0]}")
    return shown
