"""The Results page's analysis tabs: charts, reliability, re-evaluation, and Go Global
(go_global_tab.py).

The Results page owns the report (computed once on a worker) and hands it to every tab
through `show_report`; only the reliability report and the shortlist's curation state are
read again, on the task runner, because they are not part of the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain import reliability as rel
from ovop_desktop.domain.results import Change
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.models.table import Column, Index, RowTableModel
from ovop_desktop.ui.views.go_global_tab import GoGlobalTab
from ovop_desktop.ui.views.results_charts import (
    DistributionChart,
    OffsetChart,
    ProvinceStarsChart,
    number,
)
from ovop_desktop.ui.views.results_common import (
    CENTRE,
    DASH,
    RIGHT,
    commodity_label,
    error_text,
    sort_number,
    star_text,
    total_text,
)
from ovop_desktop.ui.views.tables import (
    RowFilter,
    enable_sorting,
    hint_label,
    sorted_proxy,
    table_view,
)
from ovop_desktop.ui.workers import ServiceTask, TaskRunner

if TYPE_CHECKING:  # the services pull in SQLAlchemy; the types are enough here
    from ovop_desktop.domain.results import CandidateResult
    from ovop_desktop.services.results import CandidateFacts, ResultsReport

INCOMPLETE = "incomplete"  # the re-evaluation state of a candidate not yet classified


def make_tabs(ctx: AppContext, runner: TaskRunner,
              parent: QWidget | None = None) -> list[tuple[str, QWidget]]:
    """[(translated tab title, widget)] — each widget has .show_report(report)."""
    return [(_("Charts"), ChartsTab(parent)),
            (_("Reliability"), ReliabilityTab(ctx, runner, parent)),
            (_("Re-evaluation"), ReevaluationTab(parent)),
            (_("Go Global"), GoGlobalTab(ctx, runner, parent))]


# -- Grafik ---------------------------------------------------------------------------------


def distribution_data(report: ResultsReport
                      ) -> tuple[list[tuple[str, list[float]]], dict[str, int]]:
    """Per commodity of the round (in its order) the totals of the classified candidates,
    and how many candidates are not classified yet."""
    totals: dict[str, list[float]] = {}
    waiting: Counter[str] = Counter()
    for r in report.results.candidates:
        if r.star is not None and r.total is not None:
            totals.setdefault(r.commodity, []).append(r.total)
        else:
            waiting[r.commodity] += 1
    order = [c.commodity.value for c in report.round.commodities]
    present = [c for c in order if c in totals or c in waiting]
    present += sorted((set(totals) | set(waiting)) - set(order))
    series = [(commodity_label(c), totals.get(c, [])) for c in present]
    return series, {commodity_label(c): n for c, n in waiting.items()}


def offset_data(report: ResultsReport) -> tuple[list[tuple[str, float]], list[str]]:
    """(name, offset) of the estimable assessors, and the names of the others."""
    def name(assessor_id: int) -> str:
        facts = report.assessors.get(assessor_id)
        return facts.name if facts else f"#{assessor_id}"

    stats = report.results.assessors
    return ([(name(a.assessor_id), a.offset) for a in stats if a.offset is not None],
            [name(a.assessor_id) for a in stats if a.offset is None])


def province_data(report: ResultsReport) -> dict[str, dict[int | None, int]]:
    """Province name → {3: n, 2: n, 1: n, 0: n, None: incomplete}."""
    out: dict[str, dict[int | None, int]] = {}
    for r in report.results.candidates:
        facts = report.candidates.get(r.candidate_id)
        key = facts.province if facts else r.province
        bucket = out.setdefault(key or _("(unknown province)"),
                                {3: 0, 2: 0, 1: 0, 0: 0, None: 0})
        bucket[r.star] += 1
    return out


class ChartsTab(QScrollArea):
    """The three charts one under the other, scrolled when the window is short."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsChartsTab")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.summary = hint_label(name="chartsSummary")
        self.distribution = DistributionChart()
        self.offsets = OffsetChart()
        self.provinces = ProvinceStarsChart()
        body = QWidget(objectName="chartsBody")
        layout = QVBoxLayout(body)
        layout.addWidget(self.summary)
        for chart in self.charts():
            layout.addWidget(chart)
        layout.addStretch(1)
        self.setWidget(body)

    def charts(self) -> tuple[DistributionChart, OffsetChart, ProvinceStarsChart]:
        return self.distribution, self.offsets, self.provinces

    def show_report(self, report: ResultsReport) -> None:
        t = report.round.thresholds
        results = report.results.candidates
        classified = sum(1 for r in results if r.star is not None)
        self.summary.setText(
            _("{classified} of {total} candidates classified.").format(
                classified=classified, total=len(results)) + " "
            + _("Star thresholds: 3★ ≥ {a}, 2★ ≥ {b}, 1★ ≥ {c}").format(
                a=t.three, b=t.two, c=t.one))
        series, waiting = distribution_data(report)
        self.distribution.set_data(series, (t.three, t.two, t.one), waiting)
        self.offsets.set_data(*offset_data(report))
        self.provinces.set_data(province_data(report))


