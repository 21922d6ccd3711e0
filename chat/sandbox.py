"""The sandbox transport: with no access token, outbound messages are recorded here instead of
going to Meta, get a fake wamid, and receive the statuses a real phone would send (delivered at
once, read when the patient next writes), through the same status code as real webhooks.
"""

import collections
import datetime as dt
import logging
import uuid

from django.utils import timezone

from chat.models import Message
from chat.whatsapp.payloads import Status

log = logging.getLogger(__name__)

# The last requests that "would have been sent", for the terminal simulator and for debugging.
OUTBOX: collections.deque = collections.deque(maxlen=500)


def sandbox_send(*, doctor, body: dict) -> str:
    wamid = f"wamid.SANDBOX-{uuid.uuid4().hex}"
    OUTBOX.append({"phone_number_id": doctor.phone_number_id, "wamid": wamid, "body": body})
    log.info("sandbox: would send %s to %s", body.get("type"), body.get("to") or body.get("recipient"))
    return wamid


def _status(*, doctor, wamid: str, status: str) -> Status:
    return Status(
        phone_number_id=doctor.phone_number_id or "",
        wamid=wamid,
        status=status,
        timestamp=timezone.now(),
        recipient_id="",
        error_code=None,
        error_title="",
        raw={"sandbox": True},
    )


def sandbox_after_send(*, doctor, wamid: str) -> None:
    from chat.statuses import apply_status

    apply_status(_status(doctor=doctor, wamid=wamid, status="delivered"))


def sandbox_patient_read(*, patient) -> None:
    """The patient wrote again, so they have seen what we sent: mark it read, as a phone would."""
    from chat.statuses import apply_status

    since = timezone.now() - dt.timedelta(days=1)
    unread = Message.objects.filter(
        patient=patient,
        direction=Message.Direction.OUT,
        status__in=[Message.Status.SENT, Message.Status.DELIVERED],
        sent_at__gte=since,
        wamid__startswith="wamid.SANDBOX-",
    ).values_list("wamid", flat=True)
    for wamid in list(unread):
        apply_status(_status(doctor=patient.doctor, wamid=wamid, status="read"))
