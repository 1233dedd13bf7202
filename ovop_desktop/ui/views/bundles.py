"""Bundel nilai: import score bundles (files, folders, drag and drop), the report, decisions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.bundle_export import BUNDLE_FILTER
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.exchange_models import (
    ReceivedBundle,
    outcome_model,
    received_model,
)
from ovop_desktop.ui.models.table import SORT_ROLE
from ovop_desktop.ui.views.bundle_import import BundleImportJob, ImportRun, load_received
from ovop_desktop.ui.workers import ServiceTask

DROP_STYLE = ("QLabel#dropHint { border: 2px dashed #9bbfae; border-radius: 8px; padding: 14px;"
              " color: #3d5f51; background: #f5faf7; }")


def report_table(name: str, model: object, widths: tuple[int, ...],
                 sort_column: int = -1) -> QTableView:
    """A sortable table; unsorted (the model's order) until a header is clicked, or by
    `sort_column` descending."""
    table = QTableView(objectName=name)
    proxy = QSortFilterProxyModel(table)
    proxy.setSourceModel(model)  # type: ignore[arg-type]
    proxy.setSortRole(SORT_ROLE)
    table.setModel(proxy)
    table.horizontalHeader().setSortIndicator(  # column -1 descending would reverse the rows
        sort_column, Qt.SortOrder.DescendingOrder if sort_column >= 0 else
        Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def summary_text(run: ImportRun) -> str:
    counts = Counter(o.status for o in run.outcomes)
    parts = [f"{counts[s]} {s.label}" for s in Outcome if counts[s]]
    text = _("{done} of {total} files imported: {parts}.").format(
        done=len(run.outcomes), total=run.total, parts=", ".join(parts)) if parts else _(
        "{done} of {total} files imported.").format(done=0, total=run.total)
    if run.cancelled:
        text += " " + _("Stopped on request; import the remaining files again later.")
    return text


class BundlesView(QWidget):
    """import_finished(ImportRun) · loaded() — the list of bundles received is current ·
    decided(Outcome)."""

    import_finished = Signal(object)
    loaded = Signal()
    decided = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.dialog: QWidget | None = None
        self._started = ""  # when the running import began, as bundles' imported_at
        self.last_run: tuple[ImportRun, str] | None = None  # this session's last, for its receipt
        self.setAcceptDrops(True)
        self.setStyleSheet(DROP_STYLE)
        self.job = BundleImportJob(ctx, self)
        self.job.progress.connect(self._on_job_progress)
        self.job.finished.connect(self._on_job_finished)
        self.job.failed.connect(self._on_job_failed)

        title = QLabel(_("Score bundles"), objectName="viewTitle")
        self.files_button = QPushButton(_("Import bundles…"), objectName="importFilesButton")
        self.folder_button = QPushButton(_("Import a folder…"), objectName="importFolderButton")
        self.files_button.clicked.connect(self._on_files_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.receipt_button, menu = printing.print_menu(_("Print import receipt…"),
                                                        "printReceiptButton", self)
        self.run_receipt_action = menu.addAction(_("Receipt of the last import run…"),
                                                 lambda: self.print_receipt(this_run=True))
        menu.addAction(_("Receipt of the latest import day…"), lambda: self.print_receipt())
        menu.aboutToShow.connect(
            lambda: self.run_receipt_action.setEnabled(self.last_run is not None))
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.files_button)
        top.addWidget(self.folder_button)
        top.addWidget(self.receipt_button)
        self.drop_hint = QLabel(_(
            "Drop bundle files or folders here. Every file is verified before anything is read "
            "from it, and each ends as accepted, duplicate, superseded, held or rejected. "
            "Importing the same file twice is safe."), objectName="dropHint")
        self.drop_hint.setWordWrap(True)
        self.progress = QProgressBar(objectName="importProgress")
        self.progress_label = QLabel(objectName="progressLabel")
        self.cancel_button = QPushButton(_("Cancel"), objectName="cancelImportButton")
        self.cancel_button.setToolTip(_("Stop after the file being imported now."))
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.progress_row = QWidget(objectName="progressRow")
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress, 1)
        row.addWidget(self.progress_label)
        row.addWidget(self.cancel_button)
        self.progress_row.hide()

        self.report_model = outcome_model(self)
        self.report_table = report_table("reportTable", self.report_model,
                                         (220, 100, 170, 70, 70))
        self.report_summary = QLabel(objectName="reportSummary")
        self.received_model = received_model(self)
        self.received_table = report_table("receivedTable", self.received_model,
                                           (50, 130, 220, 170, 70, 100, 70), sort_column=0)
        self.received_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.received_table.doubleClicked.connect(lambda _i: self._on_decide_button_clicked())
        self.decide_button = QPushButton(_("Decide…"), objectName="decideButton")
        self.decide_button.setToolTip(_("Accept or reject a held bundle, with a reason."))
        self.decide_button.clicked.connect(self._on_decide_button_clicked)
        self.received_count = QLabel(objectName="receivedCount")

        splitter = QSplitter(Qt.Orientation.Vertical, objectName="bundleSplitter")
        self.report_section = self._section(_("Report of the last import"), self.report_summary,
                                            self.report_table)
        self.report_section.hide()  # until the first import of the session
        splitter.addWidget(self.report_section)
        splitter.addWidget(self._section(_("All bundles received"), self.received_count,
                                         self.received_table, self.decide_button))
        splitter.setSizes([260, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.drop_hint)
        layout.addWidget(self.progress_row)
        layout.addWidget(splitter, 1)
        self._update_buttons()
        self.refresh()

    @staticmethod
    def _section(title: str, info: QLabel, table: QTableView,
                 button: QPushButton | None = None) -> QWidget:
        head = QHBoxLayout()
        head.addWidget(QLabel(title, objectName="sectionTitle"))
        head.addWidget(info, 1)
        if button is not None:
            head.addWidget(button)
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(table, 1)
        return widget

    # -- the list of bundles received ------------------------------------------------------

    def refresh(self) -> None:
        """Reload the bundles on file in the background; `loaded` says when."""
        self._generation += 1
        generation = self._generation
        ws = self._ctx.workspace
        task = ServiceTask(load_received, service=ws.bundles, assessors=ws.assessors)
        self._ctx.tasks.start(task, lambda rows: self._on_list_loaded(generation, rows),
                              lambda exc: self._on_list_failed(generation, exc))

    def _on_list_loaded(self, generation: int, rows: list[ReceivedBundle]) -> None:
        if generation != self._generation:
            return
        selected = self.selected()
        self.received_model.set_rows(rows)
        if selected is not None:
            self.select(selected.id)
        waiting = sum(b.waiting for b in rows)
        self.received_count.setText(_("{n} bundles on file, {held} waiting for a decision.")
                                    .format(n=len(rows), held=waiting))
        self._update_buttons()
        self.loaded.emit()

    def _on_list_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            show_error(self, exc)

    def selected(self) -> ReceivedBundle | None:
        rows = self.received_table.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = self.received_table.model()
        return self.received_model.row_object(proxy.mapToSource(rows[0]).row())  # type: ignore[attr-defined]

    def select(self, bundle_id: int) -> bool:
        proxy = self.received_table.model()
        for row, b in enumerate(self.received_model.rows()):
            if b.id == bundle_id:
                index = proxy.mapFromSource(self.received_model.index(row, 0))  # type: ignore[attr-defined]
                self.received_table.selectRow(index.row())
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        running = self.job.running
        self.files_button.setEnabled(not running)
        self.folder_button.setEnabled(not running)
        chosen = self.selected()
        self.decide_button.setEnabled(chosen is not None and chosen.waiting)

    # -- importing -------------------------------------------------------------------------

    def _on_files_button_clicked(self) -> None:
        paths, _chosen = QFileDialog.getOpenFileNames(
            self, _("Import score bundles"), str(Path.home()),
            BUNDLE_FILTER.format(bundles=_("Score bundles"), all=_("All files")))
        if paths:
            self.start_import([Path(p) for p in paths])

    def _on_folder_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Import every bundle in a folder"),
                                                  str(Path.home()))
        if folder:
            self.start_import([Path(folder)])

    def start_import(self, paths: list[Path]) -> bool:
        """Import files and folders on a pool thread; `import_finished` says when."""
        if self.job.running or not paths:
            return False
        self.progress.setRange(0, 0)  # busy until the files are counted
        self.progress_label.setText(_("Looking at the files…"))
        self.cancel_button.setEnabled(True)
        self.progress_row.show()
        self._started = datetime.now(UTC).isoformat(timespec="seconds")
        self.job.start(paths)
        self._update_buttons()
        return True

    def cancel_import(self) -> None:
        self._on_cancel_button_clicked()

    def _on_cancel_button_clicked(self) -> None:
        if self.job.running:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(_("Stopping after this file…"))

    def _on_job_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if not self.job.cancelling:
            self.progress_label.setText(_("{done} of {total}").format(done=done, total=total))

    def _on_job_finished(self, run: ImportRun) -> None:
        self.progress_row.hide()
        self.report_section.show()
        self.report_model.set_rows(run.outcomes)
        self.report_summary.setText(summary_text(run))
        self.last_run = (run, self._started)
        self._update_buttons()
        self.refresh()
        if any(o.status is Outcome.ACCEPTED for o in run.outcomes):
            self._ctx.signals.data_changed.emit()
        self.import_finished.emit(run)

    def print_receipt(self, this_run: bool = False) -> QWidget | None:
        """Preview the receipt of this session's last import run (its outcomes as they stand
        now), or of the bundles filed on the latest import day."""
        ws = self._ctx.workspace
        if not this_run:
            return printing.open_preview(self, self._ctx, _("Import receipt"),
                                         printing.latest_import_receipt(ws),
                                         printing.file_name("import-receipt"))
        if self.last_run is None:
            return None
        run, started = self.last_run
        return printing.open_preview(self, self._ctx, _("Import receipt"),
                                     printing.import_run_receipt(ws, run.outcomes, started),
                                     printing.file_name("import-receipt", started[:10]))

    def _on_job_failed(self, exc: Exception) -> None:
        self.progress_row.hide()
        self._update_buttons()
        self.refresh()  # files before the failure are in: each was its own transaction
        show_error(self, exc)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.job.running and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self.start_import(paths):
            event.acceptProposedAction()
        else:
            event.ignore()

    # -- decisions -------------------------------------------------------------------------

    def _on_decide_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.bundle_decision import DecisionDialog

        chosen = self.selected()
        if chosen is None or not chosen.waiting:
            return
        dialog = DecisionDialog(chosen, self)
        dialog.accepted.connect(lambda: self._decide(chosen, dialog.accepted_choice(),
                                                     dialog.reason_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _decide(self, bundle: ReceivedBundle, accept: bool, reason: str) -> None:
        try:
            outcome = self._ctx.workspace.bundles.decide(bundle.id, accept, reason)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self._ctx.signals.data_changed.emit()
        self.decided.emit(outcome)
