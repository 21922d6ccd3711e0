"""Fixtures shared by chat's tests. A module that defines a fixture of the same name keeps its own."""

import socket
import threading

import pytest
import time_machine
from django.contrib.auth.models import User

from chat.models import MessageTemplate
from chat.tests.api_clinics import incoming, make_patient
from chat.tests.phone import NOW, Phone, make_clinic, serve_llm
from chat.tests.stub_graph import StubGraph
from chat.tests.webhooks import SAMPLE_NOW
from patients.models import Doctor

PEER_PHONE_NUMBER_ID = "1122334455667"  # pywa's test number


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
def peer_clinic(clinic):
    """A clinic on pywa's test number, so the peer-pywa/ message cases have somewhere to land
    (test_webhook_peer, test_webhook_fuzz)."""
    return make_clinic(phone_number_id=PEER_PHONE_NUMBER_ID, display_phone_number="972123456789")


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue (as in production), not run at once; the sandbox off."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WHATSAPP_ACCESS_TOKEN = "token-so-the-sandbox-is-off"


# --- The live page's JSON API (test_api_*, helpers in chat/tests/api_clinics.py) ---


@pytest.fixture
def pushed(monkeypatch):
    """Every live event pushed after commit, as (doctor_id, event)."""
    events = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append((doctor_id, event)))
    return events


@pytest.fixture
def clinics(db):
    """Clinics A and B (test_api_*): a desk member, a patient with a message and a template each."""
    a = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    staff_a = User.objects.create_user("desk-a", password="pw-a-123456", first_name="Asha", last_name="Desk")
    staff_b = User.objects.create_user("desk-b", password="pw-b-123456")
    a.members.add(staff_a)
    b.members.add(staff_b)
    mine = make_patient(a, "919800000001", "Rahul Mine", unread=2)
    theirs = make_patient(b, "919800000002", "Secret Theirs", unread=3)
    incoming(mine, "my patient's message")
    secret = incoming(theirs, "their patient's secret")
    template_a = MessageTemplate.objects.create(doctor=a, name="follow_up", body="Hello {{1}}, see you on {{2}}.")
    template_b = MessageTemplate.objects.create(doctor=b, name="other_clinic", body="Hi {{1}}")
    return dict(
        a=a,
        b=b,
        staff_a=staff_a,
        staff_b=staff_b,
        mine=mine,
        theirs=theirs,
        secret=secret,
        template_a=template_a,
        template_b=template_b,
    )


@pytest.fixture
def desk(client, clinics):
    """The test client logged in as clinic A's desk."""
    client.force_login(clinics["staff_a"])
    return client


# --- The send pipeline (test_pipeline, test_exactly_once, test_reaper; helpers in chat/tests/pipelining.py) ---


@pytest.fixture
def travel(transactional_db, settings):
    """Real commits, time frozen at phone.NOW, no LLM, sandbox transport, no app secret (the send
    pipeline's modules build their `clinic` over it)."""
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def phone(clinic) -> Phone:
    """A patient's Phone on the module's `clinic` (the send pipeline's modules build theirs over `travel`)."""
    return Phone(clinic)


@pytest.fixture
def graph(settings):
    """The stub Graph API, with a real access token configured: messages leave through GraphClient."""
    with StubGraph() as stub:
        settings.WHATSAPP_ACCESS_TOKEN = "test-token"
        settings.WHATSAPP_API_BASE = stub.base_url
        settings.WHATSAPP_API_VERSION = "v23.0"
        settings.WHATSAPP_RETRY_BASE_DELAY = 0
        settings.WHATSAPP_SEND_ATTEMPTS = 4
        settings.WHATSAPP_TIMEOUT = 0.5
        yield stub


@pytest.fixture
def held_sends(monkeypatch) -> list[int]:
    """send_message tasks are collected instead of run, so a test decides when (and how often) to send."""
    held: list[int] = []
    monkeypatch.setattr("chat.outbound.enqueue_send", lambda message_id, *, delay=None: held.append(message_id))
    return held
