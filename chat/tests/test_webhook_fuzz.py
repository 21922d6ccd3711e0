"""POST /webhooks/whatsapp/ fuzzed with hypothesis: random JSON and mutated samples and peer
payloads, correctly signed: always 200, and nothing is ever half stored. Run as FUZZ_SHARDS
shards (the `fuzz_shard` parameter), each its own random stream.

Bodies come from the JSON fixtures in chat/tests/fixtures/whatsapp/ (samples/ written for this
project, peer-pywa/ from pywa's test suite; what each should become in chat/tests/payload_cases.py).
Replies go out through the sandbox transport, so "sent" means the sandbox took it (status sent or
delivered, a wamid.SANDBOX- id). The `clinic` and `peer_clinic` fixtures are in chat/tests/conftest.py.
"""

from __future__ import annotations

import copy
import json
import os
import uuid

import pytest
from django.db.models import Exists, F, OuterRef, Q
from django.test import Client, override_settings
from hypothesis import HealthCheck, given
from hypothesis import event as hypothesis_event
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from chat.models import Message
from chat.tests.junk import JSON_VALUES, NASTY_STRINGS, RAW, RAW_TOKENS
from chat.tests.samples import PEER, SAMPLES, peer_cases, sample
from chat.tests.webhooks import SECRET, post
from chat.whatsapp.payloads import parse_webhook
from chat.whatsapp.signature import sign
from patients.models import Patient

# --- fuzzing -----------------------------------------------------------------------------------

# At least 2,000 in every run (make test); FUZZ_EXAMPLES=20000 for a long run (docs/benchmarks.md).
# Run as FUZZ_SHARDS tests of FUZZ_EXAMPLES / FUZZ_SHARDS examples each (each its own random
# stream; the file runs on one parallel worker, `--dist loadfile`).
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
FUZZ_SHARDS = 4
BASE_BODIES = [sample(p.name) for p in sorted(SAMPLES.glob("*.json"))] + [
    body for path in sorted(PEER.glob("*.json")) for body in peer_cases(path.name).values()
]

MESSAGE_BODIES = [body for body in BASE_BODIES if parse_webhook(body).inbound]


def _paths(value, prefix=()):
    """Every (container path, key) in a JSON tree, so a mutation can aim anywhere."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield prefix, key
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield prefix, index
            yield from _paths(child, (*prefix, index))


@st.composite
def mutated_bodies(draw) -> dict:
    """A real payload (sample or peer case) with fresh message ids, then 0–3 random edits, mostly
    inside the messages and statuses: a value replaced by any JSON value or a nasty string, a key
    deleted, or a list item doubled."""
    body = copy.deepcopy(
        draw(st.sampled_from(MESSAGE_BODIES) | st.sampled_from(MESSAGE_BODIES) | st.sampled_from(BASE_BODIES))
    )
    for entry in body.get("entry", []):
        for change in entry.get("changes", []) if isinstance(entry, dict) else []:
            for message in change.get("value", {}).get("messages", []) or []:
                message["id"] = f"wamid.FUZZ-{uuid.uuid4().hex}"
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        paths = list(_paths(body))
        deep = [(prefix, key) for prefix, key in paths if len(prefix) >= 6]  # inside one message or status
        if not paths:
            break
        prefix, key = draw(st.sampled_from(deep if deep and draw(st.integers(0, 4)) else paths))
        parent = body
        for step in prefix:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "nasty", "raw", "delete", "double"]))
        if action == "raw":
            parent[key] = RAW
        elif action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "nasty":
            parent[key] = draw(NASTY_STRINGS)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(parent[key][0]))
    return body


@pytest.fixture
def fuzz_client():
    """One client for all of a fuzz run's examples, raising any server error into the test."""
    return Client(raise_request_exception=True)


def assert_nothing_half_stored() -> None:
    """Every incoming message has its wamid, time and patient (of the same clinic); no reply is
    left sending; every patient has a message. Two queries, run after each of thousands of
    examples: the rows that break a rule are shown when one does."""
    incoming_broken = Q(wamid__isnull=True) | Q(wamid="") | Q(wa_timestamp__isnull=True)
    incoming_broken |= ~Q(patient__doctor_id=F("doctor_id"))
    broken = Message.objects.filter(
        (Q(direction=Message.Direction.IN) & incoming_broken)
        | Q(direction=Message.Direction.OUT, status=Message.Status.SENDING)
    )
    assert not broken.exists(), list(broken.values("id", "direction", "wamid", "wa_timestamp", "status")[:5])
    alone = Patient.objects.filter(~Exists(Message.objects.filter(patient=OuterRef("pk"))))
    assert not alone.exists(), list(alone.values("id", "wa_id")[:5])


@pytest.mark.slow
@pytest.mark.parametrize("fuzz_shard", range(FUZZ_SHARDS))
@hypothesis_settings(
    max_examples=-(-FUZZ_EXAMPLES // FUZZ_SHARDS),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    body=st.one_of(mutated_bodies(), mutated_bodies(), mutated_bodies(), JSON_VALUES),
    ascii_only=st.booleans(),
    raw_token=st.sampled_from(RAW_TOKENS),
)
@override_settings(WHATSAPP_APP_SECRET=SECRET)
def test_fuzzed_webhook_bodies_never_get_a_500_or_a_half_stored_message(
    peer_clinic, fuzz_client, fuzz_shard, body, ascii_only, raw_token
):
    """Random JSON and mutated samples/peer payloads, correctly signed, sent \\u-escaped or as raw
    UTF-8 (invalid where a lone surrogate is), some with NaN, 4,301-digit numbers, 1,000-deep
    nesting or absurd timestamps written in: always 200, and nothing is ever half stored."""
    client = fuzz_client
    raw = json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    raw = raw.replace(json.dumps(RAW).encode(), raw_token.encode())
    response = post(raw, signature=sign(raw, SECRET), client=client)
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert_nothing_half_stored()
    hypothesis_event(f"stored={response.json().get('stored')} statuses={response.json().get('statuses')}")
