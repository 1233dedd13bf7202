"""Hasil penilaian: the coordinator's results — ranking with drill-down and moderation, the
progress board, and the analysis tabs — computed on a pool thread, exported with a receipt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.results import Flag
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services.results import ProgressBoard, ResultsReport, ResultsService
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.passphrase import ask_key, own_public_key
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.progress_models import (
    AssessorLine,
    CandidateLine,
    PredicateProxy,
    assessor_progress_model,
    candidate_progress_model,
    prepare_progress,
)
from ovop_desktop.ui.models.results_models import (
    INCOMPLETE_STAR,
    RankingModel,
    RankingProxy,
    RankingRow,
    aspect_infos,
    prepare_ranking,
    stars,
)
from ovop_desktop.ui.views.candidate_rows import round_page
from ovop_desktop.ui.views.candidates import filter_combo
from ovop_desktop.ui.views.results_detail import ResultDetailPanel
from ovop_desktop.ui.views.tables import table_view
from ovop_desktop.ui.workers import ServiceTask

try:  # the analysis tabs (charts, reliability, re-evaluation, Go Global) arrive separately
    from ovop_desktop.ui.views.results_tabs import make_tabs  # -> [(title, widget)]
except ImportError:
    make_tabs = None

EXPORT_FILTER = "{xlsx} (*.xlsx);;{csv} (*.csv);;{json} (*.json)"
EXPORT_SUFFIXES = (".xlsx", ".csv", ".json")
OK_STYLE, ERROR_STYLE = "color: #1b7a3d;", "color: #b3261e;"
# Fixed widths, not ResizeToContents: measuring 10,000 rows would stall every reload.
RANKING_WIDTHS = {"rank": 40, "name": 175, "regency": 110, "province": 100, "commodity": 105,
                  "assessors": 50, "total": 52, "star": 92, "flags": 130, "corrected": 84,
                  "change": 130}
ASPECT_WIDTH = 40


@dataclass(frozen=True)
class ResultsData:
    """One computation, prepared on the pool thread."""

    report: ResultsReport
    board: ProgressBoard
    ranking: list[RankingRow]
    assessors: list[AssessorLine]
    candidates: list[CandidateLine]


def load_results(results: ResultsService, round_id: int) -> ResultsData:
    """Runs on a pool thread: the report takes ~1 s for a national round."""
    report = results.report(round_id)
    board = results.progress(round_id)
    assessors, candidates = prepare_progress(board)
    return ResultsData(report, board, prepare_ranking(report), assessors, candidates)


def extra_tabs(ctx: AppContext, parent: QWidget) -> list[tuple[str, QWidget]]:
    """The analysis tabs, each with .show_report(report); none until results_tabs exists."""
    return list(make_tabs(ctx, ctx.tasks, parent)) if make_tabs is not None else []


def ask_export_path(parent: QWidget, default_name: str) -> Path | None:
    """A save dialog for XLSX, CSV or JSON; adds the chosen type's suffix when none was typed."""
    filters = EXPORT_FILTER.format(xlsx=_("Excel workbook"), csv=_("CSV file"),
                                   json=_("JSON file"))
    path, chosen = QFileDialog.getSaveFileName(parent, _("Export the results"), default_name,
                                               filters)
    if not path:
        return None
    result = Path(path)
    if result.suffix.lower() not in EXPORT_SUFFIXES:
        suffix = next((s for s in EXPORT_SUFFIXES if s[1:] in chosen.lower()), ".xlsx")
        result = result.with_name(result.name + suffix)
    return result


def star_choices() -> list[tuple[str, int]]:
    return [("★★★", 3), ("★★", 2), ("★", 1), (_("No star"), 0),
            (Flag.INCOMPLETE.label, INCOMPLETE_STAR)]


