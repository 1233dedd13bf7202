"""Opening a profile's database: refuse what is not ours or too new, never change it by refusing."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from ovop_desktop.data.migrations import CURRENT_VERSION
from ovop_desktop.data.opening import open_store
from ovop_desktop.errors import StoreError
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.workspace import Workspace

pytestmark = pytest.mark.usefixtures("english")  # some tests match on the message's words


def _db(folder: Path) -> Path:
    return ProfilePaths(folder).database


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (database and any side files) with its exact bytes."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _refused(folder: Path, match: str | None = None) -> StoreError:
    with pytest.raises(StoreError, match=match) as info:
        Workspace.open(folder)
    assert str(info.value).strip() and "\n" not in str(info.value)
    return info.value


def _sqlite_names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.startswith("ovop.sqlite3")}


def test_open_store_directly(tmp_path: Path) -> None:
    paths = ProfilePaths(tmp_path / "p")
    store = open_store(paths.database, paths.backups, paths.migration_lock)
    try:
        with store.read() as s:
            assert s.execute(text("SELECT version FROM schema_version")).scalar() == \
                CURRENT_VERSION
    finally:
        store.close()


def test_newer_schema_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.rubrics.install_defaults()
        with ws.store.write() as s:
            s.execute(text("UPDATE schema_version SET version = 99"))
    before = _snapshot(tmp_path)
    assert set(before) >= {"ovop.sqlite3"} and "ovop.sqlite3-wal" not in before
    err = _refused(tmp_path)
    assert "99" in str(err)
    after = _snapshot(tmp_path)
    # The database and every file that was there are byte-identical. SQLite's read-only
    # look may leave an empty WAL and its shared-memory index beside a WAL database.
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) <= {"ovop.sqlite3-wal", "ovop.sqlite3-shm"}
    assert after.get("ovop.sqlite3-wal", b"") == b""


def test_newer_schema_refused_even_while_another_instance_has_it_open(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    try:
        with ws.store.write() as s:
            s.execute(text(f"UPDATE schema_version SET version = {CURRENT_VERSION + 1}"))
        db_before = _db(tmp_path).read_bytes()
        _refused(tmp_path)
        assert _db(tmp_path).read_bytes() == db_before
    finally:
        ws.close()


def test_foreign_sqlite_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    conn = sqlite3.connect(_db(tmp_path))
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.commit()
    conn.close()
    before = _snapshot(tmp_path)
    _refused(tmp_path, match="another program")
    assert _snapshot(tmp_path) == before
    assert _sqlite_names(tmp_path) == {"ovop.sqlite3"}  # no -wal/-shm appeared
    conn = sqlite3.connect(_db(tmp_path))
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
        assert conn.execute("SELECT amount FROM invoices").fetchall() == [(12.5,)]
    finally:
        conn.close()


@pytest.mark.parametrize("content", [
    pytest.param(os.urandom(10 * 1024 * 1024), id="10MB-random"),
    pytest.param(b"Daftar peserta OVOP 2024\nKab. Garut; Kota Bogor\n", id="text"),
    pytest.param(b"SQLite format 2\x00" + b"\x00" * 200, id="almost-header"),
])
def test_non_sqlite_file_is_refused_and_unchanged(tmp_path: Path, content: bytes) -> None:
    _db(tmp_path).write_bytes(content)
    _refused(tmp_path, match="SQLite")
    assert _db(tmp_path).read_bytes() == content
    assert _sqlite_names(tmp_path) == {"ovop.sqlite3"}


def test_damaged_database_is_refused_and_unchanged(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.rubrics.install_defaults()
    data = bytearray(_db(tmp_path).read_bytes())
    assert len(data) > 8192
    page = 4096
    for i in range(page, len(data), 7):  # scribble over every page after the first
        data[i] = 0xA5
    _db(tmp_path).write_bytes(bytes(data))
    _refused(tmp_path)
    assert _db(tmp_path).read_bytes() == bytes(data)


def test_empty_file_becomes_a_fresh_database(tmp_path: Path) -> None:
    _db(tmp_path).write_bytes(b"")
    with Workspace.open(tmp_path) as ws:
        assert ws.is_empty()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes through chmod; covered by the os.access variant")
def test_read_only_data_directory_by_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        _refused(folder, match=str(folder))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_read_only_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    _refused(folder, match="read-only")
    assert list(folder.iterdir()) == []


def test_read_only_database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.rubrics.install_defaults()
    before = _snapshot(tmp_path)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: (
        False if Path(p).name == "ovop.sqlite3" else real_access(p, mode, **k)))
    _refused(tmp_path, match="read-only")
    assert _snapshot(tmp_path) == before


def test_data_directory_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "profile"
    blocker.write_text("not a folder")
    _refused(blocker)
    assert blocker.read_text() == "not a folder"
