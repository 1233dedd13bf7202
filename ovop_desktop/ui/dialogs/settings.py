"""Settings: language (applied at once), paper size of printed documents, data folder."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.i18n import LANGUAGES, _


class SettingsDialog(QDialog):
    def __init__(self, language: str, data_dir: str, parent: QWidget | None = None,
                 paper: str = "a4") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox(objectName="languageCombo")
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.paper = QComboBox(objectName="paperCombo")
        self.paper.addItem("A4", "a4")
        self.paper.addItem("F4 (Folio)", "f4")
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        folder = QLabel(data_dir, objectName="dataDirLabel")
        folder.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language"), self.language)
        form.addRow(_("Paper size"), self.paper)
        form.addRow(_("Data folder"), folder)
        hint = QLabel(_("Another data folder: start with --data-dir DIR or set OVOP_DATA_DIR."))
        hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def chosen_paper(self) -> str:
        return str(self.paper.currentData())
