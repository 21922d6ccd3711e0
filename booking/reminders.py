"""Reminders before a visit: scheduling them, claiming each one once, deciding whether it still
goes out, and what the front desk sees of them. The message itself is worded and queued by
chat.notices (passed in as `tell`); the clinic's cancel and closure notices live there too.

Reminders are rows (booking.models.Reminder), one per appointment, offset and start. They are
made when an appointment is booked or moved (services._after_change → reminders_schedule), and
sent by `reminder_send` (chat.notices.reminder_send gives it chat's `tell`), reached two ways: the sweep (`reminders_send_due`), which every web
process runs by itself every REMINDER_SWEEP_SECONDS (chat/sweep.py; no cron, no
manual step, whatever the set-up), and, when the task backend can defer, a task per reminder
(`send_reminder`, run by db_worker at its due time). `manage.py send_reminders` runs the sweep once.

Each reminder goes out at most once, however many workers and sweeps race for it: a worker
claims it with a conditional update (pending → sending) and only the one whose update changed
the row goes on. In the same transaction it checks the appointment is still booked at the start
the reminder was made for (else `skipped`: nobody gets a reminder for a visit that was
cancelled or moved) and has `tell` queue the WhatsApp message; the message goes out after commit
through chat.outbound. Claim, check, message and the final status commit together, so a crash leaves
the reminder pending with no message, never "sending" for ever or sent twice.

Lock order, the same as the rest of the app (the inbox locks the patient, then services lock
the doctor, then the appointment): patient → appointment → reminder. Scheduling after a change
locks appointment → reminder. So a reminder being sent and a reschedule of its appointment take
turns instead of deadlocking, and whichever runs second sees what the first committed.

booking sits below chat (patients ← booking ← chat) and imports none of it, not even inside a
function (clinicbot/tests/test_layers.py). The one import out of the domain is booking.tasks, to
enqueue the deferred send: an app enqueuing its own task.
"""

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone

from booking import messages as say
from booking.closures import covered_appointment_ids
from booking.events import appointment_changed
from booking.models import Appointment, Reminder
from clinicbot.events import push_on_commit
from patients.models import Doctor, Patient

log = logging.getLogger(__name__)

# What reminder_send says happened.
SENT = "sent"
SKIPPED = "skipped"
FAILED = "failed"
NOT_DUE = "not_due"  # asked too early (a deferred task ahead of its time): the sweep sends it later
TAKEN = "taken"  # another worker claimed it, or it was settled already
RETRY = "retry"  # the database failed (a lock timeout, a dropped connection): still pending

# A reminder more than a month ahead is a typo in the doctor's settings, not a reminder.
MAX_OFFSET_MINUTES = 31 * 24 * 60
SWEEP_BATCH = 200

# tell(appointment=..., now=...) -> (sent, detail): words and queues the patient's message for a
# claimed, still-booked appointment, inside the claiming transaction. The app's is
# chat.notices.tell_reminder, passed in by the entry points (booking sits below chat).
Tell = Callable[..., tuple[bool, str]]


# --- Wording, in the doctor's timezone --------------------------------------------------------


def doctor_title(doctor: Doctor) -> str:
    """ "Dr. Meera Joshi": the display name, with "Dr." added unless it already has it."""
    name = doctor.name.strip()
    return name if re.match(r"(?i)dr\b", name) else f"Dr. {name}"


def visit_time(start: dt.datetime, tz) -> str:
    """ "Thu 26 Nov, 3:00 PM" (the template parameter)."""
    local = timezone.localtime(start, tz)
    return f"{say.short_date(local.date())}, {say.clock(local)}"


def visit_phrase(start: dt.datetime, *, now: dt.datetime, tz) -> str:
    """ "today at 3:00 PM", "tomorrow, Thu 26 Nov at 3:00 PM" or "on Thu 26 Nov at 3:00 PM"."""
    local = timezone.localtime(start, tz)
    days = (local.date() - timezone.localtime(now, tz).date()).days
    day = say.short_date(local.date())
    if days == 0:
        return f"today at {say.clock(local)}"
    if days == 1:
        return f"tomorrow, {day} at {say.clock(local)}"
    return f"on {day} at {say.clock(local)}"


# --- Scheduling ---------------------------------------------------------------------------------


def reminder_offsets(doctor: Doctor) -> list[int]:
    """The doctor's offsets in minutes, largest first; anything that is not one is left out."""
    raw = doctor.reminder_offsets if isinstance(doctor.reminder_offsets, list) else []
    offsets = set()
    for value in raw:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_OFFSET_MINUTES:
            offsets.add(value)
        else:
            log.warning("doctor %s: reminder offset %r is not a number of minutes; ignored", doctor.pk, value)
    return sorted(offsets, reverse=True)


