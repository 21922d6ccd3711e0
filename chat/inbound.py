"""What arrives from Meta: messages stored exactly once (wamid is unique), statuses applied in
order (sent < delivered < read, never backwards; failed keeps Meta's code), and the patient's
inbox processed after commit.

Nothing one message or status holds can stop the others of its body: each is stored on its own,
and one that cannot be used is logged and reported back, so the view keeps the raw body and
still answers 200. Only a database that is down (OperationalError, InterfaceError) escapes as a
5xx, which makes Meta retry.
"""

import dataclasses
import logging

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Case, F, Q, Value, When

from chat.models import Message, PendingStatus, RawWebhook
from chat.outbound import message_id_from_callback, status_event
from chat.serializers import message_dict
from chat.whatsapp.body import clean_text, storable_json
from chat.whatsapp.payloads import Batch, Inbound, Status
from clinicbot.events import push_on_commit
from patients.models import Doctor, Patient
from patients.services import patient_event

log = logging.getLogger(__name__)

STATUS_RANK = {Message.Status.SENT: 1, Message.Status.DELIVERED: 2, Message.Status.READ: 3}
PREVIEW = 120
INT_MAX = 2**31 - 1  # an IntegerField column
DATABASE_DOWN = (OperationalError, InterfaceError)
# What the patient.updated event reads after the update (patients.services.patient_event).
EVENT_FIELDS = ["unread_count", "ai_paused", "ai_paused_by", "ai_paused_at", "ai_pause_reason", "handoff_requested_at"]


def handle_batch(batch: Batch) -> tuple[dict, list[str]]:
    """Store everything in one webhook POST. Returns counts (for the log and the benchmark) and
    what could not be used, for the raw copy the view keeps."""
    stored = duplicates = statuses = 0
    unusual: list[str] = []
    for problem in batch.problems:
        log.warning("webhook problem: %s %s", problem.reason, str(problem.raw)[:500])
        unusual.append(problem.reason)
    for ignored in batch.ignored:
        log.info("webhook %s ignored", ignored.kind)
    for inbound in batch.inbound:
        if inbound.timestamp_replaced:
            unusual.append(
                f"message {inbound.wamid[:80]!r}: timestamp {_shown(inbound.raw)} replaced by the receipt time"
            )
        try:
            message = store_inbound(inbound, unusual=unusual)
        except DATABASE_DOWN:
            raise
        except Exception as error:  # a bug or a value no column takes: this message only
            log.exception("message %r could not be stored", inbound.wamid[:80])
            unusual.append(f"message {inbound.wamid[:80]!r} not stored: {type(error).__name__}")
            continue
        if message is None:
            duplicates += 1
        else:
            stored += 1
    for status in batch.statuses:
        if status.timestamp_replaced:
            unusual.append(
                f"status for {status.wamid[:80]!r}: timestamp {_shown(status.raw)} replaced by the receipt time"
            )
        try:
            apply_status(status)
        except DATABASE_DOWN:
            raise
        except Exception as error:
            log.exception("status %s for %r could not be applied", status.status, status.wamid[:80])
            unusual.append(f"status for {status.wamid[:80]!r} not applied: {type(error).__name__}")
            continue
        statuses += 1
    return {"stored": stored, "duplicates": duplicates, "statuses": statuses}, unusual


def _shown(raw: dict) -> str:
    return repr(raw.get("timestamp"))[:40]


def keep_raw(*, body: bytes, reasons: list[str]) -> RawWebhook:
    """Keep a signed body that was not fully usable, with why, for the operator (and replay)."""
    reason = "; ".join(dict.fromkeys(reasons))
    return RawWebhook.objects.create(body=body, reason=clean_text(reason)[:300])


def store_inbound(inbound: Inbound, *, unusual: list[str] | None = None) -> Message | None:
    """Insert one patient message; a redelivery inserts nothing and triggers nothing. A message
    that cannot be stored returns None too, and says why in `unusual`."""
    unusual = [] if unusual is None else unusual
    checked = storable(inbound)
    if checked is None:
        unusual.append(f"message {inbound.wamid[:80]!r} with an unstorable id dropped")
        return None
    inbound = checked
    doctor = Doctor.objects.filter(phone_number_id=inbound.phone_number_id).first()
    if doctor is None:
        log.warning("message %s for unknown phone_number_id %s dropped", inbound.wamid, inbound.phone_number_id)
        unusual.append(f"message for unknown phone_number_id {inbound.phone_number_id}")
        return None
    # No SELECT for the wamid first: its unique index decides, in the insert itself (one statement
    # fewer per message; a redelivery, the rare case, pays a rolled-back savepoint instead).
    try:
        with transaction.atomic():
            patient = find_or_create_patient(doctor=doctor, inbound=inbound)
            message = Message.objects.create(
                doctor=doctor,
                patient=patient,
                direction=Message.Direction.IN,
                type=inbound.type,
                text=inbound.text,
                reply_id=inbound.reply_id,
                payload=inbound.raw,
                wamid=inbound.wamid,
                status=Message.Status.RECEIVED,
                sender=Message.Sender.PATIENT,
                wa_timestamp=inbound.timestamp,
            )
            _touch_patient(patient=patient, inbound=inbound)
            patient.refresh_from_db(fields=EVENT_FIELDS)
            push_on_commit(doctor_id=doctor.pk, event={"type": "message.created", "message": message_dict(message)})
            push_on_commit(doctor_id=doctor.pk, event=patient_event(patient))
            transaction.on_commit(lambda: enqueue_process(patient, doctor))
    except IntegrityError:
        # A redelivery (or two deliveries racing): the wamid is stored already, nothing to do.
        if Message.objects.filter(wamid=inbound.wamid).exists():
            return None
        raise
    return message


