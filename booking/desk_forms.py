"""The two booking panels of the appointments page (/appointments/, booking.views): the "New
appointment" box (a patient of this clinic, a day, its free times) and the "Move" panel of one
booked row (a day and its free times), both by the desk's rules (no minimum notice).

Read-only: what the panels offer. The bookings themselves are booking.front_desk.book_by_staff
and move_by_staff.
"""

import copy
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, QueryDict
from django.utils import timezone

from booking import messages as say
from booking.agenda import display_phone
from booking.models import Appointment
from booking.slots import free_slots
from patients.models import Doctor, Patient

PATIENTS_LISTED = 200  # in the new appointment's patient list; a search finds the others


@dataclass
class SlotChoice:
    value: str  # the start as ISO 8601 with the doctor's offset: what the form posts back
    label: str  # "10:30 AM"


@dataclass
class NewForm:
    """The open "New appointment" box: a patient of this clinic, a day and its free times."""

    day: dt.date
    day_label: str
    first_day: dt.date
    last_day: dt.date
    slots: list[SlotChoice]
    query: str
    patients: list[tuple[int, str]]  # (id, "Name · +91 98123 45678")
    more_patients: bool
    patient: Patient | None


@dataclass
class MoveForm:
    """The open "Move" panel of one booked row: a day and its free times."""

    appointment_id: int
    day: dt.date
    day_label: str
    first_day: dt.date
    last_day: dt.date
    slots: list[SlotChoice]


def new_open(params: QueryDict) -> bool:
    return "new" in params or "new_day" in params


def new_form(*, doctor: Doctor, params: QueryDict, query: str, now: dt.datetime) -> NewForm:
    """The box as `params` open it; `query` is the patient search, already cleaned for the
    database (the view cleans it with chat.whatsapp.body.clean_text)."""
    first, last = _bookable_days(doctor, now)
    day = _chosen_day(params.get("new_day"), first=first, last=last)
    chosen_id = params.get("patient")
    chosen = patient_for(doctor, chosen_id)
    if chosen_id and chosen is None:
        raise Http404("No such patient.")
    patients = Patient.objects.filter(doctor=doctor, erased_at__isnull=True)
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        found = Q(name__icontains=query) | Q(username__icontains=query)
        if len(digits) >= 3:
            found |= Q(wa_id__contains=digits)
        patients = patients.filter(found)
    listed = list(patients.order_by("name", "pk")[: PATIENTS_LISTED + 1])
    more = len(listed) > PATIENTS_LISTED
    listed = listed[:PATIENTS_LISTED]
    if chosen is not None and chosen not in listed:
        listed.insert(0, chosen)
    return NewForm(
        day=day,
        day_label=say.day_label(day, first),
        first_day=first,
        last_day=last,
        slots=_slot_choices(doctor, day, now=now),
        query=query,
        patients=[(p.pk, " · ".join(filter(None, [p.display_name, display_phone(p)]))) for p in listed],
        more_patients=more,
        patient=chosen,
    )


def move_form(*, doctor: Doctor, params: QueryDict, now: dt.datetime) -> MoveForm | None:
    """The Move panel of the row `?move=<id>` names, if it is this clinic's booked appointment."""
    pk = _row_id(params.get("move"))
    if pk is None:
        return None
    appointment = Appointment.objects.filter(doctor=doctor, pk=pk, status=Appointment.Status.BOOKED).first()
    if appointment is None:
        return None
    first, last = _bookable_days(doctor, now)
    default = timezone.localtime(appointment.start, doctor.tz).date().isoformat()
    day = _chosen_day(params.get("move_day") or default, first=first, last=last)
    return MoveForm(
        appointment_id=appointment.pk,
        day=day,
        day_label=say.day_label(day, first),
        first_day=first,
        last_day=last,
        slots=_slot_choices(doctor, day, now=now, exclude=appointment),
    )


def patient_for(doctor: Doctor, value: str | None) -> Patient | None:
    """One of this clinic's patients (not erased); None for anything else, another clinic's included."""
    pk = _row_id(value)
    if pk is None:
        return None
    return Patient.objects.filter(doctor=doctor, pk=pk, erased_at__isnull=True).first()


def _row_id(value: str | None) -> int | None:
    """A database id from a form or query; None for anything else (a 4,301-digit number included)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _desk_rules(doctor: Doctor) -> Doctor:
    """The doctor's rules as the desk books by them (booking.front_desk.book_by_staff): no minimum
    notice. A copy, never saved."""
    relaxed = copy.copy(doctor)
    relaxed.min_notice_minutes = 0
    return relaxed


def _bookable_days(doctor: Doctor, now: dt.datetime) -> tuple[dt.date, dt.date]:
    today = timezone.localtime(now, doctor.tz).date()
    return today, today + dt.timedelta(days=doctor.horizon_days)


def _chosen_day(value: str | None, *, first: dt.date, last: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return first
    return min(max(day, first), last)


def _slot_choices(
    doctor: Doctor, day: dt.date, *, now: dt.datetime, exclude: Appointment | None = None
) -> list[SlotChoice]:
    slots = free_slots(_desk_rules(doctor), start_day=day, now=now, exclude_appointment=exclude)
    current = exclude.start if exclude is not None else None
    return [
        SlotChoice(value=slot.isoformat(), label=say.clock(slot) + (" (its time now)" if slot == current else ""))
        for slot in slots
    ]
