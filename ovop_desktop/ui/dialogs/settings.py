"""Settings: language (applied at once), name and institution."""

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
    def __init__(self, language: str, data_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox(objectName="languageCombo")
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        folder = QLabel(data_dir, objectName="dataDirLabel")
        folder.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Language"), self.language)
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
