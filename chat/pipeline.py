"""process_inbox: answer a patient's unprocessed messages, oldest first, under a row lock.

Replies are inserted (queued) in the same transaction as the state change and the processed
mark, so a crash does all of it or none of it; they are sent by tasks after commit.

Before a message reaches the bot:
- a conversation the doctor left idle past `auto_resume_hours` goes back to the bot;
- a paused conversation gets no reply (the message is stored and shown to the doctor);
- a patient sending more than `flood_limit_per_minute` messages gets one "slow down" and then
  no replies until a minute under the limit (emergencies and requests for the doctor still
  get through).

A message that fails processing (a bug, a value nothing expected) never blocks the patient's
later messages: its savepoint is rolled back, it is retried MAX_PROCESS_ATTEMPTS times in all,
then parked (processed, the conversation handed to the doctor as "could not process") and the
queue moves on. A database that is down is not a message's fault: that error propagates.

When the bot needs the LLM, the transaction ends with that message still unprocessed, the
LLM is called with no transaction open, and a new transaction answers it (a crash in between
leaves it for the next run, never unanswered).
"""

import copy
import datetime as dt
import logging

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from chat import intents, llm
from chat.bot import AskLlm, LlmAnswer, respond
from chat.handoff import pause_bot, resume_if_idle
from chat.models import Message
from chat.outbound import WindowClosed, queue_reply
from clinicbot.replies import Reply, text
from patients.models import Patient

log = logging.getLogger(__name__)

FLOOD_WINDOW = dt.timedelta(minutes=1)
CONVERSATION_FIELDS = ["conversation_state", "conversation_data"]
SLOW_DOWN = text(
    "That's a lot of messages at once 🙂 I'll wait a minute before replying again. "
    "Don't worry, the clinic team can see everything you send."
)
# Understanding (triage, intents, the date parser, the LLM) sees at most this much of a message;
# the doctor still sees all of it. Understanding costs grow with the text (intents about 1 ms of
# CPU per character of date words): a 65,536-character message (WhatsApp's maximum) took 43 s of
# CPU and kept every other patient waiting; with this prefix it takes about 0.5 s
# (docs/benchmarks.md, "One long message"). No booking request or question needs more than a
# paragraph, and booking.dates reads the same 500 characters.
UNDERSTOOD_PREFIX = 500
MAX_PROCESS_ATTEMPTS = 3  # counted in Message.attempts for incoming messages
REASON_COULD_NOT_PROCESS = "could not process a message"
COULD_NOT_PROCESS = text("Sorry, I could not read that message. The clinic team will reply to you here.")
DATABASE_DOWN = (OperationalError, InterfaceError)


def process_inbox_now(patient_id: int) -> int:
    """Returns how many incoming messages were processed."""
    processed = 0
    llm_answer: LlmAnswer | None = None
    while True:
        ask: tuple[int, llm.LlmRequest] | None = None
        with transaction.atomic():
            patient = Patient.objects.select_for_update().select_related("doctor").filter(pk=patient_id).first()
            if patient is None:
                return processed
            now = timezone.now()
            if patient.ai_paused:
                resume_if_idle(patient=patient, now=now)  # updates this instance when it resumes
            pending = list(
                Message.objects.filter(patient=patient, direction=Message.Direction.IN, processed=False)
                .defer("payload")  # Meta's raw JSON: the bot reads the parsed fields, never this
                .order_by("wa_timestamp", "id")
            )
            done: list[int] = []  # marked processed in one UPDATE before this transaction ends
            for message in pending:
                if not patient.ai_paused:
                    try:
                        with transaction.atomic():  # a failure undoes this message's work only
                            outcome = _answer(
                                patient=patient, message=understood(message), now=now, llm_answer=llm_answer
                            )
                    except DATABASE_DOWN:
                        raise
                    except Exception:
                        log.exception("processing message %s of patient %s failed", message.pk, patient.pk)
                        patient.refresh_from_db()  # its savepoint rolled back what the instance holds
                        if not _failed(patient=patient, message=message):
                            _mark_processed(done)
                            return processed  # this run ends (committing what was done); a retry is queued
                        outcome = None
                    if isinstance(outcome, AskLlm):
                        ask = (message.pk, outcome.request)
                        break
                # No re-read of the patient: the bot changes this instance (state, flood mark) and a
                # pause or resume updates it too (patients.services), under this run's row lock.
                done.append(message.pk)
                processed += 1
            _mark_processed(done)
        if ask is None:
            return processed
        message_id, request = ask
        llm_answer = LlmAnswer(message_id=message_id, text=llm.complete(request))


