"""The live-chat websocket: a logged-in user receives the events of the doctors they work for.

Clients only receive here; they write over HTTP. Events are plain dicts pushed by clinicbot/events.py
after the transaction commits.

Who may listen is decided again after connect, before an event is sent: a socket whose session
has ended, whose user was deactivated or who is no longer a member of a clinic it joined is
closed before it hears the event. That read (three queries through a thread) is made at most
once a second per socket, and at once after a membership removal, a deactivation
(privacy/auth_events.py) or a logout: read for every event it held one page to ~140 events/s,
behind the webhook at 80 messages/s (bench/push_latency.py --rate 80). The page's origin must be
this very site, host and port.
"""

import asyncio
import logging
import time
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from clinicbot.events import doctor_group
from clinicbot.security import session_tag, user_group
from patients.access import doctors_for

DEFAULT_PORTS = {"http": 80, "https": 443}
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TRY_AGAIN_LATER = 1013  # RFC 6455: the page's reconnect (with backoff) tries again
# Joining the groups is one Redis round trip each; a Redis that is down or never answers must
# refuse the socket in about this long, not hang the handshake or answer it with a 500.
JOIN_TIMEOUT = 3.0
# How old the socket's last reading of who may listen can be when it sends an event (see above).
RECHECK_SECONDS = 1.0

log = logging.getLogger(__name__)


@database_sync_to_async
def doctor_ids_for(user) -> list[int]:
    return list(doctors_for(user).values_list("id", flat=True))


@database_sync_to_async
def may_still_listen(*, user_id: int, session_key: str | None, doctor_ids: set[int]) -> bool:
    """The session is live, the user active, and still a member of every clinic the socket joined."""
    if not Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists():
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return doctor_ids <= set(doctors_for(user).filter(pk__in=doctor_ids).values_list("id", flat=True))


def same_origin(headers: dict[bytes, bytes]) -> bool:
    """The Origin header names this site exactly: scheme's port included, or a CSRF-trusted origin.

    Channels' AllowedHostsOriginValidator compares host names only, so a page on another port of
    the same host (http://localhost:1) passed it.
    """
    origin = headers.get(b"origin", b"").decode("latin-1").strip().lower()
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    if not origin or not host:
        return False
    if origin in {o.lower().rstrip("/") for o in settings.CSRF_TRUSTED_ORIGINS}:
        return True
    try:
        parts, served = urlsplit(origin), urlsplit(f"//{host}")
        origin_port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        host_port = served.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return False
    return parts.scheme in DEFAULT_PORTS and (parts.hostname, origin_port) == (served.hostname, host_port)


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        """Channels reads this socket's own channel from the layer beside the handlers; with Redis
        down that read raises out of the consumer and the server answers the handshake with a 500.
        Instead the socket is closed with 1013, like a refused join below, and the page retries."""
        try:
            await super().__call__(scope, receive, send)
        except Exception as problem:
            log.warning("live socket closed: the channel layer failed (%s: %s)", type(problem).__name__, problem)
            try:
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})
            except Exception:  # already closed by the server or the client: nothing left to tell
                pass

    async def connect(self):
        user = self.scope.get("user")
        if not same_origin(dict(self.scope.get("headers", []))):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id = user.pk
        self.session_key = self.scope["session"].session_key
        self.doctor_ids = set(await doctor_ids_for(user))
        self.recheck_at = time.monotonic() + RECHECK_SECONDS  # just read, with the session
        self.groups_joined = [doctor_group(doctor_id) for doctor_id in sorted(self.doctor_ids)]
        self.groups_joined.append(user_group(user.pk))
        try:
            async with asyncio.timeout(JOIN_TIMEOUT):
                for group in self.groups_joined:
                    await self.channel_layer.group_add(group, self.channel_name)
        except Exception as problem:  # whatever the layer raises (redis-py's errors are its own classes)
            log.warning(
                "live socket refused: the channel layer is unavailable (%s: %s)", type(problem).__name__, problem
            )
            self.groups_joined = []  # nothing to discard: a layer that cannot add cannot discard either
            await self.close(code=CLOSE_TRY_AGAIN_LATER)
            return
        await self.accept()
        await self.send_json({"type": "hello", "doctors": len(self.groups_joined) - 1})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = []

    @classmethod
    async def decode_json(cls, text_data):
        # A malformed frame from a client is ignored, not a reason to drop its live connection.
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        # The only thing a client sends is a heartbeat; answering keeps idle proxies from closing.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def chat_event(self, message):
        # Removed from one of its clinics: closed, and the page's reconnect joins the ones left.
        if time.monotonic() >= self.recheck_at:
            if not await may_still_listen(
                user_id=self.user_id, session_key=self.session_key, doctor_ids=self.doctor_ids
            ):
                await self._close_for_good()
                return
            self.recheck_at = time.monotonic() + RECHECK_SECONDS
        await self.send_json(message["event"])

    async def access_changed(self, message):
        """A membership was removed or the user deactivated: read it again before the next event."""
        self.recheck_at = 0.0

    async def session_ended(self, message):
        """The user logged out (on this server or another): that session's sockets close."""
        if message.get("session") == session_tag(self.session_key):
            await self._close_for_good()

    async def _close_for_good(self):
        await self.disconnect(CLOSE_UNAUTHENTICATED)
        await self.close(code=CLOSE_UNAUTHENTICATED)
