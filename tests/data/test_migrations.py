"""The schema ladder: its result equals models.py; old databases are copied, then upgraded.

On PostgreSQL too (OVOP_TEST_PG_URL): the same ladder gives the same schema as the models,
an old database is upgraded (no copy: pg_dump is the operator's), a failing step leaves the
old version, a newer one is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection

from ovop_desktop.data import migrations, opening, schema
from ovop_desktop.data.models import Base
from ovop_desktop.errors import StoreError
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services import maintenance
from ovop_desktop.services.workspace import Workspace

pytestmark = pytest.mark.usefixtures("english")  # some tests match on the message's words


def _describe(url: str) -> dict[str, Any]:
    """Tables, columns (type, nullability, pk), indexes, uniques and foreign keys."""
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        out: dict[str, Any] = {}
        for table in sorted(insp.get_table_names()):
            out[table] = {
                "columns": sorted((c["name"], str(c["type"]), c["nullable"], c.get("primary_key"))
                                  for c in insp.get_columns(table)),
                "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in insp.get_indexes(table)),
                "uniques": sorted(tuple(sorted(u["column_names"]))
                                  for u in insp.get_unique_constraints(table)),
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                               tuple(f["referred_columns"]), str(f.get("options")))
                              for f in insp.get_foreign_keys(table)),
            }
        if engine.dialect.name == "sqlite":  # the storage layout is part of the schema there
            with engine.connect() as conn:
                for table, sql in conn.execute(text(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'table'")):
                    if table in out:
                        out[table]["without_rowid"] = "WITHOUT ROWID" in sql.upper()
        return out
    finally:
        engine.dispose()


def test_ladder_result_equals_the_models(workspace: Workspace, tmp_path: Path) -> None:
    reference = tmp_path / "reference.sqlite3"
    engine = create_engine(f"sqlite:///{reference}")
    Base.metadata.create_all(engine)
    engine.dispose()
    laddered = _describe(f"sqlite:///{workspace.store.path}")
    expected = _describe(f"sqlite:///{reference}")
    assert set(laddered) == set(expected) == set(Base.metadata.tables)
    for table in expected:
        assert laddered[table] == expected[table], table


@pytest.mark.both_stores
def test_fresh_database_is_at_the_current_version_without_a_backup(
        workspace: Workspace, tmp_path: Path) -> None:
    with workspace.store.read() as s:
        rows = s.execute(text("SELECT id, version, app_version FROM schema_version")).all()
    assert [(r.id, r.version) for r in rows] == [(1, migrations.CURRENT_VERSION)]
    assert rows[0].app_version
    backups = ProfilePaths(tmp_path).backups
    assert not backups.exists() or not any(backups.iterdir())


@pytest.mark.both_stores
def test_reopening_a_current_database_changes_nothing(tmp_path: Path,
                                                      store_url: str | None) -> None:
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        ws.rubrics.install_defaults()
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        assert len(ws.rubrics.list()) == 5
    assert not ProfilePaths(tmp_path).backups.exists()


CURRENT = migrations.CURRENT_VERSION


def _use_ladder(monkeypatch: pytest.MonkeyPatch, ladder: tuple[Any, ...]) -> None:
    """Pretend this build ships `ladder` (every module that reads the current version)."""
    for module in (migrations, schema):
        monkeypatch.setattr(module, "LADDER", ladder)
    for module in (migrations, schema, opening, maintenance):
        monkeypatch.setattr(module, "CURRENT_VERSION", len(ladder))


def _v1_profile(folder: Path) -> None:
    with Workspace.open(folder) as ws:
        ws.rubrics.install_defaults()
        ws.rounds.create(2024, "Penghargaan OVOP 2024")


def test_old_database_is_copied_then_migrated(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _v1_profile(tmp_path)
    calls: list[int] = []

    def step2(conn: Connection) -> None:
        calls.append(conn.execute(text("SELECT max(version) FROM schema_version")).scalar())
        conn.execute(text("ALTER TABLE round ADD COLUMN note TEXT NOT NULL DEFAULT ''"))
        conn.execute(text("UPDATE round SET note = 'migrated'"))

    _use_ladder(monkeypatch, (*migrations.LADDER, step2))
    progress: list[tuple[int, int]] = []
    with Workspace.open(tmp_path, progress=lambda i, n: progress.append((i, n))) as ws:
        with ws.store.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == CURRENT + 1
            assert s.execute(text("SELECT note FROM round")).scalars().all() == ["migrated"]
        assert len(ws.rubrics.list()) == 5  # the data came along
    assert calls == [CURRENT]
    assert progress == [(1, 1)]

    copies = list(ProfilePaths(tmp_path).backups.iterdir())
    assert len(copies) == 1 and copies[0].name.startswith(f"pre-migration-v{CURRENT}-")
    conn = sqlite3.connect(copies[0])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == CURRENT
        assert conn.execute("SELECT count(*) FROM rubric").fetchone()[0] == 5
        columns = {r[1] for r in conn.execute("PRAGMA table_info(round)")}
        assert "note" not in columns  # the copy is from before the step
    finally:
        conn.close()

    # A second open does not migrate (or copy) again.
    with Workspace.open(tmp_path):
        pass
    assert calls == [CURRENT]
    assert len(list(ProfilePaths(tmp_path).backups.iterdir())) == 1


def test_a_failing_step_leaves_the_old_version(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _v1_profile(tmp_path)

    def broken(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE round ADD COLUMN note TEXT"))
        conn.execute(text("SELECT no_such_column FROM round"))

    _use_ladder(monkeypatch, (*migrations.LADDER, broken))
    with pytest.raises(StoreError):
        Workspace.open(tmp_path)
    conn = sqlite3.connect(ProfilePaths(tmp_path).database)
    try:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == CURRENT
        assert "note" not in {r[1] for r in conn.execute("PRAGMA table_info(round)")}
        assert conn.execute("SELECT count(*) FROM round").fetchone()[0] == 1
    finally:
        conn.close()
    monkeypatch.undo()
    with Workspace.open(tmp_path) as ws:  # the real build still opens it
        assert len(ws.rounds.list()) == 1


def test_database_newer_than_a_patched_ladder_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _v1_profile(tmp_path)
    _use_ladder(monkeypatch, ())
    before = ProfilePaths(tmp_path).database.read_bytes()
    with pytest.raises(StoreError, match="newer"):
        Workspace.open(tmp_path)
    assert ProfilePaths(tmp_path).database.read_bytes() == before


def test_version_1_profile_gains_the_candidate_tables(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The real step 1 → 2 on a database written by the first release."""
    with monkeypatch.context() as m:
        _use_ladder(m, migrations.LADDER[:1])
        with Workspace.open(tmp_path) as ws:
            ws.rubrics.install_defaults()
    conn = sqlite3.connect(ProfilePaths(tmp_path).database)
    with conn:  # a round as release 1 wrote it (today's ORM would also write later columns)
        conn.execute("INSERT INTO round (id, year, name, status, threshold_3, threshold_2, "
                     "threshold_1, created_at) VALUES (1, 2024, 'Penghargaan OVOP 2024', "
                     "'setup', 80, 65, 50, '2024-02-01T00:00:00+00:00')")
        conn.execute("INSERT INTO round_commodity (round_id, commodity, position, rubric_id) "
                     "VALUES (1, 'gerabah', 0, 5)")
    conn.close()
    conn = sqlite3.connect(ProfilePaths(tmp_path).database)
    try:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "candidate" not in tables
    finally:
        conn.close()
    with Workspace.open(tmp_path) as ws:
        assert [r.year for r in ws.rounds.list()] == [2024]
        with ws.store.read() as s:
            assert s.execute(text("SELECT count(*) FROM candidate")).scalar() == 0
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == CURRENT
            uid = s.execute(text("SELECT uid FROM round")).scalar()
            assert len(uid) == 36  # v3 gave the existing round a stable id
    copies = list(ProfilePaths(tmp_path).backups.iterdir())
    assert [c.name[:len("pre-migration-v1-")] for c in copies] == ["pre-migration-v1-"]


