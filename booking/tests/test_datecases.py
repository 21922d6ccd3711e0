"""booking.dates against chrono-node's English suite and its "must find nothing" cases.

The cases are a copy of the shared datecases in booking/tests/fixtures/datecases (README there); point
DATECASES_DIR elsewhere to use another copy. The loading and the scoring (what counts as right,
which cases are "future") live in booking/tests/chrono_cases.py, which bench/dates.py reads too,
so the figures it prints and the thresholds asserted here are computed the same way.
"""

import datetime as dt

import pytest

from booking.dates import When
from booking.tests.chrono_cases import (
    CASES_DIR,
    KNOWN_DIFFERENCES,
    future_cases,
    is_future,
    load_cases,
    ours,
    score,
    summary,
)

FUTURE_THRESHOLD = 0.977
NEGATIVE_THRESHOLD = 1.0  # the issue: negatives 100%

needs_cases = pytest.mark.skipif(
    not (CASES_DIR / "chrono_en.jsonl").exists(), reason=f"date cases not found in {CASES_DIR} (set DATECASES_DIR)"
)


@needs_cases
def test_the_future_case_count_is_the_one_the_readme_gives():
    assert sum(is_future(case) for case in load_cases("chrono_en.jsonl")) == 265


@needs_cases
def test_known_differences_are_real_future_cases_that_we_read_differently():
    by_id = {case["id"]: case for case in load_cases("chrono_en.jsonl")}
    for case_id in KNOWN_DIFFERENCES:
        case = by_id[case_id]
        assert is_future(case), case_id
        assert not score(case, ours(case)), f"{case_id} is no longer a difference: take it off the list"


@needs_cases
def test_day_first_differences_are_read_day_first():
    by_id = {case["id"]: case for case in load_cases("chrono_en.jsonl")}
    assert ours(by_id["en_slash:144"]) == When(dt.date(2012, 10, 8))  # 8/10 is 8 October
    assert ours(by_id["en_slash:266"]) == When(dt.date(2022, 8, 1), dt.time(12))  # 1/8 at 12pm, 1 August


@needs_cases
def test_future_cases_reach_the_threshold():
    cases = future_cases()
    right, total, per_category = summary(cases, [ours(case) for case in cases], score)
    misses = [case["text"] for case in cases if not score(case, ours(case))]
    assert right / total >= FUTURE_THRESHOLD, f"{right}/{total} = {right / total:.1%}; misses: {misses}"


@needs_cases
def test_negative_cases_find_nothing():
    cases = load_cases("chrono_en_negative.jsonl")
    found = {case["text"]: ours(case) for case in cases}
    wrong = {text: when for text, when in found.items() if when is not None}
    assert 1 - len(wrong) / len(cases) >= NEGATIVE_THRESHOLD, wrong


@needs_cases
def test_every_category_of_future_cases_is_mostly_right():
    cases = future_cases()
    _, _, per_category = summary(cases, [ours(case) for case in cases], score)
    weak = {name: (right, total) for name, (right, total) in per_category.items() if right / total < 0.9}
    assert not weak, weak
