"""Fixtures shared by chat's tests."""

import socket
import threading

import pytest
import time_machine

from chat.tests.phone import make_clinic, serve_llm
from chat.tests.webhooks import SAMPLE_NOW


@pytest.fixture
def black_hole():
    """A TCP port that accepts connections, reads, and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(2)
    for connection in held:
        connection.close()
    server.close()


@pytest.fixture
def llm_stub(settings):
    """The stub LLM server (chat/tests/phone.py), configured as the responder."""
    with serve_llm(settings) as stub:
        yield stub


@pytest.fixture
def clinic(db, settings):
    """The samples' clinic (phone_number_id 100200300400500), time frozen just after the samples,
    no LLM, sandbox transport, no app secret."""
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""
    with time_machine.travel(SAMPLE_NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue (as in production), not run at once; the sandbox off."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WHATSAPP_ACCESS_TOKEN = "token-so-the-sandbox-is-off"
