"""Reading a patient's words where they answer the booking flow: yes and no, a way out, a pick
from the rows shown, and which part of "kal ki jagah parso" names the new moment.

Patients answer in English, Hinglish, Hindi and Marathi, in Roman and Devanagari script, on
small keyboards; everything here works on `clinicbot.text.normalize`d words.
"""

import datetime as dt
import re

from clinicbot.text import normalize

# Whole messages that leave the flow at any step ("menu" is handled by the bot before us).
LEAVE_WORDS = frozenset(
    {
        "cancel", "cancel it", "cancel booking", "cancel this", "stop", "exit", "quit", "leave it", "leave",
        "never mind", "nevermind", "no thanks", "not now", "rehne do", "rehne de", "rahne do", "rahne de",
        "chhodo", "chodo", "chhod do", "chod do", "nahi chahiye", "nahin chahiye", "band karo", "nako", "rahu de",
    }
)  # fmt: skip
# Yes and no as patients write them (English, Hinglish, Hindi, Marathi). A "no" word anywhere
# wins ("nahi cancel mat karo"); a yes needs a yes word and nothing but filler around it.
NO_WORDS = frozenset(
    {"no", "n", "nope", "nah", "keep", "dont", "nahi", "nahin", "nhi", "nai", "na", "mat", "rakho", "rehne", "rahne",
     "nako", "nakko", "naahi", "नहीं", "नही", "ना", "मत", "नको", "नाही", "रहने"}
)  # fmt: skip
YES_WORDS = frozenset(
    {"yes", "y", "yeah", "yea", "yep", "yup", "ya", "ok", "okay", "okk", "k", "sure", "confirm", "confirmed", "haan",
     "han", "ha", "haa", "hn", "hanji", "ho", "hoy", "ji", "theek", "thik", "tik", "bilkul", "zaroor", "jarur",
     "chalega", "done", "हाँ", "हां", "हा", "हो", "जी", "ठीक", "बिल्कुल", "चालेल", "challel", "chalel"}
)  # fmt: skip
YES_FILLER = frozenset(
    {"please", "pls", "plz", "cancel", "it", "kar", "karo", "kardo", "do", "de", "dijiye", "hai", "he", "h", "sir",
     "madam", "maam", "doctor", "go", "ahead", "sahi", "thanks", "thank", "you", "that", "one", "appointment", "ji",
     "करो", "कर", "दो", "है", "करा", "कॅन्सल", "रद्द", "kara", "radd"}
)  # fmt: skip
# "the first one", "2nd", "option 3", "pehla wala": a pick from the rows just shown.
ORDINALS = {
    "first": 0, "1st": 0, "pehla": 0, "pehli": 0, "pahla": 0, "pahili": 0, "पहला": 0, "पहिला": 0,
    "second": 1, "2nd": 1, "dusra": 1, "doosra": 1, "dusri": 1, "dusara": 1, "दूसरा": 1, "दुसरा": 1,
    "third": 2, "3rd": 2, "teesra": 2, "tisra": 2, "tisri": 2, "teesri": 2, "तीसरा": 2, "तिसरा": 2,
    "fourth": 3, "4th": 3, "chautha": 3, "fifth": 4, "5th": 4, "sixth": 5, "6th": 5, "seventh": 6, "7th": 6,
    "eighth": 7, "8th": 7, "ninth": 8, "9th": 8, "tenth": 9, "10th": 9, "last": -1, "aakhri": -1, "akhri": -1,
}  # fmt: skip
PICK_RE = re.compile(
    r"^(?:ok |okay |haan |yes )?(?:the )?(?:(?P<word>" + "|".join(ORDINALS) + r")"
    r"|(?:option|number|no|slot|row) (?P<number>10|[1-9]))"
    r"(?: (?:one|wala|wali|waala|vala|option|slot|time|please|pls|ok|chalega|theek hai|is fine|book karo|book))*$"
)
# "kal ki jagah parso 11 baje", "shukravar aivaji somvar", "from friday to monday": only the new
# moment is read. "monday instead of friday" names the new one first.
NEW_AFTER_RE = re.compile(
    r"\b(?:ki|ke|kee|ka)\s+(?:jagah|jagha|jageh|jaga|badle|badley|bajaye|bajay)\b|\bfrom\b.+?\bto\b"
    r"|(?:च्या\s*)?ऐवजी|\baivaji\b|\bevaji\b|की\s+जगह|के\s+बदले"
)
# "12", "5" alone: an hour when it answers the flow's "when?".
BARE_HOUR_RE = re.compile(r"^\s*(?:1[0-9]|2[0-3]|0?[1-9])\s*[.!?]*\s*$")
INSTEAD_OF_RE = re.compile(r"\binstead\s+of\b")


def answers_question(text: str) -> bool:
    """A yes, a no or a way out: words that answer whatever the flow asked."""
    said = normalize(text)
    return said in LEAVE_WORDS or yes_or_no(said) is not None


def yes_or_no(said: str) -> str | None:
    """ "yes", "no" or None, from normalised words ("haan cancel kar do" -> yes, "nahi rehne do" -> no)."""
    words = said.split()
    if not words or len(words) > 8:
        return None
    if any(word in NO_WORDS for word in words):
        return "no"
    if any(word in YES_WORDS for word in words) and all(w in YES_WORDS or w in YES_FILLER for w in words):
        return "yes"
    return None


def picked(said: str, shown: list[dt.datetime]) -> dt.datetime | None:
    match = PICK_RE.match(said) if shown else None
    if match is None:
        return None
    index = ORDINALS[match["word"]] if match["word"] else int(match["number"]) - 1
    return shown[index] if -len(shown) <= index < len(shown) else None


def new_moment_part(text: str) -> str:
    """The part of a reschedule request that names the new moment."""
    lowered = text.lower()
    after = NEW_AFTER_RE.search(lowered)
    if after is not None and lowered[after.end() :].strip():
        return text[after.end() :]
    instead = INSTEAD_OF_RE.search(lowered)
    if instead is not None:
        before = lowered[: instead.start()]
        if re.search(r"\d|day|tomorrow|morning|evening|kal|parso", before):
            return text[: instead.start()]
        _, comma, rest = lowered[instead.end() :].partition(",")
        if comma and rest.strip():
            return text[len(text) - len(rest) :]
    return text
