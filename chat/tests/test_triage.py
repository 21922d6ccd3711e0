"""Red-flag triage on its own corpus: plain unit tests, no database.

The corpus (chat/tests/triage/*.tsv, read by chat/tests/triage_cases.py) was written for this project: urgent messages labelled with
their class and language, and near-misses (history, follow-ups, reports, questions about a
service, jokes, booking requests that mention a symptom) that must not fire. Held-out sets 1
and 2 were each measured once and then tuned on, so they are tested here too; held-out set 3 was
written after the rules were frozen again and is only measured (bench/triage.py, docs/triage.md).
"""

import collections
import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat import triage
from chat.tests.triage_cases import NEAR_MISSES, URGENT


def test_the_corpus_covers_every_class_in_every_language():
    """At least 400 messages, 250 urgent over every class × language, 150 near-misses."""
    assert len(URGENT) + len(NEAR_MISSES) >= 400
    assert len(URGENT) >= 250 and len(NEAR_MISSES) >= 150
    cells = collections.Counter((label, language) for label, language, _ in URGENT)
    for name in triage.CLASSES:
        for language in triage.LANGUAGES:
            assert cells[(name, language)] >= 2, (name, language)
    assert {label for label, _, _ in URGENT} == set(triage.CLASSES)
    assert {language for _, language, _ in NEAR_MISSES} == set(triage.LANGUAGES)
    texts = [message for _, _, message in URGENT + NEAR_MISSES]
    assert len(texts) == len(set(texts)), "a message is in the corpus twice"


@pytest.mark.parametrize(("label", "language", "message"), URGENT, ids=[m for _, _, m in URGENT])
def test_every_urgent_message_fires_its_class(label, language, message):
    """100% recall: each urgent message is an emergency of the class it was labelled with."""
    result = triage.assess(message)
    assert label in result.classes, result


def test_near_misses_raise_at_most_three_percent_false_alarms():
    """History, follow-ups, reports, service questions, jokes and bookings stay quiet (≤3%)."""
    alarms = [(message, triage.assess(message).classes) for _, _, message in NEAR_MISSES]
    alarms = [alarm for alarm in alarms if alarm[1]]
    assert len(alarms) <= 0.03 * len(NEAR_MISSES), alarms


def test_the_language_is_read_right_for_nearly_every_message():
    """The reply goes out in the patient's language: at least 97% of the corpus is read right."""
    rows = URGENT + NEAR_MISSES
    wrong = [(message, language) for _, language, message in rows if triage.detect_language(message) != language]
    assert len(wrong) <= 0.03 * len(rows), wrong


@pytest.mark.parametrize(
    ("message", "framing"),
    [
        ("no chest pain, just a cough", "negated"),
        ("seene mein dard nahi hai", "negated"),
        ("heart attack 5 years ago, need a checkup", "history"),
        ("do you treat snake bites?", "hypothetical"),
        ("dying to know your timings", "idiom"),
        ("your bill gave me a heart attack lol", "idiom"),
    ],
)
def test_a_red_flag_word_in_a_harmless_frame_says_why_it_did_not_fire(message, framing):
    result = triage.assess(message)
    assert not result.urgent and result.framing == framing


@pytest.mark.parametrize(
    "message",
    [
        "he had a heart attack last year and now chest pain again",
        "pichle saal attack aaya tha, abhi phir seene mein dard",
        "follow-up was fine but now she is unconscious",
        "I tried suicide last year and I want to kill myself again",
        "haha no, seriously he is unconscious",
    ],
)
def test_the_past_or_a_joke_does_not_excuse_what_is_happening_now(message):
    assert triage.assess(message).urgent


@pytest.mark.parametrize(
    "message",
    [
        "send my report, my father cant breathe",
        "send my report my father cant breathe",
        "report bhejo, seene mein dard ho raha hai",
        "meri report bhej do, papa behosh ho gaye",
        "रिपोर्ट भेजो सीने में दर्द हो रहा है",
        "report pathva, chhatit dard hot aahe",
    ],
)
def test_a_report_does_not_excuse_a_red_flag_in_another_clause_or_said_in_the_present(message):
    """A record frames only its own clause; "cant breathe", "ho raha hai", "behosh ho gaye" are now."""
    assert triage.assess(message).urgent


