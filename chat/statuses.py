"""Statuses of outgoing messages, as Meta reports them in webhooks: applied in order (sent <
delivered < read, never backwards; failed keeps Meta's code), kept when they overtake their
message, and matched to a send that got no answer through the id it echoes
(`biz_opaque_callback_data`).

Both sides use this module and it uses neither: chat/inbound.py applies the statuses a webhook
brings, chat/outbound.py applies the ones that overtook a send once its wamid is stored.
"""

import dataclasses
import logging

from django.db import transaction

from chat.events import message_status
from chat.models import Message, PendingStatus
from chat.whatsapp.body import clean_text
from chat.whatsapp.payloads import Status
from clinicbot.events import push_on_commit

log = logging.getLogger(__name__)

STATUS_RANK = {Message.Status.SENT: 1, Message.Status.DELIVERED: 2, Message.Status.READ: 3}
INT_MAX = 2**31 - 1  # an IntegerField column
CALLBACK_PREFIX = "clinicbot-message:"


def callback_data(message_id: int) -> str:
    return f"{CALLBACK_PREFIX}{message_id}"


def message_id_from_callback(value: str) -> int | None:
    """Our message id from a status's biz_opaque_callback_data, or None when it is not ours."""
    if not value.startswith(CALLBACK_PREFIX):
        return None
    digits = value[len(CALLBACK_PREFIX) :]
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 19 else None


def _width(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def apply_status(status: Status) -> None:
    """Move an outgoing message forward (sent < delivered < read) or to failed; keep a status
    for a message we have not stored yet and apply it when the message appears."""
    if len(status.wamid) > _width(Message, "wamid") or clean_text(status.wamid) != status.wamid:
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
            push_on_commit(doctor_id=message.doctor_id, event=message_status(message))


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
    push_on_commit(doctor_id=message.doctor_id, event=message_status(message))
    return message


def apply_pending_statuses(wamid: str) -> None:
    """Statuses that overtook their message (Meta does not keep order), applied now."""
    if not PendingStatus.objects.filter(wamid=wamid).exists():
        # The usual case after a send: one read, no transaction and no lock. A status stored after
        # this look runs this function again once it commits (apply_status).
        return
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
            push_on_commit(doctor_id=message.doctor_id, event=message_status(message))


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
