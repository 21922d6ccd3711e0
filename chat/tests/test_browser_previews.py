"""The conversation list's previews on /chat/ are plain text (headless Chromium against a real
daphne): WhatsApp's *bold*, _italic_, ~strike~ and ```monospace``` markers are taken out by the
rules the thread formats with (whatsapp_format.js), nothing is bold in the list, and what is not a
marker (2*3*4, snake_case, "<b>") stays as typed. Both ways a preview arrives: the list's first
page (the API) and a live message.created event.
"""

import pytest

from booking.tests.browsing import patient_says as signed_patient_says
from chat.tests.liveserver import Daphne, sqlite_env

ANITA = "919800000551"

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)


@pytest.fixture(scope="module")
def server():
    with sqlite_env() as env, Daphne(env) as daphne:
        yield daphne


def patient_says(base_url: str, text: str) -> None:
    """Anita Joshi writes (this server checks no signature; the post is signed all the same)."""
    signed_patient_says(base_url, ANITA, "Anita Joshi", text)


def test_list_previews_show_whatsapp_text_without_its_markers(server, browser):
    from playwright.sync_api import expect

    patient_says(server.url, "hello")  # the bot answers; once paused it stays quiet
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/chat/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=15000)
    row = page.locator(".conv", has_text="Anita Joshi")
    row.click()
    page.click("#pause-btn")
    expect(page.locator("#pause-btn")).to_have_text("Resume AI")
    preview = row.locator(".conv-preview")

    # Live: the message.created event's preview.
    patient_says(server.url, "*Fever* since _Monday_, ~maybe~ ```38.5```")
    expect(preview).to_have_text("Fever since Monday, maybe 38.5", timeout=15000)
    expect(preview.locator("*")).to_have_count(0)  # text, not formatting
    patient_says(server.url, "Still *high*, 2*3*4 in snake_case <b>x</b> https://example.com/a_b")
    shown = "Still high, 2*3*4 in snake_case <b>x</b> https://example.com/a_b"
    expect(preview).to_have_text(shown, timeout=15000)
    expect(preview.locator("*")).to_have_count(0)

    # The list's first page from the API, after a reload.
    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=15000)
    expect(preview).to_have_text(shown)
    expect(preview.locator("*")).to_have_count(0)
    assert errors == []
