"""Schema version 5: evidence photos (files kept by SHA-256); candidates withdrawn from an
assessor's assignments (kept with their scores, but no longer scored)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, text
from sqlalchemy.engine import Connection

_md = MetaData()
Table("candidate", _md, Column("id", Integer, primary_key=True))
Table(
    "evidence", _md,
    Column("id", Integer, primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("criterion_id", String(20), nullable=False),  # "" = for the visit as a whole
    Column("sha256", String(64), nullable=False),
    Column("kind", String(4), nullable=False),  # jpg | png
    Column("file_name", String(300), nullable=False),
    Column("size", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("added_at", String(40), nullable=False),
)


def upgrade(conn: Connection) -> None:
    _md.create_all(conn, tables=[_md.tables["evidence"]])
    conn.execute(text("ALTER TABLE candidate ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0"))
