"""A patient asking for their lab report or prescription is handed to the clinic team, not
told "I can't give medical advice"; a health question about a report is still a health question,
and an emergency still comes first."""

import pytest
import time_machine

from chat.intents import Intent, classify
from chat.tests.phone import NOW, Phone, button_ids, make_clinic
from patients.models import Patient

REQUESTS = [
    # English
    "Please send my lab report",
    "Please send my prescription",
    "send me my blood test report",
    "pls share my reports",
    "is my report ready?",
    "chest x-ray report is ready?",
    "my report",
    # Hinglish
    "meri report bhej do",
    "prescription bhejo",
    "report aayi kya?",
    "meri report kab milegi",
    "report send kar do",
    "meri report?",
    # Hindi
    "रिपोर्ट भेजो",
    "मेरी रिपोर्ट",
    "प्रिस्क्रिप्शन भेजो",
    # Marathi
    "रिपोर्ट पाठवा",
    "report pathva",
    "maza report pathvun dya",
    "report aala ka?",
]

# Telling the clinic a report was sent is not asking for it.
NOT_REQUESTS = ["report bhej diya hai", "maine prescription bhej di", "मैंने रिपोर्ट भेज दी थी"]

HEALTH_QUESTIONS = [
    "my report shows high cholesterol, what should I eat?",
    "my sugar report is 250, is it dangerous?",
    "report me sugar 450 hai, chakkar aa raha hai",
    "मेरी रिपोर्ट में शुगर ज़्यादा है, क्या खाना चाहिए?",
]


@pytest.fixture
def clinic(db, settings):
    """The demo-like clinic, open (a Tuesday morning), emergency number 108, no LLM."""
    settings.LLM_API_KEY = ""
    with time_machine.travel(NOW, tick=False):
        yield make_clinic(emergency_number="108")


@pytest.mark.parametrize("typed", REQUESTS)
def test_a_request_for_a_report_or_prescription_is_a_document_request(typed):
    """English, Hinglish, Hindi and Marathi requests for a document the clinic holds."""
    assert classify(text=typed).intent == Intent.DOCUMENT_REQUEST


@pytest.mark.parametrize("typed", NOT_REQUESTS)
def test_saying_a_report_was_sent_is_not_a_request(typed):
    """ "bhej diya" reports a past send; only the asking forms ("bhej do", "bhejo") are requests."""
    assert classify(text=typed).intent != Intent.DOCUMENT_REQUEST


@pytest.mark.parametrize("typed", HEALTH_QUESTIONS)
def test_a_health_question_about_a_report_stays_a_health_question(typed):
    """Naming the report inside a question about what it shows is not asking for it."""
    assert classify(text=typed).intent == Intent.HEALTH


@pytest.mark.parametrize("typed", ["Please send my lab report", "prescription bhejo", "रिपोर्ट पाठवा"])
def test_the_request_is_handed_to_the_clinic_team_without_the_medical_advice_line(clinic, typed):
    """The patient is told the clinic team will send it here; the inbox shows "needs doctor"."""
    phone = Phone(clinic)
    [reply] = phone.send(typed)
    assert "passed your request to the clinic team" in reply.text and "send it to you here" in reply.text
    assert "medical advice" not in reply.text
    patient = phone.patient
    assert patient.ai_paused and patient.ai_pause_reason == "patient asked for a report or prescription"
    assert patient.bot_state == Patient.BotState.NEEDS_DOCTOR


@pytest.mark.parametrize("typed", HEALTH_QUESTIONS)
def test_a_health_question_about_a_report_gets_the_no_medical_advice_answer(clinic, typed):
    """The bot does not hand over: it says it can't advise, and how to reach the doctor."""
    phone = Phone(clinic)
    phone.send("hi")
    [reply] = phone.send(typed)
    assert "I can't give medical advice" in reply.text
    assert button_ids(reply) == ["book", "talk_doctor", "menu"]
    assert not phone.patient.ai_paused


@pytest.mark.parametrize(
    "typed",
    [
        "report bhejo, abhi seene mein dard ho raha hai",
        "send my report, my father cant breathe right now",
        # Without "abhi" or "right now": the report frames only its own clause.
        "send my report, my father cant breathe",
        "report bhejo, seene mein dard ho raha hai",
        "meri report bhej do, papa behosh ho gaye",
    ],
)
def test_an_emergency_that_mentions_a_report_gets_the_emergency_reply_first(clinic, typed):
    """Red-flag triage runs before the intents: the emergency number, not "the team will send it"."""
    phone = Phone(clinic)
    [reply] = phone.send(typed)
    assert "*108*" in reply.text and "passed your request" not in reply.text
    assert phone.patient.ai_pause_reason == "emergency"
