"""Conflicts of interest, the automatic assignment proposal, and visit dates (coordinator)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select

from ovop_desktop.data import audit, candidate_repo
from ovop_desktop.data.conflicts import conflict_in, plan_assessor
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import (
    AssessorRow,
    AssignmentRow,
    CandidateRow,
    ConflictRow,
    VisitRow,
)
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.candidates import stored_associations
from ovop_desktop.domain.planning import Plan, PlanCandidate, plan
from ovop_desktop.domain.screening import Decision
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import require_assessor
from ovop_desktop.services.candidates import CandidateService


@dataclass(frozen=True)
class Conflict:
    id: int
    assessor_id: int | None
    candidate_id: int
    reason: str
    declared_by: str
    declared_at: str


class PlanningService:
    def __init__(self, store: Store, actor: Callable[[], str],
                 candidates: CandidateService) -> None:
        self._store = store
        self._actor = actor
        self._candidates = candidates

    # -- conflicts -----------------------------------------------------------------

    def declare(self, assessor_id: int | None, candidate_id: int, reason: str) -> Conflict:
        """Record a conflict; an existing assignment of that pair is removed at once."""
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationError(_("Give the reason for the conflict of interest."))
        with self._store.write() as s:
            candidate_repo.require(s, candidate_id)
            if assessor_id is not None:
                require_assessor(s, assessor_id)
            row = ConflictRow(assessor_id=assessor_id, candidate_id=candidate_id, reason=reason,
                              declared_by=self._actor(), declared_at=now_iso())
            s.add(row)
            if assessor_id is not None:
                s.execute(delete(AssignmentRow).where(AssignmentRow.assessor_id == assessor_id,
                                                      AssignmentRow.candidate_id == candidate_id))
            s.flush()
            audit.append(s, row.declared_by, "conflict.declare", "candidate", candidate_id,
                         {"assessor": assessor_id, "reason": reason})
            return _conflict(row)

    def conflicts(self, assessor_id: int | None = None) -> list[Conflict]:
        with self._store.read() as s:
            query = select(ConflictRow).order_by(ConflictRow.id)
            if assessor_id is not None:
                query = query.where(ConflictRow.assessor_id == assessor_id)
            return [_conflict(r) for r in s.execute(query).scalars()]

    def conflict_of(self, assessor_id: int | None, candidate_id: int) -> str | None:
        """Declared or by rule (same home kab/kota; the assessor's institution is one of the
        IKM's associations): the reason, or None."""
        with self._store.read() as s:
            return conflict_in(s, assessor_id, candidate_id)

    # -- the automatic proposal ------------------------------------------------------

    def auto(self, round_id: int, per_candidate: int = 3, minimum: int = 2) -> Plan:
        """Propose and store teams for every candidate that passed screening or is a
        re-evaluation, keeping what the coordinator already assigned by hand."""
        if not 1 <= minimum <= per_candidate <= 10:
            raise ValidationError(_("A team has between {lo} and 10 assessors.").format(
                lo=minimum))
        passed = [c for c in self._candidates.summaries(round_id)
                  if c.decision is Decision.PASSED]
        with self._store.write() as s:
            # The few candidates that recorded associations (the institution rule).
            associations = dict(s.execute(select(CandidateRow.id, CandidateRow.associations)
                                          .where(CandidateRow.round_id == round_id,
                                                 CandidateRow.associations != "")).all())
            eligible = [PlanCandidate(c.id, c.commodity, c.region_code,
                                      stored_associations(associations.get(c.id, "")))
                        for c in passed]
            assessors = [plan_assessor(r) for r in s.execute(select(AssessorRow).where(
                AssessorRow.revoked_through_seq.is_(None))).scalars()]
            if not assessors:
                raise UserFacingError(_("Enrol assessors first: there is nobody to assign."))
            declared = {(r.assessor_id, r.candidate_id): r.reason for r in s.execute(
                select(ConflictRow).where(ConflictRow.assessor_id.is_not(None))).scalars()}
            existing: dict[int, list[int]] = {}
            for a in s.execute(select(AssignmentRow).where(AssignmentRow.round_id == round_id)
                               ).scalars():
                existing.setdefault(a.candidate_id, []).append(a.assessor_id)
            result = plan(eligible, assessors, declared, existing, per_candidate, minimum)
            new = [(cid, aid) for cid, team in result.teams.items() for aid in team
                   if aid not in existing.get(cid, [])]
            if new:  # one executemany: a national round adds 30,000 rows
                s.execute(insert(AssignmentRow.__table__), [
                    {"round_id": round_id, "assessor_id": aid, "candidate_id": cid}
                    for cid, aid in new])
            audit.append(s, self._actor(), "assignment.auto", "round", round_id,
                         {"added": len(new), "short": len(result.short),
                          "per_candidate": per_candidate})
        return result

    def teams(self, round_id: int) -> dict[int, list[int]]:
        with self._store.read() as s:
            out: dict[int, list[int]] = {}
            for a in s.execute(select(AssignmentRow).where(AssignmentRow.round_id == round_id)
                               .order_by(AssignmentRow.assessor_id)).scalars():
                out.setdefault(a.candidate_id, []).append(a.assessor_id)
            return out

    # -- visit dates -------------------------------------------------------------------

    def set_visit(self, candidate_id: int, when: date | None) -> None:
        with self._store.write() as s:
            candidate_repo.require(s, candidate_id)
            row = s.get(VisitRow, candidate_id)
            if when is None:
                if row is not None:
                    s.delete(row)
            else:
                (row or s.merge(VisitRow(candidate_id=candidate_id, visit_date=""))
                 ).visit_date = when.isoformat()
            audit.append(s, self._actor(), "visit.date", "candidate", candidate_id,
                         {"date": when.isoformat() if when else None})

    def visits(self) -> dict[int, date]:
        with self._store.read() as s:
            return {r.candidate_id: date.fromisoformat(r.visit_date)
                    for r in s.execute(select(VisitRow)).scalars()}


def _conflict(row: ConflictRow) -> Conflict:
    return Conflict(row.id, row.assessor_id, row.candidate_id, row.reason, row.declared_by,
                    row.declared_at)
