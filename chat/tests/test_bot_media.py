"""What the assistant says to a photo, report or voice note (chat/bot_media.py), through the
webhook: outside a booking a file is acknowledged and handed to the doctor; inside one the
booking's question is asked again and the booking goes on; a voice note gets "I can't listen"
with the menu. In the patient's language."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from booking import flow
from chat.bot_media import REASON_PATIENT_SENT_FILE
from chat.models import Message
from chat.tests.media_helpers import media_body, media_root
from chat.tests.phone import make_clinic
from chat.tests.samples import sample
from patients.models import Patient

__all__ = ["media_root"]

ASHA = "919800000001"
NOW = dt.datetime(2026, 1, 1, 0, 5, tzinfo=dt.UTC)  # a Thursday, just after the samples
URL = "/webhooks/whatsapp/"


@pytest.fixture
def clinic(transactional_db, settings, media_root):
    settings.LLM_API_KEY = ""
    settings.WHATSAPP_ACCESS_TOKEN = ""  # the sandbox: nothing leaves the machine
    settings.WHATSAPP_APP_SECRET = ""
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


def post(body: dict):
    return Client().post(URL, data=json.dumps(body).encode(), content_type="application/json")


def text_body(wamid: str, said: str) -> dict:
    body = sample("text.json")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update({"id": wamid, "text": {"body": said}})
    return body


def replies() -> list[Message]:
    return list(Message.objects.filter(patient__wa_id=ASHA, direction=Message.Direction.OUT).order_by("pk"))


def asha() -> Patient:
    return Patient.objects.get(wa_id=ASHA)


@pytest.mark.parametrize(
    ("kind", "mime_type", "said"),
    [
        ("image", "image/jpeg", "Got your photo, the doctor will see it."),
        ("document", "application/pdf", "Got your report"),
    ],
)
def test_a_file_outside_a_flow_is_acknowledged_and_handed_to_the_doctor(clinic, kind, mime_type, said):
    post(
        media_body(kind, "m-1", wamid="wamid.F1", mime_type=mime_type, filename="cbc.pdf" if kind == "document" else "")
    )
    [reply] = replies()
    assert said in reply.text
    patient = asha()
    assert patient.ai_paused and patient.handoff_requested_at is not None
    assert patient.ai_pause_reason == REASON_PATIENT_SENT_FILE


def test_a_captioned_photo_is_acknowledged_in_the_caption_s_language(clinic):
    post(
        media_body("image", "m-2", wamid="wamid.F2", mime_type="image/jpeg", caption="yeh meri report hai, dekh lijiye")
    )
    [reply] = replies()
    assert reply.text.startswith("Aapki photo mil gayi")


def test_a_voice_note_says_the_bot_cannot_listen_and_offers_the_menu_and_the_doctor(clinic):
    post(sample("audio.json"))
    [reply] = replies()
    assert reply.text.startswith("Sorry, I can't listen to voice notes.")
    buttons = [b["reply"]["id"] for b in reply.payload["interactive"]["action"]["buttons"]]
    assert buttons == ["book", "my_appointments", "talk_doctor"]
    assert not asha().ai_paused


def test_a_voice_note_after_hindi_is_answered_in_hindi(clinic):
    post(text_body("wamid.T1", "नमस्ते, मुझे डॉक्टर से मिलना है क्या"))
    post(media_body("audio", "a-1", wamid="wamid.A1", mime_type="audio/ogg; codecs=opus", voice=True))
    assert replies()[-1].text.startswith("माफ़ कीजिए, मैं वॉइस नोट नहीं सुन सकता।")


def test_a_photo_while_the_booking_waits_for_a_time_repeats_the_question_and_the_booking_goes_on(clinic):
    post(text_body("wamid.T2", "book appointment"))
    assert asha().conversation_state == flow.ASK_WHEN
    post(media_body("image", "m-3", wamid="wamid.F3", mime_type="image/jpeg"))
    reply = replies()[-1]
    assert reply.text.startswith("Got your photo, the doctor will see it.")
    assert "When would you like to come?" in reply.text
    patient = asha()
    assert patient.conversation_state == flow.ASK_WHEN and not patient.ai_paused
    post(text_body("wamid.T3", "tomorrow 11am"))
    assert replies()[-1].text.startswith("Confirmed! ✅ Dr. Meera Joshi, Friday 2 Jan 2026 at 11:00 AM.")
