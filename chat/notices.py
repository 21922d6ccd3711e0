"""What the clinic tells a patient without being asked: the reminder before a visit, the notice
when the clinic cancels it, the notice when the clinic closes over it.

booking decides (which reminder is due and claimed, which visit falls in time off, whether a
cancellation is allowed); this module words the message and queues it through chat.outbound, in
the caller's transaction, so the decision and the message commit together. Everything goes out
the same way: free text inside the 24-hour window, else the clinic's approved template
(`notify_patient`).

Entry points (booking's tasks, reminder loop, views, admin and the send_reminders command) call
this module; booking never does: patients ← booking ← chat.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from booking import offers
from booking import reminders as booking_reminders
from booking.closures import covered_appointment_ids, notice_key, told_ids, upcoming_in_time_off
from booking.context import Talk, stamp
from booking.flow import ASK_NEW_TIME
from booking.models import Appointment, TimeOff
from booking.reminders import doctor_title, visit_phrase, visit_time
from booking.services import CancelResult, appointment_cancel
from chat.models import Message, MessageTemplate
from chat.outbound import WindowClosed, queue_reply, queue_template, window_open
from clinicbot.replies import text as text_reply
from patients import audit
from patients.models import AuditEvent, Doctor, Patient

# A text must reach Meta before the 24-hour window shuts; this close to the end, use the template.
WINDOW_MARGIN = dt.timedelta(minutes=10)
# The approved template used when the clinic cancels and the patient's window is closed:
# {{1}} the doctor, {{2}} the visit ("Thu 26 Nov, 3:00 PM"). Doctor has no field for it yet.
CANCEL_TEMPLATE = "appointment_cancelled"
# The approved template used outside the window when the clinic closes over a visit: the same
# parameters. Doctor has no field for it either.
CLOSURE_TEMPLATE = "clinic_closed"
NOTE_MAX = 500

# What telling a covered patient came to (Told.outcome).
TOLD = "told"
ALREADY_TOLD = "already told"
NOT_TOLD = "not told"
NO_LONGER_COVERED = "no longer covered"


# --- The window-or-template sender --------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What came of telling a patient something: the queued message, or why there is none."""

    message: Message | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.message is not None


def window_open_for_notice(patient: Patient, *, now: dt.datetime) -> bool:
    """Free text can still reach the patient: the window is open (with a margin for sending),
    and Meta has not refused free text since the patient last wrote."""
    refused = patient.window_closed_at is not None and (
        patient.last_inbound_at is None or patient.window_closed_at >= patient.last_inbound_at
    )
    return not refused and window_open(patient, now + WINDOW_MARGIN)


def notify_patient(
    *,
    patient: Patient,
    text: str,
    template_name: str,
    template_language: str,
    params: list[str],
    now: dt.datetime,
    what: str,
    user=None,
) -> Notice:
    """Queue `text` inside the 24-hour window, else the named template with `params`; in the
    caller's transaction (sent after commit). Without a usable template outside the window,
    nothing is queued and the Notice says why, in words for the clinic (`what`: "reminder")."""
    sender = Message.Sender.STAFF if user else Message.Sender.BOT
    if window_open_for_notice(patient, now=now):
        try:
            return Notice(message=queue_reply(patient=patient, reply=text_reply(text), sender=sender, user=user))
        except WindowClosed:
            pass  # closed between our look and queue_reply's (the clock moved): use the template
    if not template_name:
        return Notice(problem=f"The 24-hour window is closed and the doctor has no {what} template set.")
    template = MessageTemplate.objects.filter(
        doctor_id=patient.doctor_id, name=template_name, language=template_language, active=True
    ).first()
    if template is None:
        return Notice(
            problem=f"The 24-hour window is closed and the {what} template {template_name} ({template_language}) "
            "is not among the clinic's active templates."
        )
    if template.parameter_count != len(params):
        return Notice(
            problem=f"The template {template_name} takes {template.parameter_count} parameters; "
            f"this message fills {len(params)} (the doctor, the visit time)."
        )
    return Notice(message=queue_template(patient=patient, template=template, params=params, user=user))


# --- Reminders ----------------------------------------------------------------------------------


def reminder_text(appointment: Appointment, *, now: dt.datetime) -> str:
    doctor = appointment.doctor
    when = visit_phrase(appointment.start, now=now, tz=doctor.tz)
    return (
        f"Reminder: your appointment with {doctor_title(doctor)} is {when}. "
        "Reply 'my appointments' to cancel or reschedule."
    )


def tell_reminder(*, appointment: Appointment, now: dt.datetime) -> tuple[bool, str]:
    """Queue the reminder for a claimed, still-booked appointment: (sent, detail), the `tell` that
    booking.reminders.reminder_send calls inside its claiming transaction."""
    doctor = appointment.doctor
    notice = notify_patient(
        patient=appointment.patient,
        text=reminder_text(appointment, now=now),
        template_name=doctor.reminder_template,
        template_language=doctor.reminder_template_language,
        params=[doctor_title(doctor), visit_time(appointment.start, doctor.tz)],
        now=now,
        what="reminder",
    )
    if not notice.ok:
        return False, notice.problem
    return True, f"Message {notice.message.pk} ({notice.message.type})."


def reminder_send(*, reminder_id: int, now: dt.datetime) -> str:
    """Send one due reminder if this caller claims it (booking.reminders.reminder_send's outcome)."""
    return booking_reminders.reminder_send(reminder_id=reminder_id, now=now, tell=tell_reminder)


def reminders_send_due(*, now: dt.datetime) -> dict[str, int]:
    """Send every pending reminder due by `now`, each once (booking.reminders.reminders_send_due)."""
    return booking_reminders.reminders_send_due(now=now, tell=tell_reminder)


