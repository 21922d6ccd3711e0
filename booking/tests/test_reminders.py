"""Appointment reminders: made on every change, sent once whatever the number of workers, never
stale, as text inside the 24-hour window and as the clinic's template outside it.

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
from django_tasks import default_task_backend

from booking import reminders
from booking.models import Appointment, Reminder
from booking.reminders import reminders_schedule
from booking.services import appointment_book, appointment_cancel, appointment_mark, appointment_reschedule
from booking.tasks import send_reminder
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient, make_time_off
from chat import notices
from chat.models import Message, MessageTemplate
from chat.notices import reminder_send, reminders_send_due

BOOKED_AT = ist("2026-11-24 10:00")  # Tuesday
VISIT = ist("2026-11-26 15:00")  # Thursday, 3 PM
DAY_BEFORE = ist("2026-11-25 15:00")  # the 24-hour reminder is due
TWO_HOURS_BEFORE = ist("2026-11-26 13:00")  # the 2-hour reminder is due
OPEN_ALL_DAY = {weekday: [("09:00", "18:00")] for weekday in range(6)}

TEXT_TOMORROW = (
    "Reminder: your appointment with Dr. Meera Joshi is tomorrow, Thu 26 Nov at 3:00 PM. "
    "Reply 'my appointments' to cancel or reschedule."
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL=postgres://…)"
)


@pytest.fixture(autouse=True)
def sandbox(settings):
    """Outbound messages go to the sandbox transport; pushes go nowhere."""
    settings.WHATSAPP_ACCESS_TOKEN = ""


@pytest.fixture
def pushed(monkeypatch):
    events = []
    monkeypatch.setattr("booking.services.push_now", lambda *, doctor_id, event: events.append((doctor_id, event)))
    return events


def clinic(**fields):
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Meera Joshi", **fields)


def patient_of(doctor, *, wrote=None, **fields):
    """A patient who last wrote at `wrote` (None: never)."""
    return make_patient(doctor, name="Asha Patil", last_inbound_at=wrote, **fields)


def book(doctor, patient, start=VISIT, now=BOOKED_AT) -> Appointment:
    """Book through the service and run its after-commit hook, as a real request would."""
    with time_machine.travel(now, tick=False):
        result = appointment_book(doctor=doctor, patient=patient, start=start, now=now)
    assert result.ok, result.reason
    return result.appointment


def outgoing(patient):
    return list(Message.objects.filter(patient=patient, direction=Message.Direction.OUT).order_by("id"))


def sweep(at: dt.datetime) -> dict:
    with time_machine.travel(at, tick=False):
        return reminders_send_due(now=at)


def reminder_template(doctor, *, name="appointment_reminder", language="en", body=None) -> MessageTemplate:
    return MessageTemplate.objects.create(
        doctor=doctor,
        name=name,
        language=language,
        body=body or "Reminder: your appointment with {{1}} is on {{2}}. Reply here to cancel or reschedule.",
    )


# --- Scheduling ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
class TestSchedule:
    def test_a_booking_gets_one_reminder_per_offset_due_before_the_visit(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        rows = list(Reminder.objects.filter(appointment=appointment).order_by("due_at"))
        assert [(r.offset_minutes, r.due_at, r.status) for r in rows] == [
            (1440, DAY_BEFORE, Reminder.Status.PENDING),
            (120, TWO_HOURS_BEFORE, Reminder.Status.PENDING),
        ]
        assert {r.appointment_start for r in rows} == {VISIT}

    def test_a_booking_made_three_hours_ahead_gets_only_the_two_hour_reminder(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor), now=ist("2026-11-26 12:00"))
        assert list(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", flat=True)) == [120]

    def test_the_doctor_chooses_the_offsets_and_nonsense_is_ignored(self):
        doctor = clinic(reminder_offsets=[60, "30", -5, 0, "soon", True, 60, 10**7])
        assert reminders.reminder_offsets(doctor) == [60, 30]
        appointment = book(doctor, patient_of(doctor))
        assert sorted(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", flat=True)) == [
            30,
            60,
        ]

    def test_a_doctor_without_offsets_sends_no_reminders(self):
        doctor = clinic(reminder_offsets=[])
        appointment = book(doctor, patient_of(doctor))
        assert not Reminder.objects.filter(appointment=appointment).exists()

    def test_scheduling_twice_makes_no_second_row(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        again = reminders_schedule(appointment=appointment, now=BOOKED_AT)
        assert len(again) == 2
        assert Reminder.objects.filter(appointment=appointment).count() == 2

    def test_with_the_immediate_backend_nothing_is_sent_at_booking(self):
        """The immediate backend cannot wait: the reminders wait for the sweep instead."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=BOOKED_AT - dt.timedelta(minutes=5))
        book(doctor, patient)
        assert not default_task_backend.supports_defer
        assert outgoing(patient) == []
        assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.PENDING}

    def test_a_backend_that_can_defer_gets_one_task_per_reminder_at_its_due_time(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        backend = send_reminder.get_backend()
        assert backend.supports_defer
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        queued = [(r.task.name, r.args, r.task.run_after) for r in backend.results]
        ids = dict(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", "pk"))
        assert sorted(queued, key=lambda q: q[2]) == [
            ("send_reminder", [ids[1440]], DAY_BEFORE),
            ("send_reminder", [ids[120]], TWO_HOURS_BEFORE),
        ]
        reminders_schedule(appointment=appointment, now=BOOKED_AT)  # nothing new: nothing enqueued again
        assert len(backend.results) == 2

    def test_every_change_pushes_appointment_changed_to_the_doctors_page(self, pushed):
        doctor = clinic()
        patient = patient_of(doctor)
        appointment = book(doctor, patient)
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_cancel(appointment=appointment, now=BOOKED_AT, by_patient=False)
        assert pushed == [
            (
                doctor.pk,
                {
                    "type": "appointment.changed",
                    "appointment": {
                        "id": appointment.pk,
                        "patient_id": patient.pk,
                        "start": VISIT.astimezone(dt.UTC).isoformat(),
                        "status": status,
                    },
                },
            )
            for status in ("booked", "cancelled")
        ]


# --- Sending: text or template ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
class TestSend:
    def test_inside_the_window_the_reminder_is_a_text(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=3))
        appointment = book(doctor, patient)
        assert sweep(DAY_BEFORE) == {"sent": 1, "skipped": 0, "failed": 0, "taken": 0, "retry": 0}
        [message] = outgoing(patient)
        assert message.type == Message.Type.TEXT
        assert message.text == TEXT_TOMORROW
        assert message.payload["text"]["body"] == TEXT_TOMORROW
        assert message.sender == Message.Sender.BOT
        assert message.status in (Message.Status.SENT, Message.Status.DELIVERED)  # through the sandbox
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.SENT
        assert reminder.sent_at == DAY_BEFORE
        assert reminder.detail == f"Message {message.pk} (text)."

    def test_outside_the_window_the_reminder_is_the_configured_template(self):
        doctor = clinic(reminder_template="appointment_reminder", reminder_template_language="en_GB")
        reminder_template(doctor, language="en")  # same name, another language: not this one
        template = reminder_template(doctor, language="en_GB")
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(days=3))
        book(doctor, patient)
        sweep(DAY_BEFORE)
        [message] = outgoing(patient)
        assert message.type == Message.Type.TEMPLATE
        assert message.payload["template"]["name"] == template.name
        assert message.payload["template"]["language"]["code"] == "en_GB"
        params = [p["text"] for p in message.payload["template"]["components"][0]["parameters"]]
        assert params == ["Dr. Meera Joshi", "Thu 26 Nov, 3:00 PM"]
        assert message.text == (
            "Reminder: your appointment with Dr. Meera Joshi is on Thu 26 Nov, 3:00 PM. "
            "Reply here to cancel or reschedule."
        )

    def test_a_patient_who_never_wrote_gets_the_template(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor)
        patient = patient_of(doctor, wrote=None)
        book(doctor, patient)
        sweep(DAY_BEFORE)
        assert [m.type for m in outgoing(patient)] == [Message.Type.TEMPLATE]

    def test_a_window_about_to_close_gets_the_template_not_a_text_meta_would_refuse(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor)
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=23, minutes=55))
        book(doctor, patient)
        sweep(DAY_BEFORE)
        assert [m.type for m in outgoing(patient)] == [Message.Type.TEMPLATE]

    def test_after_meta_refused_free_text_the_template_is_used(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor)
        wrote = DAY_BEFORE - dt.timedelta(hours=2)
        patient = patient_of(doctor, wrote=wrote, window_closed_at=wrote + dt.timedelta(hours=1))
        book(doctor, patient)
        sweep(DAY_BEFORE)
        assert [m.type for m in outgoing(patient)] == [Message.Type.TEMPLATE]

    def test_outside_the_window_without_a_template_the_reminder_fails_and_says_why(self):
        doctor = clinic(reminder_template="")
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(days=2))
        appointment = book(doctor, patient)
        assert sweep(DAY_BEFORE)["failed"] == 1
        assert outgoing(patient) == []
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.FAILED
        assert reminder.detail == "The 24-hour window is closed and the doctor has no reminder template set."
        assert reminder.sent_at is None

    def test_a_configured_template_the_clinic_does_not_have_fails_and_names_it(self):
        doctor = clinic(reminder_template="visit_reminder")
        patient = patient_of(doctor)
        appointment = book(doctor, patient)
        sweep(DAY_BEFORE)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.FAILED
        assert "visit_reminder (en) is not among the clinic's active templates" in reminder.detail
        assert outgoing(patient) == []

    def test_a_template_with_other_parameters_fails_before_meta_would_refuse_it(self):
        doctor = clinic(reminder_template="appointment_reminder")
        reminder_template(doctor, body="See you soon, {{1}}!")
        appointment = book(doctor, patient_of(doctor))
        sweep(DAY_BEFORE)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.status == Reminder.Status.FAILED
        assert "takes 1 parameters" in reminder.detail

    def test_the_two_hour_reminder_says_today(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=TWO_HOURS_BEFORE - dt.timedelta(hours=1))
        book(doctor, patient)
        sweep(DAY_BEFORE - dt.timedelta(minutes=1))  # nothing due yet
        assert outgoing(patient) == []
        Reminder.objects.filter(offset_minutes=1440).update(status=Reminder.Status.SENT)  # went out yesterday
        sweep(TWO_HOURS_BEFORE)
        [message] = outgoing(patient)
        assert message.text.startswith("Reminder: your appointment with Dr. Meera Joshi is today at 3:00 PM. ")

    def test_the_wording_is_in_the_doctors_timezone(self):
        doctor = make_doctor(
            hours={weekday: [("00:00", "23:59")] for weekday in range(7)}, name="Asha Rao", timezone="Europe/London"
        )
        london = VISIT.astimezone(doctor.tz).replace(hour=9, minute=30)  # Thu 26 Nov 09:30 in London
        patient = patient_of(doctor, wrote=london - dt.timedelta(hours=25))
        book(doctor, patient, start=london)
        sweep(london - dt.timedelta(hours=24))
        [message] = outgoing(patient)
        assert "with Dr. Asha Rao is tomorrow, Thu 26 Nov at 9:30 AM." in message.text

    def test_a_reminder_is_not_sent_before_it_is_due(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE)
        appointment = book(doctor, patient)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        early = DAY_BEFORE - dt.timedelta(seconds=1)
        with time_machine.travel(early, tick=False):
            assert reminder_send(reminder_id=reminder.pk, now=early) == reminders.NOT_DUE
        reminder.refresh_from_db()
        assert reminder.status == Reminder.Status.PENDING
        assert outgoing(patient) == []

    def test_the_task_sends_a_due_reminder_once(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        with time_machine.travel(DAY_BEFORE + dt.timedelta(seconds=5), tick=False):
            assert send_reminder.call(reminder.pk) == "sent"
            assert send_reminder.call(reminder.pk) == "taken"
        assert len(outgoing(patient)) == 1

    def test_a_sweep_after_downtime_sends_only_the_nearest_reminder(self):
        """Workers were down for a day: the patient gets one reminder, not two at once."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=TWO_HOURS_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        counts = sweep(TWO_HOURS_BEFORE + dt.timedelta(minutes=5))
        assert (counts["sent"], counts["skipped"]) == (1, 1)
        assert len(outgoing(patient)) == 1
        statuses = dict(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", "status"))
        assert statuses == {1440: Reminder.Status.SKIPPED, 120: Reminder.Status.SENT}

    def test_a_reminder_found_after_the_visit_began_is_skipped(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=VISIT - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        counts = sweep(VISIT + dt.timedelta(minutes=1))
        assert counts["sent"] == 0
        assert outgoing(patient) == []
        assert set(Reminder.objects.filter(appointment=appointment).values_list("detail", flat=True)) >= {
            "Too late: the visit time has come."
        }

    def test_no_reminder_for_a_visit_inside_time_off(self):
        """The clinic closed over the visit: the closure notice tells the patient, not a reminder."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        make_time_off(doctor, VISIT.astimezone(doctor.tz).date())
        counts = sweep(DAY_BEFORE + dt.timedelta(minutes=1))
        assert (counts["sent"], counts["skipped"]) == (0, 1)
        assert outgoing(patient) == []
        [skipped] = Reminder.objects.filter(appointment=appointment, status=Reminder.Status.SKIPPED)
        assert "time off" in skipped.detail

    def test_the_sweep_goes_through_every_due_reminder_page_by_page(self, monkeypatch):
        monkeypatch.setattr(reminders, "SWEEP_BATCH", 2)
        doctor = clinic(slot_capacity=5)
        patients = [patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1)) for _ in range(5)]
        for patient in patients:
            book(doctor, patient)
        assert sweep(DAY_BEFORE)["sent"] == 5
        assert [len(outgoing(p)) for p in patients] == [1] * 5

    def test_the_command_prints_its_counts(self):
        doctor = clinic(reminder_template="")
        sent_to = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        book(doctor, sent_to)
        book(doctor, patient_of(doctor, wrote=None), start=VISIT + dt.timedelta(minutes=30))
        cancelled = book(doctor, patient_of(doctor), start=VISIT + dt.timedelta(hours=1))
        Reminder.objects.filter(appointment=cancelled).update(due_at=DAY_BEFORE)  # as if cancelled behind its back
        Appointment.objects.filter(pk=cancelled.pk).update(status=Appointment.Status.CANCELLED)
        out = io.StringIO()
        with time_machine.travel(DAY_BEFORE + dt.timedelta(hours=1), tick=False):
            call_command("send_reminders", stdout=out)
        assert out.getvalue().strip() == "Reminders: 1 sent, 2 skipped (cancelled, moved or late), 1 failed."
        out = io.StringIO()
        with time_machine.travel(DAY_BEFORE + dt.timedelta(hours=1), tick=False):
            call_command("send_reminders", stdout=out)
        assert out.getvalue().strip() == "Reminders: none due."


