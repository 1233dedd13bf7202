"""Asking for the team size before the automatic proposal runs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.i18n import _


class AutoPlanDialog(QDialog):
    """Team size (default 3) and minimum (default 2); the minimum never exceeds the size."""

    def __init__(self, candidates: int, per_candidate: int = 3, minimum: int = 2,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Propose teams automatically"))
        self.setMinimumWidth(460)
        intro = QLabel(_(
            "Fills the team of each of the {n} candidates that passed screening, balancing "
            "commodity expertise, one secretariat officer per team, the workload of each "
            "assessor and the kabupaten/kota of the trips. Assignments you made by hand are "
            "kept, and a conflicted assessor is never assigned.").format(n=candidates))
        intro.setWordWrap(True)
        self.per_candidate = QSpinBox(objectName="teamSize")
        self.per_candidate.setRange(1, 10)
        self.per_candidate.setValue(per_candidate)
        self.minimum = QSpinBox(objectName="teamMinimum")
        self.minimum.setRange(1, 10)
        self.minimum.setValue(minimum)
        self.per_candidate.valueChanged.connect(
            lambda n: self.minimum.setValue(min(self.minimum.value(), n)))
        self.minimum.valueChanged.connect(
            lambda n: self.per_candidate.setValue(max(self.per_candidate.value(), n)))
        form = QFormLayout()
        form.addRow(_("Assessors per candidate:"), self.per_candidate)
        form.addRow(_("At least:"), self.minimum)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Propose"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("proposeOkButton")
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[int, int]:
        return self.per_candidate.value(), self.minimum.value()
