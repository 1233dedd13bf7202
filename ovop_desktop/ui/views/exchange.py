"""The assessor's side of the exchange: the pinned coordinator, package in, score bundle out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.i18n import _
from ovop_desktop.services.bundle_export import export_bundle
from ovop_desktop.services.identity import PublicIdentity
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.bundle_export import BUNDLE_FILTER, BundleExportDialog, bundle_preview
from ovop_desktop.ui.dialogs.passphrase import ask_key
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.views.identity import big_fingerprint_label, fingerprint_lines
from ovop_desktop.ui.workers import ServiceTask

OK_STYLE = "color: #1b7a3d;"


class AssessorExchangePanel(QWidget):
    """package_imported(PackageInfo) · bundle_exported(ExportInfo) · failed(exception)."""

    package_imported = Signal(object)
    bundle_exported = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._me: PublicIdentity | None = None
        self.dialog: QWidget | None = None  # the dialog open now (tests drive it)
        self.busy = False
        coordinator = QLabel(_("Coordinator"), objectName="sectionTitle")
        self.pinned = QLabel(objectName="pinnedCoordinator")
        self.pinned.setWordWrap(True)
        self.pinned_fingerprint = big_fingerprint_label("pinnedFingerprint", 18)
        self.import_button = QPushButton(_("Import assignment package…"),
                                         objectName="importPackageButton")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button = QPushButton(_("Export score bundle…"),
                                         objectName="exportBundleButton")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.status = QLabel(objectName="exchangeStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 18, 0, 0)
        layout.addWidget(coordinator)
        layout.addWidget(self.pinned)
        layout.addWidget(self.pinned_fingerprint, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def refresh(self, me: PublicIdentity | None) -> None:
        self._me = me
        pinned = self._ctx.workspace.packages.pinned()
        if pinned is None:
            self.pinned.setText(_("No package imported yet. The first assignment package from "
                                  "the coordinator sets which coordinator key this laptop "
                                  "trusts; you will be asked to type its fingerprint."))
            self.pinned_fingerprint.hide()
        else:
            name, fingerprint = pinned
            self.pinned.setText(_("{name} — packages are accepted only from this key:").format(
                name=name))
            self.pinned_fingerprint.setText(fingerprint_lines(fingerprint))
            self.pinned_fingerprint.show()
        self._update_buttons(pinned is not None)

    def _update_buttons(self, pinned: bool) -> None:
        self.import_button.setEnabled(not self.busy)
        self.export_button.setEnabled(not self.busy and pinned and self._me is not None)
        self.export_button.setToolTip(
            "" if pinned and self._me is not None else
            _("Create your key and import the coordinator's assignment package first."))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self._update_buttons(self._ctx.workspace.packages.pinned() is not None)
        if text:
            self.status.setStyleSheet("")
            self.status.setText(text)

    def _report(self, text: str) -> None:
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(text)

    def _fail(self, exc: Exception) -> None:
        self._set_busy(False)
        self.status.setText("")
        show_error(self, exc)
        self.failed.emit(exc)

    # -- package in --------------------------------------------------------------------

    def _on_import_button_clicked(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(
            self, _("Import the assignment package"), str(Path.home()),
            BUNDLE_FILTER.format(bundles=_("Assignment packages"), all=_("All files")))
        if path:
            self.import_package(Path(path))

    def import_package(self, path: Path) -> None:
        """First package: ask for the coordinator's fingerprint; later ones: import at once."""
        if self._ctx.workspace.packages.pinned() is None:
            from ovop_desktop.ui.dialogs.coordinator_fingerprint import (
                CoordinatorFingerprintDialog,
            )

            dialog = CoordinatorFingerprintDialog(self._ctx, path, self)
            dialog.imported.connect(self._on_package_imported)
            dialog.finished.connect(dialog.deleteLater)
            self.dialog = dialog
            dialog.open()
            return
        self._set_busy(True, _("Checking the package…"))
        task = ServiceTask(self._ctx.workspace.packages.import_package, path=path,
                           coordinator_fingerprint=None)
        self._ctx.tasks.start(task, self._on_package_imported, self._fail)

    def _on_package_imported(self, info: Any) -> None:
        ws = self._ctx.workspace
        ws.update_settings(current_round_id=info.round_id)
        self._set_busy(False)
        self.refresh(self._me)
        self._report(_("Package {seq} imported: {round}, {n} candidates assigned to you.")
                     .format(seq=info.seq, round=info.round_name, n=info.candidates))
        self._ctx.signals.round_changed.emit(info.round_id)
        self.package_imported.emit(info)

    # -- bundle out --------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        if self._me is None:
            return
        self._set_busy(True, _("Reading your scores…"))
        task = ServiceTask(bundle_preview, ws=self._ctx.workspace)
        self._ctx.tasks.start(task, self._on_preview_ready, self._fail)

    def _on_preview_ready(self, preview: Any) -> None:
        self._set_busy(False)
        self.status.setText("")
        if preview is None:
            return
        dialog = BundleExportDialog(self._ctx, preview, self)
        dialog.accepted.connect(lambda: self._ask_passphrase(dialog.path()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _ask_passphrase(self, out: Path) -> None:
        self.dialog = ask_key(self._ctx, self, _("Unlock your key to sign the score bundle."),
                              lambda key: self._export(out, key))

    def _export(self, out: Path, key: Any) -> None:
        ws, me = self._ctx.workspace, self._me
        assert me is not None
        self._set_busy(True, _("Signing and writing the bundle…"))
        task = ServiceTask(export_bundle, store=ws.store, scoring=ws.scoring,
                           actor=ws.profile.actor(), out=out, key=key, me=me)
        self._ctx.tasks.start(task, self._on_export_finished, self._fail)

    def _on_export_finished(self, info: Any) -> None:
        self._set_busy(False)
        text = _("Bundle {seq} ({sheets} sheets, {scores} scores) was written to {path}, read "
                 "back and verified.").format(seq=info.seq, sheets=info.sheets,
                                              scores=info.scores, path=info.path)
        self._report(text)
        self.bundle_exported.emit(info)
        show_info(self, _("Score bundle saved"), text)

