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

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from chat.events import message_created
from chat.inbox_queue import enqueue_inbox
from chat.media import create_pending, fetch_after_commit
from chat.models import Message, RawWebhook
from chat.statuses import apply_status
from chat.whatsapp import signature
from chat.whatsapp.body import clean_text, decode, storable_json
from chat.whatsapp.payloads import Batch, Inbound, parse_webhook
from clinicbot.events import after_pushes, push_on_commit
from patients.events import patient_updated
from patients.models import Doctor, Patient
from patients.numbers import doctor_for_number

log = logging.getLogger(__name__)

PREVIEW = 120
DATABASE_DOWN = (OperationalError, InterfaceError)
# What the patient.updated event reads after the update (patients.events.patient_updated).
EVENT_FIELDS = ["unread_count", "ai_paused", "ai_paused_by", "ai_paused_at", "ai_pause_reason", "handoff_requested_at"]


def receive_body(body: bytes, signature_header: str | None) -> tuple[int, dict]:
    """What a POST to the webhook does with its body: (HTTP status, JSON answer). The webhook view
    calls it, and so do the simulator and the sandbox, so what they post takes the real path."""
    if not signed(body, signature_header):
        return 403, {"error": "bad signature"}
    return 200, receive_verified(body, received_at=timezone.now())


def signed(body: bytes, signature_header: str | None) -> bool:
    """Whether Meta signed these bytes (always true while WHATSAPP_APP_SECRET is unset: the demo)."""
    secret = settings.WHATSAPP_APP_SECRET
    if secret and not signature.verify(body, signature_header, secret):
        log.warning("webhook refused: bad or missing X-Hub-Signature-256 (%d bytes)", len(body))
        return False
    return True


def receive_verified(body: bytes, *, received_at) -> dict:
    """Store what a signed body holds; `received_at` is when Meta delivered it (timestamps from
    the future are judged against it). Returns the JSON answer's counts."""
    decoded = decode(body)
    if decoded.problem:
        what = "not JSON" if decoded.problem == "not json" else "not usable"
        log.warning("webhook body is %s (%s): %r", what, decoded.detail, body[:300])
        keep_raw(body=body, reasons=[f"{decoded.problem}: {decoded.detail}"], received_at=received_at)
        return {"ok": True, "ignored": decoded.problem}
    counts, unusual = handle_batch(parse_webhook(decoded.value, received_at=received_at))
    if decoded.cleaned or unusual:
        keep_raw(body=body, reasons=decoded.cleaned + unusual, received_at=received_at)
    return {"ok": True, **counts}


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


def keep_raw(*, body: bytes, reasons: list[str], received_at=None) -> RawWebhook:
    """Keep a signed body that was not fully usable, with why, for the operator (and replay)."""
    reason = "; ".join(dict.fromkeys(reasons))
    return RawWebhook.objects.create(
        body=body, reason=clean_text(reason)[:300], received_at=received_at or timezone.now()
    )


def store_inbound(inbound: Inbound, *, unusual: list[str] | None = None) -> Message | None:
    """Insert one patient message; a redelivery inserts nothing and triggers nothing. A message
    that cannot be stored returns None too, and says why in `unusual`."""
    unusual = [] if unusual is None else unusual
    checked = storable(inbound)
    if checked is None:
        unusual.append(f"message {inbound.wamid[:80]!r} with an unstorable id dropped")
        return None
    inbound = checked
    doctor = doctor_for_number(inbound.phone_number_id)  # remembered per process (patients/numbers.py)
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
            # A photo, document, voice note…: one more insert; fetched by a task after commit.
            media = create_pending(message=message, media=inbound.media)
            if media is not None:
                message.media = media  # the message.created event shows it "Downloading…"
            _touch_patient(patient=patient, inbound=inbound)
            patient.refresh_from_db(fields=EVENT_FIELDS)
            push_on_commit(doctor_id=doctor.pk, event=message_created(message))
            push_on_commit(doctor_id=doctor.pk, event=patient_updated(patient))
            fetch_after_commit(media)  # after the push: its message.media follows message.created
            transaction.on_commit(lambda: after_pushes(lambda: enqueue_process(patient)))
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


def enqueue_process(patient: Patient) -> None:
    # One waiting task per patient: a burst of messages makes one task, not one each.
    enqueue_inbox(patient.pk)


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
