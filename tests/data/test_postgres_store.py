"""What only a PostgreSQL store does: its writer lock, read-only snapshots, its refusals.

Runs against the server named by OVOP_TEST_PG_URL; skipped without one (except the two
tests that need no server).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy import exc as sa_exc

from ovop_desktop.cli.main import main
from ovop_desktop.data import db
from ovop_desktop.data.db import PG_WRITER_LOCK, postgres_url
from ovop_desktop.data.models import ProfileRow, RoundRow
from ovop_desktop.domain.profile import Role
from ovop_desktop.errors import StoreError, UserFacingError
from ovop_desktop.services.maintenance import check_database
from ovop_desktop.services.settings import Settings, save_settings
from ovop_desktop.services.workspace import Workspace

pytestmark = pytest.mark.usefixtures("english")
on_postgresql = pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)


def _other(url: str):  # type: ignore[no-untyped-def]
    """A connection of another process, outside the app's store."""
    return create_engine(postgres_url(url), isolation_level="AUTOCOMMIT").connect()


def _round(year: int = 2024) -> RoundRow:
    return RoundRow(year=year, name=f"Putaran {year}", status="setup", threshold_3=80,
                    threshold_2=65, threshold_1=50, created_at="t")


@on_postgresql
def test_a_write_session_takes_the_writer_lock_up_front(workspace: Workspace,
                                                        store_url: str) -> None:
    other = _other(store_url)
    try:
        with workspace.store.write() as s:
            s.execute(select(ProfileRow)).all()  # only a read so far
            held = other.exec_driver_sql(
                f"SELECT pg_try_advisory_lock({PG_WRITER_LOCK})").scalar()
            assert held is False
        assert other.exec_driver_sql(f"SELECT pg_try_advisory_lock({PG_WRITER_LOCK})").scalar()
        other.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_WRITER_LOCK})")
    finally:
        other.close()


@on_postgresql
def test_reading_neither_waits_for_a_writer_nor_blocks_one(workspace: Workspace) -> None:
    with workspace.store.write() as w:
        w.add(_round())
        w.flush()
        with workspace.store.read() as r:  # the writer holds the lock: reading goes on
            assert r.execute(select(RoundRow)).all() == []  # and sees only what is committed
    with workspace.store.read() as r:
        r.execute(select(RoundRow)).all()
        with workspace.store.write() as w:  # a reader open: writing goes on
            w.add(_round(2025))


@on_postgresql
def test_a_read_session_is_one_snapshot(workspace: Workspace) -> None:
    with workspace.store.read() as r:
        assert r.execute(select(RoundRow)).all() == []
        with workspace.store.write() as w:
            w.add(_round())
        assert r.execute(select(RoundRow)).all() == []  # as SQLite's read transaction
    with workspace.store.read() as r:
        assert len(r.execute(select(RoundRow)).all()) == 1


@on_postgresql
def test_writing_in_a_read_session_fails_loudly(workspace: Workspace) -> None:
    """A write without the writer lock would break the single-writer rule: it is refused."""
    with pytest.raises(sa_exc.DBAPIError, match="read-only"), workspace.store.read() as s:
        s.add(_round())
        s.flush()
    assert workspace.rounds.list() == []


@on_postgresql
def test_a_writer_that_waits_too_long_gets_a_sentence(tmp_path: Path, store_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "PG_WRITE_WAIT_S", 0.3)  # read when a connection is made
    other = _other(store_url)
    try:
        with Workspace.open(tmp_path, db_url=store_url) as ws:
            other.exec_driver_sql(f"SELECT pg_advisory_lock({PG_WRITER_LOCK})")
            started = time.monotonic()
            with pytest.raises(StoreError, match="busy"):
                ws.profile.init(Role.COORDINATOR, "Sekretariat")
            assert time.monotonic() - started < 5
            other.exec_driver_sql(f"SELECT pg_advisory_unlock({PG_WRITER_LOCK})")
            ws.profile.init(Role.COORDINATOR, "Sekretariat")  # free again: it works
    finally:
        other.close()


@on_postgresql
def test_writers_queue_and_every_audit_entry_chains(tmp_path: Path, store_url: str) -> None:
    """Four stores (as four processes) writing at once: no entry lost, the chain intact."""
    stores = [Workspace.open(tmp_path / f"c{i}", db_url=store_url) for i in range(4)]
    stores[0].profile.init(Role.COORDINATOR, "Sekretariat")
    stores[0].rubrics.install_defaults()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(ws: Workspace, i: int) -> None:
        try:
            barrier.wait(5)
            for n in range(10):
                ws.rounds.create(2000 + i * 10 + n, f"Putaran {i}-{n}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(ws, i)) for i, ws in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert errors == []
        report = check_database(stores[0].store)
        assert report.ok and report.audit_first_bad_seq is None
        assert report.audit_entries == 1 + 5 + 40
        assert len(stores[1].rounds.list()) == 40
    finally:
        for ws in stores:
            ws.close()


@on_postgresql
def test_the_check_reports_the_schema_and_the_chain(workspace: Workspace) -> None:
    workspace.profile.init(Role.COORDINATOR, "Sekretariat")
    report = check_database(workspace.store)
    assert report.ok and report.engine == "postgresql" and report.integrity == []
    assert report.audit_entries == 1


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgresql://u@h", "not a url",
                                 "postgresql+psycopg2://u@h/db", "sqlite:///x.sqlite3"])
