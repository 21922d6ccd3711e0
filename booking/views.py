"""The doctor's appointments page: today and the coming days, by day in the doctor's timezone,
and the front desk's actions on them (completed, no-show, cancel and tell the patient, move),
and a new appointment booked by the desk into a free time of a chosen day.

Server-rendered, thin views over booking.services and booking.reminders; the page's list is
booking.agenda, its New appointment box and Move panel booking.desk_forms. The doctor comes from
the login (patients.access.doctors_for); an appointment id of another clinic is a 404, exactly
like one that does not exist. Every action is a CSRF-protected POST that redirects back to the
list (post/redirect/get) at the row acted on, with what happened shown inside that row.
Staff bookings and moves go through booking.front_desk.book_by_staff / move_by_staff: the desk may
override the minimum notice and the per-patient limit, never a taken slot.
"""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from booking import desk_forms
from booking import messages as say
from booking.agenda import add_reminder_states, agenda_days, anchor, closed_and_told, display_phone, refresh_at
from booking.front_desk import book_by_staff, move_by_staff
from booking.models import Appointment
from booking.reminders import visit_phrase
from booking.services import BookingResult, appointment_mark
from booking.slots import Reason
from chat.notices import CANCEL_TEMPLATE, NOTE_MAX, appointment_cancel_by_clinic, cancel_notice_channel
from chat.whatsapp.body import clean_text  # NUL and lone surrogates out: the note goes into a message
from patients import audit
from patients.access import doctors_for
from patients.models import Doctor

DAYS_DEFAULT = 7
DAYS_MAX = 31
DAYS_CHOICES = (1, 3, 7, 14, 31)
LIVE_HEADER = "X-Live-Refresh"
NEW_TAG = "appt-new"  # messages shown inside the "New appointment" box


@login_required
@require_GET
def appointments_page(request: HttpRequest) -> HttpResponse:
    doctors = list(doctors_for(request.user).order_by("name"))
    if not doctors:
        return render(request, "booking/appointments.html", {"doctors": []})
    doctor = _chosen_doctor(doctors, request.GET.get("doctor"))
    days = _days(request.GET.get("days"))
    now = timezone.now()
    agenda = agenda_days(doctor=doctor, days=days, now=now, notice_channel=cancel_notice_channel)
    new_form = (
        desk_forms.new_form(doctor=doctor, params=request.GET, query=_patient_search(request), now=now)
        if desk_forms.new_open(request.GET)
        else None
    )
    move_form = desk_forms.move_form(doctor=doctor, params=request.GET, now=now)
    add_reminder_states(agenda, tz=doctor.tz)
    closed_ids, told_ids = closed_and_told(doctor=doctor, agenda=agenda)
    return render(
        request,
        "booking/appointments.html",
        {
            "doctors": doctors,
            "doctor": doctor,
            "days": days,
            "day_choices": sorted({*DAYS_CHOICES, days}),
            "agenda": agenda,
            "booked_total": sum(day.booked for day in agenda),
            "refresh_at": refresh_at(agenda=agenda, now=now, tz=doctor.tz).isoformat(),
            "note_max": NOTE_MAX,
            "cancel_template": CANCEL_TEMPLATE,
            "new_form": new_form,
            "new_tag": NEW_TAG,
            "move_form": move_form,
            "closed_ids": closed_ids,
            "told_ids": told_ids,
            **_no_messages_for_a_live_refetch(request),
        },
    )


