"""What a patient wants, from a tapped button or from typed words (English, Hindi, Hinglish).

Patients type fast on small keyboards: "apointment chaiye", "Doctor se baat karni hai!!",
"cant breathe". Matching therefore works on normalised words, not on raw strings:

- the text is lower-cased, apostrophes dropped ("can't" → "cant") and every other punctuation
  mark or emoji turned into a space;
- a pattern is a short sequence of words that must appear in order, with at most
  `MAX_GAP` other words between two of them ("talk doctor" matches "talk to the doctor");
- a pattern word matches a typed word when they are equal, when the typed word only adds a
  common ending ("appointments", "closed"; but "bandage" is not "band"), when they are equal
  once repeated letters are squeezed ("hiii" → "hi", "apointment" → "appointment"), or, in a
  second pass only, when they are one or two edits apart (`_fuzzy_limit`) and start with the
  same letter ("docter", "cancle").

Intents are tried in a fixed order, so the specific beats the general: "cancel my appointment"
is about an existing appointment even though it says "appointment". The clinic's FAQ keywords
come after what the patient plainly asks for (a person, booking, their appointments) and
before single topic words. An exact hit anywhere beats a typo hit: "what are the charges" is
about fees, and "change" is never read as "charge".

Emergencies are not intents: chat/triage/ reads every message first (`is_emergency` asks it,
for callers such as the flood guard).
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from chat import triage
from clinicbot.text import edit_distance, normalize, squeeze, words

# How many other words may stand between two words of a pattern.
MAX_GAP = 2


class Intent(enum.StrEnum):
    EMERGENCY = "emergency"
    TALK_DOCTOR = "talk_doctor"
    DATA_REQUEST = "data_request"
    MY_APPOINTMENTS = "my_appointments"
    APPOINTMENT_TIME = "appointment_time"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    BOOK = "book"
    FEES = "fees"
    HOURS = "hours"
    ADDRESS = "address"
    PHONE = "phone"
    HEALTH = "health"
    THANKS = "thanks"
    MENU = "menu"
    FAQ = "faq"
    UNKNOWN = "unknown"


# The ids of the menu's reply buttons; a tap comes back with its id.
BUTTON_INTENTS = {
    "book": Intent.BOOK,
    "my_appointments": Intent.MY_APPOINTMENTS,
    "talk_doctor": Intent.TALK_DOCTOR,
    "menu": Intent.MENU,
}

# Clinic facts the bot answers from the doctor's profile; several may be asked at once.
INFO_INTENTS = (Intent.FEES, Intent.HOURS, Intent.ADDRESS, Intent.PHONE)

# What the patient plainly asks for. Tried in this order, before the clinic's FAQ keywords.
DIRECT_PATTERNS: tuple[tuple[Intent, tuple[str, ...]], ...] = (
    (
        # A patient asking for their data or its erasure (DPDP Act §11–12): only staff can do
        # it (admin or manage.py), so the bot hands the conversation over.
        Intent.DATA_REQUEST,
        (
            "delete my data",
            "erase my data",
            "remove my data",
            "delete my details",
            "delete my information",
            "delete my number",
            "delete my chat",
            "delete my chats",
            "delete my account",
            "copy of my data",
            "export my data",
            "send my data",
            "my personal data",
            "mera data",
            "meri details delete",
            "data delete kar",
            "data hatao",
            "data hata do",
            "maza data",
            "माझा डेटा",
            "मेरा डेटा",
            "मेरा डाटा",
        ),
    ),
    (
        Intent.TALK_DOCTOR,
        (
            "talk doctor",
            "talk dr",
            "speak doctor",
            "speak dr",
            "chat doctor",
            "contact doctor",
            "message doctor",
            "ask doctor",
            "connect doctor",
            "doctor baat",
            "dr baat",
            "doctor sahab baat",
            "doctor ko bulao",
            "baat karni",
            "baat karna",
            "baat karao",
            "baat kara",
            "human",
            "real person",
            "talk person",
            "talk someone",
            "speak someone",
            "talk somebody",
            "talk staff",
            "receptionist",
            "call me",
            "call back",
            "callback",
            "mujhe call",
            "call karo",
            "call kijiye",
            "call kar",
            "phone karo",
            "phone kijiye",
            "डॉक्टर बात",
            "डॉक्टर से बात",
        ),
    ),
    (
        # "What time is my appointment?", "kitne baje aana hai kal?": their own visit, not the clinic's hours.
        Intent.APPOINTMENT_TIME,
        (
            "what time my appointment",
            "what time is my appointment",
            "when my appointment",
            "when is my appointment",
            "time of my appointment",
            "what time should i come",
            "what time do i come",
            "what time to come",
            "when should i come",
            "when do i come",
            "appointment kab hai",
            "appointment kitne baje",
            "appointment kitne bje",
            "kitne baje aana",
            "kitne baje aau",
            "kitne baje aaun",
            "kitne baje aaoon",
            "kitne baje aaye",
            "kitne bje aana",
            "kab aana hai",
            "kab aau",
            "kab aaun",
            "kiti vajta yaych",
            "kiti vajta yayche",
            "kiti vajta yeu",
            "kevha yaych",
            "kevha yayche",
            "कितने बजे आना",
            "कब आना है",
            "किती वाजता",
            "केव्हा यायचे",
        ),
    ),
    (
        Intent.RESCHEDULE,
        (
            "reschedule",
            "re schedule",
            "postpone",
            "prepone",
            "change",
            "change appointment",
            "change my appointment",
            "change time",
            "change the time",
            "change date",
            "change day",
            "change slot",
            "shift appointment",
            "shift my appointment",
            "move appointment",
            "move my appointment",
            "another time",
            "another day",
            "different time",
            "different day",
            "other time",
            "other day",
            "come instead",
            "instead",
            "ki jagah",
            "ke badle",
            "time badal",
            "date badal",
            "din badal",
            "badal do",
            "badalna",
            "aage kar do",
            "aage karo",
            "peeche kar do",
            "dusre din",
            "cant come",
            "cannot come",
            "not able to come",
            "unable to come",
            "wont be able to come",
            "nahi aa paunga",
            "nahi aa paungi",
            "nahi aa sakta",
            "nahi aa sakti",
            "nahi aa paenge",
            "nahi yeu shakat",
            "aivaji",
            "ऐवजी",
            "की जगह",
            "बदल",
        ),
    ),
    (
        Intent.CANCEL,
        ("cancel", "radd", "cancle", "रद्द", "कॅन्सल", "कैंसल"),
    ),
    (
        Intent.MY_APPOINTMENTS,
        (
            "my booking",
            "meri booking",
            "booking status",
            "appointment status",
            "check appointment",
            "upcoming",
        ),
    ),
    (
        Intent.BOOK,
        (
            "book",
            "fix appointment",
            "new appointment",
            "need appointment",
            "want appointment",
            "get appointment",
            "take appointment",
            "schedule appointment",
            "appointment chahiye",
            "appointment chaiye",
            "appointment milega",
            "appointment milegi",
            "appointment lena",
            "appointment leni",
            "appointment karna",
            "appointment karni",
            "appointment do",
            "appointment de",
        ),
    ),
    (
        Intent.MY_APPOINTMENTS,
        ("my appointment", "my appt", "meri appointment", "mera appointment", "meri appt", "mera appt"),
    ),
)

# Single words that hint at a topic. Tried after the clinic's FAQ keywords, which are more
# specific ("online appointment" may be answered by the FAQ about online consultations).
GENERAL_PATTERNS: tuple[tuple[Intent, tuple[str, ...]], ...] = (
    (
        Intent.BOOK,
        ("appointment", "appt", "appoint", "slot", "available", "availability", "milna", "dikhana"),
    ),
    (
        Intent.FEES,
        (
            "fee",
            "fees",
            "charges",
            "charge",
            "cost",
            "price",
            "how much",
            "kitna",
            "kitni fees",
            "kitne paise",
            "paisa",
            "paise",
            "rupees",
            "फीस",
        ),
    ),
    (
        Intent.HOURS,
        (
            "timing",
            "timings",
            "hours",
            "open",
            "opening",
            "close",
            "closing",
            "what time",
            "which time",
            "kis time",
            "time kya",
            "kitne baje",
            "kab tak",
            "khula",
            "khuli",
            "khulta",
            "khulti",
            "khulega",
            "band",
            "kab aate",
            "kab aayenge",
            "kab milenge",
            "kab baithte",
            "schedule",
            "samay",
            "समय",
        ),
    ),
    (
        Intent.ADDRESS,
        (
            "address",
            "location",
            "where",
            "kahan",
            "kaha",
            "kidhar",
            "direction",
            "map",
            "reach",
            "route",
            "clinic pata",
            "pata kya",
            "पता",
        ),
    ),
    (
        Intent.PHONE,
        ("phone", "number", "contact", "mobile", "landline", "call"),
    ),
    (
        # Symptoms, medicines, reports: the bot never advises on these, it points to the doctor.
        Intent.HEALTH,
        (
            "fever",
            "bukhar",
            "cough",
            "khansi",
            "cold",
            "zukam",
            "pain",
            "dard",
            "headache",
            "vomiting",
            "ulti",
            "loose motion",
            "diarrhoea",
            "diarrhea",
            "infection",
            "rash",
            "allergy",
            "itching",
            "bp",
            "sugar",
            "diabetes",
            "medicine",
            "tablet",
            "dawai",
            "dawa",
            "dose",
            "prescription",
            "report",
            "symptom",
            "sick",
            "ill",
            "bimar",
            "bimaar",
            "तबीयत",
            "बुखार",
            "दवाई",
        ),
    ),
    (
        Intent.THANKS,
        (
            "thanks",
            "thank",
            "thankyou",
            "thanku",
            "thx",
            "tq",
            "ty",
            "dhanyavad",
            "dhanyawad",
            "shukriya",
            "ok",
            "okay",
            "okk",
            "theek",
            "thik",
            "great",
            "noted",
            "got it",
            "alright",
            "धन्यवाद",
        ),
    ),
    (
        Intent.MENU,
        (
            "hi",
            "hello",
            "hey",
            "hlo",
            "helo",
            "hy",
            "namaste",
            "namaskar",
            "namaskaar",
            "ram ram",
            "sat sri akal",
            "salaam",
            "salam",
            "good morning",
            "good afternoon",
            "good evening",
            "gm",
            "menu",
            "start",
            "help",
            "options",
            "नमस्ते",
            "नमस्कार",
            "हेलो",
            "हाय",
        ),
    ),
)

# Words that always bring the menu back, even in the middle of a booking.
MENU_COMMANDS = frozenset({"menu", "main menu", "back to menu", "start over", "restart", "मेनू"})


def is_emergency(text: str) -> bool:
    """Does the message describe an emergency? Red-flag triage decides (chat/triage/)."""
    return triage.assess(text).urgent


def is_menu_command(*, text: str, reply_id: str = "") -> bool:
    """An explicit request for the menu: the menu button, or the whole message is "menu" and the like."""
    return reply_id == "menu" or normalize(text) in MENU_COMMANDS


@dataclass(frozen=True)
class Match:
    """What a message asks for. `faq` is the index of the matching FAQ when intent is FAQ."""

    intent: Intent
    faq: int | None = None


def classify(*, text: str, reply_id: str = "", faqs: Sequence[Sequence[str]] = ()) -> Match:
    """The patient's intent: a known button id decides; otherwise the typed words do.

    `faqs` are the clinic's FAQ keyword lists; a hit returns Intent.FAQ and the list's index.
    """
    if reply_id in BUTTON_INTENTS:
        return Match(BUTTON_INTENTS[reply_id])
    if is_emergency(text):
        return Match(Intent.EMERGENCY)
    typed = words(text)
    if not typed:
        return Match(Intent.UNKNOWN)
    rules: list[tuple[Match, Sequence[str]]] = [(Match(intent), patterns) for intent, patterns in DIRECT_PATTERNS]
    rules += [(Match(Intent.FAQ, index), keywords) for index, keywords in enumerate(faqs)]
    rules += [(Match(intent), patterns) for intent, patterns in GENERAL_PATTERNS]
    for fuzzy in (False, True):
        for match, patterns in rules:
            if matches_any(typed, patterns, fuzzy=fuzzy):
                return match
    return Match(Intent.UNKNOWN)


def info_topics(text: str) -> list[Intent]:
    """Every clinic fact asked for ("timings and fees?" asks two), in a fixed order."""
    typed = words(text)
    patterns = {intent: p for intent, p in GENERAL_PATTERNS if intent in INFO_INTENTS}
    for fuzzy in (False, True):
        found = [intent for intent in INFO_INTENTS if matches_any(typed, patterns[intent], fuzzy=fuzzy)]
        if found:
            return found
    return []


def matches_any(typed: Sequence[str], phrases: Sequence[str], *, fuzzy: bool) -> bool:
    """Does any phrase (words in order, small gaps allowed) occur in the typed words?"""
    return any(_contains(typed, words(phrase), fuzzy=fuzzy) for phrase in phrases)


def _contains(typed: Sequence[str], pattern: Sequence[str], *, fuzzy: bool) -> bool:
    if not pattern:
        return False
    for start, word in enumerate(typed):
        if _word_matches(word, pattern[0], fuzzy=fuzzy) and _rest_follows(typed, start + 1, pattern[1:], fuzzy):
            return True
    return False


def _rest_follows(typed: Sequence[str], position: int, rest: Sequence[str], fuzzy: bool) -> bool:
    if not rest:
        return True
    for index in range(position, min(len(typed), position + MAX_GAP + 1)):
        if _word_matches(typed[index], rest[0], fuzzy=fuzzy) and _rest_follows(typed, index + 1, rest[1:], fuzzy):
            return True
    return False


def _fuzzy_limit(word: str) -> int:
    """How many typos a pattern word tolerates: none for short words ("hi", "map", "fees"),
    where one edit makes another word, one up to eight letters, two beyond."""
    if len(word) <= 5:
        return 0
    return 1 if len(word) <= 8 else 2


# Endings that keep a word's meaning: "appointments", "booking", "timings", "closed" (a bare
# "d" only after an "e": "car" + "d" is another word).
SUFFIXES = ("s", "es", "ed", "ing", "ings", "ment", "ments", "ly")


def _adds_an_ending(typed: str, wanted: str) -> bool:
    if len(wanted) < 3 or not typed.startswith(wanted):
        return False
    ending = typed[len(wanted) :]
    return ending in SUFFIXES or (ending == "d" and wanted.endswith("e"))


def _word_matches(typed: str, wanted: str, *, fuzzy: bool) -> bool:
    if typed == wanted:
        return True
    if _adds_an_ending(typed, wanted):
        return True
    if len(wanted) >= 2 and squeeze(typed) == squeeze(wanted):
        return True
    if not fuzzy:
        return False
    limit = _fuzzy_limit(wanted)
    return limit > 0 and typed[:1] == wanted[:1] and edit_distance(typed, wanted, limit) <= limit
