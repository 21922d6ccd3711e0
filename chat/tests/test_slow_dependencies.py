"""A Redis that accepts connections and never answers (issue 12) must not hold up the webhook:
live pushes time out quickly, pause after a failure, and are counted; the write never fails."""

from __future__ import annotations

import json
import time

import channels_redis.core  # noqa: F401  (imported up front: its import time is not Redis's wait)
import pytest
from django.test import override_settings

from chat.models import Message
from chat.tests.samples import sample
from chat.tests.webhooks import ASHA, SECRET, first_message, replies_to, signed_post
from clinicbot import events

pytestmark = pytest.mark.usefixtures("clinic")


@pytest.fixture
def fresh_pushes():
    events.resume_pushes()
    events.counts.clear()
    yield events.counts
    events.resume_pushes()


def text_body(wamid: str, said: str) -> bytes:
    body = sample("text.json")
    first_message(body).update(id=wamid)
    first_message(body)["text"]["body"] = said
    return json.dumps(body).encode()


def test_a_webhook_with_a_redis_that_never_answers_is_answered_in_under_a_second(black_hole, fresh_pushes, monkeypatch):
    """It used to take 30 s. Now the pushes of a webhook wait at most one PUSH_TIMEOUT in all (then
    they pause): timed around the pushes themselves, as this shared machine's load makes the rest of
    the request vary (measured figures in docs/benchmarks.md)."""
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{black_hole}/0"]},
        }
    }
    waited: list[float] = []
    real_push = events.push_now

    def timed_push(**kwargs):
        started = time.monotonic()
        real_push(**kwargs)
        waited.append(time.monotonic() - started)

    monkeypatch.setattr(events, "push_now", timed_push)
    with override_settings(CHANNEL_LAYERS=layers, WHATSAPP_APP_SECRET=SECRET):
        started = time.monotonic()
        response = signed_post(text_body("wamid.SLOW-1", "what are your timings?"))
        first = time.monotonic() - started
        signed_post(text_body("wamid.SLOW-2", "what are your timings?"))
    assert response.status_code == 200 and response.json()["stored"] == 1
    assert len(waited) >= 6 and sum(waited) < events.PUSH_TIMEOUT + 0.5, waited
    assert first < 3.0  # the whole request, however loaded the machine
    assert fresh_pushes["failed"] == 1 and fresh_pushes["skipped"] >= 4  # one slow push, then paused
    assert Message.objects.filter(direction="in").count() == 2
    assert len(replies_to(ASHA)) == 2  # the writes and the replies did not wait for Redis


def test_pushes_resume_after_the_pause(fresh_pushes, monkeypatch):
    sent = []

    class Layer:
        async def group_send(self, group, message):
            sent.append(group)

    monkeypatch.setattr(events, "get_channel_layer", lambda: Layer())
    events._state["paused_until"] = time.monotonic() + 60
    events.push_now(doctor_id=7, event={"type": "message.created"})
    assert (sent, fresh_pushes["skipped"]) == ([], 1)
    events.resume_pushes()
    events.push_now(doctor_id=7, event={"type": "message.created"})
    assert (sent, fresh_pushes["pushed"]) == (["doctor-7"], 1)


def test_a_push_that_raises_is_counted_and_never_fails_the_caller(fresh_pushes, monkeypatch):
    class Broken:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(events, "get_channel_layer", lambda: Broken())
    events.push_now(doctor_id=7, event={"type": "message.created"})
    assert fresh_pushes["failed"] == 1
