"""Schema version 7: received scores stored clustered by sheet (SQLite: WITHOUT ROWID).

The results read a round's scores sheet by sheet. In a rowid table every score is a
lookup from the primary-key index into a separate table b-tree (for 750,000 scores this
was most of the read), and the index repeats every key. Clustered on its primary key
the table is its own index: the read is one ordered pass, and the file is smaller.
PostgreSQL has no such layout; the step changes nothing there.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import Connection

_md = MetaData()
Table("bundle", _md, Column("id", Integer, primary_key=True))
Table("candidate", _md, Column("id", Integer, primary_key=True))
_NEW = Table(
    "received_score_v7", _md,
    Column("bundle_id", Integer, ForeignKey("bundle.id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("criterion_id", String(20), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("note", Text, nullable=False),
    sqlite_with_rowid=False,
)


def upgrade(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    # The usual SQLite table rebuild; the step's transaction makes it all or nothing.
    _NEW.create(conn)
    conn.execute(text("INSERT INTO received_score_v7 (bundle_id, candidate_id, criterion_id, "
                      "level, note) SELECT bundle_id, candidate_id, criterion_id, level, note "
                      "FROM received_score"))
    conn.execute(text("DROP TABLE received_score"))
    conn.execute(text("ALTER TABLE received_score_v7 RENAME TO received_score"))
