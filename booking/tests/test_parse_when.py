"""manage.py parse_when: JSON lines in, one JSON line out per input line, never a crash."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import booking.dates

ROOT = Path(__file__).resolve().parents[2]
REF = "2020-07-06T00:00:00"  # a Monday


def run(*lines: str, **options) -> list[dict]:
    out = io.StringIO()
    call_command("parse_when", stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def request(**fields) -> str:
    return json.dumps(fields)


def test_answers_a_moment_a_day_with_a_part_of_day_and_nothing():
    answers = run(
        request(id="a", text="kal shaam 5 baje", ref=REF),
        request(id="b", text="next monday morning", ref=REF),
        request(id="c", text="what are the fees", ref=REF),
        request(id=4, text="15/07", ref=REF, tz="Asia/Kolkata"),
    )
    assert answers == [
        {"id": "a", "start": "2020-07-07T17:00", "part_of_day": None},
        {"id": "b", "start": "2020-07-13", "part_of_day": "morning"},
        {"id": "c", "start": None, "part_of_day": None},
        {"id": 4, "start": "2020-07-15", "part_of_day": None},
    ]


def test_ref_is_local_time_in_tz_and_an_offset_is_honoured():
    answers = run(
        request(id=1, text="today", ref="2020-07-06T23:00:00", tz="Asia/Kolkata"),
        request(id=2, text="today", ref="2020-07-06T23:00:00+00:00", tz="Asia/Kolkata"),  # 04:30 on the 7th
        request(id=3, text="today", ref="2020-07-06T23:00:00", tz="America/New_York"),
    )
    assert [a["start"] for a in answers] == ["2020-07-06", "2020-07-07", "2020-07-06"]


def test_missing_ref_means_now(monkeypatch):
    seen = []
    real = booking.dates.parse_when

    def spy(text, **kwargs):
        seen.append(kwargs["now"])
        return real(text, **kwargs)

    monkeypatch.setattr("booking.management.commands.parse_when.parse_when", spy)
    assert run(request(id=1, text="tomorrow"))[0]["id"] == 1
    assert seen[0].tzinfo is not None and seen[0].utcoffset().total_seconds() == 5.5 * 3600


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", {"id": None, "error": "empty line"}),
        ("   ", {"id": None, "error": "empty line"}),
        ("not json", {"id": None, "error": "not JSON: Expecting value"}),
        ("[1, 2]", {"id": None, "error": "not a JSON object"}),
        ('"text"', {"id": None, "error": "not a JSON object"}),
        (request(id="x"), {"id": "x", "error": "missing text"}),
        (request(id="x", text=5), {"id": "x", "error": "text is not a string"}),
        (
            request(id="x", text="hi", ref="yesterday"),
            {"id": "x", "error": "bad ref: 'yesterday' is not an ISO date-time"},
        ),
        (request(id="x", text="hi", ref=20200706), {"id": "x", "error": "bad ref: not a string"}),
        (request(id="x", text="hi", tz="Mars/Olympus"), {"id": "x", "error": "unknown tz: 'Mars/Olympus'"}),
        (request(id="x", text="hi", tz=""), {"id": "x", "error": "unknown tz: ''"}),
        (request(id="x", text="hi", tz=5), {"id": "x", "error": "tz is not a string"}),
    ],
)
def test_a_junk_line_gets_an_error_line(line, expected):
    assert run(line) == [expected]


def test_junk_between_good_lines_costs_only_itself():
    answers = run(request(id=1, text="tmrw 3pm", ref=REF), "{oops", request(id=3, text="at 9", ref=REF))
    assert [a.get("start", a.get("error")) for a in answers] == [
        "2020-07-07T15:00",
        "not JSON: Expecting property name enclosed in double quotes",
        "2020-07-06T09:00",
    ]


def test_hostile_lines_cost_one_error_line_each_and_the_stream_goes_on():
    """Nesting 100,000 deep, a 5,000-digit id, a line over a megabyte, a 180 KB text: each answered."""
    answers = run(
        "[" * 100_000,
        '{"id": 1' + "0" * 5000 + ', "text": "kal"}',
        request(id="huge", text="x" * 1_000_001),
        request(id="long", text="kal " * 45_000, ref=REF),
        request(id="ok", text="tmrw 3pm", ref=REF),
    )
    assert [a.get("error") for a in answers[:3]] == [
        "not readable JSON: RecursionError",
        "not readable JSON: ValueError",
        "line longer than 1000000 characters",
    ]
    assert answers[3] == {"id": "long", "start": "2020-07-07", "part_of_day": None}
    assert answers[4]["start"] == "2020-07-07T15:00"


def test_a_parser_failure_is_an_error_line_not_a_crash(monkeypatch):
    def broken(text, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("booking.management.commands.parse_when.parse_when", broken)
    assert run(request(id=9, text="tomorrow", ref=REF)) == [{"id": 9, "error": "could not read the text: ValueError"}]


def test_open_hours_decide_bare_hours():
    line = request(id=1, text="at 9", ref=REF)
    assert run(line)[0]["start"] == "2020-07-06T09:00"
    assert run(line, open_hours="17:00-21:00")[0]["start"] == "2020-07-06T21:00"
    with pytest.raises(CommandError):
        run(line, open_hours="18:00-09:00")
    with pytest.raises(CommandError):
        run(line, open_hours="nine to six")


def test_the_command_answers_each_line_as_it_arrives_and_survives_bad_bytes():
    """A real process behind a pipe: the first answer is readable before stdin is closed."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="clinicbot.settings")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "parse_when"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        process.stdin.write((request(id=1, text="parso shaam saadhe 5", ref=REF) + "\n").encode())
        process.stdin.flush()
        first = json.loads(process.stdout.readline())
        assert first == {"id": 1, "start": "2020-07-08T17:30", "part_of_day": None}
        process.stdin.write(b"\xff\xfe not utf-8\n")
        process.stdin.write((request(id=3, text="\u20b9500", ref=REF) + "\n").encode())
        process.stdin.close()
        rest = [json.loads(line) for line in process.stdout.read().splitlines()]
        assert rest == [{"id": None, "error": "not UTF-8"}, {"id": 3, "start": None, "part_of_day": None}]
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
