"""The clinic phrase table (booking/tests/fixtures/clinic_phrases.jsonl and its three held-out
sets): reading it, booking.dates' answer to a row, whether that answer is right, and the per-class
and per-language figures. Read by test_clinic_phrases and by bench/dates.py; the row format is
described in test_clinic_phrases.
"""

import datetime as dt
import json
from collections import Counter
from pathlib import Path

from booking.dates import When, parse_when

FIXTURES = Path(__file__).parent / "fixtures"
TABLE = FIXTURES / "clinic_phrases.jsonl"
HELD_OUT = [FIXTURES / f"clinic_phrases_heldout{n}.jsonl" for n in ("", "2", "3")]
TZ = "Asia/Kolkata"


def load(path: Path = TABLE) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def answer(row: dict) -> When | None:
    about = dt.datetime.fromisoformat(row["about"]) if row.get("about") else None
    return parse_when(row["text"], now=dt.datetime.fromisoformat(row["now"]), tz=TZ, about=about)


def start(when: When | None) -> str | None:
    if when is None:
        return None
    return when.day.isoformat() if when.time is None else f"{when.day.isoformat()}T{when.time:%H:%M}"


def right(row: dict, when: When | None) -> bool:
    if start(when) != row["expect"] or (when is not None and when.part_of_day != row["part"]):
        return False
    return "day_given" not in row or when is None or when.day_given is row["day_given"]


def figures(rows: list[dict]) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]], list]:
    """({class: (right, total)}, {lang: (right, total)}, [(row, answer) for each miss])."""
    good, total, good_lang, total_lang, misses = Counter(), Counter(), Counter(), Counter(), []
    for row in rows:
        when = answer(row)
        ok = right(row, when)
        total[row["class"]] += 1
        good[row["class"]] += ok
        total_lang[row["lang"]] += 1
        good_lang[row["lang"]] += ok
        if not ok:
            misses.append((row, when))
    by_class = {name: (good[name], total[name]) for name in sorted(total)}
    by_lang = {name: (good_lang[name], total_lang[name]) for name in sorted(total_lang)}
    return by_class, by_lang, misses


def report(rows: list[dict]) -> str:
    by_class, by_lang, misses = figures(rows)
    good = sum(g for g, _ in by_class.values())
    lines = ["| class | right | share |", "|---|---|---|"]
    lines += [f"| {name} | {g}/{n} | {100 * g / n:.1f}% |" for name, (g, n) in by_class.items()]
    lines += [f"| **all** | **{good}/{len(rows)}** | **{100 * good / len(rows):.1f}%** |", ""]
    lines += ["| language | right | share |", "|---|---|---|"]
    lines += [f"| {name} | {g}/{n} | {100 * g / n:.1f}% |" for name, (g, n) in by_lang.items()]
    if misses:
        lines += ["", "misses:"]
        for row, when in misses:
            got = None if when is None else (start(when), when.part_of_day, when.day_given)
            lines.append(
                f"  [{row['class']}] {row['text']!r} at {row['now']}: expected {row['expect']} {row['part']}, got {got}"
            )
    return "\n".join(lines)
