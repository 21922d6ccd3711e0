"""Typed words against a pattern's words: in order, with at most `MAX_GAP` others between two,
each equal, with a common ending added, with repeated letters squeezed or, in the fuzzy pass,
one or two edits apart (the rules in chat/intents/__init__.py's docstring)."""

import functools
from collections.abc import Sequence

from clinicbot.text import edit_distance, squeeze, words

# How many other words may stand between two words of a pattern.
MAX_GAP = 2


def matches_any(typed: Sequence[str], phrases: Sequence[str], *, fuzzy: bool) -> bool:
    """Does any phrase (words in order, small gaps allowed) occur in the typed words?"""
    return any(_contains(typed, _phrase_words(phrase), fuzzy=fuzzy) for phrase in phrases)


# The phrase tables are fixed and read for every message: their words and squeezed words are
# worked out once, not ~1,000 times a message (a profile of the worker found normalising and
# squeezing the tables' phrases to be half of the bot's CPU). Bounded, as a clinic's FAQ adds
# phrases of its own.
@functools.lru_cache(maxsize=8192)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(words(phrase))


_squeezed = functools.lru_cache(maxsize=16384)(squeeze)


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
    if len(wanted) >= 2 and _squeezed(typed) == _squeezed(wanted):
        return True
    if not fuzzy:
        return False
    limit = _fuzzy_limit(wanted)
    return limit > 0 and typed[:1] == wanted[:1] and edit_distance(typed, wanted, limit) <= limit
