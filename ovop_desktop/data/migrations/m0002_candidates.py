"""Schema version 2: candidates, their edit history, screening requirements and checks, imports."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Connection

_md = MetaData()
# Referenced tables from version 1, declared only so foreign keys resolve.
Table("round", _md, Column("id", Integer, primary_key=True))

_candidate = Table(
    "candidate", _md,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("address", String(500), nullable=False),
    Column("region_code", String(5), nullable=False),
    Column("sentra_name", String(200), nullable=False),
    Column("sentra_sk_number", String(100), nullable=False),
    Column("sentra_sk_date", String(10)),
    Column("commodity", String(40), nullable=False),
    Column("product", String(200), nullable=False),
    Column("nib", String(13), nullable=False),
    Column("documents", String(200), nullable=False),
    Column("workforce", Integer),
    Column("capacity", Text, nullable=False),
    Column("markets", Text, nullable=False),
    Column("export_history", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("previous_star", Integer),
    Column("previous_year", Integer),
    Column("source", String(300), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("round_id", "fingerprint"),
)
Index("ix_candidate_round_id", _candidate.c.round_id)
Index("ix_candidate_nib", _candidate.c.nib)
_history = Table(
    "candidate_history", _md,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           nullable=False),
    Column("ts", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("field", String(40), nullable=False),
    Column("old", Text, nullable=False),
    Column("new", Text, nullable=False),
)
Index("ix_candidate_history_candidate_id", _history.c.candidate_id)
Table(
    "screening_requirement", _md,
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), primary_key=True),
    Column("commodity", String(40), primary_key=True),
    Column("document", String(40), primary_key=True),
)
Table(
    "screening_check", _md,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("document", String(40), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("ts", String(40), nullable=False),
)
Table(
    "import_batch", _md,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
)


def upgrade(conn: Connection) -> None:
    tables = [t for name, t in _md.tables.items() if name != "round"]
    _md.create_all(conn, tables=tables)
