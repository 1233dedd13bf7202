"""First assignment package: the assessor types the coordinator's fingerprint heard by phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.container import Rejected
from ovop_desktop.services.signing import parse_fingerprint
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.workers import ServiceTask

ERROR_STYLE = "color: #b3261e;"


def hex_digits(text: str) -> int:
    return sum(c in "0123456789abcdefABCDEF" for c in text)


def monospace_edit(name: str, pixel_size: int = 14) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPixelSize(pixel_size)
    edit.setFont(font)
    edit.setPlaceholderText("3F2A 91C0 …")
    return edit


class CoordinatorFingerprintDialog(QDialog):
    """imported(PackageInfo) — the package verified against the typed fingerprint and is in.

    The fingerprint comes from the coordinator's own mouth, never from the file: the
    package carries its key, and only a matching fingerprint makes that key trusted
    (and pinned for every later package). A mismatch leaves the dialog open.
    """

    imported = Signal(object)
    attempt_failed = Signal(str)

    def __init__(self, ctx: AppContext, package: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._package = Path(package)
        self.busy = False
        self.info: Any = None
        self.setWindowTitle(_("Confirm the coordinator's key"))
        self.setMinimumWidth(740)
        intro = QLabel(_(
            "This is the first assignment package on this laptop. Ask the coordinator to read "
            "the fingerprint of their key aloud — by phone or in person, not from the e-mail "
            "that brought the file — and type it here. Spaces and capitals do not matter.\n\n"
            "From then on, only packages signed by this key are accepted."))
        intro.setWordWrap(True)
        file_label = QLabel(_("Package: {name}").format(name=self._package.name),
                            objectName="hint")
        self.fingerprint = monospace_edit("coordinatorFingerprintEdit")
        self.fingerprint.textChanged.connect(self._on_fingerprint_textChanged)
        self.count = QLabel(objectName="digitCount")
        self.status = QLabel(objectName="fingerprintStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(_("Compare and import"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("compareButton")
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(file_label)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.count)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._on_fingerprint_textChanged("")

    def _valid(self) -> bool:
        try:
            parse_fingerprint(self.fingerprint.text())
        except ValueError:
            return False
        return True

    def _on_fingerprint_textChanged(self, text: str) -> None:
        self.count.setText(_("{n} of 64 hexadecimal digits").format(n=hex_digits(text)))
        self.ok_button.setEnabled(self._valid() and not self.busy)

    def _on_buttons_accepted(self) -> None:
        if self.busy or not self._valid():
            return
        self._set_busy(True)
        self.status.setStyleSheet("")
        self.status.setText(_("Checking the package…"))
        task = ServiceTask(self._ctx.workspace.packages.import_package, path=self._package,
                           coordinator_fingerprint=self.fingerprint.text())
        self._ctx.tasks.start(task, self._on_import_finished, self._on_import_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.fingerprint.setEnabled(not busy)
        self._on_fingerprint_textChanged(self.fingerprint.text())

    def _on_import_finished(self, info: Any) -> None:
        self._set_busy(False)
        self.info = info
        self.imported.emit(info)
        self.accept()

    def _on_import_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, Rejected) and exc.code == "unknown_signer":
            # The service's message names the signer's fingerprint; here that would hand
            # the answer to someone who should be comparing it, so say only what failed.
            message = _("The package was not signed by the key with this fingerprint. Check "
                        "every group with the coordinator again. Nothing was imported.")
        elif isinstance(exc, UserFacingError):
            message = exc.message
        else:
            self.status.setText("")
            show_error(self, exc)
            self.reject()
            return
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(message)
        self.fingerprint.setFocus()
        self.attempt_failed.emit(message)

    def reject(self) -> None:
        if not self.busy:
            super().reject()
