"""Live events for the doctor's page: plain dicts, pushed to the doctor's group after commit.

A failed push never fails the write; the page fetches what it missed on reconnect. Nor may a
push hold up the request that made it: a Redis that accepts connections and never answers used to
add ~25 s to every webhook. Each push gets PUSH_TIMEOUT; after one timed out, pushes are skipped
for PAUSE_AFTER_TIMEOUT (one slow push per pause, not one per event). Failures and skips are
logged and counted in `counts`.
"""

import asyncio
import collections
import contextlib
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
_gathered = threading.local()  # see pushes_gathered()


def doctor_group(doctor_id: int) -> str:
    return f"doctor-{doctor_id}"


def push_now(*, doctor_id: int, event: dict) -> None:
    if getattr(_gathered, "pushes", None) is not None:
        _gathered.pushes.append((doctor_id, event))
        return
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


@contextlib.contextmanager
def pushes_gathered():
    """Within this block (the webhook ingester's batch), pushes due after commit are gathered
    and sent at its end in one event loop, in order, instead of one `async_to_sync` each (~1–10 ms
    apiece from sync code: a new loop, and with Redis a new connection); and what `after_pushes`
    was given runs after them, so a message's bot reply is never enqueued before the page was
    told about the message. Only what committed is pushed: the events come from on_commit."""
    _gathered.pushes, _gathered.after = [], []
    try:
        yield
    finally:
        pushes, after = _gathered.pushes, _gathered.after
        _gathered.pushes = _gathered.after = None
        if pushes:
            push_many(pushes)
        for action in after:
            action()


def after_pushes(action) -> None:
    """Run `action` now, or at the end of pushes_gathered() when inside one (after its pushes)."""
    if getattr(_gathered, "after", None) is not None:
        _gathered.after.append(action)
    else:
        action()


def push_many(pushes: list[tuple[int, dict]]) -> None:
    """Send (doctor_id, event) pairs in order from one event loop; the pause rules of push_now."""
    with _lock:
        if time.monotonic() < _state["paused_until"]:
            counts["skipped"] += len(pushes)
            return
    try:
        sent = async_to_sync(_send_all)(pushes)
    except Exception:
        log.exception("live pushes failed (%d events)", len(pushes))
        sent = None
    with _lock:
        if sent is None:
            counts["failed"] += len(pushes)
        else:
            counts["pushed"] += sent
            counts["failed"] += len(pushes) - sent
            if sent < len(pushes):
                _state["paused_until"] = time.monotonic() + PAUSE_AFTER_TIMEOUT


async def _send_all(pushes: list[tuple[int, dict]]) -> int:
    """How many were sent before one timed out (the rest are dropped: the pages catch up)."""
    for sent, (doctor_id, event) in enumerate(pushes):
        try:
            await _send(doctor_group(doctor_id), {"type": "chat.event", "event": event})
        except TimeoutError:
            log.warning("live push timed out after %s s: %d pushes dropped, paused", PUSH_TIMEOUT, len(pushes) - sent)
            return sent
    return len(pushes)


def resume_pushes() -> None:
    """Forget a failure now (tests; the pause also ends by itself)."""
    with _lock:
        _state["paused_until"] = 0.0


def push_on_commit(*, doctor_id: int, event: dict) -> None:
    """Send `event` to the doctor's live pages once the current transaction commits."""
    transaction.on_commit(lambda: push_now(doctor_id=doctor_id, event=event))