def reminders_schedule(*, appointment: Appointment, now: dt.datetime) -> list[Reminder]:
    """Bring the appointment's reminders in line with it as it stands now (called after every change).

    Pending reminders made for another start, or for an appointment no longer booked, are
    skipped. For a booked appointment, a reminder is made for each offset whose due time is
    still ahead (a visit booked 3 hours ahead gets the 2-hour one, not the 24-hour one); one
    skipped earlier for this same start (moved away and back) is pending again. Each is then
    enqueued to run at its due time when the task backend can defer; either way the web
    process's sweep (chat/sweep.py) sends it when due if no task got there first.

    Returns the pending reminders for the current start.
    """
    with transaction.atomic():
        current = Appointment.objects.select_for_update(of=("self",)).select_related("doctor").get(pk=appointment.pk)
        stale = Reminder.objects.filter(appointment=current, status=Reminder.Status.PENDING)
        if current.status == Appointment.Status.BOOKED:
            stale.exclude(appointment_start=current.start).update(
                status=Reminder.Status.SKIPPED, detail="The appointment was moved to another time."
            )
        else:
            stale.update(
                status=Reminder.Status.SKIPPED, detail=f"The appointment is {current.get_status_display().lower()}."
            )
            return []

        scheduled, fresh = [], []  # every pending one; those made or revived now (to enqueue)
        for offset in reminder_offsets(current.doctor):
            due = current.start - dt.timedelta(minutes=offset)
            if due <= now:
                continue
            reminder, created = Reminder.objects.get_or_create(
                appointment=current, offset_minutes=offset, appointment_start=current.start, defaults={"due_at": due}
            )
            if not created and reminder.status == Reminder.Status.SKIPPED:
                created = 1 == Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SKIPPED).update(
                    status=Reminder.Status.PENDING, detail="", claimed_at=None
                )
                reminder.refresh_from_db()
            if reminder.status == Reminder.Status.PENDING:
                scheduled.append(reminder)
                if created:
                    fresh.append(reminder)
        transaction.on_commit(lambda: _enqueue(fresh))
    return scheduled


def _enqueue(reminders: list[Reminder]) -> None:
    from booking.tasks import send_reminder

    if not reminders or not send_reminder.get_backend().supports_defer:
        return  # never early: the sweep sends them when they are due
    for reminder in reminders:
        send_reminder.using(run_after=reminder.due_at).enqueue(reminder.pk)


# --- Sending ------------------------------------------------------------------------------------


def reminder_send(*, reminder_id: int, now: dt.datetime, tell: Tell) -> str:
    """Send one due reminder, if this caller is the one that claims it. Returns the outcome:
    sent, skipped (stale or no longer useful), failed (cannot be delivered; `detail` says why),
    not_due, or taken (someone else has it)."""
    found = _look_up(reminder_id)
    if found is None:
        return TAKEN
    appointment_id, patient_id, due_at, status = found
    if status != Reminder.Status.PENDING:
        return TAKEN
    if due_at > now:
        return NOT_DUE
    try:
        with transaction.atomic():
            patient = Patient.objects.select_for_update().get(pk=patient_id)
            appointment = (
                Appointment.objects.select_for_update(of=("self",)).select_related("doctor").get(pk=appointment_id)
            )
            claimed = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING, due_at__lte=now).update(
                status=Reminder.Status.SENDING, claimed_at=now
            )
            if claimed != 1:
                return TAKEN
            reminder = Reminder.objects.get(pk=reminder_id)
            appointment.patient = patient
            outcome, detail = _deliver(reminder=reminder, appointment=appointment, now=now, tell=tell)
            Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING).update(
                status=outcome, detail=detail[:200], sent_at=now if outcome == SENT else None
            )
            if outcome in (SENT, FAILED):
                _push_reminder_state(appointment)
    except DatabaseError:
        log.exception("reminder %s: database error, left pending for the next sweep", reminder_id)
        return RETRY
    except Exception as error:  # a bug must not leave it pending for every sweep to trip over
        log.exception("reminder %s could not be sent", reminder_id)
        failed = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.FAILED, claimed_at=now, detail=f"Internal error: {type(error).__name__}"
        )
        if failed:
            _push_reminder_state(Appointment.objects.get(pk=appointment_id))
        return FAILED
    return outcome


def _push_reminder_state(appointment: Appointment) -> None:
    """After commit, the same `appointment.changed` event as booking.services sends on a change:
    /appointments/ and the chat's patient header fetch the row again and show the new reminder
    state. (The reminder's message itself is pushed as `message.created` by chat.outbound.)"""
    push_on_commit(doctor_id=appointment.doctor_id, event=appointment_changed(appointment))


def _look_up(reminder_id: int) -> tuple[int, int, dt.datetime, str] | None:
    """(appointment id, patient id, due_at, status), read without locks: the patient must be
    locked before the reminder (see the module note), so the claim comes after this."""
    return (
        Reminder.objects.filter(pk=reminder_id)
        .values_list("appointment_id", "appointment__patient_id", "due_at", "status")
        .first()
    )


