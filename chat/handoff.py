"""Stepping aside for the doctor, and coming back.

`patients.services` flips `ai_paused` and records who and why; this module adds what only the
chat app knows about: bot replies still waiting in the queue are cancelled in the same
transaction (so nothing the bot decided before the pause goes out after it), a staff reply
counts as taking over, and an idle takeover can hand the chat back to the bot.

Every pause in the chat app goes through `pause_bot`; every resume through
`patients.services.patient_resume_bot` (which needs nothing from chat).

`handoff_text` is what the patient reads when the bot steps aside: at 03:00 or on a closed
Sunday it names when the clinic opens instead of promising a reply "soon".
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from booking.models import TimeOff, WeeklyHours
from chat.events import message_status
from chat.models import Message
from chat.outbound import cancel_queued_bot_replies
from clinicbot.events import push_on_commit
from patients.events import patient_updated
from patients.models import Patient
from patients.services import patient_pause_bot, patient_resume_bot

log = logging.getLogger(__name__)

REASON_PATIENT_ASKED = "patient asked"
REASON_EMERGENCY = "emergency"
REASON_DOCTOR_REPLIED = "doctor replied"
REASON_BOT_COULD_NOT_ANSWER = "bot could not answer"
REASON_DATA_REQUEST = "patient asked about their data"
REASON_DOCUMENT_REQUEST = "patient asked for a report or prescription"
REASON_AUTO_RESUME = "auto-resume"


def pause_bot(*, patient: Patient, by=None, reason: str, handoff: bool = False, now: dt.datetime | None = None) -> bool:
    """Pause the bot for this patient and cancel its queued replies, in one transaction.

    Returns whether the bot was running before. Replies the caller queues after this call (in
    the same transaction) are newer than the pause and do go out: that is how the patient is
    told the doctor will reply.
    """
    with transaction.atomic():
        waiting = list(
            Message.objects.filter(
                patient=patient, sender=Message.Sender.BOT, status=Message.Status.QUEUED
            ).values_list("pk", flat=True)
        )
        if cancel_queued_bot_replies(patient=patient):
            cancelled = Message.objects.filter(pk__in=waiting, status=Message.Status.FAILED)
            for message in cancelled:
                push_on_commit(doctor_id=message.doctor_id, event=message_status(message))
        return patient_pause_bot(patient=patient, by=by, reason=reason, handoff=handoff, now=now)


def staff_reply_pauses_bot(*, patient: Patient, user, now: dt.datetime | None = None) -> bool:
    """A staff member is replying by hand: the doctor has the conversation now.

    Call it inside the transaction that queues the staff message. The bot stops (reason
    "doctor replied"), and a pending handoff request counts as answered, so the patient's
    state moves from "needs doctor" to "doctor". Returns whether the bot was running before.
    """
    with transaction.atomic():
        paused = pause_bot(patient=patient, by=user, reason=REASON_DOCTOR_REPLIED, now=now)
        answered = Patient.objects.filter(pk=patient.pk, handoff_requested_at__isnull=False).update(
            handoff_requested_at=None
        )
        if answered:
            fresh = Patient.objects.select_related("ai_paused_by").get(pk=patient.pk)
            push_on_commit(doctor_id=fresh.doctor_id, event=patient_updated(fresh))
        return paused


def idle_since(patient: Patient) -> dt.datetime | None:
    """When the clinic last acted in a paused conversation: the pause, or the latest staff
    message after it, whichever is later. None when the bot is not paused."""
    if not patient.ai_paused or patient.ai_paused_at is None:
        return None
    last_staff = Message.objects.filter(patient=patient, sender=Message.Sender.STAFF).aggregate(at=Max("created_at"))
    return max(filter(None, [patient.ai_paused_at, last_staff["at"]]))


def resume_if_idle(*, patient: Patient, now: dt.datetime) -> bool:
    """Give the chat back to the bot when the doctor's `auto_resume_hours` passed without a
    staff reply since the pause. Returns whether it resumed. Off when the doctor has no limit."""
    hours = patient.doctor.auto_resume_hours
    if not hours:
        return False
    since = idle_since(patient)
    if since is None or now - since < dt.timedelta(hours=hours):
        return False
    resumed = patient_resume_bot(patient=patient, by=None, reason=REASON_AUTO_RESUME)
    if resumed:
        log.info("bot resumed for patient %s after %s h without a staff reply", patient.pk, hours)
    return resumed


def resume_idle_bots(*, now: dt.datetime | None = None) -> int:
    """Resume every paused conversation whose doctor's auto-resume time has passed; safe to
    run from cron at any frequency (a patient already resumed is skipped). Returns how many."""
    now = now or timezone.now()
    candidates = list(
        Patient.objects.filter(ai_paused=True, doctor__auto_resume_hours__gt=0).values_list("pk", flat=True)
    )
    resumed = 0
    for patient_id in candidates:
        with transaction.atomic():
            locked = Patient.objects.select_for_update().select_related("doctor").filter(pk=patient_id).first()
            if locked is not None and resume_if_idle(patient=locked, now=now):
                resumed += 1
    return resumed


# --- what the patient is told when the bot steps aside ---------------------------------------

# How far ahead the next opening is looked for; a clinic closed longer says only "when it reopens".
OPENING_SEARCH_DAYS = 14


def next_opening(*, doctor, now: dt.datetime) -> dt.datetime | None:
    """When the clinic next opens, in its timezone: `now` itself while it is open, None when no
    opening is set in the next OPENING_SEARCH_DAYS days. Weekly hours minus time off (whole
    days, or the hours given); a lunch break counts as closed."""
    tz = doctor.tz
    local = now.astimezone(tz)
    weekly: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, start, end in WeeklyHours.objects.filter(doctor=doctor).values_list("weekday", "start", "end"):
        weekly.setdefault(weekday, []).append((start, end))
    if not weekly:
        return None
    last = local.date() + dt.timedelta(days=OPENING_SEARCH_DAYS)
    time_off = list(
        TimeOff.objects.filter(doctor=doctor, start_date__lte=last, end_date__gte=local.date()).values_list(
            "start_date", "end_date", "start_time", "end_time"
        )
    )
    for offset in range(OPENING_SEARCH_DAYS + 1):
        day = local.date() + dt.timedelta(days=offset)
        for start, end in sorted(weekly.get(day.weekday(), [])):
            for piece_start, piece_end in _minus_time_off(day, start, end, time_off):
                opens = dt.datetime.combine(day, piece_start, tzinfo=tz)
                closes = dt.datetime.combine(day, piece_end, tzinfo=tz)
                if closes > local:
                    return max(opens, local)
    return None


def _minus_time_off(day: dt.date, start: dt.time, end: dt.time, time_off: list) -> list[tuple[dt.time, dt.time]]:
    """The parts of one open interval that no time off covers."""
    pieces = [(start, end)]
    for first, last, off_start, off_end in time_off:
        if not first <= day <= last:
            continue
        if off_start is None:
            return []
        pieces = [
            part
            for piece_start, piece_end in pieces
            for part in ((piece_start, min(piece_end, off_start)), (max(piece_start, off_end), piece_end))
            if part[0] < part[1]
        ]
    return pieces


def when_open_in_words(*, opens: dt.datetime, now: dt.datetime) -> str:
    """ "today at 17:00", "tomorrow at 10:00", "on Monday at 10:00", "on Mon 23 Mar at 10:00"."""
    days = (opens.date() - now.astimezone(opens.tzinfo).date()).days
    at = f"{opens:%H:%M}"
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    if days < 7:
        return f"on {opens:%A} at {at}"
    return f"on {opens:%a} {opens.day} {opens:%b} at {at}"


def handoff_text(*, doctor, reason: str, now: dt.datetime) -> str:
    """What the patient is told when the bot hands the chat over: honest about when a person
    will read it (the clinic may be closed tonight, or all Sunday), with the emergency number."""
    opens = next_opening(doctor=doctor, now=now)
    number = doctor.emergency_number or "112"
    if reason == REASON_BOT_COULD_NOT_ANSWER:
        asked = "I'll ask the clinic team to answer this."
    elif reason == REASON_DATA_REQUEST:
        asked = (
            "I've passed your request about your data to the clinic team: only they can send you a copy or erase it."
        )
    elif reason == REASON_DOCUMENT_REQUEST:
        asked = "I've passed your request to the clinic team: the doctor or the front desk will send it to you here."
    else:
        asked = f"Sure. I've let {doctor.name} know."
    if opens is not None and opens <= now:
        when = "The doctor or the clinic team will reply to you here soon. 🙏"
    elif opens is not None:
        when = f"The clinic is closed now and opens {when_open_in_words(opens=opens, now=now)}; they will reply to you here then. 🙏"
    else:
        when = "The clinic is closed now; the clinic team will reply to you here when it reopens. 🙏"
    return f"{asked} {when}\n\nIf this is urgent, please call {number} right away."
