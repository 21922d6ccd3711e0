"""The assistant end to end: messages posted to the real webhook, replies read back from the
outbox (the sandbox transport sends them: status sent/delivered, a wamid.SANDBOX- id).

The clinic, the patient's phone and the stub LLM server are in chat/tests/phone.py.
"""

import dataclasses
import datetime as dt

import pytest
import time_machine

from booking import flow
from chat.models import Message
from chat.simulator import webhook_payload
from chat.tests.phone import IST, NOW, WA_ID, Phone, assert_sent, button_ids, make_clinic
from clinicbot.replies import Reply
from patients.models import BotPauseLog, Doctor, FaqEntry, Patient


@pytest.fixture
def clinic(db, no_llm):
    with time_machine.travel(NOW, tick=False):
        yield make_clinic()


@pytest.fixture
def phone(clinic):
    return Phone(clinic)


@pytest.fixture
def pushed(monkeypatch):
    """Every live event pushed to a doctor's page, as (doctor_id, event)."""
    events: list[tuple[int, dict]] = []
    monkeypatch.setattr("clinicbot.events.push_now", lambda *, doctor_id, event: events.append((doctor_id, event)))
    return events


@dataclasses.dataclass
class FlowCalls:
    """What the bot asked of booking.flow (the seam), and what the stand-in answers."""

    calls: list[tuple[str, dict]] = dataclasses.field(default_factory=list)
    active: bool = False
    handle_answer: list[Reply] | None = None


@pytest.fixture
def booking_flow(monkeypatch) -> FlowCalls:
    """booking.flow replaced by a recorder (the real flow belongs to another issue)."""
    seen = FlowCalls()

    def start(**kwargs):
        seen.calls.append(("start", kwargs))
        return flow.Step(replies=[Reply(text="Which day suits you?")], state=flow.ASK_WHEN, data={})

    def handle(**kwargs):
        seen.calls.append(("handle", kwargs))
        return flow.Step(replies=seen.handle_answer, state=flow.ASK_WHEN, data={})

    def my_appointments(**kwargs):
        seen.calls.append(("my_appointments", kwargs))
        return flow.Step(replies=[Reply(text="You have no upcoming appointments.")], state="", data={})

    monkeypatch.setattr(flow, "start", start)
    monkeypatch.setattr(flow, "handle", handle)
    monkeypatch.setattr(flow, "my_appointments", my_appointments)
    monkeypatch.setattr(flow, "is_active", lambda patient: seen.active)
    return seen


# --- the menu ---------------------------------------------------------------------------------


def test_hi_gets_a_welcome_naming_the_clinic_with_three_buttons(phone):
    """ "hi" is answered with a welcome naming the clinic and the three menu buttons, and it is sent."""
    [reply] = phone.send("hi")
    assert "Joshi Family Clinic" in reply.text and "Namaste Rahul" in reply.text
    assert button_ids(reply) == ["book", "my_appointments", "talk_doctor"]
    assert_sent(reply)


def test_a_first_message_the_bot_cannot_place_gets_the_welcome(phone):
    """A newcomer's first message that matches nothing is greeted with the menu, not an apology."""
    [reply] = phone.send("Do you treat small children?")
    assert "Welcome to Joshi Family Clinic" in reply.text
    assert button_ids(reply) == ["book", "my_appointments", "talk_doctor"]


def test_a_later_message_the_bot_cannot_place_gets_sorry_and_the_menu(phone):
    """Without an LLM, an unplaced message after the first gets a short apology and the menu: never silence."""
    phone.send("hi")
    [reply] = phone.send("Do you treat small children?")
    assert reply.text.startswith("Sorry, I didn't quite get that")
    assert button_ids(reply) == ["book", "my_appointments", "talk_doctor"]


def test_a_health_question_is_pointed_to_the_doctor_never_answered(phone, llm_stub):
    """Symptoms and medicines get no advice, from the rules or the LLM: the way to the doctor instead."""
    phone.send("hi")
    [reply] = phone.send("my son has fever since last night, which medicine should I give?")
    assert "I can't give medical advice" in reply.text and "112" in reply.text
    assert button_ids(reply) == ["book", "talk_doctor", "menu"]
    assert llm_stub.requests == []


