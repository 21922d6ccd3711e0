"""`manage.py simulate`: a patient typed on stdin, through the real webhook (signed when an app
secret is set), the bot's replies printed with their buttons numbered, numbers tapping them."""

from __future__ import annotations

import io
import socket
import sys
import time
import types

import pytest
import time_machine
from django.core.management import CommandError, call_command

from chat import simulator
from chat.models import Message
from chat.tests.phone import NOW, make_clinic
from chat.whatsapp import signature
from patients.models import Patient

PHONE = "919800000555"
MENU = ["     [1] Book appointment", "     [2] My appointments", "     [3] Talk to doctor"]


@pytest.fixture(autouse=True)
def no_server_on_8000(monkeypatch):
    """Whatever listens on 127.0.0.1:8000 on this machine, these tests post in-process unless
    they say otherwise."""
    monkeypatch.setattr("chat.management.commands.simulate.server_answers", lambda url: False)


@pytest.fixture
def clinic(transactional_db, settings):
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


class Terminal(io.StringIO):
    """stdin as a person at a terminal (isatty), for the interactive prompts."""

    def isatty(self) -> bool:
        return True


def simulate(monkeypatch, typed: str, *, stdin_class=io.StringIO, **options) -> tuple[list[str], str]:
    """Run the command with `typed` as stdin; returns (stdout lines after the one saying where it
    posts, stderr)."""
    monkeypatch.setattr(sys, "stdin", stdin_class(typed))
    out, err = io.StringIO(), io.StringIO()
    call_command("simulate", stdout=out, stderr=err, **options)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Posting "), lines[:1]
    return lines[1:], err.getvalue()


SCRIPT = "hi\n\nwhat are your timings?\n3\n3\nare you there?\n"


def test_simulate_round_trips_a_scripted_conversation(clinic, monkeypatch):
    """Typed lines reach the bot through the webhook; replies are printed with numbered buttons, a
    number taps the button it names, and after "Talk to doctor" the paused bot is silent."""
    lines, err = simulate(monkeypatch, SCRIPT, phone="+91 98000 00555", name="Kavita Rao")
    assert err == ""
    assert lines[0] == "bot> Namaste Kavita! 🙏 Welcome to Joshi Family Clinic."
    assert lines[2:5] == MENU
    timings = lines.index("bot> 🕘 Joshi Family Clinic timings:")
    assert lines[timings + 1 : timings + 3] == ["Mon–Sat: 10:00–13:00, 17:00–20:00", "Sun: closed"]
    assert lines[timings + 3 : timings + 6] == ["     [1] Book appointment", "     [2] Talk to doctor", "     [3] Menu"]
    assert lines[timings + 6] == "  (tapped: Menu)"
    assert lines[timings + 7].startswith("bot> Namaste Kavita!") and lines[timings + 9 : timings + 12] == MENU
    assert lines[timings + 12] == "  (tapped: Talk to doctor)"
    assert lines[timings + 13].startswith("bot> Sure. I've let Dr. Meera Joshi know")
    assert lines[-1] == "  (no reply — the bot is paused for this patient, or busy)"

    patient = Patient.objects.get(wa_id=PHONE)
    assert patient.name == "Kavita Rao" and patient.ai_paused
    incoming = patient.messages.filter(direction=Message.Direction.IN).order_by("pk")
    assert [(m.type, m.text, m.reply_id) for m in incoming] == [
        ("text", "hi", ""),
        ("text", "what are your timings?", ""),
        ("interactive", "Menu", "menu"),
        ("interactive", "Talk to doctor", "talk_doctor"),
        ("text", "are you there?", ""),
    ]
    replies = patient.messages.filter(direction=Message.Direction.OUT)
    assert replies.count() == 4
    # The sandbox phone marks what it had received as read when the patient writes again.
    assert list(replies.values_list("status", flat=True)) == [Message.Status.READ] * 4


def test_simulate_signs_its_payloads_when_an_app_secret_is_set(clinic, monkeypatch, settings):
    """With WHATSAPP_APP_SECRET set every post carries a valid X-Hub-Signature-256 (the five messages,
    the phone's read receipts and the sandbox's status webhooks) and the conversation works as
    without one."""
    settings.WHATSAPP_APP_SECRET = "simulator-secret"
    checked: list[bool] = []
    real_verify = signature.verify

    def spy(body, header, secret):
        ok = real_verify(body, header, secret)
        checked.append(ok and header == signature.sign(body, "simulator-secret"))
        return ok

    monkeypatch.setattr("chat.inbound.signature.verify", spy)
    lines, err = simulate(monkeypatch, SCRIPT, phone=PHONE)
    assert err == ""
    assert len(checked) > 5 and all(checked)
    assert lines[0].startswith("bot> Namaste Simulated!") and lines[2:5] == MENU
    assert "  (tapped: Talk to doctor)" in lines
    assert Message.objects.filter(direction=Message.Direction.IN).count() == 5


