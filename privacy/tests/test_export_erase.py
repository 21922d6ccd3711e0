"""A patient's data: exported complete and only theirs; erased without a trace, the clinic's counts kept."""

import datetime as dt
import io
import json
import zipfile
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from booking.models import Appointment, Reminder
from chat.models import Message, RawWebhook
from patients.models import AuditEvent, BotPauseLog, Doctor, Patient
from privacy.services import export_html, patient_erase, patient_export

Action = AuditEvent.Action
NUMBER, OTHER_NUMBER = "919811112222", "919833334444"
SECRETS = ["ZQ-SECRET-KNEE", "ZQ-SECRET-XRAY", "ZQ-SECRET-REASON", "ZQ-SECRET-STATE", "ZQ-SECRET-STAFF"]
IDENTITY = ["Zebulon Quixote", "zebq_wa", NUMBER, "IN.zq0123456789"]
OTHERS = ["Other Person", OTHER_NUMBER, "OTHER-SECRET-TEXT", "OTHER-SECRET-REASON"]


def message(patient, text, *, direction="in", sender="patient", type="text", payload=None, at=None) -> Message:
    return Message.objects.create(
        doctor=patient.doctor,
        patient=patient,
        direction=direction,
        sender=sender,
        type=type,
        text=text,
        payload=payload or {},
        status="received" if direction == "in" else "read",
        wamid=f"wamid.{patient.pk}.{Message.objects.count()}",
        processed=True,
    )


def visit(patient, start, *, status="booked", reason="", seat=1) -> Appointment:
    return Appointment.objects.create(
        doctor=patient.doctor,
        patient=patient,
        start=start,
        end=start + dt.timedelta(minutes=15),
        status=status,
        reason=reason,
        seat=seat,
    )


@pytest.fixture
def world(db):
    a = Doctor.objects.create(name="Dr. A", clinic_name="A Clinic", phone_number_id="111", slot_capacity=2)
    b = Doctor.objects.create(name="Dr. B", phone_number_id="222")
    desk = User.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    other_desk = User.objects.create_user("desk-b", password="pw-b-123456", is_staff=True)
    perms = Permission.objects.filter(content_type__app_label="patients")
    desk.user_permissions.add(*perms)
    other_desk.user_permissions.add(*perms)
    a.members.add(desk)
    b.members.add(other_desk)
    now = timezone.now()
    zeb = Patient.objects.create(
        doctor=a,
        wa_id=NUMBER,
        user_id="IN.zq0123456789",
        name="Zebulon Quixote",
        username="zebq_wa",
        conversation_state="asking",
        conversation_data={"question": "ZQ-SECRET-STATE"},
        last_message_preview="my knee ZQ-SECRET-KNEE",
        last_message_at=now,
        last_inbound_at=now,
    )
    other = Patient.objects.create(doctor=a, wa_id=OTHER_NUMBER, name="Other Person", last_message_at=now)
    far = Patient.objects.create(doctor=b, wa_id=NUMBER, name="Zebulon at B", last_message_at=now)

    message(zeb, "my knee hurts ZQ-SECRET-KNEE", payload={"from": NUMBER, "text": {"body": "ZQ-SECRET-KNEE"}})
    message(
        zeb,
        "x-ray ZQ-SECRET-XRAY",
        type="image",
        payload={"from": NUMBER, "image": {"id": "MEDIA-777", "mime_type": "image/jpeg", "caption": "ZQ-SECRET-XRAY"}},
    )
    message(zeb, "Hello Zebulon Quixote", direction="out", sender="bot", payload={"to": NUMBER})
    message(zeb, "ZQ-SECRET-STAFF call us", direction="out", sender="staff", payload={"to": NUMBER})
    message(other, "OTHER-SECRET-TEXT", payload={"from": OTHER_NUMBER})
    message(far, "B clinic message")  # the same person at clinic B: only its Patient row holds the number

    day = (now + dt.timedelta(days=3)).replace(hour=5, minute=0, second=0, microsecond=0)
    past = (now - dt.timedelta(days=3)).replace(hour=5, minute=0, second=0, microsecond=0)
    booked = visit(zeb, day, reason="knee ZQ-SECRET-REASON")
    visit(zeb, past, status="completed")
    visit(zeb, past + dt.timedelta(minutes=30), status="cancelled")
    visit(other, day, seat=2, reason="OTHER-SECRET-REASON")
    Reminder.objects.create(
        appointment=booked, offset_minutes=60, appointment_start=day, due_at=day - dt.timedelta(hours=1)
    )
    BotPauseLog.objects.create(patient=zeb, paused=True, reason="patient asked")
    LogEntry.objects.log_actions(
        user_id=desk.pk,
        queryset=[zeb],
        action_flag=CHANGE,
        change_message=[{"changed": {"name": "appointment", "object": str(booked), "fields": ["reason"]}}],
    )
    RawWebhook.objects.create(body=json.dumps({"from": NUMBER, "x": "ZQ-SECRET-KNEE"}).encode(), reason="bad")
    RawWebhook.objects.create(body=b'{"from": "919700000000"}', reason="unrelated")
    return {"a": a, "b": b, "desk": desk, "other_desk": other_desk, "zeb": zeb, "other": other, "far": far}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    AuditEvent.objects.all().delete()
    return client


