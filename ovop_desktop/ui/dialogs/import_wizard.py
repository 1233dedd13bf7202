"""The proposal import wizard: choose a file, fix the column mapping, preview, import, report.

Reading the file, the dry run and the import each run on a pool thread. The import is one
transaction (all rows or none), so it cannot be cancelled half-way and needs no cancel.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from ovop_desktop.domain.proposal_cells import column_letter
from ovop_desktop.domain.proposal_fields import REQUIRED
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.import_report import ImportPage, ReportPage
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.table import Column, RowTableModel
from ovop_desktop.ui.workers import ServiceTask

if TYPE_CHECKING:  # openpyxl is imported with the service, on first use
    from ovop_desktop.services.proposal_import import ImportPreview, ImportReport

OPEN_FILTER = "{sheets} (*.xlsx *.csv);;{xlsx} (*.xlsx);;{csv} (*.csv)"
NONE = -1  # the "—" entry of a mapping combo: the field is not in the file


def status_style(label: QLabel, kind: str) -> None:
    label.setStyleSheet({"error": "color: #b3261e;", "ok": "color: #1b7a3d;"}.get(kind, ""))


class ImportWizard(QWizard):
    """preview_loaded() · dry_run_finished() · imported(report) · failed(exception)."""

    preview_loaded = Signal()
    dry_run_finished = Signal()
    imported = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, round_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.round_id = round_id
        self.service = ctx.workspace.proposals
        self.preview: ImportPreview | None = None
        self.mapping: dict[str, int] = {}
        self.dry_report: ImportReport | None = None
        self.report: ImportReport | None = None
        self.importing = False
        self.setWindowTitle(_("Import proposals"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.resize(980, 660)
        for button, text in ((QWizard.WizardButton.BackButton, _("< Back")),
                             (QWizard.WizardButton.NextButton, _("Next >")),
                             (QWizard.WizardButton.CommitButton, _("Import")),
                             (QWizard.WizardButton.FinishButton, _("Close")),
                             (QWizard.WizardButton.CancelButton, _("Cancel"))):
            self.setButtonText(button, text)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.report_page = ReportPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.report_page):
            self.addPage(page)

    def start(self, fn: Any, on_finished: Any, **kwargs: Any) -> ServiceTask:
        task = ServiceTask(fn, **kwargs)
        return self.ctx.tasks.start(task, on_finished, self._on_task_failed)

    def _on_task_failed(self, exc: Exception) -> None:
        self.importing = False
        page = self.currentPage()
        if isinstance(exc, UserFacingError) and hasattr(page, "show_failure"):
            page.show_failure(str(exc))
        else:
            if hasattr(page, "show_failure"):
                page.show_failure(_("The file could not be processed."))
            show_error(self, exc)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.failed.emit(exc)

    def reject(self) -> None:
        if not self.importing:  # the import is one transaction: let it finish
            super().reject()


class FilePage(ImportPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Choose the proposal file"))
        self.setSubTitle(_("An Excel workbook (.xlsx) or CSV file as a regional government sent "
                           "it. Title rows above the header and Indonesian headers are fine."))
        self.path = QLineEdit(objectName="importPath")
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No file chosen"))
        browse = QPushButton(_("Choose file…"), objectName="browseButton")
        browse.clicked.connect(self._on_browse_clicked)
        self.status = QLabel(objectName="fileStatus")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._reading = False

    def _on_browse_clicked(self) -> None:
        filters = OPEN_FILTER.format(sheets=_("Spreadsheets"), xlsx=_("Excel workbook"),
                                     csv=_("CSV file"))
        path, _chosen = QFileDialog.getOpenFileName(self, _("Choose the proposal file"), "",
                                                    filters)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Read the file on a pool thread; `preview_loaded` or `failed` says when."""
        self._w.preview = None
        self._reading = True
        self.path.setText(str(path))
        self.status.setText(_("Reading {name}…").format(name=path.name))
        status_style(self.status, "")
        self.completeChanged.emit()
        self._w.start(self._w.service.preview, self._on_preview_finished, path=path)

    def _on_preview_finished(self, preview: ImportPreview) -> None:
        if str(preview.path) != self.path.text():  # another file was chosen meanwhile
            return
        self._reading = False
        self._w.preview = preview
        self._w.mapping = dict(preview.mapping)
        rows = max(0, len(preview.grid) - preview.header_row - 1)
        self.status.setText(_("Sheet “{sheet}”: header found on row {row}, {count} rows below "
                              "it, {mapped} columns recognised.").format(
                                  sheet=preview.sheet_name, row=preview.header_row + 1,
                                  count=rows, mapped=len(preview.mapping)))
        status_style(self.status, "ok")
        self.completeChanged.emit()
        self._w.preview_loaded.emit()

    def show_failure(self, message: str) -> None:
        self._reading = False
        self.status.setText("✖ " + message)
        status_style(self.status, "error")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._w.preview is not None and not self._reading


