"""A damaged store at start: offer the newest backup that verifies, and restore it on a worker.

The damaged file is never deleted: the restore keeps it beside the store as
ovop-damaged-<time>.sqlite3 (services/backups.py).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import DamagedStoreError
from ovop_desktop.i18n import _
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.backups import BackupInfo, newest_good, reason_label, restore
from ovop_desktop.ui.workers import ServiceTask, TaskRunner


class RestoreBackupDialog(QDialog):
    """Names the damaged file and the backup; "Restore this backup" or "Close" (quit)."""

    def __init__(self, error: DamagedStoreError, backup: BackupInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("The database is damaged"))
        self.setMinimumWidth(520)
        headline = QLabel(_("The database {path} is damaged and cannot be opened.").format(
            path=error.path), objectName="headline")
        headline.setStyleSheet("font-weight: bold")
        detail = QLabel(_("SQLite reports: {detail}").format(detail=error.detail or error.message),
                        objectName="detail")
        detail.setStyleSheet("color: palette(placeholder-text)")
        detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        offer = QLabel(_("The newest backup that passes the integrity check was made on {time} "
                         "({reason}).").format(time=backup.when,
                                               reason=reason_label(backup.reason)),
                       objectName="offer")
        consequence = QLabel(_(
            "Restoring it brings the data back as it was then; changes made after it are not "
            "in it. The damaged file is kept in the same folder as ovop-damaged-….sqlite3 and "
            "is not deleted."), objectName="consequence")
        labels = (headline, detail, offer, consequence)
        for label in labels:
            label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton(_("Restore this backup"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreBackupButton")
        self.close_button = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("closeButton")
        self.restore_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for label in labels:
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(buttons)


class DamagedStoreOffer(QObject):
    """Find the newest good backup (worker), ask, restore it (worker).

    restored(report) — the backup is in place: open the store again ·
    declined(error or None) — nothing restored: None if the user chose Close, else the
    error to show (no backup verifies, or the restore itself failed)
    """

    restored = Signal(object)
    declined = Signal(object)

    def __init__(self, tasks: TaskRunner, paths: ProfilePaths, error: DamagedStoreError,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks, self._paths, self._error, self._parent = tasks, paths, error, parent
        self._busy: QProgressDialog | None = None

    def start(self) -> None:
        self._tasks.start(ServiceTask(newest_good, folder=self._paths.backups),
                          self._on_found, self._failed)

    def _on_found(self, backup: BackupInfo | None) -> None:
        if backup is None:
            self.declined.emit(self._error)
            return
        dialog = RestoreBackupDialog(self._error, backup, self._parent)
        chosen = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not chosen:
            self.declined.emit(None)
            return
        self._busy = QProgressDialog(_("Restoring the backup…"), "", 0, 0, self._parent)
        self._busy.setCancelButton(None)
        self._busy.setWindowModality(Qt.WindowModality.WindowModal)
        self._busy.setMinimumDuration(500)
        # This app holds the profile's GUI lock itself, so the restore must not wait for it.
        self._tasks.start(ServiceTask(restore, paths=self._paths, source=backup.path,
                                      gui_lock_held=True), self._on_restored, self._failed)

    def _on_restored(self, report: object) -> None:
        self._close_busy()
        self.restored.emit(report)

    def _failed(self, error: Exception) -> None:
        self._close_busy()
        self.declined.emit(error)

    def _close_busy(self) -> None:
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
