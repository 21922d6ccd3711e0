"""Stepping aside for the doctor: pauses, staff replies, resumes, and nothing stale sent after a pause."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from chat import handoff, outbound
from chat.models import Message
from chat.outbound import queue_reply, send_message_now
from chat.pipeline import process_inbox_now
from chat.tests.phone import NOW, Phone, make_clinic
from clinicbot.replies import Reply, text
from patients.models import BotPauseLog, Patient
from patients.services import patient_pause_bot, patient_resume_bot

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def travel(transactional_db, settings):
    settings.LLM_API_KEY = ""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def phone(travel):
    phone = Phone(make_clinic())
    phone.send("hi")
    return phone


@pytest.fixture
def staff(django_user_model, phone):
    user = django_user_model.objects.create_user(username="frontdesk", password="x")
    phone.doctor.members.add(user)
    return user


@pytest.fixture
def pushed(monkeypatch):
    events: list[dict] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append(event))
    return events


def staff_replies(patient: Patient, user, words: str) -> Message:
    """What the live-chat send does: queue the staff message and pause the bot, in one transaction."""
    with transaction.atomic():
        message = queue_reply(patient=patient, reply=text(words), sender=Message.Sender.STAFF, user=user)
        handoff.staff_reply_pauses_bot(patient=patient, user=user)
    return message


def test_a_paused_patient_gets_no_bot_reply_but_every_message_is_stored_and_shown(phone, pushed):
    """Ten messages while paused: ten stored and pushed to the doctor's page, zero bot replies."""
    handoff.pause_bot(patient=phone.patient, reason="paused by staff")
    replies = [reply for n in range(10) for reply in phone.send(f"hello {n}, anyone there?")]
    assert replies == []
    incoming = Message.objects.filter(patient=phone.patient, direction="in", text__startswith="hello")
    assert incoming.count() == 10 and not incoming.filter(processed=False).exists()
    created = [e for e in pushed if e["type"] == "message.created" and e["message"]["direction"] == "in"]
    assert len(created) == 10


def test_a_staff_reply_pauses_the_bot_in_the_same_transaction(phone, staff):
    """A person answering by hand stops the bot: paused by them, reason "doctor replied"."""
    sent = staff_replies(phone.patient, staff, "Hello Rahul, Dr. Joshi here.")
    patient = phone.patient
    assert patient.ai_paused and patient.ai_paused_by == staff and patient.ai_pause_reason == "doctor replied"
    assert patient.bot_state == Patient.BotState.DOCTOR
    log = BotPauseLog.objects.get(patient=patient)
    assert (log.paused, log.by, log.reason, log.at) == (True, staff, "doctor replied", NOW)
    sent.refresh_from_db()
    assert sent.wamid.startswith("wamid.SANDBOX-")  # the staff message itself goes out
    assert phone.send("thank you doctor, what are the timings?") == []


def test_a_staff_reply_answers_a_handoff_request(phone, staff, pushed):
    """ "needs doctor" becomes "doctor" once a person replies; the page is told."""
    phone.tap("talk_doctor", "Talk to doctor")
    assert phone.patient.bot_state == Patient.BotState.NEEDS_DOCTOR
    pushed.clear()
    staff_replies(phone.patient, staff, "Hello, how can I help?")
    assert phone.patient.bot_state == Patient.BotState.DOCTOR
    updates = [e["patient"] for e in pushed if e["type"] == "patient.updated"]
    assert updates[-1]["bot_state"] == "doctor" and updates[-1]["handoff_requested"] is False


def test_a_staff_reply_is_rolled_back_with_its_pause(phone, staff):
    """If the send transaction fails, the pause does not happen either."""
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_reply(patient=phone.patient, reply=text("Hello"), sender=Message.Sender.STAFF, user=staff)
        handoff.staff_reply_pauses_bot(patient=phone.patient, user=staff)
        raise RuntimeError("the send failed")
    assert not phone.patient.ai_paused and not BotPauseLog.objects.exists()


def test_after_a_resume_the_next_message_is_answered(phone, staff):
    """The doctor hands back: the next message gets a bot reply, and the resume is logged."""
    staff_replies(phone.patient, staff, "Done, take care.")
    assert phone.send("ok thanks") == []
    assert patient_resume_bot(patient=phone.patient, by=staff, reason="resumed by staff")
    [reply] = phone.send("what are your timings?")
    assert "10:00–13:00" in reply.text
    assert [(log.paused, log.by, log.reason) for log in BotPauseLog.objects.order_by("pk")] == [
        (True, staff, "doctor replied"),
        (False, staff, "resumed by staff"),
    ]


