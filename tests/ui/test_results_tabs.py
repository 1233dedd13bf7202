"""The Results page's tabs: charts, reliability, re-evaluation and Go Global, over results
computed from real signed bundles (a coordinator and four assessors)."""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from panel_fixtures import Panel, make_panel  # noqa: E402

from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.errors import UserFacingError  # noqa: E402
from ovop_desktop.services.results import ResultsReport  # noqa: E402
from ovop_desktop.ui.context import AppContext, ContextSignals  # noqa: E402
from ovop_desktop.ui.models.table import ROW_ROLE  # noqa: E402
from ovop_desktop.ui.views import go_global_tab, results_tabs  # noqa: E402
from ovop_desktop.ui.views.go_global_tab import COL_NOTE, COL_SELECTED, GoGlobalTab  # noqa: E402
from ovop_desktop.ui.views.results_charts import (  # noqa: E402
    THRESHOLD,
    DistributionChart,
    OffsetChart,
    ProvinceStarsChart,
    histogram,
    nice_limit,
    offset_bar,
    province_order,
    spread_labels,
    threshold_marks,
)
from ovop_desktop.ui.views.results_tabs import (  # noqa: E402
    ChartsTab,
    ReevaluationTab,
    ReliabilityTab,
    make_tabs,
)
from ovop_desktop.ui.workers import TaskRunner  # noqa: E402

# -- a round scored through real packages and bundles --------------------------------------


def build_scored_panel(tmp: Path, commodities: tuple[str, ...] = ("kain_batik", "gerabah"),
                       per_kind: int = 2) -> tuple[Panel, dict[str, list[int]]]:
    """Three assessors score `per_kind` re-evaluations and new candidates of each commodity
    (the first lenient, the third harsh); a fourth shares one candidate (offset not
    estimable); one more re-evaluation has only one assessor (incomplete)."""
    panel = make_panel(tmp, 4)
    summaries = panel.coordinator.candidates.summaries(panel.round_id)
    picked: list[int] = []
    for commodity in commodities:
        mine = [s for s in summaries if s.commodity.value == commodity]
        picked += [s.id for s in mine if s.kind.value == "reevaluation"][:per_kind]
        picked += [s.id for s in mine if s.kind.value == "new"][:per_kind]
    lonely = next(s.id for s in summaries if s.kind.value == "reevaluation"
                  and s.commodity.value == commodities[0] and s.id not in picked)
    panel.give(0, [*picked, lonely])
    panel.give(1, picked)
    panel.give(2, picked)
    panel.give(3, picked[:1])
    for i, cid in enumerate(picked):
        quality = 1.2 + (i * 7 % 11) / 6  # 1.2 … 2.9: spreads the totals over the stars
        for who, bias in enumerate((0.35, 0.0, -0.45)):
            rnd = random.Random(cid * 10 + who)
            panel.score(who, cid, lambda c, q=quality, b=bias, r=rnd: max(
                1, min(3, round(q + b + r.uniform(-0.6, 0.6)))))
    panel.score(0, lonely, lambda c: 3)
    panel.score(3, picked[0], lambda c: 2)
    for who in range(4):
        panel.send(who)
    return panel, {"picked": picked, "lonely": [lonely]}


@dataclass
class Scored:
    panel: Panel
    ids: dict[str, list[int]]
    report: ResultsReport

    @property
    def ws(self):  # noqa: ANN201
        return self.panel.coordinator


@pytest.fixture(scope="module")
def scored(module_tmp: Path) -> Iterator[Scored]:
    """Built once for the module (about five seconds of real exchanges)."""
    panel, ids = build_scored_panel(module_tmp)
    report = panel.coordinator.results.report(panel.round_id)
    try:
        yield Scored(panel, ids, report)
    finally:
        panel.close()


@pytest.fixture
def ctx(scored: Scored) -> Iterator[AppContext]:
    context = AppContext(workspace=scored.ws, tasks=TaskRunner(), signals=ContextSignals())
    yield context
    context.tasks.wait_all()


# -- pure chart geometry --------------------------------------------------------------------


def test_threshold_lines_are_placed_from_the_round_thresholds() -> None:
    assert threshold_marks((80, 65, 50), left=100, width=400) == [
        ("3★", 420.0), ("2★", 360.0), ("1★", 300.0)]
    moved = dict(threshold_marks((90, 70, 40), left=0, width=1000))
    assert moved == {"3★": 900.0, "2★": 700.0, "1★": 400.0}


