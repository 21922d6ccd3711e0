"""Booked appointments that fall in the doctor's time off, and telling those patients.

Time off can be saved over days that already have booked patients. Nothing is cancelled: the
appointments stay booked and are *computed* as covered, so the mark lasts exactly as long as
the appointment sits inside time off, and disappears once it is moved out or cancelled.

When staff choose to, each covered patient is told once (chat.notices.tell_covered_patients,
which words and sends the notice; booking sits below chat): inside the 24-hour window a WhatsApp
list of the nearest free times, each row moving that appointment ("move:<appointment>:<UTC
start>", the booking flow's own rows), and the conversation set to "which new time?" for that
appointment, so a typed "tomorrow 5pm" moves it too; outside the window the clinic's
CLOSURE_TEMPLATE. The AuditEvent written with the message (its detail starts with `notice_key`)
is what makes it once-only: a second post finds it (`told_ids`) under the patient's lock and
tells nobody again.

TimeOff rows hold local dates and times (the doctor's timezone); appointments hold UTC.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from booking.context import stamp
from booking.models import Appointment, TimeOff
from patients.models import AuditEvent, Doctor


def covered_appointments(doctor: Doctor, start: dt.datetime, end: dt.datetime) -> QuerySet[Appointment]:
    """The doctor's booked (not cancelled) appointments overlapping [start, end), earliest first."""
    return Appointment.objects.filter(
        doctor=doctor, status=Appointment.Status.BOOKED, start__lt=end, end__gt=start
    ).order_by("start", "pk")


def time_off_spans(
    doctor: Doctor, time_off: TimeOff, *, first: dt.date | None = None, last: dt.date | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The UTC [start, end) spans one TimeOff row closes: a whole local day, or part of each day.

    `first`/`last` clip the local days looked at (a month off read for one week's list).
    """
    tz = doctor.tz
    spans = []
    day = max(time_off.start_date, first or time_off.start_date)
    while day <= min(time_off.end_date, last or time_off.end_date):
        if time_off.start_time is None or time_off.end_time is None:
            span = (_local(day, dt.time(0), tz), _local(day + dt.timedelta(days=1), dt.time(0), tz))
        else:
            span = (_local(day, time_off.start_time, tz), _local(day, time_off.end_time, tz))
        spans.append(span)
        day += dt.timedelta(days=1)
    return spans


def appointments_in_time_off(doctor: Doctor, time_off: TimeOff) -> list[Appointment]:
    """The doctor's booked appointments that one TimeOff row covers, earliest first (one query)."""
    spans = time_off_spans(doctor, time_off)
    if not spans:
        return []
    candidates = covered_appointments(doctor, spans[0][0], spans[-1][1]).select_related("patient")
    return [a for a in candidates if any(start < a.end and a.start < end for start, end in spans)]


def covered_appointment_ids(doctor: Doctor, appointments: Iterable[Appointment]) -> set[int]:
    """Ids of those of `appointments` that are booked and overlap any of the doctor's time off.

    One query whatever the number of appointments: the time off over their local dates (one
    more day either side, for appointments that cross midnight).
    """
    booked = [a for a in appointments if a.status == Appointment.Status.BOOKED and a.doctor_id == doctor.pk]
    if not booked:
        return set()
    tz = doctor.tz
    first = min(a.start for a in booked).astimezone(tz).date() - dt.timedelta(days=1)
    last = max(a.end for a in booked).astimezone(tz).date() + dt.timedelta(days=1)
    spans = [
        span
        for time_off in TimeOff.objects.filter(doctor=doctor, start_date__lte=last, end_date__gte=first)
        for span in time_off_spans(doctor, time_off, first=first, last=last)
    ]
    return {a.pk for a in booked if any(start < a.end and a.start < end for start, end in spans)}


def upcoming_in_time_off(doctor: Doctor, time_offs: Iterable[TimeOff], *, now: dt.datetime) -> list[Appointment]:
    """The booked appointments still ahead that any of these TimeOff rows covers, earliest first."""
    found: dict[int, Appointment] = {}
    for time_off in time_offs:
        for appointment in appointments_in_time_off(doctor, time_off):
            if appointment.start >= now:
                found.setdefault(appointment.pk, appointment)
    return sorted(found.values(), key=lambda appointment: (appointment.start, appointment.pk))


def told_ids(appointments: Iterable[Appointment]) -> set[int]:
    """Ids of the appointments whose patient was already told about a closure at their current start."""
    by_id = {appointment.pk: appointment for appointment in appointments}
    events = AuditEvent.objects.filter(action=AuditEvent.Action.CLOSURE_TOLD, appointment_id__in=by_id)
    return {
        appointment_id
        for appointment_id, detail in events.values_list("appointment_id", "detail")
        if detail.startswith(notice_key(by_id[appointment_id]))
    }


def notice_key(appointment: Appointment) -> str:
    """Told once per appointment and start: a visit moved into another closure is told again."""
    return f"visit {stamp(appointment.start)}"


def _local(day: dt.date, at: dt.time, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)
