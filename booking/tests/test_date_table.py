"""booking.dates on the clinic phrase table and its negatives, without dateparser.

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day (booking/tests/date_cases.py).
"""

import pytest

import booking.dates
from booking.tests.date_cases import CLINIC_PHRASES, NEGATIVES, read


def test_the_clinic_table_is_large_enough():
    assert len(CLINIC_PHRASES) >= 80
    assert len({text for text, _, _ in CLINIC_PHRASES}) == len(CLINIC_PHRASES)


@pytest.mark.parametrize(("text", "start", "part"), CLINIC_PHRASES)
def test_clinic_phrase(text, start, part):
    assert read(text) == (start, part)


@pytest.mark.parametrize("text", NEGATIVES)
def test_message_without_a_time_finds_nothing(text):
    assert read(text) is None


def test_common_messages_never_reach_dateparser(monkeypatch):
    """The speed promise: everything a patient usually writes is read without dateparser."""

    def refuse(*args):
        raise AssertionError("dateparser was asked")

    monkeypatch.setattr(booking.dates, "_fallback", refuse)
    for text, start, part in CLINIC_PHRASES:
        assert read(text) == (start, part), text
    for text in NEGATIVES:
        assert read(text) is None, text
