"""Administrative screening: the per-commodity checklist, document checks, decisions, summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from ovop_desktop.data import audit
from ovop_desktop.data import candidate_repo as repo
from ovop_desktop.data.db import Store
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import DEFAULT_REQUIREMENTS, Document
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.domain.screening import (
    DocStatus,
    DocumentCheck,
    ScreeningResult,
    ScreeningSummary,
    decide,
    summarise,
)
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import _


def effective_requirements(session: Session,
                           round_id: int) -> dict[Commodity, tuple[Document, ...]]:
    """The round's checklist; commodities the coordinator has not edited use the defaults."""
    stored = repo.requirements(session, round_id)
    return {c: stored.get(c, DEFAULT_REQUIREMENTS[c]) for c in Commodity}


class ScreeningService:
    def __init__(self, store: Store, actor: Callable[[], str],
                 regions: Callable[[], RegionRegistry]) -> None:
        self._store = store
        self._actor = actor
        self._regions = regions

    def requirements(self, round_id: int) -> dict[Commodity, tuple[Document, ...]]:
        with self._store.read() as s:
            return effective_requirements(s, round_id)

    def set_requirements(self, round_id: int, commodity: Commodity,
                         documents: Iterable[Document]) -> tuple[Document, ...]:
        documents = tuple(dict.fromkeys(documents))
        if not documents:
            raise ValidationError(_("A checklist needs at least one document."))
        with self._store.write() as s:
            old = effective_requirements(s, round_id)[commodity]
            repo.set_requirements(s, round_id, commodity, documents)
            audit.append(s, self._actor(), "screening.requirements", "round", round_id,
                         {"commodity": commodity.value, "old": [d.value for d in old],
                          "new": [d.value for d in documents]})
            return effective_requirements(s, round_id)[commodity]

    def checks(self, candidate_id: int) -> dict[Document, DocumentCheck]:
        with self._store.read() as s:
            return repo.checks_for(s, candidate_id)

    def set_check(self, candidate_id: int, document: Document, status: DocStatus,
                  note: str = "") -> ScreeningResult:
        """Record what the officer found for one document; returns the new decision."""
        note = " ".join(note.split())
        if len(note) > 1000:
            raise ValidationError(_("The note is longer than 1000 characters."))
        actor = self._actor()
        with self._store.write() as s:
            row = repo.require(s, candidate_id)
            check = DocumentCheck(document, status, note, actor, now_iso())
            previous = repo.set_check(s, candidate_id, check)
            audit.append(s, actor, "screening.check", "candidate", candidate_id,
                         {"document": document.value, "status": status.value, "note": note,
                          "previous": previous.status.value if previous else None})
            required = effective_requirements(s, row.round_id)[Commodity(row.commodity)]
            return decide(required, repo.checks_for(s, candidate_id))

    def set_checks_many(self, items: Iterable[tuple[int, Document, DocStatus, str]]) -> int:
        """Record many checks in one transaction (demo data, a whole screening session)."""
        actor, stamp = self._actor(), now_iso()
        checks = [(candidate_id, DocumentCheck(document, status, note, actor, stamp))
                  for candidate_id, document, status, note in items]
        with self._store.write() as s:
            repo.set_checks(s, checks)
            audit.append(s, actor, "screening.check_many", "round", 0, {"count": len(checks)})
        return len(checks)

    def result(self, candidate_id: int) -> ScreeningResult:
        with self._store.read() as s:
            row = repo.require(s, candidate_id)
            required = effective_requirements(s, row.round_id)[Commodity(row.commodity)]
            return decide(required, repo.checks_for(s, candidate_id))

    def summary(self, round_id: int) -> ScreeningSummary:
        registry = self._regions()
        with self._store.read() as s:
            rows = repo.rows_for_round(s, round_id)
            required = effective_requirements(s, round_id)
            checks = repo.checks_for_round(s, round_id)

        def province(code: str) -> str:
            regency = registry.regency(code)
            return regency.province_code if regency else ""

        return summarise(
            (Commodity(r.commodity), province(r.region_code), r.kind == "reevaluation",
             decide(required[Commodity(r.commodity)], checks.get(r.id, {})))
            for r in rows)
