"""The availability tests' reference moment and readers (shared by the test_slots_* modules).

Reference week (India, Asia/Kolkata): Monday 7 December 2026 … Sunday 13 December 2026.
The clinic (factories.CLINIC_HOURS, the `doctor` fixture of booking/tests/conftest.py) is open
Mon–Fri 10:00–13:00 and 17:00–20:00, Sat 10:00–13:00, closed on Sunday; slots are 30 minutes,
no minimum notice unless a test says so.
"""

import datetime as dt

from booking.tests.factories import ist

MONDAY = dt.date(2026, 12, 7)
NOW = ist("2026-12-07 08:00")  # Monday, before opening


def day_times(slots: list[dt.datetime]) -> list[str]:
    return [f"{slot:%a %H:%M}" for slot in slots]


def hhmm(slots: list[dt.datetime]) -> list[str]:
    return [f"{slot:%H:%M}" for slot in slots]


MONDAY_SLOTS = [
    "10:00", "10:30", "11:00", "11:30", "12:00", "12:30",
    "17:00", "17:30", "18:00", "18:30", "19:00", "19:30",
]  # fmt: skip
