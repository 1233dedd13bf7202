"""The assessor's scores: saved at once, history, finish/reopen, conflicts, paper, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.profile import Role
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.services.workspace import Workspace


@pytest.fixture
def sheet(tmp_path: Path) -> tuple[Workspace, int, list[str]]:
    ws = Workspace.open(tmp_path / "penilai")
    ws.profile.init(Role.ASSESSOR, "Sri", "YBI")
    ws.rubrics.install_defaults()
    rid = ws.rounds.create(2024, "R").id
    ws.update_settings(current_round_id=rid)
    (cid,) = ws.candidates.create_many(rid, [CandidateData(
        name="Batik Sekar", region_code="34.71", commodity=Commodity.KAIN_BATIK,
        product="Batik tulis")], "test")
    criteria = [c.id for _a, c in ws.rubrics.find(Commodity.KAIN_BATIK).rubric.criteria()]
    yield ws, cid, criteria
    ws.close()


def test_levels_are_stored_with_history(sheet) -> None:
    ws, cid, _criteria = sheet
    ws.scoring.set_score(cid, "A1", 2, "bahan sebagian lokal")
    ws.scoring.set_score(cid, "A1", 3)
    ws.scoring.set_score(cid, "A1", 3)  # no change, no history
    status, scores = ws.scoring.sheet(cid)
    assert status == "in_progress" and scores == {"A1": (3, "")}
    assert [(h[2], h[3], h[4]) for h in ws.scoring.history(cid)] == [("A1", "2", "3"),
                                                                    ("A1", "", "2")]


@pytest.mark.parametrize("criterion, level", [("A1", 0), ("A1", 4), ("Z9", 2)])
def test_bad_levels_and_criteria_are_refused(sheet, criterion: str, level: int) -> None:
    ws, cid, _c = sheet
    with pytest.raises(ValidationError):
        ws.scoring.set_score(cid, criterion, level)
    assert ws.scoring.sheet(cid) == ("", {})


def test_unknown_candidate_is_refused(sheet) -> None:
    ws, _cid, _c = sheet
    with pytest.raises(UserFacingError):
        ws.scoring.set_score(9999, "A1", 2)


def test_finish_needs_every_criterion_and_reopen_needs_a_reason(sheet) -> None:
    ws, cid, criteria = sheet
    ws.scoring.set_score(cid, criteria[0], 2)
    with pytest.raises(UserFacingError):
        ws.scoring.finish(cid)
    for c in criteria:
        ws.scoring.set_score(cid, c, 3)
    ws.scoring.finish(cid)
    with pytest.raises(UserFacingError):
        ws.scoring.set_score(cid, criteria[0], 1)
    with pytest.raises(ValidationError):
        ws.scoring.reopen(cid, "  ")
    ws.scoring.reopen(cid, "salah ketik di A1")
    assert ws.scoring.sheet(cid)[0] == "in_progress"
    assert ws.scoring.history(cid)[0][2:] == ("*", "finished", "in_progress", "salah ketik di A1")


def test_conflicted_candidate_cannot_be_scored(sheet) -> None:
    ws, cid, _c = sheet
    ws.planning.declare(None, cid, "pemilik adalah kerabat")
    with pytest.raises(UserFacingError):
        ws.scoring.set_score(cid, "A1", 2)


def test_paper_sheet_import_stores_valid_rows_and_reports_the_rest(sheet, tmp_path) -> None:
    ws, cid, _c = sheet
    csv = tmp_path / "lembar.csv"
    csv.write_text("candidate_id;criterion_id;level;note\n"
                   f"{cid};A1;3;semua lokal\n{cid};A2;5;\n{cid};ZZ;2;\n9999;A1;1;\n"
                   f"{cid};B1;2;\n", encoding="utf-8")
    dry = ws.scoring.import_sheet(csv, dry_run=True)
    assert dry.accepted == [2, 6] and ws.scoring.sheet(cid) == ("", {})
    report = ws.scoring.import_sheet(csv)
    assert report.accepted == [2, 6] and [r for r, _w in report.rejected] == [3, 4, 5]
    assert ws.scoring.sheet(cid)[1] == {"A1": (3, "semua lokal"), "B1": (2, "")}


def test_a_score_shown_as_saved_survives_a_kill(sheet, tmp_path: Path) -> None:
    ws, cid, _c = sheet
    folder = ws.paths.root
    ws.close()
    child = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from ovop_desktop.services.workspace import Workspace
        ws = Workspace.open(Path({str(folder)!r}))
        ws.scoring.set_score({cid}, "C4", 3, "motif khas")
        print("saved", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "saved"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Workspace.open(folder) as again:
        assert again.scoring.sheet(cid)[1] == {"C4": (3, "motif khas")}
