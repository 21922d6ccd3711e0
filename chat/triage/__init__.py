"""Red-flag triage: is this message an emergency, of which kind, and in which language?

Run on every typed message before anything else (menu, booking, FAQ, LLM). A miss can cost a
life; a false alarm only hands the chat to the doctor a little early. So the rules are built
from concepts, not from whole phrases: a class fires when a body part or function meets a
danger word close by ("seene mein bahut dard", "chest is paining", "छातीत खूप दुखतंय" are
all CHEST × PAIN), or on a word that is an emergency on its own ("unconscious", "बेशुद्ध").

Matching is on normalised words (`normalize`): lower case, punctuation and emoji gone,
Devanagari nukta and chandrabindu folded. A typed word may hold a letter longer than the
lexicon ("saaaans", "nnahi"), never shorter ("pool" is not "poll"). A lexicon word ending in
"*" is a stem ("breath*" matches "breathing", "छाती*" matches "छातीत"). Long words forgive one
or two typos. A word glued to the next ("cantbreathe", "saansnahi") is split when its parts
are lexicon words.

Then the framing: a match preceded by "no"/"not"/"without", or followed by "nahi hai" / "नाही
आहे", is negated; a message that speaks of the past ("last year", "follow-up", "report"),
of a service ("do you treat …"), of a hypothetical ("what to do if …"), or that is an idiom
("dying to know") is not an emergency — unless it also says the thing is happening now
("now", "abhi", "आत्ता", "again"). An emergency is never downgraded by anything else, and an
LLM is never asked (it may add a flag after the rules, never remove one).

The classes follow the ambulance services' "when to call" lists (NHS ambulance trusts;
India's 112/108): see docs/triage.md for how they were chosen and what they catch.
"""

from .classify import Triage, assess
from .language import EN, HI, HINGLISH, LANGUAGES, MR, MR_ROMAN, detect_language
from .lexicon import MAX_CHARS, normalize
from .reply import AMBULANCE, MENTAL_HEALTH_HELPLINE, emergency_text
from .rules import CLASSES

__all__ = [
    "AMBULANCE",
    "CLASSES",
    "EN",
    "HI",
    "HINGLISH",
    "LANGUAGES",
    "MAX_CHARS",
    "MENTAL_HEALTH_HELPLINE",
    "MR",
    "MR_ROMAN",
    "Triage",
    "assess",
    "detect_language",
    "emergency_text",
    "normalize",
]
