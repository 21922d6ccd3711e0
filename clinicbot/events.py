"""Live events for the doctor's page: plain dicts, pushed to the doctor's group after commit.

A failed push never fails the write; the page fetches what it missed on reconnect.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def doctor_group(doctor_id: int) -> str:
    return f"doctor-{doctor_id}"


def push_now(*, doctor_id: int, event: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(
            doctor_group(doctor_id), {"type": "chat.event", "doctor": doctor_id, "event": event}
        )
    except Exception:
        log.exception("live push failed for doctor %s (%s)", doctor_id, event.get("type"))


def push_on_commit(*, doctor_id: int, event: dict) -> None:
    """Send `event` to the doctor's live pages once the current transaction commits."""
    transaction.on_commit(lambda: push_now(doctor_id=doctor_id, event=event))
