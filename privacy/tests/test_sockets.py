"""The live socket closes when its session ends or its user loses the clinic; origins match exactly."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client

from chat import consumers
from chat.consumers import same_origin
from clinicbot.asgi import application
from clinicbot.events import push_now
from patients.models import Doctor

QUIET = 0.5


@pytest.fixture
def clinic(transactional_db):
    a = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    desk = User.objects.create_user("desk", password="pw-desk-123")
    a.members.add(desk)
    b.members.add(desk)
    return {"a": a, "b": b, "desk": desk}


@database_sync_to_async
def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def open_socket(client: Client, *, host: bytes = b"testserver", origin: bytes = b"http://testserver"):
    headers = [
        (b"host", host),
        (b"origin", origin),
        (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
    ]
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    ok, code = await communicator.connect()
    if ok:
        assert (await communicator.receive_json_from(timeout=2))["type"] == "hello"
    return communicator, ok, code


async def push(doctor: Doctor, n: int = 1) -> None:
    await database_sync_to_async(push_now)(doctor_id=doctor.pk, event={"type": "patient.updated", "n": n})


async def closed(communicator: WebsocketCommunicator) -> bool:
    output = await communicator.receive_output(timeout=2)
    return output["type"] == "websocket.close"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_logging_out_closes_that_sessions_sockets_and_no_other(clinic):
    browser, phone = await logged_in_client(clinic["desk"]), await logged_in_client(clinic["desk"])
    on_browser, _, _ = await open_socket(browser)
    on_phone, _, _ = await open_socket(phone)
    try:
        response = await database_sync_to_async(browser.post)("/accounts/logout/")
        assert response.status_code == 302
        assert await closed(on_browser)
        await push(clinic["a"])
        assert (await on_phone.receive_json_from(timeout=2))["n"] == 1, "the other session still listens"
        _, ok, code = await open_socket(browser)
        assert not ok
    finally:
        await on_browser.disconnect()
        await on_phone.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_member_removed_from_a_clinic_is_closed_on_its_next_event(clinic):
    client = await logged_in_client(clinic["desk"])
    communicator, ok, _ = await open_socket(client)
    assert ok
    try:
        await push(clinic["a"], 1)
        assert (await communicator.receive_json_from(timeout=2))["n"] == 1
        await database_sync_to_async(clinic["a"].members.remove)(clinic["desk"])
        await push(clinic["a"], 2)
        assert await closed(communicator), "closed within one event, which it never hears"
    finally:
        await communicator.disconnect()
    again, ok, _ = await open_socket(client)
    try:
        assert ok, "still a member of Dr. B: a reconnect is allowed and hears only B"
        await push(clinic["a"], 3)
        assert await again.receive_nothing(timeout=QUIET)
        await push(clinic["b"], 4)
        assert (await again.receive_json_from(timeout=2))["n"] == 4
    finally:
        await again.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_deactivated_user_is_closed_on_the_next_event(clinic):
    client = await logged_in_client(clinic["desk"])
    communicator, _, _ = await open_socket(client)
    try:
        await push(clinic["b"], 1)
        assert (await communicator.receive_json_from(timeout=2))["n"] == 1
        desk = clinic["desk"]
        desk.is_active = False
        await database_sync_to_async(desk.save)()  # as the admin does: the socket is told to recheck
        await push(clinic["b"], 2)
        assert await closed(communicator), "closed within one event, which it never hears"
    finally:
        await communicator.disconnect()


@pytest.fixture
def quick_recheck(monkeypatch):
    """Rechecks after 0.3 s instead of 1 s, for the changes no signal announces."""
    monkeypatch.setattr(consumers, "RECHECK_SECONDS", 0.3)
    return 0.3


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_user_deactivated_behind_the_signals_back_is_closed_within_the_recheck(clinic, quick_recheck):
    client = await logged_in_client(clinic["desk"])
    communicator, _, _ = await open_socket(client)
    try:
        await database_sync_to_async(User.objects.filter(pk=clinic["desk"].pk).update)(is_active=False)
        await asyncio.sleep(quick_recheck + 0.1)
        await push(clinic["b"])
        assert await closed(communicator)
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_expired_session_is_closed_on_the_first_event_after_the_recheck(clinic, quick_recheck):
    from django.contrib.sessions.models import Session

    client = await logged_in_client(clinic["desk"])
    communicator, _, _ = await open_socket(client)
    try:
        await database_sync_to_async(Session.objects.all().delete)()
        await asyncio.sleep(quick_recheck + 0.1)
        await push(clinic["a"])
        assert await closed(communicator)
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_burst_of_events_reads_who_may_listen_once(clinic, monkeypatch):
    reads = []
    real = consumers.may_still_listen

    async def counted(**kwargs):
        reads.append(kwargs)
        return await real(**kwargs)

    monkeypatch.setattr(consumers, "may_still_listen", counted)
    monkeypatch.setattr(consumers, "RECHECK_SECONDS", 60.0)
    client = await logged_in_client(clinic["desk"])
    communicator, _, _ = await open_socket(client)
    try:
        for n in range(50):
            await push(clinic["a"], n)
        assert [(await communicator.receive_json_from(timeout=2))["n"] for _ in range(50)] == list(range(50))
        assert reads == [], "read at connect, and not again within the recheck interval"
        await database_sync_to_async(clinic["b"].members.remove)(clinic["desk"])  # tells it to recheck
        await push(clinic["a"], 50)
        assert await closed(communicator)
        assert len(reads) == 1
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "host, origin",
    [
        (b"localhost:8000", b"http://localhost:1"),
        (b"localhost:8000", b"http://localhost"),
        (b"testserver", b"http://testserver:8080"),
        (b"testserver", b"https://evil.example"),
        (b"testserver", b"null"),
        (b"testserver", b"http://testserver:notaport"),
    ],
)
async def test_a_page_on_another_origin_or_port_is_refused(clinic, host, origin):
    client = await logged_in_client(clinic["desk"])
    communicator, ok, code = await open_socket(client, host=host, origin=origin)
    await communicator.disconnect()
    assert not ok


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "host, origin",
    [
        (b"localhost:8000", b"http://localhost:8000"),
        (b"testserver", b"https://testserver"),
        (b"testserver", b"http://testserver:80"),
    ],
)
async def test_the_sites_own_origin_is_accepted(clinic, host, origin):
    client = await logged_in_client(clinic["desk"])
    communicator, ok, _ = await open_socket(client, host=host, origin=origin)
    await communicator.disconnect()
    assert ok


def test_a_csrf_trusted_origin_is_accepted_behind_a_proxy_that_rewrites_host(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://clinic.example.com"]
    assert same_origin({b"host": b"10.0.0.5:8000", b"origin": b"https://clinic.example.com"})
    assert not same_origin({b"host": b"10.0.0.5:8000", b"origin": b"https://clinic.example.com:8443"})
    assert not same_origin({b"host": b"10.0.0.5:8000"})