def _insert_filled(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows giving every other required column a distinct placeholder value."""
    required = [(r[1], r[2].upper()) for r in conn.execute(f"PRAGMA table_info({table})")
                if r[3] and r[4] is None and not r[5]]
    for i, row in enumerate(rows):
        values = {name: i if "INT" in kind else f"{name}-{i}" for name, kind in required}
        values.update(row)
        conn.execute(f"INSERT INTO {table} ({', '.join(values)}) "
                     f"VALUES ({', '.join('?' * len(values))})", list(values.values()))


def test_version_6_scores_survive_the_clustered_layout(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Step 6 → 7 rebuilds received_score WITHOUT ROWID: every score and note comes along."""
    with monkeypatch.context() as m:
        _use_ladder(m, migrations.LADDER[:6])
        with Workspace.open(tmp_path) as ws:
            ws.rubrics.install_defaults()
    conn = sqlite3.connect(ProfilePaths(tmp_path).database)
    rows = [(b, c, f"A{k}", 1 + (b + c + k) % 3, "catatan" if k == 1 else "")
            for b in (1, 2) for c in range(1, 51) for k in range(1, 23)]
    with conn:  # the parents the step's copy checks its foreign keys against
        conn.execute("INSERT INTO round (id, year, name, status, threshold_3, threshold_2, "
                     "threshold_1, created_at) VALUES (1, 2024, 'R', 'open', 80, 65, 50, '')")
        _insert_filled(conn, "candidate", [{"id": c, "round_id": 1, "uid": f"u{c}"}
                                                   for c in range(1, 51)])
        _insert_filled(conn, "bundle", [{"id": b} for b in (1, 2)])
        conn.executemany("INSERT INTO received_score VALUES (?, ?, ?, ?, ?)", rows)
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'received_score'"
                           ).fetchone()[0]
    conn.close()
    assert "WITHOUT ROWID" not in sql.upper()
    with Workspace.open(tmp_path) as ws, ws.store.read() as s:
        assert s.execute(text("SELECT version FROM schema_version")).scalar() == CURRENT
        got = s.execute(text("SELECT bundle_id, candidate_id, criterion_id, level, note "
                             "FROM received_score")).all()
        sql = s.execute(text("SELECT sql FROM sqlite_master WHERE name = 'received_score'")
                        ).scalar()
    assert sorted(map(tuple, got)) == sorted(rows)
    assert "WITHOUT ROWID" in sql.upper()


