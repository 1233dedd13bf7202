"""`ovop db backup|backups|restore`, and the hint a damaged store gives: the CLI contract."""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ovop_desktop.data.migrations import CURRENT_VERSION
from ovop_desktop.filelock import FileLock
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.workspace import Workspace

if TYPE_CHECKING:  # tests/cli/conftest.py (by name: tests/ui has a conftest too)
    from conftest import Run

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def ovop(ovop: Run) -> Run:
    """Messages in English: the CLI takes its language from the profile, not the test."""

    def run(*args: str, **kwargs: object) -> object:
        return ovop("--lang", "en", *args, **kwargs)

    return run  # type: ignore[return-value]


def _rounds(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM round").fetchone()[0])
    finally:
        conn.close()


def _scribble(db: Path) -> None:
    data = bytearray(db.read_bytes())
    mid = (len(data) // 2) // 4096 * 4096
    data[mid:mid + 3 * 4096] = b"\xa5" * (3 * 4096)
    db.write_bytes(bytes(data))


def test_backup_writes_a_verified_copy_and_never_overwrites(demo: Run, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "cadangan.sqlite3"
    res = demo("db", "backup", "--out", str(out)).assert_ok()
    assert str(out) in res.out and "integrity check" in res.out
    assert out.exists()
    first = out.read_bytes()
    demo("db", "backup", "--out", str(out)).assert_refused()
    assert out.read_bytes() == first  # refused: untouched
    doc = demo("--json", "db", "backup", "--out", str(out), "--force").assert_ok().json()
    assert doc["verified"] is True and doc["schema_version"] == CURRENT_VERSION
    assert doc["path"] == str(out) and doc["size"] == out.stat().st_size
    demo("db", "backup", "--out", str(tmp_path)).assert_refused()  # a folder


def test_backups_lists_the_automatic_copies_newest_first(demo: Run, profile_dir: Path) -> None:
    assert demo("--json", "db", "backups").assert_ok().json() == []
    assert "No backups" in demo("db", "backups").assert_ok().out
    with Workspace.open(profile_dir) as ws:
        older = ws.backups.create("import")
        newer = ws.backups.create("manual")
    doc = demo("--json", "db", "backups").assert_ok().json()
    assert [d["file"] for d in doc] == [newer.path.name, older.path.name]
    assert [d["reason"] for d in doc] == ["manual", "import"]
    assert all(d["verified"] is True and d["size"] > 0 for d in doc)
    text = demo("db", "backups").assert_ok().out
    assert "before a bundle import" in text and older.path.name in text


def test_backups_verify_flags_a_damaged_copy(demo: Run, profile_dir: Path) -> None:
    with Workspace.open(profile_dir) as ws:
        info = ws.backups.create("import")
    _scribble(info.path)  # changed since it was checked: the cached verdict no longer applies
    assert demo("--json", "db", "backups").assert_ok().json()[0]["verified"] is None
    doc = demo("--json", "db", "backups", "--verify").assert_ok().json()
    assert doc[0]["verified"] is False and doc[0]["problem"]


def test_restore_brings_back_a_backup_and_keeps_the_replaced_store(
        demo: Run, profile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cadangan.sqlite3"
    demo("db", "backup", "--out", str(out)).assert_ok()
    rounds = _rounds(profile_dir / "ovop.sqlite3")
    demo("round", "create", "--year", "2031", "--name", "Setelah cadangan").assert_ok()
    res = demo("db", "restore", str(out)).assert_ok()
    assert f"schema version {CURRENT_VERSION}" in res.out
    assert "kept as the backup" in res.out
    assert _rounds(profile_dir / "ovop.sqlite3") == rounds
    doc = demo("--json", "db", "backups").assert_ok().json()
    assert [d["reason"] for d in doc] == ["before-restore"]
    assert _rounds(Path(doc[0]["path"])) == rounds + 1  # the replaced store, verified
    assert demo("--json", "db", "check").assert_ok().json()["ok"] is True


def test_restore_json(demo: Run, tmp_path: Path) -> None:
    out = tmp_path / "cadangan.sqlite3"
    demo("db", "backup", "--out", str(out)).assert_ok()
    doc = demo("--json", "db", "restore", str(out)).assert_ok().json()
    assert doc["source"] == str(out) and doc["schema_version"] == CURRENT_VERSION
    assert doc["previous_damaged"] is False and doc["previous"].endswith(
        "-before-restore.sqlite3")


@pytest.mark.parametrize("content", [b"", b"bukan basis data\n" * 100], ids=["empty", "junk"])
def test_restore_refuses_a_bad_file_and_changes_nothing(
        demo: Run, profile_dir: Path, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "rusak.sqlite3"
    bad.write_bytes(content)
    before = (profile_dir / "ovop.sqlite3").read_bytes()
    demo("db", "restore", str(bad)).assert_refused()
    demo("db", "restore", str(tmp_path / "missing.sqlite3")).assert_refused()
    assert (profile_dir / "ovop.sqlite3").read_bytes() == before
    assert not (profile_dir / "backups").exists()


def test_restore_refuses_a_damaged_backup(demo: Run, profile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cadangan.sqlite3"
    demo("db", "backup", "--out", str(out)).assert_ok()
    _scribble(out)
    before = (profile_dir / "ovop.sqlite3").read_bytes()
    res = demo("db", "restore", str(out)).assert_refused()
    assert "damaged" in res.err
    assert (profile_dir / "ovop.sqlite3").read_bytes() == before


def test_restore_refuses_while_the_gui_has_the_profile(
        demo: Run, profile_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cadangan.sqlite3"
    demo("db", "backup", "--out", str(out)).assert_ok()
    gui = FileLock(ProfilePaths(profile_dir).gui_lock)
    assert gui.try_acquire()
    try:
        before = (profile_dir / "ovop.sqlite3").read_bytes()
        res = demo("db", "restore", str(out)).assert_refused()
        assert "close it" in res.err
        assert (profile_dir / "ovop.sqlite3").read_bytes() == before
    finally:
        gui.release()


def test_a_damaged_store_names_the_restore_command(demo: Run, profile_dir: Path) -> None:
    with Workspace.open(profile_dir) as ws:
        good = ws.backups.create("import")
    rounds = _rounds(profile_dir / "ovop.sqlite3")
    _scribble(profile_dir / "ovop.sqlite3")
    res = demo("round", "list").assert_refused()
    assert res.code == 3
    assert "damaged" in res.err and "ovop" in res.err and good.path.name in res.err
    command = res.err.split("run: ", 1)[1].strip()
    words = shlex.split(command)
    assert words[0] == "ovop" and words[-3:] == ["db", "restore", str(good.path)]
    assert len(demo("--json", "db", "backups").assert_ok().json()) == 1  # still listed
    res = demo(*words[1:], data_dir=None).assert_ok()
    assert "damaged database is kept" in res.out
    assert len(demo("--json", "round", "list").assert_ok().json()) == rounds
    assert list(profile_dir.glob("ovop-damaged-*.sqlite3"))


def test_a_damaged_store_without_a_backup_says_so(demo: Run, profile_dir: Path) -> None:
    _scribble(profile_dir / "ovop.sqlite3")
    res = demo("round", "list").assert_refused()
    assert "No backup that passes the integrity check" in res.err
