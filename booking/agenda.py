"""The appointments page's list (/appointments/, booking.views): every day from today in the
doctor's timezone with its appointments as rows, each booked visit's reminder state, the visits
inside time off, and when the page changes by the clock alone.

Presentation only: read queries and formatting, no writes. How a cancellation would reach each
patient is chat's to say (chat.notices.cancel_notice_channel); the view passes it in as
`notice_channel`, so booking imports nothing from chat.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from booking import closures
from booking import messages as say
from booking.models import Appointment
from booking.reminders import reminder_states
from patients.models import Doctor, Patient


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


def agenda_days(*, doctor: Doctor, days: int, now: dt.datetime, notice_channel: Callable[..., str]) -> list[Day]:
    """Every day from today for `days` days, in the doctor's timezone, with its appointments.
    `notice_channel` is chat.notices.cancel_notice_channel (how a cancellation would reach a patient)."""
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
                anchor=anchor(appointment),
                time=say.clock(local),
                name=appointment.patient.display_name,
                phone=display_phone(appointment.patient),
                chat_url=f"/chat/#p={appointment.patient_id}",
                can_mark=appointment.start <= now and appointment.status != Appointment.Status.CANCELLED,
                can_cancel=booked,
                overdue=booked and appointment.start <= now,
                notice=notice_channel(appointment.patient, now=now, templates=templates) if booked else "",
            )
        )
    return list(by_date.values())


def refresh_at(*, agenda: list[Day], now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
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


def add_reminder_states(agenda: list[Day], *, tz: dt.tzinfo) -> None:
    """Each booked visit's reminder state ("Reminded Wed 25 Nov, 3:00 PM", "Reminder failed …")."""
    rows = [row for day in agenda for row in day.rows if row.appointment.status == Appointment.Status.BOOKED]
    states = reminder_states([row.appointment for row in rows])
    for row in rows:
        state = states[row.appointment.pk]
        row.reminder = {"state": state.state, "label": state.label(tz)}


def closed_and_told(*, doctor: Doctor, agenda: list[Day]) -> tuple[set[int], set[int]]:
    """Booked visits inside the doctor's time off (marked until moved or cancelled), and those of
    them whose patient was already told (booking.closures)."""
    appointments = [row.appointment for day in agenda for row in day.rows]
    closed = closures.covered_appointment_ids(doctor, appointments)
    told = closures.told_ids([a for a in appointments if a.pk in closed]) if closed else set()
    return closed, told


def display_phone(patient: Patient) -> str:
    wa_id = patient.wa_id or ""
    if len(wa_id) == 12 and wa_id.startswith("91"):
        return f"+91 {wa_id[2:7]} {wa_id[7:]}"
    return f"+{wa_id}" if wa_id else ""


def anchor(appointment: Appointment) -> str:
    return f"a-{appointment.pk}"
