"""Rubrics as data: aspects → criteria → levels 1–3, bilingual, weighted, hashed.

A rubric is identified by the SHA-256 of its canonical JSON form, so the same
content always has the same identity and any edit to any text, weight or id
gives a new one. Validation collects every problem so an editor can show all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import Any

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.strict_json import JsonError, canonical_bytes, loads_strict
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import _

FORMAT_VERSION = 1
LEVELS = (1, 2, 3)
TOTAL_WEIGHT = 100
MAX_FILE_BYTES = 1_000_000
_LANGS = ("id", "en")


@dataclass(frozen=True)
class Text:
    """The same text in Indonesian and English."""

    id: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.id

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en}


@dataclass(frozen=True)
class Criterion:
    id: str
    name: Text
    levels: tuple[Text, Text, Text]  # descriptors for levels 1, 2, 3


@dataclass(frozen=True)
class Aspect:
    id: str
    name: Text
    weight: int
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Rubric:
    """One commodity's scoring form. Immutable: edits build a new Rubric."""

    commodity: Commodity
    version: int
    title: Text
    aspects: tuple[Aspect, ...]
    format_version: int = FORMAT_VERSION

    def criteria(self) -> list[tuple[Aspect, Criterion]]:
        return [(aspect, c) for aspect in self.aspects for c in aspect.criteria]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "commodity": self.commodity.value,
            "version": self.version,
            "title": self.title.to_dict(),
            "aspects": [
                {
                    "id": a.id,
                    "name": a.name.to_dict(),
                    "weight": a.weight,
                    "criteria": [
                        {
                            "id": c.id,
                            "name": c.name.to_dict(),
                            "levels": [
                                {"level": n, "descriptor": d.to_dict()}
                                for n, d in zip(LEVELS, c.levels, strict=True)
                            ],
                        }
                        for c in a.criteria
                    ],
                }
                for a in self.aspects
            ],
        }

    def canonical_bytes(self) -> bytes:
        return canonical_bytes(self.to_dict())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()

    def with_version(self, version: int) -> Rubric:
        return replace(self, version=version)


def validate(rubric: Rubric) -> list[str]:
    """Every rule the rubric breaks, as translated sentences (empty when valid)."""
    problems: list[str] = []
    if not rubric.aspects:
        problems.append(_("The rubric has no aspects."))
    total = sum(a.weight for a in rubric.aspects)
    if rubric.aspects and total != TOTAL_WEIGHT:
        problems.append(_("Aspect weights add up to {total}, not 100.").format(total=total))
    seen: set[str] = set()
    for aspect in rubric.aspects:
        problems += _check_id(aspect.id, seen)
        if aspect.weight <= 0:
            problems.append(_("Aspect {id} needs a weight above 0.").format(id=aspect.id))
        if not aspect.name.id.strip() or not aspect.name.en.strip():
            problems.append(_("Aspect {id} needs a name in both languages.").format(id=aspect.id))
        if not aspect.criteria:
            problems.append(_("Aspect {id} has no criteria.").format(id=aspect.id))
        for criterion in aspect.criteria:
            problems += _check_criterion(criterion, seen)
    return problems


def _check_id(ident: str, seen: set[str]) -> list[str]:
    if not ident.strip():
        return [_("An aspect or criterion has an empty id.")]
    if ident in seen:
        return [_("The id {id} is used twice.").format(id=ident)]
    seen.add(ident)
    return []


def _check_criterion(criterion: Criterion, seen: set[str]) -> list[str]:
    problems = _check_id(criterion.id, seen)
    if not criterion.name.id.strip() or not criterion.name.en.strip():
        problems.append(_("Criterion {id} needs a name in both languages.").format(id=criterion.id))
    for level, text in zip(LEVELS, criterion.levels, strict=True):
        if not text.id.strip() or not text.en.strip():
            problems.append(
                _("Criterion {id}, level {level}: the descriptor is missing in {langs}.").format(
                    id=criterion.id,
                    level=level,
                    langs=", ".join(lang for lang in _LANGS if not getattr(text, lang).strip()),
                )
            )
    return problems


