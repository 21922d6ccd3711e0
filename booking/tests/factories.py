"""Small helpers that build a doctor's schedule for booking tests: plain functions, real rows."""

import datetime as dt
import itertools
import zoneinfo

from booking.models import Appointment, TimeOff, WeeklyHours
from patients.models import Doctor, Patient

IST = zoneinfo.ZoneInfo("Asia/Kolkata")

# Mon–Fri 10:00–13:00 and 17:00–20:00 (a lunch break between), Sat 10:00–13:00, Sun closed.
CLINIC_HOURS: dict[int, list[tuple[str, str]]] = {
    **{weekday: [("10:00", "13:00"), ("17:00", "20:00")] for weekday in range(5)},
    5: [("10:00", "13:00")],
}

# Mon–Sat 10:00–13:00 and 17:00–20:00, Sunday closed: the conversation tests' clinic (chat's
# phone.make_clinic, booking's chatting.make_clinic), the demo's hours before 3 PM opened.
TWO_SESSION_HOURS: dict[int, list[tuple[str, str]]] = {
    weekday: [("10:00", "13:00"), ("17:00", "20:00")] for weekday in range(6)
}

_numbers = itertools.count(1)


def make_doctor(*, hours: dict[int, list[tuple[str, str]]] | None = None, **fields) -> Doctor:
    """A doctor with weekly hours (CLINIC_HOURS unless given) and any Doctor fields overridden.

    Defaults that keep test arithmetic simple: 30-minute slots, no minimum notice.
    """
    fields = {"name": f"Dr Test {next(_numbers)}", "slot_minutes": 30, "min_notice_minutes": 0, **fields}
    doctor = Doctor.objects.create(**fields)
    set_hours(doctor, CLINIC_HOURS if hours is None else hours)
    return doctor


def set_hours(doctor: Doctor, hours: dict[int, list[tuple[str, str]]]) -> None:
    """Replace the doctor's weekly hours: {weekday (0 = Monday): [("HH:MM", "HH:MM"), …]}."""
    WeeklyHours.objects.filter(doctor=doctor).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(doctor=doctor, weekday=weekday, start=_time(start), end=_time(end))
        for weekday, intervals in hours.items()
        for start, end in intervals
    )


def make_patient(doctor: Doctor, **fields) -> Patient:
    fields = {"wa_id": f"9198{next(_numbers):08d}", **fields}
    return Patient.objects.create(doctor=doctor, **fields)


def make_time_off(
    doctor: Doctor,
    start_date: dt.date,
    end_date: dt.date | None = None,
    *,
    start_time: str | None = None,
    end_time: str | None = None,
) -> TimeOff:
    """Whole days off, or part of each day when both times are given."""
    return TimeOff.objects.create(
        doctor=doctor,
        start_date=start_date,
        end_date=end_date or start_date,
        start_time=_time(start_time) if start_time else None,
        end_time=_time(end_time) if end_time else None,
    )


def make_appointment(doctor: Doctor, start: dt.datetime, *, patient: Patient | None = None, **fields) -> Appointment:
    """A booked appointment written directly, for arranging a schedule (not through services)."""
    return Appointment.objects.create(
        doctor=doctor,
        patient=patient or make_patient(doctor),
        start=start,
        end=start + dt.timedelta(minutes=doctor.slot_minutes),
        **fields,
    )


def local(doctor_or_tz: Doctor | dt.tzinfo, text: str) -> dt.datetime:
    """An aware datetime from "YYYY-MM-DD HH:MM" in the doctor's (or the given) timezone."""
    tz = doctor_or_tz.tz if isinstance(doctor_or_tz, Doctor) else doctor_or_tz
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=tz)


def ist(text: str) -> dt.datetime:
    """An aware datetime from "YYYY-MM-DD HH:MM" in India (Asia/Kolkata)."""
    return local(IST, text)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)
