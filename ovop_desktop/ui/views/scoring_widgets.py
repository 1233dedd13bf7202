"""Pieces of the scoring sheet: level cards, a criterion row, the running score, reopen reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rubric import LEVELS, Aspect, Criterion, Rubric
from ovop_desktop.i18n import _

NOTE_DEBOUNCE_MS = 1200  # a note typed without leaving the field is saved after this pause
NOTE_MAX_CHARS = 2000

SHEET_STYLE = """
QFrame#criterionRow { border: 1px solid #d8d8d8; border-radius: 6px; background: #fafafa; }
QFrame#criterionRow:focus { border: 2px solid #2f7a5f; background: #f0f7f3; }
QFrame#levelCard { border: 1px solid #c4c4c4; border-radius: 6px; background: white; }
QFrame#levelCard:hover { border-color: #2f7a5f; }
QFrame#levelCard[chosen="true"] { border: 2px solid #1f4e3d; background: #d4eddf; }
QLabel#levelNumber { font-size: 16px; font-weight: 700; color: #1f4e3d; }
QLabel#criterionName { font-weight: 600; }
QLabel#aspectTitle { font-size: 15px; font-weight: 600; color: #1f4e3d; padding-top: 8px; }
QLabel#saveState[state="saved"] { color: #1b7a3d; font-weight: 600; }
QLabel#saveState[state="error"] { color: #b3261e; font-weight: 600; }
QLabel#saveState[state="pending"] { color: #7a5c00; }
QLabel#finishedBanner { background: #d4eddf; border: 1px solid #1b7a3d; border-radius: 4px;
                        padding: 6px; }
QLabel#totalScore { font-size: 26px; font-weight: 700; color: #1f4e3d; }
"""


def repolish(widget: QWidget) -> None:
    """Apply a changed dynamic property to the style sheet."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


# -- the running score (the domain's rule, applied to a sheet that may be incomplete) ---------

@dataclass(frozen=True)
class AspectScore:
    aspect: Aspect
    scored: int
    points: float  # sum(levels given) / (3 × criteria) × weight

    @property
    def complete(self) -> bool:
        return self.scored == len(self.aspect.criteria)


def aspect_scores(rubric: Rubric, levels: Mapping[str, int]) -> list[AspectScore]:
    """Each aspect's points so far: ungiven levels count as 0, so a partial score only grows."""
    out = []
    for aspect in rubric.aspects:
        given = [levels[c.id] for c in aspect.criteria if c.id in levels]
        points = sum(given) / (max(LEVELS) * len(aspect.criteria)) * aspect.weight
        out.append(AspectScore(aspect, len(given), points))
    return out


def format_points(points: float) -> str:
    return f"{points:.1f}"


# -- one criterion: its name, three level cards and a note ----------------------------------

