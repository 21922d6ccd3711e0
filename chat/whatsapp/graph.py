"""The one outbound seam to Meta's Graph API: every WhatsApp message leaves through `GraphClient`.

Every call has a timeout, transient failures are retried a bounded number of times with
exponential backoff and full jitter, and every failure is a `GraphError` that says whether a
later retry can help (`retryable`) and whether the access token is the problem (`token_problem`),
so the pipeline can decide between re-enqueueing, marking the message failed, and alerting staff.

A send that went out but got no answer (a read timeout, a connection dropped mid-response, a 2xx
without a message id) is `ambiguous`: Meta may have taken it, and its send has no idempotency
key, so it is never retried here — the caller waits for a status webhook echoing the message's
`biz_opaque_callback_data` before deciding to send again. Only failures before the request
left (no connection) are retried in-process.
Media come in through the same client: `media_url` (GET /{media-id}) and `download` (the
short-lived URL, capped at the caller's size limit); both are plain GETs, retried the same way.
No Django here: the caller passes the settings in.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import requests
from urllib3.exceptions import NewConnectionError

from chat.whatsapp import outgoing

# Meta error codes worth another try: rate limits, pair rate, "unknown error", service down.
RETRYABLE_CODES = frozenset(
    {
        1,  # API unknown
        2,  # API service (temporary downtime)
        4,  # application request limit reached
        80007,  # WABA rate limit
        130429,  # throughput limit
        131000,  # something went wrong
        131016,  # service unavailable
        131056,  # pair rate limit: too many messages to one user
        133004,  # server temporarily unavailable
    }
)
# Codes a retry cannot fix: the request, the recipient or the 24-hour window is wrong.
# 131048/131049 (spam / marketing limits) are here on purpose: tight retries make them worse.
PERMANENT_CODES = frozenset(
    {
        100,  # invalid parameter
        131008,  # required parameter missing
        131009,  # parameter value invalid
        131021,  # recipient is the sender
        131026,  # undeliverable
        131047,  # outside the 24-hour window
        131048,  # spam rate limit
        131049,  # marketing per-user limit
        131051,  # unsupported message type
        131052,  # media download error
        131053,  # media upload error
        132000,  # template parameter count mismatch
        132001,  # template does not exist
        132005,  # template hydrated text too long
        132007,  # template format policy violated
        132012,  # template parameter format mismatch
        132015,  # template paused
        132016,  # template disabled
        132018,  # template parameter format
        133010,  # phone number not registered
    }
)
# 190: token expired or invalid. 0, 10 and 200-299: authentication or permission problems.
TOKEN_CODES = frozenset({0, 10, 190})


class GraphError(Exception):
    """A failed Graph API call, with what Meta said and what the caller can do about it."""

    def __init__(
        self,
        title: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        details: str = "",
        http_status: int | None = None,
        retryable: bool = False,
        token_problem: bool = False,
        fbtrace_id: str = "",
        ambiguous: bool = False,
    ) -> None:
        super().__init__(f"{code if code is not None else 'HTTP ' + str(http_status)}: {title}")
        self.title = title
        self.code = code
        self.subcode = subcode
        self.details = details
        self.http_status = http_status
        self.retryable = retryable
        self.token_problem = token_problem
        self.fbtrace_id = fbtrace_id
        self.ambiguous = ambiguous  # the request went out and no answer came: Meta may have it


def classify(http_status: int | None, code: int | None) -> tuple[bool, bool]:
    """(retryable, token_problem) for an HTTP status (None: no response) and a Meta error code."""
    if http_status == 401 or code in TOKEN_CODES or (code is not None and 200 <= code <= 299):
        return False, True
    if code in RETRYABLE_CODES:
        return True, False
    if code in PERMANENT_CODES:
        return False, False
    # No response at all (timeout, connection error), throttled, or Meta's side failing.
    if http_status is None or http_status == 429 or http_status >= 500:
        return True, False
    return False, False


class GraphClient:
    """Sends messages for any of the clinic's numbers with one access token.

    Holds a `requests.Session` (connection reuse); use one client per thread.
    """

    def __init__(
        self,
        base_url: str,
        version: str,
        token: str,
        *,
        timeout: float = 10.0,
        attempts: int = 3,
        base_delay: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.root = f"{base_url.rstrip('/')}/{version.strip('/')}"
        self.timeout = timeout
        self.attempts = attempts
        self.base_delay = base_delay
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def send(self, phone_number_id: str, body: dict) -> str:
        """POST a message body (see outgoing.py) and return the wamid Meta gave it."""
        data = self._post(f"{phone_number_id}/messages", body)
        messages = data.get("messages")
        wamid = (
            messages[0].get("id") if isinstance(messages, list) and messages and isinstance(messages[0], dict) else None
        )
        if not isinstance(wamid, str) or not wamid:
            # Meta answered 2xx, so it may well have taken the message: retrying could send it twice.
            raise GraphError("success response without a message id", http_status=200, ambiguous=True)
        return wamid

    def mark_read(self, phone_number_id: str, message_id: str) -> None:
        """Mark an inbound message read (blue ticks); Meta answers {"success": true}."""
        data = self._post(f"{phone_number_id}/messages", outgoing.mark_read(message_id))
        if data.get("success") is not True:
            raise GraphError("mark read was not acknowledged", http_status=200)

    def upload_media(self, phone_number_id: str, *, data: bytes, mime_type: str, filename: str) -> str:
        """POST a file to /<phone_number_id>/media (multipart) and return the media id Meta gave it.

        Unlike a send, an upload may be repeated when no answer came: the patient sees nothing of
        it, and at worst Meta keeps an unused copy (uploaded media expire after 30 days). So an
        unanswered upload is retried here and is `retryable`, never `ambiguous`, for the caller.
        """
        fields = {"messaging_product": "whatsapp", "type": mime_type}
        files = {"file": (filename, data, mime_type)}
        try:
            answer = self._post(f"{phone_number_id}/media", fields, files=files, repeatable=True)
        except GraphError as error:
            if not error.ambiguous:
                raise
            raise GraphError(error.title, http_status=error.http_status, retryable=True) from error
        media_id = answer.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise GraphError("upload answered without a media id", http_status=200, retryable=True)
        return media_id

    def media_url(self, media_id: str) -> dict:
        """GET /{media-id}: {url, mime_type, sha256, file_size, id}. The url lasts about 5 minutes;
        the id itself 7 days from the webhook. A GET changes nothing, so it is retried like a
        connection failure even when the answer was lost."""
        data = self._with_retries(lambda: self._get_once(f"{self.root}/{media_id}", as_json=True))
        if not isinstance(data.get("url"), str) or not data["url"]:
            raise GraphError("media answer without a url", http_status=200)
        return data

    def download(self, url: str, *, max_bytes: int) -> bytes:
        """GET the short-lived media url with the same token. More than `max_bytes` raises
        TooLarge as soon as it is seen (never read a 1 GB body to refuse it)."""
        return self._with_retries(lambda: self._get_once(url, as_json=False, max_bytes=max_bytes))

    def close(self) -> None:
        self.session.close()

    def _with_retries(self, call: Callable[[], object]):
        for attempt in range(self.attempts):
            try:
                return call()
            except GraphError as error:
                if not (error.retryable or error.ambiguous) or attempt == self.attempts - 1:
                    raise
            self.sleep(random.uniform(0, self.base_delay * 2**attempt))
        raise AssertionError("unreachable: the loop returns or raises")

    def _get_once(self, url: str, *, as_json: bool, max_bytes: int | None = None):
        try:
            with self.session.get(url, timeout=self.timeout, stream=not as_json) as response:
                if not 200 <= response.status_code < 300:
                    raise _error_from(response.status_code, _json_or_none(response), response.text)
                if as_json:
                    data = _json_or_none(response)
                    if not isinstance(data, dict):
                        raise GraphError("success response that is not a JSON object", http_status=response.status_code)
                    return data
                return _read_capped(response, max_bytes)
        except requests.RequestException as exc:
            raise GraphError(f"download failed: {type(exc).__name__}", retryable=True) from exc

    def _post(self, path: str, body: dict, *, files: dict | None = None, repeatable: bool = False) -> dict:
        """POST with bounded retries; returns the decoded 2xx body or raises the last GraphError.
        `repeatable`: the request may be repeated even when it went out unanswered (an upload)."""
        for attempt in range(self.attempts):
            try:
                return self._post_once(path, body, files=files)
            except GraphError as error:
                again = error.retryable or (repeatable and error.ambiguous)
                if not again or attempt == self.attempts - 1:
                    raise
            # Full jitter: a random wait in [0, base * 2**attempt) spreads out clients that
            # failed together, so they do not all hit Meta's rate limit again at once.
            self.sleep(random.uniform(0, self.base_delay * 2**attempt))
        raise AssertionError("unreachable: the loop returns or raises")

    def _post_once(self, path: str, body: dict, *, files: dict | None = None) -> dict:
        # With files the body goes as multipart form fields (the media upload), else as JSON.
        content = {"data": body, "files": files} if files else {"json": body}
        try:
            response = self.session.post(f"{self.root}/{path}", timeout=self.timeout, **content)
        except requests.RequestException as exc:
            if _before_sending(exc):
                # No connection (refused, DNS, connect timeout): Meta never saw it, so a retry is safe.
                raise GraphError(f"connection failed: {type(exc).__name__}", retryable=True) from exc
            # The request went out and the answer did not come back (read timeout, connection
            # dropped): Meta may have accepted the message. Not retried: a blind retry is how a
            # patient got the same reply five times. The caller reconciles from status webhooks.
            raise GraphError(f"no answer: {type(exc).__name__}", ambiguous=True) from exc
        try:
            data = response.json()
        except ValueError:
            data = None
        if 200 <= response.status_code < 300:
            if not isinstance(data, dict):
                raise GraphError("success response that is not a JSON object", http_status=response.status_code)
            return data
        raise _error_from(response.status_code, data, response.text)


class TooLarge(GraphError):
    """A download longer than the caller's limit: refused, never retried."""