@pytest.mark.parametrize(
    "message",
    [
        "my old report mentioned chest pain, can I get a copy?",
        "report me breathing problem likha tha 2 saal pehle",
        "old prescription for breathing problem, need a refill",
        "pichle hafte papa behosh ho gaye the, report bhejo",
    ],
)
def test_a_report_still_frames_the_red_flag_it_speaks_of(message):
    """ "behosh ho gaye the" is put in the past by "the"; the report's own clause is history."""
    result = triage.assess(message)
    assert not result.urgent and result.framing == "history"


def test_self_harm_is_told_apart_from_other_emergencies():
    assert triage.assess("मला जगायचं नाही").self_harm
    assert not triage.assess("chest pain").self_harm


def test_a_long_message_costs_a_bounded_prefix():
    """A pasted essay is read only up to MAX_CHARS: the red flag after it is not seen, and it is fast."""
    filler = "hello doctor " * 1000
    assert not triage.assess(filler + "unconscious").urgent
    assert triage.assess("unconscious " + filler).urgent


@pytest.mark.parametrize("message", ["", "   ", "🙂🙂", "?!", "\x00\ud800"])
def test_empty_or_odd_text_is_not_an_emergency(message):
    result = triage.assess(message)
    assert not result.urgent and result.language == triage.EN


# --- mutations: the same urgent message typed differently still fires -----------------------

EXTRA_BEFORE = ["please", "doctor", "hello", "urgent", "sir", "madam", "namaste", "hi", "🙏", "😭", "plz"]
EXTRA_AFTER = ["please", "help", "🙏", "😰", "!!!", "???", "jaldi", "lavkar", "what to do", "doctor please reply"]
PUNCTUATION = ["!", "!!", "?", "...", ",", " 😭", " 🙏", " 😰", "‼️", " -"]


def _typo(word: str, rng: random.Random) -> str:
    """One slip in a long Roman word, past its first two letters: a swap, a drop or a double."""
    if len(word) < 8 or not word.isascii() or not word.isalpha():
        return word
    at = rng.randrange(2, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def mutate(message: str, rng: random.Random) -> str:
    words = message.split()
    if rng.random() < 0.5:
        words = [_typo(word, rng) if rng.random() < 0.3 else word for word in words]
    if rng.random() < 0.5:  # stretched letters, as in "pleeease" or "saaaans"
        index = rng.randrange(len(words))
        word = words[index]
        letters = [i for i, ch in enumerate(word) if ch.isalpha() and unicodedata.category(ch) == "Ll"]
        if letters:
            at = rng.choice(letters)
            words[index] = word[: at + 1] + word[at] * rng.randint(1, 4) + word[at + 1 :]
    if rng.random() < 0.5:
        words = [word + rng.choice(PUNCTUATION) if rng.random() < 0.3 else word for word in words]
    if rng.random() < 0.4:
        words.insert(0, rng.choice(EXTRA_BEFORE))
    if rng.random() < 0.4:
        words.append(rng.choice(EXTRA_AFTER))
    text = " ".join(words)
    case = rng.choice(["keep", "upper", "lower", "title"])
    return {"keep": text, "upper": text.upper(), "lower": text.lower(), "title": text.title()}[case]


# derandomize: the same 400 retypings every run, so a rare unlucky one cannot make CI flaky (a longer
# random run is in docs/triage.md).
@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0, max_value=len(URGENT) - 1), seed=st.integers(min_value=0, max_value=2**32))
def test_an_urgent_message_typed_differently_still_fires(index, seed):
    """Case, a typo, stretched letters, punctuation, emoji and extra words change nothing."""
    label, _, message = URGENT[index]
    variant = mutate(message, random.Random(seed))
    assert label in triage.assess(variant).classes, (message, variant)
