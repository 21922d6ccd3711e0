"""Reading words: `normalize`, how a typed word matches a lexicon word, and the lexicon
parsed once from the tables."""

import functools
import re
import unicodedata
from dataclasses import dataclass

from clinicbot.text import edit_distance

from .framing import (
    FILLER,
    FRAMING,
    LAUGHING,
    NEGATION_AFTER,
    NEGATION_BEFORE,
    NOW,
    PAST_AFTER,
    PRESENT,
    RECORD,
    REQUEST,
)
from .rules import RULES
from .strong import STRONG
from .words import terms

# Parsers see a bounded prefix: a pasted essay costs the same as a sentence.
MAX_CHARS = 600

# Patients on WhatsApp shout, stretch and misspell. Words short enough that a typo makes
# another word ("sir", "dam", "pet") are matched exactly.
_STRETCHED = re.compile(r"(.)\1\1+")
_DOUBLED = re.compile(r"(.)\1*")
_DOUBLE_VOWEL = re.compile(r"([aeiou])\1+")
_ALL_DOUBLES = re.compile(r"(.)\1+")


def _squeeze(word: str) -> str:
    """A letter held down ("saaaans", "pleeeease") counts twice: "saans" and "sans" are both
    lexicon words, but "pool" must not become "pol" (Marathi for a burn) nor "feel" "fell"."""
    return _STRETCHED.sub(r"\1\1", word)


