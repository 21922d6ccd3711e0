"""Typed words and tapped buttons map to what the patient wants (no database needed)."""

import pytest

from chat.intents import (
    Intent,
    classify,
    info_topics,
    is_emergency,
    is_menu_command,
    normalize,
)

DEMO_FAQS = [["parking", "park", "car", "bike"], ["upi", "card", "gpay", "payment", "pay"], ["home visit", "ghar"]]
PARKING, PAYMENT = 0, 1

PHRASINGS = [
    # greetings and the menu
    ("hi", Intent.MENU),
    ("Hiii!!", Intent.MENU),
    ("Hello doctor", Intent.MENU),
    ("good morning", Intent.MENU),
    ("namaste", Intent.MENU),
    ("नमस्ते", Intent.MENU),
    ("MENU", Intent.MENU),
    ("help", Intent.MENU),
    # booking
    ("book", Intent.BOOK),
    ("Book appointment", Intent.BOOK),
    ("book tomorrow 3pm", Intent.BOOK),
    ("I want to book an appointment for my mother", Intent.BOOK),
    ("appointment chahiye", Intent.BOOK),
    ("apointment chaiye", Intent.BOOK),
    ("appt", Intent.BOOK),
    ("appointmnet for friday", Intent.BOOK),
    ("kal shaam 5 baje appointment milega?", Intent.BOOK),
    ("is there a slot available tomorrow", Intent.BOOK),
    ("bokk", Intent.BOOK),
    # my appointments, cancel, reschedule
    ("My appointments", Intent.MY_APPOINTMENTS),
    ("when is my appointment?", Intent.APPOINTMENT_TIME),
    ("meri appointment kab hai", Intent.APPOINTMENT_TIME),
    ("cancel my appointment", Intent.CANCEL),
    ("cancle my appt pls", Intent.CANCEL),
    ("appointment cancel karna hai", Intent.CANCEL),
    ("reschedule to saturday", Intent.RESCHEDULE),
    ("can I postpone my booking", Intent.RESCHEDULE),
    ("book my appointment", Intent.BOOK),
    # the doctor, a person
    ("Talk to doctor", Intent.TALK_DOCTOR),
    ("talk to docter", Intent.TALK_DOCTOR),
    ("doctor se baat karni hai", Intent.TALK_DOCTOR),
    ("Dr se baat karao", Intent.TALK_DOCTOR),
    ("I want to speak to a real person", Intent.TALK_DOCTOR),
    ("human", Intent.TALK_DOCTOR),
    ("please call me back", Intent.TALK_DOCTOR),
    ("mujhe call karo", Intent.TALK_DOCTOR),
    # clinic facts
    ("what are your timings?", Intent.HOURS),
    ("timmings", Intent.HOURS),
    ("clinic kab khulta hai", Intent.HOURS),
    ("are you open on sunday", Intent.HOURS),
    ("where is the clinic", Intent.ADDRESS),
    ("clinic ka address bhejo", Intent.ADDRESS),
    ("location please", Intent.ADDRESS),
    ("fees kitni hai", Intent.FEES),
    ("what are the charges", Intent.FEES),
    ("how much for consultation", Intent.FEES),
    ("clinic phone number?", Intent.PHONE),
    # thanks
    ("thank you so much", Intent.THANKS),
    ("ok", Intent.THANKS),
    ("dhanyavad", Intent.THANKS),
    # the clinic's FAQ
    ("is there parking", Intent.FAQ),
    ("can I pay by gpay", Intent.FAQ),
    ("insurance card accepted?", Intent.FAQ),
    ("I came by car", Intent.FAQ),
    ("do you do home visits", Intent.FAQ),
    # health questions (pointed to the doctor)
    ("my son has fever since 2 days", Intent.HEALTH),
    ("bukhar aur khansi hai", Intent.HEALTH),
    ("which medicine should I take for cold", Intent.HEALTH),
    ("fever, appointment today?", Intent.BOOK),
    # nothing the rules know
    ("do you treat small children", Intent.UNKNOWN),
    ("", Intent.UNKNOWN),
    ("👍", Intent.UNKNOWN),
]


@pytest.mark.parametrize("typed, expected", PHRASINGS)
def test_typed_phrasings_route_to_their_intent(typed, expected):
    """English, Hinglish, typos, case and punctuation: each phrasing reaches the right intent."""
    assert classify(text=typed, faqs=DEMO_FAQS).intent == expected


def test_an_ending_only_extends_a_word_it_belongs_to():
    """ "card" is not "car" + d; "closed" is "close" + d; "bandage" is not "band"."""
    assert classify(text="card", faqs=DEMO_FAQS).faq == PAYMENT
    assert classify(text="cars", faqs=DEMO_FAQS).faq == PARKING
    assert classify(text="closed on sunday?").intent == Intent.HOURS
    assert classify(text="bandage").intent == Intent.UNKNOWN


