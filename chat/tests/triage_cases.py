"""The red-flag triage corpus (chat/tests/triage/*.tsv) as (label, language, message) rows: the
urgent messages and the near-misses, held-out sets 1 and 2 included (they were tuned on). Read by
test_triage and test_emergency.
"""

from pathlib import Path

from chat import triage

CORPUS = Path(__file__).parent / "triage"


def load(name: str) -> list[tuple[str, str, str]]:
    """(label, language, message) rows of a corpus file; '#' lines are comments."""
    rows = []
    for line in (CORPUS / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, language, message = line.split("\t")
            rows.append((label, language, message))
    return rows


# Held-out sets 1 and 2 were each measured once, then tuned on: they are tested corpus now.
TUNED_ON = load("heldout_1") + load("heldout_2")
URGENT = load("urgent") + [row for row in TUNED_ON if row[0] in triage.CLASSES]
NEAR_MISSES = load("near_misses") + [row for row in TUNED_ON if row[0] not in triage.CLASSES]
