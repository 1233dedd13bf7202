"""Schema version 1: profile, rubrics, rounds and their commodities, audit log."""

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

Table(
    "schema_version", _md,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("app_version", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)
Table(
    "profile", _md,
    Column("id", Integer, primary_key=True),
    Column("role", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("institution", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
)
_rubric = Table(
    "rubric", _md,
    Column("id", Integer, primary_key=True),
    Column("commodity", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("content", Text, nullable=False),
    Column("frozen_at", String(40)),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("commodity", "version"),
)
Index("ix_rubric_commodity", _rubric.c.commodity)
Table(
    "round", _md,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("threshold_3", Integer, nullable=False),
    Column("threshold_2", Integer, nullable=False),
    Column("threshold_1", Integer, nullable=False),
    Column("created_at", String(40), nullable=False),
)
Table(
    "round_commodity", _md,
    Column("round_id", Integer, ForeignKey("round.id", ondelete="CASCADE"), primary_key=True),
    Column("commodity", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("rubric_id", Integer, ForeignKey("rubric.id"), nullable=False),
)
Table(
    "audit_log", _md,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("ts", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(80), nullable=False),
    Column("object_type", String(40), nullable=False),
    Column("object_id", String(80), nullable=False),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
)


def upgrade(conn: Connection) -> None:
    _md.create_all(conn)