def _deliver(*, reminder: Reminder, appointment: Appointment, now: dt.datetime, tell: Tell) -> tuple[str, str]:
    """Decide and queue, inside the claiming transaction: (outcome, detail)."""
    if appointment.status != Appointment.Status.BOOKED:
        return SKIPPED, f"The appointment is {appointment.get_status_display().lower()}."
    if appointment.start != reminder.appointment_start:
        return SKIPPED, "The appointment was moved to another time."
    if appointment.start <= now:
        return SKIPPED, "Too late: the visit time has come."
    if covered_appointment_ids(appointment.doctor, [appointment]):
        # "See you tomorrow at 10" for a day the clinic is closed would contradict the closure notice.
        return SKIPPED, "The clinic is closed then (time off): the patient is told by the closure notice."
    nearer = Reminder.objects.filter(
        appointment=appointment,
        appointment_start=reminder.appointment_start,
        offset_minutes__lt=reminder.offset_minutes,
        due_at__lte=now,
    ).exists()
    if nearer:  # sent late (workers were down): the nearer reminder says the same, once
        return SKIPPED, "A nearer reminder for this visit is already due."
    sent, detail = tell(appointment=appointment, now=now)
    return (SENT if sent else FAILED), detail


# --- What the front desk sees -------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderState:
    """Where an appointment's reminders stand, for its current start (stale ones are left out).

    `state` is the latest settled reminder's ("sent" or "failed", with `at` = when it was sent or
    tried and `detail` = why it failed), else "scheduled" (`at` = the next due time), else "none".
    `next_due` is the next pending one's due time, when one is still to come after a settled one.
    """

    state: str
    at: dt.datetime | None = None
    detail: str = ""
    next_due: dt.datetime | None = None

    def label(self, tz) -> str:
        """ "Reminded Wed 25 Nov, 3:00 PM · next Thu 26 Nov, 1:00 PM", in the doctor's timezone."""
        if self.state == "none":
            return "No reminder"
        text = {"sent": "Reminded", "failed": "Reminder failed", "scheduled": "Reminder due"}[self.state]
        text += f" {visit_time(self.at, tz)}"
        if self.detail:
            text += f": {self.detail}"
        if self.next_due:
            text += f" · next {visit_time(self.next_due, tz)}"
        return text

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "at": self.at.isoformat() if self.at else None,
            "detail": self.detail,
            "next_due": self.next_due.isoformat() if self.next_due else None,
        }


def reminder_states(appointments: list[Appointment]) -> dict[int, ReminderState]:
    """The ReminderState of each appointment, by id, in one query."""
    starts = {a.pk: a.start for a in appointments}
    rows: dict[int, list[Reminder]] = {pk: [] for pk in starts}
    for reminder in Reminder.objects.filter(appointment_id__in=starts).order_by("due_at", "pk"):
        if reminder.appointment_start == starts[reminder.appointment_id]:
            rows[reminder.appointment_id].append(reminder)
    return {pk: _state_of(found) for pk, found in rows.items()}


def _state_of(reminders: list[Reminder]) -> ReminderState:
    settled = [r for r in reminders if r.status in (Reminder.Status.SENT, Reminder.Status.FAILED)]
    waiting = [r for r in reminders if r.status in (Reminder.Status.PENDING, Reminder.Status.SENDING)]
    next_due = waiting[0].due_at if waiting else None
    if settled:
        last = settled[-1]
        if last.status == Reminder.Status.SENT:
            return ReminderState(state="sent", at=last.sent_at or last.due_at, next_due=next_due)
        return ReminderState(state="failed", at=last.claimed_at or last.due_at, detail=last.detail, next_due=next_due)
    if next_due:
        return ReminderState(state="scheduled", at=next_due)
    return ReminderState(state="none")


# --- The sweep ----------------------------------------------------------------------------------


def reminders_send_due(*, now: dt.datetime, tell: Tell) -> dict[str, int]:
    """Send every pending reminder due by `now`, oldest first. Safe to run from cron every few
    minutes, and twice at once: each reminder is claimed by exactly one run. Returns counts."""
    counts = {SENT: 0, SKIPPED: 0, FAILED: 0, TAKEN: 0, RETRY: 0}
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now).order_by("due_at", "pk")
    after = (None, 0)
    while True:
        page = due if after[0] is None else due.filter(due_at__gte=after[0]).exclude(due_at=after[0], pk__lte=after[1])
        batch = list(page.values_list("pk", "due_at")[:SWEEP_BATCH])
        if not batch:
            return counts
        for pk, _ in batch:
            outcome = reminder_send(reminder_id=pk, now=now, tell=tell)
            counts[outcome if outcome in counts else TAKEN] += 1
        after = batch[-1][1], batch[-1][0]