def test_totals_fall_in_five_point_bins_and_100_is_counted() -> None:
    counts = histogram([0, 4.99, 5, 64.9, 65, 99.9, 100])
    assert len(counts) == 20 and sum(counts) == 7
    assert counts[0] == 2 and counts[1] == 1 and counts[12] == 1 and counts[13] == 1
    assert counts[19] == 2


def test_offset_bars_go_right_when_lenient_and_left_when_harsh() -> None:
    assert offset_bar(5, centre=300, half_width=200, limit=10) == (300, 400)
    assert offset_bar(-10, centre=300, half_width=200, limit=10) == (100, 300)
    assert nice_limit(11.1) == (15, 5)
    assert nice_limit(0.3) == (1, 0.5)


def test_provinces_sorted_by_count_and_close_labels_do_not_overlap() -> None:
    rows = province_order({"Bali": {3: 1, 0: 0, None: 5},
                           "Jawa Tengah": {3: 1, 2: 2, 1: 1, 0: 3},
                           "Aceh": {None: 2},  # nothing classified: left out
                           "Banten": {2: 1}})
    assert [name for name, _c in rows] == ["Jawa Tengah", "Bali", "Banten"]
    assert rows[0][1] == (1, 2, 1, 3)
    # labels of close thresholds are moved apart, as little as needed, inside the plot
    assert spread_labels([(100, 160), (110, 170), (300, 360)], 0, 500) == [
        (100, 160), (164, 224), (300, 360)]
    assert spread_labels([(450, 490), (455, 495)], 0, 500) == [(416, 456), (460, 500)]
    assert spread_labels([(0, 300), (10, 310)], 0, 500) is None  # cannot fit side by side


# -- chart widgets ------------------------------------------------------------------------


def _near(colour: QColor, target: QColor, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in ((colour.red(), target.red()),
                                                    (colour.green(), target.green()),
                                                    (colour.blue(), target.blue())))


def test_distribution_chart_draws_the_threshold_lines_where_the_helper_says(
        qtbot, tmp_path: Path) -> None:
    chart = DistributionChart()
    qtbot.addWidget(chart)
    chart.set_data([("Batik", [52.0, 66.1, 81.5, 93.0]), ("Gerabah", [44.0, 70.0])],
                   (85, 70, 55), {"Gerabah": 1})
    assert not chart.is_empty
    width, height = 900, round(chart.preferred_height(900))
    path = chart.render_png(tmp_path / "dist.png", (width, height), scale=1.0)
    image = QImage(str(path))
    assert image.width() == width and image.height() == height
    marks = chart.threshold_positions(width, height)
    f = chart.fonts()
    left, plot_w, _top, _bottom = chart.layout(
        chart.body_rect(QRectF(0, 0, width, height), f), f)
    assert marks == threshold_marks((85, 70, 55), left, plot_w)
    assert [label for label, _x in marks] == ["3★", "2★", "1★"]
    assert marks[0][1] > marks[1][1] > marks[2][1] > left

    def red_in_column(x: float) -> bool:
        return any(_near(image.pixelColor(round(x), y), THRESHOLD) for y in range(height))

    assert all(red_in_column(x) for _label, x in marks)
    # and nothing at 80, the default: the lines follow the round's thresholds
    assert not red_in_column(left + 0.8 * plot_w)


@pytest.mark.parametrize("size", [(320, 200), (1600, 900), (500, 2000)])
def test_charts_paint_at_any_size_and_say_when_empty(qtbot, tmp_path: Path, english: None,
                                                     size: tuple[int, int]) -> None:
    charts = [DistributionChart(), OffsetChart(), ProvinceStarsChart()]
    for chart in charts:
        qtbot.addWidget(chart)
        assert chart.is_empty and "No results yet" in chart.empty_text()
        assert chart.render_png(tmp_path / "empty.png", size).stat().st_size > 0
    charts[0].set_data([("Batik", [70.0] * 30)], (80, 65, 50))
    charts[1].set_data([("A", 3.5), ("B", -2.0), ("C", 0.0)], ["D"])
    charts[2].set_data({"Bali": {3: 2, 2: 1, 1: 0, 0: 4}})
    for i, chart in enumerate(charts):
        assert not chart.is_empty
        chart.resize(*size)
        chart.show()
        qtbot.waitExposed(chart)
        assert not chart.grab().isNull()
        image = QImage(str(chart.render_png(tmp_path / f"chart{i}.png", size, scale=2.0)))
        assert (image.width(), image.height()) == (size[0] * 2, size[1] * 2)
    assert "D" in charts[1].not_estimable_text()
    assert "Not estimable" in charts[1].not_estimable_text()


