"""Enrolling an assessor from a key card, with the fingerprint typed as heard on the phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import CHANNELS
from ovop_desktop.services.identity import Card
from ovop_desktop.services.signing import parse_fingerprint
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.coordinator_fingerprint import hex_digits, monospace_edit
from ovop_desktop.ui.models.exchange_models import channel_label

ERROR_STYLE = "color: #b3261e;"


class EnrolDialog(QDialog):
    """enrolled(Assessor) · refused(message) — the service's refusal keeps the dialog open.

    The fingerprint field is deliberately empty: the coordinator types what the assessor
    reads aloud from their own screen, and the service compares it with the card. A card
    swapped on the way (e-mail, USB stick) then fails here instead of being trusted.
    """

    enrolled = Signal(object)
    refused = Signal(str)

    def __init__(self, ctx: AppContext, card_path: Path, card: Card,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._card_path = Path(card_path)
        self.assessor: Any = None
        self.setWindowTitle(_("Enrol an assessor"))
        self.setMinimumWidth(820)
        intro = QLabel(_("Call the assessor (or meet them) and ask them to read the fingerprint "
                         "shown on their Keys page. Type it here as you hear it — do not copy "
                         "it from the e-mail that brought the card."))
        intro.setWordWrap(True)
        heading = QLabel(card.name, objectName="cardName")
        heading.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.fingerprint = monospace_edit("enrolFingerprint")
        self.count = QLabel(objectName="digitCount")
        self.confirmed_by = QLineEdit(objectName="confirmedBy")
        self.confirmed_by.setPlaceholderText(_("Who made the call or met the assessor"))
        self.channel = QComboBox(objectName="channelCombo")
        self.channel.addItem(_("— choose —"), None)
        for channel in CHANNELS:
            self.channel.addItem(channel_label(channel), channel)
        self.commodities: dict[Commodity, QCheckBox] = {}
        grid = QGridLayout()
        for i, commodity in enumerate(Commodity):
            box = QCheckBox(commodity.label, objectName=f"commodity_{commodity.value}")
            box.toggled.connect(self._update)
            self.commodities[commodity] = box
            grid.addWidget(box, i // 2, i % 2)
        self.province = QComboBox(objectName="provinceCombo")
        self.province.addItem(_("— choose —"), None)
        for p in sorted(ctx.workspace.regions.provinces(), key=lambda p: p.name):
            self.province.addItem(p.name, p.code)
        form = QFormLayout()
        form.addRow(_("Name:"), heading)
        form.addRow(_("Institution:"), QLabel(card.institution or "—",
                                              objectName="cardInstitution"))
        form.addRow(_("Card file:"), QLabel(self._card_path.name, objectName="hint"))
        form.addRow(_("Fingerprint as heard:"), self.fingerprint)
        form.addRow("", self.count)
        form.addRow(_("Confirmed by:"), self.confirmed_by)
        form.addRow(_("Channel:"), self.channel)
        form.addRow(_("Commodities:"), grid)
        form.addRow(_("Home province:"), self.province)
        self.error = QLabel(objectName="enrolError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(_("Enrol"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("enrolButton")
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        for signal in (self.fingerprint.textChanged, self.confirmed_by.textChanged,
                       self.channel.currentIndexChanged, self.province.currentIndexChanged):
            signal.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update()

    def chosen_commodities(self) -> list[Commodity]:
        return [c for c, box in self.commodities.items() if box.isChecked()]

    def _fingerprint_ok(self) -> bool:
        try:
            parse_fingerprint(self.fingerprint.text())
        except ValueError:
            return False
        return True

    def complete(self) -> bool:
        return (self._fingerprint_ok() and bool(self.confirmed_by.text().strip())
                and self.channel.currentData() is not None and bool(self.chosen_commodities())
                and self.province.currentData() is not None)

    def _update(self, *_args: object) -> None:
        self.count.setText(_("{n} of 64 hexadecimal digits").format(
            n=hex_digits(self.fingerprint.text())))
        self.ok_button.setEnabled(self.complete())

    def _on_buttons_accepted(self) -> None:
        if not self.complete():
            return
        try:
            self.assessor = self._ctx.workspace.assessors.enrol(
                self._card_path, self.fingerprint.text(), self.confirmed_by.text(),
                self.channel.currentData(), self.chosen_commodities(),
                self.province.currentData())
        except UserFacingError as exc:
            message = exc.message
            if isinstance(exc, ValidationError) and exc.problems:
                message += "\n" + "\n".join(f"• {p}" for p in exc.problems)
            self.error.setText(message)
            self.refused.emit(message)
            return
        self.enrolled.emit(self.assessor)
        self.accept()
