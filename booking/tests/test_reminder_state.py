"""Whether a patient was reminded, where the front desk looks: each booked row on /appointments/
and the chat's patient header (the conversation data from GET /api/chat/messages/<id>).

The visit is Thursday 26 November 2026 at 15:00 IST; its reminders are due Wednesday 15:00 and
Thursday 13:00 (the default offsets, 24 hours and 2 hours).
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from booking.models import Reminder
from booking.reminders import ReminderState, reminder_states
from booking.tests.factories import ist, make_doctor, make_patient
from booking.tests.reminding import BOOKED_AT, DAY_BEFORE, OPEN_ALL_DAY, VISIT, book
from chat.notices import reminder_send

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sandbox_transport"),
]  # booking reminders run after commit

IST = ist("2026-11-26 00:00").tzinfo


@pytest.fixture
def doctor():
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Meera Joshi")


@pytest.fixture
def client(doctor):
    user = User.objects.create_user("frontdesk", password="x")
    doctor.members.add(user)
    client = Client()
    client.force_login(user)
    return client


def booked(doctor, *, wrote=DAY_BEFORE - dt.timedelta(hours=1)):
    return book(doctor, make_patient(doctor, name="Asha Patil", last_inbound_at=wrote))


def send_the_day_before(appointment):
    reminder = Reminder.objects.get(appointment=appointment, offset_minutes=1440)
    with time_machine.travel(DAY_BEFORE, tick=False):
        return reminder_send(reminder_id=reminder.pk, now=DAY_BEFORE)


def page_row(client, appointment, *, at) -> str:
    with time_machine.travel(at, tick=False):
        html = client.get("/appointments/").content.decode()
    start = html.index(f'id="a-{appointment.pk}"')
    return html[start : html.index("</li>", start)]


class TestStates:
    def test_a_new_booking_says_when_its_first_reminder_is_due(self, doctor):
        appointment = booked(doctor)
        state = reminder_states([appointment])[appointment.pk]
        assert state == ReminderState(state="scheduled", at=DAY_BEFORE)
        assert state.label(IST) == "Reminder due Wed 25 Nov, 3:00 PM"

    def test_a_sent_reminder_says_when_and_what_comes_next(self, doctor):
        appointment = booked(doctor)
        assert send_the_day_before(appointment) == "sent"
        state = reminder_states([appointment])[appointment.pk]
        assert state.state == "sent"
        assert state.label(IST) == "Reminded Wed 25 Nov, 3:00 PM · next Thu 26 Nov, 1:00 PM"

    def test_a_failed_reminder_says_why(self, doctor):
        appointment = booked(doctor, wrote=None)  # never wrote, and no template: cannot be told
        doctor.reminder_template = ""
        doctor.save(update_fields=["reminder_template"])
        assert send_the_day_before(appointment) == "failed"
        state = reminder_states([appointment])[appointment.pk]
        assert state.state == "failed"
        assert state.label(IST).startswith("Reminder failed Wed 25 Nov, 3:00 PM: The 24-hour window is closed")

    def test_a_moved_visit_shows_only_the_reminders_of_its_new_time(self, doctor):
        appointment = booked(doctor)
        send_the_day_before(appointment)
        appointment.start = VISIT + dt.timedelta(days=1)  # as if moved: its rows are for another start
        assert reminder_states([appointment])[appointment.pk] == ReminderState(state="none")

    def test_a_visit_with_no_reminders_says_so(self, doctor):
        doctor.reminder_offsets = []
        doctor.save(update_fields=["reminder_offsets"])
        appointment = booked(doctor)
        assert reminder_states([appointment])[appointment.pk].label(IST) == "No reminder"


class TestShown:
    def test_the_appointments_page_shows_each_booked_visits_reminder(self, doctor, client):
        appointment = booked(doctor)
        assert "Reminder due Wed 25 Nov, 3:00 PM" in page_row(client, appointment, at=BOOKED_AT)
        send_the_day_before(appointment)
        row = page_row(client, appointment, at=DAY_BEFORE + dt.timedelta(minutes=5))
        assert 'data-reminder="sent"' in row
        assert "Reminded Wed 25 Nov, 3:00 PM · next Thu 26 Nov, 1:00 PM" in row

    def test_a_failed_reminder_stands_out_on_the_appointments_page(self, doctor, client):
        doctor.reminder_template = ""
        doctor.save(update_fields=["reminder_template"])
        appointment = booked(doctor, wrote=None)
        send_the_day_before(appointment)
        row = page_row(client, appointment, at=DAY_BEFORE + dt.timedelta(minutes=5))
        assert 'data-reminder="failed"' in row and "notice-bad" in row
        assert "The 24-hour window is closed" in row

    def test_the_chat_header_data_carries_the_next_visits_reminder(self, doctor, client):
        appointment = booked(doctor)
        send_the_day_before(appointment)
        with time_machine.travel(DAY_BEFORE + dt.timedelta(minutes=5), tick=False):
            data = client.get(f"/api/chat/messages/{appointment.patient_id}").json()
        assert dt.datetime.fromisoformat(data["patient"]["next_appointment"]) == VISIT
        reminder = data["patient"]["reminder"]
        assert (reminder["state"], reminder["detail"]) == ("sent", "")
        assert dt.datetime.fromisoformat(reminder["at"]) == DAY_BEFORE
        assert dt.datetime.fromisoformat(reminder["next_due"]) == ist("2026-11-26 13:00")

    def test_a_patient_with_no_visit_ahead_has_no_reminder_in_the_header(self, doctor, client):
        patient = make_patient(doctor, name="Ravi")
        data = client.get(f"/api/chat/messages/{patient.pk}").json()
        assert data["patient"]["reminder"] is None
