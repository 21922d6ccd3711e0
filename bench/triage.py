"""Triage figures on a labelled corpus: recall per class and per language, false alarms per
kind and per language, language read right, and the time per message.

    .venv/bin/python bench/triage.py                      # the corpus the tests hold
    .venv/bin/python bench/triage.py chat/tests/triage/heldout_3.tsv

A file has three tab-separated columns: label (a class, or a near-miss kind / "none"), language,
message. Labels that are triage classes are urgent; any other label is a near-miss.
"""

import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chat import triage  # noqa: E402

DEFAULT = [
    "chat/tests/triage/urgent.tsv",
    "chat/tests/triage/near_misses.tsv",
    "chat/tests/triage/heldout_1.tsv",
    "chat/tests/triage/heldout_2.tsv",
]


def load(paths: list[str]) -> list[tuple[str, str, str]]:
    rows = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                label, language, message = line.split("\t")
                rows.append((label, language, message))
    return rows


def table(title: str, counts: dict[str, list[int]], what: str) -> None:
    print(f"\n| {title} | messages | {what} |\n|---|---|---|")
    for key in sorted(counts):
        hit, total = counts[key]
        print(f"| {key} | {total} | {hit} ({100 * hit / total:.1f}%) |")


def main(paths: list[str]) -> None:
    rows = load(paths)
    urgent = [row for row in rows if row[0] in triage.CLASSES]
    quiet = [row for row in rows if row[0] not in triage.CLASSES]
    started = time.perf_counter()
    results = {message: triage.assess(message) for _, _, message in rows}
    elapsed = time.perf_counter() - started

    by_class: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    by_language: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    fired = right_class = 0
    for label, language, message in urgent:
        result = results[message]
        fired += result.urgent
        right_class += label in result.classes
        for counts, key in ((by_class, label), (by_language, language)):
            counts[key][0] += result.urgent
            counts[key][1] += 1
    alarms_by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    alarms_by_language: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    alarms = 0
    for label, language, message in quiet:
        result = results[message]
        alarms += result.urgent
        for counts, key in ((alarms_by_kind, label), (alarms_by_language, language)):
            counts[key][0] += result.urgent
            counts[key][1] += 1
    languages_right = sum(triage.detect_language(message) == language for _, language, message in rows)

    print(f"corpus: {', '.join(paths)} — {len(rows)} messages, {len(urgent)} urgent, {len(quiet)} near-misses")
    if urgent:
        print(f"urgent that fired: {fired}/{len(urgent)} ({100 * fired / len(urgent):.1f}%)")
        print(f"urgent that fired their labelled class: {right_class}/{len(urgent)}")
    if quiet:
        print(f"false alarms: {alarms}/{len(quiet)} ({100 * alarms / len(quiet):.1f}%)")
    print(f"language read right: {languages_right}/{len(rows)}")
    print(f"time: {1000 * elapsed / len(rows):.2f} ms per message (cold lexicon cache)")
    if urgent:
        table("class", by_class, "fired")
        table("language (urgent)", by_language, "fired")
    if quiet:
        table("near-miss kind", alarms_by_kind, "false alarms")
        table("language (near-misses)", alarms_by_language, "false alarms")
    misses = [(label, message) for label, _, message in urgent if not results[message].urgent]
    false_alarms = [(results[message].classes, message) for _, _, message in quiet if results[message].urgent]
    for label, message in misses:
        print(f"missed {label}: {message}")
    for classes, message in false_alarms:
        print(f"false alarm {','.join(classes)}: {message}")


if __name__ == "__main__":
    main(sys.argv[1:] or DEFAULT)
