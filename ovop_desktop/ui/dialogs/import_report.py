"""The last page of the import wizard: the import with progress, then its report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ovop_desktop.i18n import _
from ovop_desktop.ui.dialogs.file_choice import ask_table_path
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.table import Column, RowTableModel

if TYPE_CHECKING:
    from ovop_desktop.services.proposal_import import Duplicate, ImportReport, Rejected
    from ovop_desktop.ui.dialogs.import_wizard import ImportWizard

NUMBER = Column(lambda: _("Row"), lambda r: str(r.row), sort=lambda r: r.row)


def report_table(report: ImportReport) -> tuple[list[str], list[list[object]]]:
    """The report as one table, by row number: what happened to each row and why."""
    rows: list[list[object]] = [[a.row, _("accepted"), a.name, ""] for a in report.accepted]
    rows += [[r.row, _("rejected"), "", "; ".join(r.reasons)] for r in report.rejected]
    rows += [[d.row, _("duplicate"), d.name, d.reason] for d in report.duplicates]
    rows.sort(key=lambda r: int(str(r[0])))
    return [_("Row"), _("Result"), _("IKM name"), _("Reason")], rows


def _table(name: str) -> QTableView:
    table = QTableView(objectName=name)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return table


class ImportPage(QWizardPage):
    """A page of the import wizard. It reaches the wizard through Qt's parent link rather
    than an attribute: a Python reference cycle would let the garbage collector, running on
    whichever thread allocates next (a pool thread, say), delete the dialog there."""

    @property
    def _w(self) -> ImportWizard:
        return self.wizard()  # type: ignore[return-value]


class ReportPage(ImportPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle(_("Import"))
        self.progress = QProgressBar(objectName="importProgress")
        self.summary = QLabel(objectName="importSummary")
        self.summary.setWordWrap(True)
        self.rejected: RowTableModel[Rejected] = RowTableModel([
            NUMBER, Column(lambda: _("Reason"), lambda r: "; ".join(r.reasons))], self)
        self.duplicates: RowTableModel[Duplicate] = RowTableModel([
            NUMBER, Column(lambda: _("IKM name"), lambda d: d.name),
            Column(lambda: _("Reason"), lambda d: d.reason)], self)
        self.rejected_table = _table("rejectedTable")
        self.rejected_table.setModel(self.rejected)
        self.duplicates_table = _table("duplicatesTable")
        self.duplicates_table.setModel(self.duplicates)
        for table in (self.rejected_table, self.duplicates_table):
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        self.duplicates_table.setColumnWidth(1, 260)
        self.rejected_label = QLabel(objectName="rejectedLabel")
        self.duplicates_label = QLabel(objectName="duplicatesLabel")
        self.save_button = QPushButton(_("Save report…"), objectName="saveReportButton")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.save_button.setEnabled(False)
        tables = QHBoxLayout()
        for label, table in ((self.rejected_label, self.rejected_table),
                             (self.duplicates_label, self.duplicates_table)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(table, 1)
            tables.addLayout(column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(tables, 1)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._done = False

    def initializePage(self) -> None:
        """Start the real import as soon as the page shows: Import was the commit."""
        self._done = False
        self._w.importing = True
        self._w.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the service reports its first step
        self.summary.setText(_("Importing… the rows are saved in one go, all or none."))
        self.completeChanged.emit()
        task = self._w.start(self._w.service.run, self._on_import_finished, with_progress=True,
                             preview=self._w.preview, round_id=self._w.round_id,
                             mapping=dict(self._w.mapping), dry_run=False)
        task.signals.progress.connect(self._on_task_progress)

    def _on_task_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_import_finished(self, report: ImportReport) -> None:
        self._w.importing = False
        self._w.report = report
        self._done = True
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.summary.setText(_("{accepted} candidates added to the round from {file}.").format(
            accepted=len(report.accepted), file=report.file_name))
        self.summary.setStyleSheet("color: #1b7a3d; font-weight: 600;")
        self.rejected.set_rows(report.rejected)
        self.duplicates.set_rows(report.duplicates)
        self.rejected_label.setText(_("Rejected rows: {count}").format(
            count=len(report.rejected)))
        self.duplicates_label.setText(_("Duplicates not added: {count}").format(
            count=len(report.duplicates)))
        self.rejected_table.resizeRowsToContents()
        self.duplicates_table.resizeRowsToContents()
        self.save_button.setEnabled(True)
        self.completeChanged.emit()
        self._w.ctx.signals.data_changed.emit()
        self._w.imported.emit(report)

    def show_failure(self, message: str) -> None:
        self._done = True
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary.setText("✖ " + message + " " + _("Nothing was saved."))
        self.summary.setStyleSheet("color: #b3261e;")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._done

    def _on_save_button_clicked(self) -> None:
        from ovop_desktop.services.tabular_export import write_table

        report = self._w.report
        if report is None:
            return
        stem = report.file_name.rsplit(".", 1)[0]
        path = ask_table_path(self, _("Save the import report"), f"{stem}-report.csv")
        if path is None:
            return
        headers, rows = report_table(report)
        try:
            write_table(path, headers, rows, _("Import report"))
        except Exception as exc:
            show_error(self, exc)
            return
        show_info(self, _("Report saved"), _("The import report was saved to {path}.").format(
            path=path))