# -- PostgreSQL: the same ladder ---------------------------------------------------------------

on_postgresql = pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)


def _empty_pg(url: str) -> str:
    from postgres_fixtures import empty_pg_database

    empty_pg_database(url)  # no tables at all, as a database just created
    return url


@on_postgresql
def test_ladder_result_equals_the_models_on_postgresql(tmp_path: Path, store_url: str) -> None:
    with Workspace.open(tmp_path, db_url=_empty_pg(store_url)):
        pass
    laddered = _describe(store_url)
    engine = create_engine(_empty_pg(store_url))
    Base.metadata.create_all(engine)
    engine.dispose()
    expected = _describe(store_url)
    assert set(laddered) - {"schema_version"} == set(expected) - {"schema_version"}
    assert set(expected) == set(Base.metadata.tables)
    for table in expected:
        assert laddered[table] == expected[table], table


@on_postgresql
def test_old_postgresql_database_is_migrated_without_a_copy(
        tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _empty_pg(store_url)
    with monkeypatch.context() as m:
        _use_ladder(m, migrations.LADDER[:1])
        with Workspace.open(tmp_path, db_url=store_url) as ws:
            ws.rubrics.install_defaults()
            with ws.store.read() as s:
                assert s.execute(text("SELECT version FROM schema_version")).scalar() == 1
    progress: list[tuple[int, int]] = []
    with Workspace.open(tmp_path, db_url=store_url,
                        progress=lambda i, n: progress.append((i, n))) as ws:
        assert len(ws.rubrics.list()) == 5  # the data came along
        with ws.store.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == CURRENT
    assert progress == [(i, CURRENT - 1) for i in range(1, CURRENT)]
    assert not ProfilePaths(tmp_path).backups.exists()  # the server's backups are pg_dump's


@on_postgresql
def test_a_failing_step_leaves_the_old_version_on_postgresql(
        tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        ws.rubrics.install_defaults()
        ws.rounds.create(2024, "Penghargaan OVOP 2024")

    def broken(conn: Connection) -> None:
        conn.execute(text("ALTER TABLE round ADD COLUMN note TEXT"))
        conn.execute(text("SELECT no_such_column FROM round"))

    _use_ladder(monkeypatch, (*migrations.LADDER, broken))
    with pytest.raises(StoreError, match="cannot be opened"):
        Workspace.open(tmp_path, db_url=store_url)
    monkeypatch.undo()
    with Workspace.open(tmp_path, db_url=store_url) as ws:  # the real build still opens it
        assert len(ws.rounds.list()) == 1
        with ws.store.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == CURRENT
        columns = {c["name"] for c in inspect(ws.store.engine).get_columns("round")}
        assert "note" not in columns  # the DDL rolled back with the step


@on_postgresql
def test_newer_postgresql_database_is_refused(tmp_path: Path, store_url: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        ws.rubrics.install_defaults()
    _use_ladder(monkeypatch, migrations.LADDER[:-1])
    with pytest.raises(StoreError, match="newer"):
        Workspace.open(tmp_path, db_url=store_url)
    monkeypatch.undo()
    with Workspace.open(tmp_path, db_url=store_url) as ws:
        assert len(ws.rubrics.list()) == 5


@on_postgresql
def test_another_programs_postgresql_database_is_refused(tmp_path: Path, store_url: str) -> None:
    engine = create_engine(_empty_pg(store_url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(StoreError, match="another program"):
        Workspace.open(tmp_path, db_url=store_url)


@on_postgresql
def test_coordinators_starting_together_migrate_once(tmp_path: Path, store_url: str) -> None:
    """Three processes' worth of stores open one empty database at the same moment."""
    import threading

    _empty_pg(store_url)
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def start(i: int) -> None:
        try:
            barrier.wait(5)
            with Workspace.open(tmp_path / f"c{i}", db_url=store_url):
                pass
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with Workspace.open(tmp_path, db_url=store_url) as ws, ws.store.read() as s:
        assert s.execute(text("SELECT id, version FROM schema_version")).all() == [(1, CURRENT)]
