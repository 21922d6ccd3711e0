"""Reminders go out by themselves: the web process sweeps every REMINDER_SWEEP_SECONDS
(chat/sweep.py, started by clinicbot/asgi.py), so no cron, worker or command is needed.

In-process tests run the real loop in its thread at a frozen clock (time_machine patches the
clock globally, the loop's thread included; its waits use the monotonic clock, which is not
frozen). The live test starts a real daphne on the embedded default (SQLite, immediate tasks,
in-memory channel layer) and watches the doctor's websocket.
"""

import datetime as dt
import io
import json
import subprocess
import threading
import time

import pytest
import time_machine
from django.core.management import call_command

from booking.management.commands.send_reminders import summary
from booking.models import Reminder
from booking.tests.reminding import (
    DAY_BEFORE,
    TEXT_TOMORROW,
    TWO_HOURS_BEFORE,
    VISIT,
    book,
    clinic,
    outgoing,
    patient_of,
)
from chat import sweep
from chat.tests.liveserver import BASE_DIR, PYTHON, Daphne, live_socket, login, sqlite_env

pytestmark = pytest.mark.usefixtures("sandbox_transport")  # booking/tests/conftest.py

WROTE = DAY_BEFORE - dt.timedelta(hours=1)  # inside the 24-hour window: the reminder is a text


@pytest.fixture
def pushed(monkeypatch):
    """Every live event, as clinicbot.events would push it to the doctor's group."""
    events = []
    lock = threading.Lock()

    def record(*, doctor_id, event):
        with lock:
            events.append(event)

    monkeypatch.setattr("clinicbot.events.push_now", record)
    return events


