"""The web process's sweep (chat/sweep.py) also runs what used to need cron: the
reaper and the idle-bot resume, each on every sweep, a failure of one stopping nothing else."""

import logging

import pytest

from chat import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch):
    done: list[str] = []
    monkeypatch.setattr(sweep, "reminders_send_due", lambda **kw: done.append("reminders") or {"sent": 0})
    monkeypatch.setattr(sweep, "reap_stuck", lambda **kw: done.append("reaper") or {"tasks failed": 0})
    monkeypatch.setattr(sweep, "resume_idle_bots", lambda **kw: done.append("resume") or 0)
    return done


def test_each_sweep_sends_reminders_then_reaps_then_resumes_idle_bots(calls):
    sweep._tick_and_close()
    sweep._tick_and_close()
    assert calls == ["reminders", "reaper", "resume"] * 2


def test_a_failing_reaper_is_logged_and_the_resume_still_runs(calls, monkeypatch, caplog):
    def broken(**kw):
        raise RuntimeError("database restarting")

    monkeypatch.setattr(sweep, "reap_stuck", broken)
    with caplog.at_level(logging.ERROR):
        assert sweep._tick_and_close() == {"sent": 0}
    assert calls == ["reminders", "resume"]
    assert "reaper failed in the sweep" in caplog.text


def test_the_real_jobs_run_on_an_empty_database_without_error(caplog):
    with caplog.at_level(logging.ERROR):
        sweep.housekeeping()
    assert caplog.text == ""
