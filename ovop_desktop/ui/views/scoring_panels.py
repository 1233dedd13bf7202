"""The scoring sheet's side parts: the IKM's identity header, the score panel with the actual
visit date, the history table, the visit note and the large view of a photo."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QImage, QImageReader, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.candidates import Candidate, EntryKind, field_label
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.domain.rubric import Rubric
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import confirm, show_error
from ovop_desktop.ui.models.table import Column, RowTableModel
from ovop_desktop.ui.models.visits_model import status_text
from ovop_desktop.ui.views.scoring_widgets import NOTE_DEBOUNCE_MS, aspect_scores, format_points

if TYPE_CHECKING:
    from ovop_desktop.services.evidence import Photo
    from ovop_desktop.services.scoring import VisitDateRange

HistoryEntry = tuple[str, str, str, str, str, str]  # (time, who, criterion or "*", old, new, note)


def identity_html(candidate: Candidate, regions: RegionRegistry, visit: date | None) -> str:
    """Who and what is visited, as two columns of label/value pairs."""
    d = candidate.data
    regency = regions.regency(d.region_code)
    province = regions.province(regency.province_code) if regency else None
    place = ", ".join(p for p in ((regency.name if regency else d.region_code),
                                  province.name if province else "") if p)
    sentra = d.sentra_name + (f" (SK {d.sentra_sk_number})" if d.sentra_sk_number else "")
    if d.kind is EntryKind.REEVALUATION:
        kind = f"{d.kind.label} · {'★' * (d.previous_star or 0)} ({d.previous_year or '?'})"
    else:
        kind = d.kind.label
    documents = ", ".join(sorted(doc.label for doc in d.documents)) or _("none recorded")
    left = [(field_label("owner"), d.owner), (field_label("region_code"), place),
            (field_label("address"), d.address), (field_label("sentra_name"), sentra)]
    right = [(field_label("commodity"), d.commodity.label), (field_label("product"), d.product),
             (field_label("kind"), kind),
             (_("Planned visit date"), visit.isoformat() if visit else "—"),
             (field_label("documents"), documents)]

    def table(pairs: list[tuple[str, str]]) -> str:
        cells = "".join(f"<tr><td style='color:#555; padding-right:8px'>{escape(k)}</td>"
                        f"<td>{escape(v) or '—'}</td></tr>" for k, v in pairs)
        return f"<table cellspacing='1'>{cells}</table>"

    return (f"<table width='100%'><tr><td width='50%' valign='top'>{table(left)}</td>"
            f"<td valign='top'>{table(right)}</td></tr></table>")


class ScorePanel(QFrame):
    """The running subtotal per aspect and the total, the saved state and finish / reopen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="scorePanel")
        self.setFixedWidth(280)
        self.save_state = QLabel(objectName="saveState", wordWrap=True)
        self.total = QLabel(objectName="totalScore")
        self.completeness = QLabel(objectName="hint", wordWrap=True)
        self.aspects = QGridLayout()
        self.aspects.setColumnStretch(0, 1)
        self.finish_button = QPushButton(_("Fi&nish"), objectName="finishButton")
        self.finish_button.setToolTip(_("Mark the sheet finished (every criterion must be "
                                        "scored). Reopening it later asks for a reason."))
        self.reopen_button = QPushButton(_("Re&open…"), objectName="reopenButton")
        self.visit_date = VisitDateField(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(QLabel(_("Score"), objectName="sectionTitle"))
        layout.addLayout(self.aspects)
        layout.addSpacing(6)
        layout.addWidget(QLabel(_("Total")))
        layout.addWidget(self.total)
        layout.addWidget(self.completeness)
        layout.addSpacing(12)
        layout.addWidget(QLabel(_("Actual visit date"), objectName="sectionTitle"))
        layout.addWidget(self.visit_date)
        layout.addSpacing(12)
        layout.addWidget(self.save_state)
        layout.addStretch(1)
        layout.addWidget(self.finish_button)
        layout.addWidget(self.reopen_button)
        layout.addWidget(QLabel(_("Keys: 1, 2, 3 choose the level of the highlighted "
                                  "criterion; ↑ and ↓ move between criteria; Tab goes to "
                                  "its note; P adds a photo."), objectName="hint", wordWrap=True))
        self._labels: list[tuple[QLabel, QLabel]] = []

    def set_rubric(self, rubric: Rubric) -> None:
        while self.aspects.count():
            item = self.aspects.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        language = current_language()
        self._labels = []
        for i, aspect in enumerate(rubric.aspects):
            name = QLabel(f"{aspect.id}. {aspect.name.get(language)}", wordWrap=True)
            points = QLabel(objectName=f"aspectPoints_{aspect.id}")
            self.aspects.addWidget(name, i, 0)
            self.aspects.addWidget(points, i, 1)
            self._labels.append((name, points))

    def show_scores(self, rubric: Rubric, levels: dict[str, int]) -> tuple[float, bool]:
        """Update the subtotals and total; returns (total, complete)."""
        scores = aspect_scores(rubric, levels)
        for (_name, label), score in zip(self._labels, scores, strict=True):
            label.setText(f"{format_points(score.points)} / {score.aspect.weight}"
                          + ("" if score.complete else " *"))
            label.setToolTip(_("{scored} of {count} criteria scored").format(
                scored=score.scored, count=len(score.aspect.criteria)))
        total = sum(s.points for s in scores)
        complete = all(s.complete for s in scores)
        count = sum(len(a.criteria) for a in rubric.aspects)
        self.total.setText(f"{format_points(total)} / 100")
        self.completeness.setText(
            _("Complete: all {count} criteria scored.").format(count=count) if complete else
            _("Partial (*): {scored} of {count} criteria scored.").format(
                scored=len(levels), count=count))
        return total, complete


def _criterion_text(entry: HistoryEntry) -> str:
    if entry[2] == "*":
        return _("Sheet")
    if entry[2] == "visit":  # scoring.VISIT_HISTORY
        return _("Actual visit date")
    if entry[2] == "note":
        return _("Visit note")
    return entry[2]


def _value_text(entry: HistoryEntry, value: str) -> str:
    if entry[2] == "*":
        return status_text(value)
    return value or "—"


HISTORY_COLUMNS: tuple[Column[HistoryEntry], ...] = (
    Column(lambda: _("When"), lambda e: e[0][:19].replace("T", " ")),
    Column(lambda: _("Who"), lambda e: e[1]),
    Column(lambda: _("Criterion"), _criterion_text),
    Column(lambda: _("Before"), lambda e: _value_text(e, e[3])),
    Column(lambda: _("After"), lambda e: _value_text(e, e[4])),
    Column(lambda: _("Note or reason"), lambda e: e[5]),
)


def history_table(model: RowTableModel[HistoryEntry]) -> QTableView:
    table = QTableView(objectName="historyTable")
    table.setModel(model)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    for column, width in enumerate((150, 150, 80, 110, 110)):
        header.resizeSection(column, width)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


class VisitDateField(QWidget):
    """The actual visit date: ticked with a date, or unticked (not recorded yet).

    edited(date or None) — the assessor changed it: at once for the tick box and "Today",
    after a pause (or on leaving the field) for the date itself, so stepping through days
    with the arrow keys stores one change, not one per day. typing() — a date is waiting
    for that pause. set_value() shows the stored value without emitting.
    """

    edited = Signal(object)
    typing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="visitDateField")
        self.visited = QCheckBox(_("Visi&ted"), objectName="visitedCheck")
        self.visited.setToolTip(_("Tick once the visit has taken place; untick to leave the "
                                  "date empty."))
        self.date_edit = QDateEdit(objectName="visitDateEdit")
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setKeyboardTracking(False)  # no save per digit typed
        self.date_edit.setAccessibleName(_("Actual visit date"))
        self.today_button = QPushButton(_("Toda&y"), objectName="visitTodayButton")
        self.today_button.setToolTip(_("Record today as the visit date"))
        self.planned = QLabel(objectName="hint", wordWrap=True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.visited)
        row.addWidget(self.date_edit, 1)
        below = QHBoxLayout()
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.planned, 1)
        below.addWidget(self.today_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addLayout(below)
        self._planned: date | None = None
        self._range: VisitDateRange | None = None
        self._read_only = False
        self._loading = False
        self._dirty = False
        self._debounce = QTimer(self, singleShot=True, interval=NOTE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.flush)
        self.visited.toggled.connect(self._on_visited_toggled)
        self.date_edit.dateChanged.connect(self._on_date_edit_dateChanged)
        self.date_edit.editingFinished.connect(self.flush)
        self.today_button.clicked.connect(self._on_today_button_clicked)

    def set_value(self, visited: date | None, planned: date | None = None,
                  allowed: VisitDateRange | None = None, *, keep_context: bool = False) -> None:
        """Show a stored value. `keep_context` keeps the planned date and the allowed range
        shown before (after a refused change, only the value goes back)."""
        if not keep_context:
            self._planned, self._range = planned, allowed
            self.planned.setText(_("Planned: {date}").format(date=planned.isoformat())
                                 if planned else _("No planned date"))
        self._debounce.stop()
        self._dirty = False
        self._show(visited)

    def value(self) -> date | None:
        return self.date_edit.date().toPython() if self.visited.isChecked() else None

    def set_read_only(self, read_only: bool) -> None:
        if read_only:
            self._debounce.stop()
            self._dirty = False
        self._read_only = read_only
        self._enable()

    def flush(self) -> None:
        """Hand on a date still waiting for its pause (leaving the sheet, closing)."""
        self._debounce.stop()
        if self._dirty:
            self._dirty = False
            self.edited.emit(self.value())

    def _default(self) -> date:
        """The date offered when the box is ticked: the planned day, else today, else the
        last day allowed."""
        allowed = self._range
        if allowed is None:
            return self._planned or date.today()
        if self._planned is not None and allowed.first <= self._planned <= allowed.last:
            return self._planned
        return allowed.today if allowed.today_allowed else allowed.last

    def _show(self, visited: date | None) -> None:
        """Display without emitting: ticked with the date, or unticked with an empty box
        (the day before the allowed range, shown as "—", stands for no date)."""
        self._loading = True
        try:
            self.visited.setChecked(visited is not None)
            if self._range is not None:
                first = self._range.first - timedelta(days=0 if visited else 1)
                self.date_edit.setDateRange(QDate(first), QDate(self._range.last))
            self.date_edit.setSpecialValueText("" if visited else "—")
            self.date_edit.setDate(QDate(visited) if visited else self.date_edit.minimumDate())
        finally:
            self._loading = False
        self._enable()

    def _enable(self) -> None:
        usable = not self._read_only and self._range is not None
        self.visited.setEnabled(usable)
        self.date_edit.setEnabled(usable and self.visited.isChecked())
        self.today_button.setEnabled(usable and self._range.today_allowed)  # type: ignore[union-attr]
        self.setToolTip("" if self._range is not None or self._read_only else _(
            "The round's year has not begun on this laptop's clock; no visit date can be "
            "recorded yet."))

    def _on_visited_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        self._show(self._default() if checked else None)
        self._dirty = True
        self.flush()

    def _on_date_edit_dateChanged(self, _date: QDate) -> None:
        if self._loading or self._read_only or not self.visited.isChecked():
            return
        self._dirty = True
        self._debounce.start()
        self.typing.emit()

    def _on_today_button_clicked(self) -> None:
        if self._range is None or not self._range.today_allowed:
            return
        self._show(self._range.today)
        self._dirty = True
        self.flush()


class VisitNote(QPlainTextEdit):
    """The visit's overall note. edited(text) — after a typing pause or on leaving the field;
    typing() — text changed that is not handed on yet."""

    edited = Signal(str)
    typing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="visitNote")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(_("What you saw on the visit as a whole (saved as you type)"))
        self.setFixedHeight(self.fontMetrics().height() * 5 + 12)
        self._dirty = False
        self._loading = False
        self._debounce = QTimer(self, singleShot=True, interval=NOTE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.flush)
        self.textChanged.connect(self._on_textChanged)

    def set_note(self, text: str) -> None:
        """Show the stored note (not an edit)."""
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        self._dirty = False
        self._debounce.stop()

    def text(self) -> str:
        return self.toPlainText()

    def flush(self) -> None:
        self._debounce.stop()
        if self._dirty:
            self._dirty = False
            self.edited.emit(self.toPlainText())

    def _on_textChanged(self) -> None:
        if self._loading or self.isReadOnly():
            return
        self._dirty = True
        self._debounce.start()
        self.typing.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.flush()


