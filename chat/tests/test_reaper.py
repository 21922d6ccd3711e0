"""The reaper (issue 12): sends left `sending` by a killed worker, task rows left RUNNING and
inboxes whose task was lost are settled after a bounded time, a real db_worker killed with
SIGKILL mid-send included."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chat import outbound
from chat.models import Message
from chat.outbound import SENDING_DEADLINE
from chat.reaper import TASK_DEADLINE, reap_stuck
from chat.tests.phone import NOW, make_clinic
from chat.tests.pipelining import patient_of, queue_text
from patients.models import Doctor


@pytest.fixture
def clinic(travel) -> Doctor:
    """The demo-like clinic, time frozen at phone.NOW with real commits (`travel`), in place of the
    conftest's samples' clinic; the conftest's `phone` is its patient."""
    return make_clinic()


def test_the_reaper_settles_a_send_left_sending_and_its_running_task(phone, graph, travel, held_sends):
    """A worker died mid-send: the message stays `sending` and its task row RUNNING until the reaper."""
    [reply] = phone.send("hi")
    Message.objects.filter(pk=reply.pk).update(status=Message.Status.SENDING, send_started_at=NOW, wamid=None)
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [reply.pk], "kwargs": {}},
        task_path="chat.tasks.send_message",
        backend_name="default",
        run_after=NOW,
        started_at=NOW,
    )
    assert reap_stuck()["tasks failed"] == 0  # nothing is past its deadline yet
    travel.shift(SENDING_DEADLINE + dt.timedelta(seconds=1))
    counts = reap_stuck()
    assert counts["messages resent"] == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    reply.refresh_from_db()
    assert (reply.status, reply.resends) == (Message.Status.QUEUED, 1) and held_sends[-1] == reply.pk


def test_the_reaper_fails_any_task_running_past_its_deadline_and_requeues_lost_inboxes(phone, travel, monkeypatch):
    DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="chat.tasks.process_inbox",
        backend_name="default",
        run_after=NOW,
        started_at=NOW,
    )
    monkeypatch.setattr("chat.inbound.enqueue_process", lambda patient: None)  # the lost task
    phone.send("hi")
    message = Message.objects.get(direction="in")
    assert not message.processed
    travel.shift(TASK_DEADLINE + dt.timedelta(seconds=1))
    assert reap_stuck() == {"tasks failed": 1, "inboxes requeued": 1}
    message.refresh_from_db()
    assert message.processed
    assert Message.objects.filter(direction="out").count() == 1


# --- a real db_worker killed with SIGKILL mid-send ----------------------------------------------


def database_env() -> dict[str, str]:
    """The environment for a subprocess using this test's database."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    if db["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = db["NAME"]
    else:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


@pytest.mark.slow
def test_a_worker_killed_mid_send_leaves_a_reply_the_reaper_settles(transactional_db, graph, settings, monkeypatch):
    """Real time here: the worker is another process, with its own clock."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LLM_API_KEY = ""
    graph.reply(200, delay=60)  # the worker's send hangs until it is killed
    patient = patient_of(make_clinic(), last_wrote=timezone.now())
    reply = queue_text(patient, "Your appointment is confirmed.")
    env = {
        **database_env(),
        "TASK_BACKEND": "database",
        "WHATSAPP_ACCESS_TOKEN": "test-token",
        "WHATSAPP_API_BASE": graph.base_url,
        "WHATSAPP_TIMEOUT": "30",
    }
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload"]
    cwd = django_settings.BASE_DIR
    worker = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        graph.wait_for(1, timeout=60)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        reply.refresh_from_db()
        assert reply.status == Message.Status.SENDING
        assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1
        # Past the reaper's bound (shortened here; the deferred check the worker queued has the real one).
        monkeypatch.setattr(outbound, "SENDING_DEADLINE", dt.timedelta(0))
        monkeypatch.setattr(outbound, "RECONCILE_WAIT", dt.timedelta(0))
        monkeypatch.setattr("chat.reaper.SENDING_DEADLINE", dt.timedelta(0))
        monkeypatch.setattr("chat.reaper.RECONCILE_WAIT", dt.timedelta(0))
        assert reap_stuck()["messages resent"] == 1
        assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 0
        worker = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reply.refresh_from_db()
            if reply.status == Message.Status.SENT:
                break
            time.sleep(0.1)
        assert (reply.status, reply.wamid, reply.resends) == (Message.Status.SENT, "wamid.stub-2", 1)
    finally:
        worker.kill()
        worker.wait(10)


def test_the_reaper_leaves_an_inbox_alone_while_its_task_waits_in_the_queue(phone, travel, monkeypatch):
    """A long queue is not a lost task: no second process_inbox for a patient whose first is READY."""
    monkeypatch.setattr("chat.inbound.enqueue_process", lambda patient: None)
    phone.send("hi")
    message = Message.objects.get(direction="in")
    DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [message.patient_id], "kwargs": {}},
        task_path="chat.tasks.process_inbox",
        backend_name="default",
        run_after=NOW,
    )
    travel.shift(TASK_DEADLINE + dt.timedelta(seconds=1))
    assert reap_stuck()["inboxes requeued"] == 0
    message.refresh_from_db()
    assert not message.processed
