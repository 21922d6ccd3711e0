"""The sandbox: with no access token, `SandboxClient` stands in for the Graph API client and plays
Meta. Nothing leaves the machine: a send is recorded in OUTBOX and answered with a wamid, and
the statuses a real phone would cause come back as status webhooks through the webhook's own
receive function (chat.inbound.receive_body), as Meta's would: "delivered" for every send, and
"read" for what the patient's phone had received once the patient writes again (`phone_read`,
which the simulator calls before it posts what the patient typed). A media upload is kept in
UPLOADS under a made-up media id, as Meta's media endpoint would keep it.
"""

import collections
import datetime as dt
import hashlib
import json
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chat.inbound import receive_body
from chat.models import Message, media_storage
from chat.whatsapp import outgoing, signature
from chat.whatsapp.graph import GraphError, TooLarge
from patients.models import Doctor

log = logging.getLogger(__name__)

WAMID_PREFIX = "wamid.SANDBOX-"
# The last requests that "would have been sent", for the terminal simulator and for debugging.
OUTBOX: collections.deque = collections.deque(maxlen=500)
MEDIA_ID_PREFIX = "sandbox-media-"
# The files "uploaded to Meta": media id -> (mime type, filename, bytes); the newest few only,
# and no more than UPLOADS_BYTES in all (a demo sending 100 MB PDFs must not fill the memory).
UPLOADS: collections.OrderedDict = collections.OrderedDict()
UPLOADS_KEPT = 20
UPLOADS_BYTES = 64 * 1024 * 1024
# How far back the phone counts a reply as one it has on screen (read when the patient writes).
READ_WINDOW = dt.timedelta(days=1)
# Where the simulator's attachments wait to be "downloaded" (in the media storage), and the
# url scheme the sandbox's GET /{media-id} answers with.
SANDBOX_MEDIA = "sandbox"
SANDBOX_URL = "sandbox://media/"


class SandboxClient:
    """GraphClient's interface (send, upload_media, mark_read, close) and answers, without the network.

    Meta answers a send at once and reports its statuses afterwards, in webhooks: here they are
    posted when the caller closes the client (after it stored the wamid), and after the open
    transaction commits if there is one, so they never run inside the send's own work.
    """

    def __init__(self) -> None:
        self.reports: list[tuple[str, dict]] = []  # (phone_number_id, status item) to post on close

    def send(self, phone_number_id: str, body: dict) -> str:
        """Record the body and return a wamid, or raise GraphError where Meta would refuse it."""
        to = body.get("to") or body.get("recipient")
        if body.get("messaging_product") != "whatsapp" or not to:
            raise GraphError("(#100) Invalid parameter", code=100, http_status=400)
        wamid = f"{WAMID_PREFIX}{uuid.uuid4().hex}"
        OUTBOX.append({"phone_number_id": phone_number_id, "wamid": wamid, "body": body})
        log.info("sandbox: would send %s to %s", body.get("type"), to)
        item = status_item(wamid, "delivered", recipient=to, callback_data=body.get("biz_opaque_callback_data", ""))
        self.reports.append((phone_number_id, item))
        return wamid

    def upload_media(self, phone_number_id: str, *, data: bytes, mime_type: str, filename: str) -> str:
        """Keep the file and return a media id, as POST /<phone_number_id>/media would."""
        if not data or not mime_type:
            raise GraphError("(#100) Invalid parameter", code=100, http_status=400)
        media_id = f"{MEDIA_ID_PREFIX}{uuid.uuid4().hex}"
        UPLOADS[media_id] = (mime_type, filename, data)
        while len(UPLOADS) > 1 and (
            len(UPLOADS) > UPLOADS_KEPT or sum(len(kept[2]) for kept in UPLOADS.values()) > UPLOADS_BYTES
        ):
            UPLOADS.popitem(last=False)
        log.info("sandbox: would upload %s (%s, %d bytes)", filename, mime_type, len(data))
        return media_id

    def mark_read(self, phone_number_id: str, message_id: str) -> None:
        """Blue ticks on the patient's phone: recorded; Meta sends nothing back for them either."""
        if not message_id:
            raise GraphError("(#100) Invalid parameter", code=100, http_status=400)
        OUTBOX.append({"phone_number_id": phone_number_id, "wamid": None, "body": outgoing.mark_read(message_id)})

    def media_url(self, media_id: str) -> dict:
        """GET /{media-id} as Meta answers it, for a file the simulator stored (`put_media`);
        an unknown id gets Meta's 404."""
        storage = media_storage()
        meta_name = f"{SANDBOX_MEDIA}/{media_id}.json"
        if not _safe_id(media_id) or not storage.exists(meta_name):
            raise GraphError("(#100) Unknown media id", code=100, http_status=404)
        with storage.open(meta_name) as handle:
            meta = json.load(handle)
        return {**meta, "id": media_id, "url": f"{SANDBOX_URL}{media_id}"}

    def download(self, url: str, *, max_bytes: int) -> bytes:
        """The bytes behind a `media_url` url, read from the storage: no network."""
        media_id = url.removeprefix(SANDBOX_URL)
        storage = media_storage()
        name = f"{SANDBOX_MEDIA}/{media_id}.bin"
        if not url.startswith(SANDBOX_URL) or not _safe_id(media_id) or not storage.exists(name):
            raise GraphError("media url not found", http_status=404)
        if storage.size(name) > max_bytes:
            raise TooLarge(f"file is over the limit of {max_bytes} bytes", http_status=200)
        with storage.open(name) as handle:
            return handle.read()

    def close(self) -> None:
        reports, self.reports = self.reports, []
        by_number: dict[str, list[dict]] = {}
        for phone_number_id, item in reports:
            if phone_number_id:  # a clinic with no WhatsApp number gets no webhooks, as from Meta
                by_number.setdefault(phone_number_id, []).append(item)
        for phone_number_id, items in by_number.items():
            body = status_webhook(phone_number_id, items)
            transaction.on_commit(lambda body=body: post_to_webhook(body))


