"""Accuracy and speed of booking.dates next to plain dateparser.

Run from the repository root:  .venv/bin/python bench/dates.py   (or any venv with requirements.txt)
Only the bounded-work figures:  .venv/bin/python bench/dates.py --bounded

Accuracy: chrono-node's English cases in booking/tests/fixtures/datecases (DATECASES_DIR to override),
scored exactly as booking/tests/test_datecases.py scores them (that module is imported, so the
two cannot drift); the clinic phrase table booking/tests/fixtures/clinic_phrases.jsonl, scored by
booking/tests/test_clinic_phrases.py; and the short unit table of booking/tests/date_cases.py.
Speed: warm time per message over a mix of typical clinic messages (the clinic table and its
negatives), each call timed on its own after a warm-up; and the cost of hostile long messages
(the parser reads only booking.dates.MAX_TEXT characters).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinicbot.settings")

import logging  # noqa: E402

logging.disable(logging.WARNING)  # the settings module greets the demo operator; not wanted here

import django  # noqa: E402

django.setup()

import dateparser  # noqa: E402

from booking.dates import MAX_TEXT, When, parse_when  # noqa: E402
from booking.tests import chrono_cases as cases  # noqa: E402
from booking.tests import clinic_phrase_table as phrases  # noqa: E402
from booking.tests.date_cases import CLINIC_PHRASES, NEGATIVES, NOW, meaning  # noqa: E402

ROUNDS = 30


def plain(text: str, ref: dt.datetime) -> dt.datetime | None:
    """Plain dateparser, as the issue defines it."""
    return dateparser.parse(text, languages=["en"], settings={"RELATIVE_BASE": ref, "PREFER_DATES_FROM": "future"})


def percent(right: int, total: int) -> str:
    return f"{right}/{total} = {100 * right / total:.1f}%" if total else "-"


def accuracy() -> None:
    every = cases.load_cases("chrono_en.jsonl")
    future_all = [case for case in every if cases.is_future(case)]
    future = [case for case in future_all if case["id"] not in cases.KNOWN_DIFFERENCES]
    past = [case for case in every if not cases.is_future(case)]
    negatives = cases.load_cases("chrono_en_negative.jsonl")

    ours = {case["id"]: cases.ours(case) for case in every + negatives}
    theirs = {case["id"]: plain(case["text"], cases.reference(case)) for case in every + negatives}

    def score_ours(case, strict=False):
        return cases.score(case, ours[case["id"]], strict=strict)

    def score_theirs(case, strict=False):
        return cases.score_plain(case, theirs[case["id"]], strict=strict)

    print(f"chrono-node English cases from {cases.CASES_DIR}")
    print(f"future cases: {len(future_all)}; known differences excluded: {len(future_all) - len(future)}")
    print()
    print(f"{'category (future cases)':38} {'n':>4}  {'booking.dates':>16}  {'plain dateparser':>16}")
    _, _, ours_by = cases.summary(future, future, lambda case, _: score_ours(case))
    _, _, theirs_by = cases.summary(future, future, lambda case, _: score_theirs(case))
    for name, (right, total) in ours_by.items():
        print(f"{name:38} {total:>4}  {percent(right, total):>16}  {percent(theirs_by[name][0], total):>16}")
    print()
    rows = [
        ("future, known differences excluded", future, False),
        ("future, all 265 (nothing excluded)", future_all, False),
        ("future, strict (any hour needs a time)", future, True),
        ("past cases (informative)", past, False),
    ]
    for label, chosen, strict in rows:
        mine = sum(score_ours(case, strict) for case in chosen)
        other = sum(score_theirs(case, strict) for case in chosen)
        print(f"{label:43} {percent(mine, len(chosen)):>18}  {percent(other, len(chosen)):>18}")
    mine = sum(ours[case["id"]] is None for case in negatives)
    other = sum(theirs[case["id"]] is None for case in negatives)
    print(
        f"{'negatives (must find nothing)':43} {percent(mine, len(negatives)):>18}  {percent(other, len(negatives)):>18}"
    )
    print()
    print(f"{'category (negatives)':38} {'n':>4}  {'booking.dates':>16}  {'plain dateparser':>16}")
    _, _, ours_neg = cases.summary(negatives, negatives, lambda case, _: ours[case["id"]] is None)
    _, _, theirs_neg = cases.summary(negatives, negatives, lambda case, _: theirs[case["id"]] is None)
    for name, (right, total) in ours_neg.items():
        print(f"{name:38} {total:>4}  {percent(right, total):>16}  {percent(theirs_neg[name][0], total):>16}")
    print()
    misses = [case for case in future if not score_ours(case)]
    print("booking.dates misses among the future cases:")
    for case in misses:
        print(f"  {case['id']:32} {case['text']!r:34} expected {case['expect']}, got {meaning(ours[case['id']])}")
    print()


def clinic_table() -> None:
    ref = NOW.replace(tzinfo=None)
    mine = sum(meaning(parse_when(text, now=NOW)) == (start, part) for text, start, part in CLINIC_PHRASES)
    other = 0
    for text, start, part in CLINIC_PHRASES:
        found = plain(text, ref)
        if found is None:
            continue
        # dateparser has no "day without a time": its midnight stands for one unless the text says midnight
        as_when = When(found.date()) if found.time() == dt.time(0) else When(found.date(), found.time())
        other += meaning(as_when) == (start, part)
    print(f"clinic phrase table (booking/tests/date_cases.py), read on {NOW:%a %d %b %Y %H:%M} IST")
    print(f"{'phrases':43} {percent(mine, len(CLINIC_PHRASES)):>18}  {percent(other, len(CLINIC_PHRASES)):>18}")
    mine = sum(parse_when(text, now=NOW) is None for text in NEGATIVES)
    other = sum(plain(text, ref) is None for text in NEGATIVES)
    print(f"{'negatives':43} {percent(mine, len(NEGATIVES)):>18}  {percent(other, len(NEGATIVES)):>18}")
    print()


def phrase_table() -> None:
    rows = phrases.load()
    print(
        f"clinic phrase table ({phrases.TABLE.relative_to(Path.cwd()) if phrases.TABLE.is_relative_to(Path.cwd()) else phrases.TABLE})"
    )
    print(phrases.report(rows))
    print()


HOSTILE = {
    "65,536 characters of date words": (
        " ".join("tomorrow 5pm kal 10:30 friday 15/12 next monday morning shaam baje 3rd dec in 2 hours".split() * 5000)
    )[:65536],
    "10,000 digits": "7" * 10_000,
    "5,000 kal": " ".join(["kal"] * 5000),
    "10,000 times 10:30": "10:30 " * 10_000,
    "5,000 durations": "in 2 hours and " * 5000,
    "punctuated digits 1/2/3.4:5-": "1/2/3.4:5-" * 5000,
    "Devanagari, 5,000 words": "कल शाम 5 बजे उद्या सकाळी " * 1000,
    "5,000 misspelt weekdays": "satruday wendesday " * 2500,
    "65,536 letters a": "a" * 65536,
}


HOSTILE_ROUNDS = 20


def bounded() -> None:
    print(f"hostile messages (only the first MAX_TEXT = {MAX_TEXT} characters are read); {HOSTILE_ROUNDS} runs each")
    about = NOW + dt.timedelta(days=2)
    for label, text in HOSTILE.items():
        parse_when(text, now=NOW)
        costs = []
        for _ in range(HOSTILE_ROUNDS):
            start = time.perf_counter()
            parse_when(text, now=NOW, about=about)
            costs.append(time.perf_counter() - start)
        costs.sort()
        best, median, worst = (1000 * costs[i] for i in (0, len(costs) // 2, -1))
        print(
            f"  {label:36} {len(text):>6} chars   best {best:6.2f} ms   median {median:6.2f} ms   worst {worst:6.2f} ms"
        )
    print()


def timings(label: str, parse, messages: list[str]) -> None:
    for _ in range(3):  # warm-up: imports, regex and dateparser caches
        for text in messages:
            parse(text)
    samples = []
    for _ in range(ROUNDS):
        for text in messages:
            start = time.perf_counter_ns()
            parse(text)
            samples.append(time.perf_counter_ns() - start)
    samples.sort()
    mean = statistics.fmean(samples) / 1000
    p50 = samples[len(samples) // 2] / 1000
    p99 = samples[int(len(samples) * 0.99)] / 1000
    print(f"{label:22} mean {mean:8.1f} µs   p50 {p50:8.1f} µs   p99 {p99:8.1f} µs   ({len(samples)} calls)")


def speed() -> None:
    messages = [text for text, _, _ in CLINIC_PHRASES] + NEGATIVES
    ref = NOW.replace(tzinfo=None)
    print(f"warm parse time per message: {len(messages)} clinic messages (table + negatives) x {ROUNDS} rounds")
    timings("booking.dates", lambda text: parse_when(text, now=NOW), messages)
    timings("plain dateparser", lambda text: plain(text, ref), messages)


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}, dateparser {dateparser.__version__}")
    print()
    if "--bounded" not in sys.argv:
        accuracy()
        phrase_table()
        clinic_table()
        speed()
    bounded()
