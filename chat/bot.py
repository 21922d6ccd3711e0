"""The assistant's answer to one patient message: what to say, and whether to step aside.

Order matters, and is the same for typed words and tapped buttons:

1. an emergency: the emergency number at once and a handoff to the doctor — before anything
   else, inside a booking too, and never an LLM answer;
2. a request for a person ("talk to doctor", "call me", the button), for their data, or for a
   report or prescription ("please send my lab report", "report bhejo"): handoff;
3. an explicit "menu": leaves any booking and shows the menu;
3a. a photo, document or video: acknowledged and handed to the doctor (inside a booking: acknowledged
   and the booking's question asked again); a voice note: "I can't listen", with the menu
   (chat/bot_media.py);
4. an active booking flow gets the message, and so does any tap on a booking button or row
   (those carry what they act on) — unless it is a question that is no answer to the flow's
   ("fees?", a symptom, "what time is my appointment?"): that is answered and the flow waits.
   The moment the message names is read once (`flow.read`, against what is under discussion)
   and handed to whichever part acts on it;
5. booking, cancel, reschedule, "what time is my appointment", "my appointments", the
   clinic's FAQ, clinic facts (timings, address, fees, phone), a message that names a time
   (starts booking with it), health questions (pointed to the doctor, never answered),
   thanks, greetings;
6. anything else: the welcome menu on a first contact, else the LLM when configured, else a
   short "I didn't get that" with the menu. Never silence.

The LLM is never called here: `respond` returns `AskLlm` and the pipeline calls it outside
its transaction, then asks again with the `LlmAnswer` (see chat/pipeline.py).
"""

import dataclasses
import datetime as dt

from booking import flow, reading
from chat import bot_media, clinic_info, handoff, intents, llm, triage
from chat.clinic_info import clinic_name
from chat.intents import Intent
from chat.models import Message
from clinicbot.replies import AFTER_ANSWER_BUTTONS, MENU_BUTTONS, Reply, text, with_buttons
from patients.models import Patient

# Message types a person typed or tapped; the others (photos, voice notes, …) are kept for the doctor.
READABLE_TYPES = {Message.Type.TEXT, Message.Type.INTERACTIVE, Message.Type.BUTTON}


@dataclasses.dataclass(frozen=True)
class AskLlm:
    """This message needs the LLM: call it outside the transaction, then respond again."""

    request: llm.LlmRequest


@dataclasses.dataclass(frozen=True)
class LlmAnswer:
    """What `llm.complete` returned for one message: an answer, llm.HANDOFF, or None."""

    message_id: int
    text: str | None


# Intents that are questions, not answers: asked in the middle of a booking they are answered
# and the booking question keeps waiting ("fees?", "sugar test karwana hai").
ANSWERED_MID_FLOW = frozenset({Intent.FAQ, Intent.HEALTH, *intents.INFO_INTENTS})


