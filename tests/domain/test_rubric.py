"""Rubrics as data: the five defaults, SHA-256 identity, strict validation, round trips."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.rubric import (
    Rubric,
    Text,
    dumps_pretty,
    parse_rubric,
    rubric_from_dict,
    validate,
)
from ovop_desktop.errors import ValidationError
from ovop_desktop.services.rubrics import default_rubric

DEFAULT = default_rubric(Commodity.ANYAMAN)
DEFAULT_BYTES = dumps_pretty(DEFAULT)


def default_rubric_doc(commodity: str = "anyaman") -> dict[str, Any]:
    """A shipped default rubric as a fresh, plain JSON document."""
    return json.loads(dumps_pretty(default_rubric(Commodity(commodity))))


def _bytes(doc: dict[str, Any], **dump: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, **dump).encode("utf-8")


@pytest.mark.parametrize("commodity", list(Commodity), ids=lambda c: c.value)
def test_defaults_load_and_validate(commodity: Commodity) -> None:
    rubric = default_rubric(commodity)
    assert rubric.commodity is commodity and rubric.version == 1
    assert validate(rubric) == []
    assert len(rubric.criteria()) == 22
    assert sum(a.weight for a in rubric.aspects) == 100
    ids = [c.id for _, c in rubric.criteria()]
    assert len(set(ids)) == 22
    for _, criterion in rubric.criteria():
        assert len(criterion.levels) == 3
        assert all(level.id.strip() and level.en.strip() for level in criterion.levels)


def test_defaults_are_five_different_rubrics() -> None:
    assert len({default_rubric(c).sha256 for c in Commodity}) == 5


def test_sha256_is_the_hash_of_the_canonical_form() -> None:
    assert DEFAULT.sha256 == hashlib.sha256(DEFAULT.canonical_bytes()).hexdigest()
    assert len(DEFAULT.sha256) == 64


def test_same_content_same_hash() -> None:
    assert parse_rubric(DEFAULT_BYTES).sha256 == DEFAULT.sha256
    assert default_rubric(Commodity.ANYAMAN).sha256 == DEFAULT.sha256


@pytest.mark.parametrize("dump", [
    {"indent": 4}, {"indent": None}, {"separators": (",", ":")}, {"indent": "\t"},
    {"sort_keys": True}, {"ensure_ascii": True},
], ids=str)
def test_reformatted_file_has_the_same_hash(dump: dict[str, Any]) -> None:
    doc = default_rubric_doc()
    ensure_ascii = dump.pop("ensure_ascii", False)
    data = json.dumps(doc, ensure_ascii=ensure_ascii, **dump).encode("utf-8")
    assert parse_rubric(data).sha256 == DEFAULT.sha256


def test_reordered_keys_and_bom_have_the_same_hash() -> None:
    doc = default_rubric_doc()
    reordered = dict(reversed(list(doc.items())))
    assert parse_rubric(_bytes(reordered)).sha256 == DEFAULT.sha256
    assert parse_rubric(b"\xef\xbb\xbf" + _bytes(doc)).sha256 == DEFAULT.sha256


def _text_paths(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every string value in the document (texts, descriptors, ids, the commodity)."""
    if isinstance(doc, dict):
        return [p for k, v in doc.items() for p in _text_paths(v, (*path, k))]
    if isinstance(doc, list):
        return [p for i, v in enumerate(doc) for p in _text_paths(v, (*path, i))]
    return [path] if isinstance(doc, str) else []


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


TEXT_PATHS = [p for p in _text_paths(default_rubric_doc()) if p != ("commodity",)]


def test_every_single_text_change_changes_the_hash() -> None:
    assert len(TEXT_PATHS) > 180
    seen = {DEFAULT.sha256}
    for path in TEXT_PATHS:
        doc = default_rubric_doc()
        _set(doc, path, _get(doc, path) + ".")
        sha = rubric_from_dict(doc).sha256
        assert sha not in seen, path
        seen.add(sha)


def test_weight_or_version_change_changes_the_hash() -> None:
    doc = default_rubric_doc()
    doc["aspects"][0]["weight"] += 1
    doc["aspects"][1]["weight"] -= 1
    assert parse_rubric(_bytes(doc)).sha256 != DEFAULT.sha256
    assert DEFAULT.with_version(2).sha256 != DEFAULT.sha256


def test_bad_files_are_refused_with_a_validation_error(bad_rubric: tuple[str, bytes]) -> None:
    name, data = bad_rubric
    with pytest.raises(ValidationError) as info:
        parse_rubric(data)
    assert str(info.value).strip(), name


def test_validation_lists_every_problem() -> None:
    doc = default_rubric_doc()
    doc["aspects"][0]["weight"] = 10
    doc["aspects"][0]["criteria"][0]["levels"][0]["descriptor"]["en"] = ""
    doc["aspects"][0]["criteria"][1]["id"] = doc["aspects"][0]["criteria"][0]["id"]
    doc["aspects"][1]["criteria"] = []
    with pytest.raises(ValidationError) as info:
        parse_rubric(_bytes(doc))
    assert len(info.value.problems) == 4


def test_validate_catches_edits_made_in_memory() -> None:
    aspect = dataclasses.replace(DEFAULT.aspects[0], weight=DEFAULT.aspects[0].weight + 5)
    edited = dataclasses.replace(DEFAULT, aspects=(aspect, *DEFAULT.aspects[1:]))
    assert len(validate(edited)) == 1
    assert validate(dataclasses.replace(DEFAULT, aspects=())) != []


def test_text_get_falls_back_to_indonesian() -> None:
    assert Text("Kualitas", "Quality").get("en") == "Quality"
    assert Text("Kualitas", "Quality").get("id") == "Kualitas"
    assert Text("Kualitas", "").get("en") == "Kualitas"


# -- properties ------------------------------------------------------------------------------

nonblank = st.text(min_size=1).filter(lambda t: t.strip() != "")


@st.composite
def rubrics_with_unicode_texts(draw: st.DrawFn) -> Rubric:
    """The default rubric with some names and descriptors replaced by arbitrary Unicode."""
    doc = default_rubric_doc(draw(st.sampled_from([c.value for c in Commodity])))
    paths = [p for p in _text_paths(doc) if p[-1] in ("id", "en") and p[-2] != "aspects"
             and not isinstance(p[-2], int)]
    for path in draw(st.lists(st.sampled_from(paths), max_size=12, unique=True)):
        _set(doc, path, draw(nonblank))
    doc["title"]["id"] = draw(st.text())  # titles may even be empty
    doc["title"]["en"] = draw(st.text())
    doc["version"] = draw(st.integers(min_value=1, max_value=10**6))
    return rubric_from_dict(doc)


@given(rubrics_with_unicode_texts())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_export_then_parse_round_trips(rubric: Rubric) -> None:
    assert validate(rubric) == []
    again = parse_rubric(dumps_pretty(rubric))
    assert again == rubric
    assert again.sha256 == rubric.sha256


@given(st.binary(max_size=4096))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_raise_only_validation_error(data: bytes) -> None:
    with pytest.raises(ValidationError):
        parse_rubric(data)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_mutated_valid_files_raise_only_validation_error(data: st.DataObject) -> None:
    blob = bytearray(DEFAULT_BYTES)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        i = data.draw(st.integers(0, len(blob) - 1), label="index")
        if data.draw(st.booleans(), label="delete"):
            del blob[i]
        else:
            blob[i] = data.draw(st.integers(0, 255), label="byte")
    try:
        result = parse_rubric(bytes(blob))
    except ValidationError:
        return
    assert isinstance(result, Rubric) and validate(result) == []
