"""chat/whatsapp/body.py: decoding with limits (depth, number width, NaN) and cleaning without recursion."""

import json
import sys

import pytest

from chat.whatsapp.body import MAX_DEPTH, clean_text, decode, storable_json


def nested(depth: int, leaf: str = "1") -> bytes:
    return ("[" * depth + leaf + "]" * depth).encode()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_a_body_nested_deeper_than_the_limit_is_refused_without_a_recursion_error(depth):
    """Deeper than MAX_DEPTH: a problem named "too deep", whether json.loads itself gave up or not."""
    decoded = decode(nested(depth))
    assert (decoded.problem, decoded.value) == ("too deep", None)


def test_a_body_exactly_at_the_depth_limit_is_used():
    assert decode(nested(MAX_DEPTH)).problem == ""


def test_dicts_count_towards_the_depth_like_lists():
    deep = '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    assert decode(deep.encode()).problem == "too deep"


@pytest.mark.parametrize("number", ["9" * 4301, "-" + "9" * 4301, "1" * 31])
def test_an_integer_wider_than_any_id_becomes_null_and_is_reported(number):
    """Python refuses over 4,300 digits (ValueError); anything over 30 is no id Meta sends."""
    decoded = decode(f'{{"a": {number}, "b": 7}}'.encode())
    assert decoded.problem == ""
    assert decoded.value == {"a": None, "b": 7}
    assert len(decoded.cleaned) == 1 and "unusable number" in decoded.cleaned[0]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_non_finite_numbers_become_null_and_are_reported(constant):
    """PostgreSQL's jsonb refuses NaN and infinities."""
    decoded = decode(f'{{"location": {{"latitude": {constant}, "longitude": 72.8}}}}'.encode())
    assert decoded.value == {"location": {"latitude": None, "longitude": 72.8}}
    assert decoded.cleaned


def test_a_body_that_is_only_an_unusable_number_is_not_json():
    assert decode(b"NaN").problem == "not json"


@pytest.mark.parametrize("raw", [b"", b"{", b"\xff\xfe junk", b'{"a": 1} trailing', b"\xed\xa0\x80"])
def test_junk_is_not_json(raw):
    decoded = decode(raw)
    assert decoded.problem == "not json" and decoded.detail


def test_an_ordinary_body_decodes_unchanged():
    body = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"value": {"a": 1.5}}]}]}
    decoded = decode(json.dumps(body).encode())
    assert (decoded.value, decoded.problem, decoded.cleaned) == (body, "", [])


def test_a_scalar_body_decodes_to_itself():
    assert decode(b'"hello"').value == "hello"


def test_clean_text_drops_nul_replaces_lone_surrogates_and_cuts():
    assert clean_text("a\x00b\ud800c") == "ab\ufffdc"
    assert clean_text("abcdef", 3) == "abc"


def test_storable_json_cleans_every_string_and_key_and_keeps_order():
    value = {"k\x00": ["v\x00", {"\ud83d": "x\udfff"}, 1, None, True, 2.5], "z": "ok"}
    assert storable_json(value) == {"k": ["v", {"\ufffd": "x\ufffd"}, 1, None, True, 2.5], "z": "ok"}
    assert list(storable_json({"b": 1, "a": 2})) == ["b", "a"]


def test_storable_json_needs_no_recursion_for_a_deep_value():
    """Deeper than the interpreter's recursion limit: still cleaned (the walk uses a stack)."""
    deep = inner = []
    for _ in range(sys.getrecursionlimit() * 3):
        inner.append([])
        inner = inner[0]
    inner.append("a\x00")
    cleaned = storable_json(deep)
    for _ in range(sys.getrecursionlimit() * 3):
        cleaned = cleaned[0]
    assert cleaned == ["a"]


def test_storable_json_leaves_scalars_alone():
    assert [storable_json(v) for v in (None, 3, 2.5, False, "a\x00")] == [None, 3, 2.5, False, "a"]
