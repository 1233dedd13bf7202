"""About: version, data location, sources and licences."""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ovop_desktop import APP_NAME, __version__
from ovop_desktop.i18n import _


class AboutDialog(QDialog):
    def __init__(self, data_dir: str, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About {app}").format(app=APP_NAME))
        title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>", objectName="aboutTitle")
        body = QLabel(objectName="aboutBody")
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setWordWrap(True)
        body.setText("\n".join([
            _("Offline assessment panels for the OVOP (One Village One Product) award of the "
              "Ministry of Industry."),
            "",
            _("Data folder: {path}").format(path=data_dir),
            _("Database: {path}").format(path=database),
            "",
            _("Region codes: Kemendagri (Kepmendagri 300.2.2-2138/2025), from cahyadsn/wilayah, "
              "MIT licence."),
            f"Python {sys.version.split()[0]} · PySide6 {pyside_version}",
        ]))
        buttons = QDialogButtonBox()
        buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
