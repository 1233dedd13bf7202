"""`ovop db check`: SQLite integrity, foreign keys, schema version and the audit chain.

On PostgreSQL only the schema version and the audit chain: the server checks its own pages
and always enforces foreign keys."""

from __future__ import annotations

from dataclasses import dataclass

from ovop_desktop.data import audit
from ovop_desktop.data.db import Store
from ovop_desktop.data.migrations import CURRENT_VERSION
from ovop_desktop.data.schema import stored_version


@dataclass(frozen=True)
class CheckReport:
    integrity: list[str]  # ["ok"] when sound
    foreign_key_violations: int
    schema_version: int
    audit_entries: int
    audit_first_bad_seq: int | None
    audit_head: str
    engine: str = "sqlite"  # "postgresql": integrity is [] (not SQLite's to check)

    @property
    def ok(self) -> bool:
        return ((self.integrity == ["ok"] or self.engine != "sqlite")
                and self.foreign_key_violations == 0
                and self.audit_first_bad_seq is None and self.schema_version == CURRENT_VERSION)


def check_database(store: Store) -> CheckReport:
    if not store.is_sqlite:
        with store.read() as s:
            chain = audit.verify(s)
        return CheckReport(integrity=[], foreign_key_violations=0,
                           schema_version=stored_version(store), audit_entries=chain.entries,
                           audit_first_bad_seq=chain.first_bad_seq, audit_head=chain.head_hash,
                           engine=store.engine.dialect.name)
    conn = store.raw_connection()
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        fk = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()
    with store.read() as s:
        chain = audit.verify(s)
    return CheckReport(integrity=integrity, foreign_key_violations=fk,
                       schema_version=stored_version(store), audit_entries=chain.entries,
                       audit_first_bad_seq=chain.first_bad_seq, audit_head=chain.head_hash)


def audit_entry_count(store: Store) -> int:
    with store.read() as s:
        return audit.count(s)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: str
    actor: str
    action: str
    object_type: str
    object_id: str
    details: str
    entry_hash: str


def recent_audit(store: Store, limit: int = 1000) -> list[AuditEntry]:
    """The newest entries first, for the audit log viewer."""
    from sqlalchemy import select

    from ovop_desktop.data.models import AuditRow

    with store.read() as s:
        rows = s.execute(select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit)).scalars()
        return [AuditEntry(r.seq, r.ts, r.actor, r.action, r.object_type, r.object_id, r.details,
                           r.entry_hash) for r in rows]
