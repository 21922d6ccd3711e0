"""Play a patient: build the webhook payload WhatsApp would send, sign it, deliver it to the
webhook's own receive function (in-process) or to a running server, and read back what the bot
sent. Before each message the phone reports what it has read (chat.sandbox.phone_read), as a real
phone does when its user writes again. Used by `manage.py simulate`, the `/simulator/` page and
the tests."""

import hashlib
import itertools
import json
import time
import uuid

import requests
from django.conf import settings
from django.utils import timezone

from chat.inbound import receive_body
from chat.models import Message
from chat.sandbox import phone_read, put_media
from chat.whatsapp import signature
from patients.models import Doctor

_counter = itertools.count(1)

# Where `make demo` serves: `manage.py simulate` posts there when it answers, so what is typed
# shows live on that server's /chat/ (an in-process post only reaches this process's own pages).
DEFAULT_SERVER = "http://127.0.0.1:8000"


def server_answers(url: str = DEFAULT_SERVER, *, timeout: float = 0.5) -> bool:
    """Whether an HTTP server answers at `url` within `timeout` seconds (any status will do)."""
    try:
        requests.get(url.rstrip("/") + "/accounts/login/", timeout=timeout, allow_redirects=False)
    except requests.RequestException:
        return False
    return True


def webhook_payload(
    *,
    doctor: Doctor,
    wa_id: str,
    name: str,
    text: str = "",
    choice: tuple[str, str, str] | None = None,
    media: tuple[str, dict] | None = None,
) -> dict:
    """A Cloud API `messages` webhook for one text message, one tap on a button / list row
    (`choice` = (kind "button_reply" | "list_reply", id, title)), or one photo or document
    (`media` = (type "image" | "document", {id, mime_type, sha256, filename?, caption?}))."""
    message = {"from": wa_id, "id": f"wamid.SIM-{uuid.uuid4().hex}", "timestamp": str(int(timezone.now().timestamp()))}
    if media:
        kind, part = media
        message.update(type=kind, **{kind: part})
    elif choice:
        kind, reply_id, title = choice
        message.update(type="interactive", interactive={"type": kind, kind: {"id": reply_id, "title": title}})
    else:
        message.update(type="text", text={"body": text})
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": doctor.display_phone_number, "phone_number_id": doctor.phone_number_id},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "SIMULATOR", "changes": [{"field": "messages", "value": value}]}],
    }


def post_webhook(payload: dict, *, url: str | None = None) -> int:
    """Deliver a patient's message, after the read receipts for what their phone had received;
    returns the webhook's HTTP status for the message."""
    value = payload["entry"][0]["changes"][0]["value"]
    doctor = Doctor.objects.filter(phone_number_id=value["metadata"]["phone_number_id"]).first()
    read = phone_read(doctor=doctor, wa_id=value["messages"][0]["from"]) if doctor else None
    if read:
        deliver(read, url=url)
    return deliver(json.dumps(payload).encode(), url=url)


def deliver(body: bytes, *, url: str | None = None) -> int:
    """Sign a body as Meta does (when an app secret is set) and hand it to the webhook: its
    receive function in this process, or the server at `url` over HTTP."""
    header = signature.sign(body, settings.WHATSAPP_APP_SECRET) if settings.WHATSAPP_APP_SECRET else None
    if not url:
        return receive_body(body, header)[0]
    headers = {"Content-Type": "application/json", **({"X-Hub-Signature-256": header} if header else {})}
    return requests.post(url.rstrip("/") + "/webhooks/whatsapp/", data=body, headers=headers, timeout=30).status_code


def choices_of(message: Message) -> list[tuple[str, str, str]]:
    """The buttons or list rows of an outgoing interactive message as (kind, id, title)."""
    interactive = message.payload.get("interactive") if isinstance(message.payload, dict) else None
    if not isinstance(interactive, dict):
        return []
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        return [("button_reply", b["reply"]["id"], b["reply"]["title"]) for b in action.get("buttons", [])]
    return [("list_reply", r["id"], r["title"]) for s in action.get("sections", []) for r in s.get("rows", [])]


def bot_replies_after(*, doctor: Doctor, wa_id: str, after_id: int, wait: float = 0.0) -> list[Message]:
    """Outgoing messages to this patient newer than `after_id`; with a worker, waits until they
    stop arriving (at most `wait` seconds)."""
    deadline = time.monotonic() + wait
    seen: list[Message] = []
    while True:
        seen = list(
            Message.objects.filter(doctor=doctor, patient__wa_id=wa_id, direction="out", id__gt=after_id).order_by("id")
        )
        if time.monotonic() >= deadline:
            return seen
        time.sleep(0.3)
        if (
            seen
            and len(seen)
            == Message.objects.filter(doctor=doctor, patient__wa_id=wa_id, direction="out", id__gt=after_id).count()
        ):
            return seen


def last_message_id() -> int:
    last = Message.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def attachment_payload(
    *, doctor: Doctor, wa_id: str, name: str, content: bytes, kind: str, mime_type: str, filename: str, caption: str
) -> dict:
    """The webhook Meta would send for a photo or document the patient attached: the file is
    kept where the sandbox's GET /{media-id} finds it (chat.sandbox.put_media), so the fetch
    task downloads it through the same seam as from Meta, with no network."""
    media_id = put_media(content=content, mime_type=mime_type)
    part = {"id": media_id, "mime_type": mime_type, "sha256": hashlib.sha256(content).hexdigest()}
    if kind == "document":
        part["filename"] = filename
    if caption:
        part["caption"] = caption
    return webhook_payload(doctor=doctor, wa_id=wa_id, name=name, media=(kind, part))
