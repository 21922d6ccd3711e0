"""The staff send a file (issue 16): POST /api/chat/send-file, the upload to the Graph API media
endpoint and the document or image message, against the stub Graph API on loopback."""

import collections
import datetime as dt
import hashlib
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chat import media_out, sandbox
from chat.models import MediaFile, Message
from chat.outbound import send_message_now
from chat.tests.stub_graph import StubGraph
from chat.whatsapp.graph import GraphClient
from patients.models import Doctor, Patient

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
URL = "/api/chat/send-file"


@pytest.fixture(autouse=True)
def media_dir(tmp_path, monkeypatch):
    """Stored files go to the test's own folder (the field's storage is built once, at import)."""
    storage = FileSystemStorage(location=str(tmp_path / "media"))
    for name in ("file", "thumbnail"):
        monkeypatch.setattr(MediaFile._meta.get_field(name), "storage", storage)
    return tmp_path / "media"


@pytest.fixture
def stub(settings):
    with StubGraph() as server:
        settings.WHATSAPP_ACCESS_TOKEN = "test-token"
        settings.WHATSAPP_API_BASE = server.base_url
        settings.WHATSAPP_SEND_ATTEMPTS = 1
        settings.WHATSAPP_RETRY_BASE_DELAY = 0
        yield server


@pytest.fixture
def clinic(db):
    doctor = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    other = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    staff = User.objects.create_user("desk-a", password="pw-a-123456")
    doctor.members.add(staff)
    other.members.add(User.objects.create_user("desk-b", password="pw-b-123456"))
    wrote = timezone.now() - dt.timedelta(minutes=5)
    patient = Patient.objects.create(doctor=doctor, wa_id="919800000001", name="Rahul", last_inbound_at=wrote)
    theirs = Patient.objects.create(doctor=other, wa_id="919800000002", name="Theirs", last_inbound_at=wrote)
    return dict(doctor=doctor, staff=staff, patient=patient, theirs=theirs)


@pytest.fixture
def desk(client, clinic):
    client.force_login(clinic["staff"])
    return client


def send_file(client, patient, data=PDF, name="Lab report.pdf", **fields):
    upload = SimpleUploadedFile(name, data, content_type=fields.pop("content_type", "application/pdf"))
    body = {"patientId": patient.pk, "caption": "Your report", "clientId": "c-1", "file": upload, **fields}
    return client.post(URL, data=body)


def test_a_pdf_is_stored_uploaded_once_and_sent_as_a_document_by_its_media_id(
    desk, clinic, stub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"])
    assert response.status_code == 201, response.content
    message = Message.objects.get(pk=response.json()["message"]["id"])
    assert (message.type, message.status, message.sender, message.text) == ("document", "sent", "staff", "Your report")
    media = message.media
    assert media.state == MediaFile.State.STORED
    assert (media.mime_type, media.filename, media.size) == ("application/pdf", "Lab report.pdf", len(PDF))
    assert media.sha256 == hashlib.sha256(PDF).hexdigest()
    assert media.file.read() == PDF
    assert media.file.name.startswith(f"{clinic['doctor'].pk}/") and media.file.name.endswith(".pdf")
    assert media.media_id == "media.stub-1"

    upload, send = stub.requests
    assert upload.path == "/v23.0/111/media"
    assert upload.headers["Authorization"] == "Bearer test-token"
    assert upload.form == {"messaging_product": "whatsapp", "type": "application/pdf"}
    assert (upload.files["file"].filename, upload.files["file"].data) == ("Lab report.pdf", PDF)
    assert send.path == "/v23.0/111/messages"
    assert send.json["type"] == "document"
    assert send.json["document"] == {"id": "media.stub-1", "filename": "Lab report.pdf", "caption": "Your report"}
    assert send.json["to"] == "919800000001"
    assert Patient.objects.get(pk=clinic["patient"].pk).last_message_preview == "Your report"


def test_a_png_goes_as_an_image_without_a_filename(desk, clinic, stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"], data=PNG, name="rash", caption="", content_type="text/plain")
    assert response.status_code == 201, response.content
    send = stub.requests[-1].json
    assert send["type"] == "image" and send["image"] == {"id": "media.stub-1"}
    media = Message.objects.get(type="image").media
    assert media.filename == "rash.png"
    assert not media.thumbnail  # Pillow cannot read these 72 bytes: no thumbnail, the file is still sent
    assert Patient.objects.get(pk=clinic["patient"].pk).last_message_preview == "Image: rash.png"


def test_a_photo_gets_a_thumbnail_for_the_thread(desk, clinic, django_capture_on_commit_callbacks):
    photo = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 60, 60)).save(photo, "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"], data=photo.getvalue(), name="rash.png")
    media = response.json()["message"]["media"]
    assert media["thumbnail_url"] and media["url"]
    with Image.open(MediaFile.objects.get().thumbnail) as thumbnail:
        assert max(thumbnail.size) <= 320 and thumbnail.format == "JPEG"


