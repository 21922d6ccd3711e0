"""`manage.py db_worker_threads` (issue 15): django_tasks_db's Worker loop in N threads of one
process, so N sends wait on the Graph API at once; stopped gracefully, the running tasks finish.
The Graph API is a stub client at the one outbound seam (`client_for`), never the network."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from chat.management.commands import db_worker_threads
from chat.management.commands.db_worker_threads import WorkerThreads, on_signal
from chat.models import Message
from chat.tests.phone import NOW, make_clinic
from chat.tests.pipelining import queue_text
from patients.models import Patient

WAIT = 5.0  # seconds any one wait may take before the test fails (it never hangs)


@pytest.fixture
def clinic(travel, database_tasks):
    """Real commits, time frozen, tasks queued in the database as in production."""
    return make_clinic()


def patients(doctor, count: int) -> list[Patient]:
    return [
        Patient.objects.create(doctor=doctor, wa_id=f"91980000{n:04d}", last_inbound_at=NOW - dt.timedelta(hours=1))
        for n in range(count)
    ]


class InFlight:
    """A Graph client stub whose send holds until `release` is set (or `enough` sends are in
    flight at once), counting the sends in flight and the most there were at one time."""

    def __init__(self, enough: int | None = None) -> None:
        self.enough = enough
        self.release = threading.Event()
        self.changed = threading.Condition()
        self.now = self.peak = self.done = 0
        self.texts: list[str] = []  # in the order the sends began

    def client(self, doctor) -> InFlight.Client:
        return InFlight.Client(self)

    def wait_until(self, test, what: str) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: test(self), WAIT), f"{what}: {self.now} in flight, {self.done} done"

    class Client:
        def __init__(self, stub: InFlight) -> None:
            self.stub = stub

        def send(self, phone_number_id: str, body: dict) -> str:
            stub = self.stub
            with stub.changed:
                stub.now += 1
                stub.texts.append(body["text"]["body"])
                stub.peak = max(stub.peak, stub.now)
                if stub.enough and stub.now >= stub.enough:
                    stub.release.set()
                stub.changed.notify_all()
            stub.release.wait(WAIT)  # sends one at a time would each wait out WAIT here
            with stub.changed:
                stub.now -= 1
                stub.done += 1
                stub.changed.notify_all()
            return f"wamid.threads-{body['biz_opaque_callback_data']}"

        def close(self) -> None:
            pass


def worker_threads(count: int) -> WorkerThreads:
    workers = [
        Worker(
            queue_names=["default"],
            interval=0.01,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"test-{n}",
            excluded_queue_names=[],
        )
        for n in range(count)
    ]
    return WorkerThreads(workers)


@pytest.fixture
def pool():
    started: list[WorkerThreads] = []

    def make(count: int) -> WorkerThreads:
        started.append(worker_threads(count).start())
        return started[-1]

    yield make
    for threads in started:  # a failed assertion must not leave threads polling the database
        threads.stop()
        assert threads.join(WAIT)


def test_four_threads_have_four_sends_in_flight_at_once(clinic, pool, monkeypatch):
    stub = InFlight(enough=4)
    monkeypatch.setattr("chat.outbound.client_for", stub.client)
    replies = [queue_text(patient, "See you on Friday.") for patient in patients(clinic, 4)]
    threads = pool(4)
    stub.wait_until(lambda s: s.done == 4, "four sends")
    assert stub.peak == 4, f"at most {stub.peak} sends were in flight at once"
    threads.stop()
    assert threads.join(WAIT)
    assert {Message.objects.get(pk=r.pk).status for r in replies} == {Message.Status.SENT}


def test_one_patients_messages_still_go_out_one_at_a_time_and_in_order(clinic, pool, monkeypatch):
    stub = InFlight()
    stub.release.set()
    monkeypatch.setattr("chat.outbound.client_for", stub.client)
    [patient] = patients(clinic, 1)
    for n in range(6):
        queue_text(patient, f"part {n}")
    pool(4)
    stub.wait_until(lambda s: s.done == 6, "six sends")
    assert stub.texts == [f"part {n}" for n in range(6)] and stub.peak == 1


def test_a_stop_lets_the_running_send_finish_and_starts_nothing_more(clinic, pool, monkeypatch):
    stub = InFlight()
    monkeypatch.setattr("chat.outbound.client_for", stub.client)
    one, two = patients(clinic, 2)
    running = queue_text(one, "on the wire")
    threads = pool(2)
    stub.wait_until(lambda s: s.now == 1, "the first send")
    threads.stop()
    deadline = time.monotonic() + WAIT
    while sum(t.is_alive() for t in threads.threads) > 1 and time.monotonic() < deadline:
        time.sleep(0.01)  # the idle thread ends within its interval
    later = queue_text(two, "queued after the stop")
    assert not threads.join(0.1)  # still sending
    stub.release.set()
    assert threads.join(WAIT)
    assert Message.objects.get(pk=running.pk).status == Message.Status.SENT
    assert Message.objects.get(pk=later.pk).status == Message.Status.QUEUED
    task = DBTaskResult.objects.get(task_path="chat.tasks.send_message", args_kwargs__args__0=running.pk)
    assert task.status == TaskResultStatus.SUCCESSFUL


def test_a_first_signal_stops_gracefully_and_a_second_exits_1(monkeypatch):
    threads = worker_threads(2)
    exits: list[int] = []
    monkeypatch.setattr(db_worker_threads.os, "_exit", exits.append)
    on_signal(threads, signal.SIGTERM)
    assert threads.stopping and not any(w.running for w in threads.workers) and exits == []
    on_signal(threads, signal.SIGTERM)
    assert exits == [1]


def test_the_command_runs_its_threads_until_they_end(clinic, monkeypatch):
    """--batch: each thread ends when the queue is empty; --threads from the command line."""
    monkeypatch.setattr("chat.outbound.client_for", InFlight(enough=1).client)
    [patient] = patients(clinic, 1)
    reply = queue_text(patient, "hello")
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker_threads", "--threads", "3", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0
        )
    finally:
        for signum, handler in handlers.items():  # pytest's own, for the rest of the run
            signal.signal(signum, handler)
    assert Message.objects.get(pk=reply.pk).status == Message.Status.SENT
    assert django_settings.WORKER_THREADS == 4


@pytest.mark.slow
def test_sigterm_to_the_real_command_exits_0_and_twice_exits_1_at_once(tmp_path):
    """The process as deployed, idle: one SIGTERM ends it with 0 within its interval; two end it
    with 1 before its threads wake from a 5 s interval (a first signal's graceful stop, there,
    would take those 5 s)."""
    env = {**os.environ, "SQLITE_PATH": str(tmp_path / "db.sqlite3"), "TASK_BACKEND": "database"}
    env.pop("DATABASE_URL", None)
    env["PYTHONUNBUFFERED"] = "1"
    cwd = django_settings.BASE_DIR
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=cwd, env=env, check=True, timeout=120)
    for signals, interval, code in ((1, "0.05", 0), (2, "5", 1)):
        command = [sys.executable, "manage.py", "db_worker_threads", "--threads", "3", "--no-startup-delay"]
        worker = subprocess.Popen(
            [*command, "--interval", interval], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        started, output = threading.Event(), []

        def read(worker=worker, started=started, output=output) -> None:
            for line in worker.stdout:
                output.append(line.decode(errors="replace"))
                if sum("Starting worker" in line for line in output) == 3:
                    started.set()

        threading.Thread(target=read, daemon=True).start()
        try:
            assert started.wait(60), "the command never started its workers"
            time.sleep(0.3)  # each has looked at the queue once and sleeps its interval
            began = time.monotonic()
            for _ in range(signals):
                worker.send_signal(signal.SIGTERM)
                time.sleep(0.05)
            assert worker.wait(10) == code, "".join(output)
            assert time.monotonic() - began < 3
        finally:
            worker.kill()
            worker.wait(10)
