"""Schema version 3: stable ids for rounds and candidates, and the signed exchange.

Rounds and candidates get a `uid` (UUID) because packages and bundles travel
between laptops whose local integer ids differ. New tables: the coordinator's
assessor registry, packages issued, bundles received and the scores they carry;
the assessor's pinned coordinator key, packages received, score sheets, exports.
"""

from __future__ import annotations

import uuid

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
    text,
)
from sqlalchemy.engine import Connection

_md = MetaData()
for _name in ("round", "candidate"):
    Table(_name, _md, Column("id", Integer, primary_key=True))

_assessor = Table(
    "assessor", _md,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("institution", String(200), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("key_id", String(64), nullable=False, unique=True),
    Column("commodities", String(200), nullable=False),
    Column("province_code", String(2), nullable=False),
    Column("confirmed_by", String(200), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("enrolled_at", String(40), nullable=False),
    Column("revoked_through_seq", Integer),
    Column("revoked_at", String(40)),
)
Table(
    "assignment", _md,
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), primary_key=True),
    Column("assessor_id", Integer, ForeignKey("assessor.id", ondelete="CASCADE"),
           primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
)
Table(
    "package_issued", _md,
    Column("id", Integer, primary_key=True),
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), nullable=False),
    Column("assessor_id", Integer, ForeignKey("assessor.id", ondelete="CASCADE"),
           nullable=False),
    Column("seq", Integer, nullable=False),
    Column("package_id", String(36), nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    Column("candidates", Integer, nullable=False),
    Column("issued_at", String(40), nullable=False),
    UniqueConstraint("assessor_id", "seq"),
)
Table(
    "coordinator_pin", _md,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("pinned_at", String(40), nullable=False),
)
Table(
    "package_received", _md,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),
    Column("package_id", String(36), nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), nullable=False),
    Column("received_at", String(40), nullable=False),
)
Table(
    "score_sheet", _md,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
)
Table(
    "score", _md,
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("criterion_id", String(20), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("note", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
)
Table(
    "bundle_export", _md,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("bundle_id", String(36), nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("exported_at", String(40), nullable=False),
)
_bundle = Table(
    "bundle", _md,
    Column("id", Integer, primary_key=True),
    Column("assessor_id", Integer, ForeignKey("assessor.id", ondelete="CASCADE")),
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE")),
    Column("key_id", String(64), nullable=False),
    Column("seq", Integer),
    Column("bundle_id", String(36), nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    Column("prev", String(64), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("sheets", Integer, nullable=False),
    Column("scores", Integer, nullable=False),
    Column("imported_at", String(40), nullable=False),
    Column("decided_by", String(200), nullable=False),
)
Index("ix_bundle_assessor_id", _bundle.c.assessor_id)
Index("ix_bundle_manifest_sha256", _bundle.c.manifest_sha256)
_rsheet = Table(
    "received_sheet", _md,
    Column("bundle_id", Integer, ForeignKey("bundle.id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False),
)
Table(
    "received_score", _md,
    Column("bundle_id", Integer, ForeignKey("bundle.id", ondelete="CASCADE"), primary_key=True),
    Column("candidate_id", Integer, ForeignKey("candidate.id", ondelete="CASCADE"),
           primary_key=True),
    Column("criterion_id", String(20), primary_key=True),
    Column("level", Integer, nullable=False),
    Column("note", Text, nullable=False),
)


def upgrade(conn: Connection) -> None:
    for table in ("round", "candidate"):
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN uid VARCHAR(36) NOT NULL DEFAULT ''"))
        ids = conn.execute(text(f"SELECT id FROM {table}")).scalars().all()
        for row_id in ids:
            conn.execute(text(f"UPDATE {table} SET uid = :u WHERE id = :i"),
                         {"u": str(uuid.uuid4()), "i": row_id})
        conn.execute(text(f"CREATE UNIQUE INDEX ix_{table}_uid ON {table} (uid)"))
    _md.create_all(conn, tables=[t for n, t in _md.tables.items()
                                 if n not in ("round", "candidate")])
