"""Live events for the doctor's page: plain dicts, pushed to the doctor's group after commit.

A failed push never fails the write; the page fetches what it missed on reconnect. Nor may a
push hold up the request that made it: a Redis that accepts connections and never answers used to
add ~25 s to every webhook. Each push gets PUSH_TIMEOUT; after one timed out, pushes are skipped
for PAUSE_AFTER_TIMEOUT (one slow push per pause, not one per event). Failures and skips are
logged and counted in `counts`.
"""

import asyncio
import collections
import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

# Redis answers a group_send in about a millisecond on a LAN; a webhook must answer in under 1 s.
PUSH_TIMEOUT = 0.25
PAUSE_AFTER_TIMEOUT = 10.0
counts: collections.Counter = collections.Counter()  # pushed, failed, skipped: for logs and tests
_state = {"paused_until": 0.0}
_lock = threading.Lock()


def doctor_group(doctor_id: int) -> str:
    return f"doctor-{doctor_id}"


def push_now(*, doctor_id: int, event: dict) -> None:
    with _lock:
        if time.monotonic() < _state["paused_until"]:
            counts["skipped"] += 1
            return
    try:
        async_to_sync(_send)(doctor_group(doctor_id), {"type": "chat.event", "event": event})
    except TimeoutError:
        with _lock:
            counts["failed"] += 1
            _state["paused_until"] = time.monotonic() + PAUSE_AFTER_TIMEOUT
        log.warning(
            "live push timed out after %s s for doctor %s (%s): pushes paused for %s s %s",
            PUSH_TIMEOUT,
            doctor_id,
            event.get("type"),
            PAUSE_AFTER_TIMEOUT,
            dict(counts),
        )
        return
    except Exception:  # fails fast (refused, full): no need to pause
        with _lock:
            counts["failed"] += 1
        log.exception("live push failed for doctor %s (%s)", doctor_id, event.get("type"))
        return
    with _lock:
        counts["pushed"] += 1


async def _send(group: str, message: dict) -> None:
    await asyncio.wait_for(get_channel_layer().group_send(group, message), PUSH_TIMEOUT)


def resume_pushes() -> None:
    """Forget a failure now (tests; the pause also ends by itself)."""
    with _lock:
        _state["paused_until"] = 0.0


def push_on_commit(*, doctor_id: int, event: dict) -> None:
    """Send `event` to the doctor's live pages once the current transaction commits."""
    transaction.on_commit(lambda: push_now(doctor_id=doctor_id, event=event))
