"""One definition of a conflict of interest, used by assignment, scoring and bundle import."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ovop_desktop.data.models import AssessorRow, CandidateRow, ConflictRow, ProfileRow
from ovop_desktop.domain.candidates import association_key, stored_associations
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import (
    PlanAssessor,
    PlanCandidate,
    association_conflict,
    conflict_reason,
    is_secretariat,
)


def plan_assessor(row: AssessorRow) -> PlanAssessor:
    return PlanAssessor(row.id, row.name, frozenset(
        Commodity(c) for c in row.commodities.split(",") if c), is_secretariat(row.institution),
        row.home_region_code, row.institution)


def plan_candidate(row: CandidateRow) -> PlanCandidate:
    return PlanCandidate(row.id, Commodity(row.commodity), row.region_code,
                         stored_associations(row.associations))


def conflict_in(s: Session, assessor_id: int | None, candidate_id: int) -> str | None:
    """The reason this assessor (None: this laptop's own) may not score the candidate."""
    query = select(ConflictRow.reason).where(ConflictRow.candidate_id == candidate_id)
    query = query.where(ConflictRow.assessor_id.is_(None) if assessor_id is None
                        else ConflictRow.assessor_id == assessor_id)
    found = s.execute(query.limit(1)).scalar()
    if found is not None:
        return found
    candidate = s.get(CandidateRow, candidate_id)
    if candidate is None:
        return None
    if assessor_id is None:  # this laptop: the package's conflicts, and its own institution
        if not candidate.associations:
            return None
        profile = s.get(ProfileRow, 1)
        return association_conflict(profile.institution if profile else "",
                                    stored_associations(candidate.associations))
    assessor = s.get(AssessorRow, assessor_id)
    if assessor is None:
        return None
    return conflict_reason(plan_assessor(assessor), plan_candidate(candidate), {})


def rule_conflicts(s: Session, assessor_id: int, round_id: int | None = None,
                   candidate_ids: Iterable[int] | None = None) -> dict[int, str]:
    """{candidate id: reason} for the candidates an enrolled assessor may not score by rule
    (same home kab/kota, or their institution is one of the IKM's associations), in one
    query; `round_id` and `candidate_ids` narrow the candidates looked at."""
    row = s.get(AssessorRow, assessor_id)
    if row is None:
        return {}
    assessor = plan_assessor(row)
    reasons = []
    if assessor.home_region:
        reasons.append(CandidateRow.region_code == assessor.home_region)
    if association_key(assessor.institution):
        reasons.append(CandidateRow.associations != "")
    if not reasons:
        return {}
    query = select(CandidateRow).where(or_(*reasons))
    if round_id is not None:
        query = query.where(CandidateRow.round_id == round_id)
    if candidate_ids is not None:
        query = query.where(CandidateRow.id.in_(list(candidate_ids)))
    out: dict[int, str] = {}
    for candidate in s.execute(query).scalars():
        reason = conflict_reason(assessor, plan_candidate(candidate), {})
        if reason is not None:
            out[candidate.id] = reason
    return out
