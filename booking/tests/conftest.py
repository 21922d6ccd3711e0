"""Fixtures the booking tests share: a `doctor` (unless a module builds its own), its front desk,
logged in; the services' post-commit hook replaced (`after_change`, test_services_*, helpers in
booking/tests/servicing.py); the booking-flow tests' clinic, phone and patient (test_flow_*,
helpers in booking/tests/flowing.py); `sandbox_transport` for the reminder tests. A module that
defines a fixture of the same name keeps its own."""

from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from booking import services
from booking.tests.factories import make_doctor, make_patient
from booking.tests.flowing import NOW
from chat.tests.phone import WA_ID, Phone, make_clinic


@pytest.fixture
def doctor():
    """The factories' clinic (factories.CLINIC_HOURS, 30-minute slots, India), for a module that
    needs no other (test_slots_*, test_services_*); a module that builds its own keeps it."""
    return make_doctor()


@pytest.fixture
def staff(doctor):
    """A front-desk member of the module's `doctor` (each module builds the clinic it needs)."""
    user = User.objects.create_user("frontdesk", password="x")
    doctor.members.add(user)
    return user


@pytest.fixture
def staff_client(staff):
    """A browser logged in as that front desk."""
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def after_change():
    """Replaces the post-commit hook, to see which writes announce a change (test_services_*)."""
    with mock.patch.object(services, "_after_change", autospec=True) as hook:
        yield hook


# --- the booking flow (test_flow_*): a module that defines its own of these names keeps its own ---


@pytest.fixture
def clinic(db, no_llm):
    """The demo-like clinic of chat.tests.phone, time frozen at flowing.NOW (Wed 25 Nov 2026, 10:00 IST)."""
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def phone(clinic):
    return Phone(clinic)


@pytest.fixture
def patient(clinic):
    """The phone's patient, known before the first message (to arrange appointments for it)."""
    return make_patient(clinic, wa_id=WA_ID, name="Rahul Deshmukh")


@pytest.fixture
def direct(db):
    """A patient of the clinic, for calling booking.flow's functions directly (time not frozen)."""
    doctor = make_clinic()
    return make_patient(doctor, name="Kavita")


@pytest.fixture
def sandbox_transport(settings):
    """Outbound messages go to the sandbox transport, whatever the environment's access token
    (the reminder tests: `pytestmark = pytest.mark.usefixtures("sandbox_transport")`)."""
    settings.WHATSAPP_ACCESS_TOKEN = ""