def test_a_bot_reply_queued_before_a_pause_is_not_sent_after_it(phone, monkeypatch, pushed):
    """pause_bot cancels the bot's queued replies; their send task then sends nothing."""
    waiting: list[int] = []
    monkeypatch.setattr(outbound, "enqueue_send", lambda message_id, **kw: waiting.append(message_id))
    with transaction.atomic():
        stale = queue_reply(patient=phone.patient, reply=Reply(text="Here are the slots for tomorrow…"))
    handoff.pause_bot(patient=phone.patient, reason="paused by staff")
    assert send_message_now(stale.pk) == "skipped"
    stale.refresh_from_db()
    assert stale.status == Message.Status.FAILED and stale.wamid is None
    assert stale.error_title.startswith("Not sent: the bot was paused")
    assert any(e["type"] == "message.status" and e["message"]["id"] == stale.pk for e in pushed)


def test_a_bot_reply_claimed_before_a_pause_is_rechecked_just_before_sending(phone, monkeypatch):
    """Even a reply the cancel did not catch is refused at send time once the bot is paused."""
    monkeypatch.setattr(outbound, "enqueue_send", lambda message_id, **kw: None)
    with transaction.atomic():
        stale = queue_reply(patient=phone.patient, reply=Reply(text="Here are the slots…"))
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
        patient_pause_bot(patient=phone.patient, reason="paused by staff")  # no cancel: as if raced
        send_message_now(stale.pk)
    stale.refresh_from_db()
    assert stale.status == Message.Status.FAILED and stale.wamid is None


def test_a_handoff_cancels_an_earlier_reply_in_the_same_batch_and_still_tells_the_patient(phone, monkeypatch):
    """ "hi" and "talk to doctor" processed together: the welcome is dropped, the handoff reply goes out."""
    monkeypatch.setattr("chat.inbound.enqueue_process", lambda patient: None)
    phone.send("what are your timings?")
    phone.send("talk to doctor")
    process_inbox_now(phone.patient.pk)
    timings, told = phone.patient.messages.filter(direction="out").order_by("pk")[1:]
    assert "10:00–13:00" in timings.text and timings.status == Message.Status.FAILED
    assert "reply to you here soon" in told.text and told.wamid.startswith("wamid.SANDBOX-")


# --- auto-resume ------------------------------------------------------------------------------


def test_an_idle_pause_resumes_when_the_next_message_arrives(phone, travel):
    """With auto_resume_hours=4, a handoff nobody answered for 5 hours goes back to the bot."""
    phone.doctor.auto_resume_hours = 4
    phone.doctor.save(update_fields=["auto_resume_hours"])
    phone.tap("talk_doctor", "Talk to doctor")
    travel.shift(5 * HOUR)
    [reply] = phone.send("what are your timings?")
    assert "10:00–13:00" in reply.text
    assert not phone.patient.ai_paused
    assert [(log.paused, log.by, log.reason, log.at) for log in BotPauseLog.objects.order_by("pk")] == [
        (True, None, "patient asked", NOW),
        (False, None, "auto-resume", NOW + 5 * HOUR),
    ]


def test_a_staff_message_restarts_the_auto_resume_clock(phone, staff, travel):
    """Idle time counts from the last staff message, not from the pause."""
    phone.doctor.auto_resume_hours = 4
    phone.doctor.save(update_fields=["auto_resume_hours"])
    phone.tap("talk_doctor", "Talk to doctor")
    travel.shift(2 * HOUR)
    staff_replies(phone.patient, staff, "Let me check your reports.")
    travel.shift(3 * HOUR)
    assert phone.send("any update?") == []  # 3 h after the staff message
    travel.shift(2 * HOUR)
    assert phone.send("hello?") != []  # 5 h after it
    assert BotPauseLog.objects.filter(paused=False, reason="auto-resume").count() == 1


def test_without_auto_resume_hours_the_bot_stays_paused(phone, travel):
    """Auto-resume is off by default: after 100 hours the doctor still has the conversation."""
    phone.tap("talk_doctor", "Talk to doctor")
    travel.shift(100 * HOUR)
    assert phone.send("hello?") == []
    assert phone.patient.ai_paused


def test_resume_idle_bots_command_resumes_only_idle_conversations(travel, capsys):
    """The cron command resumes the idle ones, leaves the rest, and is safe to run again."""
    clinic = make_clinic(auto_resume_hours=2)
    other = make_clinic(phone_number_id="999", name="Dr. Other")  # auto-resume off
    idle, recent, elsewhere = (
        Patient.objects.create(doctor=clinic, wa_id="911"),
        Patient.objects.create(doctor=clinic, wa_id="912"),
        Patient.objects.create(doctor=other, wa_id="913"),
    )
    for patient in (idle, elsewhere):
        handoff.pause_bot(patient=patient, reason="paused by staff")
    travel.shift(HOUR)
    handoff.pause_bot(patient=recent, reason="paused by staff")
    travel.shift(1.5 * HOUR)
    call_command("resume_idle_bots")
    call_command("resume_idle_bots")
    assert capsys.readouterr().out.splitlines() == [
        "Resumed the bot for 1 patient(s).",
        "Resumed the bot for 0 patient(s).",
    ]
    assert [Patient.objects.get(pk=p.pk).ai_paused for p in (idle, recent, elsewhere)] == [False, True, True]
    assert BotPauseLog.objects.get(patient=idle, paused=False).reason == "auto-resume"
