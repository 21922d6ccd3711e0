"""Time off over booked appointments: nothing is cancelled, the appointments are marked, and
each patient is told once with the nearest free times to tap, which moves the visit in chat.

The clinic is the demo's shape (Mon–Sat 10–13 and 17–20, 15-minute slots, an hour's notice).
It is Monday 7 December 2026, 09:00 IST; the doctor takes Tuesday off, where two patients are
booked.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from booking.closures import covered_appointment_ids
from booking.flow import ASK_NEW_TIME
from booking.models import Appointment
from booking.offers import row_id
from booking.tests.chatting import SECRET, WA_ID, SignedPhone, booked_starts, make_clinic
from booking.tests.factories import ist, make_appointment, make_patient, make_time_off
from chat.models import Message, MessageTemplate
from chat.notices import ALREADY_TOLD, CLOSURE_TEMPLATE, NOT_TOLD, TOLD, tell_covered_patients
from patients.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = ist("2026-12-07 09:00")
TUESDAY = dt.date(2026, 12, 8)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic(settings):
    settings.WHATSAPP_APP_SECRET = SECRET
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.LLM_API_KEY = ""
    return make_clinic()


@pytest.fixture
def desk():
    return User.objects.create_user("desk", is_staff=True)


def booked(clinic, when: str, *, wa_id: str, wrote: dt.datetime | None = NOW - dt.timedelta(hours=1)):
    patient = make_patient(clinic, wa_id=wa_id, name=f"Patient {wa_id[-3:]}", last_inbound_at=wrote)
    return make_appointment(clinic, ist(when), patient=patient)


def notices(appointment) -> list[Message]:
    return list(Message.objects.filter(patient=appointment.patient, direction=Message.Direction.OUT))


def tell(clinic, desk):
    return tell_covered_patients(doctor=clinic, time_offs=clinic.time_off.all(), user=desk, now=NOW)


def test_time_off_over_two_bookings_tells_both_patients_once_and_marks_both(clinic, desk):
    first = booked(clinic, "2026-12-08 10:00", wa_id=WA_ID)
    second = booked(clinic, "2026-12-08 17:30", wa_id="919822000222")
    elsewhere = booked(clinic, "2026-12-09 10:00", wa_id="919822000333")
    make_time_off(clinic, TUESDAY)

    told = tell(clinic, desk)
    again = tell(clinic, desk)  # the confirmation posted twice

    assert [t.outcome for t in told] == [TOLD, TOLD]
    assert [t.outcome for t in again] == [ALREADY_TOLD, ALREADY_TOLD]
    for appointment in (first, second):
        [notice] = notices(appointment)
        assert notice.type == Message.Type.INTERACTIVE
        assert notice.sender == Message.Sender.STAFF and notice.sender_user == desk
        assert "closed then" in notice.text and "still booked" in notice.text
        rows = notice.payload["interactive"]["action"]["sections"][0]["rows"]
        assert rows and all(row["id"].startswith(f"move:{appointment.pk}:") for row in rows)
    assert notices(elsewhere) == []
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLOSURE_TOLD).count() == 2
    # Nothing cancelled: both stay booked, and marked, until moved or cancelled.
    assert set(Appointment.objects.filter(status="booked").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        elsewhere.pk,
    }
    assert covered_appointment_ids(clinic, Appointment.objects.all()) == {first.pk, second.pk}


def test_the_nearest_free_times_offered_avoid_the_day_off(clinic, desk):
    appointment = booked(clinic, "2026-12-08 10:00", wa_id=WA_ID)
    make_time_off(clinic, TUESDAY)

    tell(clinic, desk)

    [notice] = notices(appointment)
    rows = notice.payload["interactive"]["action"]["sections"][0]["rows"]
    titles = [row["title"] for row in rows]
    assert titles and not any(title.startswith("Tue 8 Dec") for title in titles), titles


def test_tapping_an_offered_time_moves_the_appointment_through_the_flow(clinic, desk):
    appointment = booked(clinic, "2026-12-08 10:00", wa_id=WA_ID)
    make_time_off(clinic, TUESDAY)
    tell(clinic, desk)
    patient = appointment.patient
    patient.refresh_from_db()
    assert patient.conversation_state == ASK_NEW_TIME
    assert patient.conversation_data["appointment"] == appointment.pk

    [notice] = notices(appointment)
    row = notice.payload["interactive"]["action"]["sections"][0]["rows"][0]
    phone = SignedPhone(clinic, wa_id=WA_ID, name=patient.name)
    phone.tap(row["id"], row["title"], kind="list_reply")

    assert "moved" in phone.text()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start.astimezone(clinic.tz).date() != TUESDAY
    assert booked_starts(clinic) == [f"{appointment.start.astimezone(clinic.tz):%Y-%m-%d %H:%M}"]
    assert covered_appointment_ids(clinic, [appointment]) == set()


def test_typing_a_time_after_the_notice_moves_that_appointment(clinic, desk):
    appointment = booked(clinic, "2026-12-08 10:00", wa_id=WA_ID)
    make_time_off(clinic, TUESDAY)
    tell(clinic, desk)

    phone = SignedPhone(clinic, wa_id=WA_ID, name="Patient 111")
    phone.send("wednesday 11am")

    assert booked_starts(clinic) == ["2026-12-09 11:00"]
    assert Appointment.objects.get(pk=appointment.pk).start == ist("2026-12-09 11:00")


def test_outside_the_window_the_clinic_template_is_used(clinic, desk):
    appointment = booked(clinic, "2026-12-08 10:00", wa_id=WA_ID, wrote=NOW - dt.timedelta(days=3))
    make_time_off(clinic, TUESDAY)
    MessageTemplate.objects.create(
        doctor=clinic,
        name=CLOSURE_TEMPLATE,
        language="en",
        body="{{1}} is not available at your visit on {{2}}. Reply here to choose another time.",
    )

    [told] = tell(clinic, desk)

    assert told.outcome == TOLD
    [notice] = notices(appointment)
    assert notice.type == Message.Type.TEMPLATE
    assert notice.text == "Dr. Meera Joshi is not available at your visit on Tue 8 Dec, 10:00 AM. " + (
        "Reply here to choose another time."
    )


def test_outside_the_window_without_a_template_nobody_is_told_and_it_says_why(clinic, desk):
    appointment = booked(clinic, "2026-12-08 10:00", wa_id=WA_ID, wrote=None)
    make_time_off(clinic, TUESDAY)

    [told] = tell(clinic, desk)

    assert told.outcome == NOT_TOLD
    assert "template" in told.problem
    assert notices(appointment) == []
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CLOSURE_TOLD).exists()


def test_past_and_cancelled_visits_are_not_told(clinic, desk):
    today = dt.date(2026, 12, 7)
    booked(clinic, "2026-12-07 08:00", wa_id=WA_ID)  # already past (before opening, arranged directly)
    cancelled = booked(clinic, "2026-12-07 10:00", wa_id="919822000222")
    cancelled.status = Appointment.Status.CANCELLED
    cancelled.save()
    make_time_off(clinic, today)

    assert tell(clinic, desk) == []


@pytest.mark.django_db(transaction=True)
def test_two_desks_posting_at_once_tell_each_patient_once(clinic, desk):
    """Four posts of the confirmation race (own connections, released together): the patient
    row lock makes them take turns, and each after the first finds the record. SQLite and PostgreSQL."""
    import threading

    from django.db import connection

    appointments = [
        booked(clinic, "2026-12-08 10:00", wa_id=WA_ID),
        booked(clinic, "2026-12-08 17:30", wa_id="919822000222"),
    ]
    make_time_off(clinic, TUESDAY)
    barrier = threading.Barrier(4)
    outcomes, errors, lock = [], [], threading.Lock()

    def post():
        try:
            barrier.wait(timeout=30)
            told = tell(clinic, desk)
            with lock:
                outcomes.extend(t.outcome for t in told)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(outcomes) == [ALREADY_TOLD] * 6 + [TOLD] * 2
    for appointment in appointments:
        assert len(notices(appointment)) == 1


def test_a_visit_inside_the_cancel_cutoff_that_the_clinic_closed_over_can_still_be_moved(clinic, desk):
    """Today 10:30, an hour and a half away (the cut-off is 2 hours): the clinic closes today, so
    holding the patient to the cut-off would leave them no way to move it."""
    appointment = booked(clinic, "2026-12-07 10:30", wa_id=WA_ID)
    make_time_off(clinic, NOW.astimezone(clinic.tz).date())
    tell(clinic, desk)

    [notice] = notices(appointment)
    row = notice.payload["interactive"]["action"]["sections"][0]["rows"][0]
    phone = SignedPhone(clinic, wa_id=WA_ID, name=appointment.patient.name)
    phone.tap(row["id"], row["title"], kind="list_reply")

    assert "moved" in phone.text()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.start.astimezone(clinic.tz).date() != NOW.astimezone(clinic.tz).date()


def test_a_visit_inside_the_cutoff_with_the_clinic_open_is_still_too_late_to_move(clinic):
    appointment = booked(clinic, "2026-12-07 10:30", wa_id=WA_ID)
    phone = SignedPhone(clinic, wa_id=WA_ID, name=appointment.patient.name)
    phone.tap(row_id(ist("2026-12-09 11:00"), appointment), "Wed 9 Dec, 11:00 AM", kind="list_reply")

    assert "too late" in phone.text().lower() or "call" in phone.text().lower(), phone.text()
    appointment.refresh_from_db()
    assert appointment.start == ist("2026-12-07 10:30")
