"""Patients' photos, reports, voice notes, videos and stickers: fetched from the Graph API into
the media storage, once, with what went wrong said in words the doctor reads. This module holds
WhatsApp's limits, the row the webhook inserts and the clinic's Retry; the download itself is
chat/media_fetch.py (it needs the client seam, which the webhook's path must not import).

The webhook only inserts a PENDING MediaFile with the message (one row, same transaction) and
enqueues `fetch_media`; the task asks GET /{media-id} for the short-lived URL through the same
client seam as sending (`client_for`: Graph API or sandbox), checks size and MIME type against
WhatsApp's limits, downloads with the doctor's token, and stores the bytes with their SHA-256
(and a thumbnail for photos). An expired URL (401/404 from the download) is asked for again once;
transient failures are retried with backoff like sends (chat/outbound.py); anything else, or the
last attempt, leaves the message FAILED with a reason and a Retry for the clinic.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chat.events import message_media
from chat.models import MediaFile, Message
from chat.whatsapp.body import clean_text
from clinicbot.events import after_pushes, push_on_commit

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """What WhatsApp accepts for one kind of media (the Cloud API's published limits)."""

    label: str  # how the doctor reads the kind: "photo", "document", …
    max_bytes: int
    mime_types: frozenset[str]


LIMITS = {
    "image": Limit("photo", 5 * MB, frozenset({"image/jpeg", "image/png"})),
    "audio": Limit(
        "voice note",
        16 * MB,
        frozenset({"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg", "audio/opus"}),
    ),
    "video": Limit("video", 16 * MB, frozenset({"video/mp4", "video/3gpp"})),
    "document": Limit(
        "document",
        100 * MB,
        frozenset(
            {
                "application/pdf",
                "text/plain",
                "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.ms-powerpoint",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            }
        ),
    ),
    # 100 KB for a still sticker, 500 KB for an animated one; the webhook says which.
    "sticker": Limit("sticker", 500 * 1024, frozenset({"image/webp"})),
}
STILL_STICKER_BYTES = 100 * 1024
FETCHED_TYPES = frozenset(LIMITS)
UNSAFE_NAME = re.compile(r"[^\w .()+-]+")
# Re-enqueued this many times after a transient failure (each attempt already retries in-process).
MAX_ATTEMPTS = 5


# --- On the webhook's path: one insert --------------------------------------------------------


def create_pending(*, message: Message, media: dict | None) -> MediaFile | None:
    """The MediaFile of an incoming media message, in the webhook's transaction (then
    `fetch_after_commit`). None for a type that has no file (location, contacts, …)."""
    if message.type not in FETCHED_TYPES:
        return None
    media = media or {}
    media_id = clean_text(media.get("id") or "", _width("media_id"))
    row = MediaFile.objects.create(
        message=message,
        media_id=media_id,
        mime_type=clean_text(media.get("mime_type") or "", _width("mime_type")),
        filename=clean_text(media.get("filename") or "", _width("filename")),
        state=MediaFile.State.PENDING if media_id else MediaFile.State.FAILED,
        error="" if media_id else "WhatsApp sent no media id for this file.",
    )
    return row


def fetch_after_commit(media: MediaFile | None) -> None:
    """Enqueue the download once the webhook's transaction commits. The caller registers it after
    its message.created push: with the immediate backend the fetch runs inside this commit, and its
    message.media event must reach the page after the message it updates."""
    if media is not None and media.state == MediaFile.State.PENDING:
        transaction.on_commit(lambda: after_pushes(lambda: enqueue_fetch(media.pk)))


def _width(name: str) -> int:
    return MediaFile._meta.get_field(name).max_length


def enqueue_fetch(media_pk: int, *, delay: dt.timedelta | None = None) -> None:
    from chat.tasks import fetch_media

    task = fetch_media
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(media_pk)


def can_defer() -> bool:
    from chat.tasks import fetch_media

    return fetch_media.get_backend().supports_defer


def push_media(media: MediaFile) -> None:
    fresh = MediaFile.objects.select_related("message").get(pk=media.pk)
    push_on_commit(doctor_id=fresh.message.doctor_id, event=message_media(fresh.message, fresh))


# --- The clinic's Retry -----------------------------------------------------------------------


def retry_media(*, media: MediaFile) -> bool:
    """Put a failed download back in the queue (the doctor pressed Retry). Returns whether it was
    failed (and so is queued now)."""
    with transaction.atomic():
        updated = (
            MediaFile.objects.filter(pk=media.pk, state=MediaFile.State.FAILED, message__direction=Message.Direction.IN)
            .exclude(media_id="")
            .update(state=MediaFile.State.PENDING, error="", attempts=0)
        )
        if updated:
            push_media(media)
            transaction.on_commit(lambda: after_pushes(lambda: enqueue_fetch(media.pk)))
    return bool(updated)


def safe_filename(media: MediaFile, *, thumbnail: bool) -> str:
    """The patient's name for the file without path parts, quotes or control characters; a plain
    one made up from the message when nothing is left."""
    name = UNSAFE_NAME.sub("_", (media.filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" ._")[:100]
    extension = media.file.name.rsplit(".", 1)[-1] if "." in media.file.name else "bin"
    if thumbnail:
        return f"{media.message.type}-{media.pk}-small.jpg"
    if not name:
        return f"{media.message.type}-{media.pk}.{extension}"
    return name if "." in name else f"{name}.{extension}"