# -- the tabs over real results ----------------------------------------------------------


def _tabs(qtbot, ctx: AppContext) -> dict[str, object]:
    tabs = make_tabs(ctx, ctx.tasks)
    for _title, widget in tabs:
        qtbot.addWidget(widget)
    return dict(tabs)


def test_make_tabs_gives_four_tabs_that_take_a_report(qtbot, ctx: AppContext,
                                                      english: None) -> None:
    tabs = _tabs(qtbot, ctx)
    assert list(tabs) == ["Charts", "Reliability", "Re-evaluation", "Go Global"]
    assert [type(w) for w in tabs.values()] == [ChartsTab, ReliabilityTab, ReevaluationTab,
                                                GoGlobalTab]
    assert all(callable(getattr(w, "show_report", None)) for w in tabs.values())


def test_charts_tab_shows_the_report(qtbot, ctx: AppContext, scored: Scored,
                                     english: None) -> None:
    tab = ChartsTab()
    qtbot.addWidget(tab)
    tab.show_report(scored.report)
    results = scored.report.results.candidates
    by_label = dict(tab.distribution.series)
    batik = Commodity.KAIN_BATIK.label
    assert sorted(by_label[batik]) == sorted(
        r.total for r in results if r.commodity == "kain_batik" and r.star is not None)
    assert tab.distribution.incomplete == {batik: 1}  # the re-evaluation with one assessor
    assert tab.distribution.thresholds == (80, 65, 50)
    names = [n for n, _o in tab.offsets.offsets]
    assert len(names) == 3 and tab.offsets.offsets[0][1] > 0 > tab.offsets.offsets[-1][1]
    assert tab.offsets.not_estimable == ["Hendra Gunawan"]
    classified = sum(1 for r in results if r.star is not None)
    assert sum(sum(c) for _n, c in tab.provinces.rows) == classified
    assert f"{classified} of {len(results)} candidates classified" in tab.summary.text()


def test_reevaluation_tab_counts_each_change(qtbot, ctx: AppContext, scored: Scored,
                                            english: None) -> None:
    tab = ReevaluationTab()
    qtbot.addWidget(tab)
    tab.show_report(scored.report)
    earlier = [r for r in scored.report.results.candidates if r.previous_star]
    expected = Counter(r.change.value if r.change else "incomplete" for r in earlier)
    assert tab.model.rowCount() == len(earlier) == 5
    assert {k: v for k, v in tab.counts.items() if v} == dict(expected)
    assert tab.counts["incomplete"] == 1
    assert {state: int(label.text()) for state, label in tab.figures.items()} == tab.counts
    lonely = scored.ids["lonely"][0]
    row = next(i for i in range(tab.model.rowCount())
               if tab.model.row_object(i).result.candidate_id == lonely)
    change = tab.model.index(row, results_tabs.COL_CHANGE)
    assert "not yet complete" in change.data()
    assert tab.model.index(row, 5).data() == "—"  # no new star yet
    assert tab.stack.currentWidget() is tab.table


