"""Outgoing messages: queued inside the caller's transaction, sent by a task after commit.

`send_message_now` sends only a `queued` message, claimed by a conditional update, so a task
that runs twice sends once; the claim waits for the patient's older messages (chat/send_order.py).
No HTTP call ever runs inside an open transaction.

Exactly once toward Meta, as far as it can be had: every send carries the message's own id in
`biz_opaque_callback_data`, which Meta echoes in its status webhooks. A send that got no answer
goes to `unknown` and is reconciled (`reconcile_message_now`): a status echoing the id adopts its
wamid (chat/statuses.py); only when none came within RECONCILE_WAIT is it sent again, once
(AUTO_RESENDS); after that the doctor is shown "may not have been delivered" with Retry. A send
stuck in `sending` (its worker was killed) is settled the same way after SENDING_DEADLINE, by a
check task queued when it was claimed and by `manage.py reap_stuck`.
"""

import datetime as dt
import logging
import random
from contextlib import closing

from django.db import transaction
from django.utils import timezone

from chat.events import message_created, message_status
from chat.media_out import MEDIA_SENDS, uploaded_media_id, with_media_id
from chat.models import Message, MessageTemplate
from chat.send_order import STILL_IN_LINE, claim, next_in_line, queued_since, wait_delay
from chat.statuses import apply_pending_statuses, callback_data
from chat.whatsapp import outgoing
from chat.whatsapp.graph import GraphError
from chat.whatsapp.transport import client_for
from clinicbot.events import push_on_commit
from clinicbot.replies import Reply
from patients.models import Doctor, Patient

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=24)
CODE_OUTSIDE_WINDOW = 131047
CODE_UNDELIVERABLE = 131026
# How many times a retryable failure is re-enqueued (each attempt already retries in-process).
MAX_REQUEUES = 5
# Meta's "sent" status normally follows an accepted send within seconds.
RECONCILE_WAIT = dt.timedelta(minutes=2)
# Longer than a send can take alive: WHATSAPP_SEND_ATTEMPTS (4) x WHATSAPP_TIMEOUT (10 s) + backoff.
SENDING_DEADLINE = dt.timedelta(minutes=2)
AUTO_RESENDS = 1
WAITING_FOR_STATUS = "No answer from WhatsApp: waiting for its status before sending again."
MAY_NOT_HAVE_BEEN_DELIVERED = "May not have been delivered: WhatsApp never confirmed it. Retry to send it again."


class WindowClosed(Exception):
    """Free text outside the 24-hour customer-service window; Meta would refuse it (131047)."""


