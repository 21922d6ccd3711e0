"""Under the real CSP, in headless Chromium against daphne: the live chat still works end to end and
no page of the site trips the policy (no blocked script, style, image or socket)."""

import re

import pytest
import requests

from chat.simulator import webhook_payload
from chat.tests.liveserver import Daphne, sqlite_env
from patients.models import Doctor

DEMO = Doctor(phone_number_id="100200300400500", display_phone_number="919812300000")  # never saved
RAHUL = "919800000101"
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)


@pytest.fixture(scope="module")
def server():
    with sqlite_env() as env, Daphne(env) as daphne:
        yield daphne


@pytest.fixture
def page(browser):
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.add_init_script(WATCH)
    page.console_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.console_violations.append(m.text))
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.console_violations


def test_the_live_chat_works_under_the_csp_and_no_page_trips_it(server, page):
    from playwright.sync_api import expect

    base = server.url
    first = page.goto(f"{base}/accounts/login/")
    assert "script-src 'self'" in first.headers["content-security-policy"]
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")  # the socket is allowed
    page.locator(".conv-button", has_text="Rahul Deshmukh").click()
    thread = page.locator("#messages")

    sent = requests.post(
        f"{base}/webhooks/whatsapp/",
        json=webhook_payload(doctor=DEMO, wa_id=RAHUL, name="Rahul Deshmukh", text="Open under CSP?"),
        timeout=30,
    )
    assert sent.status_code == 200
    expect(thread.locator(".msg-in .text", has_text="Open under CSP?")).to_be_visible()
    page.click("#pause-btn")
    expect(page.locator("#pause-btn")).to_have_text("Resume AI")
    page.fill("#text", "Yes, CSP is on.")
    page.keyboard.press("Enter")
    expect(thread.locator(".msg-out", has_text="Yes, CSP is on.").locator(".tick-delivered")).to_be_visible()
    assert violations(page) == []

    for path in ("/appointments/", "/admin/", "/admin/patients/patient/", "/admin/patients/auditevent/", "/simulator/"):
        response = page.goto(f"{base}{path}")
        assert response.status == 200 and "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    expect(page.locator("body")).not_to_have_text(re.compile("Server Error"))