class MappingPage(ImportPage):
    """One row per target field, with a combo of the file's columns ("—" when absent)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Check the columns"))
        self.setSubTitle(_("Which column of the file holds each field. Fields marked * are "
                           "required."))
        self.header_info = QLabel(objectName="headerInfo")
        self.header_info.setWordWrap(True)
        self.table = QTableWidget(0, 3, objectName="mappingTable")
        self.table.setHorizontalHeaderLabels([_("Field"), _("Column in the file"),
                                              _("First value")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 320)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems = QLabel(objectName="mappingProblems")
        self.problems.setWordWrap(True)
        status_style(self.problems, "error")
        self.combos: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.header_info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)

    def initializePage(self) -> None:
        from ovop_desktop.services.proposal_import import field_choices

        preview = self._w.preview
        assert preview is not None
        self.header_info.setText(_("Header row {row}: {headers}").format(
            row=preview.header_row + 1, headers=" | ".join(h for h in preview.headers if h)))
        choices = field_choices()
        self.table.setRowCount(len(choices))
        self.combos = {}
        for row, (key, label) in enumerate(choices):
            self.table.setItem(row, 0, QTableWidgetItem(label + (" *" if key in REQUIRED
                                                                  else "")))
            combo = QComboBox(objectName=f"map_{key}")
            combo.addItem("—", NONE)
            for col, text in enumerate(preview.headers):
                combo.addItem(f"{column_letter(col)}: {text}" if text else column_letter(col),
                              col)
            combo.setCurrentIndex(max(0, combo.findData(self._w.mapping.get(key, NONE))))
            combo.currentIndexChanged.connect(self._on_combo_changed)
            self.table.setCellWidget(row, 1, combo)
            self.table.setItem(row, 2, QTableWidgetItem())
            self.combos[key] = combo
        self._on_combo_changed()

    def set_column(self, key: str, column: int) -> None:
        """Map `key` to `column` (NONE to leave the field out), as choosing in its combo does."""
        combo = self.combos[key]
        combo.setCurrentIndex(combo.findData(column))

    def _on_combo_changed(self, *_args: object) -> None:
        preview = self._w.preview
        assert preview is not None
        mapping = {}
        for row, (key, combo) in enumerate(self.combos.items()):
            col = combo.currentData()
            if col is not None and col != NONE:
                mapping[key] = col
            first = preview.sample[0][col] if preview.sample and col not in (None, NONE) \
                and col < len(preview.sample[0]) else ""
            self.table.item(row, 2).setText(first)
        self._w.mapping = mapping
        found = preview.problems(mapping)
        self.problems.setText("\n".join(f"• {p}" for p in found))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._w.preview is not None and not self._w.preview.problems(self._w.mapping)


class PreviewPage(ImportPage):
    """The first rows as they will be read, and a dry run over the whole file."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Preview"))
        self.setSubTitle(_("The first rows as they will be read. Nothing is saved until you "
                           "press Import."))
        self.setCommitPage(True)
        self.model: RowTableModel[list[str]] = RowTableModel([], self)
        self.table = QTableView(objectName="previewTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.summary = QLabel(objectName="dryRunSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self._done = False

    def initializePage(self) -> None:
        from ovop_desktop.services.proposal_import import field_choices

        preview = self._w.preview
        assert preview is not None
        labels = dict(field_choices())
        columns = [Column(lambda k=key: labels[k], lambda r, c=col: r[c] if c < len(r) else "")
                   for key, col in self._w.mapping.items()]
        self.model = RowTableModel(columns, self)
        self.model.set_rows(preview.sample)
        self.table.setModel(self.model)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        self._done = False
        self.summary.setText(_("Checking every row of the file (nothing is saved)…"))
        status_style(self.summary, "")
        self.completeChanged.emit()
        self._w.start(self._w.service.run, self._on_dry_run_finished, preview=preview,
                      round_id=self._w.round_id, mapping=dict(self._w.mapping), dry_run=True)

    def _on_dry_run_finished(self, report: ImportReport) -> None:
        self._w.dry_report = report
        self._done = True
        self.summary.setText(_("Dry run: {accepted} rows would be added, {rejected} rejected, "
                               "{duplicates} duplicates skipped. Press Import to save the "
                               "accepted rows (all of them or, if anything fails, none).").format(
                                   accepted=len(report.accepted), rejected=len(report.rejected),
                                   duplicates=len(report.duplicates)))
        status_style(self.summary, "ok" if report.accepted else "")
        self.completeChanged.emit()
        self._w.dry_run_finished.emit()

    def show_failure(self, message: str) -> None:
        self.summary.setText("✖ " + message)
        status_style(self.summary, "error")

    def isComplete(self) -> bool:
        return self._done
