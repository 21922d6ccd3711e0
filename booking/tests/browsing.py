"""The browser tests' patients on WhatsApp (test_browser_appointments, test_browser_appointments_typing,
chat's test_browser_emergency): the demo clinic's webhook secret and numbers, a signed webhook
POST as Meta would send it, and a day clear of the seeded visits.
"""

import datetime as dt
import json
import zoneinfo

import requests

from chat.simulator import webhook_payload
from chat.whatsapp.signature import sign
from patients.models import Doctor

SECRET = "app-secret-for-the-browser"
DEMO = Doctor(phone_number_id="100200300400500", display_phone_number="919812300000")  # never saved
IST = zoneinfo.ZoneInfo("Asia/Kolkata")
MEENA, KIRAN = "919800000777", "919800000778"


def patient_says(base_url: str, wa_id: str, name: str, text: str) -> None:
    """A signed WhatsApp webhook POST, over HTTP, as Meta would send it."""
    body = json.dumps(webhook_payload(doctor=DEMO, wa_id=wa_id, name=name, text=text)).encode()
    response = requests.post(
        f"{base_url}/webhooks/whatsapp/",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, SECRET)},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 1


def open_day_clear_of_seeded_visits() -> dt.date:
    """Four days from now, or five if that is a Sunday (the demo clinic is open Mon–Sat). Not
    tomorrow: the seed books its three patients the first free time one, two and three days from
    now (clinicbot/demo.py), at about the current time of day, so between 12:00 and 12:30 IST
    tomorrow's 12:30 PM was taken and this test failed (likewise near 11:30 AM, 5:00-6:00 PM)."""
    day = dt.datetime.now(IST).date() + dt.timedelta(days=4)
    return day if day.weekday() != 6 else day + dt.timedelta(days=1)
