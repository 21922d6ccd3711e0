"""/appointments/ against junk (issue 12): huge numbers, NUL and lone surrogates in the query, the
path and the forms get a 4xx or the page, never a 500, and nothing unstorable reaches the database."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from booking.models import Appointment
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from chat.models import Message

pytestmark = pytest.mark.django_db

NOW = ist("2026-11-26 08:00")  # Thursday
JUNK = ["9" * 4301, "9" * 20, "-1", "0", "1.5", "%00", "a%00b", "%ED%A0%80", "%FF", "x" * 3000, ""]


@pytest.fixture
def booked(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    with time_machine.travel(NOW, tick=False):
        doctor = make_doctor(hours={weekday: [("09:00", "18:00")] for weekday in range(6)})
        staff = User.objects.create_user("frontdesk", password="x")
        doctor.members.add(staff)
        patient = make_patient(doctor, name="Asha", last_inbound_at=NOW - dt.timedelta(hours=1))
        appointment = make_appointment(doctor, ist("2026-11-27 10:00"), patient=patient)
        client = Client()
        client.force_login(staff)
        yield client, appointment


def assert_answered(response, what: str) -> None:
    assert response.status_code in {200, 302, 400, 404, 405}, f"{what}: {response.status_code}"


@pytest.mark.parametrize("parameter", ["days", "doctor"])
def test_junk_in_the_query_gets_the_page_or_a_404(booked, parameter):
    client, _ = booked
    for junk in JUNK:
        assert_answered(client.get(f"/appointments/?{parameter}={junk}"), f"{parameter}={junk[:20]}")


@pytest.mark.parametrize("action", ["mark", "cancel"])
def test_junk_appointment_ids_in_the_path_are_404s(booked, action):
    client, _ = booked
    for junk in ["9" * 4301, "9" * 20, str(2**63), "0"]:
        response = client.post(f"/appointments/{junk}/{action}", {"status": "completed"})
        assert response.status_code == 404, junk[:20]


def test_junk_in_the_cancel_form_never_stores_a_nul(booked):
    client, appointment = booked
    for note in ["a%00b", "%ED%A0%80", "%FF%FE", "x" * 5000]:  # as a browser would encode them
        response = client.post(
            f"/appointments/{appointment.pk}/cancel",
            f"note={note}&days={'9' * 4301}",
            content_type="application/x-www-form-urlencoded",
        )
        assert_answered(response, note[:10])
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert not any("\x00" in text for text in Message.objects.values_list("text", flat=True))


def test_junk_marks_are_refused_not_crashed(booked):
    client, appointment = booked
    for status in ["\x00", "9" * 4301, "", "booked", "COMPLETED"]:
        assert_answered(client.post(f"/appointments/{appointment.pk}/mark", {"status": status}), repr(status[:10]))
