"""A due reminder is sent once whatever the number of workers racing for it.

The clinic is open 9:00–18:00 Mon–Sat in India. The visit is Thursday 26 November 2026 at
15:00 IST; with the default offsets its reminders are due Wednesday 15:00 and Thursday 13:00.
Times are frozen with time_machine (also in the racing threads: it patches the clock globally).
"""

import datetime as dt
import io
import re
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from booking import reminders
from booking.models import Reminder
from booking.tests.reminding import (
    DAY_BEFORE,
    TEXT_TOMORROW,
    VISIT,
    book,
    clinic,
    outgoing,
    patient_of,
)
from chat.notices import reminder_send

pytestmark = pytest.mark.usefixtures("sandbox_transport")  # booking/tests/conftest.py


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL=postgres://…)"
)


# --- Exactly once, whatever the number of workers -----------------------------------------------


def race(calls: list) -> tuple[list, list]:
    """Run every call in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(calls))
    results, errors, lock = [], [], threading.Lock()

    def run(call) -> None:
        try:
            barrier.wait(timeout=30)
            result = call()
            with lock:
                results.append(result)
        except BaseException as exc:  # counted: the tests expect none
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return results, errors


@pytest.mark.django_db(transaction=True)
class TestExactlyOnce:
    def test_eight_workers_racing_for_one_reminder_send_it_once(self):
        """Runs on SQLite and, with DATABASE_URL set, on PostgreSQL."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        with time_machine.travel(DAY_BEFORE, tick=False):
            results, errors = race([lambda: reminder_send(reminder_id=reminder.pk, now=DAY_BEFORE)] * 8)
        assert errors == []
        assert sorted(results) == ["sent"] + ["taken"] * 7
        assert [m.text for m in outgoing(patient)] == [TEXT_TOMORROW]
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.SENT

    def test_workers_that_all_saw_it_pending_still_send_it_once(self, monkeypatch):
        """All eight read "pending" before any of them claims: the conditional update decides."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        everyone_looked = threading.Barrier(8)
        look_up = reminders._look_up

        def look_up_then_wait(reminder_id):
            found = look_up(reminder_id)
            everyone_looked.wait(timeout=30)
            return found

        monkeypatch.setattr(reminders, "_look_up", look_up_then_wait)
        with time_machine.travel(DAY_BEFORE, tick=False):
            results, errors = race([lambda: reminder_send(reminder_id=reminder.pk, now=DAY_BEFORE)] * 8)
        assert errors == []
        assert sorted(results) == ["sent"] + ["taken"] * 7
        assert len(outgoing(patient)) == 1

    @on_postgresql
    @pytest.mark.slow
    def test_thirty_workers_on_postgresql_send_each_of_ten_reminders_once(self):
        doctor = clinic(slot_capacity=10)  # a token clinic: ten patients at 3 PM
        patients = [patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1)) for _ in range(10)]
        for patient in patients:
            book(doctor, patient)
        ids = list(Reminder.objects.filter(offset_minutes=1440).values_list("pk", flat=True))
        late = DAY_BEFORE + dt.timedelta(hours=3)
        with time_machine.travel(late, tick=False):
            results, errors = race(
                [lambda pk=pk: reminder_send(reminder_id=pk, now=late) for pk in ids for _ in range(3)]
            )
        assert errors == []
        assert results.count("sent") == 10
        assert results.count("taken") == 20
        assert [len(outgoing(p)) for p in patients] == [1] * 10

    def test_two_sweeps_at_once_send_each_due_reminder_once(self):
        doctor = clinic()
        patients = [patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1)) for _ in range(6)]
        for number, patient in enumerate(patients):
            book(doctor, patient, start=VISIT + dt.timedelta(minutes=30 * number))
        outputs = [io.StringIO(), io.StringIO()]
        later = DAY_BEFORE + dt.timedelta(hours=3)
        with time_machine.travel(later, tick=False):
            results, errors = race([lambda out=out: call_command("send_reminders", stdout=out) for out in outputs])
        assert errors == []
        sent = [int((re.match(r"Reminders: (\d+) sent", out.getvalue()) or [0, 0])[1]) for out in outputs]
        taken = [int((re.search(r"(\d+) handled by another run", out.getvalue()) or [0, 0])[1]) for out in outputs]
        assert sum(sent) == 6
        assert sum(sent) + sum(taken) <= 12
        assert [len(outgoing(p)) for p in patients] == [1] * 6
        assert set(Reminder.objects.filter(offset_minutes=1440).values_list("status", flat=True)) == {
            Reminder.Status.SENT
        }
        assert set(Reminder.objects.filter(offset_minutes=120).values_list("status", flat=True)) == {
            Reminder.Status.PENDING
        }
