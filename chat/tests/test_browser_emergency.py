"""An emergency reaches the doctor's open page (headless Chromium against a real daphne):
the conversation jumps to the top with its red badge and stays there, the page rings and shows
a browser notification, and a user who turned alerts off gets the badge without them.

The screenshot goes to screenshots/ (gitignored) to be looked at.
"""

import re
from pathlib import Path

import pytest

from booking.tests.browsing import SECRET, patient_says
from chat.tests.liveserver import Daphne, sqlite_env

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SUNITA, ANIL, PRIYA, RAHUL = "919800000901", "919800000902", "919800000102", "919800000101"

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)

# Records every notification the page shows, then shows it for real.
RECORD_NOTIFICATIONS = """
(() => {
  const Real = window.Notification;
  if (!Real) return;
  window.__notifications = [];
  function Recorded(title, options) {
    const note = new Real(title, options);
    window.__notifications.push({ title: title, body: (options || {}).body || "" });
    return note;
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Recorded.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recorded;
})();
"""


@pytest.fixture(scope="module")
def server():
    with sqlite_env(WHATSAPP_APP_SECRET=SECRET) as env, Daphne(env) as daphne:
        yield daphne


def test_an_emergency_rings_notifies_and_jumps_to_the_top_of_the_open_page(server, browser):
    from playwright.sync_api import expect

    base = server.url
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["notifications"], origin=base)
    context.add_init_script(RECORD_NOTIFICATIONS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{base}/accounts/login/?next=/chat/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#alerts-btn")).to_have_text("Alerts on")
    page.locator(".conv-button", has_text="Rahul Deshmukh").click()  # the doctor is reading another chat
    expect(page.locator("#t-name")).to_have_text("Rahul Deshmukh")
    assert page.evaluate("window.clinicbotLive.state.alarms.length") == 0  # seeded rows never ring

    # A new patient writes an emergency in Hinglish while the page is open.
    patient_says(base, SUNITA, "Sunita Pawar", "papa behosh ho gaye, saans nahi le rahe")
    top = page.locator(".conv").first
    expect(top).to_contain_text("Sunita Pawar")
    expect(top.locator(".badge-emergency")).to_have_text("Emergency")
    expect(top).to_have_class(re.compile(r"\bemergency\b"))
    expect(page.locator(".conv.emergency")).to_have_count(1)
    notes = page.evaluate("window.__notifications")
    assert notes == [{"title": "🚨 Emergency: Sunita Pawar", "body": notes[0]["body"]}], notes
    assert "papa behosh" in notes[0]["body"] or "112" in notes[0]["body"]
    assert page.evaluate("window.clinicbotLive.state.alarms.map(a => a.name)") == ["Sunita Pawar"]

    # A routine message from someone else comes after: the emergency stays on top.
    patient_says(base, PRIYA, "Priya Kulkarni", "Can I come at 6 instead?")
    expect(page.locator(".conv").nth(1)).to_contain_text("Priya Kulkarni")
    expect(page.locator(".conv").first).to_contain_text("Sunita Pawar")
    assert len(page.evaluate("window.__notifications")) == 1  # only emergencies ring

    SCREENSHOTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "emergency-alert.png"))

    # Alerts off (kept per user across a reload): the next emergency is marked, silently.
    page.click("#alerts-btn")
    expect(page.locator("#alerts-btn")).to_have_text("Alerts off")
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#alerts-btn")).to_have_text("Alerts off")
    patient_says(base, ANIL, "Anil Jadhav", "my father has severe chest pain and is sweating")
    expect(page.locator(".conv.emergency")).to_have_count(2)
    expect(page.locator(".conv.emergency", has_text="Anil Jadhav").locator(".badge-emergency")).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__notifications") == []  # a fresh page since the reload, and nothing shown
    assert page.evaluate("window.clinicbotLive.state.alarms.map(a => a.name)") == ["Anil Jadhav"]

    # Once the doctor answers, the row is an ordinary one again.
    page.locator(".conv-button", has_text="Sunita Pawar").click()
    page.fill("#text", "I am calling you now. Please dial 108 for the ambulance.")
    page.keyboard.press("Enter")
    expect(page.locator(".conv", has_text="Sunita Pawar").locator(".badge-emergency")).to_have_count(0)
    page.click("#alerts-btn")
    expect(page.locator("#alerts-btn")).to_have_text("Alerts on")
    assert errors == []
