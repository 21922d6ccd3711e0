"""The desk books and moves on /appointments/: a patient of this clinic into a free time of a
chosen day, through booking.services (minimum notice and the per-patient limit overridden, a
taken slot never), and nobody else's patients or appointments (404).

Frozen at Thursday 26 November 2026, 08:00 in India; the clinic opens 09:00–18:00 with a
two-hour minimum notice, so 09:00 and 09:30 are the desk's to give, not the patients'.
"""

import re

import pytest
import time_machine
from django.test import Client

from booking.models import Appointment
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from patients.models import AuditEvent

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
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Meera Joshi", min_notice_minutes=120, max_future_appointments=1)


@pytest.fixture
def other_doctor():
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Kavita Shah")


@pytest.fixture
def ravi(doctor):
    return make_patient(doctor, name="Ravi Kumar", wa_id="919812345678")


def slot(when: str) -> str:
    """A free time as the form posts it back: ISO 8601 with India's offset."""
    return ist(when).isoformat()


def times_offered(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="start" value="([^"]+)"', html)


def box(html: str) -> str:
    match = re.search(r'<section class="appt-new" id="appt-new".*?</section>', html, re.S)
    assert match, "no New appointment box"
    return match.group(0)


def row_html(html: str, appointment) -> str:
    match = re.search(rf'<li class="[^"]*" id="a-{appointment.pk}">(.*?)</li>', html, re.S)
    assert match, f"row of appointment {appointment.pk} not on the page"
    return match.group(1)


class TestNewAppointmentBox:
    def test_closed_it_is_a_link_and_lists_no_patients(self, staff_client, ravi):
        html = staff_client.get("/appointments/").content.decode()
        assert "New appointment</a>" in box(html)
        assert "Ravi Kumar" not in box(html)

    def test_open_it_lists_this_clinics_patients_only(self, staff_client, doctor, other_doctor, ravi):
        make_patient(other_doctor, name="Someone Else")
        make_patient(doctor, name="Gone Patient", erased_at=NOW)
        html = box(staff_client.get("/appointments/?new=1").content.decode())
        assert "Ravi Kumar · +91 98123 45678" in html
        assert "Someone Else" not in html and "Gone Patient" not in html

    def test_a_search_narrows_the_patients_by_name_or_number(self, staff_client, doctor, ravi):
        make_patient(doctor, name="Asha Patil", wa_id="919800011122")
        by_name = box(staff_client.get("/appointments/?new=1&q=ravi").content.decode())
        assert "Ravi Kumar" in by_name and "Asha Patil" not in by_name
        by_number = box(staff_client.get("/appointments/?new=1&q=98000+111").content.decode())
        assert "Asha Patil" in by_number and "Ravi Kumar" not in by_number

    def test_the_days_free_times_include_the_minimum_notice_and_leave_out_taken_ones(self, staff_client, doctor, ravi):
        make_appointment(doctor, ist("2026-11-26 10:00"))
        make_appointment(doctor, ist("2026-11-26 11:00"), status=Appointment.Status.CANCELLED)
        response = staff_client.get(f"/appointments/?new=1&patient={ravi.pk}&new_day=2026-11-26")
        offered = times_offered(box(response.content.decode()))
        assert offered[:4] == [
            slot("2026-11-26 09:00"),
            slot("2026-11-26 09:30"),
            slot("2026-11-26 10:30"),
            slot("2026-11-26 11:00"),
        ]
        assert slot("2026-11-26 10:00") not in offered
        assert len(offered) == 17  # 18 half hours, one taken
        assert "9:00 AM" in box(response.content.decode())
        assert "Book Ravi Kumar</button>" in box(response.content.decode())

    def test_a_closed_day_has_no_free_times(self, staff_client, ravi):
        html = box(staff_client.get(f"/appointments/?new=1&patient={ravi.pk}&new_day=2026-11-29").content.decode())
        assert times_offered(html) == []
        assert "No free times on this day." in html

    def test_another_clinics_patient_in_the_box_is_a_404(self, staff_client, other_doctor):
        theirs = make_patient(other_doctor, name="Someone Else")
        assert staff_client.get(f"/appointments/?new=1&patient={theirs.pk}").status_code == 404


