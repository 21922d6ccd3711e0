"""Blue ticks for the patient: when the doctor opens a conversation, the patient's latest
message is marked read on WhatsApp (which marks the earlier ones too). Best effort: a failure
is logged, never shown as an error. In the sandbox the receipt is recorded, never sent."""

import logging
from contextlib import closing

from chat.models import Message
from chat.whatsapp.graph import GraphError
from chat.whatsapp.transport import client_for

log = logging.getLogger(__name__)


def mark_patient_read(patient_id: int) -> bool:
    """Returns True when Meta (or the sandbox) acknowledged the read receipt."""
    latest = (
        Message.objects.select_related("doctor")
        .filter(patient_id=patient_id, direction=Message.Direction.IN)
        .exclude(wamid=None)
        .order_by("-wa_timestamp", "-id")
        .first()
    )
    if latest is None or not latest.doctor.phone_number_id:
        return False
    try:
        with closing(client_for(latest.doctor)) as client:
            client.mark_read(latest.doctor.phone_number_id, latest.wamid)
    except GraphError as error:
        log.info("mark-read for patient %s failed: %s %s", patient_id, error.code, error)
        return False
    return True
