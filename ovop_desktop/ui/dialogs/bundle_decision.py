"""The coordinator's decision on a held bundle: accept or reject, always with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.i18n import _
from ovop_desktop.ui.models.exchange_models import ReceivedBundle


class DecisionDialog(QDialog):
    """OK is enabled once a choice is made and a reason is written (the audit log keeps it)."""

    def __init__(self, bundle: ReceivedBundle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Decide on a held bundle"))
        self.setMinimumWidth(560)
        facts = QFormLayout()
        facts.addRow(_("File:"), QLabel(bundle.file_name))
        facts.addRow(_("Assessor:"), QLabel(bundle.assessor or "—"))
        facts.addRow(_("Bundle number:"), QLabel("" if bundle.seq is None else str(bundle.seq)))
        facts.addRow(_("Scores:"), QLabel(str(bundle.scores)))
        why = QLabel(bundle.reason, objectName="heldReason")
        why.setWordWrap(True)
        why.setStyleSheet("color: #6b4e00;")
        facts.addRow(_("Held because:"), why)
        advice = QLabel(_("Check with the assessor (by phone, not by replying to the e-mail) "
                          "before accepting. Accepting applies the bundle's scores."),
                        objectName="hint")
        advice.setWordWrap(True)
        self.accept_radio = QRadioButton(_("Accept the bundle"), objectName="acceptRadio")
        self.reject_radio = QRadioButton(_("Reject the bundle"), objectName="rejectRadio")
        self.choice = QButtonGroup(self)
        for radio in (self.accept_radio, self.reject_radio):
            self.choice.addButton(radio)
            radio.toggled.connect(self._update)
        self.reason = QPlainTextEdit(objectName="decisionReason")
        self.reason.setPlaceholderText(_("Reason (required), e.g. “confirmed by phone with the "
                                         "assessor on 12 May”"))
        self.reason.setFixedHeight(80)
        self.reason.textChanged.connect(self._update)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(_("Record decision"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("decideOkButton")
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(facts)
        layout.addWidget(advice)
        layout.addWidget(self.accept_radio)
        layout.addWidget(self.reject_radio)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._update()

    def accepted_choice(self) -> bool:
        return self.accept_radio.isChecked()

    def reason_text(self) -> str:
        return " ".join(self.reason.toPlainText().split())

    def _update(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.choice.checkedButton() is not None
                                  and bool(self.reason_text()))
