"""Kandidat: the round's candidate registry — filter, search as you type, edit, import, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.candidates import EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.screening import Decision
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.file_choice import ask_table_path
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.candidates_model import (
    COL_NAME,
    CandidateFilterProxy,
    CandidateRow,
    CandidatesModel,
)
from ovop_desktop.ui.views.candidate_rows import CandidateRowsLoader, round_page
from ovop_desktop.ui.workers import ServiceTask


def filter_combo(name: str, everything: str, choices: list[tuple[str, Any]]) -> QComboBox:
    """A combo whose first entry (data None) means "no filter"."""
    combo = QComboBox(objectName=name)
    combo.addItem(everything, None)
    for text, value in choices:
        combo.addItem(text, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def decision_choices() -> list[tuple[str, Decision]]:
    return [(d.label, d) for d in (Decision.PASSED, Decision.FAILED, Decision.PENDING)]


class CandidatesView(QWidget):
    """loaded() — the table holds the current round's candidates (loaded on a pool thread)."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._round_id: int | None = None
        self.model = CandidatesModel(self)
        self.proxy = CandidateFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.loader = CandidateRowsLoader(ctx, self)
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)

        self.title = QLabel()
        self.title.setObjectName("viewTitle")
        registry = self._build_registry()
        self.stack = round_page(self, self.title, self.buttons, "candidates", registry)
        self.refresh()

    def _build_registry(self) -> QWidget:
        coordinator = self._ctx.is_coordinator
        self.new_button = QPushButton(_("New candidate…"), objectName="newCandidateButton")
        self.edit_button = QPushButton(_("Edit…") if coordinator else _("Open…"),
                                       objectName="editCandidateButton")
        self.import_button = QPushButton(_("Import proposals…"), objectName="importButton")
        self.export_button = QPushButton(_("Export…"), objectName="exportButton")
        self.export_button.setToolTip(_("Save the registry with the screening results as an "
                                        "Excel workbook or CSV file."))
        self.template_button = QPushButton(_("Proposal template…"), objectName="templateButton")
        self.template_button.setToolTip(_("Save an empty proposal spreadsheet to send to "
                                          "regional governments."))
        self.buttons = (self.new_button, self.edit_button, self.import_button,
                        self.export_button, self.template_button)
        self.new_button.setEnabled(coordinator)
        self.import_button.setEnabled(coordinator)
        self.edit_button.setEnabled(False)
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.template_button.clicked.connect(self._on_template_button_clicked)

        self.search = QLineEdit(objectName="candidateSearch")
        self.search.setPlaceholderText(_("Search name, owner, product, kabupaten/kota or NIB"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.search.textChanged.connect(self._update_count)
        self.commodity = filter_combo("commodityFilter", _("All commodities"),
                                      [(c.label, c) for c in Commodity])
        self.province = filter_combo("provinceFilter", _("All provinces"), [])
        self.kind = filter_combo("kindFilter", _("New and re-evaluation"),
                                 [(k.label, k) for k in EntryKind])
        self.decision = filter_combo("decisionFilter", _("Any screening result"),
                                     decision_choices())
        for combo, setter in ((self.commodity, self.proxy.set_commodity),
                              (self.province, self.proxy.set_province),
                              (self.kind, self.proxy.set_kind),
                              (self.decision, self.proxy.set_decision)):
            combo.currentIndexChanged.connect(
                lambda _i, c=combo, s=setter: (s(c.currentData()), self._update_count()))

        self.table = QTableView(objectName="candidateTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        # Fixed widths, not ResizeToContents: measuring 10,000 rows would stall every reload.
        for column, width in enumerate((0, 150, 150, 110, 130, 150, 115, 120)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_doubleClicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.count = QLabel(objectName="candidateCount")

        widget = QWidget()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        for combo in (self.commodity, self.province, self.kind, self.decision):
            filters.addWidget(combo)
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        return widget

    # -- loading ---------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the current round's candidates in the background; `loaded` says when."""
        current = self._ctx.workspace.current_round()
        self._round_id = current.id if current else None
        self.stack.setCurrentIndex(0 if current is None else 1)
        for button in self.buttons:
            button.setVisible(current is not None)
        if current is None:
            self.title.setText(_("Candidates"))
            self.model.set_rows([])
            return
        self.title.setText(_("Candidates — {round}").format(round=current.name))
        self.count.setText(_("Loading candidates…"))
        self.loader.load(current.id)

    def _on_loader_loaded(self, rows: list[CandidateRow]) -> None:
        selected = self.selected_id()
        self.model.set_rows(rows)
        self._fill_provinces(rows)
        if selected is not None:
            self.select(selected)
        self._update_count()
        self.loaded.emit()

    def _on_loader_failed(self, exc: Exception) -> None:
        self.count.setText("")
        show_error(self, exc)

    def _fill_provinces(self, rows: list[CandidateRow]) -> None:
        current = self.province.currentData()
        provinces = sorted({(r.summary.province_name, r.summary.province_code) for r in rows
                            if r.summary.province_code})
        self.province.blockSignals(True)
        self.province.clear()
        self.province.addItem(_("All provinces"), None)
        for name, code in provinces:
            self.province.addItem(name, code)
        self.province.setCurrentIndex(max(0, self.province.findData(current)))
        self.province.blockSignals(False)
        self.proxy.set_province(self.province.currentData())

    def _update_count(self) -> None:
        self.count.setText(_("{shown} of {total} candidates").format(
            shown=self.proxy.rowCount(), total=self.model.rowCount()))

    # -- selection -------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.summary(self.proxy.mapToSource(rows[0]).row()).id

    def select(self, candidate_id: int) -> bool:
        source_row = self.model.row_of(candidate_id)
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _on_selection_changed(self, *_args: object) -> None:
        self.edit_button.setEnabled(self.selected_id() is not None)

    def _on_table_doubleClicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_form(self.model.summary(self.proxy.mapToSource(index).row()).id)

    def _on_edit_button_clicked(self) -> None:
        candidate_id = self.selected_id()
        if candidate_id is not None:
            self.open_form(candidate_id)

    # -- actions ---------------------------------------------------------------

    def open_form(self, candidate_id: int | None) -> None:
        """The detail form: a new candidate (None) or an existing one; reload after a save."""
        from ovop_desktop.ui.dialogs.candidate_form import CandidateFormDialog

        if self._round_id is None:
            return
        dialog = CandidateFormDialog(self._ctx, self._round_id, candidate_id, self)
        saved = dialog.saved if dialog.exec() else None
        dialog.deleteLater()  # parented (so never deleted by GC on a pool thread), then freed
        if saved is not None:
            self._ctx.signals.data_changed.emit()
            self.refresh()
            self._select_after_load(saved.id)

    def _select_after_load(self, candidate_id: int) -> None:
        def select() -> None:
            self.loaded.disconnect(select)
            self.select(candidate_id)
        self.loaded.connect(select)

    def _on_import_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.import_wizard import ImportWizard

        if self._round_id is None:
            return
        wizard = ImportWizard(self._ctx, self._round_id, self)
        wizard.exec()
        wizard.deleteLater()
        self.refresh()

    def _on_export_button_clicked(self) -> None:
        from ovop_desktop.services.registry_export import export_registry

        current = self._ctx.workspace.current_round()
        if current is None:
            return
        path = ask_table_path(self, _("Export the candidate registry"),
                              f"ovop-candidates-{current.year}.xlsx")
        if path is None:
            return
        self.export_button.setEnabled(False)
        self._ctx.tasks.start(
            ServiceTask(export_registry, ws=self._ctx.workspace, round_id=current.id, path=path),
            lambda count: self._on_export_finished(path, count), self._on_export_failed)

    def _on_export_finished(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        show_info(self, _("Export finished"), _("{count} candidates saved to {path}.").format(
            count=count, path=path))

    def _on_export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        show_error(self, exc)

    def _on_template_button_clicked(self) -> None:
        from ovop_desktop.services.tabular_export import write_template

        path = ask_table_path(self, _("Save the proposal template"),
                              "ovop-proposal-template.xlsx")
        if path is None:
            return
        try:
            write_template(path)
        except Exception as exc:
            show_error(self, exc)
            return
        show_info(self, _("Template saved"), _("The proposal template was saved to {path}. "
                                               "Send it to the regional governments.").format(
                                                   path=path))

