"""Seleksi administrasi: check each candidate's documents, edit the checklist, see the summary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.i18n import _
from ovop_desktop.services.candidates import CandidateSummary
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.candidates_model import (
    COL_COMMODITY,
    COL_NAME,
    COL_SCREENING,
    CandidateFilterProxy,
    CandidateRow,
    CandidatesModel,
)
from ovop_desktop.ui.views.candidate_rows import CandidateRowsLoader, round_page
from ovop_desktop.ui.views.candidates import decision_choices, filter_combo
from ovop_desktop.ui.views.screening_panel import DocumentChecksPanel
from ovop_desktop.ui.views.screening_summary import SummaryPanel

SHOWN_COLUMNS = (COL_NAME, COL_COMMODITY, COL_SCREENING)


class ScreeningView(QWidget):
    """loaded() — the candidate list holds the current round (loaded on a pool thread)."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._round_id: int | None = None
        self.requirements: dict[Commodity, tuple[Document, ...]] = {}
        self.model = CandidatesModel(self)
        self.proxy = CandidateFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        # A candidate whose decision changes stays in the list until the filter changes.
        self.proxy.setDynamicSortFilter(False)
        self.loader = CandidateRowsLoader(ctx, self)
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(lambda exc: show_error(self, exc))

        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        self.checklist_button = QPushButton(_("Checklist…"), objectName="checklistButton")
        self.checklist_button.setToolTip(_("Choose the documents each commodity requires."))
        self.checklist_button.clicked.connect(self._on_checklist_button_clicked)
        self.print_button = QPushButton(_("Print screening summary…"),
                                        objectName="printSummaryButton")
        self.print_button.clicked.connect(lambda: self.print_summary())
        self.summary = SummaryPanel(ctx)
        self.tabs = QTabWidget(objectName="screeningTabs")
        self.tabs.addTab(self._build_checks(), _("Document checks"))
        self.tabs.addTab(self.summary, _("Summary"))
        self.tabs.currentChanged.connect(self._on_tabs_currentChanged)
        self.stack = round_page(self, self.title, (self.print_button, self.checklist_button),
                                "screening", self.tabs)
        self._summary_stale = True
        self.refresh()

    def _build_checks(self) -> QWidget:
        self.decision = filter_combo("screeningDecisionFilter", _("Any screening result"),
                                     decision_choices())
        self.decision.currentIndexChanged.connect(
            lambda _i: (self.proxy.set_decision(self.decision.currentData()),
                        self._update_count()))
        self.search = QLineEdit(objectName="screeningSearch")
        self.search.setPlaceholderText(_("Search"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.textChanged.connect(self._update_count)
        self.table = QTableView(objectName="screeningTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, column not in SHOWN_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_COMMODITY, 130)
        header.resizeSection(COL_SCREENING, 120)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_currentRowChanged)
        self.count = QLabel(objectName="screeningCount")

        left = QWidget()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.decision)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.panel = DocumentChecksPanel(self._ctx)
        self.panel.result_changed.connect(self._on_panel_result_changed)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.panel)  # at most seven documents: fits without scrolling
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 650])
        return splitter

    # -- loading ---------------------------------------------------------------

    def refresh(self) -> None:
        current = self._ctx.workspace.current_round()
        self._round_id = current.id if current else None
        self.stack.setCurrentIndex(0 if current is None else 1)
        self.checklist_button.setVisible(current is not None)
        self.print_button.setVisible(current is not None)
        if current is None:
            self.title.setText(_("Administrative screening"))
            self.model.set_rows([])
            return
        self.title.setText(_("Administrative screening — {round}").format(round=current.name))
        self.requirements = self._ctx.workspace.screening.requirements(current.id)
        self.count.setText(_("Loading candidates…"))
        self.loader.load(current.id)
        self._summary_stale = True
        if self.tabs.currentWidget() is self.summary:
            self._load_summary()

    def _on_loader_loaded(self, rows: list[CandidateRow]) -> None:
        selected = self.panel.summary.id if self.panel.summary else None
        self.model.set_rows(rows)
        self._update_count()
        row = self.model.row_of(selected) if selected is not None else -1
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
            if index.isValid():
                self.table.setCurrentIndex(index)
            self._show(self.model.summary(row))
        else:
            self._show(None)
        self.loaded.emit()

    def _update_count(self) -> None:
        self.count.setText(_("{shown} of {total} candidates").format(
            shown=self.proxy.rowCount(), total=self.model.rowCount()))

    def _on_tabs_currentChanged(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.summary and self._summary_stale:
            self._load_summary()

    def _load_summary(self) -> None:
        if self._round_id is not None:
            self._summary_stale = False
            self.summary.load(self._round_id)

    # -- checking --------------------------------------------------------------

    def select(self, candidate_id: int) -> bool:
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(candidate_id),
                                                          COL_NAME))
        if index.isValid():
            self.table.setCurrentIndex(index)
        return index.isValid()

    def _on_table_currentRowChanged(self, current, _previous) -> None:  # noqa: ANN001
        if current.isValid():  # a candidate leaving the list keeps the panel on it
            self._show(self.model.summary(self.proxy.mapToSource(current).row()))

    def _show(self, summary: CandidateSummary | None) -> None:
        required = self.requirements.get(summary.commodity, ()) if summary else ()
        self.panel.show_candidate(summary, required)

    def _on_panel_result_changed(self, summary: CandidateSummary) -> None:
        self.model.replace_summary(summary)
        self._summary_stale = True
        self._ctx.signals.data_changed.emit()

    def _on_checklist_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.checklist import ChecklistDialog

        if self._round_id is None:
            return
        dialog = ChecklistDialog(self._ctx, self._round_id, self)
        changed = dialog.changed if dialog.exec() else []
        dialog.deleteLater()
        if changed:
            self._ctx.signals.data_changed.emit()
            self.refresh()

    def print_summary(self) -> QWidget | None:
        """Preview the screening summary, read and made on a worker."""
        current = self._ctx.workspace.current_round()
        if current is None:
            return None
        return printing.open_preview(self, self._ctx, _("Screening summary"),
                                     printing.screening_summary(self._ctx.workspace),
                                     printing.file_name("screening", current.year))