def storable(inbound: Inbound) -> Inbound | None:
    """The message as the database can hold it, or None (logged) when one of its ids cannot be.

    Meta sends neither NUL characters (PostgreSQL refuses them), lone surrogates (not UTF-8) nor
    ids wider than our columns, but a broken or hostile sender might, and the resulting database
    error would be a 500 that makes Meta redeliver the same body for days. Text is cleaned; an id
    that is not storable as it is cannot be a real one, so the message is dropped.
    """
    ids = [
        (inbound.phone_number_id, Doctor, "phone_number_id"),
        (inbound.wamid, Message, "wamid"),
        (inbound.wa_id, Patient, "wa_id"),
        (inbound.user_id, Patient, "user_id"),
    ]
    for value, model, name in ids:
        if value is not None and not _storable_id(value, model, name):
            log.warning("message with an unstorable %s %r dropped", name, value[:80])
            return None
    return dataclasses.replace(
        inbound,
        text=clean_text(inbound.text),
        reply_id=clean_text(inbound.reply_id, _width(Message, "reply_id")),
        profile_name=clean_text(inbound.profile_name, _width(Patient, "name")),
        username=clean_text(inbound.username, _width(Patient, "username")),
        raw=storable_json(inbound.raw),
    )


def _width(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _storable_id(value: str, model, name: str) -> bool:
    return len(value) <= _width(model, name) and clean_text(value) == value


def enqueue_process(patient: Patient, doctor: Doctor) -> None:
    from chat.sandbox import sandbox_patient_read
    from chat.tasks import process_inbox
    from chat.whatsapp.transport import sandbox_enabled

    if sandbox_enabled(doctor):
        patient.doctor = doctor
        sandbox_patient_read(patient=patient)
    process_inbox.enqueue(patient.pk)


def find_or_create_patient(*, doctor: Doctor, inbound: Inbound) -> Patient:
    """Find by phone number or by Meta's user id, filling in whichever the row lacked."""
    patient = None
    if inbound.wa_id:
        patient = Patient.objects.filter(doctor=doctor, wa_id=inbound.wa_id).first()
    if patient is None and inbound.user_id:
        patient = Patient.objects.filter(doctor=doctor, user_id=inbound.user_id).first()
    if patient is None:
        with transaction.atomic():  # savepoint: a racing webhook may create the same patient
            try:
                return Patient.objects.create(
                    doctor=doctor,
                    wa_id=inbound.wa_id or None,
                    user_id=inbound.user_id or None,
                    name=inbound.profile_name or "",
                    username=inbound.username or "",
                )
            except IntegrityError:
                pass
        return Patient.objects.get(
            doctor=doctor, **({"wa_id": inbound.wa_id} if inbound.wa_id else {"user_id": inbound.user_id})
        )
    updates = {}
    if inbound.wa_id and not patient.wa_id:
        updates["wa_id"] = inbound.wa_id
    if inbound.user_id and not patient.user_id:
        updates["user_id"] = inbound.user_id
    if inbound.profile_name and not patient.name:
        updates["name"] = inbound.profile_name
    if inbound.username and patient.username != inbound.username:
        updates["username"] = inbound.username
    if updates:
        for field, value in updates.items():
            setattr(patient, field, value)
        patient.save(update_fields=list(updates))
    return patient


def _touch_patient(*, patient: Patient, inbound: Inbound) -> None:
    """Denormalised inbox fields, written with an UPDATE so a late, older message never moves
    last_inbound_at backwards and a concurrent page write is not overwritten."""
    older = Q(last_inbound_at__gt=inbound.timestamp)  # a newer message is already shown: keep it

    def unless_older(field: str, value):
        return Case(When(older, then=F(field)), default=Value(value))

    Patient.objects.filter(pk=patient.pk).update(  # one statement: the counter and the row together
        unread_count=F("unread_count") + 1,
        last_inbound_at=unless_older("last_inbound_at", inbound.timestamp),
        last_message_at=unless_older("last_message_at", inbound.timestamp),
        last_message_preview=unless_older("last_message_preview", (inbound.text or f"[{inbound.type}]")[:PREVIEW]),
        window_closed_at=Case(When(older, then=F("window_closed_at")), default=None),
    )


def apply_status(status: Status) -> None:
    """Move an outgoing message forward (sent < delivered < read) or to failed; keep a status
    for a message we have not stored yet and apply it when the message appears."""
    if not _storable_id(status.wamid, Message, "wamid"):
        log.warning("status %s for an unstorable wamid %r dropped", status.status, status.wamid[:80])
        return
    # Cleaned as store_inbound cleans messages: a database error here would be a 500 to Meta.
    status = dataclasses.replace(
        status,
        error_code=status.error_code if status.error_code is None or abs(status.error_code) <= INT_MAX else None,
        error_title=clean_text(status.error_title or "", _width(PendingStatus, "error_title")),
    )
    with transaction.atomic():
        message = (
            Message.objects.select_for_update().filter(wamid=status.wamid, direction=Message.Direction.OUT).first()
        )
        if message is None:
            message = _adopt(status)
        if message is None:
            PendingStatus.objects.create(
                wamid=status.wamid,
                status=status.status,
                timestamp=status.timestamp,
                error_code=status.error_code,
                error_title=status.error_title or "",
            )
            # Our send may have stored this wamid while we looked: check again once committed.
            transaction.on_commit(lambda: apply_pending_statuses(status.wamid))
            return
        if _advance(
            message,
            status=status.status,
            at=status.timestamp,
            error_code=status.error_code,
            error_title=status.error_title,
        ):
            push_on_commit(doctor_id=message.doctor_id, event=status_event(message))


def _adopt(status: Status) -> Message | None:
    """The outgoing message this status names in biz_opaque_callback_data, given the status's wamid,
    when its send got no answer (or its wamid is not stored yet): the send reached Meta after all,
    so nothing is resent. None when the status is not ours or the message already has a wamid
    (then an earlier attempt was delivered too, which is logged)."""
    message_id = message_id_from_callback(status.callback_data)
    if message_id is None:
        return None
    message = Message.objects.select_for_update().filter(pk=message_id, direction=Message.Direction.OUT).first()
    if message is None:
        return None
    if message.wamid:
        log.warning(
            "status %s for message %s names wamid %s, not its %s",
            status.status,
            message_id,
            status.wamid,
            message.wamid,
        )
        return None
    message.wamid = status.wamid
    fields = ["wamid"]
    if message.status in (Message.Status.QUEUED, Message.Status.SENDING, Message.Status.UNKNOWN, Message.Status.FAILED):
        message.status, message.error_code, message.error_title = Message.Status.SENT, None, ""
        fields += ["status", "error_code", "error_title"]
    if message.sent_at is None:
        message.sent_at = status.timestamp
        fields.append("sent_at")
    message.save(update_fields=fields)
    log.info("message %s adopted wamid %s from a status webhook", message_id, status.wamid)
    push_on_commit(doctor_id=message.doctor_id, event=status_event(message))
    return message


def apply_pending_statuses(wamid: str) -> None:
    """Statuses that overtook their message (Meta does not keep order), applied now."""
    with transaction.atomic():
        pending = list(PendingStatus.objects.select_for_update().filter(wamid=wamid).order_by("timestamp", "id"))
        message = Message.objects.select_for_update().filter(wamid=wamid, direction=Message.Direction.OUT).first()
        if not pending or message is None:
            return
        changed = False
        for p in pending:
            changed |= _advance(
                message, status=p.status, at=p.timestamp, error_code=p.error_code, error_title=p.error_title
            )
        PendingStatus.objects.filter(pk__in=[p.pk for p in pending]).delete()
        if changed:
            push_on_commit(doctor_id=message.doctor_id, event=status_event(message))


def _advance(message: Message, *, status: str, at, error_code: int | None, error_title: str) -> bool:
    """Apply one status to a locked message row. Returns whether anything changed."""
    fields = []
    if status == Message.Status.FAILED:
        if message.status == Message.Status.READ:
            return False  # read by the patient: a late failure report cannot undo that
        message.status, message.error_code, message.error_title = (
            Message.Status.FAILED,
            error_code,
            (error_title or "")[:300],
        )
        fields += ["status", "error_code", "error_title"]
    elif status in STATUS_RANK:
        if status == Message.Status.DELIVERED and not message.delivered_at:
            message.delivered_at = at
            fields.append("delivered_at")
        if status == Message.Status.READ and not message.read_at:
            message.read_at = at
            fields.append("read_at")
        if message.status != Message.Status.FAILED and STATUS_RANK[status] > STATUS_RANK.get(message.status, 0):
            message.status = status
            fields.append("status")
    if fields:
        message.save(update_fields=fields)
    return "status" in fields
