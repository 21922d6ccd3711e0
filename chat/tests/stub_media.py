"""A stub Graph API that serves media: a real HTTP server on 127.0.0.1 answering
GET /<version>/<media-id> with Meta's {url, mime_type, sha256, file_size, id}, the download url
with the file's bytes, and every POST (a send, a mark-read) with Meta's success answer.

    with MediaGraph() as graph:
        graph.add("111", b"...jpeg bytes...", "image/jpeg")
        graph.expire_once("111")           # the first download answers 401, as an expired url does
        graph.fail("111", 500, times=2)    # GET /111 answers 500 twice first
        ...
        graph.downloads("111")             # how many times the bytes were fetched

Kept apart from stub_graph.StubGraph (a queue of replies in order) because a webhook test sends
the bot's replies and fetches media through one client in an order the test does not choose:
this stub answers by path instead.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Served:
    content: bytes
    mime_type: str
    declared_size: int | None = None  # what GET /{media-id} says, when it should differ
    expired: int = 0  # downloads still to answer 401 (an expired url)
    failures: list[int] = field(default_factory=list)  # statuses GET /{media-id} answers first
    downloads: int = 0


class MediaGraph:
    def __init__(self, version: str = "v23.0") -> None:
        self.version = version
        self.files: dict[str, Served] = {}
        self.requests: list[tuple[str, str, str]] = []  # (method, path, Authorization)
        self.sent: list[dict] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> MediaGraph:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, media_id: str, content: bytes, mime_type: str, *, declared_size: int | None = None) -> None:
        self.files[media_id] = Served(content, mime_type, declared_size)

    def expire_once(self, media_id: str) -> None:
        self.files[media_id].expired += 1

    def fail(self, media_id: str, status: int, *, times: int = 1) -> None:
        self.files[media_id].failures.extend([status] * times)

    def downloads(self, media_id: str) -> int:
        return self.files[media_id].downloads

    def lookups(self, media_id: str) -> int:
        return sum(1 for method, path, _ in self.requests if method == "GET" and path == f"/{self.version}/{media_id}")

    def answer(self, method: str, path: str, auth: str, body: bytes) -> tuple[int, str, bytes]:
        with self._lock:
            self.requests.append((method, path, auth))
            if method == "POST":
                sent = json.loads(body or b"{}")
                self.sent.append(sent)
                if sent.get("status") == "read":
                    return _json(200, {"success": True})
                to = sent.get("to", "")
                wamid = f"wamid.media-stub-{len(self.sent)}"
                return _json(
                    200, {"messaging_product": "whatsapp", "contacts": [{"wa_id": to}], "messages": [{"id": wamid}]}
                )
            parts = path.strip("/").split("/")
            if len(parts) == 2 and parts[0] == "download" and parts[1] in self.files:
                served = self.files[parts[1]]
                if served.expired:
                    served.expired -= 1
                    return _json(401, {"error": {"message": "URL signature expired", "code": 190}})
                served.downloads += 1
                return 200, served.mime_type, served.content
            if len(parts) == 2 and parts[0] == self.version and parts[1] in self.files:
                served = self.files[parts[1]]
                if served.failures:
                    status = served.failures.pop(0)
                    return _json(status, {"error": {"message": "Service temporarily unavailable", "code": 2}})
                size = served.declared_size if served.declared_size is not None else len(served.content)
                return _json(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "url": f"{self.base_url}/download/{parts[1]}",
                        "mime_type": served.mime_type,
                        "sha256": hashlib.sha256(served.content).hexdigest(),
                        "file_size": size,
                        "id": parts[1],
                    },
                )
            return _json(404, {"error": {"message": "Unsupported get request", "code": 100}})


def _json(status: int, body: dict) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


def _handler(graph: MediaGraph) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, content_type, payload = graph.answer(
                self.command, self.path, self.headers.get("Authorization", ""), body
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler
