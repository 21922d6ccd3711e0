"""Login throttling, the client's address, and closing a logged-out session's live sockets.

django-axes counts failures and refuses locked-out logins; this module sets the two things it
leaves to the project: how a username's and an address's failures compare with their limits, and
the "too many attempts, try again in N minutes" page.
"""

import hashlib
import ipaddress
import logging
import math
import time

from asgiref.sync import async_to_sync
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket's peer, or the one the trusted proxies say they saw.

    With TRUSTED_PROXY_COUNT = N, the Nth address from the right of X-Forwarded-For is the one our
    own first proxy received the connection from; anything left of it the client may have forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count and _is_ip(hops[-count]):
            return hops[-count]
    peer = request.META.get("REMOTE_ADDR") or ""
    return peer if _is_ip(peer) else None


def _is_ip(value: str) -> bool:
    """Only an address goes to the database (PostgreSQL's inet column refuses anything else)."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with separate limits for a username and for an address.

    Axes compares one number with one limit; the address's failures are scaled to the username
    limit so that LOGIN_IP_FAILURE_LIMIT failures from one address count as a full lock.
    """

    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        by_username, by_ip = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return by_username, by_ip

    def get_failures(self, request, credentials=None) -> int:
        by_username, by_ip = self.failure_counts(request, credentials)
        return max(by_username, by_ip * settings.LOGIN_FAILURE_LIMIT // settings.LOGIN_IP_FAILURE_LIMIT)

    def unlocks_at(self, request, credentials=None):
        """When the lock lifts: the last counted failure plus the cool-off (axes forgets the row then)."""
        latest = [
            attempts.aggregate(at=Max("attempt_time"))["at"]
            for attempts in self.get_user_attempts(request, credentials)
        ]
        latest = [at for at in latest if at is not None]
        return (max(latest) if latest else timezone.now()) + settings.AXES_COOLOFF_TIME


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a locked-out login gets (staff login and admin alike), 429 with Retry-After."""
    handler = AxesProxyHandler.get_implementation()
    seconds = max(0, (handler.unlocks_at(request, credentials) - timezone.now()).total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    log.warning(
        "login locked out for %s minutes (username %r, address %s, %s)",
        minutes,
        get_client_username(request, credentials),
        client_ip(request),
        request.path,
    )
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(math.ceil(seconds) or 60)
    return response


# --- Headers on every answer ---------------------------------------------------------------------

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"


def content_security_policy(request: HttpRequest) -> str:
    """Only this site's own files run: no inline script or style, nothing from elsewhere.

    The live page's socket is named with its scheme, since older browsers do not count ws: as
    'self'. The favicon is a data: URL.
    """
    try:
        host = request.get_host()
        socket = f"'self' ws://{host} wss://{host}"
    except DisallowedHost:
        socket = "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src {socket}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """CSP and Permissions-Policy on every answer; `Cache-Control: no-store` on every answer to a
    logged-in user and every API answer (they carry patients' data, which no browser or proxy
    cache should keep). Static files are answered by WhiteNoise before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The browser's name is stored with login attempts and the access log; PostgreSQL text
        # cannot hold NUL, so a forged header would turn a login into a 500.
        agent = request.META.get("HTTP_USER_AGENT", "")
        if "\x00" in agent:
            request.META["HTTP_USER_AGENT"] = agent.replace("\x00", "")
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request))
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        private = (user is not None and user.is_authenticated) or request.path.startswith("/api/")
        if private and response.get("Cache-Control") != "private, no-store":  # chat's media view says both
            response["Cache-Control"] = "no-store"
        return response


# --- Sessions end after a working day without activity ---------------------------------------------

SEEN_KEY = "_last_seen"


def mark_session_seen(session) -> None:
    session[SEEN_KEY] = int(time.time())


class SessionActivityMiddleware:
    """Moves a logged-in session's expiry forward while it is used.

    Django does that only with SESSION_SAVE_EVERY_REQUEST, a write on every request; here the
    session is written when the last recorded activity is older than SESSION_REFRESH_SECONDS, so an
    idle session expires SESSION_COOKIE_AGE after its last use (give or take those seconds).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            seen = request.session.get(SEEN_KEY)
            if not isinstance(seen, int) or time.time() - seen >= settings.SESSION_REFRESH_SECONDS:
                mark_session_seen(request.session)  # modified: SessionMiddleware saves it, new expiry
        return response


# --- Logging out closes that session's live sockets ------------------------------------------------


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


def session_tag(session_key: str | None) -> str:
    """A session's name on the channel layer: a hash, so the key itself never passes through Redis."""
    return hashlib.sha256((session_key or "").encode()).hexdigest()[:32]


def close_session_sockets(*, user_id: int, session_key: str | None) -> None:
    """Tell every open socket of this session (on any server) to close. A failed push is logged:
    the socket then lives until its next event, when the consumer finds the user logged out."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            user_group(user_id), {"type": "session.ended", "session": session_tag(session_key)}
        )
    except Exception:
        log.exception("could not close the live sockets of user %s", user_id)


def recheck_user_sockets(user_id: int) -> None:
    """Tell every open socket of this user to read its access again before its next event (a
    clinic membership was removed, or the user deactivated): between such changes a socket reads
    it at most once a second (chat/consumers.py RECHECK_SECONDS). A failed push is logged: the
    socket then finds out within that second."""
    try:
        async_to_sync(get_channel_layer().group_send)(user_group(user_id), {"type": "access.changed"})
    except Exception:
        log.exception("could not tell the live sockets of user %s to recheck", user_id)
