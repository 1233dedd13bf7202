"""What results are computed from, read in a few set-based queries.

The current scores of an assessor are the finished sheets of the newest accepted
bundle from that assessor for the round (bundles are snapshots). Conflicted
assessor–candidate pairs never count, even when the conflict was declared after
the bundle arrived.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from ovop_desktop.data.conflicts import plan_assessor
from ovop_desktop.data.models import (
    AssessorRow,
    AssignmentRow,
    BundleRow,
    CandidateRow,
    ConflictRow,
    CurationRow,
    ModerationRow,
    ReceivedScoreRow,
    ReceivedSheetRow,
)
from ovop_desktop.domain.candidates import stored_associations
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import PlanCandidate, conflict_reason
from ovop_desktop.domain.results import PackedSheet

ACCEPTED = "accepted"
FINISHED = "finished"


@dataclass(frozen=True)
class CurrentBundle:
    id: int
    assessor_id: int
    seq: int
    manifest_sha256: str
    imported_at: str


def current_bundles(s: Session, round_id: int) -> list[CurrentBundle]:
    """Per assessor, the accepted bundle with the highest sequence number."""
    newest = (select(BundleRow.assessor_id, func.max(BundleRow.seq).label("seq"))
              .where(BundleRow.round_id == round_id, BundleRow.status == ACCEPTED)
              .group_by(BundleRow.assessor_id).subquery())
    rows = s.execute(
        select(BundleRow.id, BundleRow.assessor_id, BundleRow.seq, BundleRow.manifest_sha256,
               BundleRow.imported_at)
        .join(newest, and_(BundleRow.assessor_id == newest.c.assessor_id,
                           BundleRow.seq == newest.c.seq))
        .where(BundleRow.round_id == round_id, BundleRow.status == ACCEPTED)
        .order_by(BundleRow.assessor_id))
    return [CurrentBundle(*r) for r in rows]


_FACT_COLUMNS = (
    CandidateRow.id, CandidateRow.uid, CandidateRow.name, CandidateRow.owner,
    CandidateRow.commodity, CandidateRow.product, CandidateRow.sentra_name,
    CandidateRow.region_code, CandidateRow.kind, CandidateRow.previous_star,
    CandidateRow.previous_year, CandidateRow.workforce, CandidateRow.capacity,
    CandidateRow.markets, CandidateRow.export_history, CandidateRow.documents)
FACT_FIELDS = tuple(c.key for c in _FACT_COLUMNS)  # the order round_candidates' rows have


def round_candidates(s: Session, round_id: int, bundle_ids: list[int]) -> list[Any]:
    """Candidates that were planned for a visit or have scores in a current bundle (plain
    rows with the CandidateRow attribute names: 10,000 ORM objects would cost 0.3 s)."""
    assigned = select(AssignmentRow.candidate_id).where(AssignmentRow.round_id == round_id)
    scored = select(ReceivedSheetRow.candidate_id).where(
        ReceivedSheetRow.bundle_id.in_(bundle_ids))
    return list(s.execute(
        select(*_FACT_COLUMNS).where(CandidateRow.round_id == round_id,
                                     CandidateRow.id.in_(assigned.union(scored)))
        .order_by(CandidateRow.id)))


def conflicted_pairs(s: Session, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Which of these (assessor, candidate) pairs are conflicted — declared or by rule (same
    home kab/kota; the assessor's institution is one of the IKM's associations) — and why.

    The rules are only evaluated where they can apply (a declared pair, a matching home
    region, a candidate with associations): a national round has 30,000 pairs.
    """
    if not pairs:
        return {}
    assessors = {a for a, _c in pairs}
    candidates = {c for _a, c in pairs}
    declared = {(a, c): reason for a, c, reason in s.execute(
        select(ConflictRow.assessor_id, ConflictRow.candidate_id, ConflictRow.reason)
        .where(ConflictRow.assessor_id.in_(assessors)))}
    plan_assessors = {row.id: plan_assessor(row) for row in s.execute(
        select(AssessorRow).where(AssessorRow.id.in_(assessors))).scalars()}
    # Only candidates a rule can touch: with associations, or in an assessor's home region
    # (a short list, not the 10,000 candidate ids as parameters).
    homes = {p.home_region for p in plan_assessors.values() if p.home_region}
    touched = CandidateRow.associations != ""
    if homes:
        touched = or_(touched, CandidateRow.region_code.in_(homes))
    query = select(CandidateRow.id, CandidateRow.commodity, CandidateRow.region_code,
                   CandidateRow.associations).where(touched)
    if len(candidates) <= 500:
        query = query.where(CandidateRow.id.in_(candidates))
    suspects = {c: PlanCandidate(c, Commodity(commodity), region,
                                 stored_associations(associations))
                for c, commodity, region, associations in s.execute(query) if c in candidates}
    out = {}
    for a, c in pairs:
        if c not in suspects:
            if (a, c) in declared:
                out[(a, c)] = declared[(a, c)]
            continue
        assessor = plan_assessors.get(a)
        reason = conflict_reason(assessor, suspects[c], declared) if assessor else None
        if reason:
            out[(a, c)] = reason
    return out


