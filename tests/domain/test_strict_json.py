"""Strict JSON: what a careful reader refuses, and that everything else reads as json does."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ovop_desktop.domain.strict_json import JsonError, loads_strict

LIMIT = 10_000_000


@pytest.mark.parametrize("text", [
    b'{"a": 1, "a": 2}',
    b'{"sheets": [{"level": 1, "note": "", "level": 3}]}',   # deep inside a list
    b'{"x": {"y": {"k": 1, "k": 1}}}',                      # even with the same value
])
def test_a_duplicate_key_anywhere_is_refused(text: bytes) -> None:
    with pytest.raises(JsonError, match="duplicate key"):
        loads_strict(text, max_bytes=LIMIT)


@pytest.mark.parametrize("text", [b'{"x": NaN}', b'[Infinity]', b'[1e400]',
                                  b'[9007199254740992]', b'["\\ud800"]', b'{"a": 1'])
def test_what_no_store_or_hash_can_take_is_refused(text: bytes) -> None:
    with pytest.raises(JsonError):
        loads_strict(text, max_bytes=LIMIT)


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=20)


@given(_json)
def test_acceptable_documents_read_as_json_reads_them(doc: object) -> None:
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:  # a lone surrogate in the text: refused, tested above
        return
    assert loads_strict(data, max_bytes=LIMIT) == doc


@given(st.dictionaries(st.text(max_size=4), st.integers(0, 9), min_size=1, max_size=6),
       st.data())
def test_repeating_any_key_of_any_object_is_refused(obj: dict[str, int], data) -> None:
    key = data.draw(st.sampled_from(sorted(obj)))
    body = ", ".join(f"{json.dumps(k)}: {v}" for k, v in obj.items())
    text = f'{{{body}, {json.dumps(key)}: 0}}'.encode()
    with pytest.raises(JsonError, match="duplicate key"):
        loads_strict(text, max_bytes=LIMIT)