# --- Never stale --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
class TestNeverStale:
    def test_a_cancelled_appointment_gets_no_reminder(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_cancel(appointment=appointment, now=BOOKED_AT, by_patient=True)
        assert set(Reminder.objects.filter(appointment=appointment).values_list("status", flat=True)) == {
            Reminder.Status.SKIPPED
        }
        sweep(DAY_BEFORE)
        sweep(TWO_HOURS_BEFORE)
        assert outgoing(patient) == []

    def test_a_moved_appointment_is_reminded_of_the_new_time_only(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=ist("2026-11-26 10:00"))
        appointment = book(doctor, patient)
        new_start = ist("2026-11-27 11:00")  # Friday
        with time_machine.travel(BOOKED_AT, tick=False):
            assert appointment_reschedule(
                appointment=appointment, new_start=new_start, now=BOOKED_AT, by_patient=True
            ).ok
        rows = Reminder.objects.filter(appointment=appointment)
        assert set(rows.filter(appointment_start=VISIT).values_list("status", flat=True)) == {Reminder.Status.SKIPPED}
        assert set(rows.filter(appointment_start=new_start).values_list("status", "due_at")) == {
            (Reminder.Status.PENDING, ist("2026-11-26 11:00")),
            (Reminder.Status.PENDING, ist("2026-11-27 09:00")),
        }
        assert sweep(DAY_BEFORE)["sent"] == 0  # the old 24-hour reminder's time: nothing
        assert sweep(ist("2026-11-26 11:00"))["sent"] == 1
        [message] = outgoing(patient)
        assert "is tomorrow, Fri 27 Nov at 11:00 AM." in message.text
        assert sweep(TWO_HOURS_BEFORE)["sent"] == 0  # the old 2-hour reminder's time: nothing

    def test_moved_away_and_back_the_reminders_for_that_time_are_pending_again(self):
        doctor = clinic()
        appointment = book(doctor, patient_of(doctor))
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_reschedule(
                appointment=appointment, new_start=ist("2026-11-27 11:00"), now=BOOKED_AT, by_patient=False
            )
            appointment_reschedule(appointment=appointment, new_start=VISIT, now=BOOKED_AT, by_patient=False)
        rows = Reminder.objects.filter(appointment=appointment)
        assert set(rows.filter(appointment_start=VISIT).values_list("status", flat=True)) == {Reminder.Status.PENDING}
        assert set(rows.exclude(appointment_start=VISIT).values_list("status", flat=True)) == {Reminder.Status.SKIPPED}

    def test_a_visit_marked_done_early_gets_no_later_reminder(self):
        doctor = clinic()
        patient = patient_of(doctor, wrote=TWO_HOURS_BEFORE)
        appointment = book(doctor, patient)
        with time_machine.travel(BOOKED_AT, tick=False):
            appointment_mark(appointment=appointment, status=Appointment.Status.NO_SHOW)
        sweep(TWO_HOURS_BEFORE)
        assert outgoing(patient) == []

    def test_the_sender_rechecks_the_appointment_whatever_the_rows_say(self):
        """A reminder still pending for a start the appointment no longer has is skipped on claim."""
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = make_appointment(doctor, VISIT, patient=patient)  # no hook: rows made by hand
        reminders_schedule(appointment=appointment, now=BOOKED_AT)
        moved = VISIT + dt.timedelta(hours=1)
        Appointment.objects.filter(pk=appointment.pk).update(start=moved, end=moved + dt.timedelta(minutes=30))
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        with time_machine.travel(DAY_BEFORE, tick=False):
            assert reminder_send(reminder_id=reminder.pk, now=DAY_BEFORE) == "skipped"
        reminder.refresh_from_db()
        assert (reminder.status, reminder.detail) == (
            Reminder.Status.SKIPPED,
            "The appointment was moved to another time.",
        )
        assert outgoing(patient) == []

    def test_a_failure_inside_the_send_marks_the_reminder_failed_and_sends_nothing(self, monkeypatch):
        doctor = clinic()
        patient = patient_of(doctor, wrote=DAY_BEFORE - dt.timedelta(hours=1))
        appointment = book(doctor, patient)

        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(notices, "reminder_text", broken)
        assert sweep(DAY_BEFORE)["failed"] == 1
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert (reminder.status, reminder.detail) == (Reminder.Status.FAILED, "Internal error: RuntimeError")
        assert outgoing(patient) == []


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
