"""Fixtures every test gets, whatever its app."""

import pytest


@pytest.fixture(autouse=True)
def live_pushes_not_paused():
    """A live push that timed out in one test (a loaded CI machine) pauses pushes for a few
    seconds (clinicbot/events.py); the next test must not inherit that pause."""
    from clinicbot import events  # Django is set up by the time fixtures run

    events.resume_pushes()
    yield
    events.resume_pushes()