def test_typed_menu_word_shows_the_menu(phone):
    """Typing "Menu" (any case, punctuation) shows the welcome again."""
    phone.send("what are your timings")
    [reply] = phone.send("MENU!!")
    assert button_ids(reply) == ["book", "my_appointments", "talk_doctor"]


def test_tapping_book_starts_the_booking_flow_without_the_button_title(phone, booking_flow):
    """The "book" button calls booking.flow.start; the title "Book appointment" is not passed as text."""
    [reply] = phone.tap("book", "Book appointment")
    assert reply.text == "Which day suits you?"
    [(name, kwargs)] = booking_flow.calls
    assert name == "start" and kwargs["when"] is None and kwargs["patient"] == phone.patient
    assert kwargs["now"] == NOW


def test_typed_booking_request_passes_its_text_to_the_flow(phone, booking_flow):
    """ "book tomorrow 3pm" starts the flow with the moment it names, so the time is not lost."""
    phone.send("hi")
    phone.send("Book tomorrow 3pm")
    [(name, kwargs)] = booking_flow.calls
    assert name == "start" and kwargs["when"].start(IST) == dt.datetime(2026, 3, 11, 15, 0, tzinfo=IST)


@pytest.mark.parametrize("typed", ["appointment chahiye", "appt", "apointment chaiye plz", "kal appointment milega?"])
def test_hinglish_and_typo_booking_requests_start_the_flow(phone, booking_flow, typed):
    """Hinglish and misspelt booking requests reach booking.flow.start."""
    phone.send(typed)
    assert [name for name, _ in booking_flow.calls] == ["start"]


def test_my_appointments_cancel_reschedule_and_what_time_each_reach_their_flow_function(
    phone, booking_flow, monkeypatch
):
    """The button, "cancel my appointment", "reschedule", "kitne baje aana hai kal?" each do what they say."""
    calls = booking_flow.calls

    def recorder(name):
        def record(**kwargs):
            calls.append((name, kwargs))
            return flow.Step(replies=[Reply(text="ok")], state="", data={})

        return record

    for name in ("cancel_request", "reschedule_request", "appointment_times"):
        monkeypatch.setattr(flow, name, recorder(name))
    phone.tap("my_appointments", "My appointments")
    phone.send("cancel my appointment")
    phone.send("I want to reschedule")
    phone.send("kitne baje aana hai kal?")
    assert [name for name, _ in calls] == [
        "my_appointments",
        "cancel_request",
        "reschedule_request",
        "appointment_times",
    ]
    assert calls[3][1]["when"].day == dt.date(2026, 3, 11)


def test_an_active_booking_flow_gets_the_message_first(phone, booking_flow):
    """While a flow is active its answer is sent, even for words that mean something else to the menu."""
    booking_flow.active = True
    booking_flow.handle_answer = [Reply(text="Got it: Wednesday 11:00. Shall I book it?")]
    [reply] = phone.tap("slot_2026-03-11T11:00", "Wed 11:00", kind="list_reply")
    assert reply.text.startswith("Got it")
    [(name, kwargs)] = booking_flow.calls
    assert name == "handle" and kwargs["reply_id"] == "slot_2026-03-11T11:00" and kwargs["text"] == "Wed 11:00"


def test_a_question_inside_a_booking_is_answered_and_the_booking_waits(phone, booking_flow):
    """A question that is no answer to "when?" (timings) skips the flow, which keeps its state."""
    booking_flow.active = True
    [reply] = phone.send("what are your timings?")
    assert booking_flow.calls == []
    assert "Mon–Sat: 10:00–13:00, 17:00–20:00" in reply.text


def test_a_message_the_flow_gives_back_falls_through_to_the_clinic_answers(phone, booking_flow):
    """When flow.handle gives the message back (replies None), it is answered as usual."""
    booking_flow.active = True
    [reply] = phone.send("hmm ok?")
    assert [name for name, _ in booking_flow.calls] == ["handle"]
    assert reply.text


