"""Rubric use cases: defaults, editing with freezing, sharing as files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ovop_desktop.data import audit
from ovop_desktop.data import repositories as repo
from ovop_desktop.data.db import Store
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.commodities import Commodity, parse_commodity
from ovop_desktop.domain.rubric import (
    MAX_FILE_BYTES,
    Rubric,
    RubricRecord,
    dumps_pretty,
    parse_rubric,
    validate,
)
from ovop_desktop.errors import NotFoundError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.resource_files import resource
from ovop_desktop.services.atomic import atomic_write, read_capped, storable_name


def default_rubric(commodity: Commodity) -> Rubric:
    """The shipped starting rubric (from the project's default-rubric.md)."""
    path = resource("rubrics", f"{commodity.value}.json")
    return parse_rubric(path.read_bytes())


def parse_commodity_or_fail(text: str) -> Commodity:
    commodity = parse_commodity(text)
    if commodity is None:
        raise NotFoundError(_("Unknown commodity {text!r}. Known: {known}.").format(
            text=text, known=", ".join(c.value for c in Commodity)))
    return commodity


class RubricService:
    def __init__(self, store: Store, actor: Callable[[], str]) -> None:
        self._store = store
        self._actor = actor

    def list(self, commodity: Commodity | None = None) -> list[RubricRecord]:
        with self._store.read() as s:
            return repo.list_rubrics(s, commodity)

    def get(self, rubric_id: int) -> RubricRecord:
        with self._store.read() as s:
            record = repo.get_rubric(s, rubric_id)
        if record is None:
            raise NotFoundError(_("There is no rubric with id {id}.").format(id=rubric_id))
        return record

    def find(self, commodity: Commodity, version: int | None = None) -> RubricRecord:
        """A commodity's given version, or its newest."""
        records = self.list(commodity)
        if version is not None:
            records = [r for r in records if r.version == version]
        if not records:
            raise NotFoundError(_("No rubric for {commodity}{version}.").format(
                commodity=commodity.label,
                version="" if version is None else f" v{version}"))
        return records[-1]

    def install_defaults(self) -> list[RubricRecord]:
        """Add the shipped rubric for every commodity that has none yet."""
        added = []
        with self._store.write() as s:
            for commodity in Commodity:
                if repo.latest_rubric(s, commodity) is None:
                    row = repo.insert_rubric(s, default_rubric(commodity))
                    audit.append(s, self._actor(), "rubric.install_default", "rubric", row.id,
                                 {"commodity": commodity.value, "sha256": row.sha256})
                    added.append(row.id)
        return [self.get(i) for i in added]

    def save(self, rubric_id: int, edited: Rubric) -> RubricRecord:
        """Store an edit. A frozen version is never changed: the edit becomes a new version."""
        problems = validate(edited)
        if problems:
            raise ValidationError(_("The rubric is not valid:"), problems)
        with self._store.write() as s:
            row = repo.rubric_row(s, rubric_id)
            if row is None:
                raise NotFoundError(_("There is no rubric with id {id}.").format(id=rubric_id))
            if edited.commodity.value != row.commodity:
                raise ValidationError(_("An edit cannot change the rubric's commodity."))
            same = repo.find_rubric_by_sha(s, edited.with_version(row.version).sha256)
            if same is not None and same.id == row.id:
                return self.get(row.id)  # nothing changed
            if row.frozen_at is not None:
                version = repo.max_rubric_version(s, edited.commodity) + 1
                new = repo.insert_rubric(s, edited.with_version(version))
                audit.append(s, self._actor(), "rubric.new_version", "rubric", new.id,
                             {"from": row.id, "version": version, "sha256": new.sha256})
                new_id = new.id
            else:
                content = edited.with_version(row.version)
                row.content = content.canonical_bytes().decode("utf-8")
                row.sha256 = content.sha256
                audit.append(s, self._actor(), "rubric.edit", "rubric", row.id,
                             {"sha256": row.sha256})
                new_id = row.id
        return self.get(new_id)

    def freeze(self, rubric_id: int) -> RubricRecord:
        """Mark a version as handed to assessors: from now on it never changes."""
        with self._store.write() as s:
            row = repo.rubric_row(s, rubric_id)
            if row is None:
                raise NotFoundError(_("There is no rubric with id {id}.").format(id=rubric_id))
            if row.frozen_at is None:
                row.frozen_at = now_iso()
                audit.append(s, self._actor(), "rubric.freeze", "rubric", row.id,
                             {"sha256": row.sha256})
        return self.get(rubric_id)

    def export(self, rubric_id: int, path: Path) -> RubricRecord:
        record = self.get(rubric_id)
        atomic_write(Path(path), dumps_pretty(record.rubric))
        return record

    def import_file(self, path: Path) -> tuple[RubricRecord, bool]:
        """Add a rubric shared by another coordinator. Returns (record, newly added)."""
        rubric = parse_rubric(read_capped(Path(path), MAX_FILE_BYTES))
        with self._store.write() as s:
            existing = repo.find_rubric_by_sha(s, rubric.sha256)
            if existing is not None:
                return existing, False
            taken = {r.version: r for r in repo.list_rubrics(s, rubric.commodity)}
            if rubric.version in taken or rubric.version < 1:
                # Already imported once (and renumbered then)? Compare all but the number.
                for record in taken.values():
                    if rubric.with_version(record.version).sha256 == record.sha256:
                        return record, False
                # Same number, different content: keep both, renumber the newcomer.
                rubric = rubric.with_version(repo.max_rubric_version(s, rubric.commodity) + 1)
            row = repo.insert_rubric(s, rubric)
            audit.append(s, self._actor(), "rubric.import", "rubric", row.id,
                         {"sha256": row.sha256, "file": storable_name(Path(path))})
            new_id = row.id
        return self.get(new_id), True


def rubric_summary(record: RubricRecord, language: str) -> dict[str, object]:
    """The JSON shape of `rubric show --json` (a scripting contract)."""
    rubric = record.rubric
    return {
        "id": record.id,
        "commodity": rubric.commodity.value,
        "version": rubric.version,
        "sha256": record.sha256,
        "frozen": record.frozen,
        "title": rubric.title.get(language),
        "aspects": [{"id": a.id, "name": a.name.get(language), "weight": a.weight}
                    for a in rubric.aspects],
        "criteria": [
            {"id": c.id, "aspect": a.id, "name": c.name.get(language),
             "levels": [{"level": n, "descriptor": d.get(language)}
                        for n, d in enumerate(c.levels, start=1)]}
            for a, c in rubric.criteria()
        ],
    }

