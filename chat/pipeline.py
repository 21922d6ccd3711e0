"""process_inbox: answer a patient's unprocessed messages, oldest first, under a row lock.

Replies are inserted (queued) in the same transaction as the state change and the processed
mark, so a crash does all of it or none of it; they are sent by tasks after commit.
"""

import logging

from django.db import transaction
from django.utils import timezone

from chat.bot import respond
from chat.models import Message
from chat.outbound import WindowClosed, queue_reply
from patients.models import Patient

log = logging.getLogger(__name__)


def process_inbox_now(patient_id: int) -> int:
    """Returns how many incoming messages were processed."""
    with transaction.atomic():
        patient = Patient.objects.select_for_update().select_related("doctor").filter(pk=patient_id).first()
        if patient is None:
            return 0
        pending = list(
            Message.objects.filter(patient=patient, direction=Message.Direction.IN, processed=False).order_by(
                "wa_timestamp", "id"
            )
        )
        for message in pending:
            if not patient.ai_paused:
                _answer(patient=patient, message=message)
            message.processed = True
            message.save(update_fields=["processed"])
            patient.refresh_from_db()  # the bot may have paused it (handoff) or changed state
        return len(pending)


def _answer(*, patient: Patient, message: Message) -> None:
    replies = respond(patient=patient, message=message, now=timezone.now())
    for reply in replies:
        try:
            queue_reply(patient=patient, reply=reply)
        except WindowClosed:
            log.info("bot reply to patient %s skipped: outside the 24-hour window", patient.pk)