class TestStaffBooking:
    def test_the_desk_books_inside_the_minimum_notice_and_over_the_patients_limit(
        self, staff_client, doctor, staff, ravi
    ):
        make_appointment(doctor, ist("2026-11-30 10:00"), patient=ravi)  # his one allowed upcoming visit
        response = staff_client.post(
            "/appointments/new",
            {
                "doctor": doctor.pk,
                "patient": ravi.pk,
                "start": slot("2026-11-26 09:00"),
                "reason": "Fever",
                "days": "7",
            },
        )
        booked = Appointment.objects.get(patient=ravi, start=ist("2026-11-26 09:00"))
        assert (booked.status, booked.source, booked.reason) == ("booked", "staff", "Fever")
        assert response.status_code == 302
        assert response["Location"] == f"/appointments/?doctor={doctor.pk}&days=7#a-{booked.pk}"
        row = row_html(staff_client.get(response["Location"]).content.decode(), booked)
        assert "Booked Ravi Kumar for Thursday 26 Nov 2026 at 9:00 AM." in row
        event = AuditEvent.objects.get(action=AuditEvent.Action.APPOINTMENT_BOOKED)
        assert (event.user, event.patient, event.appointment_id) == (staff, ravi, booked.pk)

    def test_a_booking_into_a_taken_slot_is_refused_with_a_clear_message(self, staff_client, doctor, ravi):
        taken = make_appointment(doctor, ist("2026-11-26 10:00"))
        response = staff_client.post(
            "/appointments/new",
            {"doctor": doctor.pk, "patient": ravi.pk, "start": slot("2026-11-26 10:00")},
            follow=True,
        )
        assert list(Appointment.objects.filter(start=ist("2026-11-26 10:00"))) == [taken]
        assert not Appointment.objects.filter(patient=ravi).exists()
        html = box(response.content.decode())
        assert "Not booked: Thu 26 Nov, 10:00 AM is already booked, and a slot is never double-booked." in html
        assert "Free nearby: Thu 26 Nov, 9:30 AM; Thu 26 Nov, 10:30 AM" in html
        assert 'role="alert"' in html
        assert f'<option value="{ravi.pk}" selected>' in html  # the box stays open on that patient and day
        assert slot("2026-11-26 10:30") in times_offered(html)

    def test_a_time_when_the_clinic_is_closed_is_refused(self, staff_client, doctor, ravi):
        response = staff_client.post(
            "/appointments/new",
            {"doctor": doctor.pk, "patient": ravi.pk, "start": slot("2026-11-26 19:00")},
            follow=True,
        )
        assert not Appointment.objects.exists()
        assert "Not booked: the clinic is closed at that time (Thu 26 Nov, 7:00 PM)." in box(response.content.decode())

    def test_no_time_chosen_is_asked_again(self, staff_client, doctor, ravi):
        response = staff_client.post(
            "/appointments/new", {"doctor": doctor.pk, "patient": ravi.pk, "start": "10am"}, follow=True
        )
        assert not Appointment.objects.exists()
        assert "Choose one of the free times." in box(response.content.decode())

    def test_a_booking_beyond_the_listed_days_lists_enough_days_to_show_it(self, staff_client, doctor, ravi):
        response = staff_client.post(
            "/appointments/new",
            {"doctor": doctor.pk, "patient": ravi.pk, "start": slot("2026-12-07 10:00"), "days": "7"},
        )
        booked = Appointment.objects.get(patient=ravi)
        assert response["Location"] == f"/appointments/?doctor={doctor.pk}&days=12#a-{booked.pk}"

    def test_another_clinics_patient_is_a_404(self, staff_client, doctor, other_doctor):
        theirs = make_patient(other_doctor, name="Someone Else")
        response = staff_client.post(
            "/appointments/new", {"doctor": doctor.pk, "patient": theirs.pk, "start": slot("2026-11-26 10:00")}
        )
        assert response.status_code == 404
        assert not Appointment.objects.exists()

    def test_another_clinic_is_a_404(self, staff_client, other_doctor):
        theirs = make_patient(other_doctor, name="Someone Else")
        response = staff_client.post(
            "/appointments/new", {"doctor": other_doctor.pk, "patient": theirs.pk, "start": slot("2026-11-26 10:00")}
        )
        assert response.status_code == 404
        assert not Appointment.objects.exists()