# --- The clinic cancels -------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffCancel:
    """A cancellation by the clinic: the CancelResult, and whether the patient was told."""

    result: CancelResult
    notice: Notice | None = None


def appointment_cancel_by_clinic(*, appointment: Appointment, note: str, user, now: dt.datetime) -> StaffCancel:
    """Cancel for the clinic and tell the patient in the same transaction: a WhatsApp text
    inside the 24-hour window (with the staff's note), else the CANCEL_TEMPLATE if the clinic
    has one. If neither is possible the appointment is still cancelled and the notice says why,
    so the page can ask the staff to call."""
    note = " ".join((note or "").split())[:NOTE_MAX]
    with transaction.atomic():
        # The patient first, like the inbox does, so this cannot deadlock with the patient's own messages.
        patient = Patient.objects.select_for_update().get(pk=appointment.patient_id)
        result = appointment_cancel(appointment=appointment, now=now, by_patient=False)
        if not result.ok:
            return StaffCancel(result=result)
        doctor = Doctor.objects.get(pk=appointment.doctor_id)
        when = visit_phrase(result.appointment.start, now=now, tz=doctor.tz)
        text = f"Your appointment with {doctor_title(doctor)} {when} has been cancelled by the clinic."
        if note:
            text += f"\nNote from the clinic: {note}"
        text += "\nReply 'book' to choose another time."
        notice = notify_patient(
            patient=patient,
            text=text,
            template_name=CANCEL_TEMPLATE,
            template_language=doctor.reminder_template_language,
            params=[doctor_title(doctor), visit_time(result.appointment.start, doctor.tz)],
            now=now,
            what="cancellation",
            user=user,
        )
    return StaffCancel(result=result, notice=notice)


def cancel_notice_channel(patient: Patient, *, now: dt.datetime, templates: set[tuple[str, str]]) -> str:
    """How a cancellation would reach the patient now: "text", "template" or "none".

    `templates` are the (name, language) pairs of the clinic's active templates."""
    if window_open_for_notice(patient, now=now):
        return "text"
    if (CANCEL_TEMPLATE, patient.doctor.reminder_template_language) in templates:
        return "template"
    return "none"


# --- The clinic closes over booked visits -------------------------------------------------------


@dataclass(frozen=True)
class Told:
    """What came of telling one covered patient: TOLD, ALREADY_TOLD, NOT_TOLD (`problem` says
    why, e.g. no template outside the window) or NO_LONGER_COVERED (moved or cancelled meanwhile)."""

    appointment: Appointment
    outcome: str
    problem: str = ""


def tell_covered_patients(
    *, doctor: Doctor, time_offs: Iterable[TimeOff], user, now: dt.datetime, request=None
) -> list[Told]:
    """Tell each patient whose upcoming visit falls in these TimeOff rows, once, and say how it went.

    Inside the 24-hour window a WhatsApp list of the nearest free times, each row moving that
    appointment, and the conversation set to "which new time?" for it; outside the window the
    CLOSURE_TEMPLATE. The AuditEvent written with the message is what makes it once-only (see
    booking.closures)."""
    return [
        _tell(appointment=appointment, user=user, now=now, request=request)
        for appointment in upcoming_in_time_off(doctor, time_offs, now=now)
    ]


def _tell(*, appointment: Appointment, user, now: dt.datetime, request) -> Told:
    """One patient, in one transaction: the patient row is locked first (as the inbox and the
    reminders do), so two posts of the same confirmation take turns and the second finds the record."""
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=appointment.patient_id)
        current = Appointment.objects.select_related("doctor").get(pk=appointment.pk)
        doctor = current.doctor
        if current.status != Appointment.Status.BOOKED or not covered_appointment_ids(doctor, [current]):
            return Told(appointment=current, outcome=NO_LONGER_COVERED)
        if told_ids([current]):
            return Told(appointment=current, outcome=ALREADY_TOLD)

        when = visit_phrase(current.start, now=now, tz=doctor.tz)
        lead = (
            f"Sorry, {doctor_title(doctor)} is not available {when} — the clinic is closed then. "
            "Your appointment is still booked: tap a new time below to move it, "
            "or reply *my appointments* to cancel."
        )
        slots = offers.nearest(doctor, current.start, now, appointment=current)
        reply, shown = offers.slot_list(doctor, now, slots, appointment=current, lead=lead, nearest=True)
        message = None
        if window_open_for_notice(patient, now=now):
            try:
                message = queue_reply(patient=patient, reply=reply, sender=Message.Sender.STAFF, user=user)
            except WindowClosed:
                pass  # closed between the look and the queue: the template below
        if message is None:
            notice = notify_patient(
                patient=patient,
                text=lead,
                template_name=CLOSURE_TEMPLATE,
                template_language=doctor.reminder_template_language,
                params=[doctor_title(doctor), visit_time(current.start, doctor.tz)],
                now=now,
                what="closure",
                user=user,
            )
            if not notice.ok:
                return Told(appointment=current, outcome=NOT_TOLD, problem=notice.problem)
            message = notice.message

        # "Which new time?" for this appointment, with the offered times in front of the patient.
        talk = Talk(patient, now)
        talk.clear()
        talk.ask(
            ASK_NEW_TIME,
            appointment=current,
            about=stamp(current.start),
            shown=[stamp(slot) for slot in shown],
            refused="closed",
        )
        patient.conversation_state, patient.conversation_data = talk.state, talk.data
        patient.save(update_fields=["conversation_state", "conversation_data"])
        audit.record(
            AuditEvent.Action.CLOSURE_TOLD,
            request=request,
            user=user,
            patient=patient,
            appointment_id=current.pk,
            message_id=message.pk,
            detail=f"{notice_key(current)} ({message.type})",
        )
    return Told(appointment=current, outcome=TOLD)
