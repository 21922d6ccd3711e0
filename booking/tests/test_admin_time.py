"""Admin in the clinic's time: an 11:00 IST visit reads 11:00, times typed are IST, "Today" is the
IST date; staff book, move and cancel through booking.services (never into a taken slot);
overlapping or inverted hours and backwards time off are refused in words.

The clinic is factories.CLINIC_HOURS in India, 30-minute slots. Monday 7 December 2026.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from booking.models import Appointment, TimeOff, WeeklyHours
from booking.tests.admin_forms import add_inline_row, form_data
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient
from patients.demo import front_desk_group
from patients.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = ist("2026-12-07 08:00")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def doctor():
    return make_doctor(name="Dr. Meera Joshi", min_notice_minutes=120, max_future_appointments=1)


@pytest.fixture
def desk(client, doctor):
    user = User.objects.create_user("desk", password="pw-desk-123", is_staff=True)
    user.groups.add(front_desk_group())
    doctor.members.add(user)
    client.force_login(user)
    return user


def appointment_url(appointment=None):
    if appointment is None:
        return reverse("admin:booking_appointment_add")
    return reverse("admin:booking_appointment_change", args=[appointment.pk])


class TestShownInClinicTime:
    def test_an_11_am_ist_visit_reads_11_00_in_the_list_and_the_form(self, client, doctor, desk):
        appointment = make_appointment(doctor, ist("2026-12-08 11:00"))

        listing = client.get(reverse("admin:booking_appointment_changelist"))
        page = client.get(appointment_url(appointment))

        assert "Tue 08/12/2026 11:00 IST" in listing.text
        assert "start (clinic time)" in listing.text.lower()
        assert "05:30" not in listing.text
        assert "Times are in clinic time: IST, Asia/Kolkata" in page.text
        form = page.context["adminform"].form
        assert form["start"].value().astimezone(doctor.tz).time() == dt.time(11, 0)
        assert 'value="11:00:00"' in page.text
        assert "Clinic time (IST): Today and Now fill the clinic" in page.text

    def test_datetime_columns_name_the_zone(self, client, doctor, desk):
        patient = make_patient(doctor, last_message_at=ist("2026-12-07 07:45"))
        listing = client.get(reverse("admin:patients_patient_changelist"))
        assert "last message at (ist)" in listing.text.lower()
        assert "7:45" in listing.text or "07:45" in listing.text
        assert patient.name in listing.text or patient.wa_id in listing.text

    def test_pages_carry_the_clinics_offset_for_the_calendars_today_and_now(self, client, doctor, desk):
        page = client.get(reverse("admin:booking_timeoff_add"))
        assert 'data-admin-utc-offset="19800"' in page.text

    def test_the_today_filter_is_the_ist_date_just_after_midnight(self, client, doctor, desk):
        AuditEvent.objects.create(action="login", doctor=doctor, at=ist("2026-12-08 00:10"))  # today in India
        AuditEvent.objects.create(action="logout", doctor=doctor, at=ist("2026-12-07 20:00"))  # today in UTC
        url = reverse("admin:patients_auditevent_changelist")
        with time_machine.travel(ist("2026-12-08 00:30"), tick=False):  # 19:00 UTC on the 7th
            client.force_login(desk)  # a new shift: the earlier session has timed out
            listing = client.get(url)
            cl = listing.context["cl"]
            at_filter = next(spec for spec in cl.filter_specs if getattr(spec, "field_path", "") == "at")
            today = next(choice for choice in at_filter.choices(cl) if choice["display"] == "Today")
            filtered = client.get(url + today["query_string"])
        assert "2026-12-08" in today["query_string"]
        assert [event.action for event in filtered.context["cl"].result_list] == ["login"]

    def test_the_clinic_time_does_not_leak_past_the_request(self, client, doctor, desk):
        from django.utils import timezone

        client.get(reverse("admin:booking_appointment_changelist"))
        assert timezone.get_current_timezone_name() == "UTC"


class TestStaffAppointments:
    def test_a_time_typed_in_admin_is_read_in_clinic_time(self, client, doctor, desk):
        patient = make_patient(doctor)
        make_appointment(doctor, ist("2026-12-09 10:00"), patient=patient)  # at the per-patient limit

        response = client.post(
            appointment_url(),
            {"doctor": doctor.pk, "patient": patient.pk, "start_0": "07/12/2026", "start_1": "09:00", "reason": "x"},
        )
        assert response.status_code == 200, "an earlier booking would only pass as a form error here"
        response = client.post(
            appointment_url(),
            {
                "doctor": doctor.pk,
                "patient": patient.pk,
                "start_0": "2026-12-07",
                "start_1": "10:30",
                "reason": "fever",
            },
        )

        assert response.status_code == 302, response.context["adminform"].form.errors
        booked = Appointment.objects.get(patient=patient, start__date=dt.date(2026, 12, 7))
        assert booked.start == ist("2026-12-07 10:30")  # inside the 2-hour notice, over the limit: staff may
        assert booked.source == Appointment.Source.STAFF
        assert AuditEvent.objects.filter(action=AuditEvent.Action.APPOINTMENT_BOOKED, user=desk).count() == 1

    def test_a_staff_booking_into_a_taken_slot_is_refused_with_a_clear_message(self, client, doctor, desk):
        make_appointment(doctor, ist("2026-12-07 11:00"))
        patient = make_patient(doctor)

        response = client.post(
            appointment_url(),
            {"doctor": doctor.pk, "patient": patient.pk, "start_0": "2026-12-07", "start_1": "11:00"},
        )

        assert response.status_code == 200
        [error] = response.context["adminform"].form.errors["start"]
        assert error.startswith("That time is already booked")
        assert "Free nearby: Mon 07/12 10:30" in error and "(IST)" in error
        assert not Appointment.objects.filter(patient=patient).exists()

    def test_moving_in_admin_goes_through_the_service(self, client, doctor, desk):
        appointment = make_appointment(doctor, ist("2026-12-08 10:00"))
        make_appointment(doctor, ist("2026-12-08 11:00"))
        page = client.get(appointment_url(appointment))
        data = form_data(page)

        refused = client.post(appointment_url(appointment), {**data, "start_1": "11:00"})
        moved = client.post(appointment_url(appointment), {**data, "start_1": "12:00"})

        assert "That time is already booked" in refused.text
        assert moved.status_code == 302
        appointment.refresh_from_db()
        assert appointment.start == ist("2026-12-08 12:00")
        assert AuditEvent.objects.filter(action=AuditEvent.Action.APPOINTMENT_MOVED).count() == 1

    def test_cancelling_and_marking_in_admin(self, client, doctor, desk):
        cancelled = make_appointment(doctor, ist("2026-12-08 10:00"))
        seen = make_appointment(doctor, ist("2026-12-07 10:00"))
        client.post(
            appointment_url(cancelled), {**form_data(client.get(appointment_url(cancelled))), "status": "cancelled"}
        )
        client.post(appointment_url(seen), {**form_data(client.get(appointment_url(seen))), "status": "completed"})
        again = client.post(
            appointment_url(cancelled), {**form_data(client.get(appointment_url(cancelled))), "status": "booked"}
        )

        assert Appointment.objects.get(pk=cancelled.pk).status == "cancelled"
        assert Appointment.objects.get(pk=seen.pk).status == "completed"
        assert "add a new appointment" in again.text
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {AuditEvent.Action.APPOINTMENT_CANCELLED, AuditEvent.Action.APPOINTMENT_MARKED} <= actions

    def test_the_list_marks_appointments_in_time_off(self, client, doctor, desk):
        make_appointment(doctor, ist("2026-12-08 10:00"))
        TimeOff.objects.create(doctor=doctor, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8))
        listing = client.get(reverse("admin:booking_appointment_changelist"))
        assert "In time off: move or cancel it" in listing.text


class TestScheduleValidation:
    def test_overlapping_weekly_hours_are_refused_in_the_weekly_hours_admin(self, client, doctor, desk):
        # CLINIC_HOURS has Monday 10:00–13:00.
        response = client.post(
            reverse("admin:booking_weeklyhours_add"),
            {"doctor": doctor.pk, "weekday": 0, "start": "11:00", "end": "11:30"},
        )
        assert response.status_code == 200
        assert "overlaps 10:00–13:00 on the same day" in response.text
        assert WeeklyHours.objects.filter(doctor=doctor, weekday=0).count() == 2

    def test_inverted_weekly_hours_are_refused(self, client, doctor, desk):
        response = client.post(
            reverse("admin:booking_weeklyhours_add"),
            {"doctor": doctor.pk, "weekday": 6, "start": "12:00", "end": "10:00"},
        )
        assert "The interval must end after it starts (12:00)." in response.text

    def test_overlapping_hours_in_the_doctor_page_are_refused(self, client, doctor, desk):
        WeeklyHours.objects.filter(doctor=doctor).exclude(weekday=0).delete()
        url = reverse("admin:patients_doctor_change", args=[doctor.pk])
        data = form_data(client.get(url))
        add_inline_row(data, "weekly_hours", doctor=doctor.pk, weekday=2, start="10:00", end="12:00")
        add_inline_row(data, "weekly_hours", doctor=doctor.pk, weekday=2, start="11:00", end="11:30")

        response = client.post(url, data)

        assert response.status_code == 200
        assert "Wednesday: 10:00–12:00 and 11:00–11:30 overlap." in response.text
        assert not WeeklyHours.objects.filter(doctor=doctor, weekday=2).exists()

    def test_hours_edited_together_are_checked_against_each_other_not_the_old_rows(self, client, doctor, desk):
        WeeklyHours.objects.filter(doctor=doctor).exclude(weekday=0).delete()
        url = reverse("admin:patients_doctor_change", args=[doctor.pk])
        data = form_data(client.get(url))
        morning = next(key for key, value in data.items() if key.startswith("weekly_hours-") and value == dt.time(10))
        data[morning.replace("-start", "-end")] = "11:00"  # 10:00–13:00 becomes 10:00–11:00 …
        add_inline_row(
            data, "weekly_hours", doctor=doctor.pk, weekday=0, start="11:30", end="12:30"
        )  # … and 11:30–12:30

        response = client.post(url, data)

        assert response.status_code == 302, response.context and response.context.get("errors")
        assert list(WeeklyHours.objects.filter(doctor=doctor, weekday=0).values_list("start", "end")) == [
            (dt.time(10), dt.time(11)),
            (dt.time(11, 30), dt.time(12, 30)),
            (dt.time(17), dt.time(20)),
        ]

    def test_time_off_that_ends_before_it_starts_is_refused(self, client, doctor, desk):
        response = client.post(
            reverse("admin:booking_timeoff_add"),
            {"doctor": doctor.pk, "start_date": "2026-12-10", "end_date": "2026-12-09"},
        )
        assert "The time off ends (09/12/2026) before it starts (10/12/2026)." in response.text
        times = client.post(
            reverse("admin:booking_timeoff_add"),
            {
                "doctor": doctor.pk,
                "start_date": "2026-12-10",
                "end_date": "2026-12-10",
                "start_time": "14:00",
                "end_time": "12:00",
            },
        )
        assert "The time off must end after it starts (14:00)." in times.text
        assert not TimeOff.objects.exists()


def test_the_patient_page_lists_visits_in_clinic_time_read_only(client, doctor, desk):
    patient = make_patient(doctor)
    appointment = make_appointment(doctor, ist("2026-12-08 11:00"), patient=patient)
    url = reverse("admin:patients_patient_change", args=[patient.pk])

    page = client.get(url)
    data = form_data(page)
    saved = client.post(url, {**data, "appointments-0-status": "cancelled"})

    assert "Tue 08/12/2026 11:00" in page.text
    assert saved.status_code == 302
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED


def test_a_superuser_sees_each_appointment_in_its_own_clinics_time(client):
    dubai = make_doctor(name="Dr. Dubai", timezone="Asia/Dubai")  # the first clinic
    pune = make_doctor(name="Dr. Pune")
    client.force_login(User.objects.create_superuser("root", password="pw-root-123"))
    there = make_appointment(dubai, ist("2026-12-08 11:30"))  # 10:00 in Dubai

    page = client.get(appointment_url(there))
    added = client.post(
        appointment_url(),
        {"doctor": pune.pk, "patient": make_patient(pune).pk, "start_0": "2026-12-08", "start_1": "11:00"},
    )

    assert "Times are in clinic time: Asia/Dubai." in page.text
    assert 'value="10:00:00"' in page.text
    assert added.status_code == 302
    assert Appointment.objects.get(doctor=pune).start == ist("2026-12-08 11:00")  # Pune's 11:00, not Dubai's


def test_the_time_off_mark_costs_one_query_per_clinic_not_per_row(client, doctor, desk, django_assert_max_num_queries):
    TimeOff.objects.create(doctor=doctor, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 8))
    for hour in (10, 11, 12):
        make_appointment(doctor, ist(f"2026-12-08 {hour}:00"))
    url = reverse("admin:booking_appointment_changelist")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).text.count("In time off: move or cancel it") == 3
    for hour in range(10, 13):
        make_appointment(doctor, ist(f"2026-12-09 {hour}:30"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
