"""`ovop` as a real process: the installed script, start-up imports, where data lives."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

OVOP = Path(sys.executable).with_name("ovop")
HEAVY = ("PySide6", "shiboken6", "reportlab", "sqlalchemy")

pytestmark = pytest.mark.skipif(not OVOP.exists(), reason="the ovop script is not installed")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(OVOP), *args], capture_output=True, text=True, timeout=120,
                          env=env or dict(os.environ))


def _python(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *flags, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=120)


def test_demo_then_json_listing(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    made = _run("--data-dir", str(profile), "demo", "--no-results")
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""
    listed = _run("--data-dir", str(profile), "round", "list", "--json")
    assert listed.returncode == 0
    rounds = json.loads(listed.stdout)
    assert [r["year"] for r in rounds] == [2024, 2022]
    shown = _run("--data-dir", str(profile), "--json", "--lang", "en", "rubric", "show", "anyaman")
    assert json.loads(shown.stdout)["sha256"]


def test_bad_input_in_a_real_process(tmp_path: Path) -> None:
    for args in (["rubric", "show", "perhiasan"], ["round", "create", "--year", "x", "--name", "R"],
                 ["--lang", "fr", "round", "list"], ["rubric", "import", str(tmp_path / "none")]):
        res = _run("--data-dir", str(tmp_path / "p"), *args)
        assert res.returncode != 0, args
        assert res.stderr.count("\n") == 1, (args, res.stderr)
        assert "Traceback" not in res.stdout + res.stderr


def test_db_check_on_demo_then_after_tampering(tmp_path: Path) -> None:
    profile = tmp_path / "p"
    assert _run("--data-dir", str(profile), "demo").returncode == 0
    ok = _run("--data-dir", str(profile), "db", "check")
    assert ok.returncode == 0, ok.stderr
    conn = sqlite3.connect(profile / "ovop.sqlite3")
    conn.execute("UPDATE audit_log SET details = '{\"sha256\": \"0\"}' WHERE seq = 2")
    conn.commit()
    conn.close()
    bad = _run("--data-dir", str(profile), "db", "check")
    assert bad.returncode != 0
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_default_data_dir_is_the_user_data_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OVOP_DATA_DIR"}
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    res = _run("--json", "demo", "--no-results", env=env)
    assert res.returncode == 0, res.stderr
    data_dir = Path(json.loads(res.stdout)["data_dir"])
    if sys.platform.startswith("linux"):
        assert data_dir == tmp_path / "xdg" / "ovop-desktop"
    assert (data_dir / "ovop.sqlite3").exists()


def test_help_does_not_import_heavy_modules() -> None:
    res = _python(f"""
        import sys
        from ovop_desktop.cli.main import main
        try:
            main(["--help"])
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})
        print("HEAVY", heavy, file=sys.stderr)
    """)
    assert res.returncode == 0, res.stderr
    assert "HEAVY []" in res.stderr
    assert "ovop" in res.stdout


def test_help_import_time_profile() -> None:
    res = subprocess.run([sys.executable, "-X", "importtime", str(OVOP), "--help"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in res.stderr.splitlines() if line.startswith("import time:")}
    assert "ovop_desktop" in imported
    assert not imported & set(HEAVY), imported & set(HEAVY)


def test_core_works_without_pyside6(tmp_path: Path) -> None:
    """Block PySide6 (as on a machine without it), import every core module, run commands."""
    res = _python(f"""
        import importlib, pkgutil, sys
        for name in ("PySide6", "shiboken6", "pytestqt"):
            sys.modules[name] = None  # any import of it now raises ImportError
        core = ["ovop_desktop." + m for m in
                ("errors", "i18n", "paths", "filelock", "resource_files")]
        for sub in ("domain", "data", "services", "cli"):
            package = importlib.import_module("ovop_desktop." + sub)
            prefix = package.__name__ + "."
            core += [i.name for i in pkgutil.walk_packages(package.__path__, prefix)]
        for name in core:
            importlib.import_module(name)
        assert len(core) > 25, core
        from ovop_desktop.cli.main import main
        assert main(["--data-dir", {str(tmp_path / "p")!r}, "demo"]) == 0
        assert main(["--data-dir", {str(tmp_path / "p")!r}, "db", "check"]) == 0
    """)
    assert res.returncode == 0, res.stderr
