"""/appointments/ marks booked visits that fall in the doctor's time off — "Clinic closed ·
patient told / not told" (booking.closures) — until they are moved out or cancelled.

Frozen at Thursday 26 November 2026, 08:00 in India; the doctor is off on Friday 27.
"""

import datetime as dt
import re

import pytest
import time_machine

from booking.services import appointment_cancel, appointment_reschedule
from booking.tests.factories import ist, make_appointment, make_doctor, make_patient, make_time_off
from chat.notices import tell_covered_patients

pytestmark = pytest.mark.django_db

NOW = ist("2026-11-26 08:00")  # Thursday
OPEN_ALL_DAY = {weekday: [("09:00", "18:00")] for weekday in range(6)}  # Sunday closed


@pytest.fixture(autouse=True)
def frozen(settings, monkeypatch):
    settings.WHATSAPP_ACCESS_TOKEN = ""
    monkeypatch.setattr("chat.outbound.enqueue_send", lambda message_id, **kwargs: None)  # not sending here
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def doctor():
    return make_doctor(hours=OPEN_ALL_DAY, name="Dr. Meera Joshi")


def visit(doctor, when: str, name: str, *, wrote_ago: dt.timedelta):
    patient = make_patient(doctor, name=name, last_inbound_at=NOW - wrote_ago)
    return make_appointment(doctor, ist(when), patient=patient)


def badge(staff_client, appointment) -> str | None:
    html = staff_client.get("/appointments/").content.decode()
    row = re.search(rf'<li class="[^"]*" id="a-{appointment.pk}">(.*?)</li>', html, re.S)
    assert row, f"row of appointment {appointment.pk} not on the page"
    found = re.search(r'<span class="pill pill-closed"[^>]*>([^<]*)</span>', row.group(1))
    return found.group(1) if found else None


def test_two_bookings_in_time_off_are_marked_told_or_not_told(staff_client, doctor, staff):
    asha = visit(doctor, "2026-11-27 10:00", "Asha Patil", wrote_ago=dt.timedelta(hours=1))  # a text reaches her
    ravi = visit(doctor, "2026-11-27 11:00", "Ravi Kumar", wrote_ago=dt.timedelta(days=5))  # no template: not told
    today = visit(doctor, "2026-11-26 10:00", "Sunita Pawar", wrote_ago=dt.timedelta(hours=1))
    time_off = make_time_off(doctor, dt.date(2026, 11, 27))
    assert badge(staff_client, asha) == badge(staff_client, ravi) == "Clinic closed · patient not told"
    assert badge(staff_client, today) is None

    told = tell_covered_patients(doctor=doctor, time_offs=[time_off], user=staff, now=NOW)
    assert sorted(t.outcome for t in told) == ["not told", "told"]
    assert badge(staff_client, asha) == "Clinic closed · patient told"
    assert badge(staff_client, ravi) == "Clinic closed · patient not told"


def test_the_mark_goes_once_the_visit_is_moved_out_or_cancelled(staff_client, doctor):
    asha = visit(doctor, "2026-11-27 10:00", "Asha Patil", wrote_ago=dt.timedelta(hours=1))
    ravi = visit(doctor, "2026-11-27 11:00", "Ravi Kumar", wrote_ago=dt.timedelta(hours=1))
    make_time_off(doctor, dt.date(2026, 11, 27))
    assert appointment_reschedule(appointment=asha, new_start=ist("2026-11-28 10:00"), now=NOW, by_patient=False).ok
    assert appointment_cancel(appointment=ravi, now=NOW, by_patient=False).ok
    assert badge(staff_client, asha) is None
    assert badge(staff_client, ravi) is None


def test_part_of_a_day_off_marks_only_the_visits_inside_it(staff_client, doctor):
    morning = visit(doctor, "2026-11-27 10:00", "Asha Patil", wrote_ago=dt.timedelta(hours=1))
    evening = visit(doctor, "2026-11-27 17:00", "Ravi Kumar", wrote_ago=dt.timedelta(hours=1))
    make_time_off(doctor, dt.date(2026, 11, 27), start_time="09:00", end_time="13:00")
    assert badge(staff_client, morning) == "Clinic closed · patient not told"
    assert badge(staff_client, evening) is None
