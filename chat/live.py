"""What the doctor's live page can read and do, as plain functions of (user, ids, values).

Every function derives the doctors from the logged-in user (`doctors_for`) and looks a patient
up only inside them, so a guessed id of another clinic's patient is "not found", exactly like
an id that does not exist: the page cannot learn that it exists. Writes happen in one
transaction and push their events after commit (clinicbot.events), so a live page never shows
a row that was rolled back. chat/api.py turns these into JSON; nothing here knows about HTTP.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from chat.handoff import pause_bot, staff_reply_pauses_bot
from chat.models import AlertSettings, Message, MessageTemplate
from chat.outbound import (
    WINDOW,
    WindowClosed,
    queue_reply,
    queue_template,
    retry_failed,
    window_open,
)
from chat.serializers import conversation_dict, message_dict
from chat.tasks import mark_read_on_whatsapp
from chat.whatsapp.outgoing import TEXT_BODY, OutgoingError
from clinicbot.events import push_on_commit
from clinicbot.replies import text as text_reply
from patients.access import doctors_for
from patients.events import patient_updated
from patients.models import Patient
from patients.services import patient_resume_bot

log = logging.getLogger(__name__)
# Who opened which conversation: a medical record is read, so it is written down.
audit = logging.getLogger("clinicbot.audit")

CONVERSATIONS_PAGE = 30
MESSAGES_PAGE = 50
CLIENT_ID_MAX = 64
SEARCH_MAX = 100
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))


class LiveError(Exception):
    """A request the page made that cannot be done; `status` is the HTTP status chat/api.py answers."""

    status = 400
    code = "invalid"


class Invalid(LiveError):
    status, code = 400, "invalid"


class NotFound(LiveError):
    status, code = 404, "not_found"


class Forbidden(LiveError):
    status, code = 403, "forbidden"


class Conflict(LiveError):
    status, code = 409, "conflict"


WINDOW_CLOSED_TEXT = "outside the 24-hour window: send a template"


# --- Who may see what -------------------------------------------------------------------------


def doctor_ids(*, user, requested=None) -> list[int]:
    """The doctors whose inboxes `user` works. A client-sent doctor id is never trusted: it may
    only narrow the list to one of the user's own doctors, and any other value is refused."""
    mine = list(doctors_for(user).order_by("id").values_list("id", flat=True))
    if requested is None or requested == "":
        return mine
    wanted = _int(requested, "doctorId")
    if wanted not in mine:
        raise Forbidden("doctorId is not one of your clinics")
    return [wanted]


def patient_for(*, user, patient_id, lock: bool = False) -> Patient:
    """The patient, if one of the user's doctors has them; NotFound otherwise (never Forbidden,
    so another clinic's patient ids cannot be probed)."""
    pk = _int(patient_id, "patientId")
    patients = Patient.objects.filter(pk=pk, doctor__in=doctors_for(user))
    if lock:
        patients = patients.select_for_update(of=("self",))
    patient = patients.select_related("doctor", "ai_paused_by").first()
    if patient is None:
        raise NotFound("no such patient")
    return patient


# --- Reading ------------------------------------------------------------------------------------


def conversation_row(patient: Patient, *, now: dt.datetime | None = None) -> dict:
    """One row of the conversation list, plus what the composer needs to know about the window."""
    row = conversation_dict(patient)
    row["doctor_id"] = patient.doctor_id
    row["window_open"] = window_open(patient, now)
    row["window_closes_at"] = _window_closes_at(patient.last_inbound_at)
    return row


def _window_closes_at(last_inbound_at: dt.datetime | None) -> str | None:
    """When the 24-hour window closes. A stored time near 9999-12-31 (written before timestamps
    were clamped at parse time) has no representable close: shown as none rather than a 500 for
    the whole clinic's list."""
    if last_inbound_at is None:
        return None
    try:
        return (last_inbound_at + WINDOW).isoformat()
    except OverflowError:
        return None


