"""The doctor's appointments page: today and the coming days, by day in the doctor's timezone,
and the front desk's actions on them (completed, no-show, cancel and tell the patient).

Server-rendered, thin views over booking.services and booking.reminders. The doctor comes from
the login (patients.access.doctors_for); an appointment id of another clinic is a 404, exactly
like one that does not exist. Every action is a CSRF-protected POST that redirects back to the
list (post/redirect/get) at the row acted on, with what happened shown inside that row.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from booking import messages as say
from booking.models import Appointment
from booking.reminders import (
    CANCEL_TEMPLATE,
    NOTE_MAX,
    appointment_cancel_by_clinic,
    cancel_notice_channel,
    reminder_states,
    visit_phrase,
)
from booking.services import appointment_mark
from patients import audit
from patients.access import doctors_for
from patients.models import Doctor, Patient

DAYS_DEFAULT = 7
DAYS_MAX = 31
DAYS_CHOICES = (1, 3, 7, 14, 31)


@dataclass
class Row:
    appointment: Appointment
    anchor: str  # the row's id in the page; its action's outcome is shown inside it
    time: str
    name: str
    phone: str
    chat_url: str
    can_mark: bool
    can_cancel: bool
    overdue: bool  # booked, started, not marked yet
    notice: str  # how a cancellation would reach the patient: text, template or none
    reminder: dict | None = None  # booked visits: {"state", "label"} (booking.reminders.ReminderState)


@dataclass
class Day:
    date: dt.date
    label: str
    open: bool  # the clinic has hours on this weekday
    rows: list[Row] = field(default_factory=list)

    @property
    def booked(self) -> int:
        return sum(1 for row in self.rows if row.appointment.status == Appointment.Status.BOOKED)


@login_required
@require_GET
def appointments_page(request: HttpRequest) -> HttpResponse:
    doctors = list(doctors_for(request.user).order_by("name"))
    if not doctors:
        return render(request, "booking/appointments.html", {"doctors": []})
    doctor = _chosen_doctor(doctors, request.GET.get("doctor"))
    days = _days(request.GET.get("days"))
    now = timezone.now()
    agenda = _agenda(doctor=doctor, days=days, now=now)
    _add_reminder_states(agenda, tz=doctor.tz)
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
            "refresh_at": _refresh_at(agenda=agenda, now=now, tz=doctor.tz).isoformat(),
            "note_max": NOTE_MAX,
            "cancel_template": CANCEL_TEMPLATE,
        },
    )


@login_required
@require_POST
def mark(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment_for(request, appointment_id)
    status = request.POST.get("status", "")
    if status not in (Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW):
        messages.error(request, "Mark a visit completed or no-show.", extra_tags=_anchor(appointment))
        return _back(request, appointment)
    if appointment.start > timezone.now():
        starts = say.clock(appointment.start, appointment.doctor)
        messages.error(
            request,
            f"A visit can be marked completed or no-show once it has started (this one starts at {starts}).",
            extra_tags=_anchor(appointment),
        )
        return _back(request, appointment)
    try:
        current = appointment_mark(appointment=appointment, status=status)
    except ValueError:
        messages.error(
            request,
            f"{_who(appointment)}'s appointment was cancelled; it cannot be marked.",
            extra_tags=_anchor(appointment),
        )
        return _back(request, appointment)
    audit.record(
        audit.Action.APPOINTMENT_MARKED,
        request=request,
        patient=appointment.patient,
        appointment_id=appointment.pk,
        detail=status,
    )
    messages.success(request, f"Marked {current.get_status_display().lower()}.", extra_tags=_anchor(appointment))
    return _back(request, appointment)


@login_required
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = _appointment_for(request, appointment_id)
    now = timezone.now()
    when = visit_phrase(appointment.start, now=now, tz=appointment.doctor.tz)
    outcome = appointment_cancel_by_clinic(
        appointment=appointment, note=request.POST.get("note", ""), user=request.user, now=now
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
            extra_tags=_anchor(appointment),
        )
    elif outcome.notice.ok:
        how = "with the clinic's template" if outcome.notice.message.type == "template" else "on WhatsApp"
        messages.success(
            request,
            f"Cancelled {_who(appointment)}'s appointment {when}. The patient was told {how}.",
            extra_tags=_anchor(appointment),
        )
    else:
        phone = _phone(appointment.patient)
        call = f" Please call them on {phone}." if phone else ""
        messages.warning(
            request,
            f"Cancelled {_who(appointment)}'s appointment {when}, but the patient could not be told: "
            f"{outcome.notice.problem}{call}",
            extra_tags=_anchor(appointment),
        )
    return _back(request, appointment)


# --- helpers (presentation only) ----------------------------------------------------------------


def _chosen_doctor(doctors: list[Doctor], requested: str | None) -> Doctor:
    if not requested:
        return doctors[0]
    chosen = next((d for d in doctors if str(d.pk) == requested), None)
    if chosen is None:
        raise Http404("No such clinic.")
    return chosen


def _days(requested: str | None) -> int:
    if requested and requested.isascii() and requested.isdigit():
        return min(max(int(requested), 1), DAYS_MAX)
    return DAYS_DEFAULT


def _appointment_for(request: HttpRequest, appointment_id: int) -> Appointment:
    """The appointment, if it is one of the user's clinics'; 404 otherwise (never 403)."""
    return get_object_or_404(
        Appointment.objects.select_related("doctor", "patient"),
        pk=appointment_id,
        doctor__in=doctors_for(request.user),
    )


def _agenda(*, doctor: Doctor, days: int, now: dt.datetime) -> list[Day]:
    """Every day from today for `days` days, in the doctor's timezone, with its appointments."""
    tz = doctor.tz
    today = timezone.localtime(now, tz).date()
    dates = [today + dt.timedelta(days=n) for n in range(days)]
    start = dt.datetime.combine(dates[0], dt.time(), tzinfo=tz)
    end = dt.datetime.combine(dates[-1] + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    appointments = (
        Appointment.objects.filter(doctor=doctor, start__gte=start, start__lt=end)
        .select_related("patient", "patient__doctor")
        .order_by("start", "seat")
    )
    templates = set(doctor.templates.filter(active=True).values_list("name", "language"))
    weekdays = set(doctor.weekly_hours.values_list("weekday", flat=True))
    by_date = {
        date: Day(date=date, label=say.day_label(date, today), open=date.weekday() in weekdays) for date in dates
    }
    for appointment in appointments:
        local = timezone.localtime(appointment.start, tz)
        booked = appointment.status == Appointment.Status.BOOKED
        by_date[local.date()].rows.append(
            Row(
                appointment=appointment,
                anchor=_anchor(appointment),
                time=say.clock(local),
                name=appointment.patient.display_name,
                phone=_phone(appointment.patient),
                chat_url=f"/chat/#p={appointment.patient_id}",
                can_mark=appointment.start <= now and appointment.status != Appointment.Status.CANCELLED,
                can_cancel=booked,
                overdue=booked and appointment.start <= now,
                notice=cancel_notice_channel(appointment.patient, now=now, templates=templates) if booked else "",
            )
        )
    return list(by_date.values())


def _refresh_at(*, agenda: list[Day], now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """When the page changes by the clock alone: the next booked visit starts (Completed / No-show
    are offered from then) or the clinic's day ends (today moves). The page's script reloads then."""
    midnight = dt.datetime.combine(timezone.localtime(now, tz).date() + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    starts = (
        row.appointment.start
        for day in agenda
        for row in day.rows
        if row.appointment.status == Appointment.Status.BOOKED and row.appointment.start > now
    )
    return min(min(starts, default=midnight), midnight).astimezone(dt.UTC)


def _add_reminder_states(agenda: list[Day], *, tz: dt.tzinfo) -> None:
    """Each booked visit's reminder state ("Reminded Wed 25 Nov, 3:00 PM", "Reminder failed …")."""
    rows = [row for day in agenda for row in day.rows if row.appointment.status == Appointment.Status.BOOKED]
    states = reminder_states([row.appointment for row in rows])
    for row in rows:
        state = states[row.appointment.pk]
        row.reminder = {"state": state.state, "label": state.label(tz)}


def _phone(patient: Patient) -> str:
    wa_id = patient.wa_id or ""
    if len(wa_id) == 12 and wa_id.startswith("91"):
        return f"+91 {wa_id[2:7]} {wa_id[7:]}"
    return f"+{wa_id}" if wa_id else ""


def _anchor(appointment: Appointment) -> str:
    return f"a-{appointment.pk}"


def _who(appointment: Appointment) -> str:
    return appointment.patient.display_name


def _back(request: HttpRequest, appointment: Appointment) -> HttpResponseRedirect:
    query = {"doctor": appointment.doctor_id, "days": _days(request.POST.get("days"))}
    return HttpResponseRedirect(f"{reverse('appointments')}?{urlencode(query)}#{_anchor(appointment)}")
