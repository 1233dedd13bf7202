"""Schema version 6: results — the round's method settings (minimum assessors, tie-break,
disagreement threshold), moderated levels with their reasons, the Go Global curation,
candidates' association memberships (a conflict-of-interest rule) and the actual visit
date an assessor records on a sheet (travels in bundles)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import Connection

_md = MetaData()
Table("candidate", _md, Column("id", Integer, primary_key=True))
Table(
    "moderation", _md,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("criterion_id", String(20), nullable=False),
    Column("level", Integer),  # NULL: the moderation was withdrawn (the mean counts again)
    Column("reason", Text, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("ts", String(40), nullable=False),
)
Table(
    "curation", _md,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("selected", Integer, nullable=False),
    Column("note", Text, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

_COLUMNS = (
    "ALTER TABLE round ADD COLUMN min_assessors INTEGER NOT NULL DEFAULT 2",
    "ALTER TABLE round ADD COLUMN tie_break VARCHAR(100) NOT NULL DEFAULT 'C,B,A'",
    "ALTER TABLE round ADD COLUMN spread_flag INTEGER NOT NULL DEFAULT 2",
    "ALTER TABLE candidate ADD COLUMN associations TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE score_sheet ADD COLUMN visited_on VARCHAR(10)",
    "ALTER TABLE received_sheet ADD COLUMN visited_on VARCHAR(10)",
)


def upgrade(conn: Connection) -> None:
    _md.create_all(conn, tables=[_md.tables["moderation"], _md.tables["curation"]])
    for statement in _COLUMNS:
        conn.execute(text(statement))