def conversations(*, user, q: str = "", before: str | None = None, doctor_id=None, limit: int = CONVERSATIONS_PAGE):
    """Newest conversation first, `limit` at a time, keyset-paginated on (last_message_at, id).

    Reads only the denormalised last-message fields of Patient through the index
    (doctor, -last_message_at, -id); it never touches the message table, so it costs the same
    with a thousand messages or a million. A patient with no message yet has no conversation to
    show and is not listed. The first page also carries the unread total for the page title.
    """
    ids = doctor_ids(user=user, requested=doctor_id)
    rows = conversation_queryset(doctor_ids=ids, q=q, before=parse_cursor(before) if before else None)
    page = list(rows[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    now = timezone.now()
    result = {
        "conversations": [conversation_row(p, now=now) for p in page],
        "next": make_cursor(page[-1]) if more else None,
    }
    if not before:
        total = Patient.objects.filter(doctor_id__in=ids, unread_count__gt=0).aggregate(n=Sum("unread_count"))["n"]
        result["unread_total"] = total or 0
    return result


# What a list row shows; the rest of Patient (the bot's conversation_data above all) stays unread.
ROW_FIELDS = [
    "doctor_id",
    "wa_id",
    "user_id",
    "name",
    "username",
    "ai_paused",
    "ai_paused_by__username",
    "ai_paused_at",
    "ai_pause_reason",
    "handoff_requested_at",
    "last_inbound_at",
    "last_message_at",
    "last_message_preview",
    "unread_count",
]


def conversation_queryset(*, doctor_ids: list[int], q: str = "", before: tuple[dt.datetime, int] | None = None):
    """The list query itself (the benchmark times exactly this)."""
    doctors = Q(doctor_id=doctor_ids[0]) if len(doctor_ids) == 1 else Q(doctor_id__in=doctor_ids)
    rows = Patient.objects.filter(doctors, last_message_at__isnull=False)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        match = Q(name__icontains=q) | Q(username__icontains=q)
        number = q.replace("+", "").replace(" ", "").replace("-", "")
        if number.isdigit():  # "+91 98200" finds 919820012345
            match |= Q(wa_id__contains=number)
        rows = rows.filter(match)
    if before:
        at, pk = before
        # `<=` gives the database an index range that starts at the cursor; the OR drops the ties
        # already shown (same instant, higher id).
        rows = rows.filter(last_message_at__lte=at).filter(Q(last_message_at__lt=at) | Q(id__lt=pk))
    return rows.select_related("ai_paused_by").only(*ROW_FIELDS).order_by("-last_message_at", "-id")


def make_cursor(patient: Patient) -> str:
    micros = (patient.last_message_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}_{patient.pk}"


def parse_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        micros, pk = (int(part) for part in str(cursor).split("_", 1))
        return _EPOCH + dt.timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        raise Invalid("before is not a cursor this API returned") from None


def thread(*, user, patient_id, after=None, before=None, limit: int = MESSAGES_PAGE) -> dict:
    """Messages of one conversation, oldest to newest, at most `limit`.

    No bound: the latest page (and the templates for the composer). `before=<id>`: the page just
    older than that message (scrolling up). `after=<id>`: what came after it, for catching up
    after a reconnect; call again with the last id while `has_newer` is true.
    """
    patient = patient_for(user=user, patient_id=patient_id)
    messages = Message.objects.filter(patient=patient).select_related("sender_user", "media")
    after_id = _int(after, "after", minimum=0) if after is not None else None
    before_id = _int(before, "before", minimum=0) if before is not None else None
    if before_id is not None:
        messages = messages.filter(id__lt=before_id)
    if after_id is not None:
        page = list(messages.filter(id__gt=after_id).order_by("id")[: limit + 1])
        result = {"messages": page[:limit], "has_newer": len(page) > limit}
    else:
        page = list(messages.order_by("-id")[: limit + 1])
        result = {"messages": page[:limit][::-1], "has_older": len(page) > limit}
    result["messages"] = [message_dict(m) for m in result["messages"]]
    result["patient"] = patient_details(patient)
    if after_id is None and before_id is None:
        result["templates"] = templates_for(patient.doctor_id)
    return result


def patient_details(patient: Patient) -> dict:
    """The conversation row plus what the thread header shows: the next visit and its reminder
    state (booking.reminders.ReminderState: scheduled, sent or failed and why)."""
    from booking.models import Appointment
    from booking.reminders import reminder_states

    row = conversation_row(patient)
    visit = (
        Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, start__gte=timezone.now())
        .order_by("start")
        .first()
    )
    row["next_appointment"] = visit.start.isoformat() if visit else None
    row["reminder"] = reminder_states([visit])[visit.pk].as_dict() if visit else None
    return row


def templates_for(doctor_id: int) -> list[dict]:
    return [
        {"id": t.pk, "name": t.name, "language": t.language, "body": t.body, "parameters": t.parameter_count}
        for t in MessageTemplate.objects.filter(doctor_id=doctor_id, active=True)
    ]


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
    with transaction.atomic():
        patient = patient_for(user=user, patient_id=patient_id, lock=True)
        if (earlier := _earlier_send(patient, client_id)) is not None:
            return Sent(earlier, False)
        if not window_open(patient):
            raise WindowClosed(WINDOW_CLOSED_TEXT)
        staff_reply_pauses_bot(patient=patient, user=user)
        message = _queue_once(
            lambda: queue_reply(
                patient=patient, reply=text_reply(body), sender=Message.Sender.STAFF, user=user, client_id=client_id
            )
        )
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
            pk=_int(template_id, "templateId"), doctor_id=patient.doctor_id, active=True
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
    pk = _int(message_id, "messageId")
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


def _int(value, name: str, *, minimum: int = 1) -> int:
    """An id from the client: a JSON integer or a string of digits (never a float or a bool)."""
    if value is None or value == "":
        raise Invalid(f"{name} is required")
    is_digits = isinstance(value, str) and value.isascii() and value.isdigit()
    if isinstance(value, bool) or not (isinstance(value, int) or is_digits):
        raise Invalid(f"{name} must be an integer")
    if is_digits and len(value.lstrip("0")) > MAX_ID_DIGITS:  # int() of 4,301 digits raises; 20 cannot fit
        raise Invalid(f"{name} is out of range")
    number = int(value)
    if not minimum <= number <= MAX_ID:
        raise Invalid(f"{name} is out of range")
    return number


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