# -- one photo, large ------------------------------------------------------------------------

def read_scaled(path: Path, box: QSize) -> QImage:
    """An image fitted into box, decoded at that size where the format allows (JPEG)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # the camera's orientation
    size = reader.size()
    if size.isValid() and (size.width() > box.width() or size.height() > box.height()):
        reader.setScaledSize(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def file_size_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError:
        return _("file missing")
    if size < 1_000_000:
        return _("{size} KB").format(size=max(1, round(size / 1000)))
    return _("{size:.1f} MB").format(size=size / 1_000_000)


class PhotoDialog(QDialog):
    """One photo, large, with its name and size; "Remove from sheet" unless read-only."""

    def __init__(self, ctx: AppContext, photo: Photo, where: str, read_only: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="photoDialog")
        self._ctx = ctx
        self.photo = photo
        self.removed = False
        self.setWindowTitle(photo.file_name)
        screen = (parent.screen() if parent else self.screen()).availableGeometry()
        box = QSize(min(1100, screen.width() - 120), min(720, screen.height() - 220))
        image = read_scaled(photo.original, box)
        if image.isNull():  # the original is gone: at least the display copy
            image = read_scaled(photo.display, box)
        self.image = QLabel(objectName="photoImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(320, 240)
        self._full = QPixmap()  # the original as large as the screen allows
        if image.isNull():
            self.image.setText(_("The photo cannot be shown."))
        else:
            self._full = QPixmap.fromImage(image)
            self.image.setPixmap(self._full)
        self.caption = QLabel(_("{name} · {width} × {height} px · {size} · {where}").format(
            name=photo.file_name, width=photo.width, height=photo.height,
            size=file_size_text(photo.original), where=where), objectName="photoCaption",
            wordWrap=True)
        self.caption.setToolTip(f"SHA-256 {photo.sha256}")
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        self.remove_button = buttons.addButton(_("Remove from sheet…"),
                                               QDialogButtonBox.ButtonRole.DestructiveRole)
        self.remove_button.setObjectName("removePhotoButton")
        self.remove_button.setVisible(not read_only)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.caption, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(self.sizeHint())  # not the 2/3 of the screen a dialog gets by default

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._full.isNull():  # smaller than the image: the whole image, scaled down
            room = self.image.size().boundedTo(self._full.size())
            self.image.setPixmap(self._full.scaled(room, Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.SmoothTransformation))

    def _on_remove_button_clicked(self) -> None:
        if not confirm(self, _("Remove the photo"),
                       _("Remove {name} from this sheet?").format(name=self.photo.file_name),
                       _("Remove")):
            return
        try:
            self._ctx.workspace.evidence.remove(self.photo.id)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.removed = True
        self.accept()
