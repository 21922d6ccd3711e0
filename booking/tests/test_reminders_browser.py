"""A reminder falls due while the doctor watches /chat/ in a real browser (headless Chromium, real
daphne on the embedded default): it appears in the thread without a reload, the patient header
says "Reminded", and /appointments/ says so on the visit's row. Nothing but the server sends it.
"""

import re
import subprocess
from pathlib import Path

import pytest

from chat.tests.liveserver import BASE_DIR, PYTHON, Daphne, sqlite_env

SCREENSHOTS = BASE_DIR / "screenshots"

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)

# Rahul (seed_demo) wrote yesterday evening, inside the window: his 24-hour reminder falls due now.
MAKE_DUE = """
from django.utils import timezone
from booking.models import Reminder
due = Reminder.objects.filter(appointment__patient__wa_id="919800000101", offset_minutes=1440, status="pending")
assert due.update(due_at=timezone.now()) == 1
"""


def test_a_reminder_falling_due_shows_live_in_the_chat_and_on_the_appointments_page(browser):
    from playwright.sync_api import expect

    with sqlite_env(REMINDER_SWEEP_SECONDS="0.3") as env, Daphne(env) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server.url}/chat/")
        page.fill("#id_username", "demo")
        page.fill("#id_password", "demo")
        page.click("button[type=submit]")
        expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        page.locator(".conv-button", has_text="Rahul Deshmukh").click()
        expect(page.locator("#t-sub")).to_contain_text("Reminder due")

        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", MAKE_DUE], cwd=BASE_DIR, env=env, check=True, capture_output=True
        )
        reminder = page.locator("#messages .msg-out", has_text="Reminder: your appointment with Dr. Meera Joshi")
        expect(reminder).to_be_visible(timeout=15000)
        expect(page.locator("#t-sub .head-reminder")).to_have_text(re.compile(r"^Reminded "), timeout=15000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / "reminder-live-chat.png"))

        page.goto(f"{server.url}/appointments/")
        row = page.locator(".appt", has_text="Rahul Deshmukh")
        expect(row.locator(".appt-reminder")).to_have_text(re.compile(r"^Reminded .* · next "))
        page.screenshot(path=str(Path(SCREENSHOTS) / "reminder-appointments.png"), full_page=True)
        assert errors == []