# -- Reliabilitas ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReliabilityLine:
    commodity: str   # label
    criterion: str   # name, or "whole commodity"
    whole: bool
    units: int
    alpha_ordinal: float | None
    alpha_interval: float | None
    icc1: float | None
    icc1k: float | None
    k: int           # assessors per candidate behind the ICC (0: none)
    band: str        # interpretation of the ordinal alpha


def reliability_lines(report: ResultsReport, reliability: Any) -> list[ReliabilityLine]:
    """The service's ReliabilityReport as table lines, the criteria named in the UI language."""
    language = current_language()
    out = []
    for row in reliability.rows:
        whole = not row.criterion_id
        out.append(ReliabilityLine(
            commodity_label(row.commodity),
            _("Whole commodity") if whole else
            f"{row.criterion_id} · "
            f"{report.criterion_name(row.commodity, row.criterion_id, language)}",
            whole, int(row.units), row.alpha_ordinal, row.alpha_interval, row.icc1, row.icc1k,
            int(getattr(row, "k", 0) or 0), row.band))
    return out


def _coefficient(value: float | None) -> str:
    return _(rel.NOT_ESTIMABLE) if value is None else number(value, 3)


_GOOD_BANDS = (rel.ALPHA_RELIABLE, rel.ICC_GOOD, rel.ICC_EXCELLENT)
_FAIR_BANDS = (rel.ALPHA_TENTATIVE, rel.ICC_MODERATE)
_POOR_BANDS = (rel.ALPHA_UNRELIABLE, rel.ICC_POOR)


def band_colour(band: str) -> QColor | None:
    """Green / amber / red for the interpretation band (already translated by the service)."""
    for bands, colour in ((_GOOD_BANDS, "#1a7f37"), (_FAIR_BANDS, "#9a6700"),
                          (_POOR_BANDS, "#b3261e")):
        if band in {_(b) for b in bands} or band in bands:
            return QColor(colour)
    return None


def _icc_text(line: ReliabilityLine, value: float | None) -> str:
    # The ICC is computed on the assessors' own totals: per commodity, not per criterion.
    return _coefficient(value) if line.whole else DASH


COL_BAND = 8