def test_the_phrasing_table_is_big_enough():
    """The table covers at least 40 phrasings (the issue's bar)."""
    assert len(PHRASINGS) >= 40


@pytest.mark.parametrize(
    "reply_id, expected",
    [
        ("book", Intent.BOOK),
        ("my_appointments", Intent.MY_APPOINTMENTS),
        ("talk_doctor", Intent.TALK_DOCTOR),
        ("menu", Intent.MENU),
    ],
)
def test_button_ids_decide_whatever_the_title(reply_id, expected):
    """A tapped button is routed by its id, not by its (translatable) title."""
    assert classify(text="anything at all", reply_id=reply_id).intent == expected


def test_an_unknown_button_id_falls_back_to_its_title():
    """A row id the menu does not know (say an old booking list) is read by its title."""
    assert classify(text="Book appointment", reply_id="slot_42").intent == Intent.BOOK


EMERGENCIES = [
    "I have chest pain",
    "pain in my chest since morning",
    "heart attack",
    "my father cant breathe",
    "She can't breathe!!",
    "not able to breathe properly",
    "breathing problem hai",
    "shortness of breath",
    "heavy bleeding",
    "bleeding a lot after the fall",
    "he is unconscious",
    "she fainted",
    "passed out in the bathroom",
    "having a seizure",
    "fits aa rahe hai",
    "I want to die",
    "thinking about suicide",
    "I will kill myself",
    "self-harm",
    "seene mein dard",
    "sine me bahut dard hai",
    "chhati mein dard",
    "saans nahi aa rahi",
    "saans lene mein taklif",
    "sans lene me dikkat",
    "papa behosh ho gaye",
    "bahut khoon nikal raha hai",
    "khoon beh raha hai",
    "marna chahta hoon",
    "marna chahti hu",
    "aatmahatya",
    "सीने में दर्द",
    "unconcious",
    "CHEST PAIN!!!",
    "road accident",
    "took poison",
]


@pytest.mark.parametrize("typed", EMERGENCIES)
def test_emergency_phrases_are_recognised(typed):
    """Emergency words in English, Hinglish and Hindi, with typos and shouting, are an emergency."""
    assert is_emergency(typed)
    assert classify(text=typed).intent == Intent.EMERGENCY


@pytest.mark.parametrize(
    "typed",
    [
        "book appointment",
        "I need a bandage changed",
        "chest x-ray report is ready?",
        "my diet chart please",
        "he painted the clinic wall",
        "fever and cough since 2 days",
        "what time do you open",
    ],
)
def test_ordinary_messages_are_not_emergencies(typed):
    """Words near an emergency word (x-ray of the chest, painted, diet) are not an alarm."""
    assert not is_emergency(typed)


def test_normalize_lowers_case_drops_apostrophes_and_punctuation():
    """Apostrophes vanish inside words; other marks and emoji separate words."""
    assert normalize("Can't  BREATHE!!! 😟 help...") == "cant breathe help"
    assert normalize("seene-mein,dard") == "seene mein dard"
    assert normalize("सीने में दर्द।") == "सीने में दर्द"


def test_an_exact_word_beats_a_typo_of_another():
    """ "change" is about an appointment (exact), never a typo of "charge"; "charges" is about fees."""
    assert classify(text="I want to change").intent == Intent.RESCHEDULE
    assert classify(text="charges?").intent == Intent.FEES


def test_faq_keywords_beat_general_words_but_not_a_plain_booking_request():
    """A clinic FAQ keyword wins over a general topic word, but "book" stays a booking."""
    faqs = [["online consultation", "online", "video call"]]
    assert classify(text="do you have online appointments?", faqs=faqs).intent == Intent.FAQ
    assert classify(text="book an appointment online", faqs=faqs).intent == Intent.BOOK


def test_several_clinic_facts_can_be_asked_at_once():
    """ "timings, fees and address?" asks three facts, in a fixed order."""
    assert info_topics("timings, fees and address?") == [Intent.FEES, Intent.HOURS, Intent.ADDRESS]


@pytest.mark.parametrize("typed, reply_id", [("menu", ""), ("Main Menu!", ""), ("whatever", "menu"), ("restart", "")])
def test_explicit_menu_commands(typed, reply_id):
    """Only explicit menu words (or the Menu button) are a menu command; a greeting is not."""
    assert is_menu_command(text=typed, reply_id=reply_id)


def test_a_greeting_is_not_a_menu_command():
    assert not is_menu_command(text="hi")
