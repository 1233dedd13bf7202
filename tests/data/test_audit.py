"""The hash-chained audit log: written with the change it records; tampering is found.

Every test runs on SQLite and on PostgreSQL (both_stores)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from ovop_desktop.data import audit
from ovop_desktop.data.models import AuditRow
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.rounds import Thresholds
from ovop_desktop.services import rounds as rounds_service
from ovop_desktop.services.workspace import Workspace

pytestmark = pytest.mark.both_stores


@pytest.fixture
def chained(workspace: Workspace) -> Workspace:
    workspace.profile.init(Role.COORDINATOR, "Sekretariat")
    workspace.rubrics.install_defaults()
    r = workspace.rounds.create(2024, "Penghargaan OVOP 2024")
    workspace.rounds.set_thresholds(r.id, Thresholds(85, 70, 55))
    return workspace


def _rows(ws: Workspace) -> list[AuditRow]:
    with ws.store.read() as s:
        return list(s.execute(select(AuditRow).order_by(AuditRow.seq)).scalars())


def _verify(ws: Workspace) -> audit.ChainReport:
    with ws.store.read() as s:
        return audit.verify(s)


def _sql(ws: Workspace, *statements: str) -> None:
    """Tamper with the table behind the app's back (one transaction, any engine)."""
    with ws.store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_every_change_is_recorded_and_the_chain_verifies(chained: Workspace) -> None:
    rows = _rows(chained)
    assert [r.action for r in rows] == (
        ["profile.init"] + ["rubric.install_default"] * 5 + ["round.create", "round.thresholds"])
    assert [r.seq for r in rows] == list(range(1, 9))
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in zip(rows, rows[1:], strict=False))
    assert rows[-1].actor == "Sekretariat"
    report = _verify(chained)
    assert report == audit.ChainReport(8, rows[-1].entry_hash, None)


def test_empty_log_verifies(workspace: Workspace) -> None:
    assert _verify(workspace) == audit.ChainReport(0, audit.GENESIS, None)


def test_a_change_that_fails_after_its_audit_entry_leaves_neither(
        chained: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    before_rows, before_rounds = len(_rows(chained)), chained.rounds.list()
    real_append = audit.append

    def append_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        real_append(*args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(rounds_service.audit, "append", append_then_fail)
    with pytest.raises(OSError):
        chained.rounds.create(2026, "Penghargaan OVOP 2026")
    assert len(_rows(chained)) == before_rows
    assert chained.rounds.list() == before_rounds
    assert _verify(chained).first_bad_seq is None


def test_a_change_whose_audit_entry_fails_is_not_made(
        chained: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    before = chained.rounds.list()

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(rounds_service.audit, "append", fail)
    with pytest.raises(RuntimeError):
        chained.rounds.set_thresholds(before[0].id, Thresholds(90, 70, 50))
    assert chained.rounds.list() == before


@pytest.mark.parametrize("column, value", [
    ("actor", "'Someone else'"), ("details", "'{}'"), ("action", "'round.delete'"),
    ("ts", "'2020-01-01T00:00:00+00:00'"), ("object_id", "'99'"),
])
def test_a_modified_row_is_found(chained: Workspace, column: str, value: str) -> None:
    _sql(chained, f"UPDATE audit_log SET {column} = {value} WHERE seq = 4")
    assert _verify(chained).first_bad_seq == 4


def test_a_modified_row_with_a_recomputed_hash_breaks_the_next_link(chained: Workspace) -> None:
    rows = _rows(chained)
    fields = {"seq": 3, "ts": rows[2].ts, "actor": "X", "action": rows[2].action,
              "object_type": rows[2].object_type, "object_id": rows[2].object_id,
              "details": rows[2].details}
    forged = audit._entry_hash(rows[2].prev_hash, fields)
    _sql(chained, f"UPDATE audit_log SET actor = 'X', entry_hash = '{forged}' WHERE seq = 3")
    assert _verify(chained).first_bad_seq == 4


def test_a_deleted_row_is_found(chained: Workspace) -> None:
    _sql(chained, "DELETE FROM audit_log WHERE seq = 5")
    report = _verify(chained)
    assert report.first_bad_seq == 6 and report.entries == 4


def test_a_deleted_last_row_shows_as_a_shorter_chain(chained: Workspace) -> None:
    head = _rows(chained)[-2].entry_hash
    _sql(chained, "DELETE FROM audit_log WHERE seq = 8")
    assert _verify(chained) == audit.ChainReport(7, head, None)  # caught by comparing heads


def test_swapped_rows_are_found(chained: Workspace) -> None:
    _sql(chained,
         "UPDATE audit_log SET seq = -1 WHERE seq = 3",
         "UPDATE audit_log SET seq = 3 WHERE seq = 4",
         "UPDATE audit_log SET seq = 4 WHERE seq = -1")
    assert _verify(chained).first_bad_seq == 3


def test_swapped_contents_are_found(chained: Workspace) -> None:
    _sql(chained,
         "UPDATE audit_log SET details = (SELECT details FROM audit_log WHERE seq = 3) "
         "WHERE seq = 2")
    assert _verify(chained).first_bad_seq == 2