def window_open(patient: Patient, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return patient.last_inbound_at is not None and now - patient.last_inbound_at < WINDOW


def recipient(patient: Patient) -> str:
    return patient.wa_id or patient.user_id


def reply_body(patient: Patient, reply: Reply) -> tuple[str, dict]:
    """The message type and Graph API body for a Reply; limits are enforced here, before queueing."""
    to = recipient(patient)
    if reply.buttons:
        return Message.Type.INTERACTIVE, outgoing.buttons(to, reply.text, reply.buttons, footer=reply.footer)
    if reply.rows:
        rows = [outgoing.Row(r.id, outgoing.fit(r.title, 24), outgoing.fit(r.description, 72)) for r in reply.rows]
        return Message.Type.INTERACTIVE, outgoing.list_message(
            to, reply.text, reply.list_button, rows, footer=reply.footer
        )
    return Message.Type.TEXT, outgoing.text(to, reply.text)


def queue_reply(
    *, patient: Patient, reply: Reply, sender: str = Message.Sender.BOT, user=None, client_id: str | None = None
) -> Message:
    """Insert one outgoing message as `queued` in the current transaction; sent after commit."""
    if not window_open(patient):
        raise WindowClosed("The patient last wrote more than 24 hours ago: only a template can be sent.")
    kind, body = reply_body(patient, reply)
    return _queue(patient=patient, kind=kind, text=reply.text, body=body, sender=sender, user=user, client_id=client_id)


def queue_template(
    *, patient: Patient, template: MessageTemplate, params: list[str], user=None, client_id: str | None = None
) -> Message:
    """A template works outside the window too: the way to reach a patient who went quiet."""
    body = outgoing.template(recipient(patient), template.name, template.language, params)
    shown = template.body
    for number, value in enumerate(params, start=1):
        shown = shown.replace(f"{{{{{number}}}}}", value)
    sender = Message.Sender.STAFF if user else Message.Sender.BOT
    return _queue(
        patient=patient,
        kind=Message.Type.TEMPLATE,
        text=shown,
        body=body,
        sender=sender,
        user=user,
        client_id=client_id,
    )


def queue_media(
    *, patient: Patient, kind: str, filename: str, caption: str, user, client_id: str | None, attach
) -> Message:
    """A staff document or image, queued like text; `attach(message)` adds its stored file's row
    (chat.media_out.attach_file) before the message is pushed. The upload to Meta waits for the send."""
    if not window_open(patient):
        raise WindowClosed("The patient last wrote more than 24 hours ago: only a template can be sent.")
    body = outgoing.media(recipient(patient), kind, filename=filename, caption=caption)
    return _queue(
        patient=patient,
        kind=kind,
        text=caption,
        body=body,
        sender=Message.Sender.STAFF,
        user=user,
        client_id=client_id,
        preview=caption or f"{Message.Type(kind).label}: {filename}",
        attach=attach,
    )


def _queue(*, patient, kind, text, body, sender, user, client_id, preview=None, attach=None) -> Message:
    message = Message.objects.create(
        doctor_id=patient.doctor_id,
        patient=patient,
        direction=Message.Direction.OUT,
        type=kind,
        text=text,
        payload=body,
        status=Message.Status.QUEUED,
        sender=sender,
        sender_user=user,
        client_id=client_id,
        processed=True,
    )
    if attach is not None:
        attach(message)
    now = timezone.now()
    preview = text if preview is None else preview
    Patient.objects.filter(pk=patient.pk).update(last_message_at=now, last_message_preview=preview[:120])
    push_on_commit(doctor_id=patient.doctor_id, event=message_created(message))
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message


def enqueue_send(message_id: int, *, delay: dt.timedelta | None = None) -> None:
    from chat.tasks import send_message

    task = send_message
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(message_id)


def cancel_queued_bot_replies(*, patient: Patient) -> int:
    """Called in the pause transaction: a bot reply still waiting must not go out after it."""
    cancelled = Message.objects.filter(patient=patient, sender=Message.Sender.BOT, status=Message.Status.QUEUED).update(
        status=Message.Status.FAILED, error_title="Not sent: the bot was paused before it went out."
    )
    if cancelled:  # a staff message may have waited behind them (chat/send_order.py)
        transaction.on_commit(lambda: _kick(patient.pk))
    return cancelled


def send_message_now(message_id: int) -> str:
    """Send one queued message, then the patient's next ones its send held back. Returns what
    happened to this one: sent, failed, requeued, unknown, waiting (an older message of the
    patient is still queued or sending), skipped."""
    outcome, patient_id = _send(message_id)
    result = outcome
    # The next message's task may have found this one sending and ended "waiting": send it now,
    # here, not when its task looks again (the immediate backend has no later). Each turn moves
    # to a younger message, so the loop ends.
    while patient_id is not None and outcome not in STILL_IN_LINE:
        following = next_in_line(patient_id, after=message_id)
        if following is None:
            break
        message_id = following
        outcome, patient_id = _send(message_id)
    return result


def _send(message_id: int) -> tuple[str, int | None]:
    """One message: its outcome, and its patient's id once it was claimed."""
    now = timezone.now()
    if not claim(message_id, now=now):
        queued_at = queued_since(message_id)
        if queued_at is None:
            return "skipped", None  # already sent, failed, or claimed by another worker
        # Behind an older message. Without a backend that defers, the message ahead sends this
        # one when it is done; with one, that kick could be lost (a worker killed in between).
        if _can_defer():
            enqueue_send(message_id, delay=wait_delay(queued_at, now=now))
        return "waiting", None
    # If this worker dies mid-send, this check settles the message once the deadline has passed.
    _enqueue_reconcile(message_id, delay=SENDING_DEADLINE)
    message = Message.objects.select_related("patient", "doctor").get(pk=message_id)
    return _deliver(message), message.patient_id


def _deliver(message: Message) -> str:
    """A claimed message to Meta, or to failed when it may no longer go."""
    patient, doctor = message.patient, message.doctor
    # The last look before the bot speaks: the doctor may have taken over a moment ago.
    if (
        message.sender == Message.Sender.BOT
        and patient.ai_paused
        and patient.ai_paused_at
        and message.created_at < patient.ai_paused_at
    ):
        return _finish(
            message, status=Message.Status.FAILED, error_title="Not sent: the bot was paused before it went out."
        )
    if message.type != Message.Type.TEMPLATE and not window_open(patient):
        _mark_window_closed(patient)
        return _finish(
            message,
            status=Message.Status.FAILED,
            error_code=CODE_OUTSIDE_WINDOW,
            error_title="Outside the 24-hour window: send a template.",
        )

    body = {**message.payload, "biz_opaque_callback_data": callback_data(message.pk)}
    # One connection per send, released only once the wamid is stored: a sandbox client posts
    # the statuses that follow a send (as Meta's webhooks do) when it is closed.
    with closing(client_for(doctor)) as client:
        try:
            if message.type in MEDIA_SENDS:  # its file first, once: a retried send reuses the id
                body = with_media_id(body, uploaded_media_id(client=client, message=message))
            wamid = client.send(doctor.phone_number_id, body)
        except GraphError as error:
            return _handle_error(message, error)
        except Exception as error:  # a bug in our own code must not leave the message "sending"
            log.exception("sending message %s failed unexpectedly", message.pk)
            return _finish(message, status=Message.Status.FAILED, error_title=f"Internal error: {type(error).__name__}")
        result = _finish(message, status=Message.Status.SENT, wamid=wamid)
    apply_pending_statuses(wamid)
    return result


def _handle_error(message: Message, error: GraphError) -> str:
    log.warning("send of message %s failed: code=%s http=%s %s", message.pk, error.code, error.http_status, error.title)
    if error.ambiguous:
        with transaction.atomic():
            Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
                status=Message.Status.UNKNOWN, error_title=WAITING_FOR_STATUS
            )
            message.refresh_from_db()
            push_on_commit(doctor_id=message.doctor_id, event=message_status(message))
        _enqueue_reconcile(message.pk, delay=RECONCILE_WAIT)
        return message.status
    if error.token_problem:
        Doctor.objects.filter(pk=message.doctor_id).update(
            channel_needs_attention=True, channel_error=f"{error.code}: {error.title}"[:300]
        )
    if error.code == CODE_OUTSIDE_WINDOW:
        _mark_window_closed(message.patient)
    if error.code == CODE_UNDELIVERABLE:
        Patient.objects.filter(pk=message.patient_id).update(undeliverable=True)
    if error.retryable and message.attempts < MAX_REQUEUES and _can_defer():
        Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED, attempts=message.attempts + 1)
        delay = dt.timedelta(seconds=min(3600, 30 * 2**message.attempts) * random.uniform(0.5, 1.0))
        enqueue_send(message.pk, delay=delay)
        return "requeued"
    return _finish(
        message, status=Message.Status.FAILED, error_code=error.code, error_title=(error.title or "Send failed")[:300]
    )


