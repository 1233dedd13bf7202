"""Strict JSON reading for files that come from outside (rubrics, later bundles).

Duplicate keys, NaN/Infinity, oversized input and absurd nesting are refused,
because a lenient parser lets two readers see two different documents. So are
what I-JSON (RFC 7493) rules out and what no store or hash can take: lone
surrogates (not encodable as UTF-8), integers beyond ±(2**53 - 1) (not an SQLite
INTEGER, nor exact in other parsers) and numbers that overflow to infinity.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
_LONG_DIGITS = re.compile(rb"[0-9]{16}")  # shorter runs cannot exceed MAX_SAFE_INTEGER
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # raw UTF-8 cannot carry surrogates
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class JsonError(ValueError):
    """The bytes are not acceptable JSON; the message says why in English for logs."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C: a bundle holds half a million objects
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise JsonError(f"duplicate key {key!r}")
            seen.add(key)
    return result


def _no_constants(name: str) -> Any:
    raise JsonError(f"{name} is not allowed")


def _safe_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise JsonError(f"integer {text[:24]}… is beyond ±(2**53 - 1)")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonError(f"number {text[:24]} is out of range")
    return value


def _has_lone_surrogate(doc: Any) -> bool:
    """Any key or string holding half a surrogate pair (an explicit stack: no recursion)."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def loads_strict(data: bytes, *, max_bytes: int) -> Any:
    """Parse UTF-8 JSON bytes, refusing anything a careful reader would not trust."""
    if len(data) > max_bytes:
        raise JsonError(f"larger than {max_bytes} bytes")
    try:
        text = data.decode("utf-8-sig")
        # The checks cost a Python call per number: only where the bytes make them necessary.
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants,
                         parse_float=_finite_float,
                         parse_int=_safe_int if _LONG_DIGITS.search(data) else None)
    except JsonError:
        raise
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad UTF-8, bad JSON and integers beyond Python's digit limit.
        raise JsonError(str(exc).splitlines()[0][:200]) from None
    if _SURROGATE_ESCAPE.search(data) and _has_lone_surrogate(doc):
        raise JsonError("a lone surrogate (\\ud800-\\udfff) is not text")
    return doc


def canonical_bytes(value: Any) -> bytes:
    """One byte sequence per value: sorted keys, no spaces, UTF-8 (the hashing form).

    Values here are strings, integers, lists and objects only (no floats), so
    Python's serialisation is stable across versions and platforms.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )
