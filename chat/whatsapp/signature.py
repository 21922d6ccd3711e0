"""The X-Hub-Signature-256 header Meta puts on every webhook POST.

It is `sha256=<hex HMAC-SHA256 of the raw body keyed with the app secret>`. Always hash the bytes
as received: re-serialised JSON differs (key order, escaping of non-ASCII) and never matches.
"""

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """The header value Meta would send for `body`; used by tests and the patient simulator."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, secret: str) -> bool:
    """True only when `header` is a well-formed signature of `body` with `secret`.

    A missing, empty or garbled header is False, never an exception: the view answers 403.
    The compare is constant-time so the response time says nothing about the right value.
    """
    if not secret or not isinstance(header, str) or not header.startswith(PREFIX):
        return False
    given = header[len(PREFIX) :].strip().lower()
    expected = sign(body, secret)[len(PREFIX) :]
    return hmac.compare_digest(given.encode("ascii", "replace"), expected.encode("ascii"))
