"""Backups of the store: verified, rotated, made before imports; restores that never lose it."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_fixtures import FAST_KDF, Exchange, packaged  # noqa: E402

from ovop_desktop.data import migrations, opening, schema  # noqa: E402
from ovop_desktop.data.migrations import CURRENT_VERSION  # noqa: E402
from ovop_desktop.domain.bundle_rules import Outcome  # noqa: E402
from ovop_desktop.errors import DamagedStoreError, StoreError, UserFacingError  # noqa: E402
from ovop_desktop.filelock import FileLock  # noqa: E402
from ovop_desktop.paths import ProfilePaths  # noqa: E402
from ovop_desktop.services import backups, identity, maintenance  # noqa: E402
from ovop_desktop.services.backups import (  # noqa: E402
    BackupService,
    check_copy,
    list_backups,
    newest_good,
    restore,
)
from ovop_desktop.services.workspace import Workspace  # noqa: E402

pytestmark = pytest.mark.usefixtures("english")


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _candidates(db: Path) -> int:
    return _count(db, "SELECT count(*) FROM candidate")


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under the folder with its exact bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _scribble(db: Path) -> bytes:
    """Overwrite three pages in the middle of the file, as a bad sector would."""
    data = bytearray(db.read_bytes())
    mid = (len(data) // 2) // 4096 * 4096
    data[mid:mid + 3 * 4096] = b"\xa5" * (3 * 4096)
    db.write_bytes(bytes(data))
    return bytes(data)


def _auto(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("ovop-*.sqlite3")) if folder.exists() else []


# -- making backups ---------------------------------------------------------------------------


def test_a_backup_verifies_and_holds_the_data(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    info = ws.backups.create("import")
    assert info.path.parent == ws.paths.backups
    assert info.path.name.startswith("ovop-") and info.path.name.endswith("-import.sqlite3")
    assert info.verified is True and info.schema_version == CURRENT_VERSION
    check = check_copy(info.path)
    assert check.ok and check.foreign_key_violations == 0
    assert _candidates(info.path) == _candidates(ws.paths.database)
    # A self-contained file: rollback journal, nothing beside it, no temporary left over.
    assert info.path.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in ws.paths.backups.iterdir()) == [".verified.json",
                                                                  info.path.name]
    (listed,) = list_backups(ws.paths.backups)
    assert (listed.path, listed.reason, listed.verified, listed.size) == (
        info.path, "import", True, info.path.stat().st_size)


def test_rotation_keeps_the_newest_per_reason_and_never_migration_copies(
        demo_workspace: Workspace) -> None:
    ws = demo_workspace
    service = BackupService(ws.store, ws.paths.backups, keep=3)
    made = [service.create("import").path for _ in range(5)]
    manual = [service.create("manual").path for _ in range(2)]
    migration_copy = ws.paths.backups / "pre-migration-v5-20240101T000000Z.sqlite3"
    shutil.copyfile(made[-1], migration_copy)
    for _ in range(3):
        service.create("import")
    names = {p.name for p in ws.paths.backups.iterdir()}
    imports = [b for b in list_backups(ws.paths.backups) if b.reason == "import"]
    assert len(imports) == 3
    assert all(p.name in names for p in manual)
    assert migration_copy.name in names
    assert not any(p.name in names for p in made)  # the oldest went first
    listed = list_backups(ws.paths.backups)
    assert [b.created for b in listed] == sorted((b.created for b in listed), reverse=True)
    assert listed[-1].reason == "pre-migration"


def test_a_backup_taken_while_another_connection_writes_is_consistent(
        demo_workspace: Workspace) -> None:
    ws = demo_workspace
    setup = sqlite3.connect(ws.paths.database)
    setup.executescript("CREATE TABLE t (n INTEGER); CREATE TABLE total (s INTEGER); "
                        "INSERT INTO total VALUES (0);")
    setup.close()
    stop = threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(ws.paths.database, timeout=10, isolation_level=None)
        n = 0
        while not stop.is_set():
            n += 1
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?)", (n,))
            conn.execute("UPDATE total SET s = s + ?", (n,))
            conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [ws.backups.create("manual") for _ in range(8)]
    finally:
        stop.set()
        thread.join()
    rows = []
    for info in copies:
        assert check_copy(info.path).ok
        total = _count(info.path, "SELECT s FROM total")
        assert _count(info.path, "SELECT coalesce(sum(n), 0) FROM t") == total  # never half
        rows.append(_count(info.path, "SELECT count(*) FROM t"))
    assert rows == sorted(rows) and rows[-1] > 0


def test_a_copy_that_fails_its_check_is_deleted_not_kept(
        demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = demo_workspace
    real_check = backups.check_copy

    def damage_then_check(path: Path) -> backups.CopyCheck:
        _scribble(Path(path))  # what a bad disk might do between write and check
        return real_check(path)

    monkeypatch.setattr(backups, "check_copy", damage_then_check)
    with pytest.raises(UserFacingError, match="integrity check"):
        ws.backups.create("import")
    left = [p.name for p in ws.paths.backups.iterdir()] if ws.paths.backups.exists() else []
    assert not [n for n in left if n.endswith(".sqlite3") or ".part" in n], left


def test_broken_references_the_store_has_are_copied_but_new_ones_are_not_kept(
        demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = demo_workspace
    conn = sqlite3.connect(ws.paths.database)  # foreign keys off: what a bug might leave
    conn.execute("INSERT INTO conflict (assessor_id, candidate_id, reason, declared_by, "
                 "declared_at) VALUES (NULL, 999999, 'x', 'x', '2024-01-01')")
    conn.commit()
    conn.close()
    info = ws.backups.create("import")  # a faithful copy of the store: kept
    assert check_copy(info.path).foreign_key_violations == 1
    real_check = backups.check_copy

    def one_more(path: Path) -> backups.CopyCheck:
        found = real_check(path)
        return backups.CopyCheck(found.ok, found.problem, found.schema_version,
                                 found.foreign_key_violations + 1)

    monkeypatch.setattr(backups, "check_copy", one_more)
    with pytest.raises(UserFacingError, match="integrity check"):
        ws.backups.create("import")
    assert _auto(ws.paths.backups) == [info.path]


def test_write_copy_refuses_an_existing_file_unless_forced(demo_workspace: Workspace,
                                                           tmp_path: Path) -> None:
    target = tmp_path / "usb" / "cadangan.sqlite3"
    info = demo_workspace.backups.write_copy(target)
    assert info.verified and check_copy(target).ok
    target.write_bytes(b"keep me")
    with pytest.raises(UserFacingError, match="already exists"):
        demo_workspace.backups.write_copy(target)
    assert target.read_bytes() == b"keep me"
    demo_workspace.backups.write_copy(target, force=True)
    assert check_copy(target).ok
    assert [p.name for p in target.parent.iterdir()] == ["cadangan.sqlite3"]


# -- automatic backup before a bundle import --------------------------------------------------


@pytest.fixture
def ex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Exchange]:
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    with packaged(tmp_path) as exchange:
        yield exchange


def test_an_import_run_makes_exactly_one_backup_of_the_store_before_it(ex: Exchange) -> None:
    first = ex.local_candidates()[0]
    ex.assessor.scoring.set_score(first, "A1", 3)
    one, _ = ex.bundle()
    two, _ = ex.bundle()
    junk = one.parent / "rusak.zip"
    junk.write_bytes(b"PK\x03\x04 not a bundle")
    folder = ex.coordinator.paths.backups
    outcomes = ex.coordinator.bundles.import_files([one, two, junk])
    assert [o.status for o in outcomes] == [Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.REJECTED]
    (copy,) = _auto(folder)
    assert copy.name.endswith("-import.sqlite3") and check_copy(copy).ok
    assert _count(copy, "SELECT count(*) FROM bundle") == 0  # the store as it was before
    assert _count(ex.coordinator.paths.database, "SELECT count(*) FROM bundle") == 3


def test_no_backup_for_a_dry_run_or_a_run_of_duplicates(ex: Exchange) -> None:
    one, _ = ex.bundle()
    folder = ex.coordinator.paths.backups
    ex.coordinator.bundles.import_files([one], dry_run=True)
    assert _auto(folder) == []
    ex.coordinator.bundles.import_files([one])
    assert len(_auto(folder)) == 1
    again = ex.coordinator.bundles.import_files([one, one])
    assert [o.status for o in again] == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert len(_auto(folder)) == 1  # nothing written, nothing to back up


def test_a_failed_backup_stops_the_import_before_anything_is_written(
        ex: Exchange, monkeypatch: pytest.MonkeyPatch) -> None:
    one, _ = ex.bundle()

    def full_disk(self: BackupService) -> None:
        raise UserFacingError("disk full")

    monkeypatch.setattr(BackupService, "before_import", full_disk)
    ex.coordinator.__dict__.pop("bundles", None)
    ex.coordinator.__dict__.pop("backups", None)
    with pytest.raises(UserFacingError, match="disk full"):
        ex.coordinator.bundles.import_files([one])
    assert _count(ex.coordinator.paths.database, "SELECT count(*) FROM bundle") == 0


# -- restoring --------------------------------------------------------------------------------


def _profile_with_backup(tmp_path: Path) -> tuple[ProfilePaths, Path, int]:
    """A demo profile, a backup of it, and one more candidate added after the backup."""
    paths = ProfilePaths(tmp_path / "profile")
    with Workspace.open(paths.root) as ws:
        from ovop_desktop.services.demo import build_demo

        build_demo(ws)
        copy = ws.backups.write_copy(tmp_path / "usb" / "cadangan.sqlite3").path
        before = _candidates(paths.database)
        ws.rounds.create(2031, "Putaran setelah cadangan")
    return paths, copy, before


def test_restore_brings_the_backup_back_and_keeps_the_old_store(tmp_path: Path) -> None:
    paths, copy, before = _profile_with_backup(tmp_path)
    rounds_now = _count(paths.database, "SELECT count(*) FROM round")
    report = restore(paths, copy)
    assert report.schema_version == CURRENT_VERSION and not report.previous_damaged
    assert report.previous is not None and report.previous.name.endswith("-before-restore.sqlite3")
    assert _count(report.previous, "SELECT count(*) FROM round") == rounds_now  # kept, verified
    assert check_copy(report.previous).ok
    assert not Path(f"{paths.database}-wal").exists() or \
        Path(f"{paths.database}-wal").stat().st_size == 0
    with Workspace.open(paths.root) as ws:
        assert len(ws.rounds.list()) == rounds_now - 1
        assert _candidates(paths.database) == before
        check = maintenance.check_database(ws.store)
        assert check.ok, check
        last = maintenance.recent_audit(ws.store, 1)[0]
        assert last.action == "store.restore" and "cadangan.sqlite3" in last.details
    assert report.audit_entries == check.audit_entries


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(("spoil", "words"), [
    pytest.param(lambda p: p.write_bytes(b"Daftar nilai\n" * 500), "not an SQLite", id="junk"),
    pytest.param(lambda p: p.write_bytes(b""), "no OVOP Desktop data", id="empty"),
    pytest.param(_newer, "newer", id="newer-schema"),
    pytest.param(_scribble, "damaged", id="damaged"),
    pytest.param(_foreign, "another program", id="foreign"),
    pytest.param(lambda p: p.unlink(), "no file", id="missing"),
])
def test_restore_refuses_a_bad_file_and_leaves_the_profile_untouched(
        tmp_path: Path, spoil, words: str) -> None:  # type: ignore[no-untyped-def]
    paths, copy, _before = _profile_with_backup(tmp_path)
    spoil(copy)
    before = _files(paths.root)
    with pytest.raises(UserFacingError, match=words) as info:
        restore(paths, copy)
    assert "\n" not in str(info.value)
    assert _files(paths.root) == before


def test_restore_is_refused_while_the_gui_has_the_profile(tmp_path: Path) -> None:
    paths, copy, _before = _profile_with_backup(tmp_path)
    gui = FileLock(paths.gui_lock)
    assert gui.try_acquire()
    try:
        before = {k: v for k, v in _files(paths.root).items() if k != "gui.lock"}
        with pytest.raises(StoreError, match="close it"):
            restore(paths, copy)
        assert {k: v for k, v in _files(paths.root).items() if k != "gui.lock"} == before
    finally:
        gui.release()


def test_restore_is_refused_while_another_connection_has_the_store_open(tmp_path: Path) -> None:
    paths, copy, _before = _profile_with_backup(tmp_path)
    other = Workspace.open(paths.root)
    try:
        other.rounds.list()
        db_before = paths.database.read_bytes()
        with pytest.raises(StoreError, match="open"):
            restore(paths, copy)
        assert paths.database.read_bytes() == db_before
        assert _auto(paths.backups) == []
    finally:
        other.close()


def test_a_damaged_store_is_detected_and_kept_aside_by_the_restore(tmp_path: Path) -> None:
    paths, copy, before = _profile_with_backup(tmp_path)
    damaged = _scribble(paths.database)
    with pytest.raises(DamagedStoreError) as info:
        Workspace.open(paths.root)
    assert info.value.path == paths.database
    assert paths.database.read_bytes() == damaged  # opening refused without writing
    report = restore(paths, copy)
    assert report.previous_damaged and report.previous is not None
    assert report.previous.parent == paths.root
    assert report.previous.name.startswith("ovop-damaged-")
    assert report.previous.read_bytes() == damaged  # kept, byte for byte
    with Workspace.open(paths.root):
        assert _candidates(paths.database) == before


def test_newest_good_skips_a_damaged_backup(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    good = ws.backups.create("manual")
    bad = ws.backups.create("import")
    _scribble(bad.path)
    found = newest_good(ws.paths.backups)
    assert found is not None and found.path == good.path and found.verified
    flagged = {b.path: b.verified for b in list_backups(ws.paths.backups)}
    assert flagged == {good.path: True, bad.path: False}


def test_an_older_backup_is_restored_and_brought_to_this_schema(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths, copy, before = _profile_with_backup(tmp_path)

    def step(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute(text("ALTER TABLE round ADD COLUMN note TEXT NOT NULL DEFAULT ''"))

    ladder = (*migrations.LADDER, step)
    for module in (migrations, schema):
        monkeypatch.setattr(module, "LADDER", ladder)
    for module in (migrations, schema, opening, maintenance, backups):
        monkeypatch.setattr(module, "CURRENT_VERSION", len(ladder))
    with Workspace.open(paths.root):  # the current store moves to the new version first
        pass
    report = restore(paths, copy)
    assert (report.schema_version, report.now_version) == (CURRENT_VERSION, CURRENT_VERSION + 1)
    assert _count(paths.database, "SELECT max(version) FROM schema_version") == CURRENT_VERSION + 1
    assert _candidates(paths.database) == before
    assert any(p.name.startswith(f"pre-migration-v{CURRENT_VERSION}-")
               for p in paths.backups.iterdir())
