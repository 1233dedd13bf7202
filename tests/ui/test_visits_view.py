"""My visits: the local candidates with date, progress and status; filters; opening the sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.models.table import ROW_ROLE
from ovop_desktop.ui.models.visits_model import COL_CONFLICT, COL_PROGRESS, NO_DATE, VisitRow
from ovop_desktop.ui.views import scoring_sheet as sheet_module
from ovop_desktop.ui.views import visits as visits_module
from ovop_desktop.ui.views.visits import LIST_PAGE, SHEET_PAGE, VisitsView

WAIT = 10_000
DAY_1, DAY_2 = date(2024, 8, 14), date(2024, 8, 15)
PLACES = [("33.74", Commodity.KAIN_BATIK, "Batik tulis"), ("32.05", Commodity.MAKANAN_MINUMAN,
          "Dodol Garut"), ("33.74", Commodity.GERABAH, "Gentong"),
          ("35.07", Commodity.ANYAMAN, "Tikar pandan"), ("32.05", Commodity.KAIN_TENUN, "Songket")]


@pytest.fixture
def local(assessor_ctx: AppContext) -> list[int]:
    """An assessor's laptop after a package: five candidates, four with a visit date."""
    ws = assessor_ctx.workspace
    current = ws.rounds.create(2024, "Penilaian OVOP 2024")
    ws.update_settings(current_round_id=current.id)
    ids = ws.candidates.create_many(current.id, [
        CandidateData(name=f"IKM {i + 1} {product}", region_code=code, commodity=commodity,
                      product=product) for i, (code, commodity, product) in enumerate(PLACES)],
        "test")
    for cid, when in zip(ids, (DAY_1, DAY_1, DAY_2, DAY_2), strict=False):
        ws.planning.set_visit(cid, when)
    return ids


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    shown: list[BaseException] = []
    for module in (visits_module, sheet_module):
        monkeypatch.setattr(module, "show_error", lambda _p, exc, *a: shown.append(exc))
    return shown


def open_view(qtbot, ctx: AppContext) -> VisitsView:
    view = VisitsView(ctx)
    qtbot.addWidget(view)
    view.resize(1090, 740)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT)
    return view


def rows(view: VisitsView) -> dict[int, VisitRow]:
    return {r.candidate_id: r for r in view.model.rows()}


def shown_ids(view: VisitsView) -> set[int]:
    return {view.proxy.index(i, 0).data(ROW_ROLE).candidate_id
            for i in range(view.proxy.rowCount())}


def reload(qtbot, view: VisitsView) -> None:
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()


def test_rows_show_date_progress_and_status(qtbot, assessor_ctx: AppContext, local: list[int],
                                            qtmodeltester) -> None:
    scoring = assessor_ctx.workspace.scoring
    rubric_ids = {c.commodity: c.rubric_id for c in assessor_ctx.workspace.current_round()
                  .commodities}
    batik = assessor_ctx.workspace.rubrics.get(rubric_ids[Commodity.KAIN_BATIK]).rubric
    criteria = [c.id for _a, c in batik.criteria()]
    scoring.set_score(local[0], criteria[0], 2)
    scoring.set_score(local[0], criteria[1], 3)
    view = open_view(qtbot, assessor_ctx)
    qtmodeltester.check(view.model)
    by_id = rows(view)
    assert by_id[local[0]].progress == f"2/{len(criteria)}"
    assert by_id[local[0]].status == "in_progress" and by_id[local[1]].status == ""
    assert by_id[local[0]].visit_date == DAY_1 and by_id[local[4]].visit_date is None
    assert by_id[local[0]].region_name == "Kota Semarang"
    row = view.model.row_of(local[0])
    assert view.model.index(row, COL_PROGRESS).data() == f"2/{len(criteria)}"


def test_filters_by_date_and_kabupaten_kota(qtbot, assessor_ctx: AppContext,
                                            local: list[int]) -> None:
    view = open_view(qtbot, assessor_ctx)
    dates = [view.date_filter.itemData(i) for i in range(view.date_filter.count())]
    assert dates == [None, DAY_1.isoformat(), DAY_2.isoformat(), NO_DATE]
    view.date_filter.setCurrentIndex(view.date_filter.findData(DAY_1.isoformat()))
    assert shown_ids(view) == {local[0], local[1]}
    view.region_filter.setCurrentIndex(view.region_filter.findData("32.05"))
    assert shown_ids(view) == {local[1]}
    view.date_filter.setCurrentIndex(view.date_filter.findData(NO_DATE))
    assert shown_ids(view) == {local[4]}
    view.date_filter.setCurrentIndex(0)
    assert shown_ids(view) == {local[1], local[4]}
    reload(qtbot, view)  # the filters survive a reload
    assert view.region_filter.currentData() == "32.05" and shown_ids(view) == {local[1], local[4]}