class ReliabilityModel(RowTableModel[ReliabilityLine]):
    def __init__(self, parent: Any = None) -> None:
        def alpha(header: Callable[[], str],
                  value: Callable[[ReliabilityLine], float | None]) -> Column[ReliabilityLine]:
            return Column(header, lambda r: _coefficient(value(r)),
                          sort=lambda r: sort_number(value(r)), align=RIGHT)

        def icc(header: Callable[[], str],
                value: Callable[[ReliabilityLine], float | None]) -> Column[ReliabilityLine]:
            return Column(header, lambda r: _icc_text(r, value(r)),
                          sort=lambda r: sort_number(value(r)), align=RIGHT)

        super().__init__([
            Column(lambda: _("Commodity"), lambda r: r.commodity),
            Column(lambda: _("Criterion"), lambda r: r.criterion),
            Column(lambda: _("Units"), lambda r: str(r.units), sort=lambda r: r.units,
                   align=RIGHT),
            alpha(lambda: _("Alpha (ordinal)"), lambda r: r.alpha_ordinal),
            alpha(lambda: _("Alpha (interval)"), lambda r: r.alpha_interval),
            icc(lambda: "ICC(1,1)", lambda r: r.icc1),
            icc(lambda: "ICC(1,k)", lambda r: r.icc1k),
            Column(lambda: "k", lambda r: str(r.k) if r.k else DASH, sort=lambda r: r.k,
                   align=RIGHT),
            Column(lambda: _("Interpretation (ordinal alpha)"), lambda r: r.band),
        ], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            line = self.row_object(index.row())
            if role == Qt.ItemDataRole.FontRole and line.whole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole and line.whole:
                return QColor("#e8eef5")
            if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_BAND:
                return band_colour(line.band)
        return super().data(index, role)


class ReliabilityTab(QWidget):
    """loaded() — the reliability report is shown (or why it is not)."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsReliabilityTab")
        self._ctx, self._runner = ctx, runner
        self._generation = 0
        self.model = ReliabilityModel(self)
        self.proxy = RowFilter(lambda line: line.commodity, self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view("reliabilityTable", self.proxy)
        self.commodity = QComboBox(objectName="reliabilityCommodity")
        self.commodity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.commodity.currentIndexChanged.connect(
            lambda _i: self.proxy.set_value(self.commodity.currentData()))
        enable_sorting(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.message = hint_label(name="reliabilityMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(objectName="reliabilityStack")
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.table)
        self.explanation = hint_label(_(
            "Agreement between the assessors, per commodity (bold) and per criterion. Units: "
            "candidate × criterion pairs with levels from at least two assessors. "
            "Krippendorff's alpha: ≥ 0.800 reliable, 0.667–0.800 tentative conclusions only, "
            "below that unreliable. ICC(1,1) and ICC(1,k) on the assessors' own totals, k "
            "assessors per candidate (Koo & Li: below 0.50 poor, 0.50–0.75 moderate, "
            "0.75–0.90 good, above 0.90 excellent)."), "reliabilityExplanation")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Commodity")))
        top.addWidget(self.commodity)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self._fill_commodities([])
        self._say(_("No results yet."))

    def _fill_commodities(self, labels: list[str]) -> None:
        chosen = self.commodity.currentData()
        self.commodity.blockSignals(True)
        self.commodity.clear()
        self.commodity.addItem(_("All commodities"), None)
        for label in labels:
            self.commodity.addItem(label, label)
        index = self.commodity.findData(chosen) if chosen is not None else 0
        self.commodity.setCurrentIndex(max(0, index))
        self.commodity.blockSignals(False)
        self.proxy.set_value(self.commodity.currentData())

    @property
    def available(self) -> bool:
        return callable(getattr(self._ctx.workspace.results, "reliability", None))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_report(self, report: ResultsReport) -> None:
        self._generation += 1
        generation = self._generation
        self.model.set_rows([])
        if not self.available:
            self._say(_("The reliability report is not available in this version yet."))
            return
        compute = self._ctx.workspace.results.reliability
        self._say(_("Computing the reliability report…"))
        self._runner.start(ServiceTask(partial(compute, report)),
                           lambda result: self._on_finished(generation, report, result),
                           lambda exc: self._on_failed(generation, exc))

    def _on_finished(self, generation: int, report: ResultsReport, result: Any) -> None:
        if generation != self._generation:
            return  # a newer report is on its way
        lines = reliability_lines(report, result)
        self.model.set_rows(lines)
        self._fill_commodities(list(dict.fromkeys(line.commodity for line in lines)))
        if lines:
            self.stack.setCurrentWidget(self.table)
        else:
            self._say(_("No reliability figures yet: they need at least two assessors' "
                        "levels on the same candidates."))
        self.loaded.emit()

    def _on_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._say(_("The reliability report could not be computed.") + "\n"
                      + error_text(exc))
            self.loaded.emit()


# -- Evaluasi ulang -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReevalLine:
    result: CandidateResult
    facts: CandidateFacts

    @property
    def state(self) -> str:
        """naik / tetap / turun / lepas, or "incomplete" while not classified."""
        return self.result.change.value if self.result.change else INCOMPLETE


CHANGE_COLOURS: dict[str, tuple[str, str | None]] = {  # foreground, background
    Change.UP.value: ("#1a7f37", "#e3f4e8"),
    Change.SAME.value: ("#3b3b3b", None),
    Change.DOWN.value: ("#8a4b00", "#fff0dc"),
    Change.LOST.value: ("#b3261e", "#fde4e2"),
    INCOMPLETE: ("#6b6b6b", None),
}
_MARKS = {Change.UP.value: "▲", Change.SAME.value: "=", Change.DOWN.value: "▼",
          Change.LOST.value: "✕", INCOMPLETE: "…"}
STATES = (Change.UP.value, Change.SAME.value, Change.DOWN.value, Change.LOST.value, INCOMPLETE)


def state_label(state: str) -> str:
    return _("not yet complete") if state == INCOMPLETE else Change(state).label


def reeval_counts(lines: Sequence[ReevalLine]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for line in lines:
        counts[line.state] += 1
    return counts


COL_TOTAL, COL_CHANGE = 6, 7


class ReevaluationModel(RowTableModel[ReevalLine]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column(lambda: _("Name"), lambda r: r.facts.name),
            Column(lambda: _("Commodity"), lambda r: commodity_label(r.result.commodity)),
            Column(lambda: _("Kabupaten/kota"), lambda r: r.facts.regency),
            Column(lambda: _("Province"), lambda r: r.facts.province),
            Column(lambda: _("Previous star"), lambda r: star_text(r.result.previous_star),
                   sort=lambda r: sort_number(r.result.previous_star), align=CENTRE),
            Column(lambda: _("New star"), lambda r: star_text(r.result.star),
                   sort=lambda r: sort_number(r.result.star), align=CENTRE),
            Column(lambda: _("Total"), lambda r: total_text(r.result.total),
                   sort=lambda r: sort_number(r.result.total), align=RIGHT),
            Column(lambda: _("Star change"),
                   lambda r: f"{_MARKS[r.state]} {state_label(r.state)}",
                   sort=lambda r: STATES.index(r.state)),
        ], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (index.isValid() and index.column() == COL_TOTAL
                and role == Qt.ItemDataRole.ForegroundRole
                and 0 <= index.row() < self.rowCount()
                and self.row_object(index.row()).state == INCOMPLETE):
            return QColor(CHANGE_COLOURS[INCOMPLETE][0])  # a total that decides nothing yet
        if (index.isValid() and index.column() == COL_CHANGE
                and 0 <= index.row() < self.rowCount()):
            foreground, background = CHANGE_COLOURS[self.row_object(index.row()).state]
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(foreground)
            if role == Qt.ItemDataRole.BackgroundRole and background:
                return QColor(background)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(self.row_object(index.row()).state != INCOMPLETE)
                font.setItalic(self.row_object(index.row()).state == INCOMPLETE)
                return font
        return super().data(index, role)


class ReevaluationTab(QWidget):
    """Earlier holders: previous star → new star, with the count of each change on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsReevaluationTab")
        self.counts: dict[str, int] = dict.fromkeys(STATES, 0)
        self.figures: dict[str, QLabel] = {}
        cards = QHBoxLayout()
        for state in STATES:
            cards.addWidget(self._card(state))
        cards.addStretch(1)
        self.model = ReevaluationModel(self)
        self.proxy = sorted_proxy(self.model, self, dynamic=False)
        self.table = table_view("reevaluationTable", self.proxy)
        enable_sorting(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = hint_label(name="reevaluationNote")
        self.empty = hint_label(_("No earlier holders are re-evaluated in this round."),
                           "reevaluationEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(objectName="reevaluationStack")
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.addLayout(cards)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)

    def _card(self, state: str) -> QFrame:
        frame = QFrame(objectName=f"reevalCard_{state}")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        foreground, _background = CHANGE_COLOURS[state]
        value = QLabel("0", objectName=f"reevalCount_{state}")
        value.setStyleSheet(f"font-size: 22px; font-weight: 600; color: {foreground};")
        self.figures[state] = value
        grid = QGridLayout(frame)
        grid.addWidget(value, 0, 0)
        grid.addWidget(QLabel(f"{_MARKS[state]} {state_label(state)}"), 1, 0)
        return frame

    def show_report(self, report: ResultsReport) -> None:
        lines = [ReevalLine(r, report.candidates[r.candidate_id]) for r in report.rows()
                 if r.previous_star and r.candidate_id in report.candidates]
        self.model.set_rows(lines)
        self.counts = reeval_counts(lines)
        for state, label in self.figures.items():
            label.setText(str(self.counts[state]))
        self.note.setText(_("{n} earlier holders re-evaluated; the change compares the star "
                            "they held with the star of this round.").format(n=len(lines)))
        self.stack.setCurrentWidget(self.table if lines else self.empty)
