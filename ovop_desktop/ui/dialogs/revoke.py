"""Revoking an assessor's key: bundles numbered after the chosen one are held from now on."""

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
from ovop_desktop.services.assessors import Assessor


class RevokeDialog(QDialog):
    """Asks for the last bundle still trusted (default: the last one accepted)."""

    def __init__(self, assessor: Assessor, last_accepted: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Revoke a key"))
        self.setMinimumWidth(480)
        intro = QLabel(_(
            "Revoke {name}'s key when the laptop was lost or the key may be known to someone "
            "else. Bundles up to the number below stay valid; later bundles signed with this "
            "key are held for your decision. This cannot be undone: enrol a new key "
            "afterwards.").format(name=assessor.name))
        intro.setWordWrap(True)
        self.through = QSpinBox(objectName="throughSeq")
        self.through.setRange(0, 1_000_000)
        self.through.setValue(last_accepted)
        self.through.setSpecialValueText(_("none (distrust every bundle)"))
        hint = QLabel(_("The last bundle accepted from this key is number {n}.").format(
            n=last_accepted) if last_accepted else _("No bundle was accepted from this key yet."),
            objectName="hint")
        form = QFormLayout()
        form.addRow(_("Trust bundles up to number:"), self.through)
        form.addRow("", hint)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Revoke…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("revokeOkButton")
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def through_seq(self) -> int:
        return self.through.value()
