"""Why a start cannot be booked, or an appointment cannot be changed: one enum for booking/slots.py
(the first six) and booking/services.py (the rest), in a module of its own so that
booking/schedule.py, which finds the slot reasons, sits below booking/slots.py. Callers import it
from booking.slots.
"""

from django.db import models


class Reason(models.TextChoices):
    """Why a start cannot be booked (or an appointment cannot be changed).

    check_start gives the first six; TOO_MANY, TOO_LATE and NOT_BOOKED come from
    booking/services.py, kept in this one enum so callers compare against a single type.
    """

    CLOSED = "closed", "The clinic is closed at that time"
    TAKEN = "taken", "That time is already taken"
    PAST = "past", "That time has already passed"
    TOO_SOON = "too_soon", "That time is too soon to book"
    TOO_FAR = "too_far", "That time is too far ahead to book"
    NOT_ALIGNED = "not_aligned", "Appointments start at fixed times"
    TOO_MANY = "too_many", "The patient already has the most upcoming appointments allowed"
    TOO_LATE = "too_late", "It is too close to the appointment to change it"
    NOT_BOOKED = "not_booked", "The appointment is no longer booked"
