"""/appointments/ follows the live events: the page loads its script (no inline code, the CSP
forbids it), says when the clock alone changes it, and offers Completed / No-show only once a
visit has started — the server refuses them before, too.

Frozen at Thursday 26 November 2026, 08:00 in India.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from booking.models import Appointment
from booking.services import appointment_book
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient

pytestmark = pytest.mark.django_db

NOW = ist("2026-11-26 08:00")  # Thursday
OPEN_ALL_DAY = {weekday: [("07:00", "18:00")] for weekday in range(6)}  # Sunday closed


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    with time_machine.travel(NOW, tick=False):
        yield


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


def visit(doctor, when: str, **fields) -> Appointment:
    return make_appointment(doctor, ist(when), patient=make_patient(doctor, name="Asha Patil"), **fields)


def row_html(html: str, appointment) -> str:
    match = re.search(rf'<li class="[^"]*" id="a-{appointment.pk}">(.*?)</li>', html, re.S)
    assert match, f"row of appointment {appointment.pk} not on the page"
    return match.group(1)


class TestLive:
    def test_the_page_loads_its_script_and_has_no_inline_code(self, client, doctor):
        response = client.get("/appointments/")
        html = response.content.decode()
        # A module: it imports static/js/live_socket.js, the reconnect /chat/ uses too.
        assert re.search(r'<script type="module" src="/static/js/appointments\.js"></script>', html)
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # no inline script
        assert not re.search(r"<[^>]*\son[a-z]+=", html)  # no onclick= and the like
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert 'id="appts-conn"' in html and 'id="appt-days"' in html

    def test_a_user_of_no_clinic_gets_no_script(self):
        client = Client()
        client.force_login(User.objects.create_user("nobody", password="x"))
        assert "appointments.js" not in client.get("/appointments/").content.decode()

    def test_the_page_says_when_the_next_visit_starts_so_the_script_can_refresh(self, client, doctor):
        visit(doctor, "2026-11-26 07:30")  # started
        visit(doctor, "2026-11-26 11:00", status=Appointment.Status.CANCELLED)
        visit(doctor, "2026-11-26 10:30")
        response = client.get("/appointments/")
        assert response.context["refresh_at"] == ist("2026-11-26 10:30").astimezone(dt.UTC).isoformat()
        assert 'data-refresh-at="2026-11-26T05:00:00+00:00"' in response.content.decode()

    def test_with_no_visit_to_come_the_page_refreshes_at_the_clinics_midnight(self, client, doctor):
        visit(doctor, "2026-11-26 07:30")
        response = client.get("/appointments/?days=1")
        assert response.context["refresh_at"] == ist("2026-11-27 00:00").astimezone(dt.UTC).isoformat()

    def test_the_booked_total_and_the_days_have_ids_the_script_updates(self, client, doctor):
        visit(doctor, "2026-11-26 10:30")
        html = client.get("/appointments/").content.decode()
        assert '<span id="appts-booked-total">1 booked</span>' in html
        assert 'id="day-2026-11-26"' in html

    def test_a_booking_from_whatsapp_pushes_the_event_the_page_listens_for(
        self, doctor, monkeypatch, django_capture_on_commit_callbacks
    ):
        pushed = []
        monkeypatch.setattr("booking.services.push_now", lambda **kwargs: pushed.append(kwargs))
        patient = make_patient(doctor, name="Ravi Kumar")
        with django_capture_on_commit_callbacks(execute=True):
            result = appointment_book(doctor=doctor, patient=patient, start=ist("2026-11-26 15:00"), now=NOW)
        assert result.ok
        [push] = [p for p in pushed if p["event"]["type"] == "appointment.changed"]
        assert push["doctor_id"] == doctor.pk
        # The shape static/js/appointments.js reads.
        assert push["event"]["appointment"] == {
            "id": result.appointment.pk,
            "patient_id": patient.pk,
            "start": result.appointment.start.isoformat(),
            "status": "booked",
        }


class TestMarkOnceStarted:
    def test_completed_and_no_show_are_offered_only_once_the_visit_has_started(self, client, doctor):
        started = visit(doctor, "2026-11-26 07:30")
        now_on = visit(doctor, "2026-11-26 08:00")
        later_today = visit(doctor, "2026-11-26 10:00")
        html = client.get("/appointments/").content.decode()
        for appointment in (started, now_on):
            assert "Completed</button>" in row_html(html, appointment)
            assert "No-show</button>" in row_html(html, appointment)
        assert "Completed</button>" not in row_html(html, later_today)
        assert "No-show</button>" not in row_html(html, later_today)
        assert "Cancel…" in row_html(html, later_today)

    def test_a_visit_later_today_is_refused_by_the_server(self, client, doctor):
        appointment = visit(doctor, "2026-11-26 10:00")
        response = client.post(f"/appointments/{appointment.pk}/mark", {"status": "completed"}, follow=True)
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED
        assert "once it has started (this one starts at 10:00 AM)" in row_html(response.content.decode(), appointment)

    def test_once_it_has_started_the_same_visit_can_be_marked(self, client, doctor):
        appointment = visit(doctor, "2026-11-26 10:00")
        with time_machine.travel(ist("2026-11-26 10:00"), tick=False):
            html = client.get("/appointments/").content.decode()
            assert "No-show</button>" in row_html(html, appointment)
            client.post(f"/appointments/{appointment.pk}/mark", {"status": "no_show"})
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.NO_SHOW


class TestRefetch:
    def test_the_scripts_refetch_leaves_an_actions_outcome_for_the_page_the_action_redirects_to(self, client, doctor):
        appointment = visit(doctor, "2026-11-26 07:30")
        response = client.post(f"/appointments/{appointment.pk}/mark", {"status": "completed"})
        refetch = client.get("/appointments/", headers={"X-Live-Refresh": "1"})  # another tab, first
        assert "Marked completed." not in refetch.content.decode()
        assert "Marked completed." in row_html(client.get(response["Location"]).content.decode(), appointment)


class TestCost:
    def test_more_rows_cost_no_more_queries(self, client, doctor):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/appointments/?new=1").status_code == 200
            return len(queries)

        visit(doctor, "2026-11-26 10:00")
        few = count()
        for hour in range(11, 18):
            visit(doctor, f"2026-11-27 {hour}:00")
            visit(doctor, f"2026-11-28 {hour}:30")
        assert count() == few, "a query per row"
        assert few <= 15, few  # 12 on SQLite today (session, user, clinics, rows, reminders, time off, …)