def wait_until(condition, *, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the sweep did not get there in time"
        time.sleep(0.02)


def statuses(appointment) -> dict[int, str]:
    return dict(Reminder.objects.filter(appointment=appointment).values_list("offset_minutes", "status"))


class Loops:
    """Sweeping threads started by a test. A test stops them before it leaves its frozen clock
    (else they sweep on at today's date); the fixture stops any left."""

    def __init__(self):
        self.running = []

    def start(self, *, every: float = 0.02):
        stop = sweep.start(every=every)
        self.running.append(stop)
        return stop

    def stop_all(self):
        for stop in self.running:
            stop.set()
        for thread in threading.enumerate():
            if thread.name == "reminder-sweep":
                thread.join(timeout=30)


@pytest.fixture
def loops():
    started = Loops()
    yield started
    started.stop_all()


@pytest.mark.django_db(transaction=True)
class TestOnTime:
    def test_a_due_reminder_is_sent_by_the_running_server_once_with_no_command(self, loops):
        doctor = clinic()
        patient = patient_of(doctor, wrote=WROTE)
        appointment = book(doctor, patient)
        with time_machine.travel(DAY_BEFORE, tick=False):
            loops.start()
            wait_until(lambda: statuses(appointment)[1440] == Reminder.Status.SENT)
            time.sleep(0.3)  # more sweeps come and go: nothing more is sent
            loops.stop_all()  # before the clock moves on
        assert [m.text for m in outgoing(patient)] == [TEXT_TOMORROW]
        reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
        assert reminder.sent_at == DAY_BEFORE
        assert statuses(appointment)[120] == Reminder.Status.PENDING  # not due until Thursday 13:00

    def test_nothing_goes_out_before_it_is_due(self, loops, monkeypatch):
        doctor = clinic()
        patient = patient_of(doctor, wrote=WROTE)
        appointment = book(doctor, patient)
        sweeps = []
        original = sweep.reminders_send_due
        monkeypatch.setattr(sweep, "reminders_send_due", lambda **kw: sweeps.append(1) or original(**kw))
        with time_machine.travel(DAY_BEFORE - dt.timedelta(minutes=1), tick=False):
            loops.start()
            wait_until(lambda: len(sweeps) >= 5)
            loops.stop_all()
        assert outgoing(patient) == []
        assert set(statuses(appointment).values()) == {Reminder.Status.PENDING}

    def test_each_reminder_falls_due_in_turn_as_the_clock_moves(self, loops):
        doctor = clinic()
        patient = patient_of(doctor, wrote=WROTE)
        appointment = book(doctor, patient)
        with time_machine.travel(DAY_BEFORE, tick=False) as clock:
            loops.start()
            wait_until(lambda: statuses(appointment)[1440] == Reminder.Status.SENT)
            patient.last_inbound_at = TWO_HOURS_BEFORE - dt.timedelta(hours=1)
            patient.save(update_fields=["last_inbound_at"])
            clock.move_to(TWO_HOURS_BEFORE)
            wait_until(lambda: statuses(appointment)[120] == Reminder.Status.SENT)
            loops.stop_all()
        assert len(outgoing(patient)) == 2
        assert outgoing(patient)[1].text.startswith(
            "Reminder: your appointment with Dr. Meera Joshi is today at 3:00 PM"
        )

    def test_two_servers_sweeping_and_a_worker_send_each_reminder_once(self, loops):
        """Two web processes' sweeps and db_worker's deferred task race for the same reminders."""
        from booking.tasks import send_reminder

        doctor = clinic()
        patients = [patient_of(doctor, wrote=WROTE) for _ in range(6)]
        appointments = [
            book(doctor, patient, start=VISIT + dt.timedelta(minutes=30 * n)) for n, patient in enumerate(patients)
        ]
        ids = list(Reminder.objects.filter(offset_minutes=1440).values_list("pk", flat=True))
        late = DAY_BEFORE + dt.timedelta(hours=3)  # all six 24-hour reminders are due
        with time_machine.travel(late, tick=False):
            loops.start(every=0.01)
            loops.start(every=0.01)
            for pk in ids:  # what db_worker would run at the due time, at the same moment
                send_reminder.call(pk)
            wait_until(
                lambda: (
                    set(Reminder.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Reminder.Status.SENT}
                )
            )
            time.sleep(0.3)
            loops.stop_all()
        assert [len(outgoing(p)) for p in patients] == [1] * 6
        assert all(statuses(a)[120] == Reminder.Status.PENDING for a in appointments)

    def test_a_sent_reminder_is_pushed_live_like_any_other_message(self, loops, pushed):
        doctor = clinic()
        patient = patient_of(doctor, wrote=WROTE)
        appointment = book(doctor, patient)
        pushed.clear()  # the booking's own appointment.changed
        with time_machine.travel(DAY_BEFORE, tick=False):
            loops.start()
            wait_until(lambda: len(pushed) >= 2)
            time.sleep(0.2)
            loops.stop_all()
        created = [e for e in pushed if e["type"] == "message.created"]
        assert [e["message"]["text"] for e in created] == [TEXT_TOMORROW]
        assert created[0]["message"]["patient_id"] == patient.pk
        changed = [e for e in pushed if e["type"] == "appointment.changed"]
        assert [e["appointment"]["id"] for e in changed] == [appointment.pk]  # the pages fetch its new state

    def test_a_failed_sweep_is_logged_and_the_next_one_sends(self, loops, monkeypatch, caplog):
        doctor = clinic()
        patient = patient_of(doctor, wrote=WROTE)
        appointment = book(doctor, patient)
        calls = []
        original = sweep.reminders_send_due

        def flaky(**kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("database restarting")
            return original(**kwargs)

        monkeypatch.setattr(sweep, "reminders_send_due", flaky)
        with time_machine.travel(DAY_BEFORE, tick=False):
            loops.start()
            wait_until(lambda: statuses(appointment)[1440] == Reminder.Status.SENT)
            loops.stop_all()
        assert "reminder sweep failed" in caplog.text
        assert len(outgoing(patient)) == 1

    def test_the_sweep_is_off_at_zero(self):
        assert sweep.start(every=0) is None


class TestSummary:
    def test_nothing_due_reads_as_nothing_due(self):
        assert summary({"sent": 0, "skipped": 0, "failed": 0, "taken": 0, "retry": 0}) == "Reminders: none due."

    def test_a_busy_database_or_another_run_are_said_plainly_and_only_when_they_happened(self):
        counts = {"sent": 2, "skipped": 0, "failed": 0, "taken": 1, "retry": 1}
        assert summary(counts) == (
            "Reminders: 2 sent, 0 skipped (cancelled, moved or late), 0 failed. 1 handled by another run. "
            "1 still due: the next sweep sends them (the database was busy)."
        )
        assert "another run" not in summary({**counts, "taken": 0, "retry": 0})

    @pytest.mark.django_db
    def test_the_command_prints_the_summary(self):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert out.getvalue() == "Reminders: none due.\n"


# --- A real server ------------------------------------------------------------------------------

ARRANGE = """
import datetime as dt, json
from django.utils import timezone
from booking.models import Reminder
from booking.tests.factories import make_appointment
from patients.models import Doctor, Patient
doctor = Doctor.objects.get(phone_number_id="100200300400500")
now = timezone.now()
patient = Patient.objects.create(doctor=doctor, wa_id="919800000777", name="Reminder Test", last_inbound_at=now)
start = now + dt.timedelta(days=1)
appointment = make_appointment(doctor, start, patient=patient)
Reminder.objects.create(appointment=appointment, offset_minutes=1440, appointment_start=start, due_at=now)
print(json.dumps({"patient": patient.pk, "appointment": appointment.pk}))
"""


@pytest.mark.slow
def test_a_running_server_sends_a_due_reminder_by_itself_and_pushes_it_live():
    """`make demo`'s set-up: daphne alone, embedded defaults. A reminder falls due while a doctor's
    page is connected: it is sent with no command and arrives on the websocket as message.created,
    and the chat header and /appointments/ then say the patient was reminded."""
    with sqlite_env(REMINDER_SWEEP_SECONDS="0.2") as env, Daphne(env) as server:
        session = login(server.url)
        ws = live_socket(server.url, session)
        try:
            arranged = subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", ARRANGE],
                cwd=BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            ids = json.loads(arranged.stdout.strip().splitlines()[-1])
            seen = []
            deadline = time.monotonic() + 20
            while not any(e.get("type") == "message.created" for e in seen):
                assert time.monotonic() < deadline, f"no message.created within 20 s: {seen}\n{server.output()}"
                seen.append(ws.recv_json(timeout=20))
        finally:
            ws.close()
        created = next(e for e in seen if e["type"] == "message.created")["message"]
        assert created["patient_id"] == ids["patient"]
        assert created["text"].startswith("Reminder: your appointment with Dr. Meera Joshi is tomorrow")
        thread = session.get(f"{server.url}/api/chat/messages/{ids['patient']}", timeout=10).json()
        assert [m["text"] for m in thread["messages"]] == [created["text"]]
        assert thread["patient"]["reminder"]["state"] == "sent"
        page = session.get(f"{server.url}/appointments/?days=3", timeout=10).text
        row = page[page.index(f'id="a-{ids["appointment"]}"') :]
        assert 'data-reminder="sent"' in row[: row.index("</li>")]
