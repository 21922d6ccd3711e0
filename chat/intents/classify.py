"""The questions callers ask: what a message wants (`classify`), which clinic facts it asks for
(`info_topics`), whether it is an emergency or a request for the menu."""

from collections.abc import Sequence
from dataclasses import dataclass

from chat import triage
from clinicbot.text import normalize, words

from .direct import DIRECT_PATTERNS, DOCUMENT_ALONE
from .general import GENERAL_PATTERNS
from .kinds import BUTTON_INTENTS, INFO_INTENTS, MENU_COMMANDS, Intent
from .matching import matches_any


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
    if " ".join(typed) in DOCUMENT_ALONE:
        return Match(Intent.DOCUMENT_REQUEST)
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