def test_a_retried_send_reuses_the_media_id_and_does_not_upload_again(
    desk, clinic, stub, django_capture_on_commit_callbacks
):
    stub.reply(200)  # the upload
    stub.error(500, 131000, "Something went wrong")  # the first send
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"])
    message = Message.objects.get(pk=response.json()["message"]["id"])
    assert message.status == "failed" and message.error_code == 131000
    with django_capture_on_commit_callbacks(execute=True):
        retried = desk.post("/api/chat/retry", data={"messageId": message.pk}, content_type="application/json")
    assert retried.status_code == 200
    message.refresh_from_db()
    assert message.status == "sent"
    assert [r.path.rsplit("/", 1)[-1] for r in stub.requests] == ["media", "messages", "messages"]
    assert len(stub.uploads()) == 1
    assert stub.requests[2].json["document"]["id"] == message.media.media_id
    assert message.media.attempts == 1


def test_a_media_id_meta_no_longer_keeps_is_not_reused(desk, clinic, stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"])
    message = Message.objects.get(pk=response.json()["message"]["id"])
    MediaFile.objects.filter(message=message).update(stored_at=timezone.now() - dt.timedelta(days=30))
    Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED)
    assert send_message_now(message.pk) == "sent"
    assert [r.path.rsplit("/", 1)[-1] for r in stub.requests] == ["media", "messages", "media", "messages"]
    assert stub.requests[-1].json["document"]["id"] == MediaFile.objects.get().media_id == "media.stub-3"


def test_a_failed_upload_fails_the_message_and_retry_uploads_then_sends(
    desk, clinic, stub, django_capture_on_commit_callbacks
):
    stub.error(400, 131053, "Media upload error")
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"])
    message = Message.objects.get(pk=response.json()["message"]["id"])
    assert (message.status, message.error_code, message.error_title) == ("failed", 131053, "Media upload error")
    assert message.media.media_id == ""
    message.status = Message.Status.QUEUED
    message.save(update_fields=["status"])
    assert send_message_now(message.pk) == "sent"
    assert [r.path.rsplit("/", 1)[-1] for r in stub.requests] == ["media", "media", "messages"]


@pytest.mark.parametrize(
    "data, name, status, code, words",
    [
        (b"MZ\x90\x00 not a pdf at all", "report.pdf", 415, "wrong_file_type", "Only PDF, JPEG and PNG"),
        (b"GIF89a" + b"\x00" * 20, "photo.png", 415, "wrong_file_type", "Only PDF, JPEG and PNG"),
        (JPEG + b"\x00" * (5 * 1024 * 1024), "big.jpg", 413, "file_too_big", "This JPEG image is 5.0 MB"),
        (b"", "empty.pdf", 400, "empty_file", "The file is empty"),
    ],
)
def test_a_file_whatsapp_would_refuse_is_refused_with_a_clear_error_and_nothing_stored(
    desk, clinic, stub, media_dir, data, name, status, code, words
):
    response = send_file(desk, clinic["patient"], data=data, name=name)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert words in response.json()["error"]
    assert not Message.objects.filter(direction="out").exists() and not MediaFile.objects.exists()
    assert not media_dir.exists() or not any(media_dir.rglob("*.*"))
    assert stub.requests == []
    assert not Patient.objects.get(pk=clinic["patient"].pk).ai_paused


