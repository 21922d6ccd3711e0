"""The optional LLM responder, against a real HTTP server on 127.0.0.1 started by each test."""

import datetime as dt
import time

import pytest
import time_machine
from django.db import connection

from chat import llm
from chat.tests.phone import NOW, WA_ID, Phone, button_ids, make_clinic
from patients.models import BotPauseLog, Doctor

TIMEOUT_MARGIN = 1.0  # seconds allowed beyond LLM_TIMEOUT for the fallback (process, queue, send)


def a_request(doctor: Doctor | None = None) -> llm.LlmRequest:
    doctor = doctor or Doctor(name="Dr. Meera Joshi", clinic_name="Joshi Family Clinic")
    return llm.build_request(
        doctor=doctor, facts="Clinic: Joshi Family Clinic", history=[("user", "Do you treat children?")], now=NOW
    )


# --- the seam ---------------------------------------------------------------------------------


def test_it_returns_the_models_answer_and_sends_key_and_model(llm_stub):
    """A 200 with choices[0].message.content is the answer; the key goes as a bearer token."""
    llm_stub.answer = "  Yes, Dr. Joshi sees children of all ages.  "
    assert llm.complete(a_request()) == "Yes, Dr. Joshi sees children of all ages."
    [body] = llm_stub.requests
    assert body["model"] == "stub-model" and body["messages"][-1] == {
        "role": "user",
        "content": "Do you treat children?",
    }
    assert llm_stub.auth == ["Bearer test-key"]


def test_it_is_off_without_a_key(llm_stub, settings):
    """With LLM_API_KEY unset the responder is off and the server is never called."""
    settings.LLM_API_KEY = ""
    assert not llm.enabled()
    assert llm.complete(a_request()) is None
    assert llm_stub.requests == []


def test_a_server_error_is_no_answer(llm_stub):
    """HTTP 500 gives None (the caller falls back to the rules)."""
    llm_stub.status = 500
    assert llm.complete(a_request()) is None
    assert len(llm_stub.requests) == 1  # one attempt: the patient is waiting


def test_a_slow_server_is_given_up_on_within_the_timeout(llm_stub, settings):
    """A server slower than LLM_TIMEOUT gives None within the timeout (plus a small margin)."""
    settings.LLM_TIMEOUT = 0.5
    llm_stub.delay = 5
    started = time.monotonic()
    assert llm.complete(a_request()) is None
    assert time.monotonic() - started < 0.5 + TIMEOUT_MARGIN


def test_an_unreachable_server_is_no_answer(settings):
    """Nothing listening on the port: None, not an exception."""
    settings.LLM_API_KEY, settings.LLM_API_BASE, settings.LLM_TIMEOUT = "k", "http://127.0.0.1:9/v1", 0.5
    assert llm.complete(a_request()) is None


@pytest.mark.parametrize("content", ['{"choices": []}', "not json"])
def test_a_malformed_body_is_no_answer(llm_stub, monkeypatch, content):
    """A body without choices[0].message.content gives None."""
    import requests

    real_post = requests.post

    def post(*args, **kwargs):
        response = real_post(*args, **kwargs)
        response._content = content.encode()
        return response

    monkeypatch.setattr(requests, "post", post)
    assert llm.complete(a_request()) is None


@pytest.mark.parametrize("content", ["HANDOFF", "HANDOFF.", "  HANDOFF\n"])
def test_the_handoff_sentinel_is_recognised(llm_stub, content):
    """The model's "HANDOFF" (alone, or with stray punctuation) comes back as llm.HANDOFF."""
    llm_stub.answer = content
    assert llm.complete(a_request()) == llm.HANDOFF


def test_an_empty_answer_is_no_answer(llm_stub):
    llm_stub.answer = "   "
    assert llm.complete(a_request()) is None


def test_a_runaway_answer_is_cut(llm_stub):
    """An answer longer than MAX_ANSWER_CHARS is cut to fit a WhatsApp message a patient reads."""
    llm_stub.answer = "a" * 5000
    assert len(llm.complete(a_request())) == llm.MAX_ANSWER_CHARS


def test_the_system_prompt_forbids_diagnosis_and_prescriptions_and_names_the_sentinel():
    """The prompt carries the clinic facts, the rules about medicine and the HANDOFF sentinel."""
    doctor = Doctor(name="Dr. Meera Joshi", clinic_name="Joshi Family Clinic", emergency_number="108")
    request = llm.build_request(
        doctor=doctor,
        facts="Fees: ₹500",
        history=[("user", f"message {n}") for n in range(12)],
        now=dt.datetime(2026, 3, 10, 4, 30, tzinfo=dt.UTC),
    )
    system = request.messages[0]["content"]
    assert request.messages[0]["role"] == "system"
    assert "Never diagnose" in system and "medicines" in system and "doctor will advise" in system
    assert "exactly HANDOFF" in system and "call 108" in system
    assert "Fees: ₹500" in system and "Joshi Family Clinic" in system
    assert "Tuesday 10 March 2026, 10:00" in system  # the clinic's local time
    assert [m["content"] for m in request.messages[1:]] == [f"message {n}" for n in range(4, 12)]


# --- through the webhook ----------------------------------------------------------------------