def test_an_address_that_is_not_postgresql_is_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(StoreError, match="not a PostgreSQL database address"):
        Workspace.open(tmp_path, db_url=url)


def test_an_unreachable_server_is_one_sentence_without_the_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg", reason="the 'postgres' extra is not installed")
    with pytest.raises(StoreError, match="cannot be opened") as caught:
        Workspace.open(tmp_path, db_url="postgresql://ovop:geheim@127.0.0.1:1/ovop")
    assert "geheim" not in str(caught.value) and "\n" not in str(caught.value)


@on_postgresql
def test_an_assessor_profile_is_refused(workspace: Workspace, tmp_path: Path,
                                        store_url: str) -> None:
    with pytest.raises(UserFacingError, match="Only a coordinator"):
        workspace.profile.init(Role.ASSESSOR, "Budi", "Dinas")
    assert workspace.profile.get() is None
    with workspace.store.write() as s:  # as an older version might have let it happen
        s.add(ProfileRow(id=1, role="assessor", name="Budi", institution="", created_at="t"))
    with pytest.raises(UserFacingError, match="Only a coordinator"):
        Workspace.open(tmp_path / "other", db_url=store_url)


@on_postgresql
def test_the_profile_setting_chooses_the_server(tmp_path: Path, store_url: str) -> None:
    save_settings(tmp_path / "settings.json", Settings(db_url=store_url))
    with Workspace.open(tmp_path) as ws:
        assert not ws.store.is_sqlite and ws.settings.db_url == store_url
        ws.profile.init(Role.COORDINATOR, "Sekretariat")
    assert not (tmp_path / "ovop.sqlite3").exists()
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        assert ws.profile.get().name == "Sekretariat"  # type: ignore[union-attr]


@on_postgresql
def test_backups_are_refused_and_imports_go_on_without_them(workspace: Workspace,
                                                            tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="pg_dump"):
        workspace.backups.create("manual")
    with pytest.raises(UserFacingError, match="pg_dump"):
        workspace.backups.write_copy(tmp_path / "copy.sqlite3")
    assert workspace.backups.before_import() is None


@on_postgresql
def test_cli_on_postgresql(tmp_path: Path, store_url: str,
                           capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(tmp_path), "--db-url", store_url, "--lang", "en"]
    assert main([*base, "init", "--role", "coordinator", "--name", "Sekretariat"]) == 0
    capsys.readouterr()
    assert main([*base, "--json", "db", "check"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["engine"] == "postgresql" and report["schema_version"] > 0
    assert ":ovop@" not in report["database"] or "***" in report["database"]
    for command in (["db", "backup", "--out", str(tmp_path / "c.sqlite3")], ["db", "backups"],
                    ["db", "restore", str(tmp_path / "c.sqlite3")]):
        assert main([*base, *command]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "pg_dump" in err
    assert not (tmp_path / "ovop.sqlite3").exists()  # nothing fell back to a local file


@on_postgresql
def test_cli_refuses_an_assessor_on_postgresql(tmp_path: Path, store_url: str,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OVOP_DB_URL", store_url)
    code = main(["--data-dir", str(tmp_path), "--lang", "en", "init", "--role", "assessor",
                 "--name", "Budi"])
    assert code == 1 and "Only a coordinator" in capsys.readouterr().err
    with Workspace.open(tmp_path, db_url=store_url) as ws, ws.store.read() as s:
        assert s.execute(text("SELECT count(*) FROM profile")).scalar() == 0


@on_postgresql
def test_a_lost_connection_is_a_sentence_and_the_next_session_reconnects(
        workspace: Workspace, store_url: str) -> None:
    workspace.profile.init(Role.COORDINATOR, "Sekretariat")
    workspace.rubrics.install_defaults()
    other = _other(store_url)
    try:
        for session in (workspace.store.read, workspace.store.write):
            with pytest.raises(StoreError, match="cannot be reached"), session() as s:
                pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
                other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")  # server restart
                s.execute(select(RoundRow)).all()
    finally:
        other.close()
    workspace.rounds.create(2024, "Penghargaan OVOP 2024")  # a fresh connection: works again
    assert len(workspace.rounds.list()) == 1
