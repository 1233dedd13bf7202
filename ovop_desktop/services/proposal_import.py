"""Import proposals from XLSX/CSV: preview the detected mapping, then a report; idempotent."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ovop_desktop.data import audit
from ovop_desktop.data import candidate_repo as repo
from ovop_desktop.data.db import Store
from ovop_desktop.domain.candidates import (
    CandidateData,
    EntryKind,
    fingerprint,
    normalised_name,
    problems,
)
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.proposals import (
    FIELDS,
    ProposalRecord,
    detect_header,
    mapping_problems,
    parse_rows,
)
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import storable_name
from ovop_desktop.services.tabular import read_grid

Progress = Callable[[int, int], None]
_WRITE_CHUNK = 500


@dataclass(frozen=True)
class ImportPreview:
    """What the wizard shows before anything is written: file, detected header and mapping."""

    path: Path
    sha256: str
    sheet_name: str
    header_row: int  # index into grid
    headers: list[str]  # the texts of the header row, one per column
    mapping: dict[str, int]  # field key → column index
    sample: list[list[str]]  # the first data rows, as text
    grid: list[list[Any]] = field(repr=False)

    def problems(self, mapping: dict[str, int] | None = None) -> list[str]:
        return mapping_problems(self.mapping if mapping is None else mapping)


@dataclass(frozen=True)
class Accepted:
    row: int
    name: str
    candidate_id: int | None  # None in a dry run


@dataclass(frozen=True)
class Rejected:
    row: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Duplicate:
    row: int
    name: str
    reason: str


@dataclass(frozen=True)
class ImportReport:
    file_name: str
    dry_run: bool
    accepted: list[Accepted]
    rejected: list[Rejected]
    duplicates: list[Duplicate]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file_name, "dry_run": self.dry_run,
            "accepted": [{"row": a.row, "name": a.name, "id": a.candidate_id}
                         for a in self.accepted],
            "rejected": [{"row": r.row, "reason": "; ".join(r.reasons)} for r in self.rejected],
            "duplicates": [{"row": d.row, "name": d.name, "reason": d.reason}
                           for d in self.duplicates],
        }


def to_candidate(record: ProposalRecord) -> CandidateData:
    return CandidateData(
        name=record.name, owner=record.owner, address=record.address,
        region_code=record.region_code, sentra_name=record.sentra_name,
        sentra_sk_number=record.sentra_sk_number, sentra_sk_date=record.sentra_sk_date,
        commodity=record.commodity, product=record.product, nib=record.nib,
        documents=frozenset(Document(d) for d in record.documents),
        workforce=record.workforce, capacity=record.capacity, markets=record.markets,
        export_history=record.export_history, kind=EntryKind(record.kind),
        previous_star=record.previous_star, previous_year=record.previous_year,
        associations=record.associations,
    ).cleaned()


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


class ProposalImportService:
    def __init__(self, store: Store, actor: Callable[[], str],
                 regions: Callable[[], RegionRegistry]) -> None:
        self._store = store
        self._actor = actor
        self._regions = regions

    def preview(self, path: Path) -> ImportPreview:
        """Read the file and guess where the header is and which column holds what."""
        path = Path(path)
        grid = read_grid(path)
        guess = detect_header(grid.rows)
        header = grid.rows[guess.row_index] if grid.rows else []
        width = max((len(r) for r in grid.rows), default=0)
        sample = [[_text(c) for c in r] + [""] * (width - len(r))
                  for r in grid.rows[guess.row_index + 1:guess.row_index + 21]]
        return ImportPreview(
            path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            sheet_name=grid.sheet_name, header_row=guess.row_index,
            headers=[_text(c) for c in header] + [""] * (width - len(header)),
            mapping=dict(guess.mapping), sample=sample, grid=grid.rows)

    def run(self, preview: ImportPreview, round_id: int, mapping: dict[str, int] | None = None,
            *, dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
        """Validate every row, then write the accepted ones in one transaction (unless dry run).

        Rows already in the round (same IKM, kab/kota and commodity; same NIB; or the same
        name in the same kab/kota) are reported as duplicates and not added again, which is
        what makes importing the same file twice add nothing the second time.
        """
        mapping = dict(preview.mapping if mapping is None else mapping)
        found = mapping_problems(mapping)
        if found:
            raise ValidationError(_("The column mapping is not complete:"), found)
        tick = progress or (lambda _done, _total: None)
        tick(0, 3)
        results = parse_rows(preview.grid, preview.header_row, mapping, self._regions())
        tick(1, 3)
        registry = self._regions()
        with self._store.read() as s:
            existing = repo.keys_for_round(s, round_id)
        seen = _Keys.from_existing(existing)
        accepted: list[tuple[int, CandidateData]] = []
        rejected: list[Rejected] = []
        duplicates: list[Duplicate] = []
        for result in results:
            errors = list(result.errors)
            data = to_candidate(result.record) if result.record and not errors else None
            if data is not None:
                errors += problems(data, registry.regency(data.region_code) is not None)
            if errors or data is None:
                rejected.append(Rejected(result.row_number, tuple(errors) or (_("unreadable"),)))
                continue
            clash = seen.clash(data, result.row_number)
            if clash:
                duplicates.append(Duplicate(result.row_number, data.name, clash))
                continue
            accepted.append((result.row_number, data))
        tick(2, 3)
        ids = [None] * len(accepted) if dry_run else self._write(
            preview, round_id, accepted, (len(rejected), len(duplicates)), tick)
        tick(3, 3)
        return ImportReport(storable_name(preview.path), dry_run,
                            [Accepted(row, d.name, cid) for (row, d), cid in zip(accepted, ids,
                                                                                   strict=True)],
                            rejected, duplicates)

    def _write(self, preview: ImportPreview, round_id: int,
               accepted: list[tuple[int, CandidateData]], other: tuple[int, int],
               tick: Progress) -> list[int | None]:
        actor = self._actor()
        name = storable_name(preview.path)
        ids: list[int | None] = []
        with self._store.write() as s:  # all rows or none: a crash leaves no half import
            for start in range(0, len(accepted), _WRITE_CHUNK):
                chunk = accepted[start:start + _WRITE_CHUNK]
                ids += repo.insert_many(s, round_id, [
                    (data, f"import:{name}#{row}") for row, data in chunk])
                tick(2, 3)
            batch = repo.add_import_batch(s, round_id, name, preview.sha256, actor,
                                          (len(accepted), *other))
            audit.append(s, actor, "candidates.import", "round", round_id,
                         {"file": name, "sha256": preview.sha256, "batch": batch,
                          "accepted": len(accepted), "rejected": other[0],
                          "duplicates": other[1]})
        return ids


class _Keys:
    """Who is already known: from the round, and from earlier rows of this file."""

    def __init__(self) -> None:
        self.fingerprints: dict[str, str] = {}
        self.nibs: dict[str, str] = {}
        self.names: dict[tuple[str, str], str] = {}

    @classmethod
    def from_existing(cls, rows: list[tuple[int, str, str, str, str]]) -> _Keys:
        keys = cls()
        for cid, fp, nib, name_key, region in rows:
            where = _("candidate {id} already in the round").format(id=cid)
            keys.fingerprints[fp] = where
            if nib:
                keys.nibs[nib] = where
            keys.names[(name_key, region)] = where
        return keys

    def clash(self, data: CandidateData, row: int) -> str | None:
        """The reason this row duplicates something, or None (and remember the row)."""
        fp, name = fingerprint(data), (normalised_name(data.name), data.region_code)
        if fp in self.fingerprints:
            return _("same IKM, kabupaten/kota and commodity as {where}").format(
                where=self.fingerprints[fp])
        if data.nib and data.nib in self.nibs:
            return _("same NIB {nib} as {where}").format(nib=data.nib, where=self.nibs[data.nib])
        if name in self.names:
            return _("same name in the same kabupaten/kota as {where}").format(
                where=self.names[name])
        here = _("row {row} of this file").format(row=row)
        self.fingerprints[fp] = here
        if data.nib:
            self.nibs[data.nib] = here
        self.names[name] = here
        return None


def field_choices() -> list[tuple[str, str]]:
    """(key, translated label) of every importable field, for the mapping editor."""
    return [(f.key, _(f.label)) for f in FIELDS]
