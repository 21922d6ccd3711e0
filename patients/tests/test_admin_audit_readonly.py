"""Audit rows (bot pauses, the access log) are read-only for everyone, the superuser included."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from patients.models import AuditEvent, BotPauseLog, Doctor, Patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    doctor = Doctor.objects.create(name="Dr. Audit")
    patient = Patient.objects.create(doctor=doctor, wa_id="919800000999")
    pause = BotPauseLog.objects.create(patient=patient, paused=True, reason="paused in admin")
    event = AuditEvent.objects.create(action=AuditEvent.Action.BOT_PAUSED, doctor=doctor, patient=patient)
    return {"botpauselog": pause, "auditevent": event}


@pytest.fixture
def root(client):
    user = User.objects.create_superuser("root", password="pw-root-123")
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", ["botpauselog", "auditevent"])
def test_a_superuser_cannot_delete_an_audit_row(client, root, rows, model):
    row = rows[model]
    url = reverse(f"admin:patients_{model}_delete", args=[row.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse(f"admin:patients_{model}_changelist"), {"action": "delete_selected", "_selected_action": [row.pk]}
    )

    assert bulk.status_code in (200, 302)
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", ["botpauselog", "auditevent"])
def test_a_superuser_cannot_add_or_change_an_audit_row(client, root, rows, model):
    row = rows[model]
    assert client.get(reverse(f"admin:patients_{model}_add")).status_code == 403
    change = reverse(f"admin:patients_{model}_change", args=[row.pk])
    page = client.get(change)
    assert page.status_code == 200  # readable
    assert not page.context["has_change_permission"] and not page.context["has_delete_permission"]
    assert client.post(change, {"reason": "edited", "detail": "edited"}).status_code == 403
    row.refresh_from_db()
    assert getattr(row, "reason", "") != "edited" and getattr(row, "detail", "") != "edited"
