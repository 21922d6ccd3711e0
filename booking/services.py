"""Booking, cancelling, rescheduling and marking appointments: the only writers of Appointment.

Every writer runs in one transaction that first locks the doctor row (SELECT … FOR UPDATE
on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database's write lock
from BEGIN). So two requests for one doctor take turns, and the second recomputes
availability after the first has committed and sees its booking. The unique (doctor, start,
seat) constraint on booked rows backs this up: if it ever fires, the caller is told TAKEN,
like anyone else who lost the race. Locking the doctor first in every writer also gives one
lock order, so writers cannot deadlock each other.

A slot taken, a time closed, too many upcoming visits: these are answers, not errors. The
functions return a result with a `Reason` and alternatives, and never raise for them. The front
desk's writers (booking/front_desk.py) call these with the desk's rules and the access log.
"""

import copy
import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking.events import appointment_changed
from booking.models import Appointment
from booking.reminders import reminders_schedule
from booking.slots import Reason, check_start, nearest_free_slots
from clinicbot.events import push_now
from patients.models import Doctor, Patient

log = logging.getLogger(__name__)

__all__ = [
    "BookingResult",
    "CancelResult",
    "Reason",
    "appointment_book",
    "appointment_cancel",
    "appointment_mark",
    "appointment_reschedule",
]


@dataclass(frozen=True)
class BookingResult:
    """What came of a booking or a reschedule.

    `appointment` is the booked or moved appointment; on a refused reschedule it is the
    appointment as it still stands, on a refused booking None. `reason` is None on success;
    `alternatives` are the nearest free slots (doctor's timezone) when another time would help.
    """

    appointment: Appointment | None = None
    reason: Reason | None = None
    alternatives: list[dt.datetime] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class CancelResult:
    """What came of a cancellation: the appointment as it now stands, and why not if refused."""

    appointment: Appointment
    reason: Reason | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def appointment_book(
    *,
    doctor: Doctor,
    patient: Patient,
    start: dt.datetime,
    now: dt.datetime,
    source: str = Appointment.Source.WHATSAPP,
    reason: str = "",
    staff_override: bool = False,
) -> BookingResult:
    """Book `patient` into the slot starting at `start`, or say why not and what else is free.

    The per-patient limit is checked before the slot: no other time would fix it, so the
    patient should not be sent round the alternatives first. `staff_override` (the front
    desk) skips the per-patient limit and the minimum notice; never the slot itself.
    """
    if patient.doctor_id != doctor.pk:
        raise ValueError(f"Patient {patient.pk} belongs to doctor {patient.doctor_id}, not {doctor.pk}.")
    source = Appointment.Source(source)
    start, now = _utc(start), _utc(now)
    with transaction.atomic():
        doctor = lock_doctor(doctor.pk)
        rules = _without_notice(doctor) if staff_override else doctor
        if not staff_override and _upcoming_count(patient_id=patient.pk, now=now) >= doctor.max_future_appointments:
            return BookingResult(reason=Reason.TOO_MANY)
        check = check_start(rules, start, now=now)
        if not check.ok:
            return BookingResult(reason=check.reason, alternatives=check.alternatives)
        seat = _free_seat(doctor, start=start)
        if seat is None:
            return _taken(rules, start=start, now=now)
        appointment = Appointment(
            doctor=doctor,
            patient=patient,
            start=start,
            end=start + dt.timedelta(minutes=doctor.slot_minutes),
            seat=seat,
            source=source,
            reason=reason.strip()[: Appointment._meta.get_field("reason").max_length],
        )
        try:
            with transaction.atomic():
                appointment.save(force_insert=True)
        except IntegrityError:
            return _taken(rules, start=start, now=now)
        transaction.on_commit(lambda: _after_change(appointment))
    return BookingResult(appointment=appointment)


def appointment_cancel(*, appointment: Appointment, now: dt.datetime, by_patient: bool) -> CancelResult:
    """Cancel a booked appointment; the slot is free again as soon as this commits.

    A patient cannot cancel within the doctor's cancel_cutoff_minutes before the start (the
    clinic has no time left to give the slot to someone else); staff always can.
    """
    now = _utc(now)
    with transaction.atomic():
        doctor = lock_doctor(appointment.doctor_id)
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status != Appointment.Status.BOOKED:
            return CancelResult(appointment=current, reason=Reason.NOT_BOOKED)
        if by_patient and _within_cutoff(doctor, start=current.start, now=now):
            return CancelResult(appointment=current, reason=Reason.TOO_LATE)
        current.status = Appointment.Status.CANCELLED
        current.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda: _after_change(current))
    return CancelResult(appointment=current)


def appointment_reschedule(
    *,
    appointment: Appointment,
    new_start: dt.datetime,
    now: dt.datetime,
    by_patient: bool,
    staff_override: bool = False,
) -> BookingResult:
    """Move a booked appointment to `new_start` in one step: the old slot is free at once.

    The same checks as a booking, with this appointment left out of the counts (it may move
    into a neighbouring slot, or stay in a full one). For a patient the cancel cut-off
    applies to the old start: moving a visit away at the last minute is cancelling it.
    `staff_override` skips the per-patient limit and the minimum notice, as for a booking.
    """
    new_start, now = _utc(new_start), _utc(now)
    with transaction.atomic():
        doctor = lock_doctor(appointment.doctor_id)
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status != Appointment.Status.BOOKED:
            return BookingResult(appointment=current, reason=Reason.NOT_BOOKED)
        if by_patient and _within_cutoff(doctor, start=current.start, now=now):
            return BookingResult(appointment=current, reason=Reason.TOO_LATE)
        if new_start == current.start:
            return BookingResult(appointment=current)
        rules = _without_notice(doctor) if staff_override else doctor
        if not staff_override and _upcoming_count(patient_id=current.patient_id, now=now, exclude_id=current.pk) >= (
            doctor.max_future_appointments
        ):
            return BookingResult(appointment=current, reason=Reason.TOO_MANY)
        check = check_start(rules, new_start, now=now, exclude_appointment=current)
        if not check.ok:
            return BookingResult(appointment=current, reason=check.reason, alternatives=check.alternatives)
        seat = _free_seat(doctor, start=new_start, exclude_id=current.pk)
        if seat is None:
            return _taken(rules, start=new_start, now=now, appointment=current)
        old = (current.start, current.end, current.seat)
        current.start = new_start
        current.end = new_start + dt.timedelta(minutes=doctor.slot_minutes)
        current.seat = seat
        try:
            with transaction.atomic():
                current.save(update_fields=["start", "end", "seat", "updated_at"])
        except IntegrityError:
            current.start, current.end, current.seat = old
            return _taken(rules, start=new_start, now=now, appointment=current)
        transaction.on_commit(lambda: _after_change(current))
    return BookingResult(appointment=current)


def appointment_mark(*, appointment: Appointment, status: str) -> Appointment:
    """Staff record how a visit went: completed or no-show (and may correct one to the other).

    Raises ValueError for any other status, or for a cancelled appointment: both are mistakes
    of the calling code, not answers to give a patient.
    """
    status = Appointment.Status(status)
    if status not in (Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW):
        raise ValueError(f"Appointments are marked completed or no_show, not {status}.")
    with transaction.atomic():
        lock_doctor(appointment.doctor_id)
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.status == Appointment.Status.CANCELLED:
            raise ValueError(f"Appointment {current.pk} was cancelled; it cannot be marked {status}.")
        if current.status != status:
            current.status = status
            current.save(update_fields=["status", "updated_at"])
            transaction.on_commit(lambda: _after_change(current))
    return current


# --- internals ----------------------------------------------------------------------------


def _after_change(appointment: Appointment) -> None:
    """Runs after every committed change to an appointment (booked, cancelled, moved, marked).

    Side effects of a change belong here, never inside the transaction: scheduling or
    dropping its reminders and pushing `appointment.changed` to the doctor's live page. They
    run only once the change is committed, so nobody is reminded of, or shown, a booking
    that was rolled back. The write has already succeeded, so a failure here is logged, never
    raised to the caller: the change stands (without new reminders, if scheduling failed).
    """
    current = appointment
    try:
        reminders_schedule(appointment=appointment, now=timezone.now())
        current = Appointment.objects.get(pk=appointment.pk)  # as it stands now, if changed again since
    except Exception:
        log.exception("reminders for appointment %s were not scheduled", appointment.pk)
    push_now(doctor_id=current.doctor_id, event=appointment_changed(current))


def _utc(value: dt.datetime) -> dt.datetime:
    """Instants are stored and added to in UTC (same-zone arithmetic is wall-clock, wrong across DST)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Booking times must be aware datetimes, got {value!r}")
    return value.astimezone(dt.UTC)


def _without_notice(doctor: Doctor) -> Doctor:
    """The locked doctor's rules with no minimum notice, for the availability check (a copy:
    the row itself is never saved)."""
    relaxed = copy.copy(doctor)
    relaxed.min_notice_minutes = 0
    return relaxed


def lock_doctor(doctor_id: int) -> Doctor:
    """Lock the doctor row for the rest of the transaction and return it, with fresh rules."""
    return Doctor.objects.select_for_update().get(pk=doctor_id)


def _upcoming_count(*, patient_id: int, now: dt.datetime, exclude_id: int | None = None) -> int:
    upcoming = Appointment.objects.filter(patient_id=patient_id, status=Appointment.Status.BOOKED, start__gte=now)
    if exclude_id is not None:
        upcoming = upcoming.exclude(pk=exclude_id)
    return upcoming.count()


def _within_cutoff(doctor: Doctor, *, start: dt.datetime, now: dt.datetime) -> bool:
    return start - now < dt.timedelta(minutes=doctor.cancel_cutoff_minutes)


def _free_seat(doctor: Doctor, *, start: dt.datetime, exclude_id: int | None = None) -> int | None:
    """The lowest seat 1..capacity not booked at `start`, or None when every seat is."""
    booked = Appointment.objects.filter(doctor=doctor, start=start, status=Appointment.Status.BOOKED)
    if exclude_id is not None:
        booked = booked.exclude(pk=exclude_id)
    taken = set(booked.values_list("seat", flat=True))
    return next((seat for seat in range(1, doctor.slot_capacity + 1) if seat not in taken), None)


def _taken(
    doctor: Doctor, *, start: dt.datetime, now: dt.datetime, appointment: Appointment | None = None
) -> BookingResult:
    """The answer for a slot that filled between the check and the write."""
    alternatives = nearest_free_slots(doctor, start, now=now, exclude_appointment=appointment)
    return BookingResult(appointment=appointment, reason=Reason.TAKEN, alternatives=alternatives)