def normalize(text: str) -> list[str]:
    """The message as a list of lower-case words: punctuation and emoji are spaces, apostrophes
    vanish ("can't" → "cant"), Devanagari nukta and chandrabindu are folded, a bounded prefix."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_CHARS]).lower()
    text = text.replace("\u093c", "").replace("\u0901", "\u0902").replace("\u200d", "").replace("\u200c", "")
    text = text.replace("'", "").replace("’", "").replace("`", "")
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "M" and not "\u0900" <= ch <= "\u097f":
            continue  # an emoji's variation selector or a stray accent; Devanagari signs belong to the word
        kept.append(" " if category[0] in "PSZC" else ch)
    return "".join(kept).split()


@dataclass(frozen=True)
class _Term:
    """One lexicon entry: a sequence of words, each exact or a stem (trailing "*")."""

    words: tuple[tuple[str, int], ...]  # (squeezed word, WORD, STEM or STRICT)


# How a lexicon word matches: a word (with English endings and typos), a stem ("breath*":
# any word it begins), or strictly itself ("=burn": "burning" is a sensation, not a burn).
# Framing words ("ago", "report", "now") are PLAIN: endings but no typos, so that "attack" is
# never read as "attach" (Marathi "now").
WORD, STEM, STRICT, PLAIN = 1, 2, 3, 4


def _lexicon_form(word: str) -> str:
    """A lexicon word with its doubled vowels once ("saans" → "sans", "aali" → "ali"): patients
    spell Hindi and Marathi either way, and a typed word may always hold a letter longer than
    the lexicon (see _stretched), never shorter. Short words keep theirs ("too" is not "to")."""
    word = _squeeze(word)
    if not word.isascii():
        return word
    single = _DOUBLE_VOWEL.sub(r"\1", word)
    return single if len(single) >= 3 else word


def _parse_entries(entries: tuple[str, ...], plain: int = 0) -> tuple[_Term, ...]:
    """Lexicon entries as terms; `plain` is the kind of a word without a mark (WORD or PLAIN)."""
    plain = plain or WORD
    terms = []
    for entry in entries:
        parts = []
        for word in entry.split():
            stem = word.endswith("*")
            strict = word.startswith("=")
            cleaned = normalize(word.strip("*="))
            for index, piece in enumerate(cleaned):
                kind = STEM if stem and index == len(cleaned) - 1 else STRICT if strict else plain
                parts.append((_lexicon_form(piece), kind))
        if parts:
            terms.append(_Term(tuple(parts)))
    return tuple(terms)


# Endings that keep an English word's meaning ("pains", "bleeding", "fainted").
ENDINGS = terms("s, es, ed, d, ing, ly, y")


def _fuzzy_limit(word: str) -> int:
    """Typos forgiven: none in short words ("sir", "dam", "pet": one edit makes another word)."""
    if not word.isascii():
        return 0 if len(word) < 5 else 1
    if len(word) <= 5:
        return 0
    return 1 if len(word) <= 8 else 2


def _word_matches(typed: str, wanted: str, kind: int) -> bool:
    """Both squeezed. Every way of matching keeps the first letter."""
    if typed == wanted or _stretched(typed, wanted, kind):
        return True
    if kind == STRICT:
        return False
    if len(wanted) >= 3:
        # English endings ("pains", "fainted", "bleeds"); Hindi and Marathi ones ("नाहीत", "छातीत").
        if not wanted.isascii():
            if kind != STEM and typed.startswith(wanted) and len(typed) - len(wanted) <= 3:
                return True
        elif kind != STEM and any(
            typed.endswith(ending) and _stretched(typed[: -len(ending)], wanted, WORD) for ending in ENDINGS
        ):
            return True
    if kind == PLAIN:
        return False
    # Typos, counted as typed and on single letters: "kitakanshhak" is one swap from
    # "kitaknashak*", "pestiide" one letter short of "pesticid*".
    forms = {(typed, wanted)}
    if wanted.isascii():
        forms.add((_ALL_DOUBLES.sub(r"\1", typed), _ALL_DOUBLES.sub(r"\1", wanted)))
    return any(_typo_of(t, w, kind, long_word=len(typed) >= 8) for t, w in forms)


def _typo_of(typed: str, wanted: str, kind: int, *, long_word: bool) -> bool:
    if kind == STEM:
        # A long stem forgives one typo in its letters ("seizer" for "seizur*", "बेशुध्द" for "बेशुद्ध*");
        # a short stem only in a long word: "tihgtness" is "tight*", but "pointing" is not "pain*".
        shortest = (5 if long_word else 6) if wanted.isascii() else 5
        if len(wanted) < shortest or len(typed) < len(wanted) - 1:
            return False
        return any(edit_distance(typed[:n], wanted, 1) <= 1 for n in (len(wanted) - 1, len(wanted), len(wanted) + 1))
    limit = _fuzzy_limit(wanted)
    return bool(limit) and edit_distance(typed, wanted, limit) <= limit


@functools.lru_cache(maxsize=65536)
def _runs(word: str) -> tuple[tuple[str, int], ...]:
    """ "saans" → (s, 1), (a, 2), (n, 1), (s, 1)."""
    return tuple((match.group(1), len(match.group(0))) for match in _DOUBLED.finditer(word))


def _stretched(typed: str, wanted: str, kind: int) -> bool:
    """Is `typed` the lexicon word with some letters typed twice ("nnahi", "hoshh", "ppain")?
    Every letter must be held at least as long as in the lexicon: "pool" is not "poll" (Marathi
    for a burn), "feel" is not "fell"."""
    if kind == STRICT:
        return False
    have, want = _runs(typed), _runs(wanted)
    if len(have) < len(want) or (kind != STEM and len(have) != len(want)):
        return False
    return all(h[0] == w[0] and h[1] >= w[1] for h, w in zip(have, want, strict=False))


class _Lexicon:
    """Every concept parsed once, on first use (no work at import time), with the lexicon's
    words bucketed by first letter: every way of matching keeps the first letter."""

    def __init__(self) -> None:
        self.strong = {name: _parse_entries(entries) for name, entries in STRONG.items()}
        self.rules = {
            name: [tuple(_parse_entries(concept) for concept in rule) for rule in rules]
            for name, rules in RULES.items()
        }
        self.negation_before = _parse_entries(NEGATION_BEFORE, PLAIN)
        self.negation_after = _parse_entries(NEGATION_AFTER, PLAIN)
        self.framing = {name: _parse_entries(entries, PLAIN) for name, entries in FRAMING.items()}
        self.now = _parse_entries(NOW, PLAIN)
        self.laughing = _parse_entries(LAUGHING, PLAIN)
        self.request = _parse_entries(REQUEST, PLAIN)
        self.record = _parse_entries(RECORD, PLAIN)
        self.present = _parse_entries(PRESENT, PLAIN)
        self.past_after = _parse_entries(PAST_AFTER, PLAIN)
        every = [
            *self.strong.values(),
            *(concept for rules in self.rules.values() for rule in rules for concept in rule),
            self.negation_before,
            self.negation_after,
            *self.framing.values(),
            self.now,
            self.laughing,
            self.request,
            self.record,
            self.present,
            self.past_after,
        ]
        vocabulary = {part for terms in every for term in terms for part in term.words}
        vocabulary |= {(_lexicon_form(word), STRICT) for word in FILLER}  # glue only
        self.buckets: dict[str, list[tuple[str, int]]] = {}
        for word, stem in vocabulary:
            self.buckets.setdefault(word[:1], []).append((word, stem))
        self._cache: dict[str, frozenset[tuple[str, int]]] = {}

    def meanings(self, typed: str) -> frozenset[tuple[str, int]]:
        """The lexicon words this typed (squeezed) word matches; remembered, words recur."""
        found = self._cache.get(typed)
        if found is None:
            found = frozenset(item for item in self.buckets.get(typed[:1], ()) if _word_matches(typed, *item))
            if len(self._cache) < 50_000:
                self._cache[typed] = found
        return found


_LEXICON: _Lexicon | None = None


def _lexicon() -> _Lexicon:
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = _Lexicon()
    return _LEXICON