def test_a_body_over_the_largest_file_is_413_before_it_is_read(desk, clinic):
    response = desk.post(
        URL, data=b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(101 * 2**20)
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_outside_the_window_a_file_is_refused_like_text(desk, clinic, stub, media_dir):
    Patient.objects.filter(pk=clinic["patient"].pk).update(last_inbound_at=timezone.now() - dt.timedelta(hours=25))
    response = send_file(desk, clinic["patient"])
    assert response.status_code == 409
    text = desk.post(
        "/api/chat/send",
        data={"patientId": clinic["patient"].pk, "messageBody": "hi"},
        content_type="application/json",
    )
    assert (
        response.json()
        == text.json()
        == {"error": "outside the 24-hour window: send a template", "code": "window_closed"}
    )
    assert not MediaFile.objects.exists() and stub.requests == []
    assert not media_dir.exists() or not any(media_dir.rglob("*.*"))


def test_another_clinics_patient_is_404_and_nothing_is_stored(desk, clinic, stub):
    response = send_file(desk, clinic["theirs"])
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not MediaFile.objects.exists() and stub.requests == []


def test_a_file_whose_message_is_not_queued_is_removed_from_storage(desk, clinic, media_dir, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("chat.live.staff_reply_pauses_bot", fail)
    assert send_file(desk, clinic["patient"]).status_code == 500
    assert not MediaFile.objects.exists() and not Message.objects.filter(direction="out").exists()
    assert not any(media_dir.rglob("*.*"))


def test_sending_a_file_pauses_the_bot_like_a_typed_reply(desk, clinic, stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_file(desk, clinic["patient"])
    patient = Patient.objects.get(pk=clinic["patient"].pk)
    assert patient.ai_paused and patient.ai_paused_by == clinic["staff"] and patient.ai_pause_reason == "doctor replied"


def test_the_same_client_id_stores_and_sends_one_file(desk, clinic, stub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_file(desk, clinic["patient"])
        again = send_file(desk, clinic["patient"])
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["message"]["id"] == again.json()["message"]["id"]
    assert MediaFile.objects.count() == 1 and len(stub.uploads()) == 1


def test_without_login_or_csrf_token_nothing_is_sent(client, clinic):
    assert send_file(client, clinic["patient"]).status_code == 401
    strict = type(client)(enforce_csrf_checks=True)
    strict.force_login(clinic["staff"])
    response = send_file(strict, clinic["patient"])
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert not MediaFile.objects.exists()


def test_the_sandbox_keeps_the_upload_and_sends_the_document(desk, clinic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_file(desk, clinic["patient"])
    message = Message.objects.get(pk=response.json()["message"]["id"])
    assert message.status in ("sent", "delivered")
    media_id = message.media.media_id
    assert media_id.startswith(sandbox.MEDIA_ID_PREFIX)
    assert sandbox.UPLOADS[media_id] == ("application/pdf", "Lab report.pdf", PDF)
    assert sandbox.OUTBOX[-1]["body"]["document"]["id"] == media_id


def test_the_sandbox_keeps_the_newest_uploads_within_its_byte_budget(monkeypatch):
    monkeypatch.setattr(sandbox, "UPLOADS", collections.OrderedDict())
    monkeypatch.setattr(sandbox, "UPLOADS_BYTES", 100)
    client = sandbox.SandboxClient()
    first = client.upload_media("111", data=b"x" * 60, mime_type="application/pdf", filename="a.pdf")
    assert list(sandbox.UPLOADS) == [first]
    second = client.upload_media("111", data=b"y" * 60, mime_type="application/pdf", filename="b.pdf")
    assert list(sandbox.UPLOADS) == [second]
    huge = client.upload_media("111", data=b"z" * 500, mime_type="application/pdf", filename="c.pdf")
    assert list(sandbox.UPLOADS) == [huge]  # the newest stays even alone over the budget


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\me\\scan.PDF", "scan.pdf"),
        ("report.exe", "report.exe.pdf"),
        ("x\u202egpj.pdf", "xgpj.pdf"),
        ('a<b>:"c".pdf', "a_b___c_.pdf"),
        ("", "document.pdf"),
        ("n" * 300 + ".pdf", "n" * 116 + ".pdf"),
    ],
)
def test_filenames_are_cleaned_and_say_what_the_file_is(name, expected):
    assert media_out.clean_filename(name, media_out.KINDS[0]) == expected


def test_an_unanswered_upload_is_tried_again_it_is_not_ambiguous():
    with StubGraph() as stub:
        stub.reply(200, delay=1.0)
        client = GraphClient(stub.base_url, "v23.0", "t", timeout=0.2, attempts=2, base_delay=0, sleep=lambda s: None)
        assert client.upload_media("111", data=PDF, mime_type="application/pdf", filename="a.pdf") == "media.stub-2"
        assert len(stub.uploads()) == 2


def test_the_simulator_shows_the_patient_the_clinics_document(desk, clinic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_file(desk, clinic["patient"])
    history = desk.get("/simulator/history", {"doctorId": clinic["doctor"].pk, "waId": "919800000001"}).json()
    [sent] = [m for m in history["messages"] if m["type"] == "document"]
    assert sent["text"] == "Your report"
    media = sent["media"]
    assert (media["kind"], media["filename"], media["size"]) == ("document", "Lab report.pdf", len(PDF))
    served = desk.get(media["url"])
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    other = type(desk)()
    other.force_login(User.objects.get(username="desk-b"))
    assert other.get(media["url"]).status_code == 404  # another clinic's staff