@login_required
@require_POST
def mark(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment_for(request, appointment_id)
    status = request.POST.get("status", "")
    if status not in (Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW):
        messages.error(request, "Mark a visit completed or no-show.", extra_tags=anchor(appointment))
        return _back(request, appointment)
    if appointment.start > timezone.now():
        starts = say.clock(appointment.start, appointment.doctor)
        messages.error(
            request,
            f"A visit can be marked completed or no-show once it has started (this one starts at {starts}).",
            extra_tags=anchor(appointment),
        )
        return _back(request, appointment)
    try:
        current = appointment_mark(appointment=appointment, status=status)
    except ValueError:
        messages.error(
            request,
            f"{_who(appointment)}'s appointment was cancelled; it cannot be marked.",
            extra_tags=anchor(appointment),
        )
        return _back(request, appointment)
    audit.record(
        audit.Action.APPOINTMENT_MARKED,
        request=request,
        patient=appointment.patient,
        appointment_id=appointment.pk,
        detail=status,
    )
    messages.success(request, f"Marked {current.get_status_display().lower()}.", extra_tags=anchor(appointment))
    return _back(request, appointment)


@login_required
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment_for(request, appointment_id)
    now = timezone.now()
    when = visit_phrase(appointment.start, now=now, tz=appointment.doctor.tz)
    outcome = appointment_cancel_by_clinic(
        appointment=appointment, note=clean_text(request.POST.get("note", "")), user=request.user, now=now
    )
    if outcome.result.ok:
        audit.record(
            audit.Action.APPOINTMENT_CANCELLED,
            request=request,
            patient=appointment.patient,
            appointment_id=appointment.pk,
        )
    if not outcome.result.ok:
        state = outcome.result.appointment.get_status_display().lower()
        messages.error(
            request,
            f"{_who(appointment)}'s appointment {when} is already {state}; nothing was changed.",
            extra_tags=anchor(appointment),
        )
    elif outcome.notice.ok:
        how = "with the clinic's template" if outcome.notice.message.type == "template" else "on WhatsApp"
        messages.success(
            request,
            f"Cancelled {_who(appointment)}'s appointment {when}. The patient was told {how}.",
            extra_tags=anchor(appointment),
        )
    else:
        phone = display_phone(appointment.patient)
        call = f" Please call them on {phone}." if phone else ""
        messages.warning(
            request,
            f"Cancelled {_who(appointment)}'s appointment {when}, but the patient could not be told: "
            f"{outcome.notice.problem}{call}",
            extra_tags=anchor(appointment),
        )
    return _back(request, appointment)


@login_required
@require_POST
def book(request: HttpRequest) -> HttpResponse:
    """The desk books a patient of this clinic into a free time (notice and limit overridden)."""
    doctors = list(doctors_for(request.user).order_by("name"))
    if not doctors:
        raise Http404("No such clinic.")
    doctor = _chosen_doctor(doctors, request.POST.get("doctor"))
    patient = desk_forms.patient_for(doctor, request.POST.get("patient"))
    if patient is None:
        raise Http404("No such patient.")
    days = _days(request.POST.get("days"))
    start = _posted_start(request.POST.get("start"))
    if start is None:
        messages.error(request, "Choose one of the free times.", extra_tags=NEW_TAG)
        return HttpResponseRedirect(_page_url(doctor.pk, days=days, anchor=NEW_TAG, new=1, patient=patient.pk))
    result = book_by_staff(
        doctor=doctor,
        patient=patient,
        start=start,
        user=request.user,
        reason=clean_text(request.POST.get("reason", "")),
        request=request,
    )
    if not result.ok:
        messages.error(request, _refusal("Not booked", result, start=start, doctor=doctor), extra_tags=NEW_TAG)
        day = timezone.localtime(start, doctor.tz).date()
        return HttpResponseRedirect(
            _page_url(doctor.pk, days=days, anchor=NEW_TAG, new=1, patient=patient.pk, new_day=day.isoformat())
        )
    appointment = result.appointment
    messages.success(
        request,
        f"Booked {patient.display_name} for {say.long_moment(appointment.start, doctor)}. "
        "The patient was not sent a message: tell them if they do not know.",
        extra_tags=anchor(appointment),
    )
    return HttpResponseRedirect(_page_url(doctor.pk, days=_days_to_show(appointment, days), anchor=anchor(appointment)))


@login_required
@require_POST
def move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The desk moves a booked appointment to another free time (notice and limit overridden)."""
    appointment = _appointment_for(request, appointment_id)
    doctor = appointment.doctor
    days = _days(request.POST.get("days"))
    start = _posted_start(request.POST.get("start"))
    if start is None:
        messages.error(request, "Choose one of the free times.", extra_tags=anchor(appointment))
        return HttpResponseRedirect(_page_url(doctor.pk, days=days, anchor=anchor(appointment), move=appointment.pk))
    old_start = appointment.start
    result = move_by_staff(appointment=appointment, start=start, user=request.user, request=request)
    if not result.ok:
        messages.error(
            request, _refusal("Not moved", result, start=start, doctor=doctor), extra_tags=anchor(appointment)
        )
        day = timezone.localtime(start, doctor.tz).date()
        query = {"move": appointment.pk, "move_day": day.isoformat()}
        if result.reason == Reason.NOT_BOOKED:
            query = {}
        return HttpResponseRedirect(_page_url(doctor.pk, days=days, anchor=anchor(appointment), **query))
    moved = result.appointment
    messages.success(
        request,
        f"Moved {_who(moved)}'s appointment from {say.slot_title(old_start, doctor)} to "
        f"{say.long_moment(moved.start, doctor)}. The patient was not sent a message: tell them.",
        extra_tags=anchor(moved),
    )
    return HttpResponseRedirect(_page_url(doctor.pk, days=_days_to_show(moved, days), anchor=anchor(moved)))


def _no_messages_for_a_live_refetch(request: HttpRequest) -> dict:
    """The page's own refetch (static/js/appointments.js sends LIVE_HEADER) shows no messages, so
    it leaves them in the session: an action's outcome belongs to the page its redirect loads,
    and a second tab's refetch triggered by the same change may arrive first."""
    return {"messages": []} if request.headers.get(LIVE_HEADER) == "1" else {}


# --- helpers (presentation only) ----------------------------------------------------------------


def _patient_search(request: HttpRequest) -> str:
    return clean_text(" ".join(request.GET.get("q", "").split()), 80)


def _chosen_doctor(doctors: list[Doctor], requested: str | None) -> Doctor:
    if not requested:
        return doctors[0]
    chosen = next((d for d in doctors if str(d.pk) == requested), None)
    if chosen is None:
        raise Http404("No such clinic.")
    return chosen


def _days(requested: str | None) -> int:
    if requested and requested.isascii() and requested.isdigit():
        if len(requested.lstrip("0")) > 4:  # more than any list shows; int() of 4,301 digits raises
            return DAYS_MAX
        return min(max(int(requested), 1), DAYS_MAX)
    return DAYS_DEFAULT


def _appointment_for(request: HttpRequest, appointment_id: int) -> Appointment:
    """The appointment, if it is one of the user's clinics'; 404 otherwise (never 403)."""
    return get_object_or_404(
        Appointment.objects.select_related("doctor", "patient"),
        pk=appointment_id,
        doctor__in=doctors_for(request.user),
    )


def _who(appointment: Appointment) -> str:
    return appointment.patient.display_name


def _back(request: HttpRequest, appointment: Appointment) -> HttpResponseRedirect:
    query = {"doctor": appointment.doctor_id, "days": _days(request.POST.get("days"))}
    return HttpResponseRedirect(f"{reverse('appointments')}?{urlencode(query)}#{anchor(appointment)}")


def _page_url(doctor_id: int, *, days: int, anchor: str = "", **extra) -> str:
    query = {"doctor": doctor_id, "days": days, **extra}
    return f"{reverse('appointments')}?{urlencode(query)}" + (f"#{anchor}" if anchor else "")


def _days_to_show(appointment: Appointment, days: int) -> int:
    """Enough days for the list to show `appointment`'s row (a booking 10 days ahead, 7 days listed)."""
    tz = appointment.doctor.tz
    ahead = (timezone.localtime(appointment.start, tz).date() - timezone.localtime(timezone.now(), tz).date()).days
    return min(max(days, ahead + 1), DAYS_MAX)


def _posted_start(value: str | None) -> dt.datetime | None:
    """A slot's start as the form sends it back (ISO 8601 with an offset); None if it is not one."""
    try:
        start = dt.datetime.fromisoformat((value or "").strip()[:40])
        if start.utcoffset() is None:
            return None
        start.astimezone(dt.UTC)  # year 1 at +05:30 has no UTC instant
    except (ValueError, OverflowError):
        return None
    return start


def _refusal(what: str, result: BookingResult, *, start: dt.datetime, doctor: Doctor) -> str:
    """Why the desk's booking or move was refused, and the nearest free times, in the clinic's time."""
    when = say.slot_title(start, doctor)
    if result.reason == Reason.TAKEN:
        text = f"{what}: {when} is already booked, and a slot is never double-booked."
    elif result.reason == Reason.NOT_BOOKED:
        state = result.appointment.get_status_display().lower() if result.appointment else "not booked"
        return f"{what}: the appointment is already {state}; nothing was changed."
    else:
        text = f"{what}: {result.reason.label.lower()} ({when})."
    if result.alternatives:
        text += " Free nearby: " + "; ".join(say.slot_title(slot, doctor) for slot in result.alternatives) + "."
    return text
