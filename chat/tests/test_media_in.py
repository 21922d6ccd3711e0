"""Patients' media through the signed webhook, fetched from a stub Graph API on 127.0.0.1
(chat/media.py, chat/media_fetch.py): stored once with its SHA-256, refused by WhatsApp's limits,
an expired url asked for again, transient failures retried, failures shown with a Retry."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client

from chat import media_fetch
from chat.models import MediaFile, Message
from chat.tests.media_helpers import OGG, PDF, SECRET, jpeg, media_body, media_root, post_signed
from chat.tests.phone import make_clinic
from chat.tests.stub_media import MediaGraph

__all__ = ["media_root"]  # the fixture, used by name

NOW = dt.datetime(2026, 1, 1, 0, 5, tzinfo=dt.UTC)  # just after the samples' timestamps


@pytest.fixture
def graph():
    with MediaGraph() as server:
        yield server


@pytest.fixture
def clinic(transactional_db, settings, graph, media_root):
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = "clinic-token"
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_API_BASE = graph.base_url
    settings.WHATSAPP_API_VERSION = graph.version
    settings.WHATSAPP_RETRY_BASE_DELAY = 0
    settings.WHATSAPP_SEND_ATTEMPTS = 3
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def pushed(monkeypatch):
    events: list[dict] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append(event))
    return events


def stored(wamid: str) -> MediaFile:
    return MediaFile.objects.select_related("message").get(message__wamid=wamid)


def test_a_photo_is_downloaded_with_the_token_stored_with_its_sha256_and_a_thumbnail(clinic, graph, pushed):
    photo = jpeg(1200, 900)
    graph.add("img-1", photo, "image/jpeg")
    assert (
        post_signed(Client(), media_body("image", "img-1", wamid="wamid.IMG1", mime_type="image/jpeg")).status_code
        == 200
    )

    media = stored("wamid.IMG1")
    assert (media.state, media.size, media.mime_type) == (MediaFile.State.STORED, len(photo), "image/jpeg")
    assert media.sha256 == hashlib.sha256(photo).hexdigest()
    with media.file.open("rb") as handle:
        assert handle.read() == photo
    from PIL import Image

    with media.thumbnail.open("rb") as handle, Image.open(handle) as small:
        assert max(small.size) == media_fetch.THUMBNAIL_PX and small.format == "JPEG"
    assert media.file.name.startswith(f"{clinic.pk}/2026/01/") and media.file.name.endswith(".jpg")
    assert {auth for _, _, auth in graph.requests} == {"Bearer clinic-token"}
    states = [e["message"]["media"]["state"] for e in pushed if e["type"] == "message.media"]
    assert states == ["stored"]
    created = next(e for e in pushed if e["type"] == "message.created" and e["message"]["direction"] == "in")
    assert created["message"]["media"]["state"] == "pending"
    media_event = next(e for e in pushed if e["type"] == "message.media")
    assert pushed.index(created) < pushed.index(media_event)  # the page has the message when it updates


def test_a_redelivered_webhook_creates_nothing_and_downloads_nothing_again(clinic, graph):
    graph.add("img-2", jpeg(), "image/jpeg")
    body = media_body("image", "img-2", wamid="wamid.IMG2", mime_type="image/jpeg")
    post_signed(Client(), body)
    post_signed(Client(), body)

    assert MediaFile.objects.count() == 1
    assert (graph.downloads("img-2"), graph.lookups("img-2")) == (1, 1)


def test_a_pdf_keeps_its_name_and_gets_no_thumbnail(clinic, graph):
    graph.add("doc-1", PDF, "application/pdf")
    post_signed(
        Client(),
        media_body("document", "doc-1", wamid="wamid.DOC1", mime_type="application/pdf", filename="CBC report.pdf"),
    )
    media = stored("wamid.DOC1")
    assert (media.state, media.filename, media.size) == (MediaFile.State.STORED, "CBC report.pdf", len(PDF))
    assert not media.thumbnail and media.file.name.endswith(".pdf")


def test_a_voice_note_is_stored_with_its_codec(clinic, graph):
    graph.add("aud-1", OGG, "audio/ogg; codecs=opus")
    post_signed(
        Client(), media_body("audio", "aud-1", wamid="wamid.AUD1", mime_type="audio/ogg; codecs=opus", voice=True)
    )
    media = stored("wamid.AUD1")
    assert (media.state, media.mime_type) == (MediaFile.State.STORED, "audio/ogg; codecs=opus")
    assert media.file.name.endswith(".ogg")


def test_an_expired_url_is_asked_for_again_once(clinic, graph):
    graph.add("img-3", jpeg(), "image/jpeg")
    graph.expire_once("img-3")
    post_signed(Client(), media_body("image", "img-3", wamid="wamid.IMG3", mime_type="image/jpeg"))

    assert stored("wamid.IMG3").state == MediaFile.State.STORED
    assert (graph.lookups("img-3"), graph.downloads("img-3")) == (2, 1)


def test_a_url_that_keeps_expiring_fails_with_a_reason_after_one_new_ask(clinic, graph):
    graph.add("img-4", jpeg(), "image/jpeg")
    graph.expire_once("img-4")
    graph.expire_once("img-4")
    post_signed(Client(), media_body("image", "img-4", wamid="wamid.IMG4", mime_type="image/jpeg"))

    media = stored("wamid.IMG4")
    assert media.state == MediaFile.State.FAILED and "access token" in media.error
    assert graph.lookups("img-4") == 2


def test_an_over_size_file_is_refused_before_any_byte_is_downloaded(clinic, graph):
    graph.add("img-5", jpeg(), "image/jpeg", declared_size=6 * 1024 * 1024)
    post_signed(Client(), media_body("image", "img-5", wamid="wamid.IMG5", mime_type="image/jpeg"))

    media = stored("wamid.IMG5")
    assert media.state == MediaFile.State.FAILED
    assert media.error == "Too large to download (6.0 MB; WhatsApp's limit for a photo is 5.0 MB)."
    assert graph.downloads("img-5") == 0 and not media.file


def test_a_download_longer_than_it_said_is_cut_off_at_the_limit(clinic, graph):
    graph.add("stk-1", b"RIFF" + b"\x00" * 600 * 1024, "image/webp", declared_size=1000)
    post_signed(Client(), media_body("sticker", "stk-1", wamid="wamid.STK1", mime_type="image/webp", animated=True))

    media = stored("wamid.STK1")
    assert media.state == MediaFile.State.FAILED and media.error.startswith("Too large to download")
    assert not media.file


def test_a_wrong_mime_type_is_refused(clinic, graph):
    graph.add("img-6", b"<svg onload=alert(1)>", "image/svg+xml")
    post_signed(Client(), media_body("image", "img-6", wamid="wamid.IMG6", mime_type="image/svg+xml"))

    media = stored("wamid.IMG6")
    assert media.state == MediaFile.State.FAILED
    assert media.error == "Not a photo type WhatsApp allows (image/svg+xml), so it was not downloaded."
    assert graph.downloads("img-6") == 0


def test_a_transient_failure_is_retried_in_process(clinic, graph):
    graph.add("img-7", jpeg(), "image/jpeg")
    graph.fail("img-7", 503, times=2)
    post_signed(Client(), media_body("image", "img-7", wamid="wamid.IMG7", mime_type="image/jpeg"))

    assert stored("wamid.IMG7").state == MediaFile.State.STORED
    assert graph.lookups("img-7") == 3


def test_the_last_attempt_leaves_a_doctor_readable_failure_and_retry_fetches_it(clinic, graph, pushed):
    graph.add("img-8", jpeg(), "image/jpeg")
    graph.fail("img-8", 503, times=3)
    post_signed(Client(), media_body("image", "img-8", wamid="wamid.IMG8", mime_type="image/jpeg"))
    media = stored("wamid.IMG8")
    assert media.state == MediaFile.State.FAILED
    assert media.error.startswith("WhatsApp did not answer after 1 tries")

    from chat.media import retry_media

    assert retry_media(media=media) is True
    assert stored("wamid.IMG8").state == MediaFile.State.STORED
    assert [e["message"]["media"]["state"] for e in pushed if e["type"] == "message.media"] == [
        "failed",
        "pending",
        "stored",
    ]


def test_a_transient_failure_is_requeued_with_backoff_where_the_backend_defers(clinic, graph, monkeypatch):
    graph.add("img-9", jpeg(), "image/jpeg")
    graph.fail("img-9", 503, times=3)
    queued: list[tuple[int, dt.timedelta]] = []
    monkeypatch.setattr(media_fetch, "can_defer", lambda: True)
    monkeypatch.setattr(media_fetch, "enqueue_fetch", lambda pk, *, delay: queued.append((pk, delay)))
    post_signed(Client(), media_body("image", "img-9", wamid="wamid.IMG9", mime_type="image/jpeg"))

    media = stored("wamid.IMG9")
    assert media.state == MediaFile.State.PENDING and media.attempts == 1
    [(pk, delay)] = queued
    assert pk == media.pk and dt.timedelta(seconds=30) <= delay <= dt.timedelta(seconds=60)
    assert media_fetch.fetch_media_now(media.pk) == "stored"  # the deferred run


def test_a_media_id_meta_no_longer_has_fails_as_gone(clinic, graph):
    post_signed(Client(), media_body("image", "unknown-id", wamid="wamid.IMG10", mime_type="image/jpeg"))
    media = stored("wamid.IMG10")
    assert media.state == MediaFile.State.FAILED and "no longer on WhatsApp" in media.error


def test_a_picture_pillow_cannot_read_is_stored_without_a_thumbnail(clinic, graph):
    graph.add("img-11", b"\xff\xd8\xff not really a jpeg", "image/jpeg")
    post_signed(Client(), media_body("image", "img-11", wamid="wamid.IMG11", mime_type="image/jpeg"))
    media = stored("wamid.IMG11")
    assert media.state == MediaFile.State.STORED and not media.thumbnail


def test_a_location_or_text_makes_no_media_row(clinic, graph):
    from chat.tests.samples import sample

    post_signed(Client(), sample("location.json"))
    post_signed(Client(), sample("text.json"))
    assert Message.objects.filter(direction=Message.Direction.IN).count() == 2
    assert not MediaFile.objects.exists()
    assert not [path for method, path, _ in graph.requests if method == "GET"]


def test_a_second_run_of_the_task_downloads_nothing(clinic, graph):
    graph.add("img-12", jpeg(), "image/jpeg")
    post_signed(Client(), media_body("image", "img-12", wamid="wamid.IMG12", mime_type="image/jpeg"))
    assert media_fetch.fetch_media_now(stored("wamid.IMG12").pk) == "skipped"
    assert graph.downloads("img-12") == 1


def test_the_sandbox_downloads_what_the_simulator_put_without_any_network(transactional_db, settings, media_root):
    from chat.sandbox import SandboxClient, put_media

    media_id = put_media(content=PDF, mime_type="application/pdf")
    client = SandboxClient()
    info = client.media_url(media_id)
    assert (info["mime_type"], info["file_size"]) == ("application/pdf", len(PDF))
    assert client.download(info["url"], max_bytes=10_000) == PDF


def test_a_media_message_without_an_id_is_kept_as_failed_and_fetches_nothing(clinic, graph):
    body = media_body("image", "", wamid="wamid.IMG13", mime_type="image/jpeg")
    assert post_signed(Client(), body).status_code == 200
    media = stored("wamid.IMG13")
    assert (media.state, media.error) == (MediaFile.State.FAILED, "WhatsApp sent no media id for this file.")
    assert not [path for method, path, _ in graph.requests if method == "GET"]
