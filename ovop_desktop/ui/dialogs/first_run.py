"""First run: choose the role (Koordinator / Penilai), your name and institution."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.profile import Profile, Role
from ovop_desktop.i18n import LANGUAGES, _

# The institutions that staff OVOP selection teams (domain/ovop.md); free text is allowed.
INSTITUTIONS = (
    "Direktorat Jenderal IKMA, Kementerian Perindustrian",
    "Dinas Perindustrian Provinsi",
    "Kemenko Bidang Perekonomian",
    "BBSPJI Agro",
    "BBSPJI Kerajinan dan Batik",
    "BBSPJI Keramik dan Mineral Non Logam",
    "GAPMMI",
    "Yayasan Batik Indonesia",
    "Cita Tenun Indonesia",
    "HIMKI",
    "Warlami",
    "Perguruan tinggi",
)


class FirstRunDialog(QDialog):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to OVOP Desktop"))
        intro = QLabel(_("This laptop keeps its own data. Tell OVOP Desktop who works with it; "
                         "the role decides what you see."))
        intro.setWordWrap(True)
        self.coordinator = QRadioButton(_("Coordinator — secretariat: rounds, rubrics, "
                                          "results"), objectName="roleCoordinator")
        self.assessor = QRadioButton(_("Assessor — field visits and scoring"),
                                     objectName="roleAssessor")
        self.assessor.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.coordinator)
        group.addButton(self.assessor)
        self.name = QLineEdit(objectName="nameEdit")
        self.name.setPlaceholderText(_("Full name, as it should appear on scorecards"))
        self.institution = QComboBox(objectName="institutionEdit")
        self.institution.setEditable(True)
        self.institution.addItems(INSTITUTIONS)
        self.institution.setCurrentText("")
        self.language = QComboBox(objectName="languageCombo")
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.error = QLabel(objectName="errorLabel")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_("Role"), self.coordinator)
        form.addRow("", self.assessor)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Institution"), self.institution)
        form.addRow(_("Language"), self.language)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(_("Start"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def profile(self) -> Profile:
        role = Role.COORDINATOR if self.coordinator.isChecked() else Role.ASSESSOR
        return Profile(role=role, name=" ".join(self.name.text().split()),
                       institution=" ".join(self.institution.currentText().split()))

    def chosen_language(self) -> str:
        return str(self.language.currentData())

    def _on_buttons_accepted(self) -> None:
        problems = self.profile().problems()
        if problems:
            self.error.setText(" ".join(problems))
            self.name.setFocus()
            return
        self.accept()
