"""The demo tells the seed's story: after `seed_demo`, "Hi → Book appointment → Tomorrow 3pm"
is confirmed on every day whose tomorrow is open, and the hours the bot gives say so."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from booking.models import Appointment, WeeklyHours
from chat.tests.phone import Phone
from clinicbot.demo import seed_demo
from patients.demo import DEMO_PHONE_NUMBER_ID
from patients.models import Doctor

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
# Sunday 22 to Friday 27 November 2026: their tomorrows are Monday to Saturday.
DAYS_WITH_AN_OPEN_TOMORROW = [dt.date(2026, 11, 22) + dt.timedelta(days=n) for n in range(6)]


@pytest.fixture(autouse=True)
def offline(settings):
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = ""


def demo_doctor() -> Doctor:
    return Doctor.objects.get(phone_number_id=DEMO_PHONE_NUMBER_ID)


@pytest.mark.parametrize("today", DAYS_WITH_AN_OPEN_TOMORROW, ids=lambda d: d.strftime("%a"))
def test_tomorrow_3pm_books_in_the_seeded_clinic(transactional_db, today):
    """The README's first scenario, through the real webhook at 11:00 in Pune."""
    with time_machine.travel(dt.datetime.combine(today, dt.time(11), IST), tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        phone = Phone(demo_doctor(), wa_id="919800000321", name="Asha Patil")
        [menu] = phone.send("Hi")
        assert menu.text.startswith("Namaste Asha!")
        phone.tap("book", "Book appointment")
        [confirmed] = phone.send("Tomorrow 3pm")
    tomorrow = today + dt.timedelta(days=1)
    assert confirmed.text.startswith(f"Confirmed! ✅ Dr. Meera Joshi, {tomorrow:%A %-d %b %Y} at 3:00 PM.")
    booked = Appointment.objects.get(patient=phone.patient)
    assert booked.start == dt.datetime.combine(tomorrow, dt.time(15), IST)


def test_on_saturday_tomorrow_is_sunday_and_closed(transactional_db):
    with time_machine.travel(dt.datetime(2026, 11, 28, 11, tzinfo=IST), tick=False):
        seed_demo()
        phone = Phone(demo_doctor(), wa_id="919800000322", name="Asha Patil")
        phone.tap("book", "Book appointment")
        [refused] = phone.send("Tomorrow 3pm")
    assert "closed" in refused.text
    assert not Appointment.objects.filter(patient=phone.patient).exists()


def test_the_bot_gives_the_seeded_hours(transactional_db):
    with time_machine.travel(dt.datetime(2026, 11, 25, 11, tzinfo=IST), tick=False):
        seed_demo()
        [hours] = Phone(demo_doctor(), wa_id="919800000323").send("what are your timings?")
    assert "Mon–Sat: 10:00–13:00, 14:00–20:00" in hours.text
    assert "Sun: closed" in hours.text


def test_a_clinic_seeded_by_an_earlier_version_gets_3pm_and_hours_set_by_staff_are_kept(db):
    """The earlier seed's exact hours (evening 17–20) move to 14–20; a weekday staff changed is
    left as they set it, and nothing overlapping is added."""
    seed_demo()
    doctor = demo_doctor()
    WeeklyHours.objects.filter(doctor=doctor, start=dt.time(14)).update(start=dt.time(17))  # the old seed
    WeeklyHours.objects.filter(doctor=doctor, weekday=5).delete()
    WeeklyHours.objects.create(doctor=doctor, weekday=5, start=dt.time(9), end=dt.time(12))  # staff's Saturday
    seed_demo()
    hours = {
        weekday: [(h.start, h.end) for h in WeeklyHours.objects.filter(doctor=doctor, weekday=weekday)]
        for weekday in range(7)
    }
    afternoon = [(dt.time(10), dt.time(13)), (dt.time(14), dt.time(20))]
    assert hours == {
        0: afternoon,
        1: afternoon,
        2: afternoon,
        3: afternoon,
        4: afternoon,
        5: [(dt.time(9), dt.time(12))],
        6: [],
    }