def test_reliability_tab_computes_on_a_worker_per_commodity_and_criterion(
        qtbot, ctx: AppContext, scored: Scored, english: None) -> None:
    tab = ReliabilityTab(ctx, ctx.tasks)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=20_000):
        tab.show_report(scored.report)
    assert tab.stack.currentWidget() is tab.table
    expected = ctx.workspace.results.reliability(scored.report).rows
    assert tab.model.rowCount() == len(expected)
    lines = tab.model.rows()
    whole = [line for line in lines if line.whole]
    assert [line.commodity for line in whole] == [
        Commodity(c.commodity.value).label for c in scored.report.round.commodities]
    batik = next(i for i, line in enumerate(lines)
                 if line.whole and line.commodity == Commodity.KAIN_BATIK.label)
    assert tab.model.index(batik, 1).data() == "Whole commodity"
    assert tab.model.index(batik, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert int(tab.model.index(batik, 2).data()) > 0  # units
    assert tab.model.index(batik, 7).data() == "3"  # k assessors behind the ICC
    criterion = lines[batik + 1]
    assert not criterion.whole and tab.model.index(batik + 1, 5).data() == "—"
    # one commodity at a time
    tab.commodity.setCurrentIndex(tab.commodity.findData(Commodity.KAIN_BATIK.label))
    shown = [tab.proxy.index(r, 0).data(ROW_ROLE) for r in range(tab.proxy.rowCount())]
    assert shown and all(line.commodity == Commodity.KAIN_BATIK.label for line in shown)
    assert len(shown) == 1 + len(list(scored.report.rubrics["kain_batik"].criteria()))
    tab.commodity.setCurrentIndex(0)  # all commodities
    assert tab.proxy.rowCount() == len(expected)


def test_reliability_tab_formats_figures_and_says_what_is_missing(
        qtbot, ctx: AppContext, scored: Scored, english: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    tab = ReliabilityTab(ctx, ctx.tasks)
    qtbot.addWidget(tab)
    results = ctx.workspace.results
    monkeypatch.setattr(results, "reliability", None)  # a build without it
    tab.show_report(scored.report)
    assert tab.stack.currentWidget() is tab.message
    assert "not available" in tab.message.text()

    @dataclass(frozen=True)
    class Row:
        commodity: str
        criterion_id: str
        units: int
        alpha_ordinal: float | None
        alpha_interval: float | None
        icc1: float | None
        icc1k: float | None
        k: int
        band: str

    @dataclass(frozen=True)
    class Report:
        rows: tuple[Row, ...]

    rubric = scored.report.rubrics["kain_batik"]
    first = next(c for _a, c in rubric.criteria())
    fake = Report((Row("kain_batik", "", 40, 0.81234, 0.79, 0.5, 0.75, 3, "reliable"),
                   Row("kain_batik", first.id, 4, None, None, None, None, 0,
                       "not estimable")))
    monkeypatch.setattr(results, "reliability", lambda report: fake)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show_report(scored.report)
    assert tab.stack.currentWidget() is tab.table and tab.model.rowCount() == 2
    whole = [tab.model.index(0, c).data() for c in range(tab.model.columnCount())]
    assert whole == ["Batik cloth", "Whole commodity", "40", "0.812", "0.790", "0.500",
                     "0.750", "3", "reliable"]
    assert tab.model.index(1, 1).data().startswith(first.id)
    assert tab.model.index(1, 3).data() == "not estimable"
    tab.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # numeric; not estimable first
    assert tab.proxy.index(0, 3).data() == "not estimable"

    def broken(report: ResultsReport) -> None:
        raise UserFacingError("Too few scores.")

    monkeypatch.setattr(results, "reliability", broken)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show_report(scored.report)
    assert "Too few scores." in tab.message.text()


def _open_go_global(qtbot, ctx: AppContext, scored: Scored) -> GoGlobalTab:
    tab = GoGlobalTab(ctx, ctx.tasks)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show_report(scored.report)
    return tab


def test_go_global_selected_and_note_are_stored_at_once(qtbot, ctx: AppContext,
                                                        scored: Scored, english: None,
                                                        qtmodeltester) -> None:
    tab = _open_go_global(qtbot, ctx, scored)
    qtmodeltester.check(tab.proxy)
    expected = [r for r in scored.report.results.candidates if r.star in (2, 3)]
    assert tab.model.rowCount() == len(expected) > 0
    assert f"{len(expected)} candidates on the shortlist" in tab.count.text()
    model, service = tab.model, ctx.workspace.results
    first = model.row_object(0)
    cid = first.result.candidate_id
    # tick "Selected" in the list
    assert model.setData(model.index(0, COL_SELECTED), Qt.CheckState.Checked.value,
                         Qt.ItemDataRole.CheckStateRole)
    stored = {e.result.candidate_id: e for e in service.shortlist(scored.panel.round_id)}
    assert stored[cid].selected and stored[cid].note == ""
    assert model.index(0, COL_SELECTED).data(Qt.ItemDataRole.CheckStateRole) \
        == Qt.CheckState.Checked
    assert "1 selected" in tab.count.text()
    # write the note in place
    assert model.setData(model.index(0, COL_NOTE), "  Siap pameran; perlu SVLK  ")
    stored = {e.result.candidate_id: e for e in service.shortlist(scored.panel.round_id)}
    assert stored[cid].note == "Siap pameran; perlu SVLK" and stored[cid].selected
    assert model.index(0, COL_NOTE).data() == "Siap pameran; perlu SVLK"
    # a note too long: refused readably, nothing changes
    assert not model.setData(model.index(0, COL_NOTE), "x" * 5000)
    assert tab.problem.isVisibleTo(tab) and "too long" in tab.problem.text()
    stored = {e.result.candidate_id: e for e in service.shortlist(scored.panel.round_id)}
    assert stored[cid].note == "Siap pameran; perlu SVLK"
    # the side editor: choose a row, untick, write a longer note
    assert tab.select(cid)
    panel = tab.panel
    assert panel.entry.result.candidate_id == cid and panel.selected.isChecked()
    panel.selected.setChecked(False)
    assert not tab.problem.isVisibleTo(tab)  # the next good save clears the message
    panel.note.setPlainText("Baris pertama\nBaris kedua")
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    stored = {e.result.candidate_id: e for e in service.shortlist(scored.panel.round_id)}
    assert not stored[cid].selected and stored[cid].note == "Baris pertama\nBaris kedua"
    assert not panel.save_button.isEnabled()
    assert panel.changed.text().startswith(
        f"Last changed by {ctx.workspace.profile.actor()}")
    # read back from the service when the tab is shown again
    tab2 = _open_go_global(qtbot, ctx, scored)
    entry = next(tab2.model.row_object(i) for i in range(tab2.model.rowCount())
                 if tab2.model.row_object(i).result.candidate_id == cid)
    assert not entry.selected and entry.note == "Baris pertama\nBaris kedua"


def test_go_global_list_sorts_by_numbers_and_filters_the_selected(
        qtbot, ctx: AppContext, scored: Scored) -> None:
    tab = _open_go_global(qtbot, ctx, scored)
    tab.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)  # total
    totals = [tab.proxy.index(r, 0).data(ROW_ROLE).result.total
              for r in range(tab.proxy.rowCount())]
    assert totals == sorted(totals)
    model = tab.model
    last = model.rowCount() - 1
    assert model.setData(model.index(last, COL_SELECTED), Qt.CheckState.Checked.value,
                         Qt.ItemDataRole.CheckStateRole)
    tab.only_selected.setChecked(True)
    shown = {tab.proxy.index(r, 0).data(ROW_ROLE).result.candidate_id
             for r in range(tab.proxy.rowCount())}
    assert model.row_object(last).result.candidate_id in shown
    assert all(model.row_object(i).selected for i in range(model.rowCount())
               if model.row_object(i).result.candidate_id in shown)


def test_go_global_export_runs_on_a_worker(qtbot, ctx: AppContext, scored: Scored,
                                           tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    infos: list[str] = []
    monkeypatch.setattr(go_global_tab, "show_info", lambda _p, _t, text: infos.append(text))
    monkeypatch.setattr(go_global_tab, "show_error", lambda _p, exc, *a: pytest.fail(str(exc)))
    target = tmp_path / "go-global.csv"
    monkeypatch.setattr(go_global_tab, "ask_table_path", lambda *a: target)
    tab = _open_go_global(qtbot, ctx, scored)
    assert tab.export_button.isEnabled()
    tab.export_button.click()
    assert not tab.export_button.isEnabled()  # until the worker is done
    qtbot.waitUntil(lambda: bool(infos), timeout=10_000)
    assert str(target) in infos[0] and tab.export_button.isEnabled()
    text = target.read_text(encoding="utf-8-sig")
    assert all(e.facts.name in text for e in tab.model.rows())


def test_go_global_export_failure_is_shown(qtbot, ctx: AppContext, scored: Scored,
                                          tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[BaseException] = []
    monkeypatch.setattr(go_global_tab, "show_error", lambda _p, exc, *a: errors.append(exc))
    monkeypatch.setattr(go_global_tab, "ask_table_path", lambda *a: tmp_path / "x.xlsx")

    def refuse(round_id: int, path: Path) -> None:
        raise UserFacingError("The file is open in another program.")

    monkeypatch.setattr(ctx.workspace.results, "export_shortlist", refuse)
    tab = _open_go_global(qtbot, ctx, scored)
    tab.export_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "another program" in str(errors[0]) and tab.export_button.isEnabled()
