"""Moderation: the panel sets one criterion's level for a candidate, with the reason.

The assessors' own levels stay visible (and stored); the reason is mandatory because it
goes into the audit log and is what the coordinator shows the ministry. The same dialog
withdraws a moderation, which needs a reason too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rubric import LEVELS, Criterion
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.results_models import number

ERROR_STYLE = "color: #b3261e;"
STYLE = """
QFrame#levelChoice { border: 1px solid #c4c4c4; border-radius: 6px; background: white; }
QFrame#levelChoice[chosen="true"] { border: 2px solid #1f4e3d; background: #d4eddf; }
QLabel#criterionTitle { font-size: 15px; font-weight: 600; }
"""
_KEYS = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3}


@dataclass(frozen=True)
class GivenLevel:
    """One assessor's level for the criterion, as the dialog lists it."""

    assessor: str
    level: int | None
    counted: bool
    why_not: str = ""  # e.g. "conflict of interest"


class ModerationDialog(QDialog):
    """moderated(candidate id, criterion id, level or None) — stored; the dialog then closes.

    `withdraw=True`: no level to choose; OK withdraws the current moderation.
    """

    moderated = Signal(int, str, object)

    def __init__(self, ctx: AppContext, candidate_id: int, candidate_name: str,
                 criterion: Criterion, given: Sequence[GivenLevel], mean: float | None,
                 current: int | None = None, withdraw: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.candidate_id = candidate_id
        self.criterion = criterion
        self.withdraw = withdraw
        language = current_language()
        self.setWindowTitle(_("Withdraw the moderation") if withdraw else
                            _("Moderate a criterion"))
        self.setMinimumWidth(620)
        self.setStyleSheet(STYLE)
        title = QLabel(f"{criterion.id} · {criterion.name.get(language)}",
                       objectName="criterionTitle")
        title.setWordWrap(True)
        who = QLabel(candidate_name, objectName="hint")
        given_label = QLabel(self._given_text(given, mean, current), objectName="givenLevels")
        given_label.setWordWrap(True)
        given_label.setTextFormat(Qt.TextFormat.PlainText)

        self.group = QButtonGroup(self)
        self.cards: dict[int, QFrame] = {}
        levels = QGridLayout()
        levels.setColumnStretch(1, 1)
        for row, (level, descriptor) in enumerate(zip(LEVELS, criterion.levels, strict=True)):
            card = QFrame(objectName="levelChoice")
            card.setProperty("chosen", False)
            radio = QRadioButton(_("Level {level}").format(level=level),
                                 objectName=f"level{level}")
            radio.setToolTip(_("Press {key}").format(key=level))
            self.group.addButton(radio, level)
            text = QLabel(descriptor.get(language), wordWrap=True)
            text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            text.setBuddy(radio)
            inner = QGridLayout(card)
            inner.setContentsMargins(8, 6, 8, 6)
            inner.addWidget(radio, 0, 0, Qt.AlignmentFlag.AlignTop)
            inner.addWidget(text, 0, 1)
            inner.setColumnStretch(1, 1)
            inner.setColumnMinimumWidth(0, 90)
            levels.addWidget(card, row, 0, 1, 2)
            self.cards[level] = card
            radio.setEnabled(not withdraw)
        if current is not None and current in self.cards:
            self.group.button(current).setChecked(True)
        self.group.idToggled.connect(self._on_group_idToggled)

        self.reason = QPlainTextEdit(objectName="moderationReason")
        self.reason.setPlaceholderText(_("The panel's decision and why, e.g. “Panel meeting "
                                         "12 October: export documents checked on site”"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.reason.textChanged.connect(self._update_ok)
        self.error = QLabel(objectName="moderationError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            _("Withdraw moderation") if withdraw else _("Moderate"),
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("moderateOkButton")
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(who)
        layout.addWidget(given_label)
        if withdraw:
            note = QLabel(_("Withdrawing restores the mean of the assessors' levels."),
                          objectName="hint")
            note.setWordWrap(True)
            layout.addWidget(note)
        else:
            layout.addWidget(QLabel(_("The panel's level (keys 1, 2, 3):"),
                                    objectName="fieldLabel"))
        layout.addLayout(levels)
        layout.addWidget(QLabel(_("Reason (required; kept in the audit log):"),
                                objectName="fieldLabel"))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._mark_chosen()
        self._update_ok()

    @staticmethod
    def _given_text(given: Sequence[GivenLevel], mean: float | None, current: int | None
                    ) -> str:
        parts = []
        for g in given:
            level = str(g.level) if g.level is not None else "—"
            parts.append(f"{g.assessor}: {level}" if g.counted else
                         _("{assessor}: {level} (not counted: {reason})").format(
                             assessor=g.assessor, level=level, reason=g.why_not))
        text = _("Assessors' levels: {levels}").format(levels=" · ".join(parts) or "—")
        text += "\n" + _("Mean: {mean}").format(mean=number(mean, 2))
        if current is not None:
            text += " · " + _("moderated now to level {level}").format(level=current)
        return text

    # -- choosing --------------------------------------------------------------------------

    def level(self) -> int | None:
        chosen = self.group.checkedId()
        return chosen if chosen in LEVELS else None

    def choose(self, level: int) -> None:
        if not self.withdraw and level in self.cards:
            self.group.button(level).setChecked(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The reason box takes digits itself; elsewhere 1/2/3 choose the level.
        key = Qt.Key(event.key())
        if key in _KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.choose(_KEYS[key])
            return
        super().keyPressEvent(event)

    def _on_group_idToggled(self, _level: int, checked: bool) -> None:
        if checked:
            self._mark_chosen()
            self._update_ok()

    def _mark_chosen(self) -> None:
        for level, card in self.cards.items():
            chosen = level == self.level()
            if bool(card.property("chosen")) != chosen:
                card.setProperty("chosen", chosen)
                card.style().unpolish(card)
                card.style().polish(card)

    def _update_ok(self) -> None:
        has_reason = bool(self.reason.toPlainText().strip())
        self.ok_button.setEnabled(has_reason and (self.withdraw or self.level() is not None))

    # -- storing ---------------------------------------------------------------------------

    def _on_buttons_accepted(self) -> None:
        if not self.ok_button.isEnabled():
            return
        level = None if self.withdraw else self.level()
        try:  # one short transaction: no need for a pool thread
            self._ctx.workspace.results.moderate(self.candidate_id, self.criterion.id, level,
                                                 self.reason.toPlainText())
        except UserFacingError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        except Exception as exc:  # a bug: the standard report, and the dialog stays open
            show_error(self, exc)
            return
        self.moderated.emit(self.candidate_id, self.criterion.id, level)
        self.accept()
