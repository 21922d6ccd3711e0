"""Files the clinic sends a patient (issue 16): PDFs as documents, JPEG and PNG as images.

What a file is comes from its first bytes, never from the browser's content type or the name's
extension (both are the sender's claims: a renamed .exe is not a PDF). The limits are WhatsApp's:
a document up to 100 MB, an image up to 5 MB. The file is stored through the "media" storage
before the message is queued (chat.models.MediaFile, STORED, with its SHA-256), and uploaded to
Meta's media endpoint once, when the message is first sent: the media id is kept, so a retried
send (a requeue after a 5xx, the doctor's Retry) does not upload it again.
"""

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from chat.models import MediaFile, Message, media_name

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of file WhatsApp takes from a business, told by its magic bytes."""

    magic: bytes
    message_type: str  # Message.Type: document or image
    mime_type: str
    extensions: tuple[str, ...]  # the first is added to a name that has none of them
    limit: int  # bytes
    label: str


KINDS = (
    Kind(b"%PDF-", Message.Type.DOCUMENT, "application/pdf", ("pdf",), 100 * MB, "PDF"),
    Kind(b"\xff\xd8\xff", Message.Type.IMAGE, "image/jpeg", ("jpg", "jpeg"), 5 * MB, "JPEG image"),
    Kind(b"\x89PNG\r\n\x1a\n", Message.Type.IMAGE, "image/png", ("png",), 5 * MB, "PNG image"),
)
MAX_FILE = max(kind.limit for kind in KINDS)
SNIFF_BYTES = 16
FILENAME_MAX = 120
# Characters that mean something to a file system or a download header; the rest of the name stays.
UNSAFE = set('/\\<>:"|?*')
MEDIA_SENDS = (Message.Type.DOCUMENT, Message.Type.IMAGE)
# Uploaded media expire on Meta's side after 30 days: an older media id is not sent again.
UPLOAD_KEPT = dt.timedelta(days=29)


class FileRefused(ValueError):
    """A file WhatsApp would not take, with a reason the staff can act on; `code` says which
    rule: empty_file, wrong_file_type or file_too_big."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def kind_of(head: bytes) -> Kind | None:
    return next((kind for kind in KINDS if head.startswith(kind.magic)), None)


def check_file(*, head: bytes, size: int) -> Kind:
    """The kind of a file of `size` bytes starting with `head`, or FileRefused saying why not."""
    if size <= 0:
        raise FileRefused("The file is empty.", "empty_file")
    kind = kind_of(head)
    if kind is None:
        raise FileRefused(
            "Only PDF, JPEG and PNG files can be sent on WhatsApp; this file is none of them.", "wrong_file_type"
        )
    if size > kind.limit:
        too_big = f"This {kind.label} is {megabytes(size)}; WhatsApp takes at most {megabytes(kind.limit)}."
        raise FileRefused(too_big, "file_too_big")
    return kind


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size // MB} MB"


def clean_filename(name: str, kind: Kind) -> str:
    """The name the patient sees: no folders, no control or invisible characters, not too long,
    and an extension that says what the file really is ("scan" → "scan.pdf", "x.exe" → "x.exe.pdf")."""
    base = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(_safe(ch) for ch in base)
    base = " ".join(base.split()).strip(". ")
    stem, dot, extension = base.rpartition(".")
    if not (dot and stem and extension.lower() in kind.extensions):
        stem, extension = base or ("document" if kind.message_type == Message.Type.DOCUMENT else "photo"), ""
    extension = extension.lower() or kind.extensions[0]
    return f"{stem[: FILENAME_MAX - len(extension) - 1].rstrip('. ')}.{extension}"


def _safe(ch: str) -> str:
    category = unicodedata.category(ch)[0]
    if category == "C":  # control, format (bidi overrides), surrogate, private use, unassigned
        return ""
    if category == "Z":  # every kind of space, line or paragraph separator
        return " "
    return "_" if ch in UNSAFE else ch


@dataclass(frozen=True, slots=True)
class Stored:
    """A staff upload saved in the media storage, waiting for its row."""

    name: str
    kind: Kind
    filename: str
    size: int
    sha256: str
    thumbnail: str = ""


def save_upload(*, doctor_id: int, upload, kind: Kind, filename: str, make_thumbnail=None) -> Stored:
    """Save an uploaded file (a Django UploadedFile) through the media storage, before the
    transaction that queues its message: with an S3-like backend the save is an HTTP call, which
    must not run while the patient's row (on SQLite, the database) is locked. If that transaction
    fails, `discard` removes the file. A photo also gets its thumbnail from `make_thumbnail(bytes)`
    (chat.media_fetch's, as for a patient's photo), so the thread does not load 5 MB to show it."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = _storage().save(media_name(doctor_id=doctor_id, filename=filename), upload)
    thumbnail = ""
    if make_thumbnail is not None and kind.message_type == Message.Type.IMAGE:
        upload.seek(0)
        small = make_thumbnail(upload.read())
        if small:
            thumbnail = _storage().save(media_name(doctor_id=doctor_id, filename="thumb.jpg"), ContentFile(small))
    digest = digest.hexdigest()
    return Stored(name=name, kind=kind, filename=filename, size=upload.size, sha256=digest, thumbnail=thumbnail)


def attach_file(*, message: Message, stored: Stored) -> MediaFile:
    """The STORED MediaFile row of a saved upload, in the transaction that queues its message."""
    return MediaFile.objects.create(
        message=message,
        state=MediaFile.State.STORED,
        mime_type=stored.kind.mime_type,
        filename=stored.filename,
        size=stored.size,
        sha256=stored.sha256,
        file=stored.name,
        thumbnail=stored.thumbnail,
        stored_at=timezone.now(),
    )


def discard(stored: Stored) -> None:
    """Remove a saved upload whose message was never queued (refused, or a repeated request)."""
    for name in filter(None, [stored.name, stored.thumbnail]):
        _storage().delete(name)


def _storage():
    """The storage MediaFile.file reads from (the "media" storage, chat.models.media_storage)."""
    return MediaFile._meta.get_field("file").storage


def uploaded_media_id(*, client, message: Message) -> str:
    """Meta's id for the message's file: the one kept from an earlier attempt (while Meta still has
    it), else a new upload.
    Runs in the send task with no transaction open (the upload is an HTTP call)."""
    media = MediaFile.objects.get(message=message)
    # Meta keeps an uploaded file 30 days; its first upload came moments after it was stored.
    if media.media_id and media.stored_at and media.stored_at > timezone.now() - UPLOAD_KEPT:
        return media.media_id
    MediaFile.objects.filter(pk=media.pk).update(attempts=F("attempts") + 1)
    with media.file.open("rb") as stored:
        data = stored.read()
    media_id = client.upload_media(
        message.doctor.phone_number_id, data=data, mime_type=media.mime_type, filename=media.filename
    )
    MediaFile.objects.filter(pk=media.pk).update(media_id=media_id)
    return media_id


def with_media_id(body: dict, media_id: str) -> dict:
    """The queued body of a document or image message with the uploaded file's id filled in."""
    kind = body["type"]
    return {**body, kind: {**body.get(kind, {}), "id": media_id}}
