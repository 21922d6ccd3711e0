"""A patient's files in their export, and out of storage at their erasure (privacy.services).

Export: each stored file (and only the file: a thumbnail is a copy) under a name that says which
message it belongs to, for the writers (admin's ZIP, `manage.py export_patient`) to copy beside
the JSON and HTML. Erasure: the rows keep their message and type (the conversation's shape) but
lose the name, the digest, Meta's id and the paths; the files, thumbnails and the sandbox's copy
of a simulator upload are deleted from the storage once the erasure has committed (a rolled-back
erasure must not lose files its rows still name).
"""

import logging

from django.db import transaction

from chat.media import safe_filename
from chat.models import MediaFile, media_storage
from chat.sandbox import SANDBOX_MEDIA

log = logging.getLogger(__name__)

ERASED = "Erased at the patient's request."


def export_name(media: MediaFile, *, folder: str) -> str:
    """Where the file goes in an export: <folder>/<message id>-<its safe name>."""
    return f"{folder}/{media.message_id}-{safe_filename(media, thumbnail=False)}"


def stored_files(*, message_ids: list[int]) -> list[MediaFile]:
    """The files of these messages that are in the storage, oldest message first."""
    rows = MediaFile.objects.select_related("message").filter(message_id__in=message_ids, state=MediaFile.State.STORED)
    return [row for row in rows.order_by("message_id") if row.file]


@transaction.atomic
def erase_media(*, message_ids: list[int]) -> int:
    """Blank the rows of these messages' files and delete the files after commit. Returns how
    many rows were erased."""
    rows = list(MediaFile.objects.filter(message_id__in=message_ids))
    names = [name for row in rows for name in (row.file.name, row.thumbnail.name) if name]
    names += [
        f"{SANDBOX_MEDIA}/{row.media_id}.{suffix}"
        for row in rows
        if row.media_id.startswith("sandbox-")
        for suffix in ("bin", "json")
    ]
    MediaFile.objects.filter(pk__in=[row.pk for row in rows]).update(
        file="", thumbnail="", filename="", sha256="", media_id="", state=MediaFile.State.FAILED, error=ERASED
    )
    transaction.on_commit(lambda: delete_files(names))
    return len(rows)


def delete_files(names: list[str]) -> int:
    """Delete from the media storage; a file already gone is fine, a failure is logged, never raised."""
    storage, deleted = media_storage(), 0
    for name in names:
        try:
            storage.delete(name)
            deleted += 1
        except Exception:
            log.exception("could not delete erased media file %s", name)
    return deleted
