"""Schema version 4: conflicts of interest, visit dates, score history, assessor home kab/kota."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import Connection

_md = MetaData()
for _name in ("round", "candidate", "assessor"):
    Table(_name, _md, Column("id", Integer, primary_key=True))

Table(
    "conflict", _md,
    Column("id", Integer, primary_key=True),
    # NULL on an assessor's laptop: the conflict is this laptop's own assessor's.
    Column("assessor_id", Integer, ForeignKey("assessor.id", ondelete="CASCADE")),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           nullable=False),
    Column("reason", Text, nullable=False),
    Column("declared_by", String(200), nullable=False),
    Column("declared_at", String(40), nullable=False),
)
Table(
    "visit", _md,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("visit_date", String(10), nullable=False),
)
_history = Table(
    "score_history", _md,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           nullable=False),
    Column("criterion_id", String(20), nullable=False),  # "*" for the sheet itself
    Column("old", String(20), nullable=False),
    Column("new", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("ts", String(40), nullable=False),
)
Index("ix_score_history_candidate_id", _history.c.candidate_id)


def upgrade(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE assessor ADD COLUMN home_region_code VARCHAR(5) NOT NULL "
                      "DEFAULT ''"))
    _md.create_all(conn, tables=[t for n, t in _md.tables.items()
                                 if n not in ("round", "candidate", "assessor")])