def _enqueue_reconcile(message_id: int, *, delay: dt.timedelta) -> None:
    """A deferred reconcile_message task; without a backend that defers, `manage.py reap_stuck`
    (cron) settles what is left."""
    from chat.tasks import reconcile_message

    if _can_defer():
        reconcile_message.using(run_after=timezone.now() + delay).enqueue(message_id)


def reconcile_message_now(message_id: int, *, now: dt.datetime | None = None) -> str:
    """Settle a send whose outcome is unknown. Returns: settled (it was not in doubt, or a status
    webhook already adopted its wamid), waiting (inside its wait), resent, or failed (shown to the
    doctor as "may not have been delivered")."""
    now = now or timezone.now()
    message = Message.objects.filter(pk=message_id, direction=Message.Direction.OUT).first()
    if message is None or message.send_started_at is None:
        return "settled"
    if message.status == Message.Status.SENDING:
        if message.send_started_at > now - SENDING_DEADLINE:
            return "waiting"
        # Its worker died or hangs: whether the request left is unknown, exactly as after a timeout.
        sending = Message.objects.filter(pk=message.pk, status=Message.Status.SENDING)
        freed = sending.update(status=Message.Status.UNKNOWN)
        _fail_dead_send_tasks(message_id, now=now)
        message.refresh_from_db()
        outcome = _settle_unknown(message, now=now)
        if freed and outcome != "resent":  # it no longer holds its patient's line (chat/send_order.py)
            _kick(message.patient_id, after=message.pk)
        return outcome
    return _settle_unknown(message, now=now)


