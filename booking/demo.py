"""booking's part of the demo clinic (clinicbot/demo.py runs it): the week's hours and a booked
visit per seeded patient, the visit through booking.services like any other booking.

The hours tell the README's story: "Hi → Book appointment → Tomorrow 3pm → Confirmed!" works on
any day whose tomorrow is open, so 15:00 is inside the afternoon hours on every open day.
"""

import datetime as dt

from booking.models import Appointment, WeeklyHours
from booking.services import appointment_book
from booking.slots import next_free_slots
from patients.models import Doctor, Patient

DEMO_HOURS = [(dt.time(10), dt.time(13)), (dt.time(14), dt.time(20))]  # Mon–Sat; 3 PM is open
# What earlier versions seeded: 3 PM fell in the break, so "Tomorrow 3pm" could never book.
OLD_DEMO_HOURS = [(dt.time(10), dt.time(13)), (dt.time(17), dt.time(20))]


def seed_hours(doctor: Doctor) -> int:
    """Mon–Sat DEMO_HOURS, Sunday off. A weekday that has hours keeps them (staff may have set
    their own), except the earlier seed's exact hours, whose evening now starts at 14:00."""
    created = 0
    for weekday in range(6):
        hours = WeeklyHours.objects.filter(doctor=doctor, weekday=weekday)
        existing = sorted(hours.values_list("start", "end"))
        if not existing:
            WeeklyHours.objects.bulk_create(
                WeeklyHours(doctor=doctor, weekday=weekday, start=start, end=end) for start, end in DEMO_HOURS
            )
            created += len(DEMO_HOURS)
        elif existing == OLD_DEMO_HOURS:
            hours.filter(start=OLD_DEMO_HOURS[1][0], end=OLD_DEMO_HOURS[1][1]).update(start=DEMO_HOURS[1][0])
    return created


def seed_appointment(*, doctor: Doctor, patient: Patient, now: dt.datetime, days_ahead: int) -> int:
    """Book the patient's demo visit through the booking service, on the next open slot."""
    if Appointment.objects.filter(patient=patient).exists():
        return 0
    after = now + dt.timedelta(days=days_ahead)
    slots = next_free_slots(doctor, after=after, now=now, limit=1)
    if not slots:
        return 0
    result = appointment_book(
        doctor=doctor, patient=patient, start=slots[0], now=now, source=Appointment.Source.STAFF, reason="Demo visit"
    )
    return 1 if result.appointment else 0
