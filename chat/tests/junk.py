"""Hostile input shared by the fuzzers of the webhook (test_webhook_fuzz.py) and the JSON API
(test_api_junk.py): any JSON value, strings that have broken parsers and databases elsewhere, and
raw tokens json.dumps cannot write (written into a serialised body where RAW stands)."""

from hypothesis import strategies as st

JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
# Strings that have broken webhooks elsewhere: NUL (PostgreSQL text refuses it), overlong
# values (wider than the columns), non-ASCII, surrogate-free emoji, numbers as strings.
NASTY_STRINGS = st.sampled_from(
    ["", "\x00", "wamid.\x00nul", "\ud800", "a\udfffb", "a" * 300, "9" * 40, "नमस्ते", "👍🏽", "1767225600", "-1", "  "]
) | st.text(max_size=400)
# Written into the serialised body where a mutation put RAW (json.dumps cannot write them): the
# shapes that used to 500 the webhook (issue 12) and absurd timestamps.
RAW = "__raw_json__"
RAW_TOKENS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "9" * 4301,
    "-" + "9" * 4301,
    "[" * 1000 + "]" * 1000,
    '{"a":' * 40 + "1" + "}" * 40,
    '"253402300799"',  # 9999-12-31
    '"-62135596800"',  # year 1
    '"-1"',
    '"99999999999999999999"',
]
