"""One spelling per word: a message rewritten into the plain English the patterns are written in.

"Kal SHAAM 5 baje" -> "tomorrow evening 5 oclock", "उद्या सकाळी 10 वाजता" -> "tomorrow morning 10
oclock", "satruday" -> "saturday". The tables are in `words.py`.
"""

import functools
import re
import unicodedata

from clinicbot.text import edit_distance

from .patterns import _ORDINAL_AFTER_MONTH_RE, _ORDINAL_BEFORE_MONTH_RE, _ORDINAL_WORD_RE
from .words import _DEVANAGARI, _DEVANAGARI_ENDINGS, _WORDS, MONTHS, ORDINAL_WORDS, WEEKDAYS

_DEVANAGARI_RE = re.compile(r"[\u0900-\u0963\u0970-\u097f]+")
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


def _devanagari(match: re.Match) -> str:
    word = match.group(0)
    if word in _DEVANAGARI:
        return f" {_DEVANAGARI[word]} "
    for ending in _DEVANAGARI_ENDINGS:
        stem = word.removesuffix(ending)
        if stem != word and stem in _DEVANAGARI:
            tail = {"पासून": " since", "नंतर": " later", "ने": " later"}.get(ending, "")
            return f" {_DEVANAGARI[stem]}{tail} "
    return f" {word} "


_WORDS_RE = re.compile(
    r"(?<![\w'])(?:" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")(?![\w'])"
)
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "−": "-", "@": " at ", "~": " about "})
_AMPM_RE = re.compile(r"(?<![a-z])([ap])\.\s?m\b\.?")
_CLOCK_TYPO_RE = re.compile(r"(?<![\d:.,/-])(\d{1,2})(?:\s*:\s+|\s+:\s*|;|[,-](?=\d\d\s*[ap]m\b))([0-5]\d)(?!\d)")
_ISH_RE = re.compile(r"(?<![\d:.])(\d{1,2}(?::[0-5]\d)?)\s*-?ish\b")
_OCLOCK_RE = re.compile(r"\bo\s?'?\s?(?:clock|clk)\b")
_SPACES_RE = re.compile(r"\s+")
# "tom" is tomorrow only before a time or a part of day ("tom 9am", "tom mrng"); else it is a name.
_TOM_RE = re.compile(r"\btom\b(?=\s*(?:\d|at\b|mo|mr|ev|af|ni|su|sh|do|ra))")


def _normalise(text: str) -> str:
    """Lower case, one spelling per word: "Kal SHAAM 5 baje" -> "tomorrow evening 5 oclock"."""
    s = unicodedata.normalize("NFC", text).translate(_TRANSLATE).translate(_DIGITS).lower()
    if _DEVANAGARI_RE.search(s):
        s = _SPACES_RE.sub(" ", _DEVANAGARI_RE.sub(_devanagari, s))
    s = _AMPM_RE.sub(r"\1m", s)
    s = _CLOCK_TYPO_RE.sub(r"\1:\2", s)  # "5 :30", "5;30", and "5,30 pm" / "5-30 pm" with am/pm after
    s = _ISH_RE.sub(r"around \1", s)  # "5ish"
    s = _OCLOCK_RE.sub("oclock", s)
    s = _TOM_RE.sub("tomorrow", s)
    if _ORDINAL_WORD_RE.search(s):  # "twentieth of december" -> "20 of december"
        s = _ORDINAL_BEFORE_MONTH_RE.sub(lambda m: str(ORDINAL_WORDS[_dash(m.group("w"))]), s)
        s = _ORDINAL_AFTER_MONTH_RE.sub(lambda m: f"{m.group('mon')} {ORDINAL_WORDS[_dash(m.group('w'))]}", s)
    s = _DOTTED_KO_RE.sub(r"on \1", s)  # "14.12 ko": a date, said before "ko" vanishes below
    s = _WORDS_RE.sub(lambda m: _WORDS[m.group(0)], s)
    s = _TARIKH_RE.sub(r"on \1th", s)  # "20 tarikh ko": the 20th
    s = _HALF_RE.sub(_half, s)  # "tomorrow second half": the afternoon
    s = _FUZZY_TOKEN_RE.sub(_fuzzy, s)
    return _SPACES_RE.sub(" ", s).strip()


