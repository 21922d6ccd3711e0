"""Saving time off over booked appointments in admin shows them, and one button tells those
patients, each once however often the confirmation is posted. Nothing is cancelled.

It is Monday 7 December 2026, 09:00 IST; the doctor takes Tuesday off, where two patients are booked.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from booking.closures import covered_appointment_ids
from booking.models import Appointment, TimeOff
from booking.tests.admin_forms import add_inline_row, form_data
from booking.tests.chatting import make_clinic
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from chat.models import Message
from patients.demo import front_desk_group
from patients.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = ist("2026-12-07 09:00")


@pytest.fixture(autouse=True)
def clock(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic():
    return make_clinic()


@pytest.fixture
def desk(client, clinic):
    user = User.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    user.groups.add(front_desk_group())
    clinic.members.add(user)
    client.force_login(user)
    return user


@pytest.fixture
def two_bookings(clinic):
    wrote = NOW - dt.timedelta(hours=2)
    return [
        make_appointment(clinic, ist(when), patient=make_patient(clinic, name=name, last_inbound_at=wrote))
        for when, name in (("2026-12-08 10:00", "Asha Patil"), ("2026-12-08 18:00", "Ravi Kale"))
    ]


def told_messages():
    return Message.objects.filter(direction=Message.Direction.OUT, sender=Message.Sender.STAFF)


def test_time_off_over_two_bookings_lists_them_and_tells_both_patients_once(client, clinic, desk, two_bookings):
    saved = client.post(
        reverse("admin:booking_timeoff_add"),
        {"doctor": clinic.pk, "start_date": "2026-12-08", "end_date": "2026-12-08", "reason": "conference"},
    )
    time_off = TimeOff.objects.get()
    notify = f"{reverse('admin:booking_timeoff_notify')}?time_off={time_off.pk}"
    assert saved.status_code == 302 and saved.url == notify

    page = client.get(notify)
    assert "Asha Patil" in page.text and "Ravi Kale" in page.text
    assert "Tue 08/12/2026 10:00 IST" in page.text
    assert "Tell these 2 patients" in page.text
    assert "stay <strong>booked</strong>" in page.text

    first = client.post(notify, follow=True)
    second = client.post(notify, follow=True)  # posted twice (a double click, a reload)

    assert "Told 2 patient(s)." in first.text
    assert "had been told already" in second.text
    assert "Every patient listed has been told." in second.text
    assert told_messages().count() == 2
    assert sorted(told_messages().values_list("patient__name", flat=True)) == ["Asha Patil", "Ravi Kale"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLOSURE_TOLD, user=desk).count() == 2
    assert set(Appointment.objects.filter(status="booked").values_list("pk", flat=True)) == {a.pk for a in two_bookings}
    assert covered_appointment_ids(clinic, Appointment.objects.all()) == {a.pk for a in two_bookings}


def test_time_off_added_on_the_doctor_page_leads_to_the_same_step(client, clinic, desk, two_bookings):
    url = reverse("admin:patients_doctor_change", args=[clinic.pk])
    data = add_inline_row(
        form_data(client.get(url)), "time_off", doctor=clinic.pk, start_date="2026-12-08", end_date="2026-12-08"
    )

    saved = client.post(url, data)

    time_off = TimeOff.objects.get()
    assert saved.status_code == 302
    assert saved.url == f"{reverse('admin:booking_timeoff_notify')}?time_off={time_off.pk}"
    client.post(saved.url)
    assert told_messages().count() == 2


def test_time_off_over_no_booking_saves_as_usual(client, clinic, desk):
    saved = client.post(
        reverse("admin:booking_timeoff_add"),
        {"doctor": clinic.pk, "start_date": "2026-12-08", "end_date": "2026-12-08"},
    )
    assert saved.status_code == 302 and saved.url == reverse("admin:booking_timeoff_changelist")


def test_another_clinics_time_off_is_not_shown_or_told(client, clinic, desk, two_bookings):
    other = make_doctor(name="Dr. Other")
    theirs = TimeOff.objects.create(doctor=other, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8))
    notify = f"{reverse('admin:booking_timeoff_notify')}?time_off={theirs.pk}"

    assert client.get(notify).status_code == 302
    client.post(notify)
    assert not told_messages().exists()