def _settle_unknown(message: Message, *, now: dt.datetime) -> str:
    if message.status != Message.Status.UNKNOWN:
        return "settled"
    if message.send_started_at > now - RECONCILE_WAIT:
        return "waiting"
    # No status echoed our id within the wait: Meta most likely never took it.
    with transaction.atomic():
        if message.resends < AUTO_RESENDS:
            changed = Message.objects.filter(pk=message.pk, status=Message.Status.UNKNOWN).update(
                status=Message.Status.QUEUED, resends=message.resends + 1, error_title=""
            )
            outcome = "resent"
            if changed:
                transaction.on_commit(lambda: enqueue_send(message.pk))
        else:
            changed = Message.objects.filter(pk=message.pk, status=Message.Status.UNKNOWN).update(
                status=Message.Status.FAILED, error_title=MAY_NOT_HAVE_BEEN_DELIVERED
            )
            outcome = "failed"
        if not changed:
            return "settled"  # a status webhook adopted it a moment ago
        message.refresh_from_db()
        push_on_commit(doctor_id=message.doctor_id, event=message_status(message))
    log.warning("message %s: no status within %s of an unanswered send: %s", message.pk, RECONCILE_WAIT, outcome)
    return outcome


def _fail_dead_send_tasks(message_id: int, *, now: dt.datetime) -> None:
    """The send task rows a killed worker left RUNNING for this message: marked failed, so no one
    reads them as still in progress."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path="chat.tasks.send_message", status=TaskResultStatus.RUNNING, args_kwargs__args__0=message_id
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="chat.outbound.WorkerDied",
        traceback="Reaped: the worker stopped while sending; the message was reconciled.",
    )


def _kick(patient_id: int, *, after: int = 0) -> None:
    """The patient's next queued message gets a send task now: what held it back is gone."""
    following = next_in_line(patient_id, after=after)
    if following is not None:
        enqueue_send(following)


def _can_defer() -> bool:
    from chat.tasks import send_message

    return send_message.get_backend().supports_defer


def _mark_window_closed(patient: Patient) -> None:
    Patient.objects.filter(pk=patient.pk).update(window_closed_at=timezone.now())


def _finish(
    message: Message, *, status: str, wamid: str | None = None, error_code: int | None = None, error_title: str = ""
) -> str:
    # One UPDATE, no transaction of its own: called outside one, its push follows the autocommit.
    fields = {"status": status, "error_code": error_code, "error_title": error_title}
    rows = Message.objects.filter(pk=message.pk)
    if wamid:
        fields.update(wamid=wamid, sent_at=timezone.now())
        # Meta's status webhook can beat its own answer and adopt the wamid first (chat/statuses.py,
        # _adopt): then the message is already further along and must not move back to sent.
        rows = rows.exclude(wamid=wamid)
    if rows.update(**fields):
        for name, value in fields.items():  # the row holds exactly these now: no re-read for the event
            setattr(message, name, value)
    else:
        message.refresh_from_db()  # adopted first: the event shows where the status webhook put it
    push_on_commit(doctor_id=message.doctor_id, event=message_status(message))
    return status


def retry_failed(*, message: Message) -> bool:
    """Put a failed outgoing message back in the queue (the doctor pressed Retry)."""
    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, direction=Message.Direction.OUT, status=Message.Status.FAILED
        ).update(status=Message.Status.QUEUED, error_code=None, error_title="", attempts=0, resends=0)
        if updated:
            message.refresh_from_db()
            push_on_commit(doctor_id=message.doctor_id, event=message_status(message))
            transaction.on_commit(lambda: enqueue_send(message.pk))
    return bool(updated)
