"""ORM tables of the current schema (the migration ladder must produce exactly these)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    """One row: the schema version this database is at (portable, unlike user_version)."""

    __tablename__ = "schema_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    app_version: Mapped[str] = mapped_column(String(40), nullable=False)
    updated_at: Mapped[str] = mapped_column(String(40), nullable=False)


class ProfileRow(Base):
    """Who uses this installation: one row, written at first run."""

    __tablename__ = "profile"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    institution: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)


class RubricRow(Base):
    """One version of one commodity's rubric; content is its canonical JSON."""

    __tablename__ = "rubric"
    __table_args__ = (UniqueConstraint("commodity", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commodity: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    frozen_at: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)


def _new_uid() -> str:
    return str(uuid.uuid4())


class RoundRow(Base):
    __tablename__ = "round"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=_new_uid, server_default="",
                                     unique=True, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    threshold_3: Mapped[int] = mapped_column(Integer, nullable=False)
    threshold_2: Mapped[int] = mapped_column(Integer, nullable=False)
    threshold_1: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)
    # Results method (schema v6): fewer assessors than this → incomplete, not classified;
    # ties broken by these aspect ids in order; a spread of levels ≥ spread_flag is flagged.
    min_assessors: Mapped[int] = mapped_column(Integer, server_default="2", default=2)
    tie_break: Mapped[str] = mapped_column(String(100), server_default="C,B,A", default="C,B,A")
    spread_flag: Mapped[int] = mapped_column(Integer, server_default="2", default=2)
    commodities: Mapped[list[RoundCommodityRow]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundCommodityRow.position"
    )


class RoundCommodityRow(Base):
    """Which rubric version a round uses for a commodity."""

    __tablename__ = "round_commodity"
    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    commodity: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id"), nullable=False)
    round: Mapped[RoundRow] = relationship(back_populates="commodities")
    rubric: Mapped[RubricRow] = relationship()


class AuditRow(Base):
    """Append-only, hash-chained record of every change, written in the same transaction."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[str] = mapped_column(String(40), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(80), nullable=False)
    object_type: Mapped[str] = mapped_column(String(40), nullable=False)
    object_id: Mapped[str] = mapped_column(String(80), nullable=False)
    details: Mapped[str] = mapped_column(Text, nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    entry_hash: Mapped[str] = mapped_column(String(64), nullable=False)


class CandidateRow(Base):
    """A proposed IKM in one round. (round_id, fingerprint) makes a re-import add nothing."""

    __tablename__ = "candidate"
    __table_args__ = (UniqueConstraint("round_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=_new_uid, server_default="",
                                     unique=True, index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    region_code: Mapped[str] = mapped_column(String(5))
    sentra_name: Mapped[str] = mapped_column(String(200))
    sentra_sk_number: Mapped[str] = mapped_column(String(100))
    sentra_sk_date: Mapped[str | None] = mapped_column(String(10))
    commodity: Mapped[str] = mapped_column(String(40))
    product: Mapped[str] = mapped_column(String(200))
    nib: Mapped[str] = mapped_column(String(13), index=True)
    documents: Mapped[str] = mapped_column(String(200))
    workforce: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[str] = mapped_column(Text)
    markets: Mapped[str] = mapped_column(Text)
    export_history: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    previous_star: Mapped[int | None] = mapped_column(Integer)
    previous_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))
    # Assessor side: no longer in this assessor's newest package (kept with its scores).
    withdrawn: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    # Associations the IKM belongs to, one per line (conflict rule: an assessor's institution).
    associations: Mapped[str] = mapped_column(Text, server_default="", default="")


class CandidateHistoryRow(Base):
    """One changed field of one candidate: who, when, old → new."""

    __tablename__ = "candidate_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    ts: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)


class ScreeningRequirementRow(Base):
    __tablename__ = "screening_requirement"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"),
                                          primary_key=True)
    commodity: Mapped[str] = mapped_column(String(40), primary_key=True)
    document: Mapped[str] = mapped_column(String(40), primary_key=True)


class ScreeningCheckRow(Base):
    __tablename__ = "screening_check"
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    document: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    ts: Mapped[str] = mapped_column(String(40))


class ImportBatchRow(Base):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    accepted: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)


# -- signed exchange (schema v3) -------------------------------------------------


class AssessorRow(Base):
    """An enrolled assessor (coordinator side): key confirmed out of band, by whom, how."""

    __tablename__ = "assessor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    commodities: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[str] = mapped_column(String(2))
    confirmed_by: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    enrolled_at: Mapped[str] = mapped_column(String(40))
    revoked_through_seq: Mapped[int | None] = mapped_column(Integer)
    revoked_at: Mapped[str | None] = mapped_column(String(40))
    home_region_code: Mapped[str] = mapped_column(String(5), server_default="", default="")


class AssignmentRow(Base):
    __tablename__ = "assignment"
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"),
                                          primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id", ondelete="CASCADE"),
                                             primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)


class PackageIssuedRow(Base):
    __tablename__ = "package_issued"
    __table_args__ = (UniqueConstraint("assessor_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    package_id: Mapped[str] = mapped_column(String(36))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    candidates: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[str] = mapped_column(String(40))


class CoordinatorPinRow(Base):
    """The assessor side's trust anchor: the coordinator key pinned at the first package."""

    __tablename__ = "coordinator_pin"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(64))
    pinned_at: Mapped[str] = mapped_column(String(40))


