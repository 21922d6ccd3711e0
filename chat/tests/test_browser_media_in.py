"""A patient's photo and PDF appear live in the doctor's thread (issue 16): a real browser against
a real daphne in demo mode. The patient is played in the simulator page, whose clip attaches the
files; they go through the real webhook, the sandbox serves them to the fetch task (no network),
and the doctor's open thread shows "Downloading…" then the thumbnail (linking to the full size)
and the PDF with its name, size and a preview, all served by chat's media view."""

import io
import re
import tempfile
from pathlib import Path

import pytest
import requests

from chat.tests.liveserver import Daphne, sqlite_env

SCREENSHOT = Path("/tmp/media-in.png")

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)


def photo_bytes() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 600), (236, 200, 180))
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 180, 600, 420), fill=(200, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory(prefix="clinicbot-media-in-") as media:
        with sqlite_env(MEDIA_ROOT=media) as env, Daphne(env) as daphne:
            yield daphne


def test_a_patient_s_photo_and_pdf_appear_live_in_the_thread(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 860})
    doctor = context.new_page()
    errors: list[str] = []
    doctor.on("pageerror", lambda error: errors.append(str(error)))
    doctor.goto(f"{server.url}/accounts/login/?next=/chat/")
    doctor.fill("#id_username", "demo")
    doctor.fill("#id_password", "demo")
    doctor.click("button[type=submit]")
    expect(doctor.locator("#conn")).to_have_attribute("data-state", "live")

    # The patient (the simulator, same login) writes first, so the conversation is listed.
    phone = context.new_page()
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{server.url}/simulator/")
    expect(phone.locator("#sim-form button.send")).to_be_enabled()  # simulator.js has bound the form
    phone.fill("#sim-phone", "919800000177")
    phone.fill("#sim-name", "Sunita Rao")
    phone.fill("#sim-text", "Hello, I have my reports")
    phone.keyboard.press("Enter")
    expect(phone.locator(".msg.msg-in").first).to_be_visible()

    doctor.locator(".conv-button", has_text="Sunita Rao").click()
    thread = doctor.locator("#messages")
    expect(thread.locator(".msg-in .text", has_text="Hello, I have my reports")).to_be_visible()

    # A photo with a caption: live in the open thread, a thumbnail linking to the full size.
    phone.fill("#sim-text", "rash on my arm since Monday")
    phone.set_input_files("#sim-file", files=[{"name": "arm.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    shown = thread.locator(".msg-in", has_text="rash on my arm since Monday")
    thumb = shown.locator("a.media-photo img.media-thumb")
    expect(thumb).to_be_visible()
    href = shown.locator("a.media-photo").get_attribute("href")
    assert re.fullmatch(r"/media/\d+", href)
    assert re.fullmatch(r"/media/\d+/thumbnail", thumb.get_attribute("src"))
    assert thumb.evaluate("img => img.naturalWidth") == 320  # the thumbnail, not the 900 px original
    expect(phone.locator(".msg-in", has_text="Got your photo")).to_be_visible()

    # A PDF: its name and size, a preview frame of the served file.
    phone.set_input_files("#sim-file", files=[{"name": "CBC report.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    document = thread.locator(".msg-in .media-document")
    expect(document.locator("a.media-doc")).to_have_text("CBC report.pdf (1 KB)")
    expect(document.locator("iframe.media-pdf")).to_have_attribute("src", re.compile(r"^/media/\d+$"))

    # Both are served to the clinic's member, with the stored type.
    served = context.request.get(server.url + href)
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"

    doctor.wait_for_timeout(300)
    doctor.screenshot(path=str(SCREENSHOT))
    assert errors == []


def test_a_file_that_could_not_be_downloaded_says_so_with_a_retry(server, browser):
    from playwright.sync_api import expect

    from chat.simulator import webhook_payload
    from patients.models import Doctor

    demo = Doctor(phone_number_id="100200300400500", display_phone_number="919812300000")  # never saved
    part = {"id": "gone-from-meta", "mime_type": "image/jpeg", "sha256": "00", "caption": "old x-ray"}
    body = webhook_payload(doctor=demo, wa_id="919800000178", name="Kiran Joshi", media=("image", part))
    assert requests.post(f"{server.url}/webhooks/whatsapp/", json=body, timeout=30).status_code == 200

    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/accounts/login/?next=/chat/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.locator(".conv-button", has_text="Kiran Joshi").click()
    failed = page.locator("#messages .msg-in .media-failed")
    expect(failed).to_contain_text("Could not download image")
    expect(failed).to_contain_text("no longer on WhatsApp")
    retry = failed.locator("button.media-retry")
    expect(retry).to_be_visible()
    retry.click()  # fetched again (the sandbox still has no such file): failed again, redrawn live
    expect(page.locator("#messages .msg-in .media-failed button.media-retry")).to_be_enabled()
    assert errors == []
