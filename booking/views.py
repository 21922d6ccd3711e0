"""The doctor's appointments page: today and the coming days, by day in the doctor's timezone,
and the front desk's actions on them (completed, no-show, cancel and tell the patient, move),
and a new appointment booked by the desk into a free time of a chosen day.

Server-rendered, thin views over booking.services and booking.reminders. The doctor comes from
the login (patients.access.doctors_for); an appointment id of another clinic is a 404, exactly
like one that does not exist. Every action is a CSRF-protected POST that redirects back to the
list (post/redirect/get) at the row acted on, with what happened shown inside that row.
Staff bookings and moves go through booking.services.book_by_staff / move_by_staff: the desk may
override the minimum notice and the per-patient limit, never a taken slot.
"""

import copy
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from booking import closures
from booking import messages as say
from booking.models import Appointment
from booking.reminders import reminder_states, visit_phrase
from booking.services import BookingResult, appointment_mark, book_by_staff, move_by_staff
from booking.slots import Reason, free_slots
from chat.notices import CANCEL_TEMPLATE, NOTE_MAX, appointment_cancel_by_clinic, cancel_notice_channel
from chat.whatsapp.body import clean_text  # NUL and lone surrogates out: the note goes into a message
from patients import audit
from patients.access import doctors_for
from patients.models import Doctor, Patient

DAYS_DEFAULT = 7
DAYS_MAX = 31
DAYS_CHOICES = (1, 3, 7, 14, 31)
LIVE_HEADER = "X-Live-Refresh"
NEW_TAG = "appt-new"  # messages shown inside the "New appointment" box
PATIENTS_LISTED = 200  # in the new appointment's patient list; a search finds the others


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
    new_form = _new_form(doctor=doctor, params=request.GET, now=now) if _new_open(request.GET) else None
    move_form = _move_form(doctor=doctor, params=request.GET, now=now)
    _add_reminder_states(agenda, tz=doctor.tz)
    closed_ids, told_ids = _closed_and_told(doctor=doctor, agenda=agenda)
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


@login_required
@require_POST
def book(request: HttpRequest) -> HttpResponse:
    """The desk books a patient of this clinic into a free time (notice and limit overridden)."""
    doctors = list(doctors_for(request.user).order_by("name"))
    if not doctors:
        raise Http404("No such clinic.")
    doctor = _chosen_doctor(doctors, request.POST.get("doctor"))
    patient = _patient_for(doctor, request.POST.get("patient"))
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
        extra_tags=_anchor(appointment),
    )
    return HttpResponseRedirect(
        _page_url(doctor.pk, days=_days_to_show(appointment, days), anchor=_anchor(appointment))
    )


@login_required
@require_POST
def move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The desk moves a booked appointment to another free time (notice and limit overridden)."""
    appointment = _appointment_for(request, appointment_id)
    doctor = appointment.doctor
    days = _days(request.POST.get("days"))
    start = _posted_start(request.POST.get("start"))
    if start is None:
        messages.error(request, "Choose one of the free times.", extra_tags=_anchor(appointment))
        return HttpResponseRedirect(_page_url(doctor.pk, days=days, anchor=_anchor(appointment), move=appointment.pk))
    old_start = appointment.start
    result = move_by_staff(appointment=appointment, start=start, user=request.user, request=request)
    if not result.ok:
        messages.error(
            request, _refusal("Not moved", result, start=start, doctor=doctor), extra_tags=_anchor(appointment)
        )
        day = timezone.localtime(start, doctor.tz).date()
        query = {"move": appointment.pk, "move_day": day.isoformat()}
        if result.reason == Reason.NOT_BOOKED:
            query = {}
        return HttpResponseRedirect(_page_url(doctor.pk, days=days, anchor=_anchor(appointment), **query))
    moved = result.appointment
    messages.success(
        request,
        f"Moved {_who(moved)}'s appointment from {say.slot_title(old_start, doctor)} to "
        f"{say.long_moment(moved.start, doctor)}. The patient was not sent a message: tell them.",
        extra_tags=_anchor(moved),
    )
    return HttpResponseRedirect(_page_url(doctor.pk, days=_days_to_show(moved, days), anchor=_anchor(moved)))


# --- helpers (presentation only) ----------------------------------------------------------------


def _no_messages_for_a_live_refetch(request: HttpRequest) -> dict:
    """The page's own refetch (static/js/appointments.js sends LIVE_HEADER) shows no messages, so
    it leaves them in the session: an action's outcome belongs to the page its redirect loads,
    and a second tab's refetch triggered by the same change may arrive first."""
    return {"messages": []} if request.headers.get(LIVE_HEADER) == "1" else {}


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


def _patient_for(doctor: Doctor, value: str | None) -> Patient | None:
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


def _desk_rules(doctor: Doctor) -> Doctor:
    """The doctor's rules as the desk books by them (booking.services.book_by_staff): no minimum
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


def _new_open(params: QueryDict) -> bool:
    return "new" in params or "new_day" in params


def _new_form(*, doctor: Doctor, params: QueryDict, now: dt.datetime) -> NewForm:
    first, last = _bookable_days(doctor, now)
    day = _chosen_day(params.get("new_day"), first=first, last=last)
    query = clean_text(" ".join(params.get("q", "").split()), 80)
    chosen_id = params.get("patient")
    chosen = _patient_for(doctor, chosen_id)
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
        patients=[(p.pk, " · ".join(filter(None, [p.display_name, _phone(p)]))) for p in listed],
        more_patients=more,
        patient=chosen,
    )


def _move_form(*, doctor: Doctor, params: QueryDict, now: dt.datetime) -> MoveForm | None:
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


def _closed_and_told(*, doctor: Doctor, agenda: list[Day]) -> tuple[set[int], set[int]]:
    """Booked visits inside the doctor's time off (marked until moved or cancelled), and those of
    them whose patient was already told (booking.closures)."""
    appointments = [row.appointment for day in agenda for row in day.rows]
    closed = closures.covered_appointment_ids(doctor, appointments)
    told = closures.told_ids([a for a in appointments if a.pk in closed]) if closed else set()
    return closed, told
