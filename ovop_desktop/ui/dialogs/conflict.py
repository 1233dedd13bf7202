"""Declaring a conflict of interest: an assessor, a candidate and the reason (required)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error


def searchable_combo(name: str, choices: list[tuple[str, int]], current: int | None) -> QComboBox:
    """A combo the user can type into: matches anywhere in the text, a thousand entries fine."""
    combo = QComboBox(objectName=name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for text, value in choices:
        combo.addItem(text, value)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    return combo


class ConflictDialog(QDialog):
    """declared(Conflict) — the conflict is stored (and any assignment of the pair removed)."""

    declared = Signal(object)

    def __init__(self, ctx: AppContext, assessors: list[Assessor], candidates: dict[int, str],
                 assessor_id: int | None = None, candidate_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(_("Declare a conflict of interest"))
        self.setMinimumWidth(520)
        intro = QLabel(_("A declared conflict keeps the assessor off the candidate's team: an "
                         "existing assignment is removed at once, and the planner never assigns "
                         "the pair again."))
        intro.setWordWrap(True)
        self.assessor = searchable_combo(
            "conflictAssessor", [(f"{a.name} — {a.institution}", a.id) for a in
                                 sorted(assessors, key=lambda a: a.name.casefold())],
            assessor_id)
        self.candidate = searchable_combo(
            "conflictCandidate", sorted(((n, i) for i, n in candidates.items()),
                                        key=lambda p: p[0].casefold()), candidate_id)
        self.reason = QLineEdit(objectName="conflictReason")
        self.reason.setPlaceholderText(_("e.g. relative of the owner; member of its cooperative"))
        form = QFormLayout()
        form.addRow(_("Assessor:"), self.assessor)
        form.addRow(_("Candidate:"), self.candidate)
        form.addRow(_("Reason:"), self.reason)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Declare"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("declareOkButton")
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._update_ok()

    def _update_ok(self, *_args: object) -> None:
        self.ok_button.setEnabled(bool(self.reason.text().strip())
                                  and self.assessor.currentData() is not None
                                  and self.candidate.currentData() is not None)

    def _on_buttons_accepted(self) -> None:
        try:
            conflict = self._ctx.workspace.planning.declare(
                self.assessor.currentData(), self.candidate.currentData(), self.reason.text())
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.declared.emit(conflict)
        self.accept()
