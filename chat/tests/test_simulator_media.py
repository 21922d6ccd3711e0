"""The simulator's patient attaches a photo or a PDF (/simulator/attach): it goes through the
real webhook, the sandbox's GET /{media-id} and download read it back from the media storage (no
network), the file is stored and shown to the clinic, and the bot answers as to any patient."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chat.models import MediaFile, Message
from chat.tests.media_helpers import PDF, jpeg, media_root
from chat.tests.phone import make_clinic

__all__ = ["media_root"]

WA_ID = "919800000123"


@pytest.fixture
def desk(transactional_db, settings, media_root):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""
    settings.LLM_API_KEY = ""
    doctor = make_clinic()
    staff = User.objects.create_user("desk", password="pw")
    doctor.members.add(staff)
    client = Client()
    client.force_login(staff)
    client.doctor = doctor
    return client


def attach(desk, name: str, content: bytes, mime_type: str, caption: str = ""):
    upload = SimpleUploadedFile(name, content, content_type=mime_type)
    return desk.post(
        "/simulator/attach",
        {"file": upload, "caption": caption, "doctorId": desk.doctor.pk, "waId": WA_ID, "name": "Asha"},
    )


def test_a_photo_attached_in_the_simulator_is_stored_shown_and_acknowledged(desk):
    photo = jpeg(640, 480)
    response = attach(desk, "rash.jpg", photo, "image/jpeg", caption="since yesterday")
    assert response.status_code == 200 and response.json()["webhook_status"] == 200
    message = Message.objects.get(direction=Message.Direction.IN, patient__wa_id=WA_ID)
    assert (message.type, message.text) == ("image", "since yesterday")
    media = message.media
    assert (media.state, media.size, media.mime_type) == (MediaFile.State.STORED, len(photo), "image/jpeg")
    assert media.thumbnail
    [reply] = response.json()["replies"]
    assert reply["text"].startswith("Got your photo")
    served = desk.get(f"/media/{media.pk}")
    assert served.status_code == 200 and b"".join(served.streaming_content) == photo
    history = desk.get("/simulator/history", {"doctorId": desk.doctor.pk, "waId": WA_ID}).json()["messages"]
    assert history[0]["media"]["url"] == f"/media/{media.pk}"


def test_a_pdf_keeps_its_name(desk):
    attach(desk, "CBC report.pdf", PDF, "application/pdf")
    media = MediaFile.objects.get(message__patient__wa_id=WA_ID)
    assert (media.state, media.filename, media.message.type) == (MediaFile.State.STORED, "CBC report.pdf", "document")


def test_a_file_that_is_neither_photo_nor_pdf_is_refused_and_nothing_is_stored(desk):
    response = attach(desk, "tool.exe", b"MZ\x90\x00" * 10, "application/octet-stream")
    assert response.status_code == 400 and "PDF, JPEG and PNG" in response.json()["error"]
    assert not Message.objects.exists()


def test_no_file_is_a_400(desk):
    response = desk.post("/simulator/attach", {"doctorId": desk.doctor.pk, "waId": WA_ID})
    assert response.status_code == 400
