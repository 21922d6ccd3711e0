"""Emergencies through the signed webhook: every red-flag class in every language pauses the
bot, sends the emergency reply once in the patient's language, and marks the patient "needs
doctor"; after that the bot says nothing at all until the doctor gives the chat back.

One case per class × language (the first urgent corpus message of that cell), on the `db`
fixture with on-commit callbacks run in place: fast enough to run every time.
"""

import json

import pytest
import time_machine
from django.test import Client

from chat import triage
from chat.models import Message
from chat.simulator import webhook_payload
from chat.tests.phone import NOW, make_clinic
from chat.tests.triage_cases import URGENT
from chat.whatsapp.signature import sign
from patients.models import Patient

SECRET = "app-secret-for-emergency-tests"
WA_ID = "919800000911"

# A phrase only the reply in that language carries.
SAYS_IN = {
    triage.EN: "Please call",
    triage.HINGLISH: "par call karein",
    triage.HI: "पर कॉल करें",
    triage.MR: "वर कॉल करा",
    triage.MR_ROMAN: "var call kara",
}


def first_of_each_cell() -> list[tuple[str, str, str]]:
    seen: dict[tuple[str, str], str] = {}
    for label, language, message in URGENT:
        seen.setdefault((label, language), message)
    return [(label, language, message) for (label, language), message in sorted(seen.items())]


CELLS = first_of_each_cell()


@pytest.fixture
def clinic(db, settings, django_capture_on_commit_callbacks):
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.WHATSAPP_APP_SECRET = SECRET
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


def say(doctor, text: str, capture) -> list[Message]:
    """Post one signed message, run what commits would run, return the bot's replies to it."""
    before = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    body = json.dumps(webhook_payload(doctor=doctor, wa_id=WA_ID, name="Sunita Pawar", text=text)).encode()
    with capture(execute=True):
        response = Client().post(
            "/webhooks/whatsapp/",
            data=body,
            content_type="application/json",
            headers={"X-Hub-Signature-256": sign(body, SECRET)},
        )
    assert response.status_code == 200, response.content
    return list(
        Message.objects.filter(
            patient__wa_id=WA_ID, direction=Message.Direction.OUT, sender=Message.Sender.BOT, pk__gt=before
        ).order_by("pk")
    )


def test_every_class_and_language_has_a_case():
    assert len(CELLS) == len(triage.CLASSES) * len(triage.LANGUAGES)


@pytest.mark.parametrize(("label", "language", "message"), CELLS, ids=[f"{c}-{lang}" for c, lang, _ in CELLS])
def test_an_emergency_pauses_the_bot_and_is_answered_once_in_the_patients_language(
    clinic, django_capture_on_commit_callbacks, label, language, message
):
    [reply] = say(clinic, message, django_capture_on_commit_callbacks)
    assert reply.text.startswith("🚨")
    assert "*112*" in reply.text and "*108*" in reply.text
    assert ("*14416*" in reply.text) == (label == "self_harm")
    assert SAYS_IN[language] in reply.text, reply.text
    assert reply.status in (Message.Status.SENT, Message.Status.DELIVERED)
    patient = Patient.objects.get(doctor=clinic, wa_id=WA_ID)
    assert patient.ai_paused and patient.ai_pause_reason == "emergency"
    assert patient.bot_state == Patient.BotState.NEEDS_DOCTOR
    # Paused: neither the same alarm again nor anything else gets a bot reply.
    assert say(clinic, message, django_capture_on_commit_callbacks) == []
    assert say(clinic, "hello? menu", django_capture_on_commit_callbacks) == []
    assert Message.objects.filter(patient=patient, direction=Message.Direction.IN).count() == 3


def test_an_emergency_number_set_by_the_clinic_comes_first(clinic, django_capture_on_commit_callbacks):
    clinic.emergency_number = "+91 20 2612 3456"
    clinic.save(update_fields=["emergency_number"])
    [reply] = say(clinic, "papa behosh ho gaye", django_capture_on_commit_callbacks)
    assert reply.text.index("*+91 20 2612 3456*") < reply.text.index("*108*")


def test_a_near_miss_is_answered_by_the_bot_and_does_not_pause_it(clinic, django_capture_on_commit_callbacks):
    """'Had a heart attack years ago, need a checkup' is a patient to serve, not an alarm."""
    replies = say(
        clinic, "I had a heart attack 5 years ago, need a routine checkup", django_capture_on_commit_callbacks
    )
    assert replies and not replies[0].text.startswith("🚨")
    assert not Patient.objects.get(doctor=clinic, wa_id=WA_ID).ai_paused


# --- the per-user alert setting the live page reads -----------------------------------------


@pytest.fixture
def desk(clinic, django_user_model):
    user = django_user_model.objects.create_user(username="frontdesk", password="x")
    clinic.members.add(user)
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_alerts_are_on_until_the_user_turns_them_off_and_the_page_is_told(desk):
    assert desk.get("/api/chat/alerts").json() == {"emergencyAlerts": True}
    assert b'"emergencyAlerts": true' in desk.get("/chat/").content
    response = desk.post("/api/chat/alerts", data={"emergencyAlerts": False}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"emergencyAlerts": False}
    assert desk.get("/api/chat/alerts").json() == {"emergencyAlerts": False}
    assert b'"emergencyAlerts": false' in desk.get("/chat/").content


@pytest.mark.parametrize("value", [None, "no", 0, [], {}])
def test_an_alert_setting_that_is_not_true_or_false_is_refused(desk, value):
    response = desk.post("/api/chat/alerts", data={"emergencyAlerts": value}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert desk.get("/api/chat/alerts").json() == {"emergencyAlerts": True}


def test_the_alert_setting_needs_a_login(clinic):
    assert Client().get("/api/chat/alerts").status_code == 401
