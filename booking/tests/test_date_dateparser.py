"""booking.dates' dateparser fallback: asked only for forms the fast rules do not read, configured
day first and forward, and its answers that make no sense dropped.

Reference: Monday 7 December 2026, 10:00 in Asia/Kolkata (the same week as the test_slots_* modules), in a
clinic open 09:00-18:00 unless a test says otherwise. Expected answers are written the way
`manage.py parse_when` prints them: "YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day,
plus the part of day (booking/tests/date_cases.py).
"""

import datetime as dt

import pytest

import booking.dates
from booking.tests.date_cases import NOW, read


def test_dateparser_reads_a_form_the_fast_rules_do_not():
    calls = []
    real = booking.dates._fallback

    def spy(*args):
        calls.append(args[0])
        return real(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(booking.dates, "_fallback", spy)
        assert read("dec-20") == ("2026-12-20", None)
    assert calls == ["dec-20"]


class _FakeDateData:
    def __init__(self, date_obj, period):
        self.date_obj, self.period = date_obj, period


class _FakeParser:
    def __init__(self, answer):
        self.answer = answer

    def get_date_data(self, text):
        return self.answer


@pytest.mark.parametrize(
    "answer",
    [
        _FakeDateData(dt.datetime(2026, 12, 5), "day"),  # "at 5" read as the 5th, already past
        _FakeDateData(dt.datetime(2027, 3, 1), "month"),  # "mar" read as March
        _FakeDateData(dt.datetime(2027, 1, 1), "year"),
        _FakeDateData(None, "day"),
    ],
)
def test_dateparser_answers_that_make_no_sense_are_dropped(monkeypatch, answer):
    monkeypatch.setattr(booking.dates.fallback, "_dateparser_parser", lambda now: _FakeParser(answer))
    assert read("next fortnightly camp") is None


def test_dateparser_answers_that_make_sense_are_kept(monkeypatch):
    answer = _FakeDateData(dt.datetime(2026, 12, 20, 17, 0), "time")
    monkeypatch.setattr(booking.dates.fallback, "_dateparser_parser", lambda now: _FakeParser(answer))
    assert read("next fortnightly camp") == ("2026-12-20T17:00", None)


def test_dateparser_is_configured_day_first_and_forward():
    parser = booking.dates.fallback._dateparser_parser(NOW.replace(tzinfo=None))
    assert parser._settings.DATE_ORDER == "DMY"
    assert parser._settings.PREFER_DATES_FROM == "future"
    assert parser.get_date_data("3/4").date_obj.date() == dt.date(2027, 4, 3)


def test_text_without_any_date_word_never_reaches_dateparser(monkeypatch):
    monkeypatch.setattr(booking.dates.fallback, "_dateparser_parser", lambda now: pytest.fail("dateparser was asked"))
    for text in ("hi", "what are the fees", "ok thanks", "2 tablets daily", "doctor kab available hai"):
        assert read(text) is None
