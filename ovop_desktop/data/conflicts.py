"""One definition of a conflict of interest, used by assignment, scoring and bundle import."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ovop_desktop.data.models import AssessorRow, CandidateRow, ConflictRow
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import (
    PlanAssessor,
    PlanCandidate,
    conflict_reason,
    is_secretariat,
)


def plan_assessor(row: AssessorRow) -> PlanAssessor:
    return PlanAssessor(row.id, row.name, frozenset(
        Commodity(c) for c in row.commodities.split(",") if c), is_secretariat(row.institution),
        row.home_region_code)


def conflict_in(s: Session, assessor_id: int | None, candidate_id: int) -> str | None:
    """The reason this assessor (None: this laptop's own) may not score the candidate."""
    query = select(ConflictRow.reason).where(ConflictRow.candidate_id == candidate_id)
    query = query.where(ConflictRow.assessor_id.is_(None) if assessor_id is None
                        else ConflictRow.assessor_id == assessor_id)
    found = s.execute(query.limit(1)).scalar()
    if found is not None or assessor_id is None:
        return found
    assessor, candidate = s.get(AssessorRow, assessor_id), s.get(CandidateRow, candidate_id)
    if assessor is None or candidate is None:
        return None
    return conflict_reason(plan_assessor(assessor), PlanCandidate(
        candidate.id, Commodity(candidate.commodity), candidate.region_code), {})