def test_enter_opens_the_sheet_and_back_shows_progress(qtbot, assessor_ctx: AppContext,
                                                       local: list[int]) -> None:
    view = open_view(qtbot, assessor_ctx)
    view.show()
    qtbot.waitExposed(view)
    view.select(local[0])
    view.table.setFocus()
    with qtbot.waitSignal(view.sheet_opened, timeout=WAIT) as opened:
        QTest.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [local[0]] and view.stack.currentIndex() == SHEET_PAGE
    qtbot.waitUntil(lambda: view.sheet.rows[0].hasFocus())
    QTest.keyClick(view.sheet.rows[0], "3")
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        QTest.keyClick(view.sheet, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.stack.currentIndex() == LIST_PAGE
    assert rows(view)[local[0]].scored == 1 and rows(view)[local[0]].status == "in_progress"
    assert view.selected_id() == local[0]


def test_double_click_opens_the_sheet(qtbot, assessor_ctx: AppContext, local: list[int]) -> None:
    view = open_view(qtbot, assessor_ctx)
    index = view.proxy.mapFromSource(view.model.index(view.model.row_of(local[1]), 0))
    view.table.doubleClicked.emit(index)
    assert view.stack.currentIndex() == SHEET_PAGE and view.sheet.candidate_id == local[1]


def test_conflicted_candidate_is_marked_and_refused(qtbot, assessor_ctx: AppContext,
                                                    local: list[int],
                                                    errors: list[BaseException]) -> None:
    assessor_ctx.workspace.planning.declare(None, local[2], "kerabat")
    view = open_view(qtbot, assessor_ctx)
    row = view.model.row_of(local[2])
    assert "kerabat" in view.model.index(row, COL_CONFLICT).data()
    assert view.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert not view.open_sheet(local[2])
    assert view.stack.currentIndex() == LIST_PAGE
    assert len(errors) == 1 and "kerabat" in str(errors[0])
    # Declared after the list was loaded: the sheet checks the store again.
    assessor_ctx.workspace.planning.declare(None, local[3], "pernah menjadi konsultan")
    assert not view.open_sheet(local[3]) and len(errors) == 2


def test_open_sheet_goes_back_when_a_conflict_arrives(qtbot, assessor_ctx: AppContext,
                                                      local: list[int],
                                                      errors: list[BaseException]) -> None:
    view = open_view(qtbot, assessor_ctx)
    assert view.open_sheet(local[0])
    assessor_ctx.workspace.planning.declare(None, local[0], "kerabat")
    reload(qtbot, view)  # e.g. after importing a new package
    assert view.stack.currentIndex() == LIST_PAGE and len(errors) == 1


def test_closing_the_window_stores_a_note_still_being_typed(qtbot, assessor_ctx: AppContext,
                                                            local: list[int]) -> None:
    view = open_view(qtbot, assessor_ctx)
    assert view.open_sheet(local[0])
    row = view.sheet.rows[0]
    row.level_chosen.emit(row.criterion_id, 2)
    QTest.keyClicks(row.note, "catatan")
    assert view.has_unsaved_changes() is False
    assert assessor_ctx.workspace.scoring.sheet(local[0])[1][row.criterion_id] == (2, "catatan")


def test_page_for_assessors_only(qtbot, assessor_ctx: AppContext, ctx: AppContext) -> None:
    for context, expected in ((assessor_ctx, True), (ctx, False)):
        window = MainWindow()
        qtbot.addWidget(window)
        window.attach(context)
        assert ("visits" in [p.key for p in window.pages]) is expected


def test_screenshots(qtbot, assessor_ctx: AppContext, local: list[int], shots: Path) -> None:
    scoring = assessor_ctx.workspace.scoring
    assessor_ctx.workspace.planning.declare(None, local[3], "kerabat")
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(assessor_ctx)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    view = window.show_page("visits")
    assert isinstance(view, VisitsView)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(local), timeout=WAIT)
    assert view.open_sheet(local[0])
    for row, level in zip(view.sheet.rows[:7], (3, 2, 3, 1, 2, 3, 3), strict=True):
        row.level_chosen.emit(row.criterion_id, level)
    view.sheet.rows[0].note.setText("Bahan baku dari Pekalongan dan Solo")
    view.sheet.rows[0].note.editingFinished.emit()
    view.sheet.rows[7].setFocus()
    qtbot.wait(50)
    assert window.grab().save(str(shots / "scoring-sheet.png"))
    assert scoring.sheet(local[0])[1]
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.sheet.back_button.click()
    assert window.grab().save(str(shots / "my-visits.png"))


def test_rows_show_the_actual_visit_date_when_recorded(qtbot, assessor_ctx: AppContext,
                                                       local: list[int]) -> None:
    from ovop_desktop.i18n import _ as translated
    from ovop_desktop.ui.models.visits_model import COL_DATE

    scoring = assessor_ctx.workspace.scoring
    scoring.set_visited(local[0], DAY_1)  # as planned
    scoring.set_visited(local[2], date(2024, 8, 16))  # a day late
    scoring.set_visited(local[4], DAY_2)  # no planned date
    view = open_view(qtbot, assessor_ctx)
    by_id = rows(view)
    assert by_id[local[0]].visited_on == DAY_1 and by_id[local[1]].visited_on is None

    def text(cid: int) -> str:
        return view.model.index(view.model.row_of(cid), COL_DATE).data()

    assert text(local[0]) == "2024-08-14 ✓" and text(local[1]) == "2024-08-14"
    assert text(local[2]) == translated("{planned} (visited {actual})").format(
        planned="2024-08-15", actual="2024-08-16")
    assert text(local[4]) == translated("{planned} (visited {actual})").format(
        planned="—", actual="2024-08-15")