def finished_scores(s: Session, bundles: list[CurrentBundle]
                    ) -> dict[int, dict[int, PackedSheet]]:
    """candidate → assessor → the finished sheet's levels, from these bundles.

    One row per sheet, its criteria and levels joined into strings by the database
    (group_concat / string_agg): a national round has 750,000 scores, and handing each
    one to Python as a row object would cost more than all the arithmetic after it.
    """
    by_bundle = {b.id: b.assessor_id for b in bundles}
    if not by_bundle:
        return {}
    per_sheet = (
        select(ReceivedScoreRow.bundle_id, ReceivedScoreRow.candidate_id,
               func.aggregate_strings(ReceivedScoreRow.criterion_id, ",").label("criteria"),
               func.aggregate_strings(cast(ReceivedScoreRow.level, String), ",")
               .label("levels"))
        .where(ReceivedScoreRow.bundle_id.in_(list(by_bundle)))
        .group_by(ReceivedScoreRow.bundle_id, ReceivedScoreRow.candidate_id).subquery())
    rows = s.execute(
        select(per_sheet.c.bundle_id, per_sheet.c.candidate_id, per_sheet.c.criteria,
               per_sheet.c.levels)
        .join(ReceivedSheetRow, and_(ReceivedSheetRow.bundle_id == per_sheet.c.bundle_id,
                                     ReceivedSheetRow.candidate_id == per_sheet.c.candidate_id))
        .where(ReceivedSheetRow.status == FINISHED))
    out: dict[int, dict[int, PackedSheet]] = defaultdict(dict)
    for bundle_id, candidate_id, criteria, levels in rows:
        out[candidate_id][by_bundle[bundle_id]] = PackedSheet(criteria, levels)
    return out


@dataclass(frozen=True)
class SheetDetail:
    """One assessor's sheet for one candidate as received (finished or not)."""

    assessor_id: int
    status: str
    note: str
    visited_on: str | None
    levels: dict[str, int]
    notes: dict[str, str]


def sheets_for(s: Session, bundles: list[CurrentBundle], candidate_id: int) -> list[SheetDetail]:
    by_bundle = {b.id: b.assessor_id for b in bundles}
    if not by_bundle:
        return []
    sheets = s.execute(select(ReceivedSheetRow).where(
        ReceivedSheetRow.bundle_id.in_(list(by_bundle)),
        ReceivedSheetRow.candidate_id == candidate_id)).scalars().all()
    out = []
    for sheet in sorted(sheets, key=lambda r: by_bundle[r.bundle_id]):
        scores = s.execute(select(ReceivedScoreRow).where(
            ReceivedScoreRow.bundle_id == sheet.bundle_id,
            ReceivedScoreRow.candidate_id == candidate_id)).scalars().all()
        out.append(SheetDetail(by_bundle[sheet.bundle_id], sheet.status, sheet.note,
                               sheet.visited_on, {r.criterion_id: r.level for r in scores},
                               {r.criterion_id: r.note for r in scores if r.note}))
    return out


def current_moderation(s: Session, round_id: int) -> dict[tuple[int, str], int]:
    """(candidate, criterion) → moderated level: the newest row per pair, unless withdrawn."""
    newest = (select(func.max(ModerationRow.id))
              .join(CandidateRow, CandidateRow.id == ModerationRow.candidate_id)
              .where(CandidateRow.round_id == round_id)
              .group_by(ModerationRow.candidate_id, ModerationRow.criterion_id))
    rows = s.execute(select(ModerationRow.candidate_id, ModerationRow.criterion_id,
                            ModerationRow.level).where(ModerationRow.id.in_(newest)))
    return {(c, k): level for c, k, level in rows if level is not None}


def moderation_history(s: Session, candidate_id: int) -> list[ModerationRow]:
    return list(s.execute(select(ModerationRow).where(ModerationRow.candidate_id == candidate_id)
                          .order_by(ModerationRow.id)).scalars())


def curation(s: Session, round_id: int) -> dict[int, CurationRow]:
    rows = s.execute(select(CurationRow).join(
        CandidateRow, CandidateRow.id == CurationRow.candidate_id)
        .where(CandidateRow.round_id == round_id)).scalars()
    return {r.candidate_id: r for r in rows}


def assignments(s: Session, round_id: int) -> dict[int, set[int]]:
    """candidate → assigned assessors."""
    out: dict[int, set[int]] = defaultdict(set)
    for a, c in s.execute(select(AssignmentRow.assessor_id, AssignmentRow.candidate_id)
                          .where(AssignmentRow.round_id == round_id)):
        out[c].add(a)
    return out


def sheet_statuses(s: Session, bundles: list[CurrentBundle]) -> dict[tuple[int, int], str]:
    """(assessor, candidate) → sheet status in the assessor's current bundle."""
    by_bundle = {b.id: b.assessor_id for b in bundles}
    if not by_bundle:
        return {}
    rows = s.execute(select(ReceivedSheetRow.bundle_id, ReceivedSheetRow.candidate_id,
                            ReceivedSheetRow.status)
                     .where(ReceivedSheetRow.bundle_id.in_(list(by_bundle))))
    return {(by_bundle[b], c): status for b, c, status in rows}


def bundle_counts(s: Session, round_id: int) -> dict[int, tuple[int, int | None, str | None]]:
    """assessor → (bundles on file, highest accepted seq, last import time)."""
    rows = s.execute(select(BundleRow.assessor_id, func.count(), func.max(BundleRow.imported_at))
                     .where(BundleRow.round_id == round_id)
                     .group_by(BundleRow.assessor_id))
    accepted = {a: seq for a, seq in s.execute(
        select(BundleRow.assessor_id, func.max(BundleRow.seq))
        .where(BundleRow.round_id == round_id, BundleRow.status == ACCEPTED)
        .group_by(BundleRow.assessor_id))}
    return {a: (n, accepted.get(a), last) for a, n, last in rows if a is not None}


def bundle_files(s: Session, bundle_ids: list[int]) -> dict[int, str]:
    """bundle id → the SHA-256 of its kept file (the evidence copy's name)."""
    if not bundle_ids:
        return {}
    return {b: digest for b, digest in s.execute(
        select(BundleRow.id, BundleRow.file_sha256).where(BundleRow.id.in_(bundle_ids)))}
