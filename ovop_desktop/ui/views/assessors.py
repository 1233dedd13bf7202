"""Penilai: the coordinator's assessor registry — enrol, assign, send packages, revoke."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.services.identity import read_card
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.bundle_export import BUNDLE_FILTER
from ovop_desktop.ui.dialogs.passphrase import ask_key, own_public_key
from ovop_desktop.ui.messages import confirm, show_error, show_info
from ovop_desktop.ui.models.exchange_models import assessor_model
from ovop_desktop.ui.models.table import SORT_ROLE
from ovop_desktop.ui.workers import ServiceTask

CARD_FILTER = "{cards} (*.card.json *.json);;{all} (*)"


class AssessorsView(QWidget):
    """enrolled(Assessor) · revoked(Assessor) · assigned(added, removed) ·
    package_exported(PackageInfo) · failed(exception)."""

    enrolled = Signal(object)
    revoked = Signal(object)
    assigned = Signal(int, int)
    package_exported = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.dialog: QWidget | None = None  # the dialog open now (tests drive it)
        self.exporting = False
        regions = ctx.workspace.regions
        self.model = assessor_model(
            lambda code: (p.name if (p := regions.province(code)) else code), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        title = QLabel(_("Assessors"), objectName="viewTitle")
        self.enrol_button = QPushButton(_("Enrol from card…"), objectName="enrolButton")
        self.assign_button = QPushButton(_("Assign candidates…"), objectName="assignButton")
        self.package_button = QPushButton(_("Export package…"), objectName="exportPackageButton")
        self.revoke_button = QPushButton(_("Revoke…"), objectName="revokeButton")
        self.enrol_button.clicked.connect(self._on_enrol_button_clicked)
        self.assign_button.clicked.connect(self._on_assign_button_clicked)
        self.package_button.clicked.connect(self._on_package_button_clicked)
        self.revoke_button.clicked.connect(self._on_revoke_button_clicked)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        for button in (self.enrol_button, self.assign_button, self.package_button,
                       self.revoke_button):
            top.addWidget(button)
        intro = QLabel(_("Assessors are enrolled from the key card they send, after you "
                         "confirm its fingerprint with them by phone or in person. Only "
                         "bundles signed by an enrolled key are accepted."), objectName="hint")
        intro.setWordWrap(True)
        self.table = QTableView(objectName="assessorTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()  # a registry of dozens: measuring is cheap
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setMaximumSectionSize(230)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self._on_assign_button_clicked())
        self.status = QLabel(objectName="assessorsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.refresh()

    # -- state -------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.selected()
        rows = self._ctx.workspace.assessors.list()
        self.model.set_rows(rows)
        if selected is not None or rows:
            self.select(selected.id if selected is not None else rows[0].id)
        self._update_buttons()

    def selected(self) -> Assessor | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_object(self.proxy.mapToSource(rows[0]).row())

    def select(self, assessor_id: int) -> bool:
        for row, a in enumerate(self.model.rows()):
            if a.id == assessor_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        a = self.selected()
        has_round = self._ctx.workspace.current_round() is not None
        usable = a is not None and not a.revoked
        self.assign_button.setEnabled(usable and has_round)
        self.package_button.setEnabled(usable and has_round and not self.exporting)
        self.revoke_button.setEnabled(usable)

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet("color: #1b7a3d;" if ok else "color: #b3261e;")
        self.status.setText(text)

    # -- enrol -------------------------------------------------------------------------

    def _on_enrol_button_clicked(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(
            self, _("Choose the assessor's key card"), str(Path.home()),
            CARD_FILTER.format(cards=_("Key cards"), all=_("All files")))
        if path:
            self.enrol_from(Path(path))

    def enrol_from(self, path: Path) -> None:
        from ovop_desktop.ui.dialogs.enrol import EnrolDialog

        try:
            card = read_card(path)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        dialog = EnrolDialog(self._ctx, path, card, self)
        dialog.enrolled.connect(self._on_dialog_enrolled)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_enrolled(self, assessor: Assessor) -> None:
        self.refresh()
        self.select(assessor.id)
        self._say(_("{name} is enrolled. Assign candidates, then export their package.")
                  .format(name=assessor.name))
        self._ctx.signals.data_changed.emit()
        self.enrolled.emit(assessor)

    # -- assign ------------------------------------------------------------------------

    def _on_assign_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.assign import AssignDialog

        a, current = self.selected(), self._ctx.workspace.current_round()
        if a is None or current is None or a.revoked:
            return
        dialog = AssignDialog(self._ctx, current.id, a, self)
        dialog.saved.connect(lambda added, removed: self._on_dialog_saved(a, added, removed))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_saved(self, a: Assessor, added: int, removed: int) -> None:
        current = self._ctx.workspace.current_round()
        total = len(self._ctx.workspace.assessors.assigned(current.id, a.id)) if current else 0
        self._say(_("{name} now has {n} candidates. Export a new package so the assessor "
                    "receives them.").format(name=a.name, n=total))
        self._ctx.signals.data_changed.emit()
        self.assigned.emit(added, removed)

    # -- package -----------------------------------------------------------------------

    def _on_package_button_clicked(self) -> None:
        a, current = self.selected(), self._ctx.workspace.current_round()
        if a is None or current is None:
            return
        me = own_public_key(self._ctx, self, _("packages are signed with it."))
        if me is None:
            return
        slug = re.sub(r"[^a-z0-9]+", "-", a.name.lower()).strip("-") or str(a.id)
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Save the assignment package"),
            str(Path.home() / f"ovop-package-{slug}-{current.year}.zip"),
            BUNDLE_FILTER.format(bundles=_("Assignment packages"), all=_("All files")))
        if not path:
            return
        out = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        self.dialog = ask_key(
            self._ctx, self, _("Unlock your key to sign the package for {name}.").format(
                name=a.name), lambda key: self._export(current.id, a, out, key, me))

    def _export(self, round_id: int, a: Assessor, out: Path, key: Any, me: Any) -> None:
        self.exporting = True
        self._update_buttons()
        self._say(_("Signing the package for {name}…").format(name=a.name))
        task = ServiceTask(self._ctx.workspace.packages.export, round_id=round_id,
                           assessor_id=a.id, out=out, key=key, me=me)
        self._ctx.tasks.start(task, self._on_export_finished, self._on_export_failed)

    def _on_export_finished(self, info: Any) -> None:
        self.exporting = False
        self._update_buttons()
        text = _("Package {seq} for {name} ({n} candidates) was written to {path}, read back "
                 "and verified.").format(seq=info.seq, name=info.assessor, n=info.candidates,
                                         path=info.path)
        self._say(text)
        self._ctx.signals.data_changed.emit()  # rubrics were frozen for the round
        self.package_exported.emit(info)
        show_info(self, _("Package saved"), text)

    def _on_export_failed(self, exc: Exception) -> None:
        self.exporting = False
        self._update_buttons()
        self._say(str(exc) if isinstance(exc, UserFacingError) else "", ok=False)
        show_error(self, exc)
        self.failed.emit(exc)

    # -- revoke ------------------------------------------------------------------------

    def _on_revoke_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.revoke import RevokeDialog

        a = self.selected()
        if a is None or a.revoked:
            return
        last = max((b.seq for b in self._ctx.workspace.bundles.list()
                    if b.assessor_id == a.id and b.status == Outcome.ACCEPTED.value
                    and b.seq is not None), default=0)
        dialog = RevokeDialog(a, last, self)
        dialog.accepted.connect(lambda: self._revoke(a, dialog.through_seq()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _revoke(self, a: Assessor, through: int) -> None:
        if not confirm(self, _("Revoke the key"), _(
                "Revoke {name}'s key? Bundles after number {n} will be held.").format(
                    name=a.name, n=through), _("Revoke")):
            return
        try:
            done = self._ctx.workspace.assessors.revoke(a.id, through)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self._say(_("{name}'s key is revoked: bundles after number {n} will be held.").format(
            name=done.name, n=through))
        self._ctx.signals.data_changed.emit()
        self.revoked.emit(done)
