"""The fetch task's work (chat/media.py says why and what): GET /{media-id} through the client
seam, WhatsApp's limits checked before and during the download, the bytes and a photo's
thumbnail saved through the storage API, the row settled once."""

import datetime as dt
import hashlib
import io
import logging
import random
from contextlib import closing

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from chat.media import LIMITS, MAX_ATTEMPTS, MB, STILL_STICKER_BYTES, Limit, can_defer, enqueue_fetch, push_media
from chat.models import MediaFile, Message, media_path
from chat.whatsapp.graph import GraphError, TooLarge
from chat.whatsapp.transport import client_for

log = logging.getLogger(__name__)

THUMBNAIL_PX = 320
EXPIRED_URL = (401, 404)


class Refused(Exception):
    """The file breaks WhatsApp's limits (size, type): storing it would be wrong, retrying useless."""


def _width(name: str) -> int:
    return MediaFile._meta.get_field(name).max_length


def fetch_media_now(media_pk: int) -> str:
    """Fetch and store one pending file. Returns stored, failed, requeued or skipped."""
    media = MediaFile.objects.select_related("message__doctor").filter(pk=media_pk).first()
    if media is None or media.state != MediaFile.State.PENDING:
        return "skipped"  # stored already (a task that ran twice), or failed and not retried
    claimed = MediaFile.objects.filter(pk=media.pk, state=MediaFile.State.PENDING, attempts=media.attempts).update(
        attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"  # another worker took this attempt
    media.attempts += 1
    limit = limit_for(media.message)
    with closing(client_for(media.message.doctor)) as client:
        try:
            content, mime_type = _download(client, media=media, limit=limit)
        except Refused as refused:
            return _fail(media, str(refused))
        except GraphError as error:
            return _graph_failed(media, error, limit=limit)
    return _store(media, content=content, mime_type=mime_type)


def limit_for(message: Message) -> Limit:
    limit = LIMITS[message.type]
    sticker = message.payload.get("sticker") if isinstance(message.payload, dict) else None
    if isinstance(sticker, dict) and sticker.get("animated") is False:
        return Limit(limit.label, STILL_STICKER_BYTES, limit.mime_types)
    return limit


def _download(client, *, media: MediaFile, limit: Limit) -> tuple[bytes, str]:
    """The file's bytes and MIME type; an expired url is asked for again, once."""
    info = client.media_url(media.media_id)
    mime_type = _check(info, media=media, limit=limit)
    try:
        content = client.download(info["url"], max_bytes=limit.max_bytes)
    except TooLarge as error:
        raise Refused(_too_large(limit, None)) from error
    except GraphError as error:
        if error.http_status not in EXPIRED_URL:
            raise
        log.info("media %s: download url expired (%s), asking for a new one", media.pk, error.http_status)
        info = client.media_url(media.media_id)
        mime_type = _check(info, media=media, limit=limit)
        try:
            content = client.download(info["url"], max_bytes=limit.max_bytes)
        except TooLarge as too_large:
            raise Refused(_too_large(limit, None)) from too_large
    if len(content) > limit.max_bytes:
        raise Refused(_too_large(limit, len(content)))
    return content, mime_type


def _check(info: dict, *, media: MediaFile, limit: Limit) -> str:
    """Refuse what WhatsApp's limits refuse, before any byte is downloaded."""
    mime_type = str(info.get("mime_type") or media.mime_type or "")
    base = mime_type.split(";", 1)[0].strip().lower()
    if base not in limit.mime_types:
        raise Refused(
            f"Not a {limit.label} type WhatsApp allows ({base or 'no type given'}), so it was not downloaded."
        )
    size = info.get("file_size")
    size = int(size) if isinstance(size, int | str) and str(size).isdigit() else None
    if size is not None and size > limit.max_bytes:
        raise Refused(_too_large(limit, size))
    return mime_type[: _width("mime_type")]


def _too_large(limit: Limit, size: int | None) -> str:
    cap = f"WhatsApp's limit for a {limit.label} is {_human(limit.max_bytes)}"
    return f"Too large to download ({_human(size)}; {cap})." if size else f"Too large to download ({cap})."


def _human(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, round(size / 1024))} KB"


def _graph_failed(media: MediaFile, error: GraphError, *, limit: Limit) -> str:
    log.warning("media %s fetch failed: code=%s http=%s %s", media.pk, error.code, error.http_status, error.title)
    transient = error.retryable or error.ambiguous
    if transient and media.attempts < MAX_ATTEMPTS and can_defer():
        delay = dt.timedelta(seconds=min(3600, 30 * 2**media.attempts) * random.uniform(0.5, 1.0))
        enqueue_fetch(media.pk, delay=delay)
        return "requeued"
    if error.http_status == 404:
        reason = f"The {limit.label} is no longer on WhatsApp (files can be fetched for 7 days)."
    elif error.token_problem:
        reason = "WhatsApp refused the clinic's access token: check the WhatsApp settings, then Retry."
    elif transient:
        reason = f"WhatsApp did not answer after {media.attempts} tries ({error.title}). Retry later."
    else:
        reason = f"WhatsApp could not give the file: {error.title}"
    return _fail(media, reason)


def _fail(media: MediaFile, reason: str) -> str:
    with transaction.atomic():
        MediaFile.objects.filter(pk=media.pk, state=MediaFile.State.PENDING).update(
            state=MediaFile.State.FAILED, error=reason[: _width("error")]
        )
        push_media(media)
    return "failed"


def _store(media: MediaFile, *, content: bytes, mime_type: str) -> str:
    """Save the file (and a photo's thumbnail) through the storage API, then mark the row stored;
    files written for a row someone else settled meanwhile are deleted again."""
    storage = media.file.storage
    extension = _extension(mime_type, media.filename)
    name = storage.save(media_path(media, f"file.{extension}"), ContentFile(content))
    thumbnail = ""
    if media.message.type == Message.Type.IMAGE:
        small = make_thumbnail(content)
        if small is not None:
            thumbnail = storage.save(media_path(media, "thumb.jpg"), ContentFile(small))
    with transaction.atomic():
        stored = MediaFile.objects.filter(pk=media.pk, state=MediaFile.State.PENDING).update(
            state=MediaFile.State.STORED,
            file=name,
            thumbnail=thumbnail,
            mime_type=mime_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            error="",
            stored_at=timezone.now(),
        )
        if stored:
            push_media(media)
    if not stored:
        for written in filter(None, [name, thumbnail]):
            storage.delete(written)
        return "skipped"
    return "stored"


EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/amr": "amr",
    "video/mp4": "mp4",
    "video/3gpp": "3gp",
    "application/pdf": "pdf",
    "text/plain": "txt",
}


def _extension(mime_type: str, filename: str) -> str:
    base = mime_type.split(";", 1)[0].strip().lower()
    if base in EXTENSIONS:
        return EXTENSIONS[base]
    return filename.rsplit(".", 1)[-1] if "." in filename else "bin"


def make_thumbnail(content: bytes) -> bytes | None:
    """A JPEG at most THUMBNAIL_PX on its longer side, or None when Pillow cannot read the image
    (the file itself is still stored and served)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        log.info("no thumbnail: %s", error)
        return None