def put_media(*, content: bytes, mime_type: str) -> str:
    """Keep a file the simulator's patient attached where `media_url`/`download` find it (the
    media storage, under sandbox/), as Meta keeps a patient's upload: returns its media id."""
    media_id = f"sandbox-{uuid.uuid4().hex}"
    meta = {
        "mime_type": mime_type,
        "sha256": hashlib.sha256(content).hexdigest(),
        "file_size": len(content),
        "messaging_product": "whatsapp",
    }
    storage = media_storage()
    storage.save(f"{SANDBOX_MEDIA}/{media_id}.bin", ContentFile(content))
    storage.save(f"{SANDBOX_MEDIA}/{media_id}.json", ContentFile(json.dumps(meta).encode()))
    return media_id


def _safe_id(media_id: str) -> bool:
    return media_id.startswith("sandbox-") and media_id[8:].isalnum() and len(media_id) <= 60


def status_item(wamid: str, status: str, *, recipient: str, callback_data: str = "") -> dict:
    """One entry of a webhook's `statuses`, shaped as Meta sends it."""
    item = {
        "id": wamid,
        "status": status,
        "timestamp": str(int(timezone.now().timestamp())),
        "recipient_id": recipient,
    }
    if callback_data:
        item["biz_opaque_callback_data"] = callback_data
    return item


def status_webhook(phone_number_id: str, items: list[dict]) -> bytes:
    doctor = Doctor.objects.filter(phone_number_id=phone_number_id).first()
    value = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": doctor.display_phone_number if doctor else "",
            "phone_number_id": phone_number_id,
        },
        "statuses": items,
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "SANDBOX", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload).encode()


def post_to_webhook(body: bytes) -> int:
    """Deliver a body as Meta would: signed when an app secret is set, through the webhook's receive."""
    secret = settings.WHATSAPP_APP_SECRET
    status, _ = receive_body(body, signature.sign(body, secret) if secret else None)
    if status != 200:
        log.warning("sandbox status webhook answered %s", status)
    return status


def phone_read(*, doctor: Doctor, wa_id: str) -> bytes | None:
    """The patient is writing again, so their phone has shown what we sent: the "read" status
    webhook Meta would send for those replies, or None when there is nothing unread."""
    unread = Message.objects.filter(
        doctor=doctor,
        patient__wa_id=wa_id,
        direction=Message.Direction.OUT,
        status__in=[Message.Status.SENT, Message.Status.DELIVERED],
        sent_at__gte=timezone.now() - READ_WINDOW,
        wamid__startswith=WAMID_PREFIX,
    ).values_list("wamid", flat=True)
    items = [status_item(wamid, "read", recipient=wa_id) for wamid in unread]
    return status_webhook(doctor.phone_number_id, items) if items else None
