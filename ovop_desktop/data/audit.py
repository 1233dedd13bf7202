"""The hash-chained audit log: append inside the caller's transaction; verify the chain.

entry_hash = SHA-256(0x00 ‖ prev_hash ‖ canonical entry). Written in the same
transaction as the change it records, so neither exists without the other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ovop_desktop.data.models import AuditRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.strict_json import canonical_bytes

GENESIS = "0" * 64


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(b"\x00" + bytes.fromhex(prev_hash) + canonical_bytes(fields)).hexdigest()


_FIELDS = ("seq", "ts", "actor", "action", "object_type", "object_id", "details")  # hashed


def _fields(row: AuditRow) -> dict[str, Any]:
    return {k: getattr(row, k) for k in _FIELDS}


def append(session: Session, actor: str, action: str, object_type: str, object_id: object,
           details: dict[str, Any] | None = None) -> None:
    """Add one entry after the current head (the writer lock makes max(seq) safe).

    The head is read once per transaction and then carried along: an import files a
    thousand bundles, each with its entry, in a few transactions.
    """
    seq, prev = _head(session)
    row = {"seq": seq + 1, "ts": now_iso(), "actor": actor, "action": action,
           "object_type": object_type, "object_id": str(object_id),
           "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True),
           "prev_hash": prev}
    row["entry_hash"] = _entry_hash(prev, {k: row[k] for k in _FIELDS})
    session.execute(_INSERT, row)
    session.info[_HEAD] = (session.get_transaction(), seq + 1, row["entry_hash"])


_INSERT = insert(AuditRow.__table__)  # Core, parameters apart: compiled once, not per entry
_HEAD = "ovop.audit_head"


def _head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the newest entry, from this transaction's last append if any."""
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is session.get_transaction() \
            and not session.in_nested_transaction():
        return cached[1], cached[2]
    found = session.execute(select(AuditRow.seq, AuditRow.entry_hash)
                            .order_by(AuditRow.seq.desc()).limit(1)).first()
    return (found[0], found[1]) if found else (0, GENESIS)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_hash: str
    first_bad_seq: int | None  # None: the whole chain verifies


def verify(session: Session) -> ChainReport:
    """Walk the chain from seq 1; report the first entry that does not link or hash."""
    prev, expected_seq, count = GENESIS, 1, 0
    for row in session.execute(select(AuditRow).order_by(AuditRow.seq)).scalars():
        if (row.seq != expected_seq or row.prev_hash != prev
                or row.entry_hash != _entry_hash(prev, _fields(row))):
            return ChainReport(count, prev, row.seq)
        prev, expected_seq, count = row.entry_hash, expected_seq + 1, count + 1
    return ChainReport(count, prev, None)


def count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(AuditRow)).scalar() or 0)


def head(session: Session) -> str:
    """The newest entry's hash (GENESIS for an empty log): what results receipts cite."""
    found = session.execute(select(AuditRow.entry_hash).order_by(AuditRow.seq.desc())
                            .limit(1)).scalar()
    return found or GENESIS
