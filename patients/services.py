"""Pausing and resuming the bot for a patient: the one place that flips `ai_paused`."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clinicbot.events import push_on_commit
from patients.events import patient_updated
from patients.models import BotPauseLog, Patient

PAUSE_FIELDS = ["ai_paused", "ai_paused_by", "ai_paused_at", "ai_pause_reason", "handoff_requested_at"]


@transaction.atomic
def patient_pause_bot(
    *, patient: Patient, by=None, reason: str, handoff: bool = False, now: dt.datetime | None = None
) -> bool:
    """Pause the bot for one patient. Returns False when it was already paused (nothing changes,
    except that a handoff request is still recorded)."""
    now = now or timezone.now()
    caller, patient = patient, Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.ai_paused and not (handoff and not patient.handoff_requested_at):
        _mirror(patient, caller, PAUSE_FIELDS)
        return False
    changed = not patient.ai_paused
    if changed:
        patient.ai_paused, patient.ai_paused_by, patient.ai_paused_at, patient.ai_pause_reason = True, by, now, reason
        BotPauseLog.objects.create(patient=patient, paused=True, by=by, reason=reason)
    if handoff:
        patient.handoff_requested_at = now
    patient.save(update_fields=PAUSE_FIELDS)
    _mirror(patient, caller, PAUSE_FIELDS)
    push_on_commit(doctor_id=patient.doctor_id, event=patient_updated(patient))
    return changed


def _mirror(saved: Patient, caller: Patient, fields: list[str]) -> None:
    """The caller's instance shows what was just saved, so it need not re-read the row
    (process_inbox answers a patient's next message with the instance it holds)."""
    for field in fields:
        setattr(caller, field, getattr(saved, field))


@transaction.atomic
def patient_resume_bot(*, patient: Patient, by=None, reason: str = "resumed") -> bool:
    """Give the conversation back to the bot. Returns False when it was not paused."""
    caller, patient = patient, Patient.objects.select_for_update().get(pk=patient.pk)
    if not patient.ai_paused:
        return False
    patient.ai_paused, patient.ai_paused_by, patient.ai_paused_at = False, None, None
    patient.ai_pause_reason, patient.handoff_requested_at = "", None
    # A resumed conversation starts from the menu, not from a half-finished flow.
    patient.conversation_state, patient.conversation_data = "", {}
    patient.save(update_fields=PAUSE_FIELDS + ["conversation_state", "conversation_data"])
    _mirror(patient, caller, PAUSE_FIELDS + ["conversation_state", "conversation_data"])
    BotPauseLog.objects.create(patient=patient, paused=False, by=by, reason=reason)
    push_on_commit(doctor_id=patient.doctor_id, event=patient_updated(patient))
    return True
