"""/appointments/ live, in headless Chromium against a real daphne: a patient books on WhatsApp
(signed webhooks) while the front desk has /appointments/ and /chat/ open, and the row appears on
/appointments/ without a reload; the desk then books a patient into a free time from the page's
own form, and the other open /appointments/ tab shows that too.

The screenshot goes to screenshots/appointments-live.png (gitignored) to be looked at.
"""

from pathlib import Path

import pytest

from booking.tests.browsing import KIRAN, MEENA, SECRET, open_day_clear_of_seeded_visits, patient_says
from chat.tests.liveserver import Daphne, sqlite_env

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)


@pytest.fixture(scope="module")
def server():
    with sqlite_env(WHATSAPP_APP_SECRET=SECRET) as env, Daphne(env) as daphne:
        yield daphne


def test_a_booking_on_whatsapp_appears_live_on_the_open_appointments_page(server, browser):
    from playwright.sync_api import expect

    base = server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    errors = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.on("console", lambda message: message.type == "error" and errors.append(message.text))

    desk.goto(f"{base}/accounts/login/?next=/appointments/")
    desk.fill("#id_username", "demo")
    desk.fill("#id_password", "demo")
    desk.click("button[type=submit]")
    expect(desk.locator("#appts-conn")).to_have_attribute("data-state", "live", timeout=15000)
    chat = context.new_page()
    chat.on("pageerror", lambda error: errors.append(str(error)))
    chat.goto(f"{base}/chat/")
    expect(chat.locator("#conn")).to_have_attribute("data-state", "live", timeout=15000)

    desk.evaluate("window.__notReloaded = true")
    desk.bring_to_front()
    rows_before = desk.locator(".appt").count()

    # The patient books an exact free time in the chat: booked at once, confirmed in one message.
    day = open_day_clear_of_seeded_visits()
    patient_says(base, MEENA, "Meena Iyer", "book")
    patient_says(base, MEENA, "Meena Iyer", f"{day:%d/%m} at 11:30am")

    row = desk.locator(f"#day-{day:%Y-%m-%d} .appt", has_text="Meena Iyer")
    expect(row).to_be_visible(timeout=15000)
    expect(row.locator(".appt-time")).to_have_text("11:30 AM")
    expect(row.locator(".pill-booked")).to_have_text("Booked")
    expect(row).to_have_class("appt appt-booked appt-fresh")
    assert desk.evaluate("window.__notReloaded") is True  # it came live, not by a reload
    assert desk.locator(".appt").count() == rows_before + 1
    # A visit still to come offers Move and Cancel, not Completed / No-show.
    expect(row.locator(".appt-actions")).to_contain_text("Move…")
    assert row.locator("button", has_text="No-show").count() == 0
    expect(chat.locator(".conv", has_text="Meena Iyer")).to_be_visible()

    SCREENSHOTS.mkdir(exist_ok=True)
    desk.wait_for_timeout(300)  # the glow has begun
    desk.screenshot(path=str(SCREENSHOTS / "appointments-live.png"), full_page=True)

    # The desk books Meena again from the page's own form (over her limit, allowed to staff); a
    # second /appointments/ tab sees it arrive live.
    other = context.new_page()
    other.goto(f"{base}/appointments/")
    expect(other.locator("#appts-conn")).to_have_attribute("data-state", "live", timeout=15000)
    other.evaluate("window.__notReloaded = true")
    desk.bring_to_front()
    desk.click("text=New appointment")
    desk.fill("input[name=q]", "Meena")
    desk.click("text=Show free times")
    desk.select_option("select[name=patient]", label="Meena Iyer · +91 98000 00777")
    desk.fill("input[name=new_day]", f"{day:%Y-%m-%d}")
    desk.click("text=Show free times")  # the select and the date also submit on change
    # Another patient takes 5:30 PM on WhatsApp while the box is open: struck out there, live.
    patient_says(base, KIRAN, "Kiran Rao", "book")
    patient_says(base, KIRAN, "Kiran Rao", f"{day:%d/%m} at 5:30pm")
    expect(desk.locator(".slot", has_text="5:30 PM")).to_have_class("slot slot-gone", timeout=15000)
    expect(desk.locator(".slot", has_text="5:30 PM").locator("input")).to_be_disabled()
    expect(desk.locator(".slot", has_text="12:30 PM")).to_have_class("slot")
    desk.locator(".slot", has_text="12:30 PM").click()
    desk.screenshot(path=str(SCREENSHOTS / "appointments-new.png"))
    desk.click("text=Book Meena Iyer")
    expect(desk.locator(".appt", has_text="Booked Meena Iyer for")).to_be_visible()
    booked_by_desk = other.locator(f"#day-{day:%Y-%m-%d} .appt", has_text="12:30 PM")
    expect(booked_by_desk).to_contain_text("Meena Iyer", timeout=15000)
    expect(booked_by_desk.locator(".pill-source")).to_have_text("Staff")
    assert other.evaluate("window.__notReloaded") is True

    # Move opens a panel in the row with the day's free times; moving there updates the other tab.
    meena_first = desk.locator(f"#day-{day:%Y-%m-%d} .appt", has_text="11:30 AM")
    meena_first.locator("text=Move…").click()
    panel = desk.locator(".appt-move")
    expect(panel).to_be_visible()
    panel.locator(".slot", has_text="5:00 PM").click()
    desk.screenshot(path=str(SCREENSHOTS / "appointments-move.png"))
    panel.locator("text=Move here").click()
    expect(desk.locator(".appt", has_text="Moved Meena Iyer")).to_be_visible()
    expect(other.locator(f"#day-{day:%Y-%m-%d} .appt", has_text="5:00 PM")).to_contain_text("Meena Iyer", timeout=15000)
    expect(other.locator(f"#day-{day:%Y-%m-%d} .appt", has_text="11:30 AM")).to_have_count(0)

    # A row the desk is writing in is not replaced under their fingers: a colleague moves Kiran
    # while a cancel note is being typed; the row follows once the note is put away.
    kiran = desk.locator(".appt", has_text="Kiran Rao")
    kiran.locator("summary", has_text="Cancel…").click()
    kiran.locator("textarea").fill("The doctor is called away")
    other.goto(f"{base}/appointments/?move={kiran.get_attribute('id')[2:]}")
    other.locator(".appt-move .slot", has_text="6:00 PM").click()
    other.locator("text=Move here").click()
    expect(other.locator(".appt", has_text="Moved Kiran Rao")).to_be_visible()
    # The desk has fetched the change and held Kiran's row back (not merely not heard it yet).
    desk.wait_for_function("() => window.clinicbotAppointments.state.deferred", timeout=15000)
    expect(kiran.locator(".appt-time")).to_have_text("5:30 PM")
    expect(kiran.locator("textarea")).to_have_value("The doctor is called away")
    kiran.locator("textarea").fill("")
    kiran.locator("summary", has_text="Cancel…").click()
    desk.locator("h1").click()
    expect(desk.locator(".appt", has_text="Kiran Rao").locator(".appt-time")).to_have_text("6:00 PM", timeout=15000)

    assert errors == []
