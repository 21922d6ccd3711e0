"""Decoding a webhook body with limits, and making JSON values storable, without recursion.

Meta retries a non-200 for up to 7 days, so a correctly signed body must never crash the view.
`json.loads` alone can: nesting ~1,000 deep raises RecursionError, an integer over 4,300 digits
raises ValueError, and NaN, Infinity or 1e999 decode to floats that PostgreSQL refuses in jsonb.
`decode` bounds all three (Meta's own bodies are about 10 levels deep and carry no such numbers):
a body nested deeper than MAX_DEPTH is not used at all; an unusable number becomes null and is
reported, so the caller can keep the raw body for the operator and still handle the rest.

`storable_json` is the one place where strings a database cannot hold (NUL, lone surrogates)
are cleaned out of a JSON value; it walks the value with an explicit stack, so depth costs no
Python frames.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

# Meta's deepest shape (entry > changes > value > messages > interactive > list_reply > id) is
# 10 levels; 32 leaves room for new fields and refuses the pathological.
MAX_DEPTH = 32
# Meta sends no integer wider than an error code; 30 digits covers any 64-bit id and costs nothing
# to convert (Python refuses over 4,300 digits, and converting that many is already quadratic).
MAX_INT_DIGITS = 30
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Unusable:
    """Marks a number json.loads produced that no database column or jsonb value can hold."""

    def __init__(self, text: str) -> None:
        self.text = text


@dataclass(slots=True)
class Decoded:
    """A decoded body: `value` is usable unless `problem` ("not json", "too deep") says why not,
    with the `detail`; `cleaned` lists what was replaced to make it storable."""

    value: object = None
    problem: str = ""
    detail: str = ""
    cleaned: list[str] = field(default_factory=list)


def decode(raw: bytes) -> Decoded:
    """Parse a webhook body with the limits above. Never raises."""
    try:
        value = json.loads(raw, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_Unusable)
    except RecursionError:
        return Decoded(problem="too deep", detail="nested too deep for the JSON decoder")
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return Decoded(problem="not json", detail=f"{type(error).__name__}: {str(error)[:100]}")
    decoded = Decoded(value=value)
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        container, depth = stack.pop()
        if depth > MAX_DEPTH:
            return Decoded(problem="too deep", detail=f"nested more than {MAX_DEPTH} levels deep")
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, item in items:
            if isinstance(item, _Unusable):
                container[key] = None
                decoded.cleaned.append(f"unusable number {item.text[:20]!r} replaced by null")
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1))
    if isinstance(value, _Unusable):
        return Decoded(problem="not json", detail=f"the body is the unusable number {value.text[:20]!r}")
    return decoded


def _parse_int(text: str) -> int | _Unusable:
    return int(text) if len(text) <= MAX_INT_DIGITS else _Unusable(text)


def _parse_float(text: str) -> float | _Unusable:
    number = float(text)
    return number if math.isfinite(number) else _Unusable(text)


def clean_text(value: str, limit: int | None = None) -> str:
    """`value` without NUL characters (PostgreSQL refuses them) or lone surrogates (not UTF-8),
    cut to `limit` characters."""
    value = LONE_SURROGATE.sub("\ufffd", value.replace("\x00", ""))
    return value[:limit] if limit else value


def storable_json(value: object) -> object:
    """A copy of a JSON value with every string and key cleaned by `clean_text`, built with an
    explicit stack (a value `decode` accepted is at most MAX_DEPTH deep, but nothing here relies on it)."""
    if isinstance(value, str):
        return clean_text(value)
    if not isinstance(value, dict | list):
        return value
    root = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            if isinstance(item, dict | list):
                copy = {} if isinstance(item, dict) else []
                stack.append((item, copy))
                item = copy
            elif isinstance(item, str):
                item = clean_text(item)
            if isinstance(target, dict):
                target[clean_text(key)] = item
            else:
                target.append(item)
    return root