def _json_or_none(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


def _read_capped(response: requests.Response, max_bytes: int | None) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if max_bytes is not None and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"file of {declared} bytes is over the limit of {max_bytes}", http_status=response.status_code)
    chunks, total = [], 0
    for chunk in response.iter_content(64 * 1024):
        total += len(chunk)
        if max_bytes is not None and total > max_bytes:
            raise TooLarge(f"file is over the limit of {max_bytes} bytes", http_status=response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def _before_sending(exc: requests.RequestException) -> bool:
    """Whether the request failed before any byte of it reached the server."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError) or not exc.args:
        return False
    reason = getattr(exc.args[0], "reason", None)  # urllib3's MaxRetryError carries why
    return isinstance(reason, NewConnectionError)  # refused, unreachable, DNS (NameResolutionError)


def _error_from(http_status: int, data: object, text: str) -> GraphError:
    """Meta's {error: {message, type, code, error_subcode, error_data: {details}, fbtrace_id}}, or the raw body."""
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        retryable, token_problem = classify(http_status, None)
        title = f"HTTP {http_status}: {text[:200].strip() or 'empty body'}"
        return GraphError(title, http_status=http_status, retryable=retryable, token_problem=token_problem)
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    error_data = error.get("error_data")
    details = error_data.get("details") if isinstance(error_data, dict) else None
    retryable, token_problem = classify(http_status, code)
    return GraphError(
        str(error.get("message") or error.get("error_user_title") or f"HTTP {http_status}"),
        code=code,
        subcode=subcode,
        details=details if isinstance(details, str) else "",
        http_status=http_status,
        retryable=retryable,
        token_problem=token_problem,
        fbtrace_id=str(error.get("fbtrace_id") or ""),
    )


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
