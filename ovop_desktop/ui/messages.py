"""Showing errors and questions in the user's language (Qt has no Indonesian catalogue)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _


def show_error(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    """A readable message for a UserFacingError; a bug report hint for anything else."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or _("Cannot continue"))
    if isinstance(error, ValidationError):
        box.setText(error.message)
        if error.problems:
            box.setInformativeText("\n".join(f"• {p}" for p in error.problems))
    elif isinstance(error, UserFacingError):
        box.setText(error.message)
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(_("Something went wrong inside OVOP Desktop. Your saved data is safe."))
        box.setInformativeText(f"{type(error).__name__}: {error}")
    box.addButton(_("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.addButton(_("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
