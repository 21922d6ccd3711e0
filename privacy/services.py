"""A patient's data handed to them (export) or taken out of the system (erasure), on request.

India's DPDP Act gives a patient the right to a summary of their data (§11) and to its erasure
(§12); a clinic must still keep its own records. So export gathers everything kept about one
patient, and erasure blanks everything that names them or says what they wrote while keeping
the rows a clinic needs (appointments with their dates and status, who did what) as anonymous
rows. Both are written to the access log. Callers (admin, manage.py) check who may ask.
"""

import datetime as dt
import json
import re

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from booking.models import Appointment, Reminder
from chat.media_privacy import erase_media, export_name, stored_files
from chat.models import MediaFile, Message, RawWebhook
from patients import audit
from patients.models import BotPauseLog, Patient

MEDIA_TYPES = {"image", "audio", "video", "document", "sticker"}
MEDIA_FIELDS = ("id", "mime_type", "sha256", "filename", "caption", "link")
ERASED = "[erased]"


# --- Export ---------------------------------------------------------------------------------------


def patient_export(*, patient: Patient, request=None, user=None, via: str = "") -> dict:
    """Everything kept about `patient`, as plain JSON-ready data (and one access-log entry)."""
    patient = Patient.objects.select_related("doctor").get(pk=patient.pk)
    tz = patient.doctor.tz
    data = {
        "exported_at": timezone.now().isoformat(),
        "clinic": {"name": patient.doctor.name, "clinic_name": patient.doctor.clinic_name, "timezone": tz.key},
        "patient": {
            "id": patient.pk,
            "whatsapp_number": f"+{patient.wa_id}" if patient.wa_id else None,
            "whatsapp_user_id": patient.user_id,
            "name": patient.name,
            "whatsapp_username": patient.username,
            "first_contact": _iso(patient.created_at),
            "last_message_at": _iso(patient.last_message_at),
            "bot_paused": patient.ai_paused,
            "erased_at": _iso(patient.erased_at),
        },
        "messages": [
            _message(m, folder=media_folder(patient))
            for m in Message.objects.filter(patient=patient).select_related("media").order_by("id")
        ],
        "appointments": [
            _appointment(a, tz) for a in Appointment.objects.filter(patient=patient).order_by("start", "id")
        ],
        "reminders": [
            {
                "appointment_id": r.appointment_id,
                "due_at": _iso(r.due_at),
                "status": r.status,
                "sent_at": _iso(r.sent_at),
            }
            for r in Reminder.objects.filter(appointment__patient=patient).order_by("due_at", "id")
        ],
        "bot_pauses": [
            {"at": _iso(p.at), "paused": p.paused, "reason": p.reason}
            for p in BotPauseLog.objects.filter(patient=patient).order_by("at", "id")
        ],
    }
    audit.record(audit.Action.PATIENT_EXPORTED, request=request, user=user, patient=patient, detail=via)
    return data


def export_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def export_html(data: dict) -> str:
    """The same export as a page a person can read (or print to PDF)."""
    return render_to_string("privacy/export.html", {"data": data})


def media_folder(patient: Patient) -> str:
    """The folder beside patient-<id>.json and .html that holds the patient's files."""
    return f"patient-{patient.pk}-media"


def export_files(patient: Patient) -> list[tuple[str, MediaFile]]:
    """(name in the export, the stored file) for each photo, document, voice note … kept for this
    patient, in and out; the writers copy them beside the JSON and HTML."""
    message_ids = list(Message.objects.filter(patient=patient).values_list("id", flat=True))
    folder = media_folder(patient)
    return [(export_name(media, folder=folder), media) for media in stored_files(message_ids=message_ids)]


def _message(m: Message, *, folder: str) -> dict:
    media = None
    if m.type in MEDIA_TYPES and isinstance(m.payload, dict) and isinstance(m.payload.get(m.type), dict):
        part = m.payload[m.type]
        media = {key: part[key] for key in MEDIA_FIELDS if key in part}
        kept = getattr(m, "media", None)  # select_related; None when the message has no file row
        if kept is not None and kept.state == MediaFile.State.STORED and kept.file:
            media.update(file=export_name(kept, folder=folder), size=kept.size, stored_sha256=kept.sha256)
    return {
        "id": m.pk,
        "at": _iso(m.wa_timestamp or m.created_at),
        "direction": m.direction,
        "from": m.sender,
        "type": m.type,
        "text": m.text,
        "button_or_row_id": m.reply_id,
        "status": m.status,
        "media": media,
    }


