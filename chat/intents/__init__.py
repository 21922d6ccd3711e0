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
  second pass only, when they are one or two edits apart (`matching._fuzzy_limit`) and start
  with the same letter ("docter", "cancle").

Intents are tried in a fixed order, so the specific beats the general: "cancel my appointment"
is about an existing appointment even though it says "appointment". The clinic's FAQ keywords
come after what the patient plainly asks for (a person, booking, their appointments) and
before single topic words. An exact hit anywhere beats a typo hit: "what are the charges" is
about fees, and "change" is never read as "charge".

Emergencies are not intents: chat/triage/ reads every message first (`is_emergency` asks it,
for callers such as the flood guard).

Layout: `kinds.py` (the intents, the menu buttons' ids, the menu words), `direct.py` and
`general.py` (the phrase tables, tried in that order around the FAQ keywords), `matching.py` (a
pattern against the typed words), `classify.py` (the questions callers ask). Callers import
everything from chat.intents.
"""

from clinicbot.text import normalize

from .classify import Match, classify, info_topics, is_emergency, is_menu_command
from .direct import DIRECT_PATTERNS
from .general import GENERAL_PATTERNS
from .kinds import BUTTON_INTENTS, INFO_INTENTS, MENU_COMMANDS, Intent
from .matching import MAX_GAP, matches_any

__all__ = [
    "BUTTON_INTENTS",
    "DIRECT_PATTERNS",
    "GENERAL_PATTERNS",
    "INFO_INTENTS",
    "MAX_GAP",
    "MENU_COMMANDS",
    "Intent",
    "Match",
    "classify",
    "info_topics",
    "is_emergency",
    "is_menu_command",
    "matches_any",
    "normalize",
]
