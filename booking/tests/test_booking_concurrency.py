"""Many patients asking for the same slot at the same moment: one gets it, the rest hear TAKEN.

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL the doctor row lock serialises them; on SQLite the IMMEDIATE transaction does
(and the 20 s busy timeout makes the others wait instead of failing with "database is
locked"). `_taken` is the answer for a racer caught by the unique constraint after the
check; it is spied on to show the lock alone kept them apart.
"""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection

from booking import services
from booking.models import Appointment
from booking.services import BookingResult, appointment_book, appointment_reschedule
from booking.slots import Reason
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient

NOW = ist("2026-12-07 08:00")  # Monday, before opening
SLOT = ist("2026-12-07 10:30")

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="50 concurrent connections need PostgreSQL (set DATABASE_URL=postgres://…); SQLite runs the 8-thread race",
)


def race(attempts: list) -> tuple[list[BookingResult], list[BaseException]]:
    """Run every attempt in its own thread, all released at once; collect results and exceptions."""
    barrier = threading.Barrier(len(attempts))
    results: list[BookingResult] = []
    errors: list[BaseException] = []
    collected = threading.Lock()

    def run(attempt) -> None:
        try:
            barrier.wait(timeout=30)
            result = attempt()
            with collected:
                results.append(result)
        except BaseException as exc:  # every failure is counted: the test expects none
            with collected:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a booking thread hung"
    return results, errors


def book_attempts(doctor, count: int) -> list:
    patients = [make_patient(doctor) for _ in range(count)]
    return [
        lambda patient=patient: appointment_book(doctor=doctor, patient=patient, start=SLOT, now=NOW)
        for patient in patients
    ]


def assert_one_winner(results, errors, attempts: int, capacity: int = 1) -> None:
    assert errors == [], f"{len(errors)} attempts raised, first: {errors[:1]!r}"
    booked = [result for result in results if result.ok]
    refused = [result for result in results if not result.ok]
    assert len(booked) == capacity
    assert len(refused) == attempts - capacity
    assert {result.reason for result in refused} <= {Reason.TAKEN}
    assert all(result.alternatives for result in refused)
    assert all(SLOT not in result.alternatives for result in refused)
    rows = Appointment.objects.filter(start=SLOT, status=Appointment.Status.BOOKED)
    assert sorted(rows.values_list("seat", flat=True)) == list(range(1, capacity + 1))


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_patients_racing_for_one_slot_on_postgresql_book_it_once():
    doctor = make_doctor()
    with mock.patch.object(services, "_taken", wraps=services._taken) as caught_by_constraint:
        results, errors = race(book_attempts(doctor, 50))
    assert_one_winner(results, errors, attempts=50)
    assert caught_by_constraint.call_count == 0


@on_postgresql
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fifty_patients_racing_for_a_slot_of_capacity_three_on_postgresql_fill_it_exactly():
    doctor = make_doctor(slot_capacity=3)
    results, errors = race(book_attempts(doctor, 50))
    assert_one_winner(results, errors, attempts=50, capacity=3)


@pytest.mark.django_db(transaction=True)
def test_eight_patients_racing_for_one_slot_book_it_once():
    """Runs on both databases; on SQLite it also shows no "database is locked" escapes."""
    doctor = make_doctor()
    with mock.patch.object(services, "_taken", wraps=services._taken) as caught_by_constraint:
        results, errors = race(book_attempts(doctor, 8))
    assert not [error for error in errors if "locked" in str(error)]
    assert_one_winner(results, errors, attempts=8)
    assert caught_by_constraint.call_count == 0


@pytest.mark.django_db(transaction=True)
def test_bookings_and_reschedules_racing_into_one_slot_fill_it_once():
    """Four new bookings and four moves from other slots, all aiming at 10:30: one wins."""
    doctor = make_doctor()
    moving = [make_appointment(doctor, ist(f"2026-12-08 {hour}:00")) for hour in (10, 11, 12, 17)]
    attempts = book_attempts(doctor, 4) + [
        lambda appointment=appointment: appointment_reschedule(
            appointment=appointment, new_start=SLOT, now=NOW, by_patient=True
        )
        for appointment in moving
    ]
    results, errors = race(attempts)
    assert_one_winner(results, errors, attempts=8)
    # every move that lost left its appointment where it was
    still_tuesday = Appointment.objects.filter(pk__in=[a.pk for a in moving], start__date=dt.date(2026, 12, 8))
    assert still_tuesday.count() == 4 - Appointment.objects.filter(pk__in=[a.pk for a in moving], start=SLOT).count()
