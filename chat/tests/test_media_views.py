"""The doors to patients' files (chat/media_views.py): members of the message's clinic only (404
for anyone else, as for an id that does not exist; the login page for the anonymous), streamed
with the stored type, nosniff, an inline or attachment disposition and a safe file name; and the
Retry of a failed download (POST, CSRF, members only)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client

from booking.tests.factories import make_doctor
from chat.models import MediaFile, Message
from chat.tests.media_helpers import PDF, jpeg, media_root
from patients.models import Patient

__all__ = ["media_root"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinics(media_root):
    mine, theirs = make_doctor(name="Dr. Mine"), make_doctor(name="Dr. Theirs", phone_number_id="999")
    users = get_user_model().objects
    member, stranger = users.create_user("desk", password="pw"), users.create_user("other", password="pw")
    mine.members.add(member)
    theirs.members.add(stranger)
    patient = Patient.objects.create(doctor=mine, wa_id="919800000001", name="Asha")
    return {"mine": mine, "patient": patient, "member": member, "stranger": stranger}


def file_message(clinics, *, kind="image", mime_type="image/jpeg", content=b"", filename="", thumbnail=b"", state=None):
    message = Message.objects.create(
        doctor=clinics["mine"],
        patient=clinics["patient"],
        direction=Message.Direction.IN,
        type=kind,
        status=Message.Status.RECEIVED,
        sender=Message.Sender.PATIENT,
        payload={kind: {"id": "m1", "mime_type": mime_type}},
    )
    media = MediaFile.objects.create(
        message=message, media_id="m1", mime_type=mime_type, filename=filename, state=state or MediaFile.State.STORED
    )
    if content:
        media.file.save("file." + mime_type.split("/")[-1][:4], ContentFile(content), save=False)
    if thumbnail:
        media.thumbnail.save("thumb.jpg", ContentFile(thumbnail), save=False)
    media.size = len(content)
    media.save()
    return media


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_gets_the_photo_inline_with_its_type_and_nosniff(clinics):
    photo = jpeg()
    media = file_message(clinics, content=photo)
    response = logged_in(clinics["member"]).get(f"/media/{media.pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_another_clinic_s_user_gets_404_as_for_a_missing_id(clinics):
    media = file_message(clinics, content=jpeg())
    stranger = logged_in(clinics["stranger"])
    assert stranger.get(f"/media/{media.pk}").status_code == 404
    assert stranger.get(f"/media/{media.pk}/thumbnail").status_code == 404
    assert stranger.get(f"/media/{media.pk + 1000}").status_code == 404


def test_an_anonymous_request_is_sent_to_the_login_page(clinics):
    media = file_message(clinics, content=jpeg())
    response = Client().get(f"/media/{media.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/media/")


def test_a_pdf_is_inline_and_other_documents_are_attachments_with_a_safe_name(clinics):
    pdf = file_message(clinics, kind="document", mime_type="application/pdf", content=PDF, filename="CBC report.pdf")
    response = logged_in(clinics["member"]).get(f"/media/{pdf.pk}")
    assert response["Content-Disposition"] == 'inline; filename="CBC report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    word = file_message(
        clinics,
        kind="document",
        mime_type="application/msword",
        content=b"doc",
        filename='..\\..\\evil"\r\nSet-Cookie: x=1.doc',
    )
    disposition = logged_in(clinics["member"]).get(f"/media/{word.pk}")["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "\r" not in disposition and "\n" not in disposition and ".." not in disposition and "\\" not in disposition
    assert disposition.endswith('.doc"')


def test_the_thumbnail_is_served_as_jpeg_and_a_photo_without_one_has_none(clinics):
    media = file_message(clinics, content=jpeg(), thumbnail=jpeg(32, 24))
    member = logged_in(clinics["member"])
    response = member.get(f"/media/{media.pk}/thumbnail")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    bare = file_message(clinics, content=jpeg())
    assert member.get(f"/media/{bare.pk}/thumbnail").status_code == 404


def test_a_file_not_downloaded_yet_is_404(clinics):
    media = file_message(clinics, state=MediaFile.State.PENDING)
    assert logged_in(clinics["member"]).get(f"/media/{media.pk}").status_code == 404


def test_the_thread_json_carries_the_media_object_with_its_urls(clinics):
    media = file_message(clinics, content=jpeg(), thumbnail=jpeg(32, 24))
    [message] = logged_in(clinics["member"]).get(f"/api/chat/messages/{clinics['patient'].pk}").json()["messages"]
    assert message["media"] == {
        "kind": "image",
        "label": "Image",
        "id": media.pk,
        "state": "stored",
        "mime_type": "image/jpeg",
        "filename": "",
        "size": media.size,
        "error": "",
        "retry": False,
        "url": f"/media/{media.pk}",
        "thumbnail_url": f"/media/{media.pk}/thumbnail",
    }


def test_retry_queues_a_failed_download_for_members_only(clinics, django_capture_on_commit_callbacks, monkeypatch):
    media = file_message(clinics, state=MediaFile.State.FAILED)
    queued: list[int] = []
    monkeypatch.setattr("chat.media.enqueue_fetch", lambda pk, **kw: queued.append(pk))
    stranger = Client(enforce_csrf_checks=True)
    stranger.force_login(clinics["stranger"])
    csrf = stranger.get("/chat/").cookies["csrftoken"].value
    refused = stranger.post(
        "/api/chat/media/retry", {"mediaId": media.pk}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert refused.status_code == 404
    member = Client(enforce_csrf_checks=True)
    member.force_login(clinics["member"])
    no_token = member.post("/api/chat/media/retry", {"mediaId": media.pk}, content_type="application/json")
    assert no_token.status_code == 403
    csrf = member.get("/chat/").cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        done = member.post(
            "/api/chat/media/retry",
            {"mediaId": media.pk},
            content_type="application/json",
            headers={"X-CSRFToken": csrf},
        )
    assert done.status_code == 200 and done.json()["message"]["media"]["state"] == "pending"
    assert queued == [media.pk]
    again = member.post(
        "/api/chat/media/retry", {"mediaId": media.pk}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert again.status_code == 409


def test_a_location_is_a_map_link_and_a_bad_one_none(clinics):
    def located(lat, lon):
        return Message.objects.create(
            doctor=clinics["mine"],
            patient=clinics["patient"],
            direction=Message.Direction.IN,
            type=Message.Type.LOCATION,
            status=Message.Status.RECEIVED,
            sender=Message.Sender.PATIENT,
            payload={"location": {"latitude": lat, "longitude": lon, "name": "Home", "address": "FC Road"}},
        )

    located(18.5204, 73.8567)
    located("18.5", 999)
    good, bad = logged_in(clinics["member"]).get(f"/api/chat/messages/{clinics['patient'].pk}").json()["messages"]
    assert good["media"]["map_url"] == "https://www.openstreetmap.org/?mlat=18.5204&mlon=73.8567#map=17/18.5204/73.8567"
    assert (good["media"]["name"], good["media"]["address"]) == ("Home", "FC Road")
    assert bad["media"]["map_url"] is None
