"""`ovop round rubric`: a round in preparation adopts a newer rubric version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ovop_desktop.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_round_switches_to_imported_version_and_refuses_unknown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "p")
    assert run(capsys, "--data-dir", d, "init", "--role", "coordinator", "--name", "K")[0] == 0
    assert run(capsys, "--data-dir", d, "round", "create", "--year", "2026", "--name", "R")[0] == 0
    exported = tmp_path / "batik.json"
    assert run(capsys, "--data-dir", d, "rubric", "export", "batik", "--out", str(exported))[0] == 0
    exported.write_text(exported.read_text(encoding="utf-8").replace(
        "Teknik dan motif khas", "Teknik dan motif khas daerah"), encoding="utf-8")
    assert run(capsys, "--data-dir", d, "rubric", "import", str(exported))[0] == 0

    code, out, _ = run(capsys, "--data-dir", d, "--json", "round", "rubric", "1", "batik", "2")
    assert code == 0
    batik = next(c for c in json.loads(out)["commodities"] if c["id"] == "kain_batik")
    assert batik["rubric_version"] == 2

    code, out, err = run(capsys, "--data-dir", d, "round", "rubric", "1", "batik", "9")
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1


def test_frozen_version_stays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = str(tmp_path / "p")
    run(capsys, "--data-dir", d, "init", "--role", "coordinator", "--name", "K")
    run(capsys, "--data-dir", d, "round", "create", "--year", "2026", "--name", "R")
    run(capsys, "--data-dir", d, "rubric", "freeze", "gerabah")
    exported = tmp_path / "g.json"
    run(capsys, "--data-dir", d, "rubric", "export", "gerabah", "--out", str(exported))
    exported.write_text(exported.read_text(encoding="utf-8").replace(
        "Gerabah", "Gerabah Plered"), encoding="utf-8")
    run(capsys, "--data-dir", d, "rubric", "import", str(exported))
    code, _, err = run(capsys, "--data-dir", d, "round", "rubric", "1", "gerabah", "2")
    assert code != 0 and "Traceback" not in err