_DOTTED_KO_RE = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2})\s+(?:ko|la|ला|को)(?![a-z])")


# Misspellings beyond the tables in words.py ("satruday", "wendesday", "tommorrw", "decembr", "budvar"):
# a word of five letters or more that starts with the same letter as a day, month or part of the
# day and is at most one typo away (two for words of seven letters or more). Weekday names must
# keep their ending ("...y", "...ya", "...var"), so "sundar" and "money" stay what they are;
# months shorter than six letters (march, april, may, june, july) are left alone ("match").
_FUZZY_TARGETS = (
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "morning",
     "evening", "afternoon", "january", "february", "august", "september", "october", "november", "december"]
    + ["somvar", "mangalvar", "budhvar", "guruvar", "shukravar", "shanivar", "ravivar"]
)  # fmt: skip
_FUZZY_BY_LETTER: dict[str, list[str]] = {}
for _target in _FUZZY_TARGETS:
    _FUZZY_BY_LETTER.setdefault(_target[0], []).append(_target)
_FUZZY_TOKEN_RE = re.compile(r"(?<![\w'])[a-z]{5,12}(?![\w'])")
_FUZZY_KNOWN = {
    *MONTHS, *WEEKDAYS, *_WORDS, *(w for v in _WORDS.values() for w in v.split()), "today", "tonight",
    "monthly", "sunny", "money", "moody", "mostly", "mainly", "freely", "frankly", "fries", "fried",
    "sundar", "sunder", "someday", "sometime", "sometimes", "evenly", "events", "everyday", "tomato",
    "tomatoes", "augustine", "mourning", "moaning", "mooring", "morningstar", "octave", "evenings", "mornings",
}  # fmt: skip


def _fuzzy(match: re.Match) -> str:
    return _fuzzy_word(match.group(0))


@functools.lru_cache(maxsize=4096)
def _fuzzy_word(word: str) -> str:
    if word in _FUZZY_KNOWN:
        return word
    limit = 1 if len(word) <= 6 else 2
    for target in _FUZZY_BY_LETTER.get(word[0], ()):
        if target.endswith("day") and not word.endswith(("y", "ya", "dey")):
            continue
        if target.endswith("var") and not word.endswith(("var", "war", "vaar", "waar")):
            continue
        if edit_distance(word, target, limit) <= limit:
            return _WORDS.get(target, target)
    for target in ("march", "april"):  # short months: only two neighbours swapped ("marhc", not "match")
        if sorted(word) == sorted(target) and edit_distance(word, target, 1) == 1:
            return target
    return word


# Indian English halves of the working day, only beside a day or "of the day" ("tomorrow second
# half", "first half of the day"); "the second half of 2025" is no part of a day.
_HALVES = {"first": "morning", "1st": "morning", "second": "afternoon", "2nd": "afternoon"}
_HALF_RE = re.compile(r"\b(?P<which>first|1st|second|2nd)\s+half(?P<of_day>\s+of\s+the\s+day)?\b")
_DAY_WORD_RE = re.compile(r"\b(?:today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")


def _half(match: re.Match) -> str:
    s, start, end = match.string, match.start(), match.end()
    beside_a_day = _DAY_WORD_RE.match(s, end + 1) or _DAY_WORD_RE.search(s, max(0, start - 10), start)
    return _HALVES[match.group("which")] if match.group("of_day") or beside_a_day else match.group(0)


_TARIKH_RE = re.compile(
    r"(?<![\d.:/])(\d{1,2})\s*(?:st|nd|rd|th)?\s*"
    r"(?:tarikh|tareekh|tarik|taarikh|tareek|tarakh|tarikh la|tarikhla|tarkhela|tarkhe|tarkh|date)(?![a-z])"
)


def _dash(words: str) -> str:
    return re.sub(r"[\s-]+", "-", words)
