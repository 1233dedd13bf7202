"""Candidate registry use cases: list, read, create and edit with history, duplicates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from ovop_desktop.data import audit
from ovop_desktop.data import candidate_repo as repo
from ovop_desktop.data.db import Store
from ovop_desktop.domain.candidates import (
    Candidate,
    CandidateData,
    EntryKind,
    normalised_name,
    problems,
)
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.domain.screening import Decision, ScreeningResult, decide
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.screening import effective_requirements


@dataclass(frozen=True)
class CandidateSummary:
    """One row of the registry table: enough to sort, filter and show, with the screening result."""

    id: int
    name: str
    owner: str
    commodity: Commodity
    product: str
    region_code: str
    region_name: str
    province_code: str
    province_name: str
    nib: str
    kind: EntryKind
    previous_star: int | None
    previous_year: int | None
    screening: ScreeningResult

    @property
    def decision(self) -> Decision:
        return self.screening.decision


@dataclass(frozen=True)
class HistoryEntry:
    ts: str
    actor: str
    field: str
    old: str
    new: str


class CandidateService:
    def __init__(self, store: Store, actor: Callable[[], str],
                 regions: Callable[[], RegionRegistry]) -> None:
        self._store = store
        self._actor = actor
        self._regions = regions

    def summaries(self, round_id: int) -> list[CandidateSummary]:
        """Every candidate of the round with its screening decision (one pass, no N+1)."""
        registry = self._regions()
        with self._store.read() as s:
            rows = repo.rows_for_round(s, round_id)
            required = effective_requirements(s, round_id)
            checks = repo.checks_for_round(s, round_id)
        out = []
        for row in rows:
            regency = registry.regency(row.region_code)
            province = registry.province(regency.province_code) if regency else None
            commodity = Commodity(row.commodity)
            out.append(CandidateSummary(
                id=row.id, name=row.name, owner=row.owner, commodity=commodity,
                product=row.product, region_code=row.region_code,
                region_name=regency.name if regency else row.region_code,
                province_code=province.code if province else "",
                province_name=province.name if province else "",
                nib=row.nib, kind=EntryKind(row.kind), previous_star=row.previous_star,
                previous_year=row.previous_year,
                screening=decide(required[commodity], checks.get(row.id, {})),
            ))
        return out

    def get(self, candidate_id: int) -> Candidate:
        with self._store.read() as s:
            row = repo.require(s, candidate_id)
            return repo.to_domain(row)

    def all(self, round_id: int) -> list[Candidate]:
        """Every full record of the round in one query (exports)."""
        with self._store.read() as s:
            return [repo.to_domain(r) for r in repo.rows_for_round(s, round_id)]

    def validate(self, data: CandidateData) -> list[str]:
        data = data.cleaned()
        return problems(data, self._regions().regency(data.region_code) is not None)

    def create(self, round_id: int, data: CandidateData, source: str = "form") -> Candidate:
        data = self._checked(data)
        try:
            with self._store.write() as s:
                row = repo.insert(s, round_id, data, source)
                audit.append(s, self._actor(), "candidate.create", "candidate", row.id,
                             {"name": data.name, "region": data.region_code, "source": source})
                created = repo.to_domain(row)
        except IntegrityError:
            raise UserFacingError(_("{name} from this kabupaten/kota is already registered for "
                                    "this commodity in the round.").format(name=data.name)
                                  ) from None
        return created

    def create_many(self, round_id: int, items: list[CandidateData],
                    source: str) -> list[int]:
        """Add many valid records in one transaction (demo data, benchmarks): all or none."""
        cleaned = [self._checked(d) for d in items]
        try:
            with self._store.write() as s:
                ids = repo.insert_many(s, round_id, [(d, source) for d in cleaned])
                audit.append(s, self._actor(), "candidate.create_many", "round", round_id,
                             {"count": len(ids), "source": source})
        except IntegrityError:
            raise UserFacingError(_("Some of these candidates are already registered in the "
                                    "round; nothing was added.")) from None
        return ids

    def update(self, candidate_id: int, data: CandidateData) -> Candidate:
        """Save an edit; every changed field goes to the history (who, when, old → new)."""
        data = self._checked(data)
        actor = self._actor()
        try:
            with self._store.write() as s:
                row = repo.require(s, candidate_id)
                changes = repo.update(s, row, data, actor)
                if changes:
                    audit.append(s, actor, "candidate.edit", "candidate", candidate_id,
                                 {"fields": [c[0] for c in changes]})
                updated = repo.to_domain(row)
        except IntegrityError:
            raise UserFacingError(_("Another candidate of this round already has this name, "
                                    "kabupaten/kota and commodity.")) from None
        return updated

    def history(self, candidate_id: int) -> list[HistoryEntry]:
        with self._store.read() as s:
            return [HistoryEntry(h.ts, h.actor, h.field, h.old, h.new)
                    for h in repo.history(s, candidate_id)]

    def possible_duplicates(self, round_id: int, data: CandidateData,
                            exclude_id: int | None = None) -> list[int]:
        """Candidates of the round with the same NIB, or the same name in the same kab/kota."""
        data = data.cleaned()
        key = normalised_name(data.name)
        with self._store.read() as s:
            rows = repo.keys_for_round(s, round_id)
        return [cid for cid, _fp, nib, name_key, region in rows
                if cid != exclude_id and ((data.nib and nib == data.nib)
                                          or (name_key == key and region == data.region_code))]

    def _checked(self, data: CandidateData) -> CandidateData:
        data = data.cleaned()
        found = self.validate(data)
        if found:
            raise ValidationError(_("The candidate cannot be saved:"), found)
        return data