def test_menu_always_wins_over_an_active_flow_and_leaves_it(phone, booking_flow):
    """ "menu" inside a booking is not given to the flow; the half-finished booking state is cleared."""
    phone.send("hi")
    Patient.objects.filter(pk=phone.patient.pk).update(conversation_state="booking:day", conversation_data={"d": 1})
    booking_flow.active = True
    [reply] = phone.send("menu")
    assert booking_flow.calls == []
    assert button_ids(reply) == ["book", "my_appointments", "talk_doctor"]
    patient = phone.patient
    assert patient.conversation_state == "" and patient.conversation_data == {}


def test_thanks_gets_a_short_welcome_not_the_whole_menu(phone):
    """ "thank you!!" is answered briefly."""
    phone.send("hi")
    [reply] = phone.send("thank you!!")
    assert reply.text.startswith("You're welcome")


def test_a_reaction_gets_no_reply(phone):
    """An emoji reaction on an earlier message is stored, not answered."""
    [welcome] = phone.send("hi")
    payload = webhook_payload(doctor=phone.doctor, wa_id=WA_ID, name="Rahul", text="x")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    message.update(type="reaction", reaction={"message_id": welcome.wamid, "emoji": "👍"})
    assert phone.post(payload) == []
    assert Message.objects.filter(direction="in", type="reaction").count() == 1


def test_a_photo_is_kept_for_the_doctor_and_the_patient_told_so(phone):
    """A photo (a report, say) is acknowledged and the conversation handed to the doctor
    (chat/bot_media.py; more in test_bot_media.py)."""
    phone.send("hi")
    payload = webhook_payload(doctor=phone.doctor, wa_id=WA_ID, name="Rahul", text="x")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    message.update(type="image", image={"id": "MEDIA1", "mime_type": "image/jpeg", "caption": ""})
    [reply] = phone.post(payload)
    assert reply.text == "Got your photo, the doctor will see it. 🙏"
    assert Patient.objects.get(pk=reply.patient_id).handoff_requested_at is not None


# --- clinic answers ---------------------------------------------------------------------------


def test_timings_are_answered_from_the_weekly_hours(phone):
    """Opening hours come from the weekly schedule, in words, Sunday closed."""
    [reply] = phone.send("clinic kab khulta hai?")
    assert "Mon–Sat: 10:00–13:00, 17:00–20:00" in reply.text and "Sun: closed" in reply.text


def test_address_comes_with_the_map_link(phone):
    """ "where is the clinic" gets the address and the map link from the doctor's profile."""
    [reply] = phone.send("Where is the clinic?")
    assert "12 FC Road, Shivajinagar, Pune 411005" in reply.text
    assert "https://maps.google.com/?q=FC+Road+Pune" in reply.text


def test_fees_and_phone_are_answered_from_the_profile(phone):
    """Fees and the clinic phone come from the doctor's profile."""
    [fees] = phone.send("fees kitni hai")
    [number] = phone.send("what is the clinic phone number")
    assert "₹500 consultation" in fees.text
    assert "+91 98123 00000" in number.text


def test_two_questions_in_one_message_get_both_answers(phone):
    """ "timings and fees?" is answered with both facts in one message."""
    [reply] = phone.send("timings and fees?")
    assert "₹500 consultation" in reply.text and "10:00–13:00" in reply.text


def test_faq_entries_answer_their_keywords(phone):
    """An FAQ keyword (even inside a longer question) gets the clinic's own answer."""
    [parking] = phone.send("is there parking for my car?")
    [visit] = phone.send("do you do home visits")
    assert parking.text == "Yes, free parking for two-wheelers and cars behind the clinic."
    assert visit.text.startswith("Home visits are possible")


def test_an_inactive_faq_entry_is_not_used(phone):
    """Staff can switch an FAQ answer off in admin."""
    FaqEntry.objects.filter(question="Is there parking?").update(active=False)
    phone.send("hi")
    [reply] = phone.send("is there parking?")
    assert "free parking" not in reply.text


def test_facts_the_clinic_has_not_filled_in_are_not_invented(db, no_llm):
    """With no fees, address or hours set, the bot says so and points to the clinic team."""
    with time_machine.travel(NOW, tick=False):
        doctor = Doctor.objects.create(name="Dr. Rao", phone_number_id="5550001")
        phone = Phone(doctor)
        [reply] = phone.send("fees, timings and address please")
    assert "I don't have the fee details" in reply.text
    assert "I don't have the clinic timings" in reply.text
    assert "I don't have the address" in reply.text
    assert "talk_doctor" in button_ids(reply)