def every_text_value():
    """Every value of every text-like column of every table (the erasure test's search space)."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField, models.GenericIPAddressField)
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            for value in row:
                if isinstance(value, (bytes, memoryview)):
                    yield model, bytes(value).decode("utf-8", "replace")
                elif value is not None and not isinstance(value, str):
                    yield model, json.dumps(value, ensure_ascii=False)
                elif value:
                    yield model, value


def traces(needles) -> list:
    found = []
    for model, value in every_text_value():
        found += [(model.__name__, n) for n in needles if n.lower() in value.lower()]
    return found


def day_counts(doctor) -> Counter:
    rows = Appointment.objects.filter(doctor=doctor).values_list("start", "status", "seat")
    return Counter((start.date(), status, seat) for start, status, seat in rows)


# --- Export -------------------------------------------------------------------------------------


def test_the_export_is_complete_and_holds_no_other_patients_data(world):
    data = patient_export(patient=world["zeb"], user=world["desk"], via="test")
    text = json.dumps(data, ensure_ascii=False)
    assert data["patient"]["name"] == "Zebulon Quixote" and data["patient"]["whatsapp_number"] == f"+{NUMBER}"
    assert [m["text"] for m in data["messages"]] == [
        "my knee hurts ZQ-SECRET-KNEE",
        "x-ray ZQ-SECRET-XRAY",
        "Hello Zebulon Quixote",
        "ZQ-SECRET-STAFF call us",
    ]
    assert data["messages"][1]["media"] == {"id": "MEDIA-777", "mime_type": "image/jpeg", "caption": "ZQ-SECRET-XRAY"}
    assert sorted(a["status"] for a in data["appointments"]) == ["booked", "cancelled", "completed"]
    assert [a["reason"] for a in data["appointments"] if a["status"] == "booked"] == ["knee ZQ-SECRET-REASON"]
    assert len(data["reminders"]) == 1 and data["bot_pauses"][0]["reason"] == "patient asked"
    for needle in OTHERS + ["B clinic message", "Zebulon at B"]:
        assert needle not in text
    page = export_html(data)
    assert "Zebulon Quixote" in page and "ZQ-SECRET-XRAY" in page and "MEDIA-777" in page
    assert not any(needle in page for needle in OTHERS)
    event = AuditEvent.objects.get()
    assert (event.action, event.patient, event.user, event.detail) == (
        Action.PATIENT_EXPORTED,
        world["zeb"],
        world["desk"],
        "test",
    )


def test_admin_export_downloads_json_and_html_and_another_clinics_patient_cannot_be_exported(world):
    desk = client_for(world["desk"])
    response = desk.post("/admin/patients/patient/", {"action": "export_data", "_selected_action": [world["zeb"].pk]})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    pk = world["zeb"].pk
    assert sorted(archive.namelist()) == [f"patient-{pk}.html", f"patient-{pk}.json"]
    assert json.loads(archive.read(f"patient-{pk}.json"))["patient"]["id"] == pk
    assert AuditEvent.objects.filter(action=Action.PATIENT_EXPORTED).count() == 1

    intruder = client_for(world["other_desk"])
    response = intruder.post("/admin/patients/patient/", {"action": "export_data", "_selected_action": [pk]})
    assert response.get("Content-Type") != "application/zip"
    assert not AuditEvent.objects.filter(action=Action.PATIENT_EXPORTED).exists()


def test_manage_py_export_writes_both_files(world, tmp_path):
    call_command("export_patient", str(world["zeb"].pk), "--out", str(tmp_path), stdout=io.StringIO())
    saved = json.loads((tmp_path / f"patient-{world['zeb'].pk}.json").read_text())
    assert len(saved["messages"]) == 4
    assert "Zebulon Quixote" in (tmp_path / f"patient-{world['zeb'].pk}.html").read_text()
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.detail) == (Action.PATIENT_EXPORTED, None, "manage.py export_patient")


@pytest.mark.parametrize(
    "args, problem", [(["999999"], "no patient with id 999999"), (["ZEB", "--out", "/nonexistent"], "not a directory")]
)
def test_manage_py_export_refuses_bad_input(world, args, problem):
    args = [str(world["zeb"].pk) if a == "ZEB" else a for a in args]
    with pytest.raises(CommandError, match=problem):
        call_command("export_patient", *args)
    assert not AuditEvent.objects.exists()


# --- Erasure ------------------------------------------------------------------------------------


def test_erasure_leaves_no_trace_in_any_text_column_and_keeps_the_days_counts(world):
    assert traces(IDENTITY + SECRETS), "the search sees the data before erasure"
    before = day_counts(world["a"])
    messages_before = Message.objects.filter(patient=world["zeb"]).count()

    patient_erase(patient=world["zeb"], user=world["desk"], via="test")

    assert [t for t in traces(IDENTITY + SECRETS) if t[0] != "Patient" or t[1] != NUMBER] == []
    # The same number is still another clinic's patient (their own relationship, not erased).
    assert [t for t in traces([NUMBER]) if t[0] == "Patient"] == [("Patient", NUMBER)]
    assert Patient.objects.filter(wa_id=NUMBER).get() == world["far"]
    assert day_counts(world["a"]) == before, "appointments per day, status and seat unchanged"
    assert Message.objects.filter(patient=world["zeb"]).count() == messages_before
    booked = Appointment.objects.get(patient=world["zeb"], status="booked")
    assert booked.reason == "" and booked.seat == 1

    other = Patient.objects.get(pk=world["other"].pk)
    assert other.name == "Other Person" and traces(OTHERS) != []
    assert Message.objects.get(patient=other).text == "OTHER-SECRET-TEXT"
    assert RawWebhook.objects.get(reason="unrelated").body == b'{"from": "919700000000"}'

    event = AuditEvent.objects.get(action=Action.PATIENT_ERASED)
    assert (event.patient_id, event.user, event.doctor) == (world["zeb"].pk, world["desk"], world["a"])
    assert Patient.objects.get(pk=world["zeb"].pk).erased_at is not None


def test_a_name_in_another_script_is_found_in_ascii_escaped_admin_history_and_webhooks(world):
    patient = Patient.objects.create(doctor=world["a"], wa_id="919855556666", name="राहुल देशमुख")
    booked = visit(patient, timezone.now() + dt.timedelta(days=5))
    LogEntry.objects.log_actions(
        user_id=world["desk"].pk,
        queryset=[booked],
        action_flag=CHANGE,
        change_message=[{"changed": {"name": "appointment", "object": str(booked), "fields": ["status"]}}],
    )
    RawWebhook.objects.create(body=json.dumps({"profile": {"name": "राहुल देशमुख"}}).encode(), reason="bad")
    assert "\\u0930" in LogEntry.objects.get(object_id=str(booked.pk)).change_message
    patient_erase(patient=patient)
    assert traces(["राहुल देशमुख", json.dumps("राहुल देशमुख")[1:-1], "919855556666"]) == []


def test_a_message_from_the_erased_number_starts_a_new_patient_not_the_erased_one(world):
    from chat.simulator import post_webhook, webhook_payload

    erased = patient_erase(patient=world["zeb"])
    assert post_webhook(webhook_payload(doctor=world["a"], wa_id=NUMBER, name="Zebulon Quixote", text="hi")) == 200
    fresh = Patient.objects.get(doctor=world["a"], wa_id=NUMBER)
    assert fresh.pk != erased.pk and fresh.name == "Zebulon Quixote"
    assert Message.objects.filter(patient=erased).exclude(text="").count() == 0


def test_erasing_twice_changes_nothing_more_and_logs_each_request(world):
    patient_erase(patient=world["zeb"])
    first = Patient.objects.get(pk=world["zeb"].pk)
    patient_erase(patient=world["zeb"])
    again = Patient.objects.get(pk=world["zeb"].pk)
    assert (again.user_id, again.erased_at) == (first.user_id, first.erased_at)
    assert AuditEvent.objects.filter(action=Action.PATIENT_ERASED).count() == 2


def test_admin_erasure_asks_first_then_erases_and_never_another_clinics_patient(world):
    pk = world["zeb"].pk
    intruder = client_for(world["other_desk"])
    intruder.post("/admin/patients/patient/", {"action": "erase_data", "_selected_action": [pk], "confirm": "yes"})
    assert Patient.objects.get(pk=pk).name == "Zebulon Quixote"

    desk = client_for(world["desk"])
    asked = desk.post("/admin/patients/patient/", {"action": "erase_data", "_selected_action": [pk]})
    assert asked.status_code == 200 and "cannot be undone" in asked.content.decode()
    assert Patient.objects.get(pk=pk).name == "Zebulon Quixote", "nothing erased before the confirmation"
    done = desk.post("/admin/patients/patient/", {"action": "erase_data", "_selected_action": [pk], "confirm": "yes"})
    assert done.status_code == 302
    assert Patient.objects.get(pk=pk).name == "" and Patient.objects.get(pk=pk).erased_at
    assert AuditEvent.objects.filter(action=Action.PATIENT_ERASED, user=world["desk"]).count() == 1


def test_patients_cannot_be_deleted_in_admin_even_by_a_superuser(world):
    root = User.objects.create_superuser("root", password="pw-root-123")
    client = client_for(root)
    pk = world["zeb"].pk
    assert client.post(f"/admin/patients/patient/{pk}/delete/", {"post": "yes"}).status_code == 403
    assert Patient.objects.filter(pk=pk).exists()


def test_manage_py_erase_needs_yes_and_a_real_id(world):
    pk = str(world["zeb"].pk)
    with pytest.raises(CommandError, match="add --yes"):
        call_command("erase_patient", pk)
    with pytest.raises(CommandError, match="no patient with id 424242"):
        call_command("erase_patient", "424242", "--yes")
    assert Patient.objects.get(pk=pk).name == "Zebulon Quixote"
    out = io.StringIO()
    call_command("erase_patient", pk, "--yes", stdout=out)
    assert "4 messages blanked, 3 appointments kept" in out.getvalue()
    assert Patient.objects.get(pk=pk).name == ""
    assert AuditEvent.objects.get(action=Action.PATIENT_ERASED).detail == "manage.py erase_patient"
