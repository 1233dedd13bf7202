"""Bad input to `ovop`: a non-zero exit, exactly one line on stderr, never a traceback."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]  # the `ovop` fixture from tests/cli/conftest.py


def _rubric_rows(profile_dir: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(profile_dir / "ovop.sqlite3")
    try:
        return conn.execute("SELECT * FROM rubric ORDER BY id").fetchall()
    finally:
        conn.close()


BAD_ON_DEMO = {
    "unknown-commodity": ["rubric", "show", "perhiasan"],
    "unknown-commodity-export": ["rubric", "export", "perhiasan", "--out", "x.json"],
    "unknown-rubric-version": ["rubric", "show", "gerabah", "--version", "9"],
    "unknown-region": ["regions", "find", "Atlantis"],
    "ambiguous-region": ["regions", "find", "Bogor"],
    "empty-region": ["regions", "find", "  "],
    "bad-thresholds-order": ["round", "create", "--year", "2026", "--name", "R",
                             "--thresholds", "50,65,80"],
    "bad-thresholds-text": ["round", "create", "--year", "2026", "--name", "R",
                            "--thresholds", "tinggi"],
    "bad-thresholds-above-100": ["round", "create", "--year", "2026", "--name", "R",
                                 "--thresholds", "120,65,50"],
    "year-out-of-range": ["round", "create", "--year", "1999", "--name", "R"],
    "empty-round-name": ["round", "create", "--year", "2026", "--name", "  "],
    "duplicate-round": ["round", "create", "--year", "2024", "--name", "Penghargaan OVOP 2024"],
    "unknown-round-id": ["round", "show", "999"],
    "unknown-round-thresholds": ["round", "thresholds", "999", "80,65,50"],
    "closed-round-thresholds": ["round", "thresholds", "1", "85,70,55"],
    "missing-file": ["rubric", "import", "/nonexistent/rubric.json"],
    "bad-argument-year": ["round", "create", "--year", "dua ribu", "--name", "R"],
    "bad-argument-round-id": ["round", "show", "satu"],
    "missing-argument": ["round", "create", "--name", "R"],
    "missing-command": ["round"],
    "unknown-command": ["round", "delete", "1"],
    "unknown-group": ["assignments", "list"],
    "unknown-option": ["rubric", "list", "--all"],
    "bad-role": ["init", "--role", "admin", "--name", "X"],
    "role-change": ["init", "--role", "assessor", "--name", "X"],
    "demo-twice": ["demo"],
    "bad-status": ["round", "status", "2", "archived"],
    "bad-lang": ["--lang", "fr", "round", "list"],
    "missing-option-value": ["round", "list", "--data-dir"],
}


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
@pytest.mark.parametrize("argv", list(BAD_ON_DEMO.values()), ids=list(BAD_ON_DEMO))
def test_bad_input_is_one_line(demo: Run, argv: list[str], json_flag: list[str],
                               profile_dir: Path) -> None:
    before = _rubric_rows(profile_dir)
    demo(*json_flag, *argv).assert_refused()
    assert _rubric_rows(profile_dir) == before


def test_bad_input_in_english_too(demo: Run) -> None:
    res = demo("--lang", "en", "rubric", "show", "perhiasan").assert_refused()
    assert "perhiasan" in res.err


def test_junk_rubric_files_are_refused(demo: Run, profile_dir: Path, tmp_path: Path,
                                       bad_rubric: tuple[str, bytes]) -> None:
    name, data = bad_rubric
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    before = _rubric_rows(profile_dir)
    demo("rubric", "import", str(path)).assert_refused()
    assert _rubric_rows(profile_dir) == before


def test_rubric_import_of_a_folder(demo: Run, tmp_path: Path) -> None:
    demo("rubric", "import", str(tmp_path)).assert_refused()


def test_export_to_an_impossible_place(demo: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    demo("rubric", "export", "gerabah", "--out", str(blocker / "g.json")).assert_refused()


@pytest.mark.parametrize("content", [
    pytest.param(os.urandom(1024 * 1024), id="random"),
    pytest.param(b"hello, this is not a database\n", id="text"),
])
def test_junk_database_is_refused_and_unchanged(ovop: Run, profile_dir: Path,
                                                content: bytes) -> None:
    profile_dir.mkdir()
    (profile_dir / "ovop.sqlite3").write_bytes(content)
    for argv in (["round", "list"], ["db", "check"], ["--json", "rubric", "list"], ["demo"]):
        res = ovop(*argv).assert_refused()
        assert res.code == 3
    assert (profile_dir / "ovop.sqlite3").read_bytes() == content


def test_read_only_profile(ovop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    ovop("round", "list").assert_refused()


def test_newer_database_is_refused(demo: Run, profile_dir: Path) -> None:
    conn = sqlite3.connect(profile_dir / "ovop.sqlite3")
    conn.execute("UPDATE schema_version SET version = 42")
    conn.commit()
    conn.close()
    res = demo("round", "list").assert_refused()
    assert "42" in res.err


def test_db_check_finds_a_tampered_audit_log(demo: Run, profile_dir: Path) -> None:
    demo("db", "check").assert_ok()
    conn = sqlite3.connect(profile_dir / "ovop.sqlite3")
    conn.execute("UPDATE audit_log SET actor = 'Penyusup' WHERE seq = 3")
    conn.commit()
    conn.close()
    res = demo("db", "check").assert_refused()
    assert "3" in res.out  # the text report names the broken entry
    doc = demo("--json", "db", "check").assert_refused().json()
    assert doc["ok"] is False and doc["audit_first_bad_seq"] == 3


def test_an_internal_error_is_one_line_and_logged(ovop: Run, profile_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ovop_desktop.services import rounds

    def broken(self: object) -> list[object]:
        raise KeyError("bug")

    monkeypatch.setattr(rounds.RoundService, "list", broken)
    res = ovop("round", "list").assert_refused()
    assert res.code == 70
    log = profile_dir / "logs" / "cli-errors.log"
    assert "KeyError" in log.read_text(encoding="utf-8")  # the traceback goes to the log
