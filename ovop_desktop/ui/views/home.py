"""Beranda: who you are, the round you work on, and where your data lives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from ovop_desktop.i18n import _
from ovop_desktop.services.maintenance import audit_entry_count
from ovop_desktop.ui.context import AppContext


def _value_label(name: str) -> QLabel:
    label = QLabel(objectName=name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class HomeView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.greeting = QLabel(objectName="viewTitle")
        self.role_hint = QLabel(objectName="roleHint")
        self.role_hint.setWordWrap(True)

        self.round_name = _value_label("homeRoundName")
        self.round_status = _value_label("homeRoundStatus")
        self.round_thresholds = _value_label("homeThresholds")
        self.round_rubrics = _value_label("homeRubrics")
        round_box = QGroupBox(_("Current round"))
        form = QFormLayout(round_box)
        form.addRow(_("Round"), self.round_name)
        form.addRow(_("Status"), self.round_status)
        form.addRow(_("Star thresholds"), self.round_thresholds)
        form.addRow(_("Rubrics"), self.round_rubrics)

        self.data_dir = _value_label("homeDataDir")
        self.audit = _value_label("homeAudit")
        store_box = QGroupBox(_("Your data"))
        store_form = QFormLayout(store_box)
        store_form.addRow(_("Data folder"), self.data_dir)
        store_form.addRow(_("Audit log"), self.audit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.greeting)
        layout.addWidget(self.role_hint)
        layout.addWidget(round_box)
        layout.addWidget(store_box)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        ws = self._ctx.workspace
        profile = ws.profile.get()
        name = profile.name if profile else ""
        self.greeting.setText(_("Welcome, {name}").format(name=name) if name else _("Welcome"))
        if self._ctx.is_coordinator:
            self.role_hint.setText(_(
                "As coordinator you set up rounds and rubrics, and later gather the assessors' "
                "signed score bundles into the star rankings."))
        else:
            self.role_hint.setText(_(
                "As assessor you score your site visits here, offline, and hand in a signed "
                "score bundle to the coordinator."))
        current = ws.current_round()
        if current is None:
            self.round_name.setText(_("No round yet."))
            for label in (self.round_status, self.round_thresholds, self.round_rubrics):
                label.setText("—")
        else:
            t = current.thresholds
            self.round_name.setText(f"{current.name} ({current.year})")
            self.round_status.setText(current.status.label)
            self.round_thresholds.setText(
                _("3★ from {a} · 2★ from {b} · 1★ from {c}").format(a=t.three, b=t.two, c=t.one))
            self.round_rubrics.setText("\n".join(
                f"{rc.commodity.label}: v{rc.rubric_version}"
                + (" · " + _("frozen") if rc.rubric_frozen else "") for rc in current.commodities))
        self.data_dir.setText(str(ws.paths.root))
        self.audit.setText(_("{n} entries recorded").format(n=self._audit_count()))

    def _audit_count(self) -> int:
        return audit_entry_count(self._ctx.workspace.store)
