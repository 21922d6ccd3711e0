"""The demo clinic to click around in (`manage.py seed_demo`, `make demo`, and the tests that
start from it): each app seeds its own rows, in the order they depend on each other.

An entry point like a management command: the one module of clinicbot that calls every app
(clinicbot/tests/test_layers.py lists it). Running it again adds nothing.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from booking import demo as booking_demo
from chat import demo as chat_demo
from patients import demo as patients_demo


@transaction.atomic
def seed_demo(*, now: dt.datetime | None = None) -> int:
    """Create whatever part of the demo clinic is missing. Returns how many rows were created."""
    now = now or timezone.now()
    doctor, created = patients_demo.seed_clinic()
    created += booking_demo.seed_hours(doctor)
    created += chat_demo.seed_templates(doctor)
    for index, (patient, new) in enumerate(patients_demo.seed_patients(doctor)):
        created += new
        if not new:
            continue
        at = now - dt.timedelta(hours=3 - index, minutes=5)  # an hour apart, the last about 1 hour ago
        created += chat_demo.seed_conversation(patient=patient, at=at)
        created += booking_demo.seed_appointment(doctor=doctor, patient=patient, now=now, days_ahead=index + 1)
    return created
