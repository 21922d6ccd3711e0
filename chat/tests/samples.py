"""The WhatsApp webhook bodies the tests post: the project's samples and a peer library's cases,
copied into the repository (chat/tests/fixtures/whatsapp/)."""

import json
from pathlib import Path


def _payload_dir(name: str) -> Path:
    """The shared WhatsApp payloads, copied into the repository (chat/tests/fixtures/whatsapp)."""
    return Path(__file__).parent / "fixtures" / "whatsapp" / name


SAMPLES = _payload_dir("samples")
PEER = _payload_dir("peer-pywa")
CLINIC = "100200300400500"
ASHA = "919800000001"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / name).read_text())


def peer_cases(name: str) -> dict[str, dict]:
    return json.loads((PEER / name).read_text())
