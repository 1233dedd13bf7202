"""Queries and writes that turn rows into domain objects and back (no business rules)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ovop_desktop.data.models import ProfileRow, RoundCommodityRow, RoundRow, RubricRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.profile import Profile, Role
from ovop_desktop.domain.rounds import Round, RoundCommodity, RoundStatus, Thresholds
from ovop_desktop.domain.rubric import Rubric, RubricRecord, parse_rubric

# -- profile -----------------------------------------------------------------


def get_profile(session: Session) -> Profile | None:
    row = session.get(ProfileRow, 1)
    if row is None:
        return None
    return Profile(role=Role(row.role), name=row.name, institution=row.institution)


def save_profile(session: Session, profile: Profile) -> None:
    row = session.get(ProfileRow, 1) or ProfileRow(id=1, created_at=now_iso())
    row.role, row.name, row.institution = profile.role.value, profile.name, profile.institution
    session.add(row)


# -- rubrics -----------------------------------------------------------------


def _record(row: RubricRow, rounds: tuple[str, ...] = ()) -> RubricRecord:
    return RubricRecord(id=row.id, rubric=parse_rubric(row.content.encode("utf-8")),
                        sha256=row.sha256, frozen_at=row.frozen_at, created_at=row.created_at,
                        rounds=rounds)


def _round_names(session: Session, rubric_id: int) -> tuple[str, ...]:
    names = session.execute(
        select(RoundRow.name).join(RoundCommodityRow)
        .where(RoundCommodityRow.rubric_id == rubric_id).order_by(RoundRow.year, RoundRow.id)
    ).scalars()
    return tuple(names)


def list_rubrics(session: Session, commodity: Commodity | None = None) -> list[RubricRecord]:
    query = select(RubricRow).order_by(RubricRow.commodity, RubricRow.version)
    if commodity is not None:
        query = query.where(RubricRow.commodity == commodity.value)
    order = {c.value: i for i, c in enumerate(Commodity)}
    rows = sorted(session.execute(query).scalars(), key=lambda r: (order[r.commodity], r.version))
    return [_record(r, _round_names(session, r.id)) for r in rows]


def get_rubric(session: Session, rubric_id: int) -> RubricRecord | None:
    row = session.get(RubricRow, rubric_id)
    return _record(row, _round_names(session, row.id)) if row else None


def rubric_row(session: Session, rubric_id: int) -> RubricRow | None:
    return session.get(RubricRow, rubric_id)


def find_rubric_by_sha(session: Session, sha256: str) -> RubricRecord | None:
    row = session.execute(select(RubricRow).where(RubricRow.sha256 == sha256)).scalar()
    return _record(row) if row else None


def latest_rubric(session: Session, commodity: Commodity) -> RubricRecord | None:
    row = session.execute(
        select(RubricRow).where(RubricRow.commodity == commodity.value)
        .order_by(RubricRow.version.desc()).limit(1)
    ).scalar()
    return _record(row) if row else None


def max_rubric_version(session: Session, commodity: Commodity) -> int:
    value = session.execute(
        select(func.max(RubricRow.version)).where(RubricRow.commodity == commodity.value)
    ).scalar()
    return int(value or 0)


def insert_rubric(session: Session, rubric: Rubric) -> RubricRow:
    row = RubricRow(commodity=rubric.commodity.value, version=rubric.version,
                    sha256=rubric.sha256, content=rubric.canonical_bytes().decode("utf-8"),
                    created_at=now_iso())
    session.add(row)
    session.flush()
    return row


# -- rounds ------------------------------------------------------------------


def _round(row: RoundRow) -> Round:
    commodities = tuple(
        RoundCommodity(commodity=Commodity(rc.commodity), rubric_id=rc.rubric_id,
                       rubric_version=rc.rubric.version, rubric_sha256=rc.rubric.sha256,
                       rubric_frozen=rc.rubric.frozen_at is not None)
        for rc in row.commodities
    )
    return Round(id=row.id, year=row.year, name=row.name, status=RoundStatus(row.status),
                 thresholds=Thresholds(row.threshold_3, row.threshold_2, row.threshold_1),
                 commodities=commodities, created_at=row.created_at, uid=row.uid,
                 min_assessors=row.min_assessors,
                 tie_break=tuple(p for p in row.tie_break.split(",") if p),
                 spread_flag=row.spread_flag)


def _round_query():  # type: ignore[no-untyped-def]
    return select(RoundRow).options(
        selectinload(RoundRow.commodities).selectinload(RoundCommodityRow.rubric)
    )


def list_rounds(session: Session) -> list[Round]:
    rows = session.execute(_round_query().order_by(RoundRow.year.desc(), RoundRow.id.desc()))
    return [_round(r) for r in rows.scalars()]


def get_round(session: Session, round_id: int) -> Round | None:
    row = session.execute(_round_query().where(RoundRow.id == round_id)).scalar()
    return _round(row) if row else None


def round_row(session: Session, round_id: int) -> RoundRow | None:
    return session.get(RoundRow, round_id)


def insert_round(session: Session, year: int, name: str, thresholds: Thresholds,
                 rubric_ids: dict[Commodity, int]) -> int:
    row = RoundRow(year=year, name=name, status=RoundStatus.SETUP.value,
                   threshold_3=thresholds.three, threshold_2=thresholds.two,
                   threshold_1=thresholds.one, created_at=now_iso())
    row.commodities = [
        RoundCommodityRow(commodity=c.value, position=i, rubric_id=rubric_ids[c])
        for i, c in enumerate(Commodity) if c in rubric_ids
    ]
    session.add(row)
    session.flush()
    return row.id


def round_name_taken(session: Session, year: int, name: str) -> bool:
    found = session.execute(
        select(RoundRow.id).where(RoundRow.year == year, func.lower(RoundRow.name) == name.lower())
    ).first()
    return found is not None
