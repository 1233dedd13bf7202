"""The SQLite store: durable pragmas on every connection, one writer at a time, atomic writes.

The tests marked both_stores also run on PostgreSQL (tests/data/test_postgres_store.py has
what only PostgreSQL does: its writer lock, read-only snapshots, refusals)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ovop_desktop.data import audit
from ovop_desktop.data.db import BUSY_TIMEOUT_S
from ovop_desktop.data.models import AuditRow, ProfileRow, RoundRow
from ovop_desktop.domain.profile import Role
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.workspace import Workspace


def _pragmas(conn) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Read the pragmas through a SQLAlchemy Connection or a plain DBAPI connection."""
    run = getattr(conn, "exec_driver_sql", None) or conn.execute
    return {name: run(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}


EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
            "busy_timeout": int(BUSY_TIMEOUT_S * 1000)}


def test_database_lives_in_the_profile_folder(workspace: Workspace, tmp_path: Path) -> None:
    assert workspace.store.path == ProfilePaths(tmp_path).database
    with open(workspace.store.path, "rb") as fh:
        assert fh.read(16) == b"SQLite format 3\x00"


def test_pragmas_are_set_on_every_pooled_connection(workspace: Workspace) -> None:
    engine = workspace.store.engine
    first, second = engine.raw_connection(), engine.raw_connection()
    try:
        # Two connections checked out at once: two distinct SQLite connections.
        assert first.dbapi_connection is not second.dbapi_connection
        assert _pragmas(first.dbapi_connection) == EXPECTED
        assert _pragmas(second.dbapi_connection) == EXPECTED
    finally:
        first.close()
        second.close()


def test_pragmas_hold_on_concurrent_read_sessions(workspace: Workspace) -> None:
    with workspace.store.read() as a, workspace.store.read() as b:
        ca, cb = a.connection(), b.connection()
        assert ca.connection.dbapi_connection is not cb.connection.dbapi_connection
        assert _pragmas(ca) == EXPECTED
        assert _pragmas(cb) == EXPECTED


def test_pragmas_hold_inside_write_and_read_sessions(workspace: Workspace) -> None:
    with workspace.store.write() as s:
        assert _pragmas(s.connection()) == EXPECTED
    with workspace.store.read() as s:
        assert _pragmas(s.connection()) == EXPECTED


def test_raw_connection_has_the_same_pragmas(workspace: Workspace) -> None:
    conn = workspace.store.raw_connection()
    try:
        got = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in EXPECTED}
    finally:
        conn.close()
    assert got == EXPECTED


def test_journal_mode_is_persisted_in_the_file(workspace: Workspace) -> None:
    conn = sqlite3.connect(workspace.store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


@pytest.mark.both_stores
def test_foreign_keys_are_enforced(workspace: Workspace) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), workspace.store.write() as s:
        s.execute(text("INSERT INTO round_commodity (round_id, commodity, position, rubric_id) "
                       "VALUES (999, 'anyaman', 0, 999)"))
    with workspace.store.read() as s:
        assert s.execute(text("SELECT count(*) FROM round_commodity")).scalar() == 0


def test_write_session_takes_the_write_lock_up_front(workspace: Workspace) -> None:
    """BEGIN IMMEDIATE: even before the first write, no other writer can start."""
    other = sqlite3.connect(workspace.store.path, timeout=0, isolation_level=None)
    try:
        with workspace.store.write() as s:
            s.execute(select(ProfileRow)).all()  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_read_session_does_not_block_writers(workspace: Workspace) -> None:
    other = sqlite3.connect(workspace.store.path, timeout=0, isolation_level=None)
    try:
        with workspace.store.read() as s:
            s.execute(select(ProfileRow)).all()
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.both_stores
def test_second_writer_waits_then_proceeds(tmp_path: Path, store_url: str | None) -> None:
    """Two stores on one file (as two processes would have): the second writer blocks, then runs."""
    first = Workspace.open(tmp_path, db_url=store_url)
    second = Workspace.open(tmp_path, db_url=store_url)
    events: list[tuple[str, float]] = []
    holding = threading.Event()

    def slow_writer() -> None:
        with first.store.write() as s:
            s.add(ProfileRow(id=1, role="coordinator", name="A", institution="", created_at="t"))
            s.flush()
            holding.set()
            time.sleep(0.6)
            events.append(("first commits", time.monotonic()))

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert holding.wait(5)
        started = time.monotonic()
        with second.store.write() as s:
            row = s.get(ProfileRow, 1)  # the first statement takes the write lock
            events.append(("second runs", time.monotonic()))
            assert row is not None and row.name == "A"  # it sees the first writer's commit
            row.name = "B"
    finally:
        thread.join(10)
    assert [e[0] for e in events] == ["first commits", "second runs"]
    assert events[1][1] - started >= 0.3  # it waited rather than failing
    with first.store.read() as s:
        assert s.get(ProfileRow, 1).name == "B"  # type: ignore[union-attr]
    first.close()
    second.close()


@pytest.mark.both_stores
def test_a_write_that_raises_leaves_nothing_behind(workspace: Workspace) -> None:
    workspace.profile.init(Role.COORDINATOR, "Ani")
    with workspace.store.read() as s:
        before = audit.count(s)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), workspace.store.write() as s:
        s.add(RoundRow(year=2024, name="x", status="setup", threshold_3=80, threshold_2=65,
                       threshold_1=50, created_at="t"))
        audit.append(s, "Ani", "round.create", "round", 1)
        s.flush()
        raise Boom()
    with workspace.store.read() as s:
        assert s.execute(select(RoundRow)).first() is None
        assert audit.count(s) == before
    # And the store is still usable afterwards.
    workspace.rounds.list()


@pytest.mark.both_stores
def test_committed_data_survives_reopening(tmp_path: Path, store_url: str | None) -> None:
    role = Role.COORDINATOR if store_url else Role.ASSESSOR  # PostgreSQL: coordinators only
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        ws.profile.init(role, "Budi", "Dinas Perindustrian")
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        profile = ws.profile.get()
        assert profile is not None and profile.name == "Budi" and profile.role is role
        with ws.store.read() as s:
            assert s.execute(select(AuditRow.action)).scalars().all() == ["profile.init"]
