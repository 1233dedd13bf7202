"""The Results page from real signed bundles: ranking, filters, drill-down, moderation,
conflicts of interest, the progress board, and a page that never freezes."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from exchange_fixtures import COORD_PASS  # noqa: E402
from panel_fixtures import NAMES, Panel, make_panel  # noqa: E402

from ovop_desktop.domain.profile import Role  # noqa: E402
from ovop_desktop.i18n import _  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402
from ovop_desktop.ui import main_window as mw_module  # noqa: E402
from ovop_desktop.ui.context import AppContext, ContextSignals  # noqa: E402
from ovop_desktop.ui.dialogs.moderation import ModerationDialog  # noqa: E402
from ovop_desktop.ui.main_window import MainWindow  # noqa: E402
from ovop_desktop.ui.models.results_models import (  # noqa: E402
    EXCLUDED,
    MODERATED_MARK,
    NOTE_MARK,
    WARN,
)
from ovop_desktop.ui.views import results as results_view  # noqa: E402
from ovop_desktop.ui.views.results import ResultsView  # noqa: E402
from ovop_desktop.ui.workers import TaskRunner  # noqa: E402

WAIT = 20_000
NOTE = "Dokumen ekspor belum bisa ditunjukkan saat kunjungan"
SHEET_NOTE = "Pemilik hadir; gudang bahan baku tertata rapi"


@dataclass(frozen=True)
class Scenario:
    """Ids and names of the coordinator profile the template holds."""

    folder: Path
    assessors: list[int]            # coordinator-side ids of the three assessors
    batik: list[int]                # b1 3★ · b2 disagreement · b3 2★ · b4 no star · b5 re-eval
    tenun: list[int]                # t1 complete, one sheet missing · t2 incomplete
    names: dict[int, str]


def make_ctx(ws: Workspace) -> AppContext:
    return AppContext(workspace=ws, tasks=TaskRunner(), signals=ContextSignals())


def _score(panel: Panel, who: int, candidate: int, level: Any, finish: bool = True) -> None:
    panel.score(who, candidate, level if callable(level) else (lambda _c: level), finish)


@pytest.fixture(scope="module")
def template(module_tmp: Path) -> Iterator[Scenario]:
    """Built once: a coordinator, three assessors, packages out, signed bundles back in."""
    tmp = module_tmp
    panel = make_panel(tmp, 3)
    try:
        ws = panel.coordinator
        summaries = ws.candidates.summaries(panel.round_id)
        batik = [c for c in summaries if c.commodity.value == "kain_batik"]
        new = [c.id for c in batik if c.kind.value == "new"][:4]
        again = [c.id for c in batik if c.kind.value == "reevaluation"
                 and c.previous_star == 2][:1]
        b = new + again
        t = [c.id for c in summaries if c.commodity.value == "kain_tenun"][:2]
        for who in range(3):
            panel.give(who, b + (t[:1] if who == 2 else t))
        b1, b2, b3, b4, b5 = b
        for who in range(3):
            _score(panel, who, b1, 3)
            _score(panel, who, b3, 2)
            _score(panel, who, b4, 1)
            _score(panel, who, b5, 2 if who == 2 else 3)
        _score(panel, 1, b2, 2)
        _score(panel, 2, b2, lambda c: 1 if c == "B4" else 3)
        _score(panel, 0, b2, 3, finish=False)  # with a note, a visit date, then finished
        sheet = panel.assessors[0].scoring
        local = panel._local[0][b2]
        sheet.set_score(local, "B4", 3, NOTE)
        sheet.set_sheet_note(local, SHEET_NOTE)
        sheet.set_visited(local, date(2024, 10, 15))
        photo = tmp / "bukti.png"
        Image.new("RGB", (64, 48), (120, 60, 20)).save(photo)
        panel.assessors[0].evidence.add(local, photo, "B4")
        sheet.finish(local)
        _score(panel, 0, t[0], 2)
        _score(panel, 1, t[0], 3)
        _score(panel, 0, t[1], 2)
        _score(panel, 1, t[1], 2, finish=False)  # in progress: t2 stays incomplete
        for who in range(3):
            panel.send(who)
        names = {c.id: c.name for c in summaries if c.id in b + t}
        yield Scenario(tmp / "coordinator", list(panel.ids), b, t, names)
    finally:
        panel.close()


@pytest.fixture
def scenario(template: Scenario, tmp_path: Path) -> Scenario:
    folder = tmp_path / "coordinator"
    shutil.copytree(template.folder, folder)
    return Scenario(folder, template.assessors, template.batik, template.tenun, template.names)


@pytest.fixture
def rctx(scenario: Scenario) -> Iterator[AppContext]:
    ws = Workspace.open(scenario.folder)
    context = make_ctx(ws)
    try:
        yield context
    finally:
        context.tasks.wait_all()
        ws.close()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    errors: list[BaseException] = []
    monkeypatch.setattr(results_view, "show_error", lambda _p, e, *a: errors.append(e))
    return errors


def open_view(qtbot: Any, ctx: AppContext) -> ResultsView:
    view = ResultsView(ctx)
    qtbot.addWidget(view)
    view.resize(1010, 720)
    qtbot.waitUntil(lambda: view.data is not None and not view.busy, timeout=WAIT)
    return view


def cell(view: ResultsView, name: str, key: str, role: int = Qt.ItemDataRole.DisplayRole
         ) -> Any:
    row = next(r for r in range(view.model.rowCount())
               if view.model.row_object(r).facts.name == name)
    return view.model.index(row, view.model.column_of(key)).data(role)


def shown(view: ResultsView) -> set[str]:
    return {view.model.row_object(view.proxy.mapToSource(view.proxy.index(r, 0)).row())
            .facts.name for r in range(view.proxy.rowCount())}


def drill(qtbot: Any, view: ResultsView, candidate: int) -> None:
    assert view.select(candidate)
    qtbot.waitUntil(lambda: view.detail.candidate_id == candidate, timeout=WAIT)


def grid_text(view: ResultsView, criterion: str) -> list[str]:
    grid = view.detail.model
    row = grid.row_of(criterion)
    return [grid.index(row, c).data() for c in range(grid.columnCount())]


def headers(view: ResultsView) -> list[str]:
    grid = view.detail.model
    return [" ".join(grid.headerData(c, Qt.Orientation.Horizontal).split())
            for c in range(grid.columnCount())]


# -- ranking ---------------------------------------------------------------------------------

def test_ranking_shows_rank_total_and_star_from_the_bundles(qtbot, rctx: AppContext,
                                                            scenario: Scenario, english) -> None:
    view = open_view(qtbot, rctx)
    n = scenario.names
    b1, b2, b3, b4, b5 = scenario.batik
    t1, t2 = scenario.tenun
    assert view.model.rowCount() == 7
    assert cell(view, n[b1], "rank") == "1"
    assert cell(view, n[b1], "total") == "100.0" and cell(view, n[b1], "star") == "★★★"
    assert cell(view, n[b3], "total") == "66.7" and cell(view, n[b3], "star") == "★★"
    assert cell(view, n[b4], "star") == "—"  # below the 1★ threshold: no star
    assert cell(view, n[t2], "star") == "incomplete" and cell(view, n[t2], "rank") == "—"
    assert cell(view, n[b1], "assessors") == "3" and cell(view, n[t1], "assessors") == "2"
    assert cell(view, n[b1], "aspect:A") == "40.0"
    # the aspect columns carry the rubric's aspect names
    a_column = view.model.column_of("aspect:A")
    assert "Production" in view.model.headerData(a_column, Qt.Orientation.Horizontal,
                                                 Qt.ItemDataRole.ToolTipRole)
    # an earlier 2★ holder now at 88.9: previous star → new star
    assert cell(view, n[b5], "change") == "★★ → ★★★ (up)"
    # three assessors share five candidates: the severity-corrected view is estimable
    assert cell(view, n[b1], "corrected")
    assert "disagreement" in cell(view, n[b2], "flags")
    assert cell(view, n[b2], "flags", Qt.ItemDataRole.DecorationRole) is not None
    assert "2 ★★" not in view.count.text() and "7 of 7 candidates" in view.count.text()
    assert view.tabs.tabText(0) == "Ranking"
    assert view.title.text().endswith("Penghargaan OVOP 2024")


def test_totals_use_the_indonesian_decimal_comma(qtbot, rctx: AppContext,
                                                 scenario: Scenario) -> None:
    view = open_view(qtbot, rctx)
    b3 = scenario.batik[2]
    assert cell(view, scenario.names[b3], "total") == "66,7"
    assert view.tabs.tabText(0) == _("Ranking")


def test_filters_by_commodity_star_flag_and_search(qtbot, rctx: AppContext, scenario: Scenario,
                                                   english) -> None:
    view = open_view(qtbot, rctx)
    n = scenario.names
    b1, b2, b3, b4, b5 = scenario.batik
    t1, t2 = scenario.tenun
    view.commodity.setCurrentIndex(view.commodity.findData("kain_batik"))
    assert shown(view) == {n[c] for c in scenario.batik}
    assert view.table.isColumnHidden(view.model.column_of("commodity"))
    assert view.count.text().startswith("5 of 7 candidates")
    view.commodity.setCurrentIndex(0)
    assert not view.table.isColumnHidden(view.model.column_of("commodity"))
    view.star.setCurrentIndex(view.star.findData(3))
    assert shown(view) == {n[b1], n[b2], n[b5], n[t1]}
    view.star.setCurrentIndex(view.star.findData(results_view.INCOMPLETE_STAR))
    assert shown(view) == {n[t2]}
    view.star.setCurrentIndex(0)
    view.only_flagged.setChecked(True)
    assert {n[b2], n[t2]} <= shown(view) and n[b1] not in shown(view)
    view.only_flagged.setChecked(False)
    view.search.setText(n[b4].split()[-1].upper())
    assert n[b4] in shown(view) and len(shown(view)) < 7
    view.search.clear()
    assert len(shown(view)) == 7


# -- drill-down and moderation -------------------------------------------------------------------

def test_drill_down_shows_every_assessor_and_the_disagreement(qtbot, rctx: AppContext,
                                                              scenario: Scenario,
                                                              english) -> None:
    view = open_view(qtbot, rctx)
    b2 = scenario.batik[1]
    drill(qtbot, view, b2)
    assert view.detail.title.text() == scenario.names[b2]
    names = [name for name, _inst in NAMES[:3]]
    assert sorted(headers(view)[1:4]) == sorted(names)
    row = dict(zip(headers(view), grid_text(view, "B4"), strict=True))
    assert row[names[0]] == f"3 {NOTE_MARK}" and row[names[1]] == "2" and row[names[2]] == "1"
    assert row["Mean"] == "2.00" and row["Spread"] == "⚠ 2"
    grid = view.detail.model
    r = grid.row_of("B4")
    spread = grid.index(r, grid.columnCount() - 1)
    assert spread.data(Qt.ItemDataRole.BackgroundRole).color().name() == WARN[0]
    note_cell = grid.index(r, headers(view).index(names[0]))
    assert NOTE in note_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert grid_text(view, "A1")[-1] == "1"  # 3, 2, 3: no flag
    sheets = view.detail.sheets.text()
    assert SHEET_NOTE in sheets and "15 October 2024" in sheets
    assert "disagreement" in view.detail.summary.text()
    assert "B4" in view.detail.coaching.text()  # the weakest criterion is a coaching area
    assert view.detail.history.text() == "No moderation."
    # the photo the assessor attached to B4 came in the bundle and is shown as a thumbnail
    photos = view.detail.photo_list
    qtbot.waitUntil(lambda: photos.count() == 1, timeout=WAIT)
    assert photos.item(0).text() == "B4" and names[0] in photos.item(0).toolTip()
    assert not photos.item(0).icon().isNull()


def test_moderating_needs_a_reason_and_changes_the_total(qtbot, rctx: AppContext,
                                                         scenario: Scenario, english,
                                                         boxes: list) -> None:
    view = open_view(qtbot, rctx)
    b2, name = scenario.batik[1], scenario.names[scenario.batik[1]]
    drill(qtbot, view, b2)
    before = cell(view, name, "total")
    panel = view.detail
    assert not panel.moderate_button.isEnabled()  # nothing selected yet
    assert panel.select_criterion("B4") and panel.moderate_button.isEnabled()
    assert not panel.withdraw_button.isEnabled()
    panel.moderate_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, ModerationDialog) and dialog.isVisible()
    assert "B4" in dialog.windowTitle() + dialog.findChild(QWidget, "criterionTitle").text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_3)
    assert dialog.level() == 3
    assert not dialog.ok_button.isEnabled()  # the reason is mandatory
    dialog.reason.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setPlainText("Rapat panel 20 Oktober: bukti ekspor diterima")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: panel.detail is not None and any(
        m.level == 3 for m in panel.detail.moderation), timeout=WAIT)
    after = cell(view, name, "total")
    assert after != before and float(after) > float(before)
    assert view.selected_id() == b2 and panel.selected_criterion() == "B4"
    assert grid_text(view, "B4")[-2] == f"3 {MODERATED_MARK}"
    assert "bukti ekspor diterima" in panel.history.text()
    assert "moderated" in cell(view, name, "flags")
    assert not boxes
    # withdrawing needs a reason too, and restores the assessors' mean
    assert panel.withdraw_button.isEnabled()
    panel.withdraw_button.click()
    dialog = panel.dialog
    assert dialog.withdraw and not dialog.ok_button.isEnabled()
    dialog.reason.setPlainText("Keputusan panel dibatalkan")
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(panel.detail.moderation) == 2, timeout=WAIT)
    assert cell(view, name, "total") == before
    assert "moderation withdrawn" in panel.history.text()


def test_moderation_errors_are_shown_in_the_dialog(qtbot, rctx: AppContext, scenario: Scenario,
                                                   english) -> None:
    view = open_view(qtbot, rctx)
    drill(qtbot, view, scenario.batik[1])
    view.detail.select_criterion("C1")
    dialog = view.detail.open_moderation()
    assert dialog is not None
    dialog.choose(1)
    dialog.reason.setPlainText("x" * 2500)  # longer than the service accepts
    dialog.ok_button.click()
    assert dialog.isVisible() and "too long" in dialog.error.text()


def test_a_conflicted_assessor_is_greyed_and_not_counted(qtbot, rctx: AppContext,
                                                         scenario: Scenario, english) -> None:
    b5 = scenario.batik[4]
    third = NAMES[2][0]
    rctx.workspace.planning.declare(scenario.assessors[2], b5, "kerabat pemilik IKM")
    view = open_view(qtbot, rctx)
    # the third assessor's 2s no longer count: 3, 3 → 100
    assert cell(view, scenario.names[b5], "total") == "100.0"
    assert cell(view, scenario.names[b5], "assessors") == "2"
    drill(qtbot, view, b5)
    column = next(i for i, h in enumerate(headers(view)) if h.startswith(third))
    assert "conflict of interest" in headers(view)[column]
    assert column == len(headers(view)) - 4  # after the assessors who count
    grid = view.detail.model
    level = grid.index(grid.row_of("A1"), column)
    assert level.data() == "2"
    assert level.data(Qt.ItemDataRole.BackgroundRole).color().name() == EXCLUDED[0]
    assert "Not counted" in level.data(Qt.ItemDataRole.ToolTipRole)
    assert grid_text(view, "A1")[column + 1] == "3.00"  # the mean of the two who count
    assert "conflict of interest" in view.detail.sheets.text()


# -- progress ----------------------------------------------------------------------------------

def test_progress_tab_lists_the_missing_sheets(qtbot, rctx: AppContext, scenario: Scenario,
                                               english) -> None:
    view = open_view(qtbot, rctx)
    n = scenario.names
    t1, t2 = scenario.tenun
    progress = view.progress
    assert view.tabs.tabText(1) == "Progress (2 missing)"
    by_name = {progress.assessors.row_object(r).progress.assessor.name: r
               for r in range(progress.assessors.rowCount())}
    model = progress.assessors
    third, second = by_name[NAMES[2][0]], by_name[NAMES[1][0]]
    missing = model.column_of("missing")
    assert model.index(third, missing).data() == "1"
    assert model.index(third, missing).data(Qt.ItemDataRole.ToolTipRole) == n[t1]
    assert model.index(second, model.column_of("in_progress")).data() == "1"
    assert model.index(second, model.column_of("bundles")).data() == "1"
    assert model.index(second, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    first = by_name[NAMES[0][0]]
    assert model.index(first, missing).data() == "—"
    assert model.index(first, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    candidates = progress.candidates
    lines = {candidates.row_object(r).name: candidates.row_object(r)
             for r in range(candidates.rowCount())}
    assert lines[n[t1]].missing_names == (NAMES[2][0],)
    assert lines[n[t2]].missing_names == (NAMES[1][0],)
    progress.only_missing.setChecked(True)
    assert progress.candidate_proxy.rowCount() == 2
    assert "18 of 20 sheets" in progress.summary.text()


# -- export ------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_export_writes_the_results_with_a_signed_receipt(qtbot, rctx: AppContext, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         boxes: list, suffix: str) -> None:
    infos: list[str] = []
    monkeypatch.setattr(results_view, "show_info", lambda _p, _t, text: infos.append(text))
    target = tmp_path / "hasil"  # no suffix typed: the chosen type adds it
    monkeypatch.setattr(results_view.QFileDialog, "getSaveFileName",
                        lambda *a: (str(target), f"… (*.{suffix})"))
    view = open_view(qtbot, rctx)
    assert view.export_button.isEnabled()
    view.export_button.click()
    dialog = view.dialog
    assert dialog is not None
    dialog.passphrase.setText(COORD_PASS)
    with qtbot.waitSignal(view.exported, timeout=WAIT) as signal:
        dialog.ok_button.click()
    written = target.with_name(f"hasil.{suffix}")
    assert written.exists() and Path(signal.args[0]).exists()
    assert str(written) in view.status.text() and infos and not boxes
    assert view.export_button.isEnabled()


# -- responsiveness, navigation, empty state ---------------------------------------------------

def test_the_report_is_computed_on_a_worker_and_the_page_stays_responsive(
        qtbot, rctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = results_view.load_results

    def slow(**kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        time.sleep(0.6)
        return real(**kwargs)

    monkeypatch.setattr(results_view, "load_results", slow)
    view = ResultsView(rctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()  # asked twice in one turn: computed once
    qtbot.waitUntil(lambda: view.busy, timeout=WAIT)
    assert not view.busy_bar.isHidden() and not view.export_button.isEnabled()
    ticks: list[int] = []
    QTimer.singleShot(50, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=WAIT)
    assert view.busy  # the GUI thread ran the timer while the report was being computed
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT)
    assert view.model.rowCount() == 7 and view.busy_bar.isHidden()
    assert len(threads) == 1 and threads[0] != threading.main_thread().name
    view.refresh_button.click()  # the button recomputes, on the worker again
    qtbot.waitUntil(lambda: len(threads) == 2 and not view.busy, timeout=WAIT)
    assert threads[1] != threading.main_thread().name


def test_results_page_is_in_the_coordinator_navigation(qtbot, rctx: AppContext) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(rctx)
    keys = [p.key for p in window.pages]
    assert keys[keys.index("bundles") + 1] == "results"
    page = next(p for p in mw_module.PAGES if p.key == "results")
    assert page.coordinator_only
    view = window.show_page("results")
    assert isinstance(view, ResultsView)
    qtbot.waitUntil(lambda: view.data is not None and not view.busy, timeout=WAIT)
    rctx.tasks.wait_all()  # the analysis tabs may still be reading: let them finish
    qtbot.wait(100)


def test_without_a_round_the_page_says_so(qtbot, workspace: Workspace) -> None:
    workspace.profile.init(Role.COORDINATOR, "Sekretariat", "Ditjen IKMA")
    ctx = make_ctx(workspace)
    view = ResultsView(ctx)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: not view.export_button.isVisibleTo(view), timeout=WAIT)
    assert view.stack.currentWidget().objectName() == "resultsEmpty"
    assert view.data is None and not view.busy


# -- screenshots -----------------------------------------------------------------------------------

def test_screenshots(qtbot, rctx: AppContext, scenario: Scenario, shots: Path) -> None:
    b2 = scenario.batik[1]
    rctx.workspace.results.moderate(b2, "C1", 3, "Rapat panel 20 Oktober: motif khas "
                                                 "Rembang terverifikasi")
    view = open_view(qtbot, rctx)
    view.setStyleSheet(mw_module.STYLE)  # as inside the main window
    view.show()
    view.resize(1010, 720)
    drill(qtbot, view, b2)
    view.detail.select_criterion("B4")
    qtbot.wait(50)
    view.ranking_splitter.setSizes([300, 420])
    view.grab().save(str(shots / "results-ranking.png"))
    view.ranking_splitter.setSizes([170, 550])
    view.detail.grid.scrollTo(view.detail.model.index(view.detail.model.row_of("C1"), 0))
    qtbot.wait(50)
    view.grab().save(str(shots / "results-detail.png"))
    dialog = view.detail.open_moderation()
    assert dialog is not None
    dialog.choose(3)
    dialog.reason.setPlainText("Rapat panel 20 Oktober: bukti ekspor diperlihatkan")
    qtbot.wait(50)
    dialog.grab().save(str(shots / "results-moderation.png"))
    dialog.reject()
    view.tabs.setCurrentWidget(view.progress)
    qtbot.wait(50)
    view.grab().save(str(shots / "results-progress.png"))
    for name in ("results-ranking", "results-detail", "results-progress", "results-moderation"):
        assert (shots / f"{name}.png").stat().st_size > 10_000
