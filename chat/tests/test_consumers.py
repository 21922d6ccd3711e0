"""The live-chat websocket: who may connect, who hears what, and that nothing rolled back is heard.

These go through the real ASGI application (origin check, session auth, URL routing) with the
session cookie a logged-in browser would send.
"""

import datetime as dt
import socket as socket_module
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from chat import consumers, live
from chat.simulator import post_webhook, webhook_payload
from clinicbot.asgi import application
from patients.models import Doctor, Patient

QUIET = 0.5  # seconds to wait before concluding that nothing arrives


@pytest.fixture
def clinics(transactional_db):
    a = Doctor.objects.create(name="Dr. A", phone_number_id="111", display_phone_number="911100000000")
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222", display_phone_number="912200000000")
    staff_a = User.objects.create_user("desk-a", password="pw-a-123456")
    staff_b = User.objects.create_user("desk-b", password="pw-b-123456")
    a.members.add(staff_a)
    b.members.add(staff_b)
    now = timezone.now() - dt.timedelta(minutes=1)
    mine = Patient.objects.create(doctor=a, wa_id="919800000001", name="Mine", last_inbound_at=now, last_message_at=now)
    theirs = Patient.objects.create(doctor=b, wa_id="919800000002", name="Theirs", last_inbound_at=now)
    return {"a": a, "b": b, "staff_a": staff_a, "staff_b": staff_b, "mine": mine, "theirs": theirs}


@database_sync_to_async
def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def socket(cookie: str | None = None, origin: bytes = b"http://testserver") -> WebsocketCommunicator:
    headers = [(b"host", b"testserver"), (b"origin", origin)]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/chat/", headers=headers)


