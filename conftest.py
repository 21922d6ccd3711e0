"""Fixtures every test gets, whatever its app."""

import os
import shutil
import tempfile

import pytest

from chat.tests.liveserver import LIVE_SETTINGS, SHARED_TEMPLATE_DIR

# Live servers started by tests hash passwords fast (chat/tests/live_settings.py says why).
os.environ.setdefault(LIVE_SETTINGS, "chat.tests.live_settings")

# `make test` runs the suite in parallel workers (pytest-xdist). Each worker has its own test
# database (pytest-django suffixes its name); a shared Redis needs its own key prefix per worker
# too, or one worker's "doctor-1" group would hear another's. Set here, at import, so live servers
# started as subprocesses inherit it.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("CHANNEL_LAYER_PREFIX", f"asgi-{os.environ['PYTEST_XDIST_WORKER']}")


def pytest_configure(config):
    """The controlling process (not an xdist worker) makes one folder for the run's seeded SQLite
    template, which the workers it starts inherit (chat/tests/liveserver.py) and it removes at the
    end.

    No reminder sweep in the background of the test process (importing clinicbot.asgi starts
    one): it would send the reminders tests expect pending. Tests start their own when they want
    one (booking/tests/test_reminders_on_time.py); live servers in subprocesses keep theirs."""
    from django.conf import settings

    if not hasattr(config, "workerinput") and SHARED_TEMPLATE_DIR not in os.environ:
        folder = tempfile.mkdtemp(prefix="clinicbot-live-template-")
        os.environ[SHARED_TEMPLATE_DIR] = folder
        config.add_cleanup(lambda: (shutil.rmtree(folder, True), os.environ.pop(SHARED_TEMPLATE_DIR, None)))

    settings.REMINDER_SWEEP_SECONDS = 0
    # Django's PBKDF2 costs ~0.4 s a password here (every create_user, login and check); no test
    # is about the hasher, so this process hashes with MD5, as do the live servers tests start
    # (chat/tests/live_settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    layer = settings.CHANNEL_LAYERS["default"]
    if "CONFIG" in layer:
        layer["CONFIG"]["prefix"] = os.environ.get("CHANNEL_LAYER_PREFIX", "asgi")
    # Media files written by tests go to a throwaway folder, never the checkout's media/.
    if settings.STORAGES["media"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        settings.STORAGES["media"]["OPTIONS"] = {"location": tempfile.mkdtemp(prefix="clinicbot-test-media-")}
    # WhiteNoise scans every static file when its middleware is built, and the test client builds
    # the middleware chain once per Client: ~30 ms a test, minutes a suite. Autorefresh finds each
    # file when it is asked for instead; what is served is the same.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def live_pushes_not_paused():
    """A live push that timed out in one test (a loaded CI machine) pauses pushes for a few
    seconds (clinicbot/events.py); the next test must not inherit that pause."""
    from clinicbot import events  # Django is set up by the time fixtures run

    events.resume_pushes()
    yield
    events.resume_pushes()


@pytest.fixture
def no_llm(settings):
    """The rules answer alone: no LLM responder configured."""
    settings.LLM_API_KEY = ""


@pytest.fixture(autouse=True)
def clinic_numbers_forgotten():
    """The clinic-by-number cache (patients/numbers.py) lives as long as the process; a test's
    clinic rolled back with its transaction must not be found by the next test."""
    from patients.numbers import forget_numbers

    forget_numbers()
    yield
    forget_numbers()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A test's captured output goes to the parallel runner as UTF-8, and the fuzzers log lone
    surrogates (a junk webhook's text): escape them, or the worker dies sending its report."""
    outcome = yield
    report = outcome.get_result()
    report.sections = [(title, text.encode("utf-8", "backslashreplace").decode()) for title, text in report.sections]


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
    """Browser tests are skipped, with the reason shown, where Chromium is not installed. (A
    file's tests stay on one parallel worker by `--dist loadfile`, so its module-scoped live
    server starts once.)"""
    if shutil.which(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def chromium_for_module():
    """One headless Chromium per test file (launching one costs ~0.9 s of CPU). Module scope, not
    session: Playwright's sync API runs its own event loop, which must not live on into another
    file's asyncio tests on the same worker; browser test files hold only browser tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser(chromium_for_module):
    """The file's Chromium, with nothing left open by an earlier test: every context (its pages,
    cookies and sockets) a test opened is closed when it ends."""
    yield chromium_for_module
    for context in list(chromium_for_module.contexts):
        context.close()
