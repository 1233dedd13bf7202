"""Log audit: the newest entries of the hash-chained log, and a button that verifies the chain."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.i18n import _
from ovop_desktop.services.maintenance import AuditEntry, check_database, recent_audit
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.exchange_models import audit_model
from ovop_desktop.ui.models.table import SORT_ROLE
from ovop_desktop.ui.workers import ServiceTask

LIMIT = 1000
OK_STYLE = "color: #1b7a3d; font-weight: 600;"
BROKEN_STYLE = "color: #b3261e; font-weight: 600;"


class AuditLogView(QWidget):
    """loaded() — the table shows the newest entries · verified(intact: bool)."""

    loaded = Signal()
    verified = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.broken_at: int | None = None
        self.model = audit_model(lambda: self.broken_at, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        title = QLabel(_("Audit log"), objectName="viewTitle")
        self.verify_button = QPushButton(_("Verify chain"), objectName="verifyButton")
        self.verify_button.setToolTip(_("Recompute every entry's hash from the first one and "
                                        "name the first entry that does not match."))
        self.verify_button.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.verify_button)
        intro = QLabel(_("Every change of state is written here in the same transaction as the "
                         "change itself. Each entry carries the hash of the one before it, so a "
                         "changed or deleted entry breaks the chain from that point on."),
                       objectName="hint")
        intro.setWordWrap(True)
        self.result = QLabel(objectName="verifyResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView(objectName="auditTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for column, width in enumerate((70, 150, 170, 180, 110)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.count = QLabel(objectName="auditCount")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.refresh()

    def refresh(self) -> None:
        """Reload the newest entries in the background; `loaded` says when."""
        self._generation += 1
        generation = self._generation
        task = ServiceTask(recent_audit, store=self._ctx.workspace.store, limit=LIMIT)
        self._ctx.tasks.start(task, lambda rows: self._on_load_finished(generation, rows),
                              lambda exc: self._on_task_failed(generation, exc))

    def _on_load_finished(self, generation: int, rows: list[AuditEntry]) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(rows)
        self.count.setText(_("The newest {n} entries.").format(n=len(rows)) if len(rows) >= LIMIT
                           else _("{n} entries.").format(n=len(rows)))
        self.loaded.emit()

    def _on_task_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.verify_button.setEnabled(True)
            show_error(self, exc)

    def verify(self) -> None:
        """Walk the whole chain on a pool thread; `verified` says how it went."""
        self.verify_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(_("Verifying the chain…"))
        task = ServiceTask(check_database, store=self._ctx.workspace.store)
        self._ctx.tasks.start(task, self._on_verify_finished,
                              lambda exc: self._on_task_failed(self._generation, exc))

    def _on_verify_finished(self, report: Any) -> None:
        self.verify_button.setEnabled(True)
        self.broken_at = report.audit_first_bad_seq
        intact = self.broken_at is None
        if intact:
            self.result.setStyleSheet(OK_STYLE)
            self.result.setText(_("✔ Chain intact: {n} entries, head {head}.").format(
                n=report.audit_entries, head=report.audit_head))
        else:
            self.result.setStyleSheet(BROKEN_STYLE)
            self.result.setText(_("✖ The chain is broken at entry {seq}: an entry was changed, "
                                  "inserted or removed there outside the app. The {n} entries "
                                  "before it verify.").format(
                                      seq=self.broken_at, n=report.audit_entries))
        if self.model.rowCount():  # recolour the entries from the break on
            self.model.dataChanged.emit(self.model.index(0, 0), self.model.index(
                self.model.rowCount() - 1, self.model.columnCount() - 1))
        self.verified.emit(intact)
