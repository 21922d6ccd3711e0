"""The booking-services tests' reference moment and booker (shared by the test_services_* modules).

The clinic is factories.CLINIC_HOURS (Mon–Fri 10:00–13:00 and 17:00–20:00, Sat mornings) in
India, 30-minute slots (the `doctor` fixture of booking/tests/conftest.py); Monday 7 December
2026 is the reference day. The `after_change` fixture is in booking/tests/conftest.py.
"""

from booking.services import appointment_book
from booking.tests.factories import ist

NOW = ist("2026-12-07 08:00")  # Monday, before opening


def book(doctor, patient, when: str, now=NOW, **kwargs):
    return appointment_book(doctor=doctor, patient=patient, start=ist(when), now=now, **kwargs)
