"""The handoff reply is honest about when a person will read it: open now, "soon"; at night, on
a closed Sunday, in the lunch break or on a day off, it names when the clinic opens.

The clinic (chat.tests.phone.make_clinic) is open Mon–Sat 10–13 and 17–20 in Pune, closed
on Sunday. Through the signed webhook for the patient's view; `next_opening` directly for the
edge cases.
"""

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.test import Client

from booking.models import TimeOff, WeeklyHours
from chat import handoff
from chat.models import Message
from chat.simulator import webhook_payload
from chat.tests.phone import make_clinic
from chat.whatsapp.signature import sign
from patients.models import Patient

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
SECRET = "app-secret-for-handoff-tests"
WA_ID = "919800000321"


def ist(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=IST)


# 2026-03-10 is a Tuesday; 2026-03-15 a Sunday.
TUESDAY_3AM = ist(2026, 3, 10, 3)
SUNDAY_NOON = ist(2026, 3, 15, 12)
TUESDAY_11AM = ist(2026, 3, 10, 11)


@pytest.fixture
def clinic(db, settings):
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = SECRET
    return make_clinic()


def ask_for_the_doctor(doctor, capture, at: dt.datetime) -> Message:
    body = json.dumps(webhook_payload(doctor=doctor, wa_id=WA_ID, name="Anil Kulkarni", text="talk to doctor")).encode()
    with time_machine.travel(at, tick=False), capture(execute=True):
        response = Client().post(
            "/webhooks/whatsapp/",
            data=body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": sign(body, SECRET)},
        )
    assert response.status_code == 200
    [reply] = Message.objects.filter(patient__wa_id=WA_ID, direction=Message.Direction.OUT, sender=Message.Sender.BOT)
    assert Patient.objects.get(wa_id=WA_ID).bot_state == Patient.BotState.NEEDS_DOCTOR
    return reply


def test_at_three_in_the_night_the_handoff_says_the_clinic_opens_at_ten(clinic, django_capture_on_commit_callbacks):
    reply = ask_for_the_doctor(clinic, django_capture_on_commit_callbacks, TUESDAY_3AM)
    assert "closed now and opens today at 10:00" in reply.text
    assert "soon" not in reply.text and "call 112" in reply.text


def test_on_a_sunday_the_handoff_says_the_clinic_opens_tomorrow(clinic, django_capture_on_commit_callbacks):
    reply = ask_for_the_doctor(clinic, django_capture_on_commit_callbacks, SUNDAY_NOON)
    assert "closed now and opens tomorrow at 10:00" in reply.text
    assert "call 112" in reply.text


def test_while_open_the_handoff_promises_a_reply_soon(clinic, django_capture_on_commit_callbacks):
    reply = ask_for_the_doctor(clinic, django_capture_on_commit_callbacks, TUESDAY_11AM)
    assert "reply to you here soon" in reply.text and "closed" not in reply.text


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        (ist(2026, 3, 10, 3), ist(2026, 3, 10, 10)),  # night: this morning
        (ist(2026, 3, 10, 14), ist(2026, 3, 10, 17)),  # lunch break: this evening
        (ist(2026, 3, 10, 20, 30), ist(2026, 3, 11, 10)),  # after closing: tomorrow
        (ist(2026, 3, 14, 21), ist(2026, 3, 16, 10)),  # Saturday night: Monday
        (ist(2026, 3, 10, 12, 59), ist(2026, 3, 10, 12, 59)),  # open: now
    ],
)
def test_next_opening_follows_the_weekly_hours(clinic, now, opens):
    assert handoff.next_opening(doctor=clinic, now=now) == opens


def test_a_day_off_and_hours_off_are_skipped(clinic):
    TimeOff.objects.create(doctor=clinic, start_date=dt.date(2026, 3, 16), end_date=dt.date(2026, 3, 17))
    TimeOff.objects.create(
        doctor=clinic,
        start_date=dt.date(2026, 3, 18),
        end_date=dt.date(2026, 3, 18),
        start_time=dt.time(9),
        end_time=dt.time(11),
    )
    saturday_night = ist(2026, 3, 14, 21)
    assert handoff.next_opening(doctor=clinic, now=saturday_night) == ist(2026, 3, 18, 11)
    assert handoff.when_open_in_words(opens=ist(2026, 3, 18, 11), now=saturday_night) == "on Wednesday at 11:00"


def test_a_clinic_closed_for_weeks_or_without_hours_says_when_it_reopens(clinic):
    now = ist(2026, 3, 10, 3)
    TimeOff.objects.create(doctor=clinic, start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 4, 30))
    assert handoff.next_opening(doctor=clinic, now=now) is None
    assert "when it reopens" in handoff.handoff_text(doctor=clinic, reason=handoff.REASON_PATIENT_ASKED, now=now)
    WeeklyHours.objects.filter(doctor=clinic).delete()
    TimeOff.objects.all().delete()
    assert handoff.next_opening(doctor=clinic, now=now) is None


def test_the_opening_is_read_in_the_clinics_timezone(clinic):
    """22:00 UTC on Monday is 03:30 on Tuesday in Pune: the clinic opens "today" at 10:00."""
    now = dt.datetime(2026, 3, 9, 22, 0, tzinfo=dt.UTC)
    opens = handoff.next_opening(doctor=clinic, now=now)
    assert opens == ist(2026, 3, 10, 10)
    assert handoff.when_open_in_words(opens=opens, now=now) == "today at 10:00"


def test_an_opening_more_than_a_week_away_names_the_date(clinic):
    now = ist(2026, 3, 10, 3)
    assert handoff.when_open_in_words(opens=ist(2026, 3, 23, 10), now=now) == "on Mon 23 Mar at 10:00"