class LevelCard(QFrame):
    """clicked(level) — a large clickable descriptor; never takes the focus itself."""

    clicked = Signal(int)

    def __init__(self, level: int, descriptor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="levelCard")
        self.level = level
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("chosen", False)
        number = QLabel(str(level), objectName="levelNumber")
        text = QLabel(descriptor, objectName="levelText", wordWrap=True)
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(number, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text, 1)
        self.setToolTip(_("Level {level} — click or press {level}").format(level=level))

    def is_chosen(self) -> bool:
        return bool(self.property("chosen"))

    def set_chosen(self, chosen: bool) -> None:
        if self.is_chosen() != chosen:
            self.setProperty("chosen", chosen)
            repolish(self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit(self.level)
        super().mouseReleaseEvent(event)


class CriterionRow(QFrame):
    """level_chosen(criterion id, level) · note_edited(criterion id, note) · note_typing() ·
    move(±1) · focused(row) · photo_requested(criterion id) — keys 1/2/3 choose a level,
    Up/Down move to the next criterion, P adds a photo."""

    level_chosen = Signal(str, int)
    photo_requested = Signal(str)
    note_edited = Signal(str, str)
    note_typing = Signal()
    move = Signal(int)
    focused = Signal(object)

    def __init__(self, criterion: Criterion, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="criterionRow")
        self.criterion = criterion
        self.read_only = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(criterion.name.get(language))
        name = QLabel(f"{criterion.id}. {criterion.name.get(language)}",
                      objectName="criterionName", wordWrap=True)
        self.cards = [LevelCard(n, text.get(language), self)
                      for n, text in zip(LEVELS, criterion.levels, strict=True)]
        cards = QHBoxLayout()
        cards.setSpacing(8)
        for card in self.cards:
            card.clicked.connect(self._on_card_clicked)
            cards.addWidget(card, 1)
        self.note = QLineEdit(objectName="criterionNote")
        self.note.setMaxLength(NOTE_MAX_CHARS)
        self.note.editingFinished.connect(self._emit_note)
        self.note.textEdited.connect(self._on_note_textEdited)
        self._debounce = QTimer(self, singleShot=True, interval=NOTE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(name)
        layout.addLayout(cards)
        self.note_line = QHBoxLayout()  # the note, and whatever the sheet adds beside it
        self.note_line.addWidget(self.note, 1)
        layout.addLayout(self.note_line)
        self.set_state(None, "")

    @property
    def criterion_id(self) -> str:
        return self.criterion.id

    def level(self) -> int | None:
        return next((c.level for c in self.cards if c.is_chosen()), None)

    def set_state(self, level: int | None, note: str) -> None:
        """Show a level and note (the stored ones, or the one being saved)."""
        for card in self.cards:
            card.set_chosen(card.level == level)
        if not self.note.hasFocus() or self.read_only:
            self.note.setText(note)
        self._update_note_state(level)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.note.setReadOnly(read_only)
        for card in self.cards:
            card.setCursor(Qt.CursorShape.ArrowCursor if read_only
                           else Qt.CursorShape.PointingHandCursor)
        self._update_note_state(self.level())

    def _update_note_state(self, level: int | None) -> None:
        # A score is stored with its level, so a note can only be written once a level is given.
        self.note.setEnabled(level is not None or bool(self.note.text()))
        self.note.setPlaceholderText(
            _("Note (saved as you type)") if level is not None
            else _("Choose a level first, then add a note"))

    def pending_note(self) -> str | None:
        """The note text if it has edits not yet handed on for saving, else None."""
        return self.note.text() if self._debounce.isActive() else None

    def flush_note(self) -> None:
        if self._debounce.isActive():
            self._emit_note()

    # -- input -----------------------------------------------------------------

    def _on_card_clicked(self, level: int) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if not self.read_only:
            self.level_chosen.emit(self.criterion.id, level)

    def _on_note_textEdited(self, _text: str) -> None:
        self._debounce.start()
        self.note_typing.emit()

    def _emit_note(self) -> None:
        self._debounce.stop()
        if not self.read_only:
            self.note_edited.emit(self.criterion.id, self.note.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        levels = {Qt.Key.Key_1: 1, Qt.Key.Key_2: 2, Qt.Key.Key_3: 3}
        if key in levels and not self.read_only and self.hasFocus():
            self.level_chosen.emit(self.criterion.id, levels[key])  # type: ignore[index]
        elif key == Qt.Key.Key_P and not self.read_only and self.hasFocus():
            self.photo_requested.emit(self.criterion.id)
        elif key == Qt.Key.Key_Up:
            self.move.emit(-1)
        elif key == Qt.Key.Key_Down:
            self.move.emit(1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit(self)


# -- thumbnails wrap like words -------------------------------------------------------------

class FlowLayout(QLayout):
    """Items left to right, wrapping to the next line (thumbnails)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self.spacing(), 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y()


# -- reopening asks why ----------------------------------------------------------------------

class ReasonDialog(QDialog):
    """Asks why a finished sheet is reopened; OK only once a reason is written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="reopenDialog")
        self.setWindowTitle(_("Reopen the sheet"))
        label = QLabel(_("Why is this finished sheet reopened? The reason is recorded in the "
                         "sheet's history."), wordWrap=True)
        self.reason = QPlainTextEdit(objectName="reopenReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 5)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Reopen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(self._on_reason_textChanged)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.resize(420, self.sizeHint().height())

    def text(self) -> str:
        return " ".join(self.reason.toPlainText().split())

    def _on_reason_textChanged(self) -> None:
        self.ok.setEnabled(bool(self.text()))


def ask_reason(parent: QWidget | None) -> str | None:
    """The reason typed, or None if the assessor cancelled."""
    dialog = ReasonDialog(parent)
    try:
        return dialog.text() if dialog.exec() and dialog.text() else None
    finally:
        dialog.deleteLater()
