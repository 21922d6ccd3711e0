"""Real servers for the end-to-end tests and the benchmarks: daphne subprocesses on loopback,
their own database (a temporary SQLite file, or a throwaway PostgreSQL database), and a tiny
websocket client, so a test sees exactly what a browser on the network would see.

The servers never share the pytest test database: they get a fresh one, migrated and seeded
with the demo clinic (login demo / demo, phone_number_id 100200300400500).
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import fcntl
import json
import os
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DAPHNE = str(Path(PYTHON).with_name("daphne"))
# Anything that would point a server at a shared resource or a real WhatsApp account.
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_APP_SECRET", "SQLITE_PATH", "TASK_BACKEND")


LIVE_SETTINGS = "CLINICBOT_LIVE_SETTINGS"  # the settings module of the servers started here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(**overrides: str) -> dict[str, str]:
    """The environment of a server subprocess: the embedded defaults plus `overrides`."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith("DJANGO_")}
    env.update(
        # The root conftest.py points the tests' servers at chat/tests/live_settings.py.
        DJANGO_SETTINGS_MODULE=os.environ.get(LIVE_SETTINGS, "clinicbot.settings"),
        DEBUG="false",
        SECRET_KEY="live-test-" + "k" * 50,
        TASK_BACKEND="immediate",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # The seed's first visit can have a reminder due minutes after seeding; a test that wants
        # the server's reminder sweep passes REMINDER_SWEEP_SECONDS itself.
        REMINDER_SWEEP_SECONDS="0",
    )
    env.update(overrides)
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and seed the demo clinic into the database `env` points at."""
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, capture_output=True)


_seeded_sqlite: Path | None = None
# Set by the root conftest.py for a whole test run, so parallel workers build one template between
# them instead of one each (migrate + seed_demo cost ~3 s of CPU a time).
SHARED_TEMPLATE_DIR = "CLINICBOT_LIVE_TEMPLATE_DIR"


def seeded_sqlite_template() -> Path:
    """A migrated, seeded SQLite file made once per test run (migrate + seed_demo in subprocesses
    cost seconds; a copy costs milliseconds): in the run's shared folder where the root conftest
    made one (the first worker builds it under a lock, the others wait and copy), else in a folder
    of this process removed when it exits."""
    global _seeded_sqlite
    if _seeded_sqlite is not None:
        return _seeded_sqlite
    shared = os.environ.get(SHARED_TEMPLATE_DIR)
    if shared and Path(shared).is_dir():
        path = Path(shared) / "seeded.sqlite3"
        with open(Path(shared) / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not path.exists():
                building = path.with_suffix(".building")
                prepare_database(server_env(SQLITE_PATH=str(building)))
                building.rename(path)  # never a half-built file under the final name
    else:
        folder = tempfile.mkdtemp(prefix="clinicbot-live-template-")
        atexit.register(shutil.rmtree, folder, True)
        path = Path(folder) / "seeded.sqlite3"
        prepare_database(server_env(SQLITE_PATH=str(path)))
    _seeded_sqlite = path
    return path


@contextlib.contextmanager
def sqlite_env(**overrides: str) -> Iterator[dict[str, str]]:
    """A server environment on a fresh copy of the migrated and seeded SQLite file, deleted
    afterwards. (The seed's times are those of the process's first server, minutes old at most.)"""
    with tempfile.TemporaryDirectory(prefix="clinicbot-live-") as folder:
        env = server_env(SQLITE_PATH=str(Path(folder) / "live.sqlite3"), **overrides)
        shutil.copyfile(seeded_sqlite_template(), env["SQLITE_PATH"])
        yield env


@contextlib.contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A throwaway PostgreSQL database on the server of `server_url` (never the test database)."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"clinicbot_live_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Daphne:
    """One daphne process on 127.0.0.1:<free port>; its output goes to a log file for failures."""

    def __init__(self, env: dict[str, str], *, port: int | None = None):
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="daphne-", suffix=".log", delete=False)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Daphne:
        self.process = subprocess.Popen(
            self.command(),
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode}:\n{self.output()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return self
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"daphne did not listen on {self.port} within 30 s:\n{self.output()}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()

    def command(self) -> list[str]:
        return [DAPHNE, "-b", "127.0.0.1", "-p", str(self.port), "clinicbot.asgi:application"]

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-5000:]


class Gunicorn(Daphne):
    """gunicorn with `workers` sync workers (the Procfile's `http`) on 127.0.0.1:<free port>."""

    def __init__(self, env: dict[str, str], *, workers: int, port: int | None = None):
        super().__init__(env, port=port)
        self.workers = workers

    def command(self) -> list[str]:
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        bind = f"127.0.0.1:{self.port}"
        return [gunicorn, "-w", str(self.workers), "-b", bind, "--backlog", "2048", "clinicbot.wsgi:application"]


def login(base_url: str, username: str = "demo", password: str = "demo") -> requests.Session:
    """A requests session logged in through the real login form (CSRF cookie and all)."""
    session = requests.Session()
    session.get(f"{base_url}/accounts/login/", timeout=10).raise_for_status()
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")
    return session


class MiniWebSocket:
    """Just enough of RFC 6455 to be a browser tab on ws/chat/: connect with a session cookie,
    send JSON, receive JSON frames. (The project has no websocket client dependency.)"""

    def __init__(self, url: str, *, cookie: str = "", origin: str = "", timeout: float = 10):
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {parts.path or '/'} HTTP/1.1",
            f"Host: {parts.hostname}:{parts.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"Origin: {origin or f'http://{parts.hostname}:{parts.port}'}",
        ]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"websocket refused: {status.decode(errors='replace')}")

    def _exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def recv_text(self, timeout: float = 10) -> str:
        self.sock.settimeout(timeout)
        parts: list[bytes] = []
        while True:
            first, second = self._exact(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._exact(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._exact(8))
            payload = self._exact(length)
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the server")
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                parts.append(payload)
                if first & 0x80:
                    return b"".join(parts).decode()

    def recv_json(self, timeout: float = 10) -> dict:
        return json.loads(self.recv_text(timeout))

    def send_json(self, data: dict) -> None:
        self._send(0x1, json.dumps(data).encode())

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._send(0x8, struct.pack("!H", 1000))
        self.sock.close()


def live_socket(base_url: str, session: requests.Session) -> MiniWebSocket:
    """A websocket to ws/chat/ as the session's user, past its hello."""
    ws_url = base_url.replace("http://", "ws://") + "/ws/chat/"
    ws = MiniWebSocket(ws_url, cookie=f"sessionid={session.cookies['sessionid']}", origin=base_url)
    hello = ws.recv_json()
    if hello.get("type") != "hello":
        raise RuntimeError(f"expected hello, got {hello}")
    return ws
