"""Dialog: a new round (year, name, star thresholds)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rounds import MAX_YEAR, MIN_YEAR, Thresholds
from ovop_desktop.i18n import _


def threshold_spin(value: int, name: str) -> QSpinBox:
    spin = QSpinBox(objectName=name)
    spin.setRange(1, 100)
    spin.setValue(value)
    spin.setSuffix(" / 100")
    return spin


class NewRoundDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New assessment round"))
        year = date.today().year
        self.year = QSpinBox(objectName="yearSpin")
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(year)
        self.name = QLineEdit(objectName="nameEdit")
        self.name.setText(_("OVOP Award {year}").format(year=year))
        self.year.valueChanged.connect(
            lambda y: self.name.setText(_("OVOP Award {year}").format(year=y)))
        defaults = Thresholds()
        self.three = threshold_spin(defaults.three, "threeSpin")
        self.two = threshold_spin(defaults.two, "twoSpin")
        self.one = threshold_spin(defaults.one, "oneSpin")
        form = QFormLayout()
        form.addRow(_("Year"), self.year)
        form.addRow(_("Name"), self.name)
        form.addRow(_("3 stars from"), self.three)
        form.addRow(_("2 stars from"), self.two)
        form.addRow(_("1 star from"), self.one)
        note = QLabel(_("The round uses the newest rubric of each of the five commodities. "
                        "Thresholds stay editable until the round is closed."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Create round"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def values(self) -> tuple[int, str, Thresholds]:
        return (self.year.value(), self.name.text(),
                Thresholds(self.three.value(), self.two.value(), self.one.value()))
