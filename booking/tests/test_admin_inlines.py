"""booking's tables on patients' admin pages: booking/admin.py adds them, patients imports no booking."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from booking.tests.factories import ist, make_appointment, make_doctor, make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client):
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    return client


def test_it_shows_the_weekly_hours_and_time_off_first_on_the_doctors_page(root_client):
    doctor = make_doctor()
    page = root_client.get(f"/admin/patients/doctor/{doctor.pk}/change/").content.decode()
    prefixes = ["weekly_hours-TOTAL_FORMS", "time_off-TOTAL_FORMS", "faqs-TOTAL_FORMS", "templates-TOTAL_FORMS"]
    positions = [page.find(prefix) for prefix in prefixes]
    assert -1 not in positions, dict(zip(prefixes, positions, strict=True))
    assert positions == sorted(positions)


def test_it_lists_the_patients_visits_on_the_patients_page(root_client):
    doctor = make_doctor()
    patient = make_patient(doctor, name="Asha")
    appointment = make_appointment(doctor, ist("2026-12-07 10:30"), patient=patient)
    page = root_client.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    assert f"/admin/booking/appointment/{appointment.pk}/change/" in page


def test_patients_admin_imports_nothing_from_booking():
    source = (Path(__file__).resolve().parents[2] / "patients" / "admin.py").read_text()
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert [name for name in imported if name and name.split(".")[0] == "booking"] == []