def test_simulate_reports_a_refused_webhook_and_goes_on(clinic, monkeypatch, settings):
    """Signed with the wrong secret, the webhook answers 403: the command says so on stderr, stores nothing, and keeps reading."""
    settings.WHATSAPP_APP_SECRET = "the-servers-secret"
    stale = types.SimpleNamespace(sign=lambda body, secret: signature.sign(body, "a-stale-secret"))
    monkeypatch.setattr("chat.simulator.signature", stale)
    lines, err = simulate(monkeypatch, "hi\nhello\n", phone=PHONE)
    assert err.splitlines() == ["webhook answered 403", "webhook answered 403"]
    assert lines == []
    assert not Message.objects.exists()


def test_a_number_with_no_buttons_on_screen_is_sent_as_text(clinic, monkeypatch):
    """ "7" before any buttons were shown (or beyond the last one) is typed text, not a tap."""
    simulate(monkeypatch, "7\nhi\n9\n", phone=PHONE)
    incoming = Message.objects.filter(direction=Message.Direction.IN).order_by("pk")
    assert [(m.type, m.text) for m in incoming] == [("text", "7"), ("text", "hi"), ("text", "9")]


def test_at_a_terminal_simulate_prompts_and_an_empty_line_quits(clinic, monkeypatch):
    """Interactive: a greeting naming the clinic and number, a "you> " prompt, and an empty line ends it."""
    lines, _ = simulate(monkeypatch, "hi\n\nnever sent\n", stdin_class=Terminal, phone=PHONE)
    assert lines[0] == f"Chatting with Dr. Meera Joshi (Joshi Family Clinic) as +{PHONE}. Empty line or Ctrl-D to quit."
    assert lines[1].startswith("you> bot> Namaste")
    assert lines[-1] == "you> "
    assert list(Message.objects.filter(direction="in").values_list("text", flat=True)) == ["hi"]


def test_simulate_talks_to_the_doctor_chosen_by_phone_number_id(clinic, monkeypatch):
    """--doctor picks the clinic by its phone_number_id; the first clinic gets nothing."""
    other = make_clinic(phone_number_id="200300400500600", clinic_name="Rao Skin Clinic", name="Dr. Rao")
    lines, _ = simulate(monkeypatch, "hi\n", phone=PHONE, doctor="200300400500600")
    assert "Welcome to Rao Skin Clinic" in lines[0]
    assert Patient.objects.get(wa_id=PHONE).doctor == other
    assert not clinic.patients.exists()


def test_simulate_without_a_clinic_or_with_a_bad_phone_is_an_error(transactional_db, monkeypatch):
    """No doctor with a WhatsApp number: a clear CommandError; a phone with no digits: another."""
    with pytest.raises(CommandError, match="Run `manage.py seed_demo` first"):
        simulate(monkeypatch, "hi\n")
    make_clinic()
    with pytest.raises(CommandError, match="--phone needs digits"):
        simulate(monkeypatch, "hi\n", phone="not a number")


# --- Where it posts: the running server when one answers, else in-process ----------------------


def test_simulate_says_it_posts_in_process_when_no_server_answers(clinic, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\n"))
    out = io.StringIO()
    call_command("simulate", stdout=out, stderr=io.StringIO(), phone=PHONE)
    first, second = out.getvalue().splitlines()[:2]
    assert first.startswith("Posting in-process (no server answered at http://127.0.0.1:8000")
    assert second.startswith("bot> Namaste")


def test_simulate_posts_to_the_running_server_by_default_and_says_so(clinic, monkeypatch, live_server):
    """A server answering where `make demo` serves gets the posts (so its /chat/ shows them live)."""
    monkeypatch.setattr("chat.management.commands.simulate.DEFAULT_SERVER", live_server.url)
    monkeypatch.setattr("chat.management.commands.simulate.server_answers", simulator.server_answers)
    posted: list[str | None] = []
    real_post = simulator.post_webhook
    monkeypatch.setattr(
        "chat.management.commands.simulate.post_webhook",
        lambda payload, url=None: posted.append(url) or real_post(payload, url=url),
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\n"))
    out = io.StringIO()
    call_command("simulate", stdout=out, stderr=io.StringIO(), phone=PHONE)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Posting to the server at {live_server.url}: the conversation shows live on its /chat/."
    assert lines[1].startswith("bot> Namaste")
    assert posted == [live_server.url]


def test_in_process_is_kept_when_asked_for_even_with_a_server(clinic, monkeypatch):
    monkeypatch.setattr("chat.management.commands.simulate.server_answers", lambda url: True)
    lines, _ = simulate(monkeypatch, "hi\n", phone=PHONE, in_process=True)
    assert lines[0].startswith("bot> Namaste")


def test_the_probe_gives_up_quickly_on_a_closed_port():
    with socket.socket() as s:  # a port nothing listens on: bound, never listened
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
        started = time.monotonic()
        assert simulator.server_answers(url, timeout=0.5) is False
    assert time.monotonic() - started < 2
