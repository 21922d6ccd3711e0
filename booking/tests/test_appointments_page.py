"""The doctor's /appointments/ page: the list by day in the clinic's timezone, and the front desk's
actions (completed, no-show, cancel and tell the patient), each for the user's own clinics only.

Frozen at Thursday 26 November 2026, 08:00 in India.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from booking.models import Appointment, Reminder
from booking.reminders import reminders_schedule
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from chat.models import Message, MessageTemplate

pytestmark = pytest.mark.django_db

NOW = ist("2026-11-26 08:00")  # Thursday
OPEN_ALL_DAY = {weekday: [("09:00", "18:00")] for weekday in range(6)}  # Sunday closed


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def doctor():
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Meera Joshi", clinic_name="Joshi Family Clinic")


@pytest.fixture
def other_doctor():
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Kavita Shah", clinic_name="Shah Skin Clinic")


def patient(doctor, name, *, wrote_ago=dt.timedelta(hours=1), wa_id=None):
    return make_patient(
        doctor,
        name=name,
        last_inbound_at=NOW - wrote_ago if wrote_ago is not None else None,
        **({"wa_id": wa_id} if wa_id else {}),
    )


def visit(doctor, when: str, name="Asha Patil", **fields) -> Appointment:
    return make_appointment(doctor, ist(when), patient=patient(doctor, name), **fields)


def agenda(response) -> dict[str, list[tuple[str, str, str]]]:
    """{day label: [(time, patient, status), …]} as the page shows it."""
    return {
        day.label: [(row.time, row.name, row.appointment.status) for row in day.rows]
        for day in response.context["agenda"]
    }


def row_html(response, appointment) -> str:
    html = response.content.decode()
    match = re.search(rf'<li class="[^"]*" id="a-{appointment.pk}">(.*?)</li>', html, re.S)
    assert match, f"row of appointment {appointment.pk} not on the page"
    return match.group(1)


# --- The list -----------------------------------------------------------------------------------


class TestList:
    def test_not_logged_in_goes_to_the_login_page(self):
        response = Client().get("/appointments/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/appointments/"

    def test_today_and_the_next_six_days_are_listed_by_day_in_india(self, staff_client, doctor):
        visit(doctor, "2026-11-25 17:00", "Yesterday Patient")
        visit(doctor, "2026-11-26 10:00", "Ravi Kumar")
        visit(doctor, "2026-11-26 09:30", "Sunita Pawar", status=Appointment.Status.COMPLETED)
        late = visit(doctor, "2026-11-27 00:15", "Night Owl")  # Thursday 18:45 UTC: Friday in India
        visit(doctor, "2026-12-02 17:30", "Last Day")
        visit(doctor, "2026-12-03 10:00", "Too Far")
        response = staff_client.get("/appointments/")
        assert response.status_code == 200
        assert late.start.astimezone(dt.UTC).date() == dt.date(2026, 11, 26)
        assert agenda(response) == {
            "Today · Thu 26 Nov": [("9:30 AM", "Sunita Pawar", "completed"), ("10:00 AM", "Ravi Kumar", "booked")],
            "Tomorrow · Fri 27 Nov": [("12:15 AM", "Night Owl", "booked")],
            "Sat 28 Nov": [],
            "Sun 29 Nov": [],
            "Mon 30 Nov": [],
            "Tue 1 Dec": [],
            "Wed 2 Dec": [("5:30 PM", "Last Day", "booked")],
        }
        html = response.content.decode()
        assert html.index("Today · Thu 26 Nov") < html.index("Sunita Pawar") < html.index("Ravi Kumar")
        assert html.index("Tomorrow · Fri 27 Nov") < html.index("Night Owl") < html.index("Wed 2 Dec")
        assert "Yesterday Patient" not in html and "Too Far" not in html
        assert "Closed." in html  # Sunday

    def test_days_chooses_how_far_ahead(self, staff_client, doctor):
        visit(doctor, "2026-12-03 10:00", "Next Thursday")
        assert "Next Thursday" in staff_client.get("/appointments/?days=8").content.decode()
        response = staff_client.get("/appointments/?days=1")
        assert list(agenda(response)) == ["Today · Thu 26 Nov"]
        assert len(staff_client.get("/appointments/?days=999").context["agenda"]) == 31
        assert len(staff_client.get("/appointments/?days=soon").context["agenda"]) == 7

    def test_a_row_shows_time_patient_number_status_source_and_links_to_the_chat(self, staff_client, doctor):
        ravi = patient(doctor, "Ravi Kumar", wa_id="919812345678")
        appointment = make_appointment(doctor, ist("2026-11-26 15:00"), patient=ravi, source="staff", reason="Fever")
        row = row_html(staff_client.get("/appointments/"), appointment)
        assert "3:00 PM" in row
        assert f'href="/chat/#p={appointment.patient_id}"' in row
        assert "+91 98123 45678" in row
        assert "Booked" in row and "Staff" in row and "Fever" in row

    def test_another_clinics_appointments_are_not_shown(self, staff_client, doctor, other_doctor):
        visit(doctor, "2026-11-26 10:00", "Mine")
        visit(other_doctor, "2026-11-26 10:00", "Someone Else")
        html = staff_client.get("/appointments/").content.decode()
        assert "Mine" in html
        assert "Someone Else" not in html and "Shah" not in html
        assert staff_client.get(f"/appointments/?doctor={other_doctor.pk}").status_code == 404

    def test_a_member_of_two_clinics_picks_one_with_the_selector(self, staff_client, staff, doctor, other_doctor):
        other_doctor.members.add(staff)
        visit(doctor, "2026-11-26 10:00", "Joshi Patient")
        visit(other_doctor, "2026-11-26 10:00", "Shah Patient")
        first = staff_client.get("/appointments/").content.decode()  # the first by name: Dr. Kavita Shah
        assert '<select name="doctor"' in first
        assert "Shah Patient" in first and "Joshi Patient" not in first
        chosen = staff_client.get(f"/appointments/?doctor={doctor.pk}").content.decode()
        assert "Joshi Patient" in chosen and "Shah Patient" not in chosen
        assert f'<option value="{doctor.pk}" selected>' in chosen

    def test_a_user_of_no_clinic_is_told_so(self):
        staff_client = Client()
        staff_client.force_login(User.objects.create_user("nobody", password="x"))
        response = staff_client.get("/appointments/")
        assert response.status_code == 200
        assert "No clinic yet" in response.content.decode()


# --- Marking ------------------------------------------------------------------------------------


class TestMark:
    def test_a_visit_is_marked_completed_and_the_page_says_so(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-26 07:30")
        response = staff_client.post(f"/appointments/{appointment.pk}/mark", {"status": "completed", "days": "3"})
        assert response.status_code == 302
        assert response["Location"] == f"/appointments/?doctor={doctor.pk}&days=3#a-{appointment.pk}"
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.COMPLETED
        assert "Marked completed." in row_html(staff_client.get(response["Location"]), appointment)

    def test_a_visit_is_marked_no_show_and_can_be_corrected(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-26 07:30")
        staff_client.post(f"/appointments/{appointment.pk}/mark", {"status": "no_show"})
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.NO_SHOW
        staff_client.post(f"/appointments/{appointment.pk}/mark", {"status": "completed"})
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.COMPLETED

    def test_a_visit_on_a_later_day_cannot_be_marked(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-27 10:00")
        response = staff_client.post(f"/appointments/{appointment.pk}/mark", {"status": "no_show"}, follow=True)
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED
        assert "once it has started (this one starts at 10:00 AM)" in row_html(response, appointment)

    def test_only_completed_and_no_show_are_accepted(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-26 07:30")
        staff_client.post(f"/appointments/{appointment.pk}/mark", {"status": "cancelled"})
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED

    def test_a_cancelled_visit_cannot_be_marked(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-26 07:30", status=Appointment.Status.CANCELLED)
        response = staff_client.post(f"/appointments/{appointment.pk}/mark", {"status": "completed"}, follow=True)
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        assert "was cancelled; it cannot be marked" in response.content.decode()


# --- Cancelling ---------------------------------------------------------------------------------


class TestCancel:
    def test_inside_the_window_the_patient_gets_a_text_with_the_note(self, staff_client, staff, doctor):
        appointment = visit(doctor, "2026-11-26 15:00", "Ravi Kumar")
        reminders_schedule(appointment=appointment, now=NOW - dt.timedelta(days=2))
        response = staff_client.post(
            f"/appointments/{appointment.pk}/cancel", {"note": "  The doctor is   called away. "}, follow=True
        )
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        [message] = Message.objects.filter(patient=appointment.patient, direction=Message.Direction.OUT)
        assert message.type == Message.Type.TEXT
        assert message.text == (
            "Your appointment with Dr. Meera Joshi today at 3:00 PM has been cancelled by the clinic.\n"
            "Note from the clinic: The doctor is called away.\n"
            "Reply 'book' to choose another time."
        )
        assert (message.sender, message.sender_user) == (Message.Sender.STAFF, staff)
        assert message.status == Message.Status.QUEUED  # sent after commit
        assert "The patient was told on WhatsApp." in row_html(response, appointment)

    def test_outside_the_window_the_clinics_cancellation_template_is_sent(self, staff_client, doctor):
        MessageTemplate.objects.create(
            doctor=doctor, name="appointment_cancelled", body="Your visit with {{1}} on {{2}} is cancelled."
        )
        appointment = visit(doctor, "2026-11-27 11:00")
        appointment.patient.last_inbound_at = NOW - dt.timedelta(days=3)
        appointment.patient.save(update_fields=["last_inbound_at"])
        response = staff_client.post(
            f"/appointments/{appointment.pk}/cancel", {"note": "not in a template"}, follow=True
        )
        [message] = Message.objects.filter(patient=appointment.patient, direction=Message.Direction.OUT)
        assert message.type == Message.Type.TEMPLATE
        assert message.text == "Your visit with Dr. Meera Joshi on Fri 27 Nov, 11:00 AM is cancelled."
        assert "told with the clinic&#x27;s template" in row_html(response, appointment)

    def test_when_the_patient_cannot_be_told_the_page_says_so(self, staff_client, doctor):
        quiet = patient(doctor, "Quiet Patient", wrote_ago=dt.timedelta(days=5), wa_id="919800011122")
        appointment = make_appointment(doctor, ist("2026-11-27 11:00"), patient=quiet)
        before = staff_client.get("/appointments/")
        assert "WhatsApp will not let us tell them" in row_html(before, appointment)
        response = staff_client.post(f"/appointments/{appointment.pk}/cancel", follow=True)
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
        assert not Message.objects.filter(patient=appointment.patient, direction=Message.Direction.OUT).exists()
        row = row_html(response, appointment)
        assert "but the patient could not be told" in row
        assert "Please call them on +91 98000 11122." in row
        assert 'role="alert"' in row

    def test_cancelling_twice_tells_the_patient_once(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-26 15:00")
        staff_client.post(f"/appointments/{appointment.pk}/cancel")
        response = staff_client.post(f"/appointments/{appointment.pk}/cancel", follow=True)
        assert "is already cancelled; nothing was changed" in row_html(response, appointment)
        assert Message.objects.filter(patient=appointment.patient, direction=Message.Direction.OUT).count() == 1

    def test_a_cancel_made_on_the_page_leaves_no_reminder_to_send(
        self, staff_client, doctor, django_capture_on_commit_callbacks, monkeypatch
    ):
        monkeypatch.setattr("chat.outbound.enqueue_send", lambda message_id, **kwargs: None)  # not sending here
        appointment = visit(doctor, "2026-11-27 11:00")
        reminders_schedule(appointment=appointment, now=NOW)
        with django_capture_on_commit_callbacks(execute=True):
            staff_client.post(f"/appointments/{appointment.pk}/cancel")
        statuses = set(Reminder.objects.filter(appointment=appointment).values_list("status", flat=True))
        assert statuses == {Reminder.Status.SKIPPED}


# --- Nobody else's appointments -----------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("action", ["mark", "cancel"])
    def test_another_clinics_appointment_is_a_404_on_every_action(self, staff_client, other_doctor, action):
        theirs = visit(other_doctor, "2026-11-26 07:30")
        response = staff_client.post(f"/appointments/{theirs.pk}/{action}", {"status": "completed", "note": "x"})
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == Appointment.Status.BOOKED
        assert not Message.objects.filter(patient=theirs.patient).exists()

    @pytest.mark.parametrize("action", ["mark", "cancel"])
    def test_an_unknown_appointment_is_a_404(self, staff_client, action):
        assert staff_client.post(f"/appointments/999999/{action}", {"status": "completed"}).status_code == 404

    @pytest.mark.parametrize("action", ["mark", "cancel"])
    def test_not_logged_in_an_action_goes_to_the_login_page_and_changes_nothing(self, doctor, action):
        appointment = visit(doctor, "2026-11-26 07:30")
        response = Client().post(f"/appointments/{appointment.pk}/{action}", {"status": "completed"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED

    @pytest.mark.parametrize("action", ["mark", "cancel"])
    def test_an_action_needs_the_csrf_token(self, staff, doctor, action):
        appointment = visit(doctor, "2026-11-26 07:30")
        staff_client = Client(enforce_csrf_checks=True)
        staff_client.force_login(staff)
        assert staff_client.post(f"/appointments/{appointment.pk}/{action}", {"status": "completed"}).status_code == 403
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED

    def test_the_page_posts_with_a_csrf_token_and_actions_refuse_get(self, staff_client, doctor):
        appointment = visit(doctor, "2026-11-26 07:30")
        html = staff_client.get("/appointments/").content.decode()
        assert html.count("csrfmiddlewaretoken") >= 3  # completed, no-show, cancel
        assert staff_client.get(f"/appointments/{appointment.pk}/mark").status_code == 405
        assert staff_client.get(f"/appointments/{appointment.pk}/cancel").status_code == 405
