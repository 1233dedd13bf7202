"""Asking for the key's passphrase: unlocked on a pool thread, a wrong one may be tried again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
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
from ovop_desktop.services.identity import (
    PublicIdentity,
    WrongPassphraseError,
    load_public,
    unlock,
)
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.workers import ServiceTask

ERROR_STYLE = "color: #b3261e;"


class PassphraseDialog(QDialog):
    """unlocked(private key) — the passphrase opened the key; the dialog then closes.

    scrypt takes a noticeable fraction of a second by design, so the check runs on a
    pool thread and the dialog says it is working. A wrong passphrase leaves the dialog
    open with the reason, for another try.
    """

    unlocked = Signal(object)
    attempt_failed = Signal(str)

    def __init__(self, ctx: AppContext, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.busy = False
        self.key: Any = None
        self.setWindowTitle(_("Passphrase"))
        self.setMinimumWidth(440)
        intro = QLabel(purpose, objectName="passphrasePurpose")
        intro.setWordWrap(True)
        self.passphrase = QLineEdit(objectName="passphraseEdit")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("Passphrase of this laptop's key"))
        self.passphrase.textChanged.connect(self._on_passphrase_textChanged)
        self.status = QLabel(objectName="passphraseStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(_("Unlock"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("unlockButton")
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._on_passphrase_textChanged("")

    def _on_passphrase_textChanged(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text) and not self.busy)

    def _on_buttons_accepted(self) -> None:
        if self.busy or not self.passphrase.text():
            return
        self._set_busy(True)
        self.status.setStyleSheet("")
        self.status.setText(_("Unlocking the key…"))
        task = ServiceTask(unlock, keys_dir=self._ctx.workspace.paths.keys,
                           passphrase=self.passphrase.text())
        self._ctx.tasks.start(task, self._on_unlock_finished, self._on_unlock_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.passphrase.setEnabled(not busy)
        self._on_passphrase_textChanged(self.passphrase.text())

    def _on_unlock_finished(self, key: Any) -> None:
        self._set_busy(False)
        self.key = key
        self.passphrase.clear()
        self.unlocked.emit(key)
        self.accept()

    def _on_unlock_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphraseError):
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(exc.message)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            self.attempt_failed.emit(exc.message)
            return
        self.status.setText("")
        show_error(self, exc)
        self.reject()

    def reject(self) -> None:
        if not self.busy:  # the pool thread is deriving the key: let it finish
            super().reject()


def ask_key(ctx: AppContext, parent: QWidget, purpose: str,
            on_key: Callable[[Any], None]) -> PassphraseDialog:
    """Open the passphrase dialog (window-modal, not blocking); `on_key` gets the key."""
    dialog = PassphraseDialog(ctx, purpose, parent)
    dialog.unlocked.connect(on_key)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def own_public_key(ctx: AppContext, parent: QWidget, why: str) -> PublicIdentity | None:
    """This profile's public identity, or None after telling the user: an unreadable key
    folder as an error, no key yet as a pointer to the Keys page (`why` says what needs it)."""
    try:
        me = load_public(ctx.workspace.paths.keys)
    except UserFacingError as exc:
        show_error(parent, exc)
        return None
    if me is None:
        show_info(parent, _("No key yet"),
                  _("Create your key on the Keys and identity page first: {why}").format(why=why))
    return me
