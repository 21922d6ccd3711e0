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


@pytest.fixture(autouse=True)
def clinic_numbers_forgotten():
    """The clinic-by-number cache (patients/numbers.py) lives as long as the process; a test's
    clinic rolled back with its transaction must not be found by the next test."""
    from patients.numbers import forget_numbers

    forget_numbers()
    yield
    forget_numbers()


# --- Browser tests (marked `browser`): Debian's Chromium, headless, one per test -------------------

CHROMIUM = "/usr/bin/chromium"  # Playwright's own download does not work here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Browser tests are skipped, with the reason shown, where Chromium is not installed."""
    import shutil

    if shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def browser():
    """A headless Chromium for one test (a fresh one each time: Playwright's sync API runs its own
    event loop, which must not outlive the test into the suite's asyncio tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