async def connected(user) -> WebsocketCommunicator:
    communicator = socket(await session_cookie(user))
    ok, _ = await communicator.connect()
    assert ok
    hello = await communicator.receive_json_from(timeout=2)
    assert hello["type"] == "hello"
    return communicator


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_visitor_who_is_not_logged_in_is_refused(clinics):
    communicator = socket()
    try:
        ok, code = await communicator.connect()
        assert not ok
        assert code == 4401
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_page_from_another_site_is_refused_even_with_a_session(clinics):
    communicator = socket(await session_cookie(clinics["staff_a"]), origin=b"https://evil.example")
    try:
        ok, _ = await communicator.connect()
        assert not ok
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_logged_in_member_is_greeted_and_answered_pong(clinics):
    communicator = await connected(clinics["staff_a"])
    try:
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=2) == {"type": "pong"}
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_junk_from_a_client_is_ignored_and_the_connection_stays(clinics):
    communicator = await connected(clinics["staff_a"])
    try:
        for junk in ("not json", "[1, 2]", '"ping"', "{}", '{"type": "subscribe", "doctor": 2}'):
            await communicator.send_to(text_data=junk)
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=2) == {"type": "pong"}
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_member_of_doctor_a_never_receives_doctor_bs_events(clinics):
    desk_a = await connected(clinics["staff_a"])
    desk_b = await connected(clinics["staff_b"])
    try:
        # Doctor B's clinic pauses a patient and gets a message: B hears both, A hears nothing.
        await database_sync_to_async(live.set_bot_paused)(
            user=clinics["staff_b"], patient_id=clinics["theirs"].pk, pause=True
        )
        payload = webhook_payload(doctor=clinics["b"], wa_id="919800000002", name="Theirs", text="private to B")
        assert await database_sync_to_async(post_webhook)(payload) == 200
        heard_by_b = [await desk_b.receive_json_from(timeout=2) for _ in range(3)]
        assert {e["type"] for e in heard_by_b} == {"patient.updated", "message.created"}
        assert any(e.get("message", {}).get("text") == "private to B" for e in heard_by_b)
        assert await desk_a.receive_nothing(timeout=QUIET)

        # And A's own events do reach A.
        await database_sync_to_async(live.set_bot_paused)(
            user=clinics["staff_a"], patient_id=clinics["mine"].pk, pause=True
        )
        event = await desk_a.receive_json_from(timeout=2)
        assert event["type"] == "patient.updated"
        assert event["patient"]["id"] == clinics["mine"].pk and event["patient"]["ai_paused"] is True
    finally:
        await desk_a.disconnect()
        await desk_b.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_nothing_is_pushed_for_a_transaction_that_rolls_back(clinics):
    desk_a = await connected(clinics["staff_a"])

    class Abandon(Exception):
        pass

    def send_then_roll_back():
        with transaction.atomic():
            live.send_text(user=clinics["staff_a"], patient_id=clinics["mine"].pk, body="never sent", client_id="rb")
            raise Abandon

    try:
        with pytest.raises(Abandon):
            await database_sync_to_async(send_then_roll_back)()
        assert await desk_a.receive_nothing(timeout=QUIET)
        patient = await database_sync_to_async(Patient.objects.get)(pk=clinics["mine"].pk)
        assert not patient.ai_paused
        assert not await database_sync_to_async(patient.messages.filter(client_id="rb").exists)()

        # The same write, committed, is heard.
        await database_sync_to_async(live.send_text)(
            user=clinics["staff_a"], patient_id=clinics["mine"].pk, body="sent", client_id="ok"
        )
        types = []
        while "message.created" not in types:
            types.append((await desk_a.receive_json_from(timeout=2))["type"])
        assert types[0] == "patient.updated"
    finally:
        await desk_a.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_user_of_two_clinics_hears_both_and_a_user_of_none_hears_nothing(clinics):
    both = await database_sync_to_async(User.objects.create_user)("both", password="pw-both-123")
    nobody = await database_sync_to_async(User.objects.create_user)("nobody", password="pw-nobody-1")
    await database_sync_to_async(clinics["a"].members.add)(both)
    await database_sync_to_async(clinics["b"].members.add)(both)
    desk = socket(await session_cookie(both))
    idle = socket(await session_cookie(nobody))
    try:
        assert (await desk.connect())[0]
        assert (await desk.receive_json_from(timeout=2)) == {"type": "hello", "doctors": 2}
        assert (await idle.connect())[0]
        assert (await idle.receive_json_from(timeout=2)) == {"type": "hello", "doctors": 0}
        for key, staff in (("mine", "staff_a"), ("theirs", "staff_b")):
            await database_sync_to_async(live.set_bot_paused)(
                user=clinics[staff], patient_id=clinics[key].pk, pause=True
            )
        heard = {(await desk.receive_json_from(timeout=2))["patient"]["id"] for _ in range(2)}
        assert heard == {clinics["mine"].pk, clinics["theirs"].pk}
        assert await idle.receive_nothing(timeout=QUIET)
    finally:
        await desk.disconnect()
        await idle.disconnect()


# --- Redis down -----------------------------------------------------------------------------------


def redis_layers(port: int) -> dict:
    address = {"address": f"redis://127.0.0.1:{port}/0", "socket_connect_timeout": 1}
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [address]}}}


@pytest.fixture
def closed_port():
    """A port nothing listens on: connections are refused."""
    probe = socket_module.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("redis", ["refused", "black hole"])
async def test_with_redis_down_the_handshake_is_refused_cleanly_to_be_retried(
    clinics, closed_port, black_hole, redis, monkeypatch
):
    """Refused with 1013 (try again later) within about JOIN_TIMEOUT, never a 500 or a hung
    handshake; the page's reconnect tries again with backoff. (JOIN_TIMEOUT shortened from its 3 s:
    the black hole waits all of it.)"""
    monkeypatch.setattr(consumers, "JOIN_TIMEOUT", 0.5)
    port = closed_port if redis == "refused" else black_hole
    cookie = await session_cookie(clinics["staff_a"])
    with override_settings(CHANNEL_LAYERS=redis_layers(port)):
        channel_layers.backends.clear()
        try:
            communicator = socket(cookie)
            started = time.monotonic()
            ok, code = await communicator.connect(timeout=consumers.JOIN_TIMEOUT + 5)
            took = time.monotonic() - started
            await communicator.disconnect()
        finally:
            channel_layers.backends.clear()
    assert (ok, code) == (False, consumers.CLOSE_TRY_AGAIN_LATER)
    assert took < consumers.JOIN_TIMEOUT + 2
