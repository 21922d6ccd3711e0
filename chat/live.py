"""What the doctor's live page can read and do, as plain functions of (user, ids, values).

Every function derives the doctors from the logged-in user (`doctors_for`) and looks a patient
up only inside them, so a guessed id of another clinic's patient is "not found", exactly like
an id that does not exist: the page cannot learn that it exists. Writes happen in one
transaction and push their events after commit (clinicbot.events), so a live page never shows
a row that was rolled back. chat/api.py turns these into JSON; nothing here knows about HTTP.

This module holds the writes and the alert switch; the reads are chat/live_reads.py and who may
see what chat/live_access.py, both imported back here so callers use chat.live for all of it.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from chat.handoff import pause_bot, staff_reply_pauses_bot
from chat.live_access import (
    MAX_ID,
    MAX_ID_DIGITS,
    Conflict,
    Forbidden,
    Invalid,
    LiveError,
    NotFound,
    doctor_ids,
    id_from_client,
    patient_for,
)
from chat.live_reads import (
    CONVERSATIONS_PAGE,
    MESSAGES_PAGE,
    ROW_FIELDS,
    SEARCH_MAX,
    conversation_queryset,
    conversation_row,
    conversations,
    make_cursor,
    parse_cursor,
    patient_details,
    templates_for,
    thread,
)
from chat.models import AlertSettings, Message, MessageTemplate
from chat.outbound import WindowClosed, queue_reply, queue_template, retry_failed, window_open
from chat.tasks import mark_read_on_whatsapp
from chat.whatsapp.outgoing import TEXT_BODY, OutgoingError
from clinicbot.events import push_on_commit
from clinicbot.replies import text as text_reply
from patients.access import doctors_for
from patients.events import patient_updated
from patients.models import Patient
from patients.services import patient_resume_bot

# What callers (chat/api.py, chat/views.py, chat/live_files.py, tests, bench) find here.
__all__ = [
    "CLIENT_ID_MAX",
    "CONVERSATIONS_PAGE",
    "MAX_ID",
    "MAX_ID_DIGITS",
    "MESSAGES_PAGE",
    "ROW_FIELDS",
    "SEARCH_MAX",
    "WINDOW_CLOSED_TEXT",
    "Conflict",
    "Forbidden",
    "Invalid",
    "LiveError",
    "NotFound",
    "Sent",
    "conversation_queryset",
    "conversation_row",
    "conversations",
    "doctor_ids",
    "emergency_alerts",
    "make_cursor",
    "mark_read",
    "parse_cursor",
    "patient_details",
    "patient_for",
    "retry",
    "send_template",
    "send_text",
    "set_bot_paused",
    "set_emergency_alerts",
    "templates_for",
    "thread",
]

log = logging.getLogger(__name__)
# Who opened which conversation: a medical record is read, so it is written down.
audit = logging.getLogger("clinicbot.audit")

CLIENT_ID_MAX = 64
WINDOW_CLOSED_TEXT = "outside the 24-hour window: send a template"


# --- Writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool


def send_text(*, user, patient_id, body, client_id=None) -> Sent:
    """A staff reply, through the same outbound pipeline as the bot's (queued → sent or failed).

    The bot is paused for the patient in the same transaction: once a person has answered, the
    bot must not talk over them. The same `client_id` again returns the first message and sends
    nothing (the page retries a send whose answer it never got).
    """
    body = _message_body(body)
    client_id = _client_id(client_id)
    return queue_staff_send(
        user=user,
        patient_id=patient_id,
        client_id=client_id,
        queue=lambda patient: queue_reply(
            patient=patient, reply=text_reply(body), sender=Message.Sender.STAFF, user=user, client_id=client_id
        ),
    )


def queue_staff_send(*, user, patient_id, client_id, queue) -> Sent:
    """What every staff send does under the patient's lock: the same `client_id` again returns the
    first message, outside the 24-hour window is refused, the bot is paused, and `queue(patient)`
    stores the message once (a text here, a file in chat/live_files.py)."""
    with transaction.atomic():
        patient = patient_for(user=user, patient_id=patient_id, lock=True)
        if (earlier := _earlier_send(patient, client_id)) is not None:
            return Sent(earlier, False)
        if not window_open(patient):
            raise WindowClosed(WINDOW_CLOSED_TEXT)
        staff_reply_pauses_bot(patient=patient, user=user)
        message = _queue_once(lambda: queue(patient))
    return Sent(message, True)


def send_template(*, user, patient_id, template_id, params, client_id=None) -> Sent:
    """An approved template, the only thing WhatsApp lets a clinic send outside the 24-hour window."""
    client_id = _client_id(client_id)
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        raise Invalid("params must be a list of strings")
    params = [p.strip() for p in params]
    with transaction.atomic():
        patient = patient_for(user=user, patient_id=patient_id, lock=True)
        template = MessageTemplate.objects.filter(
            pk=id_from_client(template_id, "templateId"), doctor_id=patient.doctor_id, active=True
        ).first()
        if template is None:
            raise NotFound("no such template")
        if (earlier := _earlier_send(patient, client_id)) is not None:
            return Sent(earlier, False)
        if len(params) != template.parameter_count:
            raise Invalid(f"template {template.name} takes {template.parameter_count} parameters, got {len(params)}")
        staff_reply_pauses_bot(patient=patient, user=user)
        message = _queue_once(
            lambda: queue_template(patient=patient, template=template, params=params, user=user, client_id=client_id)
        )
    return Sent(message, True)


def retry(*, user, message_id) -> Message:
    """Send a failed outgoing message again (the Retry button)."""
    pk = id_from_client(message_id, "messageId")
    message = (
        Message.objects.select_related("patient", "sender_user").filter(pk=pk, doctor__in=doctors_for(user)).first()
    )
    if message is None:
        raise NotFound("no such message")
    if message.direction != Message.Direction.OUT or message.status != Message.Status.FAILED:
        raise Conflict("only a failed outgoing message can be retried")
    if message.sender == Message.Sender.BOT and message.patient.ai_paused:
        raise Conflict("the bot is paused for this patient: write your own reply instead")
    if message.type != Message.Type.TEMPLATE and not window_open(message.patient):
        raise WindowClosed(WINDOW_CLOSED_TEXT)
    if not retry_failed(message=message):
        raise Conflict("the message is no longer failed")
    message.refresh_from_db()
    return message


def set_bot_paused(*, user, patient_id, pause) -> dict:
    """The Pause AI / Resume AI switch. Returns the patient's row as it is now."""
    if not isinstance(pause, bool):
        raise Invalid("pause must be true or false")
    with transaction.atomic():
        patient = patient_for(user=user, patient_id=patient_id, lock=True)
        if pause:
            pause_bot(patient=patient, by=user, reason="paused by staff")
        else:
            patient_resume_bot(patient=patient, by=user, reason="resumed by staff")
    return patient_details(Patient.objects.select_related("ai_paused_by").get(pk=patient.pk))