class TestMove:
    def test_the_move_panel_offers_the_days_free_times(self, staff_client, doctor, ravi):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"), patient=ravi)
        make_appointment(doctor, ist("2026-11-27 10:30"))
        html = staff_client.get(f"/appointments/?move={visit.pk}").content.decode()
        row = row_html(html, visit)
        offered = times_offered(row)
        assert slot("2026-11-27 10:00") in offered  # its own slot is not taken by itself
        assert "10:00 AM (its time now)" in row
        assert slot("2026-11-27 10:30") not in offered
        assert "Move here</button>" in row
        assert "Move…</a>" not in row
        other = staff_client.get("/appointments/").content.decode()
        assert "Move…</a>" in row_html(other, visit) and "Move here" not in other

    def test_the_desk_moves_a_booking_inside_the_minimum_notice(self, staff_client, doctor, staff, ravi):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"), patient=ravi)
        response = staff_client.post(f"/appointments/{visit.pk}/move", {"start": slot("2026-11-26 09:30"), "days": "3"})
        visit.refresh_from_db()
        assert visit.start == ist("2026-11-26 09:30")
        assert visit.status == Appointment.Status.BOOKED
        assert response["Location"] == f"/appointments/?doctor={doctor.pk}&days=3#a-{visit.pk}"
        row = row_html(staff_client.get(response["Location"]).content.decode(), visit)
        assert (
            "Moved Ravi Kumar&#x27;s appointment from Fri 27 Nov, 10:00 AM to Thursday 26 Nov 2026 at 9:30 AM." in row
        )
        assert AuditEvent.objects.filter(action=AuditEvent.Action.APPOINTMENT_MOVED, user=staff).count() == 1

    def test_a_move_into_a_taken_slot_is_refused(self, staff_client, doctor, ravi):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"), patient=ravi)
        make_appointment(doctor, ist("2026-11-27 11:00"))
        response = staff_client.post(f"/appointments/{visit.pk}/move", {"start": slot("2026-11-27 11:00")}, follow=True)
        visit.refresh_from_db()
        assert visit.start == ist("2026-11-27 10:00")
        row = row_html(response.content.decode(), visit)
        assert "Not moved: Fri 27 Nov, 11:00 AM is already booked, and a slot is never double-booked." in row
        assert "Move here</button>" in row  # the panel stays open on that day

    def test_a_cancelled_appointment_is_not_moved(self, staff_client, doctor, ravi):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"), patient=ravi, status=Appointment.Status.CANCELLED)
        response = staff_client.post(f"/appointments/{visit.pk}/move", {"start": slot("2026-11-27 11:00")}, follow=True)
        visit.refresh_from_db()
        assert visit.start == ist("2026-11-27 10:00")
        assert "the appointment is already cancelled; nothing was changed." in row_html(
            response.content.decode(), visit
        )

    def test_another_clinics_appointment_is_a_404(self, staff_client, other_doctor):
        theirs = make_appointment(other_doctor, ist("2026-11-27 10:00"))
        response = staff_client.post(f"/appointments/{theirs.pk}/move", {"start": slot("2026-11-27 11:00")})
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.start == ist("2026-11-27 10:00")

    def test_another_clinics_appointment_gets_no_move_panel(self, staff_client, other_doctor):
        theirs = make_appointment(other_doctor, ist("2026-11-27 10:00"))
        response = staff_client.get(f"/appointments/?move={theirs.pk}")
        assert response.status_code == 200
        assert response.context["move_form"] is None


class TestGuards:
    @pytest.mark.parametrize("path", ["/appointments/new", "/appointments/{pk}/move"])
    def test_booking_and_moving_need_the_csrf_token_and_a_login(self, staff, doctor, ravi, path):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"))
        url = path.format(pk=visit.pk)
        data = {"doctor": doctor.pk, "patient": ravi.pk, "start": slot("2026-11-27 11:00")}
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(staff)
        assert strict.post(url, data).status_code == 403
        anonymous = Client().post(url, data)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
        assert Client().get(url).status_code == 302
        assert Appointment.objects.count() == 1
        visit.refresh_from_db()
        assert visit.start == ist("2026-11-27 10:00")


class TestJunk:
    JUNK = ["9" * 4301, "9" * 20, "-1", "0", "1.5", "%00", "a%00b", "%ED%A0%80", "%FF", "x" * 3000, ""]

    def test_junk_in_the_boxes_query_gets_the_page_or_a_404(self, staff_client, doctor, ravi):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"), patient=ravi)
        for parameter in ["patient", "new_day", "q", "move", "move_day"]:
            for junk in self.JUNK:
                response = staff_client.get(f"/appointments/?new=1&move={visit.pk}&{parameter}={junk}")
                assert response.status_code in {200, 404}, (parameter, junk[:20])

    def test_junk_in_the_forms_is_refused_not_crashed_and_never_stored(self, staff_client, doctor, ravi):
        visit = make_appointment(doctor, ist("2026-11-27 10:00"), patient=ravi)
        starts = ["0001-01-01T00:00:00+05:30", "9999-12-31T23:59:59-05:00", "2026-11-27T11:00:00", "%00", "9" * 4301]
        for start in starts:
            for url in ["/appointments/new", f"/appointments/{visit.pk}/move"]:
                response = staff_client.post(
                    url, {"doctor": doctor.pk, "patient": ravi.pk, "start": start, "days": "9" * 4301}
                )
                assert response.status_code == 302, (url, start[:20])
        for patient in ["9" * 4301, "9" * 20, "%00", "-1"]:
            body = f"doctor={doctor.pk}&patient={patient}&start={slot('2026-11-27 11:00')}"
            response = staff_client.post("/appointments/new", body, content_type="application/x-www-form-urlencoded")
            assert response.status_code == 404, patient[:20]
        body = f"doctor={doctor.pk}&patient={ravi.pk}&start=2026-11-27T11:00:00%2B05:30&reason=a%00b%ED%A0%80"
        assert (
            staff_client.post("/appointments/new", body, content_type="application/x-www-form-urlencoded").status_code
            == 302
        )
        booked = Appointment.objects.get(start=ist("2026-11-27 11:00"))
        assert booked.reason.startswith("ab") and "\x00" not in booked.reason
        assert not any("\ud800" <= ch <= "\udfff" for ch in booked.reason)
        visit.refresh_from_db()
        assert visit.start == ist("2026-11-27 10:00")
