"""Strict JSON reading for files that come from outside (rubrics, later bundles).

Duplicate keys, NaN/Infinity, oversized input and absurd nesting are refused,
because a lenient parser lets two readers see two different documents.
"""

from __future__ import annotations

import json
from typing import Any


class JsonError(ValueError):
    """The bytes are not acceptable JSON; the message says why in English for logs."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise JsonError(f"{name} is not allowed")


def loads_strict(data: bytes, *, max_bytes: int) -> Any:
    """Parse UTF-8 JSON bytes, refusing anything a careful reader would not trust."""
    if len(data) > max_bytes:
        raise JsonError(f"larger than {max_bytes} bytes")
    try:
        text = data.decode("utf-8-sig")
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except JsonError:
        raise
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad UTF-8, bad JSON and integers beyond Python's digit limit.
        raise JsonError(str(exc).splitlines()[0][:200]) from None


def canonical_bytes(value: Any) -> bytes:
    """One byte sequence per value: sorted keys, no spaces, UTF-8 (the hashing form).

    Values here are strings, integers, lists and objects only (no floats), so
    Python's serialisation is stable across versions and platforms.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )
