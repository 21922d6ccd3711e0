"""The front desk's writers: book, move, cancel, mark and note appointments for the clinic.

Staff book, move and cancel through the same locked writers as patients (booking.services),
with two rules relaxed (the minimum notice and the per-patient limit: the desk decides those
face to face) and never the slot: a taken or closed time is refused like anyone else's. Each
change is on the access log, written in the same transaction as the change.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from booking.models import Appointment
from booking.services import (
    BookingResult,
    CancelResult,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    lock_doctor,
)
from patients import audit
from patients.models import Doctor, Patient


def book_by_staff(
    *,
    doctor: Doctor,
    patient: Patient,
    start: dt.datetime,
    user,
    reason: str = "",
    now: dt.datetime | None = None,
    request=None,
) -> BookingResult:
    """Book for the clinic (source "staff"); refused with a Reason like any booking when the slot is not free."""
    now = now or timezone.now()
    with transaction.atomic():
        result = appointment_book(
            doctor=doctor,
            patient=patient,
            start=start,
            now=now,
            source=Appointment.Source.STAFF,
            reason=reason,
            staff_override=True,
        )
        if result.ok:
            audit.record(
                audit.Action.APPOINTMENT_BOOKED,
                request=request,
                user=user,
                patient=patient,
                appointment_id=result.appointment.pk,
                detail=f"for {_stamp(result.appointment.start)}",
            )
    return result


def move_by_staff(
    *, appointment: Appointment, start: dt.datetime, user, now: dt.datetime | None = None, request=None
) -> BookingResult:
    """Move a booked appointment for the clinic; no cancel cut-off, but the new slot must be free."""
    now = now or timezone.now()
    with transaction.atomic():
        old_start = appointment.start
        result = appointment_reschedule(
            appointment=appointment, new_start=start, now=now, by_patient=False, staff_override=True
        )
        if result.ok and result.appointment.start != old_start:
            audit.record(
                audit.Action.APPOINTMENT_MOVED,
                request=request,
                user=user,
                patient=result.appointment.patient,
                appointment_id=result.appointment.pk,
                detail=f"from {_stamp(old_start)} to {_stamp(result.appointment.start)}",
            )
    return result


def cancel_by_staff(
    *, appointment: Appointment, user, now: dt.datetime | None = None, request=None, detail: str = ""
) -> CancelResult:
    """Cancel for the clinic (no cut-off). The patient is not messaged here: see
    chat.notices.appointment_cancel_by_clinic for a cancellation that tells them."""
    now = now or timezone.now()
    with transaction.atomic():
        result = appointment_cancel(appointment=appointment, now=now, by_patient=False)
        if result.ok:
            audit.record(
                audit.Action.APPOINTMENT_CANCELLED,
                request=request,
                user=user,
                patient=result.appointment.patient,
                appointment_id=result.appointment.pk,
                detail=detail,
            )
    return result


def mark_by_staff(*, appointment: Appointment, status: str, user, request=None) -> Appointment:
    """appointment_mark, on the access log. Raises ValueError as appointment_mark does."""
    with transaction.atomic():
        before = Appointment.objects.filter(pk=appointment.pk).values_list("status", flat=True).first()
        current = appointment_mark(appointment=appointment, status=status)
        if current.status != before:
            audit.record(
                audit.Action.APPOINTMENT_MARKED,
                request=request,
                user=user,
                patient=current.patient,
                appointment_id=current.pk,
                detail=current.status,
            )
    return current


def note_by_staff(*, appointment: Appointment, reason: str) -> Appointment:
    """Change the visit's reason (a note, not a change of slot: admin's own change log records it)."""
    reason = reason.strip()[: Appointment._meta.get_field("reason").max_length]
    with transaction.atomic():
        lock_doctor(appointment.doctor_id)
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if current.reason != reason:
            current.reason = reason
            current.save(update_fields=["reason", "updated_at"])
    return current


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
