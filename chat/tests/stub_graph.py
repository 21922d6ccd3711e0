"""A stub Graph API: a real HTTP server on 127.0.0.1 for tests that send WhatsApp messages.

Tests never reach Meta. Point `GraphClient` (or settings.WHATSAPP_API_BASE) at `stub.base_url`
and the real client code runs over real sockets, timeouts included.

    with StubGraph() as stub:
        stub.reply(500, {"error": {"message": "boom", "code": 131000}})   # first request
        stub.reply(200, delay=0.5)                                         # second: slow success
        client = GraphClient(stub.base_url, "v23.0", "token", timeout=0.2, base_delay=0)
        ...
        assert [r.path for r in stub.requests] == ["/v23.0/100200300400500/messages"] * 3

Queued replies are used first, in order, one per request (any method, any path). When the queue
is empty the stub succeeds: a send gets `{"messaging_product": "whatsapp", "contacts": [...],
"messages": [{"id": "wamid.stub-<n>"}]}` (n counts from 1 across the stub's life), a mark-read
body gets `{"success": true}` and a media upload (multipart POST to /<phone_number_id>/media)
gets `{"id": "media.stub-<n>"}`; its form fields and files are in `Recorded.form` and
`Recorded.files` (see `uploads()`). Every request is recorded *when it arrives*, before any delay, so
a request the client gave up on still counts.

As a pytest fixture (no conftest needed):

    @pytest.fixture
    def stub():
        with StubGraph() as server:
            yield server

`StubGraph(delay=0.05)` makes every default reply slow, for load or benchmark tests. The server
is thread-safe and answers requests concurrently (ThreadingHTTPServer).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from requests.structures import CaseInsensitiveDict


@dataclass(frozen=True, slots=True)
class Reply:
    """One programmed response: a JSON body (or raw text when `text` is set), after `delay` seconds."""

    status: int = 200
    json: Any = None
    text: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recorded:
    """One request the stub received. `json` is the decoded body, or None when it was not JSON."""

    method: str
    path: str
    headers: CaseInsensitiveDict
    body: bytes
    json: Any
    at: float
    form: dict[str, str] = field(default_factory=dict)  # a multipart body's plain fields
    files: dict[str, Upload] = field(default_factory=dict)  # and its files, by field name


@dataclass(frozen=True, slots=True)
class Upload:
    """A file of a multipart request."""

    filename: str
    content_type: str
    data: bytes


class StubGraph:
    """The stub server; start it with `with StubGraph() as stub:` or `start()`/`stop()`."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.default_delay = delay
        self.requests: list[Recorded] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._sent = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> StubGraph:
        if self._server is not None:
            raise RuntimeError("StubGraph is already running")
        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll interval makes stop() (and so each test's teardown) take milliseconds, not 0.5 s.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="stub-graph", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes any handler still sleeping on a delay so nothing outlives the test."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> StubGraph:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`, to pass as the Graph API base URL (the version goes after it)."""
        if self._server is None:
            raise RuntimeError("StubGraph is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- programming -----------------------------------------------------------------------

    def reply(
        self,
        status: int = 200,
        json: Any = None,
        *,
        text: str | None = None,
        delay: float = 0.0,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Queue a response for the next request(s). With neither `json` nor `text`, a 2xx gets the
        default success body and anything else an empty JSON object."""
        with self._lock:
            self._queue.extend([Reply(status, json, text, delay, headers or {})] * times)

    def error(self, status: int, code: int, message: str = "stub error", *, details: str = "", times: int = 1) -> None:
        """Queue Meta's error JSON: {"error": {message, type, code, error_data: {details}, fbtrace_id}}."""
        body = {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details or message},
                "fbtrace_id": "stub-trace",
            }
        }
        self.reply(status, body, times=times)

    def clear(self) -> None:
        """Forget queued replies and recorded requests (the wamid counter keeps counting)."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    # -- inspection ------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """How many queued replies have not been used yet."""
        with self._lock:
            return len(self._queue)

    def sent_bodies(self) -> list[Any]:
        """The JSON bodies of all recorded requests, in arrival order."""
        with self._lock:
            return [r.json for r in self.requests]

    def uploads(self) -> list[Recorded]:
        """The media uploads received (multipart requests carrying a file), in arrival order."""
        with self._lock:
            return [r for r in self.requests if r.files]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Recorded]:
        """Block until at least `count` requests arrived (for code that sends from another thread)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"expected {count} requests, got {len(self.requests)}")
                self._arrived.wait(left)
            return list(self.requests)

    # -- serving (called from handler threads) ---------------------------------------------

    def _take(self, request: Recorded) -> tuple[Reply, Any]:
        with self._lock:
            self.requests.append(request)
            self._arrived.notify_all()
            reply = self._queue.popleft() if self._queue else Reply(delay=self.default_delay)
            body: Any = reply.json
            if reply.text is None and body is None:
                body = self._default_body(request) if 200 <= reply.status < 300 else {}
            return reply, body

    def _default_body(self, request: Recorded) -> dict:
        sent = request.json
        if isinstance(sent, dict) and sent.get("status") == "read":
            return {"success": True}
        self._sent += 1
        if request.files:
            return {"id": f"media.stub-{self._sent}"}
        recipient = (sent.get("to") or sent.get("recipient") or "") if isinstance(sent, dict) else ""
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": recipient, "wa_id": recipient}],
            "messages": [{"id": f"wamid.stub-{self._sent}"}],
        }


def _handler_for(stub: StubGraph) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as requests.Session expects

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                decoded = json.loads(raw) if raw else None
            except ValueError:
                decoded = None
            form, files = _multipart(self.headers.get("Content-Type") or "", raw)
            recorded = Recorded(
                method=self.command,
                path=self.path,
                headers=CaseInsensitiveDict(self.headers.items()),
                body=raw,
                json=decoded,
                at=time.monotonic(),
                form=form,
                files=files,
            )
            reply, body = stub._take(recorded)
            if reply.delay and stub._stopping.wait(reply.delay):
                self.close_connection = True  # stopping: hang up without answering
                return
            payload = (reply.text if reply.text is not None else json.dumps(body)).encode()
            content_type = "text/html; charset=utf-8" if reply.text is not None else "application/json"
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and hung up: that is what the delay was for

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests read `stub.requests`, not stderr."""

    return Handler


def _multipart(content_type: str, raw: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    """The fields and files of a multipart/form-data body; ({}, {}) for any other body."""
    if not content_type.startswith("multipart/form-data"):
        return {}, {}
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    form: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is None:
            form[name] = data.decode()
        else:
            files[name] = Upload(part.get_filename(), part.get_content_type(), data)
    return form, files
