"""A patient who just types a time ("kal shaam 5 baje") is asking to book it."""

import datetime as dt

import pytest
import time_machine

from chat.simulator import webhook_payload
from clinicbot.demo import seed_demo
from patients.models import Doctor, Patient

# Wednesday 25 Nov 2026, 11:00 IST: tomorrow (Thursday) is open 10–13 and 17–20 in the demo.
NOW = dt.datetime(2026, 11, 25, 5, 30, tzinfo=dt.UTC)


@pytest.fixture
def doctor(transactional_db):
    with time_machine.travel(NOW, tick=False):
        seed_demo()
    return Doctor.objects.get(phone_number_id="100200300400500")


def say(client, doctor, text):
    client.post(
        "/webhooks/whatsapp/",
        webhook_payload(doctor=doctor, wa_id="919800000066", name="Sunita", text=text),
        content_type="application/json",
    )
    patient = Patient.objects.get(wa_id="919800000066")
    return [m.text for m in patient.messages.filter(direction="out").order_by("id")]


def test_a_typed_time_outside_any_flow_books_it(client, doctor):
    """First 'hi' (the menu), then 'kal shaam 5 baje' alone → confirmed for Thursday 5:00 PM."""
    with time_machine.travel(NOW, tick=False):
        say(client, doctor, "hi")
        replies = say(client, doctor, "kal shaam 5 baje")
    assert replies[-1].startswith("Confirmed!") and "Thursday 26 Nov 2026 at 5:00 PM" in replies[-1]
    patient = Patient.objects.get(wa_id="919800000066")
    assert patient.appointments.get().start == dt.datetime(2026, 11, 26, 11, 30, tzinfo=dt.UTC)


def test_a_past_date_is_not_taken_as_a_booking(client, doctor):
    """'my dob is 12/05/1990' is not a request to book 1990."""
    with time_machine.travel(NOW, tick=False):
        say(client, doctor, "hi")
        replies = say(client, doctor, "my dob is 12/05/1990")
    assert "passed" not in replies[-1]
    assert not Patient.objects.get(wa_id="919800000066").appointments.exists()
