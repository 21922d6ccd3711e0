"""Webhook bodies become typed events (chat.whatsapp.payloads.parse_webhook) whatever they hold:
random JSON and mutated real payloads (hypothesis) never raise, and every event stays well formed.

The bodies are the JSON fixtures in chat/tests/fixtures/whatsapp/; what each should become is in
chat/tests/payload_cases.py (shared with the webhook's tests).
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.tests.samples import PEER, SAMPLES, peer_cases, sample
from chat.whatsapp.payloads import TYPES, Batch, parse_webhook

# -- fuzzing --------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
ALL_BODIES = [sample(p.name) for p in sorted(SAMPLES.glob("*.json"))] + [
    body for p in sorted(PEER.glob("*.json")) for body in peer_cases(p.name).values()
]


def assert_well_formed(batch: Batch) -> None:
    """What the integrator relies on: every Inbound can be stored and keyed, every Status applied."""
    for inbound in batch.inbound:
        assert isinstance(inbound.wamid, str) and inbound.wamid
        assert isinstance(inbound.wa_id or inbound.user_id, str) and (inbound.wa_id or inbound.user_id)
        assert inbound.timestamp.tzinfo is not None
        assert inbound.type in TYPES
        assert isinstance(inbound.text, str) and isinstance(inbound.reply_id, str)
        assert isinstance(inbound.phone_number_id, str) and inbound.phone_number_id
        assert inbound.media is None or all(isinstance(v, str) for v in inbound.media.values())
    for status in batch.statuses:
        assert status.wamid and status.status in {"sent", "delivered", "read", "failed"}
        assert status.timestamp.tzinfo is not None
        assert status.error_code is None or isinstance(status.error_code, int)
    for problem in batch.problems:
        assert isinstance(problem.reason, str) and problem.reason


def _slots(node: object) -> list[tuple[object, object]]:
    """Every (container, key) pair inside a JSON document, for picking a place to mutate."""
    found: list[tuple[object, object]] = []
    if isinstance(node, dict):
        for key, child in node.items():
            found.append((node, key))
            found.extend(_slots(child))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.append((node, index))
            found.extend(_slots(child))
    return found


def _retyped(value: object) -> object:
    """The same content in the wrong JSON type, the way a buggy sender would get it wrong."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, str):
        return int(value) if value.isdigit() else [value]
    if isinstance(value, bool | int | float):
        return str(value)
    return {}


@settings(max_examples=300, deadline=None)
@given(st.one_of(JSON, st.fixed_dictionaries({"object": st.just("whatsapp_business_account"), "entry": JSON})))
def test_random_json_never_raises(body):
    """Any JSON value at all parses without an exception into a well-formed Batch."""
    assert_well_formed(parse_webhook(body))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_BODIES), st.data())
def test_mutated_payloads_never_raise_and_inbound_stays_keyed(original, data):
    """Real payloads with keys deleted, values replaced or retyped: no exception, every Inbound still has a wamid and a patient key."""
    body = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        slots = _slots(body)
        if not slots:
            break
        container, key = data.draw(st.sampled_from(slots), label="where")
        action = data.draw(st.sampled_from(["delete", "replace", "retype"]), label="action")
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = data.draw(JSON, label="value")
        else:
            container[key] = _retyped(container[key])
    assert_well_formed(parse_webhook(body))
