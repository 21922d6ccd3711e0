"""What the assistant says to a photo, report, video or voice note (issue 16, item 5).

Outside a booking: a photo, document or video is acknowledged ("Got your report, the doctor
will see it") and the conversation is handed to the doctor (the inbox shows "needs doctor"),
since a file is nearly always something for the doctor to look at, and the bot cannot read it.
A voice note gets "I can't listen to voice notes" with the menu, whose third button is the doctor.

Inside a booking the flow is not broken: the file is acknowledged, nobody is paused, and the
question the flow is waiting for is asked again, so the patient's next "tomorrow 5pm" still books.

The patient reads it in their language (English, Hinglish, Hindi, Marathi), told from the caption
or else their latest typed message, as the emergency reply is (chat.triage.detect_language).
"""

import datetime as dt

from booking import flow, visits
from booking.context import Talk
from booking.messages import TYPE_HINT
from chat import handoff, triage
from chat.models import Message
from clinicbot.replies import MENU_BUTTONS, Reply, with_buttons
from patients.models import Patient

REASON_PATIENT_SENT_FILE = "patient sent a file"
ACKNOWLEDGED = frozenset({Message.Type.IMAGE, Message.Type.DOCUMENT, Message.Type.VIDEO})
VOICE = Message.Type.AUDIO
HANDLED = ACKNOWLEDGED | {VOICE}

GOT = {  # (language, message type): the acknowledgement
    (triage.EN, "image"): "Got your photo, the doctor will see it. 🙏",
    (triage.EN, "document"): "Got your report, the doctor will see it. 🙏",
    (triage.EN, "video"): "Got your video, the doctor will see it. 🙏",
    (triage.HINGLISH, "image"): "Aapki photo mil gayi, doctor ise dekhenge. 🙏",
    (triage.HINGLISH, "document"): "Aapki report mil gayi, doctor ise dekhenge. 🙏",
    (triage.HINGLISH, "video"): "Aapka video mil gaya, doctor ise dekhenge. 🙏",
    (triage.HI, "image"): "आपकी फ़ोटो मिल गई, डॉक्टर इसे देखेंगे। 🙏",
    (triage.HI, "document"): "आपकी रिपोर्ट मिल गई, डॉक्टर इसे देखेंगे। 🙏",
    (triage.HI, "video"): "आपका वीडियो मिल गया, डॉक्टर इसे देखेंगे। 🙏",
    (triage.MR, "image"): "तुमचा फोटो मिळाला, डॉक्टर तो पाहतील. 🙏",
    (triage.MR, "document"): "तुमचा रिपोर्ट मिळाला, डॉक्टर तो पाहतील. 🙏",
    (triage.MR, "video"): "तुमचा व्हिडिओ मिळाला, डॉक्टर तो पाहतील. 🙏",
    (triage.MR_ROMAN, "image"): "Tumcha photo milala, doctor to baghtil. 🙏",
    (triage.MR_ROMAN, "document"): "Tumcha report milala, doctor to baghtil. 🙏",
    (triage.MR_ROMAN, "video"): "Tumcha video milala, doctor to baghtil. 🙏",
}
CANT_LISTEN = {
    triage.EN: "Sorry, I can't listen to voice notes.",
    triage.HINGLISH: "Maaf kijiye, main voice note nahi sun sakta.",
    triage.HI: "माफ़ कीजिए, मैं वॉइस नोट नहीं सुन सकता।",
    triage.MR: "माफ करा, मी व्हॉइस नोट ऐकू शकत नाही.",
    triage.MR_ROMAN: "Maaf kara, mi voice note aiku shakat nahi.",
}
TYPE_OR_CHOOSE = {
    triage.EN: "Please type your question, or choose from the menu below — *Talk to doctor* reaches the clinic team.",
    triage.HINGLISH: "Apna sawaal type kijiye, ya neeche menu se chuniye — *Talk to doctor* se clinic team se baat hogi.",
    triage.HI: "अपना सवाल टाइप कीजिए, या नीचे मेन्यू से चुनिए — *Talk to doctor* से क्लिनिक टीम से बात होगी।",
    triage.MR: "तुमचा प्रश्न टाइप करा, किंवा खालील मेन्यूमधून निवडा — *Talk to doctor* ने क्लिनिक टीमशी बोलता येईल.",
    triage.MR_ROMAN: "Tumcha prashna type kara, kinva khalchya menu madhun nivda — *Talk to doctor* ne clinic team shi bolta yeil.",
}


def answer(*, patient: Patient, message: Message, now: dt.datetime) -> list[Reply]:
    """The replies to a photo, document, video or voice note (message.type in HANDLED)."""
    language = language_of(patient=patient, message=message)
    if Talk(patient, now).going_on():
        said = GOT.get((language, message.type)) if message.type in ACKNOWLEDGED else CANT_LISTEN[language]
        return [the_question_again(patient=patient, now=now, lead=said or GOT[(triage.EN, message.type)])]
    if message.type == VOICE:
        return [with_buttons(f"{CANT_LISTEN[language]} {TYPE_OR_CHOOSE[language]}", MENU_BUTTONS)]
    handoff.pause_bot(patient=patient, reason=REASON_PATIENT_SENT_FILE, handoff=True, now=now)
    return [Reply(text=GOT[(language, message.type)])]


def language_of(*, patient: Patient, message: Message) -> str:
    """The caption's language, else that of the patient's latest typed message, else English."""
    said = message.text
    if not said:
        said = (
            Message.objects.filter(patient=patient, direction=Message.Direction.IN, type=Message.Type.TEXT)
            .exclude(text="")
            .order_by("-pk")
            .values_list("text", flat=True)
            .first()
            or ""
        )
    language = triage.detect_language(said[:500])
    return language if language in CANT_LISTEN else triage.EN


def the_question_again(*, patient: Patient, now: dt.datetime, lead: str) -> Reply:
    """What the booking is waiting for, asked again after `lead`; the flow's state is left as it is."""
    talk = Talk(patient, now)
    appointment = visits.own_appointment(patient, talk.data.get("appointment"))
    if talk.state == flow.CONFIRM_CANCEL and appointment is not None:
        return visits.confirm_cancel_question(talk, appointment, lead=f"{lead}\n\n")
    if talk.state == flow.ASK_NEW_TIME and appointment is not None:
        question = "When would you like to move your appointment to? 🗓️"
    else:
        question = "When would you like to come? 🗓️"
    return Reply(text=f"{lead}\n\n{question}\nPlease {TYPE_HINT.removeprefix('or ')}.")