# --- handoff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    [("tap", "talk_doctor"), ("send", "talk to doctor"), ("send", "Doctor se baat karni hai"), ("send", "call me")],
)
def test_asking_for_the_doctor_pauses_the_bot_and_says_the_doctor_will_reply(phone, pushed, how):
    """The button or typed words pause the bot with a handoff; the patient's reply still goes out."""
    kind, value = how
    replies = phone.tap(value, "Talk to doctor") if kind == "tap" else phone.send(value)
    [reply] = replies
    assert "Dr. Meera Joshi know" in reply.text and "reply to you here soon" in reply.text
    assert_sent(reply)
    patient = phone.patient
    assert patient.ai_paused and patient.ai_pause_reason == "patient asked"
    assert patient.bot_state == Patient.BotState.NEEDS_DOCTOR
    log = BotPauseLog.objects.get(patient=patient)
    assert log.paused and log.reason == "patient asked" and log.by is None
    updates = [e for _, e in pushed if e["type"] == "patient.updated" and e["patient"]["handoff_requested"]]
    assert updates and updates[-1]["patient"]["bot_state"] == "needs_doctor"


@pytest.mark.parametrize("typed", ["please delete my data", "mera data delete kar do", "send me a copy of my data"])
def test_a_request_for_their_data_is_handed_to_the_clinic_team(phone, typed):
    """Export and erasure are staff actions (admin, manage.py): the bot hands the chat over and says so."""
    [reply] = phone.send(typed)
    assert "only they can send you a copy or erase it" in reply.text
    patient = phone.patient
    assert patient.ai_paused and patient.ai_pause_reason == "patient asked about their data"
    assert patient.bot_state == Patient.BotState.NEEDS_DOCTOR


def test_after_a_handoff_the_bot_stays_quiet(phone):
    """Once the patient asked for the doctor, their next messages get no bot reply."""
    phone.send("human please")
    assert phone.send("hello?") == []
    assert phone.send("book appointment") == []


# --- emergencies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "I have severe chest pain",
        "my father can't breathe",
        "heavy bleeding after delivery",
        "she fainted and is unconscious",
        "my son is having a seizure",
        "seene mein dard ho raha hai",
        "saans nahi aa rahi",
        "mummy behosh ho gayi",
        "khoon beh raha hai bahut",
    ],
)
def test_emergency_words_get_the_emergency_number_and_a_handoff(db, no_llm, pushed, typed):
    """An emergency is answered at once with the clinic's emergency number, and the doctor is alerted."""
    with time_machine.travel(NOW, tick=False):
        phone = Phone(make_clinic(emergency_number="108"))
        [reply] = phone.send(typed)
    assert "*108*" in reply.text and "emergency" in reply.text
    assert_sent(reply)
    patient = phone.patient
    assert patient.ai_paused and patient.ai_pause_reason == "emergency"
    assert patient.bot_state == Patient.BotState.NEEDS_DOCTOR
    assert any(e["type"] == "patient.updated" and e["patient"]["ai_pause_reason"] == "emergency" for _, e in pushed)


def test_self_harm_gets_the_emergency_number_and_a_helpline(phone):
    """Words of suicide (English or Hinglish) get the emergency number and Tele-MANAS."""
    [reply] = phone.send("main marna chahta hoon")
    assert "*112*" in reply.text and "14416" in reply.text
    assert phone.patient.ai_pause_reason == "emergency"


def test_an_emergency_inside_a_booking_flow_is_not_given_to_the_flow(phone, booking_flow):
    """Emergency words win over an active booking flow."""
    booking_flow.active = True
    booking_flow.handle_answer = [Reply(text="Which time?")]
    [reply] = phone.send("chest pain, please help")
    assert booking_flow.calls == []
    assert "*112*" in reply.text and phone.patient.ai_paused


def test_an_emergency_never_asks_the_llm(phone, llm_stub):
    """With an LLM configured, an emergency is still answered by the rules; the LLM gets no request."""
    phone.send("hi")
    [reply] = phone.send("saans lene mein taklif ho rahi hai")
    assert "*112*" in reply.text
    assert llm_stub.requests == []
