"""Admin in a real browser (headless Chromium, daphne on the embedded default, the demo clinic
in India): the calendar's "Today" and "Now" at 00:30 IST are the IST date and time whatever the
browser's own zone; and time off saved over a booked day leads to the page that tells those
patients, who are told once.
"""

import datetime as dt
import subprocess

import pytest

from chat.tests.liveserver import BASE_DIR, PYTHON, Daphne, sqlite_env

SCREENSHOTS = BASE_DIR / "screenshots"

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)

FIRST_VISIT_DAY = """
from booking.models import Appointment
first = Appointment.objects.filter(status="booked").order_by("start").first()
print(first.start.astimezone(first.doctor.tz).date().isoformat())
"""


@pytest.fixture(scope="module")
def server():
    with sqlite_env() as env, Daphne(env) as daphne:
        daphne.env = env
        yield daphne


def logged_in(browser, base: str, *, timezone_id: str = "UTC"):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=timezone_id).new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{base}/accounts/login/?next=/admin/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def test_today_and_now_at_half_past_midnight_ist_are_the_ist_date_and_time(server, browser):
    page = logged_in(browser, server.url)  # the browser's clock runs in UTC
    # 00:30 IST on the 8th. A fixed time, not install + pause_at: on a loaded machine the installed
    # clock had already moved past the moment to pause at ("Cannot fast-forward to the past").
    page.clock.set_fixed_time(dt.datetime(2026, 12, 7, 19, 0, tzinfo=dt.UTC))

    page.goto(f"{server.url}/admin/booking/timeoff/add/")
    assert page.get_attribute("body", "data-admin-utc-offset") == "19800"
    page.locator("#id_start_date").locator("xpath=..").get_by_role("link", name="Today").click()
    assert page.input_value("#id_start_date") == "2026-12-08"
    assert "Times are in clinic time: IST, Asia/Kolkata." in page.inner_text("#content")

    page.goto(f"{server.url}/admin/booking/appointment/add/")
    page.locator("#id_start_0").locator("xpath=..").get_by_role("link", name="Today").click()
    page.locator("#id_start_1").locator("xpath=..").get_by_role("link", name="Now").click()
    assert page.input_value("#id_start_0") == "2026-12-08"
    assert page.input_value("#id_start_1") == "00:30:00"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-today-ist.png"), full_page=True)
    assert page.errors == []


def test_time_off_over_a_booked_day_offers_to_tell_the_patients_once(server, browser):
    day = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", FIRST_VISIT_DAY],
            cwd=BASE_DIR,
            env=server.env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    page = logged_in(browser, server.url)

    page.goto(f"{server.url}/admin/booking/timeoff/add/")
    page.select_option("#id_doctor", label="Dr. Meera Joshi (Joshi Family Clinic)")
    page.fill("#id_start_date", day)
    page.fill("#id_end_date", day)
    page.fill("#id_reason", "Conference")
    page.click("input[name=_save]")

    page.wait_for_load_state()
    assert "/admin/booking/timeoff/notify/" in page.url, (
        page.url,
        page.locator(".errorlist, .errornote").all_inner_texts(),
    )
    assert "covers" in page.inner_text(".messagelist")
    rows = page.locator("#covered-appointments tbody tr")
    assert rows.count() >= 1
    button = page.locator("input[name=tell]")
    assert button.get_attribute("value").startswith(("Tell these ", "Tell this patient"))
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-time-off-notify.png"), full_page=True)
    button.click()

    page.wait_for_load_state()
    messages = page.inner_text(".messagelist")
    assert "Told" in messages or "not told" in messages, messages
    page.screenshot(path=str(SCREENSHOTS / "admin-time-off-told.png"), full_page=True)
    page.reload()
    assert page.locator("input[name=tell]").count() == 0 or "Told" in page.inner_text("#covered-appointments")
    assert page.errors == []