def mark_read(*, user, patient_id) -> dict:
    """The conversation was opened: its unread count goes to zero on every page watching it."""
    patient = patient_for(user=user, patient_id=patient_id)
    with transaction.atomic():
        if Patient.objects.filter(pk=patient.pk, unread_count__gt=0).update(unread_count=0):
            patient.refresh_from_db()
            push_on_commit(doctor_id=patient.doctor_id, event=patient_updated(patient))
            transaction.on_commit(lambda: mark_read_on_whatsapp.enqueue(patient.pk))
    audit.info("user %s opened the conversation of patient %s", user.pk, patient.pk)
    return conversation_row(patient)


# --- Small checks -------------------------------------------------------------------------------


def _message_body(body) -> str:
    if not isinstance(body, str):
        raise Invalid("messageBody is required and must be a string")
    body = body.strip()
    if not body:
        raise Invalid("messageBody is empty")
    if len(body) > TEXT_BODY:
        raise Invalid(f"messageBody is {len(body)} characters; WhatsApp allows {TEXT_BODY}")
    return body


def _client_id(client_id) -> str | None:
    if client_id is None:
        return None
    if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > CLIENT_ID_MAX:
        raise Invalid(f"clientId must be a non-empty string of at most {CLIENT_ID_MAX} characters")
    return client_id


def _earlier_send(patient: Patient, client_id: str | None) -> Message | None:
    """The message an earlier request with this client id created, if any (idempotent sends)."""
    if client_id is None:
        return None
    earlier = (
        Message.objects.select_related("sender_user").filter(doctor_id=patient.doctor_id, client_id=client_id).first()
    )
    if earlier is not None and earlier.patient_id != patient.pk:
        raise Conflict("clientId was already used for a message to another patient")
    return earlier


def _queue_once(queue) -> Message:
    """Insert in a savepoint: a concurrent duplicate client id becomes a clear 409, not a 500."""
    try:
        with transaction.atomic():
            return queue()
    except IntegrityError:
        raise Conflict("clientId was already used") from None
    except OutgoingError as error:
        raise Invalid(str(error)) from None


# --- Alerts -------------------------------------------------------------------------------------


def emergency_alerts(*, user) -> bool:
    """Whether the user's live page rings and notifies for an emergency (on by default)."""
    return AlertSettings.objects.filter(user=user).values_list("emergency_alerts", flat=True).first() is not False


def set_emergency_alerts(*, user, on) -> bool:
    if not isinstance(on, bool):
        raise Invalid("emergencyAlerts must be true or false")
    AlertSettings.objects.update_or_create(user=user, defaults={"emergency_alerts": on})
    return on