def method_text(report: ResultsReport) -> str:
    """What the stars were computed with, in one line above the tabs."""
    r, t = report.round, report.round.thresholds
    text = _("{status} · 3★ from {three}, 2★ from {two}, 1★ from {one} · at least {n} assessors "
             "· ties broken by {tie} · {bundles} current bundles").format(
        status=r.status.label, three=t.three, two=t.two, one=t.one, n=r.min_assessors,
        tie=", ".join(r.tie_break), bundles=len(report.bundles))
    if report.excluded_conflicts:
        text += " · " + _("{n} sheets not counted (conflict of interest)").format(
            n=report.excluded_conflicts)
    return text


class ProgressPanel(QWidget):
    """Who has sent what: per assessor and per candidate, missing sheets highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessors = assessor_progress_model(self)
        self.candidates = candidate_progress_model(self)
        self.assessor_proxy = PredicateProxy(self)
        self.assessor_proxy.setSourceModel(self.assessors)
        self.candidate_proxy = PredicateProxy(self)
        self.candidate_proxy.setSourceModel(self.candidates)
        self.summary = QLabel(objectName="progressSummary")
        self.summary.setWordWrap(True)
        self.assessor_table = table_view("assessorProgressTable", self.assessor_proxy,
                                         sortable=True)
        self.assessor_table.sortByColumn(self.assessors.column_of("missing"),
                                         Qt.SortOrder.DescendingOrder)
        header = self.assessor_table.horizontalHeader()  # dozens of rows: measuring is cheap
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMaximumSectionSize(210)  # a long institution is elided; its tooltip is whole
        header.setStretchLastSection(True)
        self.candidate_table = table_view("candidateProgressTable", self.candidate_proxy,
                                          sortable=True)
        self.candidate_table.sortByColumn(self.candidates.column_of("missing"),
                                          Qt.SortOrder.DescendingOrder)
        header = self.candidate_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in (("name", 240), ("assigned", 80), ("finished", 80)):
            header.resizeSection(self.candidates.column_of(key), width)
        header.setStretchLastSection(True)
        self.only_missing = QCheckBox(_("Only candidates with missing sheets"),
                                      objectName="onlyMissing")
        self.only_missing.toggled.connect(self._on_only_missing_toggled)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel(_("Per assessor"), objectName="sectionTitle"))
        top_layout.addWidget(self.assessor_table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Per candidate"), objectName="sectionTitle"), 1)
        row.addWidget(self.only_missing)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.candidate_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="progressSplitter")
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([260, 340])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def set_lines(self, assessors: list[AssessorLine], candidates: list[CandidateLine]) -> None:
        self.assessors.set_rows(assessors)
        self.candidates.set_rows(candidates)
        assigned = sum(len(c.progress.assigned) for c in candidates)
        finished = sum(len(c.progress.finished) for c in candidates)
        if not candidates:
            self.summary.setText(_("Nobody is assigned yet: plan the visits on the Visit "
                                   "planning page, then export the packages."))
            return
        chase = sum(1 for a in assessors if a.missing_names)
        waiting = sum(1 for c in candidates if c.missing_names)
        self.summary.setText(_("{finished} of {assigned} sheets finished and received · "
                               "{chase} assessors still owe sheets · {waiting} candidates are "
                               "waiting for a sheet").format(
            finished=finished, assigned=assigned, chase=chase, waiting=waiting))

    def missing_count(self) -> int:
        return sum(len(c.missing_names) for c in self.candidates.rows())

    def _on_only_missing_toggled(self, on: bool) -> None:
        self.candidate_proxy.set_predicate((lambda r: bool(r.missing_names)) if on else None)


class ResultsView(QWidget):
    """loaded() — a freshly computed report is shown · detail_loaded() — the drill-down shows
    the selected candidate · exported(receipt path) · failed(exception)."""

    loaded = Signal()
    detail_loaded = Signal()
    exported = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._round_id: int | None = None
        self._generation = 0
        self._detail_generation = 0
        self._again = False        # a refresh was asked for while computing
        self._scheduled = False    # a refresh is queued for this event-loop turn
        self.busy = False
        self.exporting = False
        self.data: ResultsData | None = None
        self.dialog: QWidget | None = None  # the passphrase dialog open now (tests drive it)
        self.model = RankingModel(self)
        self.proxy = RankingProxy(self)
        self.proxy.setSourceModel(self.model)

        self.title = QLabel(_("Assessment results"), objectName="viewTitle")
        self.refresh_button = QPushButton(_("Refresh"), objectName="refreshButton")
        self.refresh_button.setToolTip(_("Compute the results again from the current bundles."))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(_("Export results…"), objectName="exportButton")
        self.export_button.setToolTip(_("Save the results as XLSX, CSV or JSON with a receipt "
                                        "signed with your key."))
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.scorecard_button, menu = printing.print_menu(_("Print scorecards…"),
                                                          "printScorecardsButton", self)
        self.all_cards_action = menu.addAction("", lambda: self.print_scorecards())
        self.selected_card_action = menu.addAction(
            "", lambda: self.print_scorecards(selected_only=True))
        menu.aboutToShow.connect(self._on_scorecard_menu_aboutToShow)
        self.ranking_button = QPushButton(_("Print recommendation list…"),
                                          objectName="printRankingButton")
        self.ranking_button.clicked.connect(lambda: self.print_ranking())
        self.stack = round_page(
            self, self.title,
            (self.refresh_button, self.scorecard_button, self.ranking_button, self.export_button),
            "results", self._build_results())
        self.refresh()

    def _build_results(self) -> QWidget:
        self.commodity = filter_combo("resultsCommodity", _("All commodities"), [])
        self.commodity.currentIndexChanged.connect(self._on_commodity_currentIndexChanged)
        self.star = filter_combo("resultsStar", _("Any star"), star_choices())
        self.star.currentIndexChanged.connect(
            lambda _i: self._filter(self.proxy.set_star, self.star.currentData()))
        self.only_flagged = QCheckBox(_("Only flagged"), objectName="onlyFlagged")
        self.only_flagged.setToolTip(_("Candidates with a disagreement, a moderation, an "
                                       "incomplete panel or a star that changes when "
                                       "corrected."))
        self.only_flagged.toggled.connect(lambda on: self._filter(self.proxy.set_flagged, on))
        self.search = QLineEdit(objectName="resultsSearch")
        self.search.setPlaceholderText(_("Search name, owner, place"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self._filter(self.proxy.set_search, text))
        self.busy_bar = QProgressBar(objectName="resultsBusy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()
        self.round_label = QLabel(objectName="resultsRound")
        self.round_label.setStyleSheet("color: #555;")
        filters = QHBoxLayout()
        filters.addWidget(self.commodity)
        filters.addWidget(self.star)
        filters.addWidget(self.only_flagged)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.busy_bar)

        self.table = table_view("rankingTable", self.proxy, sortable=True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selectionChanged)
        self.count = QLabel(objectName="rankingCount")
        self.count.setStyleSheet("color: #555;")
        ranking_top = QWidget()
        ranking_layout = QVBoxLayout(ranking_top)
        ranking_layout.setContentsMargins(0, 0, 0, 0)
        ranking_layout.setSpacing(2)
        ranking_layout.addWidget(self.table, 1)
        ranking_layout.addWidget(self.count)
        self.detail = ResultDetailPanel(self._ctx, self)
        self.detail.moderated.connect(self._on_detail_moderated)
        self.ranking_splitter = QSplitter(Qt.Orientation.Vertical, objectName="rankingSplitter")
        self.ranking_splitter.addWidget(ranking_top)
        self.ranking_splitter.addWidget(self.detail)
        self.ranking_splitter.setStretchFactor(0, 2)
        self.ranking_splitter.setStretchFactor(1, 3)
        self.ranking_splitter.setSizes([250, 400])
        self.ranking_splitter.setChildrenCollapsible(False)

        self.progress = ProgressPanel(self)
        self.tabs = QTabWidget(objectName="resultsTabs")
        self.tabs.addTab(self.ranking_splitter, _("Ranking"))
        self.tabs.addTab(self.progress, _("Progress board"))
        self.extra: list[QWidget] = []
        for title, widget in extra_tabs(self._ctx, self):
            self.tabs.addTab(widget, title)
            self.extra.append(widget)

        self.status = QLabel(objectName="resultsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addLayout(filters, 1)
        layout.addWidget(self.round_label)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        return widget

    def _alive(self, slot: Callable[[Any], None]) -> Callable[[Any], None]:
        """A task callback that does nothing once the page is gone (closed mid-computation)."""
        def call(value: Any) -> None:
            if shiboken6.isValid(self):
                slot(value)
        return call

    # -- computing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute in the background; requests in one event-loop turn collapse into one,
        and one asked for while computing runs once the current computation ends."""
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._start)

    def _start(self) -> None:
        self._scheduled = False
        current = self._ctx.workspace.current_round()
        self.stack.setCurrentIndex(0 if current is None else 1)
        for button in (self.export_button, self.scorecard_button, self.ranking_button):
            button.setVisible(current is not None)
        self.refresh_button.setVisible(current is not None)
        if current is None:
            self._round_id, self.data = None, None
            self.title.setText(_("Assessment results"))
            self.model.set_report([], [])
            self.detail.show_detail(None, None)
            return
        if self.busy and current.id == self._round_id:
            self._again = True
            return
        if current.id != self._round_id:
            self.data = None
        self._round_id = current.id
        self.title.setText(_("Assessment results — {round}").format(round=current.name))
        self._generation += 1
        generation = self._generation
        self._set_busy(True)
        task = ServiceTask(load_results, results=self._ctx.workspace.results,
                           round_id=current.id)
        self._ctx.tasks.start(
            task, self._alive(lambda data: self._on_load_finished(generation, data)),
            self._alive(lambda exc: self._on_load_failed(generation, exc)))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        if busy:
            self.count.setText(_("Computing the results…"))
        self._update_export()

    def _on_load_finished(self, generation: int, data: ResultsData) -> None:
        if generation != self._generation:
            return  # an older request: a newer one is on its way
        selected = self.selected_id()
        self.data = data
        self._set_busy(False)
        report = data.report
        self.round_label.setText(method_text(report))
        self._fill_commodities(report)
        self.model.set_report(data.ranking, aspect_infos(report, current_language()))
        self._apply_widths()
        self.progress.set_lines(data.assessors, data.candidates)
        missing = self.progress.missing_count()
        self.tabs.setTabText(1, _("Progress ({n} missing)").format(n=missing) if missing
                             else _("Progress board"))
        for widget in self.extra:
            widget.show_report(report)  # type: ignore[attr-defined]
        self._update_count()
        if selected is None or not self.select(selected):
            self.detail.show_detail(None, None)
        if self._again:
            self._again = False
            self.refresh()
        self.loaded.emit()

    def _on_load_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        self.count.setText("")
        self._again = False
        self.failed.emit(exc)
        show_error(self, exc)

    def _fill_commodities(self, report: ResultsReport) -> None:
        current = self.commodity.currentData()
        self.commodity.blockSignals(True)
        self.commodity.clear()
        self.commodity.addItem(_("All commodities"), None)
        for link in report.round.commodities:
            self.commodity.addItem(link.commodity.label, link.commodity.value)
        self.commodity.setCurrentIndex(max(0, self.commodity.findData(current)))
        self.commodity.blockSignals(False)
        self.proxy.set_commodity(self.commodity.currentData())

    def _apply_widths(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(36)
        metrics = header.fontMetrics()
        for column in range(self.model.columnCount()):
            key = self.model.column_key(column)
            width = ASPECT_WIDTH if key.startswith("aspect:") else RANKING_WIDTHS.get(key, 80)
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            # room for the translated header and the sort arrow
            header.resizeSection(column, max(width, metrics.horizontalAdvance(title) + 24))
        header.setStretchLastSection(True)
        self.table.setColumnHidden(self.model.column_of("commodity"),
                                   self.commodity.currentData() is not None)

    # -- filters -------------------------------------------------------------------------------

    def _on_commodity_currentIndexChanged(self, _index: int) -> None:
        self._filter(self.proxy.set_commodity, self.commodity.currentData())
        self.table.setColumnHidden(self.model.column_of("commodity"),
                                   self.commodity.currentData() is not None)

    def _filter(self, setter: Any, value: Any) -> None:
        setter(value)
        self._update_count()

    def _update_count(self) -> None:
        if self.busy:
            return
        shown = [self.model.row_object(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                 for r in range(self.proxy.rowCount())]
        tally = {3: 0, 2: 0, 1: 0, 0: 0, None: 0}
        flagged = 0
        for row in shown:
            tally[row.result.star] += 1
            flagged += bool(row.result.flags)
        self.count.setText(_("{shown} of {total} candidates · {three} · {two} · {one} · no star "
                             "{none} · incomplete {incomplete} · flagged {flagged}").format(
            shown=len(shown), total=self.model.rowCount(),
            three=f"{stars(3)} {tally[3]}", two=f"{stars(2)} {tally[2]}",
            one=f"{stars(1)} {tally[1]}", none=tally[0], incomplete=tally[None],
            flagged=flagged))

    # -- selection and drill-down ----------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_object(self.proxy.mapToSource(rows[0]).row()).id

    def select(self, candidate_id: int) -> bool:
        """Select a candidate in the ranking and load its drill-down."""
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(candidate_id), 0))
        if not index.isValid():
            return False
        selection = self.table.selectionModel()
        selection.blockSignals(True)  # one drill-down load, asked for below
        selection.select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection.blockSignals(False)
        self.table.viewport().update()
        self.table.scrollTo(index)
        self._load_detail(candidate_id)
        return True

    def _on_table_selectionChanged(self, _s: QItemSelection, _d: QItemSelection) -> None:
        candidate_id = self.selected_id()
        if candidate_id is not None:
            self._load_detail(candidate_id)

    def _load_detail(self, candidate_id: int) -> None:
        if self.data is None or self._round_id is None:
            return
        self._detail_generation += 1
        generation = self._detail_generation
        task = ServiceTask(self._ctx.workspace.results.detail, round_id=self._round_id,
                           candidate_id=candidate_id, report=self.data.report)
        report = self.data.report
        self._ctx.tasks.start(
            task, self._alive(lambda d: self._on_detail_finished(generation, d, report)),
            self._alive(lambda exc: self._on_detail_failed(generation, exc)))

    def _on_detail_finished(self, generation: int, detail: Any, report: ResultsReport) -> None:
        if generation != self._detail_generation:
            return
        self.detail.show_detail(detail, report)
        self.detail_loaded.emit()

    def _on_detail_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._detail_generation:
            self.detail.show_detail(None, None)
            self.failed.emit(exc)
            show_error(self, exc)

    def _on_detail_moderated(self, candidate_id: int, criterion_id: str) -> None:
        name = self.data.report.candidates[candidate_id].name if self.data else ""
        self._say(_("{criterion} of {name} is updated; the results are computed again.").format(
            criterion=criterion_id, name=name))
        self._ctx.signals.data_changed.emit()  # other pages (audit log) see the change
        self.refresh()

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.status.setText(text)

    # -- export ---------------------------------------------------------------------------------

    def _update_export(self) -> None:
        self.export_button.setEnabled(self.data is not None and not self.busy
                                      and not self.exporting)
        for button in (self.scorecard_button, self.ranking_button):
            button.setEnabled(self.data is not None and not self.busy)

    def _on_export_button_clicked(self) -> None:
        if self.data is None:
            return
        report = self.data.report
        if own_public_key(self._ctx, self, _("the results receipt is signed with it.")) is None:
            return
        path = ask_export_path(self, str(Path.home() / f"ovop-results-{report.round.year}.xlsx"))
        if path is None:
            return
        self.dialog = ask_key(self._ctx, self, _("Unlock your key to sign the results "
                                                 "receipt."),
                              lambda key: self.export(report, path, key))

    def export(self, report: ResultsReport, path: Path, key: Any) -> None:
        """Write the results and their signed receipt on a pool thread."""
        results = self._ctx.workspace.results
        self.exporting = True
        self._update_export()
        self._say(_("Writing the results to {path}…").format(path=path))
        task = ServiceTask(lambda: results.export(report, path, key))
        self._ctx.tasks.start(
            task, self._alive(lambda receipt: self._on_export_finished(path, receipt)),
            self._alive(self._on_export_failed))

    def _on_export_finished(self, path: Path, receipt: Any) -> None:
        self.exporting = False
        self._update_export()
        if Path(receipt) == path:  # JSON carries its receipt inside
            text = _("The results and their signed receipt were saved to {path}.").format(
                path=path)
        else:
            text = _("The results were saved to {path}; the signed receipt is {receipt}."
                     ).format(path=path, receipt=receipt)
        self._say(text)
        self.exported.emit(receipt)
        show_info(self, _("Export finished"), text)

    def _on_export_failed(self, exc: Exception) -> None:
        self.exporting = False
        self._update_export()
        self._say(str(exc) if isinstance(exc, UserFacingError) else "", ok=False)
        self.failed.emit(exc)
        show_error(self, exc)

    # -- printing (made on a worker from the report on screen, previewed in the app) -----------

    def _on_scorecard_menu_aboutToShow(self) -> None:
        commodity = self.commodity.currentText() if self.commodity.currentData() else ""
        self.all_cards_action.setText(
            _("All candidates of {commodity}…").format(commodity=commodity) if commodity
            else _("All candidates…"))
        chosen = self.selected_id()
        name = self.data.report.candidates[chosen].name if self.data and chosen else ""
        self.selected_card_action.setText(_("Selected candidate: {name}…").format(name=name)
                                          if name else _("Selected candidate…"))
        self.selected_card_action.setEnabled(bool(name))

    def print_scorecards(self, selected_only: bool = False) -> QWidget | None:
        """The scorecards of the shown commodity (all, if none is chosen) or of the selected
        candidate; `None` when there is nothing to print from."""
        if self.data is None or self.busy:
            return None
        report, commodity = self.data.report, self.commodity.currentData()
        if selected_only:
            chosen = self.selected_id()
            if chosen is None:
                return None
            name = report.candidates[chosen].name
            return printing.open_preview(
                self, self._ctx, _("Scorecard — {name}").format(name=name),
                printing.scorecards(self._ctx.workspace, report, [chosen]),
                printing.file_name("scorecard", report.round.year, name))
        title = (_("Scorecards — {commodity}").format(commodity=self.commodity.currentText())
                 if commodity else _("Scorecards"))
        return printing.open_preview(
            self, self._ctx, title,
            printing.scorecards(self._ctx.workspace, report, commodity=commodity),
            printing.file_name("scorecards", report.round.year, commodity))

    def print_ranking(self) -> QWidget | None:
        """The recommendation list of the shown commodity, or of every commodity."""
        if self.data is None or self.busy:
            return None
        report, commodity = self.data.report, self.commodity.currentData()
        title = (_("Recommendation list — {commodity}").format(
            commodity=self.commodity.currentText()) if commodity
            else _("Recommendation list"))
        return printing.open_preview(self, self._ctx, title,
                                     printing.ranking_list(report, commodity),
                                     printing.file_name("ranking", report.round.year, commodity))
