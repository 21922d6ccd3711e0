"""manage.py parse_when: booking.dates over JSON lines, for evaluation and for other tools.

stdin, one object per line:  {"id": "a1", "text": "kal shaam 5 baje", "ref": "2020-07-06T00:00:00", "tz": "Asia/Kolkata"}
stdout, one object per line: {"id": "a1", "start": "2020-07-07T17:00", "part_of_day": null}

`ref` is the moment the text was written, as local time in `tz` (an offset, if given, is
honoured); without `ref` the current time is used. `tz` defaults to Asia/Kolkata. `start` is
"YYYY-MM-DDTHH:MM" for a moment, "YYYY-MM-DD" for a day, null when the text names no time.
A line that cannot be read gets {"id": <id or null>, "error": "<why>"}: one bad line never stops
the stream. Every answer is flushed at once, so the command can sit behind a pipe.
"""

import datetime as dt
import json
import sys
import zoneinfo

from django.core.management.base import BaseCommand, CommandError

from booking.dates import DEFAULT_TZ, When, parse_when

# A request line is an id, a text and a moment: beyond this it is not one (the parser itself
# reads only the first booking.dates.MAX_TEXT characters of the text).
MAX_LINE = 1_000_000


class LineError(Exception):
    """What is wrong with one input line; reported on that line's output."""


def parse_open_hours(value: str) -> tuple[dt.time, dt.time]:
    try:
        opening, closing = (dt.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError as exc:
        raise CommandError(f"--open-hours wants HH:MM-HH:MM, got {value!r}") from exc
    if opening >= closing:
        raise CommandError("--open-hours: opening must come before closing")
    return opening, closing


def answer(when: When | None) -> dict:
    if when is None:
        return {"start": None, "part_of_day": None}
    if when.time is None:
        return {"start": when.day.isoformat(), "part_of_day": when.part_of_day}
    return {"start": f"{when.day.isoformat()}T{when.time:%H:%M}", "part_of_day": None}


def read_request(line: str) -> tuple[object, str, dt.datetime, zoneinfo.ZoneInfo]:
    """(id, text, now, tz) from one input line, or LineError saying what is wrong with it."""
    if not line.strip():
        raise LineError("empty line")
    if len(line) > MAX_LINE:
        raise LineError(f"line longer than {MAX_LINE} characters")
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"not JSON: {exc.msg}") from exc
    except (RecursionError, ValueError) as exc:  # nesting too deep, an integer over 4,300 digits
        raise LineError(f"not readable JSON: {type(exc).__name__}") from exc
    if not isinstance(request, dict):
        raise LineError("not a JSON object")
    text, ref, tz_name = request.get("text"), request.get("ref"), request.get("tz", DEFAULT_TZ)
    if text is None:
        raise LineError("missing text")
    if not isinstance(text, str):
        raise LineError("text is not a string")
    if not isinstance(tz_name, str):
        raise LineError("tz is not a string")
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise LineError(f"unknown tz: {tz_name!r}") from exc
    if ref is None:
        now = dt.datetime.now(tz)
    else:
        if not isinstance(ref, str):
            raise LineError("bad ref: not a string")
        try:
            now = dt.datetime.fromisoformat(ref)
        except ValueError as exc:
            raise LineError(f"bad ref: {ref!r} is not an ISO date-time") from exc
        now = now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)
    return request.get("id"), text, now, tz


def request_id(line: str) -> object:
    """The id of a line that failed, when it can still be read."""
    if len(line) > MAX_LINE:
        return None
    try:
        request = json.loads(line)
    except (TypeError, RecursionError, ValueError):  # JSONDecodeError is a ValueError
        return None
    return request.get("id") if isinstance(request, dict) else None


class Command(BaseCommand):
    help = "Read JSON lines {id, text, ref, tz} on stdin; write {id, start, part_of_day} per line."
    requires_system_checks = []  # reads no database: start fast
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests

    def add_arguments(self, parser):
        parser.add_argument(
            "--open-hours",
            default="09:00-18:00",
            help="the clinic's opening hours, for bare hours like 'at 3' (default 09:00-18:00)",
        )

    def handle(self, *args, **options):
        open_hours = parse_open_hours(options["open_hours"])
        # Bytes from the real stdin, so a line that is not UTF-8 is one error, not a crash.
        stdin = options.get("stdin") or getattr(sys.stdin, "buffer", sys.stdin)
        while raw := stdin.readline():  # readline, not iteration: answer each line as it arrives
            self.stdout.write(json.dumps(self.one(raw, open_hours), ensure_ascii=False))
            self.stdout.flush()

    def one(self, raw: str | bytes, open_hours) -> dict:
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            return {"id": None, "error": "not UTF-8"}
        try:
            line_id, text, now, tz = read_request(line)
            return {"id": line_id, **answer(parse_when(text, now=now, tz=tz, open_hours=open_hours))}
        except LineError as exc:
            return {"id": request_id(line), "error": str(exc)}
        except Exception as exc:  # a parser bug must cost one line, never the stream
            return {"id": request_id(line), "error": f"could not read the text: {type(exc).__name__}"}
