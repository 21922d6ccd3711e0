"""The doctor attaches a PDF in the live page's composer and it reaches WhatsApp (issue 16): a real
browser against a real daphne whose Graph API is the stub on loopback, so the test sees the
upload to the media endpoint and the document message that names its id."""

import re
import tempfile
from pathlib import Path

import pytest
import requests

from chat.simulator import webhook_payload
from chat.tests.liveserver import Daphne, sqlite_env
from chat.tests.stub_graph import StubGraph
from patients.models import Doctor

SCREENSHOT = Path("/tmp/media-out.png")
DEMO = Doctor(phone_number_id="100200300400500", display_phone_number="919812300000")  # never saved
RAHUL = "919800000101"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" * 40
GIF = b"GIF89a" + b"\x00" * 200

pytestmark = pytest.mark.browser  # skipped where Chromium is missing (conftest.py)


@pytest.fixture(scope="module")
def stub():
    with StubGraph() as server:
        yield server


@pytest.fixture(scope="module")
def server(stub):
    with tempfile.TemporaryDirectory(prefix="clinicbot-media-") as media:
        overrides = dict(WHATSAPP_ACCESS_TOKEN="stub-token", WHATSAPP_API_BASE=stub.base_url, MEDIA_ROOT=media)
        with sqlite_env(**overrides) as env, Daphne(env) as daphne:
            yield daphne


def test_the_doctor_attaches_a_pdf_and_whatsapp_gets_the_upload_and_the_document(server, stub, browser):
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    body = webhook_payload(doctor=DEMO, wa_id=RAHUL, name="Rahul Deshmukh", text="Please send my lab report")
    assert requests.post(f"{server.url}/webhooks/whatsapp/", json=body, timeout=30).status_code == 200

    page.goto(f"{server.url}/accounts/login/?next=/chat/")
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    page.locator(".conv-button", has_text="Rahul Deshmukh").click()
    thread = page.locator("#messages")
    expect(thread.locator(".msg-in", has_text="Please send my lab report")).to_be_visible()

    # A GIF renamed .png is refused inline, before anything is sent.
    page.set_input_files("#attach-input", files=[{"name": "rash.png", "mimeType": "image/png", "buffer": GIF}])
    expect(page.locator("#attach-error")).to_have_text(re.compile("Only PDF, JPEG and PNG files"))
    expect(page.locator("#attachment")).to_be_hidden()

    # The PDF: its name and size with a remove ×; the text typed becomes its caption.
    pdf = {"name": "Lab report.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.set_input_files("#attach-input", files=[pdf])
    chip = page.locator("#attachment")
    expect(chip).to_contain_text("Lab report.pdf")
    expect(chip.locator(".attachment-size")).to_have_text("4 KB")
    expect(page.locator("#attach-error")).to_be_hidden()
    expect(page.locator("#text")).to_have_attribute("placeholder", "Add a caption (optional)")
    chip.locator(".attachment-remove").click()
    expect(chip).to_be_hidden()
    page.set_input_files("#attach-input", files=[pdf])
    page.fill("#text", "Your CBC report, all normal.")
    page.screenshot(path="/tmp/media-out-attached.png")
    page.keyboard.press("Enter")

    mine = thread.locator(".msg-out", has_text="Your CBC report, all normal.")
    expect(mine).to_contain_text("Lab report.pdf")
    expect(mine.locator(".tick-sent")).to_be_visible()
    expect(chip).to_be_hidden()
    expect(page.locator("#pause-btn")).to_have_text("Resume AI")  # a file is a reply by hand

    [upload] = stub.uploads()
    assert upload.path == "/v23.0/100200300400500/media"
    assert upload.form == {"messaging_product": "whatsapp", "type": "application/pdf"}
    assert (upload.files["file"].filename, upload.files["file"].data) == ("Lab report.pdf", PDF)
    sends = [r for r in stub.requests if isinstance(r.json, dict) and r.json.get("type") == "document"]
    [document] = [r.json for r in sends]
    assert stub.requests.index(upload) < stub.requests.index(sends[0])  # the file first, then the message
    assert document["to"] == RAHUL
    assert re.fullmatch(r"media\.stub-\d+", document["document"].pop("id"))
    assert document["document"] == {"filename": "Lab report.pdf", "caption": "Your CBC report, all normal."}

    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOT))
    assert errors == []
