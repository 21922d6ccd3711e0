"""Fixtures every test gets, whatever its app."""

import pytest


def pytest_configure(config):
    """No reminder sweep in the background of the test process (importing clinicbot.asgi starts
    one): it would send the reminders tests expect pending. Tests start their own when they want
    one (booking/tests/test_reminders_on_time.py); live servers in subprocesses keep theirs."""
    from django.conf import settings

    settings.REMINDER_SWEEP_SECONDS = 0


@pytest.fixture(autouse=True)
def live_pushes_not_paused():
    """A live push that timed out in one test (a loaded CI machine) pauses pushes for a few
    seconds (clinicbot/events.py); the next test must not inherit that pause."""
    from clinicbot import events  # Django is set up by the time fixtures run

    events.resume_pushes()
    yield
    events.resume_pushes()
