"""WhatsApp formatting as WhatsApp shows it, on /chat/ and /simulator/ (headless Chromium against
a real daphne): *bold*, _italic_, ~strike~, ```monospace``` and http(s) links become elements,
built from DOM nodes, so a patient's "<script>" is still shown as text; a long message is cut
with "Read more". The screenshot goes to screenshots/format.png (gitignored) to be looked at.
"""

import re
from pathlib import Path

import pytest

from booking.tests.browsing import patient_says as signed_patient_says
from chat.tests.liveserver import Daphne, sqlite_env

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
RAHUL = "919800000101"
FORMATTED = "*bold* _it_ ~s~ ```code``` https://example.com <script>alert(1)</script>"
NOT_FORMATTED = "snake_case_name 2*3*4 javascript:alert(1) ftp://example.com/x ```https://in.code```"
NESTED = "*_both_* a * b * c ~_gone_~ see https://example.com/a_(b)."
LONG = "Day one. " + "The fever went up and down all night, " * 30 + "THE END"

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)


@pytest.fixture(scope="module")
def server():
    with sqlite_env() as env, Daphne(env) as daphne:
        yield daphne


def patient_says(base_url: str, text: str) -> None:
    """Rahul Deshmukh writes (this server checks no signature; the post is signed all the same)."""
    signed_patient_says(base_url, RAHUL, "Rahul Deshmukh", text)


def log_in(page, url: str) -> None:
    page.goto(url)
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")


def test_the_chat_page_shows_whatsapp_formatting_and_keeps_html_as_text(server, browser):
    from playwright.sync_api import expect

    for text in (FORMATTED, NOT_FORMATTED, NESTED, LONG):
        patient_says(server.url, text)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, f"{server.url}/chat/")
    page.locator(".conv-button", has_text="Rahul Deshmukh").click()
    thread = page.locator("#messages")

    body = thread.locator(".msg-in .text", has_text="alert(1)</script>")
    expect(body).to_have_count(1)
    expect(body.locator("strong")).to_have_text("bold")
    expect(body.locator("em")).to_have_text("it")
    expect(body.locator("s, del")).to_have_text("s")
    expect(body.locator("code")).to_have_text("code")
    link = body.locator("a")
    expect(link).to_have_text("https://example.com")
    assert link.get_attribute("href") == "https://example.com"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("target") == "_blank"
    # The markers are gone, as on a phone; the patient's HTML is shown as the letters typed.
    expect(body).to_have_text("bold it s code https://example.com <script>alert(1)</script>")
    assert thread.locator("script").count() == 0

    # Markers inside words, other schemes and links inside ``` are left as typed.
    plain = thread.locator(".msg-in .text", has_text="snake_case_name")
    expect(plain).to_have_text("snake_case_name 2*3*4 javascript:alert(1) ftp://example.com/x https://in.code")
    assert plain.locator("a, em, strong").count() == 0
    expect(plain.locator("code")).to_have_text("https://in.code")

    # Markers nest; a marker with a space inside is not one; a link stops before the full stop.
    nested = thread.locator(".msg-in .text", has_text="a * b * c")
    expect(nested.locator("strong > em")).to_have_text("both")
    expect(nested.locator("s > em")).to_have_text("gone")
    assert nested.locator("a").get_attribute("href") == "https://example.com/a_(b)"
    expect(nested).to_have_text("both a * b * c gone see https://example.com/a_(b).")

    # A long message is cut with "Read more"; tapping it shows the whole text.
    long = thread.locator(".msg-in .text", has_text="Day one.")
    more = long.locator("button.read-more")
    expect(more).to_have_text("Read more")
    expect(long).not_to_contain_text("THE END")
    page.wait_for_timeout(200)
    more.click()
    expect(long).to_have_text(LONG)
    expect(long.locator("button")).to_have_count(0)

    body.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "format.png"))
    assert dialogs == [] and errors == []


def test_the_simulator_shows_the_same_formatting(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    phone = context.new_page()
    dialogs, errors = [], []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    phone.on("pageerror", lambda error: errors.append(str(error)))
    log_in(phone, f"{server.url}/simulator/")
    expect(phone).to_have_url(re.compile(r"/simulator/$"))
    expect(phone.locator("#sim-form button.send")).to_be_enabled()  # simulator.js has bound the form
    phone.fill("#sim-phone", "919811100077")
    phone.fill("#sim-text", FORMATTED)
    phone.press("#sim-text", "Enter")
    mine = phone.locator("#sim-log .msg-out .text").last
    expect(mine.locator("strong")).to_have_text("bold")
    expect(mine.locator("em")).to_have_text("it")
    expect(mine.locator("s")).to_have_text("s")
    expect(mine.locator("code")).to_have_text("code")
    assert mine.locator("a").get_attribute("rel") == "noopener noreferrer"
    expect(phone.locator("#sim-log .msg-in").first).to_be_visible()  # the clinic answered
    assert phone.locator("#sim-log script").count() == 0
    # Reloaded, the stored conversation is drawn through the same formatter.
    phone.reload()
    expect(phone.locator("#sim-log .msg-out .text strong").first).to_have_text("bold")
    phone.screenshot(path=str(SCREENSHOTS / "format-simulator.png"))
    assert dialogs == [] and errors == []
