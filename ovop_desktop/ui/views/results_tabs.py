"""The Results page's analysis tabs: charts, reliability, re-evaluation, Go Global.

The Results page owns the report (computed once on a worker) and hands it to every tab
through `show_report`; only the reliability report and the shortlist's curation state are
read again, on the task runner, because they are not part of the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain import reliability as rel
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.results import Change
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.file_choice import ask_table_path
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, Column, Index, RowTableModel
from ovop_desktop.ui.views.results_charts import (
    DistributionChart,
    OffsetChart,
    ProvinceStarsChart,
    number,
)
from ovop_desktop.ui.workers import ServiceTask, TaskRunner

if TYPE_CHECKING:  # the services pull in SQLAlchemy; the types are enough here
    from ovop_desktop.domain.results import CandidateResult
    from ovop_desktop.services.results import CandidateFacts, ResultsReport, ShortlistEntry

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter
DASH = "—"
INCOMPLETE = "incomplete"  # the re-evaluation state of a candidate not yet classified


def make_tabs(ctx: AppContext, runner: TaskRunner,
              parent: QWidget | None = None) -> list[tuple[str, QWidget]]:
    """[(translated tab title, widget)] — each widget has .show_report(report)."""
    return [(_("Charts"), ChartsTab(parent)),
            (_("Reliability"), ReliabilityTab(ctx, runner, parent)),
            (_("Re-evaluation"), ReevaluationTab(parent)),
            (_("Go Global"), GoGlobalTab(ctx, runner, parent))]


# -- small shared pieces --------------------------------------------------------------------


def commodity_label(value: str) -> str:
    try:
        return Commodity(value).label
    except ValueError:
        return value


def star_text(star: int | None) -> str:
    if star is None:
        return DASH
    return _("No star") if star == 0 else f"{star}★"


def total_text(total: float | None) -> str:
    return DASH if total is None else number(total, 1)


def _sort_number(value: float | int | None) -> float:
    return float("-inf") if value is None else float(value)


def error_text(exc: BaseException) -> str:
    """A readable one-paragraph message for an error shown inside a tab."""
    if isinstance(exc, ValidationError) and exc.problems:
        return exc.message + " " + " ".join(exc.problems)
    if isinstance(exc, UserFacingError):
        return exc.message
    return _("Something went wrong inside OVOP Desktop. Your saved data is safe.") + \
        f" ({type(exc).__name__}: {exc})"


def _table(name: str, model: Any) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setWordWrap(False)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _sorted_proxy(model: Any, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(False)  # an edited row stays where it is until re-sorted
    return proxy


class RowFilter(QSortFilterProxyModel):
    """Sorts by SORT_ROLE; shows the rows whose `key(row)` equals the chosen value (None:
    every row). An edited row stays where it is until the user sorts or filters again."""

    def __init__(self, key: Callable[[Any], object], parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self._key = key
        self.value: object = None

    def set_value(self, value: object) -> None:
        if value == self.value:
            return
        self.beginFilterChange()
        self.value = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self.value is None:
            return True
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        return row is not None and self._key(row) == self.value


def _enable_sorting(table: QTableView) -> None:
    """Sortable by a header click, but first shown in the order the service gave."""
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)


def _hint(text: str = "", name: str = "hint") -> QLabel:
    label = QLabel(text, objectName=name)
    label.setWordWrap(True)
    return label


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
        self.summary = _hint(name="chartsSummary")
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
                          sort=lambda r: _sort_number(value(r)), align=RIGHT)

        def icc(header: Callable[[], str],
                value: Callable[[ReliabilityLine], float | None]) -> Column[ReliabilityLine]:
            return Column(header, lambda r: _icc_text(r, value(r)),
                          sort=lambda r: _sort_number(value(r)), align=RIGHT)

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
        self.table = _table("reliabilityTable", self.proxy)
        self.commodity = QComboBox(objectName="reliabilityCommodity")
        self.commodity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.commodity.currentIndexChanged.connect(
            lambda _i: self.proxy.set_value(self.commodity.currentData()))
        _enable_sorting(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.message = _hint(name="reliabilityMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(objectName="reliabilityStack")
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.table)
        self.explanation = _hint(_(
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
                   sort=lambda r: _sort_number(r.result.previous_star), align=CENTRE),
            Column(lambda: _("New star"), lambda r: star_text(r.result.star),
                   sort=lambda r: _sort_number(r.result.star), align=CENTRE),
            Column(lambda: _("Total"), lambda r: total_text(r.result.total),
                   sort=lambda r: _sort_number(r.result.total), align=RIGHT),
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
        self.proxy = _sorted_proxy(self.model, self)
        self.table = _table("reevaluationTable", self.proxy)
        _enable_sorting(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = _hint(name="reevaluationNote")
        self.empty = _hint(_("No earlier holders are re-evaluated in this round."),
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


# -- Go Global ------------------------------------------------------------------------------


def documents_text(codes: str, sep: str = "; ") -> str:
    labels = []
    for code in (c.strip() for c in codes.split(",")):
        if code:
            try:
                labels.append(Document(code).label)
            except ValueError:
                labels.append(code)
    return sep.join(labels)


def when_text(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


COL_SELECTED, COL_NOTE = 0, 12
_LONG_TEXT = {7, 9, 10, 11, 12}  # columns whose full text is in the tooltip

Save = Callable[["ShortlistEntry", bool, str], "ShortlistEntry | None"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ShortlistModel(RowTableModel["ShortlistEntry"]):
    """The Go Global shortlist; "selected" and the note are edited in place and saved at
    once through `save`, which returns the stored entry (or None: nothing changed)."""

    def __init__(self, save: Save, parent: Any = None) -> None:
        def workforce(e: ShortlistEntry) -> str:
            return DASH if e.facts.workforce is None else str(e.facts.workforce)

        super().__init__([
            Column(lambda: _("Selected"), lambda e: "", sort=lambda e: int(e.selected),
                   align=CENTRE),
            Column(lambda: _("Name"), lambda e: e.facts.name),
            Column(lambda: _("Commodity"), lambda e: commodity_label(e.result.commodity)),
            Column(lambda: _("Kabupaten/kota"), lambda e: e.facts.regency),
            Column(lambda: _("Province"), lambda e: e.facts.province),
            Column(lambda: _("Star"), lambda e: star_text(e.result.star),
                   sort=lambda e: _sort_number(e.result.star), align=CENTRE),
            Column(lambda: _("Total"), lambda e: total_text(e.result.total),
                   sort=lambda e: _sort_number(e.result.total), align=RIGHT),
            Column(lambda: _("Production capacity"), lambda e: _one_line(e.facts.capacity)),
            Column(lambda: _("Workforce"), workforce,
                   sort=lambda e: _sort_number(e.facts.workforce), align=RIGHT),
            Column(lambda: _("Export history"), lambda e: _one_line(e.facts.export_history)),
            Column(lambda: _("Certifications and documents"),
                   lambda e: documents_text(e.facts.documents)),
            Column(lambda: _("Markets"), lambda e: _one_line(e.facts.markets)),
            Column(lambda: _("Curation note"), lambda e: _one_line(e.note)),
        ], parent)
        self._save = save

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, e in enumerate(self._rows)
                     if e.result.candidate_id == candidate_id), -1)

    def replace_entry(self, entry: ShortlistEntry) -> None:
        row = self.row_of(entry.result.candidate_id)
        if row >= 0:
            self._rows[row] = entry
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == COL_SELECTED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() == COL_NOTE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            entry = self.row_object(index.row())
            column = index.column()
            if column == COL_SELECTED and role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if entry.selected else Qt.CheckState.Unchecked
            if column == COL_SELECTED and role == Qt.ItemDataRole.DisplayRole:
                return None
            if column == COL_NOTE and role == Qt.ItemDataRole.EditRole:
                return entry.note
            if role == Qt.ItemDataRole.ToolTipRole and column in _LONG_TEXT:
                return self._tooltip(entry, column)
        return super().data(index, role)

    @staticmethod
    def _tooltip(entry: ShortlistEntry, column: int) -> str | None:
        text = {7: entry.facts.capacity, 9: entry.facts.export_history,
                10: documents_text(entry.facts.documents, "\n"), 11: entry.facts.markets,
                12: entry.note}[column]
        return text or None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return False
        entry = self.row_object(index.row())
        if index.column() == COL_SELECTED and role == Qt.ItemDataRole.CheckStateRole:
            checked = _check_state(value) == Qt.CheckState.Checked
            if checked == entry.selected:
                return False
            return self._store(entry, checked, entry.note)
        if index.column() == COL_NOTE and role == Qt.ItemDataRole.EditRole:
            note = str(value or "")
            if note.strip() == entry.note:
                return False
            return self._store(entry, entry.selected, note)
        return False

    def _store(self, entry: ShortlistEntry, selected: bool, note: str) -> bool:
        stored = self._save(entry, selected, note)
        if stored is None:
            row = self.row_of(entry.result.candidate_id)  # repaint the old value
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return False
        self.replace_entry(stored)
        return True


def _check_state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    try:
        return Qt.CheckState(int(value))
    except (TypeError, ValueError):
        return Qt.CheckState.Unchecked




class CurationPanel(QWidget):
    """The chosen candidate's curation facts in full, the selected flag and a long note.

    save_requested(selected, note) — the view stores it and calls show_entry again."""

    save_requested = Signal(bool, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curationPanel")
        self.entry: ShortlistEntry | None = None
        self.name = QLabel(objectName="curationName")
        self.name.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.name.setWordWrap(True)
        self.where = _hint(name="curationWhere")
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, caption in (("capacity", _("Production capacity")),
                             ("workforce", _("Workforce")),
                             ("export", _("Export history")),
                             ("documents", _("Certifications and documents")),
                             ("markets", _("Markets"))):
            label = QLabel(objectName=f"curation_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = label
            form.addRow(caption, label)
        self.selected = QCheckBox(_("Selected for the Go Global curation"),
                                  objectName="curationSelected")
        self.selected.toggled.connect(self._on_selected_toggled)
        self.note = QPlainTextEdit(objectName="curationNote")
        self.note.setPlaceholderText(_("Curation note: readiness, missing certificates, "
                                       "target markets…"))
        self.note.textChanged.connect(self._on_note_textChanged)
        self.save_button = QPushButton(_("Save note"), objectName="curationSaveNote")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_note)
        self.changed = _hint(name="curationChanged")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.where)
        layout.addLayout(form)
        layout.addWidget(self.selected)
        layout.addWidget(QLabel(_("Curation note")))
        layout.addWidget(self.note, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.changed)
        self.show_entry(None)

    @property
    def note_dirty(self) -> bool:
        return self.entry is not None and self.note.toPlainText().strip() != self.entry.note

    def show_entry(self, entry: ShortlistEntry | None) -> None:
        self.entry = entry
        self.setEnabled(entry is not None)
        self.selected.blockSignals(True)
        self.note.blockSignals(True)
        try:
            if entry is None:
                self.name.setText(_("Choose a candidate in the list."))
                self.where.clear()
                for label in self.facts.values():
                    label.clear()
                self.selected.setChecked(False)
                self.note.clear()
                self.changed.clear()
            else:
                f, r = entry.facts, entry.result
                self.name.setText(f.name)
                self.where.setText(" · ".join(x for x in (
                    commodity_label(r.commodity), f.regency, f.province,
                    star_text(r.star), _("total {total}").format(total=total_text(r.total)))
                    if x))
                for key, text in (("capacity", f.capacity),
                                  ("workforce", DASH if f.workforce is None
                                   else str(f.workforce)),
                                  ("export", f.export_history),
                                  ("documents", documents_text(f.documents, "\n")),
                                  ("markets", f.markets)):
                    self.facts[key].setText(text or DASH)
                self.selected.setChecked(entry.selected)
                if self.note.toPlainText() != entry.note:
                    self.note.setPlainText(entry.note)
                self.changed.setText(_("Last changed by {who}, {when}").format(
                    who=entry.updated_by, when=when_text(entry.updated_at))
                    if entry.updated_by else "")
        finally:
            self.selected.blockSignals(False)
            self.note.blockSignals(False)
        self.save_button.setEnabled(self.note_dirty)

    def _on_selected_toggled(self, checked: bool) -> None:
        if self.entry is not None:
            self.save_requested.emit(checked, self.entry.note)

    def _on_note_textChanged(self) -> None:
        self.save_button.setEnabled(self.note_dirty)

    def save_note(self) -> None:
        if self.note_dirty and self.entry is not None:
            self.save_requested.emit(self.entry.selected, self.note.toPlainText())


class GoGlobalTab(QWidget):
    """loaded() — the shortlist with its curation state is shown · saved(candidate id)."""

    loaded = Signal()
    saved = Signal(int)

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsGoGlobalTab")
        self._ctx, self._runner = ctx, runner
        self._generation = 0
        self._round_id: int | None = None
        self._year: int | None = None
        self._report: ResultsReport | None = None  # what the printed list is made from
        self.model = ShortlistModel(self._save, self)
        self.model.dataChanged.connect(lambda *_a: self._update_count())
        self.proxy = RowFilter(lambda entry: entry.selected or None, self)
        self.proxy.setSourceModel(self.model)
        self.table = _table("goGlobalTable", self.proxy)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.AnyKeyPressed)
        _enable_sorting(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = {0: 64, 1: 200, 2: 150, 3: 160, 4: 150, 5: 60, 6: 64, 7: 140, 8: 96,
                  9: 160, 10: 200, 11: 160}
        for column, width in widths.items():
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.panel = CurationPanel()
        self.panel.save_requested.connect(self._on_panel_save_requested)
        self.only_selected = QCheckBox(_("Only the selected"), objectName="goGlobalOnlySelected")
        self.only_selected.toggled.connect(self._on_only_selected_toggled)
        self.count = QLabel(objectName="goGlobalCount")
        self.export_button = QPushButton(_("Export…"), objectName="goGlobalExport")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.print_button = QPushButton(_("Print Go Global list…"), objectName="goGlobalPrint")
        self.print_button.setEnabled(False)  # until the shortlist is loaded
        self.print_button.clicked.connect(lambda: self.print_list())
        self.status = _hint(name="goGlobalStatus")
        self.problem = _hint(name="goGlobalProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.only_selected)
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)
        splitter = QSplitter(objectName="goGlobalSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 320])
        layout = QVBoxLayout(self)
        layout.addWidget(_hint(_("Candidates classified 3★ or 2★ go on to the Go Global "
                                 "curation. Tick “Selected” and write the note in the list "
                                 "(double-click the note) or beside it; every change is "
                                 "saved at once.")))
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._update_count()

    # -- loading ------------------------------------------------------------------------

    def show_report(self, report: ResultsReport) -> None:
        self._generation += 1
        generation = self._generation
        self._round_id, self._year = report.round.id, report.round.year
        self._report = report
        self.print_button.setEnabled(False)
        self.export_button.setEnabled(self.can_export)
        self.export_button.setToolTip("" if self.can_export else _(
            "Exporting the shortlist is not available in this version yet."))
        self.status.setText(_("Loading the shortlist…"))
        self._runner.start(
            ServiceTask(self._ctx.workspace.results.shortlist, round_id=report.round.id,
                        report=report),
            lambda entries: self._on_loaded(generation, entries),
            lambda exc: self._on_load_failed(generation, exc))

    @property
    def can_export(self) -> bool:
        return self._round_id is not None and callable(
            getattr(self._ctx.workspace.results, "export_shortlist", None))

    def _on_loaded(self, generation: int, entries: list[ShortlistEntry]) -> None:
        if generation != self._generation:
            return
        current = self.panel.entry.result.candidate_id if self.panel.entry else None
        self.model.set_rows(entries)
        self.print_button.setEnabled(True)
        self.status.clear()
        self._update_count()
        if current is None or not self.select(current):
            self.panel.show_entry(None)
        self.loaded.emit()

    def _on_load_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.status.clear()
            self._show_problem(exc)
            self.loaded.emit()

    def _update_count(self) -> None:
        entries = self.model.rows()
        chosen = sum(1 for e in entries if e.selected)
        self.count.setText(_("{n} candidates on the shortlist (3★ and 2★), {selected} "
                             "selected").format(n=len(entries), selected=chosen))

    # -- choosing and curating -----------------------------------------------------------

    def select(self, candidate_id: int) -> bool:
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(candidate_id), 1))
        if index.isValid():
            self.table.setCurrentIndex(index)
        return index.isValid()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.panel.note_dirty:  # moving on must not lose a note being written
            self.panel.save_note()
        if current.isValid():
            self.panel.show_entry(self.model.row_object(self.proxy.mapToSource(current).row()))

    def _on_panel_save_requested(self, selected: bool, note: str) -> None:
        entry = self.panel.entry
        if entry is None:
            return
        stored = self._save(entry, selected, note)
        if stored is not None:
            self.model.replace_entry(stored)
        else:
            self.panel.show_entry(entry)  # back to what is stored

    def _save(self, entry: ShortlistEntry, selected: bool, note: str) -> ShortlistEntry | None:
        """Store one curation change at once (one short transaction)."""
        ws = self._ctx.workspace
        try:
            ws.results.curate(entry.result.candidate_id, selected, note)
        except Exception as exc:  # shown in the tab; the stored value stays
            self._show_problem(exc)
            return None
        stored = replace(entry, selected=selected, note=note.strip(),
                         updated_by=ws.profile.actor(),
                         updated_at=datetime.now(UTC).isoformat(timespec="seconds"))
        self.problem.hide()
        self.status.setText(_("Saved: {name}").format(name=entry.facts.name))
        if self.panel.entry and self.panel.entry.result.candidate_id == entry.result.candidate_id:
            self.panel.show_entry(stored)
        self.saved.emit(entry.result.candidate_id)
        return stored

    def _show_problem(self, exc: BaseException) -> None:
        self.problem.setText(error_text(exc))
        self.problem.show()

    def _on_only_selected_toggled(self, only: bool) -> None:
        self.proxy.set_value(True if only else None)

    # -- export -------------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        if not self.can_export or self._round_id is None:
            return
        path = ask_table_path(self, _("Export the Go Global shortlist"),
                              f"ovop-go-global-{self._year or ''}.xlsx")
        if path is None:
            return
        self.export(path)

    def export(self, path: Path) -> None:
        """Write the shortlist on a worker (the service decides the format by the suffix)."""
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting the shortlist…"))
        self._runner.start(
            ServiceTask(self._ctx.workspace.results.export_shortlist, round_id=self._round_id,
                        path=path),
            lambda _result: self._on_exported(path), self._on_export_failed)

    def _on_exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(_("The shortlist was saved to {path}.").format(path=path))
        show_info(self, _("Export finished"),
                  _("The shortlist was saved to {path}.").format(path=path))

    def _on_export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        self.status.clear()
        show_error(self, exc)

    # -- print ---------------------------------------------------------------------------

    def print_list(self) -> QWidget | None:
        """Preview the shortlist as shown ("Only the selected" prints only those), made on a
        worker from the report the page holds."""
        if self._report is None or not self.print_button.isEnabled():
            return None
        entries = [e for e in self.model.rows()
                   if e.selected or not self.only_selected.isChecked()]
        return printing.open_preview(self, self._ctx, _("Go Global shortlist"),
                                     printing.go_global_list(entries, self._report),
                                     printing.file_name("go-global", self._year))