def _mark_processed(message_ids: list[int]) -> None:
    if message_ids:
        Message.objects.filter(pk__in=message_ids).update(processed=True)


def understood(message: Message) -> Message:
    """The message as the bot is given it: its text cut to UNDERSTOOD_PREFIX (an unsaved copy)."""
    if len(message.text or "") <= UNDERSTOOD_PREFIX:
        return message
    bounded = copy.copy(message)
    bounded.text = message.text[:UNDERSTOOD_PREFIX]
    return bounded


def _failed(*, patient: Patient, message: Message) -> bool:
    """Count a failed attempt. Under the limit: queue a retry and return False. At the limit: park
    the message for the doctor and return True (the caller marks it processed and goes on)."""
    message.attempts += 1
    message.save(update_fields=["attempts"])
    if message.attempts < MAX_PROCESS_ATTEMPTS:
        from chat.tasks import process_inbox

        transaction.on_commit(lambda: process_inbox.enqueue(patient.pk))
        return False
    log.error("message %s of patient %s parked after %s failed attempts", message.pk, patient.pk, message.attempts)
    pause_bot(patient=patient, reason=REASON_COULD_NOT_PROCESS, handoff=True)
    _queue(patient=patient, replies=[COULD_NOT_PROCESS])
    return True


def _answer(*, patient: Patient, message: Message, now: dt.datetime, llm_answer: LlmAnswer | None) -> AskLlm | None:
    if _flood_silences(patient=patient, message=message, now=now):
        return None
    before = (patient.conversation_state, patient.conversation_data)
    outcome = respond(patient=patient, message=message, now=now, llm_answer=llm_answer)
    if (patient.conversation_state, patient.conversation_data) != before:
        # The only writer of the conversation state: the booking flow returns it, the bot sets it.
        patient.save(update_fields=CONVERSATION_FIELDS)
    if isinstance(outcome, AskLlm):
        return outcome
    _queue(patient=patient, replies=outcome)
    return None


def _queue(*, patient: Patient, replies: list[Reply]) -> None:
    for reply in replies:
        try:
            queue_reply(patient=patient, reply=reply)
        except WindowClosed:
            log.info("bot reply to patient %s skipped: outside the 24-hour window", patient.pk)


def _flood_silences(*, patient: Patient, message: Message, now: dt.datetime) -> bool:
    """The flood guard. Returns True when the bot must not answer this message normally.

    Over the limit: the first time, one "slow down" (recorded in flood_warned_at); after that,
    silence. Back under the limit: the warning is forgotten and the bot answers again.
    Emergencies and requests for the doctor are never silenced.
    """
    limit = patient.doctor.flood_limit_per_minute
    if not limit or messages_in_last_minute(message) <= limit:
        if patient.flood_warned_at is not None:
            patient.flood_warned_at = None
            patient.save(update_fields=["flood_warned_at"])
        return False
    said, reply_id = message.text or "", message.reply_id or ""
    if (
        intents.is_emergency(said)
        or intents.classify(text=said, reply_id=reply_id).intent == intents.Intent.TALK_DOCTOR
    ):
        return False
    if patient.flood_warned_at is None:
        patient.flood_warned_at = now
        patient.save(update_fields=["flood_warned_at"])
        _queue(patient=patient, replies=[SLOW_DOWN])
        log.info("patient %s is flooding (limit %s/min): warned once", patient.pk, limit)
    return True


def messages_in_last_minute(message: Message) -> int:
    """The patient's incoming messages in the minute up to and including this one, by the time
    WhatsApp gives (our arrival time when it gave none). Messages after it in inbox order do not
    count, so a backlog is judged as it happened."""
    at = message.wa_timestamp or message.created_at
    try:
        recent = Q(at__gt=at - FLOOD_WINDOW)
    except OverflowError:  # stamped in year 1 (stored before timestamps were clamped): nothing is earlier
        recent = Q(at__gte=at)
    return (
        Message.objects.filter(patient_id=message.patient_id, direction=Message.Direction.IN)
        .annotate(at=Coalesce("wa_timestamp", "created_at"))
        .filter(recent)
        .filter(Q(at__lt=at) | Q(at=at, pk__lte=message.pk))
        .count()
    )