def respond(
    *, patient: Patient, message: Message, now: dt.datetime, llm_answer: LlmAnswer | None = None
) -> list[Reply] | AskLlm:
    """The replies to one incoming message (queued by the caller, after any pause made here).

    The conversation state the booking flow returns is set on `patient` (not saved: the
    pipeline writes it back)."""
    if message.type == Message.Type.REACTION:
        return []  # an emoji on an earlier message is not a question
    said, reply_id = message.text or "", message.reply_id or ""

    flagged = triage.assess(said)
    if flagged.urgent:
        return emergency(patient=patient, flagged=flagged, now=now)

    faqs = clinic_info.active_faqs(patient.doctor)
    match = intents.classify(text=said, reply_id=reply_id, faqs=[entry.keyword_list for entry in faqs])
    if match.intent == Intent.TALK_DOCTOR:
        return hand_off(patient=patient, reason=handoff.REASON_PATIENT_ASKED, now=now)
    if match.intent == Intent.DATA_REQUEST:
        return hand_off(patient=patient, reason=handoff.REASON_DATA_REQUEST, now=now)
    # "Please send my lab report", "prescription bhejo"; a file captioned "my report" is the
    # patient sending it (chat/bot_media.py below), not asking for it.
    if match.intent == Intent.DOCUMENT_REQUEST and message.type not in bot_media.HANDLED:
        return hand_off(patient=patient, reason=handoff.REASON_DOCUMENT_REQUEST, now=now)
    if intents.is_menu_command(text=said, reply_id=reply_id):
        leave_flow(patient)
        return [welcome(patient)]
    if message.type in bot_media.HANDLED:  # a photo, report, video or voice note (chat/bot_media.py)
        return bot_media.answer(patient=patient, message=message, now=now)
    # The moment the message names, read once (a tap carries its own moment in its id).
    typed = message.type == Message.Type.TEXT and not reply_id
    when = flow.read(patient=patient, text=said, now=now) if typed else None
    # A tap on a booking button or list row works even after the flow ended (yesterday's list).
    if flow.owns_reply(reply_id) or (flow.is_active(patient) and for_the_flow(said, when, match.intent)):
        replies = take(patient, flow.handle(patient=patient, text=said, reply_id=reply_id, when=when, now=now))
        if replies is not None:
            return replies

    if match.intent == Intent.BOOK:
        # A typed request may carry the time ("book tomorrow 3pm"); a tap carries only its title.
        return take(patient, flow.start(patient=patient, now=now, when=when))
    if match.intent in (Intent.CANCEL, Intent.RESCHEDULE) and when is not None and when.day_given:
        # "cancel kal, parso kar do" / "can't come today, tomorrow?": a new day named is a move.
        return take(patient, flow.reschedule_request(patient=patient, now=now, when=when))
    if match.intent == Intent.CANCEL:
        return take(patient, flow.cancel_request(patient=patient, now=now, when=when))
    if match.intent == Intent.RESCHEDULE:
        return take(patient, flow.reschedule_request(patient=patient, now=now, when=when))
    if match.intent == Intent.APPOINTMENT_TIME:
        return take(patient, flow.appointment_times(patient=patient, now=now, when=when))
    if match.intent == Intent.MY_APPOINTMENTS:
        return take(patient, flow.my_appointments(patient=patient, now=now))
    if match.intent == Intent.FAQ:
        return [clinic_info.faq_answer(faqs[match.faq])]
    if match.intent in intents.INFO_INTENTS:
        topics = intents.info_topics(said) or [match.intent]
        return [clinic_info.answer_topics(doctor=patient.doctor, topics=[str(topic) for topic in topics])]
    if when is not None and (not when.day_given or when.day >= now.astimezone(patient.doctor.tz).date()):
        # "kal shaam 5 baje" or "10:30 theek hai" on its own is a patient asking for that time:
        # start booking with it. A past date ("my dob is 12/05/1990") is not a booking request.
        return take(patient, flow.start(patient=patient, now=now, when=when))
    if match.intent == Intent.HEALTH:
        return [health_question(patient)]
    if match.intent == Intent.THANKS:
        return [text("You're welcome! 🙏 Type *menu* any time to see what I can do.")]
    if match.intent == Intent.MENU:
        return [welcome(patient)]

    if message.type not in READABLE_TYPES:
        return [kept_for_doctor()]
    if is_first_contact(patient):
        return [welcome(patient)]
    if llm.enabled():
        if llm_answer is None or llm_answer.message_id != message.pk:
            return AskLlm(request=llm_request(patient=patient, message=message, now=now, faqs=faqs))
        if llm_answer.text == llm.HANDOFF:
            return hand_off(patient=patient, reason=handoff.REASON_BOT_COULD_NOT_ANSWER, now=now)
        if llm_answer.text:
            return [text(llm_answer.text)]
    return [not_understood()]


def for_the_flow(said: str, when, intent: Intent) -> bool:
    """Whether a message typed during a booking is for the booking. A question about something
    else (fees, a symptom, their appointments) is answered instead, and the booking waits."""
    if reading.answers_question(said):
        return True  # "haan cancel kar do", "no", "rehne do"
    if intent in (Intent.APPOINTMENT_TIME, Intent.MY_APPOINTMENTS, Intent.CANCEL):
        return False
    return not (when is None and intent in ANSWERED_MID_FLOW)