class PackageReceivedRow(Base):
    __tablename__ = "package_received"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    package_id: Mapped[str] = mapped_column(String(36))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    received_at: Mapped[str] = mapped_column(String(40))


class ScoreSheetRow(Base):
    """The assessor's sheet for one candidate: in progress or finished."""

    __tablename__ = "score_sheet"
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40))
    visited_on: Mapped[str | None] = mapped_column(String(10))  # the actual visit date


class ScoreRow(Base):
    __tablename__ = "score"
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40))


class BundleExportRow(Base):
    """Each bundle this assessor signed: the sequence and the chain (prev) continue from here."""

    __tablename__ = "bundle_export"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    bundle_id: Mapped[str] = mapped_column(String(36))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(300))
    exported_at: Mapped[str] = mapped_column(String(40))


class BundleRow(Base):
    """A bundle the coordinator received, whatever its outcome (rejections are kept too)."""

    __tablename__ = "bundle"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessor_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessor.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    key_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(Integer)
    bundle_id: Mapped[str] = mapped_column(String(36))
    manifest_sha256: Mapped[str] = mapped_column(String(64), index=True)
    prev: Mapped[str] = mapped_column(String(64))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    sheets: Mapped[int] = mapped_column(Integer)
    scores: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[str] = mapped_column(String(40))
    decided_by: Mapped[str] = mapped_column(String(200))


class ReceivedSheetRow(Base):
    __tablename__ = "received_sheet"
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id", ondelete="CASCADE"),
                                           primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    visited_on: Mapped[str | None] = mapped_column(String(10))


class ReceivedScoreRow(Base):
    """One received level. SQLite stores the table clustered on its key (WITHOUT ROWID,
    schema v7): the results read 750,000 of these sheet by sheet."""

    __tablename__ = "received_score"
    __table_args__ = {"sqlite_with_rowid": False}
    bundle_id: Mapped[int] = mapped_column(ForeignKey("bundle.id", ondelete="CASCADE"),
                                           primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)


# -- site visits (schema v4) ------------------------------------------------------------


class ConflictRow(Base):
    """A declared conflict of interest (assessor NULL: this laptop's own assessor)."""

    __tablename__ = "conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("assessor.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    declared_by: Mapped[str] = mapped_column(String(200))
    declared_at: Mapped[str] = mapped_column(String(40))


class VisitRow(Base):
    __tablename__ = "visit"
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    visit_date: Mapped[str] = mapped_column(String(10))


class ScoreHistoryRow(Base):
    """Every change of a score or of a sheet's status: who, when, old → new, why."""

    __tablename__ = "score_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(20))
    old: Mapped[str] = mapped_column(String(20))
    new: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    ts: Mapped[str] = mapped_column(String(40))


class EvidenceRow(Base):
    """A photo taken as evidence, for one criterion or ("") the visit as a whole."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(4))
    file_name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[str] = mapped_column(String(40))


# -- results (schema v6) ------------------------------------------------------------------


class ModerationRow(Base):
    """A moderated level set by the panel, with its reason; the newest row per criterion
    counts (level NULL = withdrawn). Earlier rows stay as the history."""

    __tablename__ = "moderation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(20))
    level: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    ts: Mapped[str] = mapped_column(String(40))


class CurationRow(Base):
    """Go Global curation of a 3★/2★ candidate: selected for export curation, and a note."""

    __tablename__ = "curation"
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"),
                                              primary_key=True)
    selected: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[str] = mapped_column(String(40))
