"""Every admin page loads for a superuser and for a clinic's staff, who see only their clinic."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from booking.models import Appointment
from chat.models import Message
from clinicbot.demo import seed_demo
from patients.demo import front_desk_group
from patients.models import Doctor, Patient


@pytest.fixture
def two_clinics(db):
    seed_demo()
    mine = Doctor.objects.get(phone_number_id="100200300400500")
    other = Doctor.objects.create(name="Dr. Other", phone_number_id="999")
    stranger = Patient.objects.create(doctor=other, wa_id="919811111111", name="Secret Stranger")
    Message.objects.create(
        doctor=other,
        patient=stranger,
        direction="in",
        status="received",
        sender="patient",
        text="private",
        wamid="wamid.OTHER",
    )
    staff = User.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    staff.groups.add(front_desk_group())
    mine.members.add(staff)
    root = User.objects.create_superuser("root", password="pw-root-123")
    return {"mine": mine, "other": other, "stranger": stranger, "staff": staff, "root": root}


def admin_urls(obj_for_model):
    """The changelist, add and change page of every registered model."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        yield reverse(f"{prefix}_add")
        obj = obj_for_model(model)
        if obj is not None:
            yield reverse(f"{prefix}_change", args=[obj.pk])


def test_every_admin_page_loads_for_a_superuser(client, two_clinics):
    client.force_login(two_clinics["root"])
    for url in admin_urls(lambda model: model.objects.first()):
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if "/add/" not in url:
            assert response.status_code == 200, url


def test_every_admin_page_loads_for_clinic_staff(client, two_clinics):
    client.force_login(two_clinics["staff"])
    mine = two_clinics["mine"]

    def own_object(model):
        for path in ("doctor", "patient__doctor", "appointment__doctor"):
            try:
                return model.objects.filter(**{path: mine}).first()
            except Exception:
                continue
        return model.objects.filter(pk=mine.pk).first() if model is Doctor else None

    for url in admin_urls(own_object):
        if not url.startswith(("/admin/patients/", "/admin/booking/", "/admin/chat/")):
            continue  # users and the task queue are for superusers
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)
        if "/add/" not in url:
            assert response.status_code == 200, url


def test_staff_cannot_see_or_open_another_doctors_patient(client, two_clinics):
    client.force_login(two_clinics["staff"])
    listing = client.get(reverse("admin:patients_patient_changelist"))
    assert b"Rahul Deshmukh" in listing.content
    assert b"Secret Stranger" not in listing.content
    opened = client.get(reverse("admin:patients_patient_change", args=[two_clinics["stranger"].pk]))
    assert opened.status_code == 302  # admin redirects a missing object to the index
    assert not client.get(reverse("admin:chat_message_changelist") + "?q=private").context["cl"].result_count
    doctors = client.get(reverse("admin:patients_doctor_changelist")).context["cl"].result_list
    assert [d.pk for d in doctors] == [two_clinics["mine"].pk]


def test_access_token_is_never_shown_back(client, two_clinics):
    doctor = two_clinics["mine"]
    doctor.access_token = "EAAG-very-secret-token"
    doctor.save(update_fields=["access_token"])
    client.force_login(two_clinics["root"])
    page = client.get(reverse("admin:patients_doctor_change", args=[doctor.pk]))
    assert page.status_code == 200
    assert b"very-secret-token" not in page.content


def test_pause_and_resume_actions_record_who(client, two_clinics):
    client.force_login(two_clinics["staff"])
    patient = Patient.objects.get(wa_id="919800000101")
    url = reverse("admin:patients_patient_changelist")
    client.post(url, {"action": "pause_bot", "_selected_action": [patient.pk]})
    patient.refresh_from_db()
    assert patient.ai_paused and patient.ai_paused_by == two_clinics["staff"]
    assert patient.pause_log.first().reason == "paused in admin"
    client.post(url, {"action": "resume_bot", "_selected_action": [patient.pk]})
    patient.refresh_from_db()
    assert not patient.ai_paused
    assert patient.pause_log.count() == 2


def test_cancel_action_cancels_selected_appointments(client, two_clinics):
    client.force_login(two_clinics["staff"])
    booked = Appointment.objects.filter(doctor=two_clinics["mine"], status="booked")
    assert booked.exists()
    ids = list(booked.values_list("pk", flat=True))
    client.post(
        reverse("admin:booking_appointment_changelist"), {"action": "cancel_appointments", "_selected_action": ids}
    )
    assert not Appointment.objects.filter(pk__in=ids, status="booked").exists()


def test_seed_demo_twice_gives_the_same_rows(db):
    from django.apps import apps

    seed_demo()
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    seed_demo()
    assert {m._meta.label: m.objects.count() for m in apps.get_models()} == counts
    assert counts["patients.Doctor"] == 1 and counts["patients.Patient"] == 3
    assert counts["booking.WeeklyHours"] == 12 and counts["booking.Appointment"] == 3
    demo = User.objects.get(username="demo")
    assert demo.check_password("demo") and demo.is_staff and not demo.is_superuser
