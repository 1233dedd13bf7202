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


def test_a_sheet_row_for_a_withdrawn_candidate_is_reported_not_fatal(sheet, tmp_path) -> None:
    """The newest package withdrew the second candidate: its rows are reported, the other
    candidate's rows are stored (before, the whole import stopped on the first of them)."""
    from ovop_desktop.data.models import CandidateRow

    ws, cid, _c = sheet
    (other,) = ws.candidates.create_many(ws.current_round().id, [CandidateData(
        name="Batik Parang", region_code="34.71", commodity=Commodity.KAIN_BATIK,
        product="Batik cap")], "test")
    with ws.store.write() as s:
        s.get(CandidateRow, other).withdrawn = 1
    csv = tmp_path / "lembar.csv"
    csv.write_text("candidate_id;criterion_id;level\n"
                   f"{cid};A1;3\n{other};A1;2\n{cid};A2;2\n", encoding="utf-8")
    report = ws.scoring.import_sheet(csv)
    assert report.accepted == [2, 4] and [r for r, _w in report.rejected] == [3]
    assert ws.scoring.sheet(cid)[1] == {"A1": (3, ""), "A2": (2, "")}
    assert ws.scoring.sheet(other) == ("", {})


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


# -- the actual visit date ------------------------------------------------------------------

def test_visit_date_is_set_cleared_with_history_and_audit(sheet) -> None:
    from datetime import date

    from ovop_desktop.services.maintenance import recent_audit

    ws, cid, _c = sheet
    assert ws.scoring.sheet_info(cid).visited_on is None
    ws.scoring.set_visited(cid, date(2024, 8, 13))
    info = ws.scoring.sheet_info(cid)
    assert info.visited_on == date(2024, 8, 13) and info.status == "in_progress"
    assert ws.scoring.visited_on(cid) == date(2024, 8, 13)
    ws.scoring.set_visited(cid, date(2024, 8, 13))  # no change, no history
    ws.scoring.set_visited(cid, date(2024, 8, 14))
    ws.scoring.set_visited(cid, None)
    assert ws.scoring.sheet_info(cid).visited_on is None
    assert [(h[2], h[3], h[4]) for h in ws.scoring.history(cid)] == [
        ("visit", "2024-08-14", ""), ("visit", "2024-08-13", "2024-08-14"),
        ("visit", "", "2024-08-13")]
    assert all(h[1] == "Sri" for h in ws.scoring.history(cid))
    entries = [e for e in recent_audit(ws.store) if e.action == "sheet.visited"]
    assert len(entries) == 3
    ws.scoring.set_visited(cid, date(2024, 8, 15))
    (snap,) = ws.scoring.snapshot(ws.current_round().id)  # type: ignore[union-attr]
    assert snap.visited_on == "2024-08-15"


def test_clearing_a_date_never_recorded_creates_no_sheet(sheet) -> None:
    ws, cid, _c = sheet
    ws.scoring.set_visited(cid, None)
    assert ws.scoring.sheet_info(cid).status == "" and ws.scoring.history(cid) == []


def test_visit_dates_that_cannot_be_true_are_refused(sheet, english: None) -> None:
    from datetime import date, timedelta

    ws, cid, _c = sheet
    with pytest.raises(ValidationError, match="in the future"):
        ws.scoring.set_visited(cid, date.today() + timedelta(days=1))
    with pytest.raises(ValidationError, match=r"not in the round's year \(2024\)"):
        ws.scoring.set_visited(cid, date(2023, 12, 31))
    with pytest.raises(UserFacingError):
        ws.scoring.set_visited(9999, date(2024, 8, 1))
    assert ws.scoring.sheet_info(cid).status == "" and ws.scoring.history(cid) == []


def test_visit_date_is_refused_like_a_score(sheet, english: None) -> None:
    from datetime import date

    from ovop_desktop.data.models import CandidateRow

    ws, cid, criteria = sheet
    ws.scoring.set_visited(cid, date(2024, 8, 13))
    for c in criteria:
        ws.scoring.set_score(cid, c, 2)
    ws.scoring.finish(cid)
    with pytest.raises(UserFacingError, match="finished"):
        ws.scoring.set_visited(cid, date(2024, 8, 14))
    with pytest.raises(UserFacingError, match="finished"):
        ws.scoring.set_visited(cid, None)
    ws.scoring.reopen(cid, "tanggal salah")
    ws.scoring.set_visited(cid, date(2024, 8, 14))
    with ws.store.write() as s:  # what a newer package without this candidate does
        s.get(CandidateRow, cid).withdrawn = 1
    with pytest.raises(UserFacingError, match="no longer assigned"):
        ws.scoring.set_visited(cid, date(2024, 8, 15))
    with ws.store.write() as s:
        s.get(CandidateRow, cid).withdrawn = 0
    ws.planning.declare(None, cid, "pemilik adalah kerabat")
    with pytest.raises(UserFacingError, match="kerabat"):
        ws.scoring.set_visited(cid, date(2024, 8, 15))
    assert ws.scoring.visited_on(cid) == date(2024, 8, 14)


def test_the_range_of_visit_dates_follows_the_round_year_and_the_clock(
        sheet, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from ovop_desktop.services import scoring

    ws, cid, _c = sheet
    monkeypatch.setattr(scoring, "today", lambda: date(2024, 9, 2))
    allowed = ws.scoring.visit_date_range(cid)
    assert allowed is not None and (allowed.first, allowed.last) == (date(2024, 1, 1),
                                                                     date(2024, 9, 2))
    assert allowed.today_allowed
    with pytest.raises(ValidationError):
        ws.scoring.set_visited(cid, date(2024, 9, 3))  # tomorrow on that clock
    ws.scoring.set_visited(cid, date(2024, 9, 2))
    monkeypatch.setattr(scoring, "today", lambda: date(2026, 3, 1))
    later = ws.scoring.visit_date_range(cid)
    assert later is not None and later.last == date(2024, 12, 31) and not later.today_allowed
    monkeypatch.setattr(scoring, "today", lambda: date(2023, 12, 30))
    assert ws.scoring.visit_date_range(cid) is None  # the round's year has not begun


def test_the_laptop_refuses_an_ikm_its_own_institution_belongs_to(tmp_path: Path,
                                                                   english: None) -> None:
    with Workspace.open(tmp_path / "penilai") as ws:
        ws.profile.init(Role.ASSESSOR, "Yohanes", "H.I.M.K.I")
        ws.rubrics.install_defaults()
        rid = ws.rounds.create(2024, "R").id
        member, other = ws.candidates.create_many(rid, [
            CandidateData(name="Anyaman Ketak", region_code="52.01", commodity=Commodity.ANYAMAN,
                          product="Tas ketak", associations=("Koperasi Ketak", "HIMKI")),
            CandidateData(name="Anyaman Pandan", region_code="11.06",
                          commodity=Commodity.ANYAMAN, product="Tikar")], "test")
        with pytest.raises(UserFacingError, match=r"institution \(HIMKI\)"):
            ws.scoring.set_score(member, "A1", 2)
        assert "HIMKI" in (ws.planning.conflict_of(None, member) or "")
        ws.scoring.set_score(other, "A1", 2)
