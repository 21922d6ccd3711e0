"""The flood guard: one polite "slow down", then quiet until the patient calms down; every
message is still stored and shown to the doctor."""

import datetime as dt

import pytest
import time_machine

from chat.models import Message
from chat.pipeline import SLOW_DOWN, process_inbox_now
from chat.tests.phone import NOW, Phone, make_clinic

SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def travel(db, settings):
    settings.LLM_API_KEY = ""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def phone(travel):
    return Phone(make_clinic())


@pytest.fixture
def pushed(monkeypatch):
    events: list[dict] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append(event))
    return events


def bot_texts(phone: Phone) -> list[str]:
    return list(phone.patient.messages.filter(direction="out").order_by("pk").values_list("text", flat=True))


def test_forty_messages_in_a_minute_get_replies_up_to_the_limit_and_one_slow_down(phone, travel, pushed):
    """40 messages in 40 seconds (limit 20): all stored and shown, 20 answers, exactly one "slow down"."""
    for n in range(40):
        phone.send(f"what are your timings? ({n})")
        travel.shift(SECOND)
    incoming = Message.objects.filter(patient=phone.patient, direction="in")
    assert incoming.count() == 40 and not incoming.filter(processed=False).exists()
    shown = [e for e in pushed if e["type"] == "message.created" and e["message"]["direction"] == "in"]
    assert len(shown) == 40
    texts = bot_texts(phone)
    assert len(texts) == 21
    assert texts.count(SLOW_DOWN.text) == 1 and texts[-1] == SLOW_DOWN.text
    assert all("10:00–13:00" in t for t in texts[:20])
    assert phone.patient.flood_warned_at == NOW + 20 * SECOND


def test_replies_resume_after_a_minute_under_the_limit(phone, travel):
    """Once the last minute holds no more than the limit, the bot answers again and forgets the warning."""
    for _ in range(25):
        phone.send("hello")
        travel.shift(SECOND)
    assert phone.send("hello again") == []  # still within the flood minute
    travel.shift(dt.timedelta(minutes=2))
    [reply] = phone.send("what are your timings?")
    assert "10:00–13:00" in reply.text
    assert phone.patient.flood_warned_at is None


def test_a_new_flood_after_calming_down_gets_a_new_warning(phone, travel):
    """One warning per flood, not one per patient for ever."""
    for _burst in range(2):
        for _ in range(22):
            phone.send("hello")
            travel.shift(SECOND)
        travel.shift(dt.timedelta(minutes=5))
    assert bot_texts(phone).count(SLOW_DOWN.text) == 2


def test_an_emergency_gets_through_a_flood(phone, travel):
    """Flooding never silences an emergency: the number still goes out, and the doctor is alerted."""
    for _ in range(30):
        phone.send("hello")
        travel.shift(SECOND)
    [reply] = phone.send("chest pain, please help")
    assert "*112*" in reply.text
    assert phone.patient.ai_pause_reason == "emergency"


def test_asking_for_the_doctor_gets_through_a_flood(phone, travel):
    """A patient who keeps writing and asks for a person is handed off, not ignored."""
    for _ in range(30):
        phone.send("hello")
        travel.shift(SECOND)
    [reply] = phone.send("doctor se baat karni hai")
    assert "reply to you here soon" in reply.text and phone.patient.ai_paused


def test_a_backlog_is_judged_as_it_arrived(phone, monkeypatch):
    """25 messages in the same second processed in one run: the first 20 answered, then one warning."""
    monkeypatch.setattr("chat.inbound.enqueue_process", lambda patient: None)
    for n in range(25):
        phone.send(f"fees? {n}")
    process_inbox_now(phone.patient.pk)
    texts = bot_texts(phone)
    assert len(texts) == 21 and texts[-1] == SLOW_DOWN.text
    assert all("₹500" in t for t in texts[:20])


def test_the_limit_is_the_doctors_setting(travel):
    """flood_limit_per_minute=5: the sixth message in a minute gets the warning."""
    phone = Phone(make_clinic(flood_limit_per_minute=5))
    replies = [phone.send("hello") for _ in range(8)]
    assert [len(r) for r in replies] == [1] * 5 + [1, 0, 0]
    assert replies[5][0].text == SLOW_DOWN.text