def _appointment(a: Appointment, tz) -> dict:
    return {
        "id": a.pk,
        "start": _iso(a.start),
        "end": _iso(a.end),
        "clinic_time": timezone.localtime(a.start, tz).strftime("%a %d/%m/%Y %H:%M"),
        "status": a.status,
        "booked_via": a.source,
        "reason": a.reason,
        "booked_at": _iso(a.created_at),
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- Erasure ------------------------------------------------------------------------------------


@transaction.atomic
def patient_erase(*, patient: Patient, request=None, user=None, via: str = "") -> Patient:
    """Blank the patient's name, numbers and everything they or the clinic wrote to them.

    Kept, anonymous: the patient row (id, clinic, dates), every appointment (start, end, seat,
    status, source: the day's counts and the slots stay right), every message row (direction,
    type, status, times: the conversation's shape), the bot-pause log and the access log, which
    name people by id only. Erasing twice changes nothing more and is logged again.
    """
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    needles = _identity(patient)
    message_ids = list(Message.objects.filter(patient=patient).values_list("id", flat=True))
    appointment_ids = list(Appointment.objects.filter(patient=patient).values_list("id", flat=True))

    Message.objects.filter(pk__in=message_ids).update(text="", payload={}, reply_id="", wamid=None, error_title="")
    erase_media(message_ids=message_ids)  # the files and thumbnails leave the storage after commit
    Appointment.objects.filter(pk__in=appointment_ids).update(reason="")
    Reminder.objects.filter(appointment_id__in=appointment_ids).update(detail="")
    _erase_admin_history(patient=patient, message_ids=message_ids, appointment_ids=appointment_ids, needles=needles)
    _erase_raw_webhooks(needles)

    patient.name = patient.username = ""
    patient.wa_id = None
    patient.user_id = f"erased-{patient.pk}"  # the row must keep one id; this one matches no one
    patient.conversation_state, patient.conversation_data = "", {}
    patient.last_message_preview = ""
    patient.erased_at = patient.erased_at or timezone.now()
    patient.save(
        update_fields=[
            "name",
            "username",
            "wa_id",
            "user_id",
            "conversation_state",
            "conversation_data",
            "last_message_preview",
            "erased_at",
        ]
    )
    audit.record(audit.Action.PATIENT_ERASED, request=request, user=user, patient=patient, detail=via)
    return patient


def _identity(patient: Patient) -> list[str]:
    """What names this patient in free text elsewhere (admin history, raw webhooks)."""
    values = [patient.name, patient.username, patient.wa_id, patient.user_id]
    values = [v for v in values if v and len(v) >= 3 and not v.startswith("erased-")]
    # JSON written with ensure_ascii (admin's change messages, many webhook bodies) spells
    # "राहुल" as \u0930...: look for that spelling too.
    return list(dict.fromkeys(values + [json.dumps(v)[1:-1] for v in values]))


def _erase_admin_history(*, patient, message_ids, appointment_ids, needles) -> None:
    """Django's admin history names the rows it changed (object_repr is the patient's name)."""
    types = ContentType.objects.get_for_models(Patient, Message, Appointment)
    about = (
        Q(content_type=types[Patient], object_id=str(patient.pk))
        | Q(content_type=types[Message], object_id__in=[str(i) for i in message_ids])
        | Q(content_type=types[Appointment], object_id__in=[str(i) for i in appointment_ids])
    )
    for needle in needles:
        about |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    for entry in LogEntry.objects.filter(about):
        entry.object_repr = f"{ERASED} #{entry.object_id}"
        entry.change_message = _scrub(entry.change_message, needles)
        entry.save(update_fields=["object_repr", "change_message"])


def _erase_raw_webhooks(needles: list[str]) -> None:
    """Bodies kept raw because they could not be used: the ones naming the patient are blanked."""
    wanted = [n.encode() for n in needles]
    for raw in RawWebhook.objects.only("id", "body").iterator():
        body = bytes(raw.body or b"")
        if any(n in body for n in wanted):
            RawWebhook.objects.filter(pk=raw.pk).update(body=b"", reason=f"{ERASED}: named an erased patient")


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), ERASED, text, flags=re.IGNORECASE)
    return text