def parse_rubric(data: bytes) -> Rubric:
    """Read a rubric file strictly; raise ValidationError listing what is wrong."""
    try:
        doc = loads_strict(data, max_bytes=MAX_FILE_BYTES)
    except JsonError as exc:
        raise ValidationError(_("This is not a readable rubric file ({reason}).").format(
            reason=exc)) from None
    try:
        rubric = rubric_from_dict(doc)
    except _Shape as exc:
        raise ValidationError(_("The rubric file is malformed: {where}.").format(
            where=exc.where)) from None
    problems = validate(rubric)
    if problems:
        raise ValidationError(_("The rubric is not valid:"), problems)
    return rubric


class _Shape(Exception):
    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def _get(obj: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise _Shape(f"{where}.{key} " + _("is missing"))
    value = obj[key]
    # bool is an int subclass; a weight of `true` is still wrong.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Shape(f"{where}.{key} " + _("has the wrong type"))
    return value


def _text(obj: Any, key: str, where: str) -> Text:
    raw = _get(obj, key, dict, where)
    return Text(
        id=_get(raw, "id", str, f"{where}.{key}"), en=_get(raw, "en", str, f"{where}.{key}")
    )


def rubric_from_dict(doc: Any) -> Rubric:
    """Build a Rubric from its JSON shape; raises _Shape on structural problems."""
    version = _get(doc, "format_version", int, "rubric")
    if version != FORMAT_VERSION:
        raise _Shape(_("format version {v} is not supported (this app reads {ours})").format(
            v=version, ours=FORMAT_VERSION))
    code = _get(doc, "commodity", str, "rubric")
    try:
        commodity = Commodity(code)
    except ValueError:
        raise _Shape(_("unknown commodity {code!r}").format(code=code)) from None
    aspects = []
    for i, a in enumerate(_get(doc, "aspects", list, "rubric")):
        where = f"aspects[{i}]"
        criteria = tuple(
            _criterion(c, f"{where}.criteria[{j}]")
            for j, c in enumerate(_get(a, "criteria", list, where))
        )
        aspects.append(Aspect(
            id=_get(a, "id", str, where), name=_text(a, "name", where),
            weight=_get(a, "weight", int, where), criteria=criteria,
        ))
    return Rubric(
        commodity=commodity, version=_get(doc, "version", int, "rubric"),
        title=_text(doc, "title", "rubric"), aspects=tuple(aspects),
    )


def _criterion(c: Any, where: str) -> Criterion:
    levels = _get(c, "levels", list, where)
    numbers = [_get(level, "level", int, f"{where}.levels") for level in levels]
    if sorted(numbers) != list(LEVELS):
        raise _Shape(f"{where}.levels " + _("must describe exactly the levels 1, 2 and 3"))
    by_number = {_get(lv, "level", int, where): _text(lv, "descriptor", f"{where}.levels")
                 for lv in levels}
    return Criterion(
        id=_get(c, "id", str, where), name=_text(c, "name", where),
        levels=(by_number[1], by_number[2], by_number[3]),
    )


def dumps_pretty(rubric: Rubric) -> bytes:
    """The human-readable export form (same content, hence the same SHA-256)."""
    import json

    text = json.dumps(rubric.to_dict(), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class RubricRecord:
    """A stored rubric version. Frozen once assessors have it: then edits make a new version."""

    id: int
    rubric: Rubric
    sha256: str
    frozen_at: str | None
    created_at: str
    rounds: tuple[str, ...] = ()  # names of the rounds that use this version

    @property
    def commodity(self) -> Commodity:
        return self.rubric.commodity

    @property
    def version(self) -> int:
        return self.rubric.version

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None