def take(patient: Patient, step: flow.Step) -> list[Reply] | None:
    """The flow's replies; its new state is set on the patient for the pipeline to save."""
    patient.conversation_state, patient.conversation_data = step.state, step.data
    return step.replies


def emergency(*, patient: Patient, flagged: triage.Triage, now: dt.datetime) -> list[Reply]:
    """The emergency number first, in the patient's language (with Tele-MANAS for self-harm),
    then the doctor is alerted: the bot steps aside and the inbox shows "needs doctor"."""
    handoff.pause_bot(patient=patient, reason=handoff.REASON_EMERGENCY, handoff=True, now=now)
    doctor = patient.doctor
    return [text(triage.emergency_text(result=flagged, number=doctor.emergency_number, doctor=doctor.name))]


def hand_off(*, patient: Patient, reason: str, now: dt.datetime) -> list[Reply]:
    """Pause the bot with a handoff request; the doctor's inbox shows "needs doctor"."""
    handoff.pause_bot(patient=patient, reason=reason, handoff=True, now=now)
    return [text(handoff.handoff_text(doctor=patient.doctor, reason=reason, now=now))]


def welcome(patient: Patient) -> Reply:
    first = first_name(patient)
    greeting = f"Namaste {first}! 🙏" if first else "Namaste! 🙏"
    return with_buttons(
        f"{greeting} Welcome to {clinic_name(patient.doctor)}.\n"
        "I'm the clinic's WhatsApp assistant. How can I help you today?",
        MENU_BUTTONS,
        footer="You can also ask about timings, fees or address.",
    )


def health_question(patient: Patient) -> Reply:
    """Symptoms, medicines, reports: never advice from the bot (nor from the LLM), only the way
    to the doctor."""
    return with_buttons(
        "Sorry to hear that. I can't give medical advice on chat, but the doctor can: book a visit, "
        "or tap *Talk to doctor* to message the clinic team.\n\n"
        f"If it feels serious or urgent, please call {patient.doctor.emergency_number or '112'} right away.",
        AFTER_ANSWER_BUTTONS,
    )


def not_understood() -> Reply:
    return with_buttons(
        "Sorry, I didn't quite get that. Please choose an option below, or ask me about our timings, fees or address.",
        MENU_BUTTONS,
    )


def kept_for_doctor() -> Reply:
    return with_buttons(
        "Thank you, the clinic team will see this. I can read only text, "
        "so please type your question or choose an option below.",
        MENU_BUTTONS,
    )


def first_name(patient: Patient) -> str:
    """The first word of the WhatsApp profile name, when it looks like a name."""
    first = (patient.name or "").split()[0] if (patient.name or "").split() else ""
    return first if first.replace(".", "").isalpha() and len(first) <= 20 else ""


def leave_flow(patient: Patient) -> None:
    patient.conversation_state, patient.conversation_data = "", {}


def is_first_contact(patient: Patient) -> bool:
    """Nothing has been sent to this patient yet: the clinic is greeting a newcomer."""
    return not Message.objects.filter(patient=patient, direction=Message.Direction.OUT).exists()


def llm_request(*, patient: Patient, message: Message, now: dt.datetime, faqs: list) -> llm.LlmRequest:
    """The clinic's facts and the last few messages up to this one (failed sends left out)."""
    recent = (
        Message.objects.filter(patient=patient, pk__lte=message.pk)
        .exclude(text="")
        .exclude(direction=Message.Direction.OUT, status=Message.Status.FAILED)
        .order_by("-pk")[: llm.HISTORY_MESSAGES]
    )
    history = [("user" if m.direction == Message.Direction.IN else "assistant", m.text) for m in reversed(recent)]
    facts = clinic_info.clinic_facts(patient.doctor, faqs=faqs)
    return llm.build_request(doctor=patient.doctor, facts=facts, history=history, now=now)
