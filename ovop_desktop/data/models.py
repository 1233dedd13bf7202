"""ORM tables of the current schema (the migration ladder must produce exactly these)."""

from __future__ import annotations

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


class RoundRow(Base):
    __tablename__ = "round"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    threshold_3: Mapped[int] = mapped_column(Integer, nullable=False)
    threshold_2: Mapped[int] = mapped_column(Integer, nullable=False)
    threshold_1: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)
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