@pytest.fixture
def phone(transactional_db, llm_stub):
    with time_machine.travel(NOW, tick=False):
        phone = Phone(make_clinic())
        phone.send("hi")  # past the first contact, which always gets the welcome
        yield phone


def test_an_unplaced_question_is_answered_by_the_llm(phone, llm_stub):
    """The model's answer is sent; it saw the clinic facts and the conversation so far."""
    llm_stub.answer = "Yes, Dr. Joshi sees children of all ages."
    [reply] = phone.send("Do you treat small children?")
    assert reply.text == "Yes, Dr. Joshi sees children of all ages."
    assert reply.status == "delivered" and reply.wamid.startswith("wamid.SANDBOX-")
    [body] = llm_stub.requests
    system, *history = body["messages"]
    assert "12 FC Road" in system["content"] and "Mon–Sat: 10:00–13:00, 17:00–20:00" in system["content"]
    assert "Is there parking?" in system["content"]  # the FAQ entries
    assert history[0]["role"] == "user" and history[0]["content"] == "hi"
    assert history[1]["role"] == "assistant" and "Welcome to Joshi Family Clinic" in history[1]["content"]
    assert history[-1] == {"role": "user", "content": "Do you treat small children?"}


def test_the_llm_is_called_with_no_transaction_open(phone, llm_stub, monkeypatch):
    """The HTTP call never runs inside the pipeline's transaction (the patient row stays unlocked)."""
    seen = []
    real_complete = llm.complete

    def complete(request):
        seen.append(connection.in_atomic_block)
        return real_complete(request)

    monkeypatch.setattr(llm, "complete", complete)
    [reply] = phone.send("Do you treat small children?")
    assert seen == [False]
    assert reply.text == llm_stub.answer


def test_a_server_error_falls_back_to_the_menu(phone, llm_stub):
    """HTTP 500: the patient gets the rule-based answer (sorry + menu), not silence."""
    llm_stub.status = 500
    [reply] = phone.send("Do you treat small children?")
    assert reply.text.startswith("Sorry, I didn't quite get that")
    assert button_ids(reply) == ["book", "my_appointments", "talk_doctor"]


def test_a_timeout_falls_back_to_the_menu_within_the_timeout(phone, llm_stub, settings):
    """A server slower than LLM_TIMEOUT: the fallback goes out within the timeout plus a margin."""
    settings.LLM_TIMEOUT = 0.5
    llm_stub.delay = 5
    started = time.monotonic()
    [reply] = phone.send("Do you treat small children?")
    assert time.monotonic() - started < 0.5 + TIMEOUT_MARGIN
    assert reply.text.startswith("Sorry, I didn't quite get that")
    assert reply.wamid.startswith("wamid.SANDBOX-")


def test_the_handoff_sentinel_hands_the_patient_to_the_clinic_team(phone, llm_stub):
    """When the model answers HANDOFF, the bot pauses with a handoff and tells the patient."""
    llm_stub.answer = "HANDOFF"
    [reply] = phone.send("Do you accept my company's insurance card?")
    assert "clinic team to answer this" in reply.text
    patient = phone.patient
    assert patient.ai_paused and patient.handoff_requested_at is not None
    assert BotPauseLog.objects.get(patient=patient).reason == "bot could not answer"


def test_without_a_key_the_server_is_never_called(phone, llm_stub, settings):
    """LLM_API_KEY unset: unplaced questions get the rule-based answer; the stub sees nothing."""
    settings.LLM_API_KEY = ""
    [reply] = phone.send("Do you treat small children?")
    assert reply.text.startswith("Sorry, I didn't quite get that")
    assert llm_stub.requests == []


def test_the_rules_answer_first_and_the_llm_only_gets_the_rest(phone, llm_stub):
    """Timings, FAQ and booking words are answered by the rules without asking the model."""
    phone.send("what are your timings")
    phone.send("is there parking")
    phone.send("talk to doctor")
    assert llm_stub.requests == []


def test_a_first_message_gets_the_welcome_not_the_llm(transactional_db, llm_stub):
    """A newcomer's unplaced first message is greeted with the menu; the model is not asked."""
    with time_machine.travel(NOW, tick=False):
        phone = Phone(make_clinic(), wa_id=WA_ID)
        [reply] = phone.send("Do you treat small children?")
    assert "Welcome to Joshi Family Clinic" in reply.text
    assert llm_stub.requests == []


def test_several_unplaced_messages_are_answered_in_order(transactional_db, llm_stub, monkeypatch):
    """Messages waiting together are answered one by one, each with its own model answer."""
    from chat import pipeline

    answers = iter(["First answer.", "Second answer."])
    monkeypatch.setattr(llm, "complete", lambda request: next(answers))
    with time_machine.travel(NOW, tick=False):
        phone = Phone(make_clinic())
        phone.send("hi")
        monkeypatch.setattr("chat.inbound.enqueue_process", lambda patient: None)  # let them pile up
        phone.send("Do you treat children?")
        phone.send("And old people?")
        pipeline.process_inbox_now(phone.patient.pk)
    texts = list(phone.patient.messages.filter(direction="out").order_by("pk").values_list("text", flat=True))
    assert texts[-2:] == ["First answer.", "Second answer."]
