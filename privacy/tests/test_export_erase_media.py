"""A patient's files in their export (admin's ZIP, manage.py export_patient) and out of the
storage at their erasure (files, thumbnails, the sandbox's copy), nobody else's touched."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from chat.media_privacy import ERASED
from chat.models import MediaFile, Message
from chat.sandbox import SANDBOX_MEDIA, put_media
from chat.tests.media_helpers import PDF, jpeg, media_root
from patients.models import Doctor, Patient
from privacy.services import patient_erase, patient_export

__all__ = ["media_root"]


def with_file(patient, *, kind, mime_type, content, filename="", thumbnail=b"", media_id="m", direction="in"):
    message = Message.objects.create(
        doctor=patient.doctor,
        patient=patient,
        direction=direction,
        sender="patient" if direction == "in" else "staff",
        type=kind,
        status="received" if direction == "in" else "sent",
        payload={kind: {"id": media_id, "mime_type": mime_type, **({"filename": filename} if filename else {})}},
        processed=True,
    )
    media = MediaFile(message=message, media_id=media_id, mime_type=mime_type, filename=filename)
    media.file.save("file", ContentFile(content), save=False)
    if thumbnail:
        media.thumbnail.save("thumb.jpg", ContentFile(thumbnail), save=False)
    media.state, media.size = MediaFile.State.STORED, len(content)
    media.save()
    return media


@pytest.fixture
def world(db, media_root):
    clinic = Doctor.objects.create(name="Dr. A", phone_number_id="111")
    desk = User.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    desk.user_permissions.add(*Permission.objects.filter(content_type__app_label="patients"))
    clinic.members.add(desk)
    zeb = Patient.objects.create(doctor=clinic, wa_id="919811112222", name="Zebulon")
    other = Patient.objects.create(doctor=clinic, wa_id="919833334444", name="Other")
    sandbox_id = put_media(content=jpeg(), mime_type="image/jpeg")
    photo = with_file(
        zeb, kind="image", mime_type="image/jpeg", content=jpeg(), thumbnail=jpeg(32, 24), media_id=sandbox_id
    )
    report = with_file(zeb, kind="document", mime_type="application/pdf", content=PDF, filename="CBC report.pdf")
    theirs = with_file(other, kind="image", mime_type="image/jpeg", content=jpeg(10, 10))
    return {"clinic": clinic, "desk": desk, "zeb": zeb, "photo": photo, "report": report, "theirs": theirs}


def test_the_export_names_each_file_and_admin_s_zip_holds_them_and_no_one_else_s(world):
    pk, report = world["zeb"].pk, world["report"]
    data = patient_export(patient=world["zeb"], via="test")
    files = [m["media"]["file"] for m in data["messages"]]
    assert files == [f"patient-{pk}-media/{world['photo'].message_id}-image-{world['photo'].pk}.bin",
                     f"patient-{pk}-media/{report.message_id}-CBC report.pdf"]  # fmt: skip
    assert data["messages"][1]["media"]["size"] == len(PDF)

    desk = Client()
    desk.force_login(world["desk"])
    response = desk.post("/admin/patients/patient/", {"action": "export_data", "_selected_action": [pk]})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([f"patient-{pk}.html", f"patient-{pk}.json", *files])
    assert archive.read(files[1]) == PDF
    assert f'href="{files[1]}"' in archive.read(f"patient-{pk}.html").decode()


def test_manage_py_export_copies_the_files_beside_the_json(world, tmp_path):
    call_command("export_patient", str(world["zeb"].pk), "--out", str(tmp_path), stdout=io.StringIO())
    saved = json.loads((tmp_path / f"patient-{world['zeb'].pk}.json").read_text())
    report = saved["messages"][1]["media"]["file"]
    assert (tmp_path / report).read_bytes() == PDF
    assert len(list((tmp_path / f"patient-{world['zeb'].pk}-media").iterdir())) == 2


def test_erasure_deletes_the_files_thumbnails_and_sandbox_copy_and_blanks_the_rows(
    world, media_root, django_capture_on_commit_callbacks
):
    photo, report, theirs = world["photo"], world["report"], world["theirs"]
    gone = [photo.file.name, photo.thumbnail.name, report.file.name, f"{SANDBOX_MEDIA}/{photo.media_id}.bin"]
    assert all((media_root / name).exists() for name in gone)
    with django_capture_on_commit_callbacks(execute=True):
        patient_erase(patient=world["zeb"], via="test")

    assert not any((media_root / name).exists() for name in gone)
    assert (media_root / theirs.file.name).exists()
    for row in MediaFile.objects.filter(pk__in=[photo.pk, report.pk]):
        assert (row.file.name, row.thumbnail.name, row.filename, row.sha256, row.media_id) == ("", "", "", "", "")
        assert (row.state, row.error) == (MediaFile.State.FAILED, ERASED)
    assert MediaFile.objects.get(pk=theirs.pk).state == MediaFile.State.STORED
    assert patient_export(patient=world["zeb"], via="test")["messages"][1]["media"] is None
