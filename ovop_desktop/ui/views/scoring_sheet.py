"""The scoring sheet for one candidate: its rubric aspect by aspect, every change stored at once."""

from __future__ import annotations

import time
from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rubric import Rubric
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.table import RowTableModel
from ovop_desktop.ui.models.visits_model import FINISHED, IN_PROGRESS
from ovop_desktop.ui.views.scoring_panels import (
    HISTORY_COLUMNS,
    HistoryEntry,
    ScorePanel,
    VisitNote,
    history_table,
    identity_html,
)
from ovop_desktop.ui.views.scoring_photos import PHOTO_STYLE, VISIT, SheetPhotos
from ovop_desktop.ui.views.scoring_widgets import (
    SHEET_STYLE,
    CriterionRow,
    ask_reason,
    repolish,
)


def conflict_message(reason: str) -> str:
    return _("You have a conflict of interest with this candidate ({reason}); the sheet "
             "cannot be opened.").format(reason=reason)


class ScoringSheet(QWidget):
    """back_requested() — the assessor goes back to the visit list.
    changed(candidate id) — a score, a note, a photo or the sheet's status was stored."""

    back_requested = Signal()
    changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.candidate_id: int | None = None
        self.rubric: Rubric | None = None
        self._rubric_key: tuple[str, str] | None = None  # (sha256, language) the rows show
        self.status = ""
        self.stored: dict[str, tuple[int, str]] = {}
        self.sheet_note = ""  # the visit's overall note as stored
        self.visited_on: date | None = None  # the actual visit date as stored
        self.rows: list[CriterionRow] = []
        self.commit_ms: list[float] = []  # time spent in set_score per stored change
        self._last_saved = ("", "")  # (state, text) of the save label after the last save
        self.setStyleSheet(SHEET_STYLE + PHOTO_STYLE)
        self._build()

    # -- building --------------------------------------------------------------

    def _build(self) -> None:
        self.back_button = QPushButton(_("← &Back to my visits"), objectName="backButton")
        self.back_button.clicked.connect(self._on_back_button_clicked)
        QShortcut(QKeySequence("Alt+Left"), self, self._on_back_button_clicked)
        self.title = QLabel(objectName="viewTitle")
        self.identity = QLabel(objectName="identity", wordWrap=True)
        self.identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner = QLabel(_("This sheet is finished; reopen it to change a score."),
                             objectName="finishedBanner", wordWrap=True)
        self.scroll = QScrollArea(objectName="criteriaScroll", widgetResizable=True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.history_model: RowTableModel[HistoryEntry] = RowTableModel(HISTORY_COLUMNS, self)
        self.tabs = QTabWidget(objectName="sheetTabs")
        self.tabs.addTab(self.scroll, _("Scoring"))
        self.tabs.addTab(history_table(self.history_model), _("History"))
        self.tabs.currentChanged.connect(self._on_tabs_currentChanged)
        self.panel = ScorePanel(self)
        self.save_state = self.panel.save_state
        self.finish_button = self.panel.finish_button
        self.reopen_button = self.panel.reopen_button
        self.visit_date = self.panel.visit_date
        self.visit_date.edited.connect(self._on_visit_date_edited)
        self.visit_date.typing.connect(self._on_visit_date_typing)
        self.finish_button.clicked.connect(self._on_finish_button_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.photos = SheetPhotos(self._ctx, self)
        self.photos.stored.connect(self._on_photos_stored)
        self._build_visit_section()

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        left = QVBoxLayout()
        left.addWidget(self.banner)
        left.addWidget(self.tabs, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.identity)
        layout.addLayout(body, 1)

    def _build_visit_section(self) -> None:
        """The visit as a whole: its note and photos, below the last criterion."""
        self.visit_note = VisitNote()
        self.visit_note.setAccessibleName(_("Visit note"))
        self.visit_note.edited.connect(self._on_visit_note_edited)
        self.visit_note.typing.connect(self._on_row_note_typing)
        self.visit_strip = self.photos.strip(VISIT)
        self.visit_section = QFrame(self, objectName="visitSection")
        self.visit_section.hide()  # shown once it is placed below the criteria
        photos_line = QHBoxLayout()
        photos_line.addWidget(QLabel(_("Visit photos"), objectName="criterionName"), 1)
        photos_line.addWidget(self.visit_strip.add_button)
        layout = QVBoxLayout(self.visit_section)
        layout.setContentsMargins(10, 0, 10, 10)
        layout.addWidget(QLabel(_("The visit"), objectName="aspectTitle"))
        layout.addWidget(QLabel(_("Visit note"), objectName="criterionName"))
        layout.addWidget(self.visit_note)
        layout.addLayout(photos_line)
        layout.addWidget(self.visit_strip)
        self.visit_strip.watch(self.visit_section)
        self.visit_strip.watch(self.visit_note.viewport(), self.visit_section)

    def _build_rows(self, rubric: Rubric) -> None:
        language = current_language()
        if self._rubric_key == (rubric.sha256, language):
            return  # the same rubric in the same language: keep the widgets
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        content = QWidget(objectName="criteria")
        layout = QVBoxLayout(content)
        self.rows = []
        self.photos.forget_criteria()
        for aspect in rubric.aspects:
            layout.addWidget(QLabel(_("{id}. {name} — weight {weight}").format(
                id=aspect.id, name=aspect.name.get(language), weight=aspect.weight),
                objectName="aspectTitle", wordWrap=True))
            for criterion in aspect.criteria:
                row = CriterionRow(criterion, language, content)
                row.level_chosen.connect(self._on_row_level_chosen)
                row.note_edited.connect(self._on_row_note_edited)
                row.note_typing.connect(self._on_row_note_typing)
                row.move.connect(lambda delta, r=row: self._move_from(r, delta))
                row.focused.connect(self._on_row_focused)
                row.photo_requested.connect(self.photos.add_from_dialog)
                strip = self.photos.strip(criterion.id, f"{criterion.id}. "
                                                        f"{criterion.name.get(language)}")
                row.note_line.addWidget(strip.add_button)
                row.layout().addWidget(strip)
                strip.watch(row)
                strip.watch(row.note, row)
                layout.addWidget(row)
                self.rows.append(row)
        layout.addWidget(self.visit_section)
        self.visit_section.show()
        layout.addStretch(1)
        self.scroll.setWidget(content)
        self.panel.set_rubric(rubric)
        self._rubric_key = (rubric.sha256, language)

    # -- loading ---------------------------------------------------------------

    def load(self, candidate_id: int) -> bool:
        """Show a candidate's sheet; False (after saying why) if it may not or cannot open."""
        self.flush_notes()
        ws = self._ctx.workspace
        try:
            conflict = ws.planning.conflict_of(None, candidate_id)
            if conflict is not None:
                raise UserFacingError(conflict_message(conflict))
            candidate = ws.candidates.get(candidate_id)
            link = next((c for c in ws.rounds.get(candidate.round_id).commodities
                         if c.commodity is candidate.data.commodity), None)
            if link is None:
                raise UserFacingError(_("The round has no rubric for this candidate's "
                                        "commodity."))
            rubric = ws.rubrics.get(link.rubric_id).rubric
            info = ws.scoring.sheet_info(candidate_id)
            allowed = ws.scoring.visit_date_range(candidate_id)
            visit = ws.planning.visits().get(candidate_id)
        except UserFacingError as exc:
            show_error(self, exc)
            return False
        self.candidate_id, self.rubric = candidate_id, rubric
        self.title.setText(candidate.data.name)
        self.identity.setText(identity_html(candidate, ws.regions, visit))
        self._build_rows(rubric)
        for row in self.rows:
            level, note = self.stored.get(row.criterion_id, (None, ""))
            row.note.setText(note)
            row.set_state(level, note)
        self.status, self.stored = info.status, info.scores
        self.sheet_note, self.visited_on = info.note, info.visited_on
        self.visit_note.set_note(info.note)
        self.visit_date.set_value(info.visited_on, visit, allowed)
        self.photos.load(candidate_id)
        self._last_saved = ("", "")
        self._set_save_state(*self._last_saved)
        self._show_status()
        self.tabs.setCurrentIndex(0)
        self.focus_first_open()
        return True

    def reload(self) -> bool:
        """Read the sheet again from the store (after an import or a change elsewhere)."""
        return self.candidate_id is not None and self.load(self.candidate_id)

    def focus_first_open(self) -> None:
        target = next((r for r in self.rows if r.criterion_id not in self.stored),
                      self.rows[0] if self.rows else None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(target, 0, 40)

    def row(self, criterion_id: str) -> CriterionRow:
        return next(r for r in self.rows if r.criterion_id == criterion_id)

    # -- storing every change at once ------------------------------------------

    def _on_row_level_chosen(self, criterion_id: str, level: int) -> None:
        row = self.row(criterion_id)
        if self.status == FINISHED:
            self._set_save_state("error", _("This sheet is finished; reopen it to change "
                                            "a score."))
            return
        row.set_state(level, row.note.text())  # show it at once; reverted if it cannot be stored
        self._commit(row, level, row.note.text())

    def _on_row_note_edited(self, criterion_id: str, note: str) -> None:
        stored = self.stored.get(criterion_id)
        if stored is None or self.status == FINISHED:
            return
        if " ".join(note.split()) == stored[1]:
            self._set_save_state(*self._last_saved)  # typed, then back to what is stored
            return
        self._commit(self.row(criterion_id), stored[0], note)

    def _on_row_note_typing(self) -> None:
        if self.status != FINISHED:
            self._set_save_state("pending", _("Note not saved yet: it is saved when you "
                                              "pause or leave the field…"))

    def _commit(self, row: CriterionRow, level: int, note: str) -> bool:
        assert self.candidate_id is not None
        started = time.perf_counter()
        try:
            self._ctx.workspace.scoring.set_score(self.candidate_id, row.criterion_id, level,
                                                  note)
        except Exception as exc:  # the display goes back to what the store holds
            old_level, old_note = self.stored.get(row.criterion_id, (None, ""))
            row.note.setText(old_note)
            row.set_state(old_level, old_note)
            self._set_save_state("error", str(exc) if isinstance(exc, UserFacingError)
                                 else _("Not saved."))
            show_error(self, exc, _("Not saved"))
            return False
        self.commit_ms.append((time.perf_counter() - started) * 1000)
        self.stored[row.criterion_id] = (level, " ".join(note.split()))
        self.status = self.status or IN_PROGRESS
        self._saved_now()
        self._show_status()
        self.changed.emit(self.candidate_id)
        return True

    def flush_notes(self) -> None:
        """Store notes still waiting for their typing pause (leaving, closing)."""
        for row in self.rows:
            row.flush_note()
        self.visit_note.flush()
        self.visit_date.flush()

    def _on_visit_note_edited(self, text: str) -> None:
        note = text.strip()
        if self.candidate_id is None or self.status == FINISHED:
            return
        if note == self.sheet_note:
            self._set_save_state(*self._last_saved)  # typed, then back to what is stored
            return
        try:
            self._ctx.workspace.scoring.set_sheet_note(self.candidate_id, note)
        except UserFacingError as exc:  # the text stays in the field, shown as not saved
            self._set_save_state("error", str(exc))
            show_error(self, exc, _("Not saved"))
            return
        self.sheet_note = note
        self.status = self.status or IN_PROGRESS
        self._saved_now()
        self._show_status()
        self.changed.emit(self.candidate_id)

    def _on_visit_date_edited(self, when: date | None) -> None:
        if self.candidate_id is None or self.status == FINISHED:
            return
        if when == self.visited_on:
            self._set_save_state(*self._last_saved)  # changed, then back to what is stored
            return
        try:
            self._ctx.workspace.scoring.set_visited(self.candidate_id, when)
        except UserFacingError as exc:  # the field goes back to what the store holds
            self.visit_date.set_value(self.visited_on, keep_context=True)
            self._set_save_state("error", str(exc))
            show_error(self, exc, _("Not saved"))
            return
        self.visited_on = when
        self.status = self.status or IN_PROGRESS
        self._saved_now()
        self._show_status()
        self.changed.emit(self.candidate_id)

    def _on_visit_date_typing(self) -> None:
        if self.status != FINISHED:
            self._set_save_state("pending", _("Visit date not saved yet: it is saved when you "
                                              "pause or leave the field…"))

    def _on_photos_stored(self) -> None:
        self._saved_now()
        if self.candidate_id is not None:
            self.changed.emit(self.candidate_id)

    def _saved_now(self) -> None:
        self._last_saved = ("saved", _("Saved ✓ {time}").format(
            time=datetime.now().strftime("%H:%M:%S")))
        self._set_save_state(*self._last_saved)

    def _set_save_state(self, state: str, text: str) -> None:
        self.save_state.setProperty("state", state)
        self.save_state.setText(text)
        repolish(self.save_state)

    # -- finish and reopen -----------------------------------------------------

    def _show_status(self) -> None:
        assert self.rubric is not None
        finished = self.status == FINISHED
        _total, complete = self.panel.show_scores(
            self.rubric, {cid: level for cid, (level, _n) in self.stored.items()})
        self.banner.setVisible(finished)
        self.finish_button.setVisible(not finished)
        self.finish_button.setEnabled(complete and not finished)
        self.reopen_button.setVisible(finished)
        for row in self.rows:
            if row.read_only != finished:
                row.set_read_only(finished)
        self.visit_note.setReadOnly(finished)
        self.visit_date.set_read_only(finished)
        self.photos.set_read_only(finished)
        if self.tabs.currentIndex() == 1:
            self._load_history()

    def _on_finish_button_clicked(self) -> None:
        self._change_status(lambda cid: self._ctx.workspace.scoring.finish(cid))

    def _on_reopen_button_clicked(self) -> None:
        reason = ask_reason(self)
        if reason:
            self._change_status(lambda cid: self._ctx.workspace.scoring.reopen(cid, reason))

    def _change_status(self, change) -> None:  # type: ignore[no-untyped-def]
        assert self.candidate_id is not None
        self.flush_notes()
        try:
            change(self.candidate_id)
            self.status, self.stored = self._ctx.workspace.scoring.sheet(self.candidate_id)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self._saved_now()
        self._show_status()
        self.changed.emit(self.candidate_id)
        self._ctx.signals.data_changed.emit()
        if self.status != FINISHED:
            self.focus_first_open()

    # -- history and navigation ------------------------------------------------

    def _load_history(self) -> None:
        if self.candidate_id is not None:
            self.history_model.set_rows(self._ctx.workspace.scoring.history(self.candidate_id))

    def _on_tabs_currentChanged(self, index: int) -> None:
        if index == 1:
            self.flush_notes()
            self._load_history()

    def _move_from(self, row: CriterionRow, delta: int) -> None:
        index = self.rows.index(row) + delta
        if 0 <= index < len(self.rows):
            self.rows[index].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_row_focused(self, row: CriterionRow) -> None:
        self.scroll.ensureWidgetVisible(row, 0, 40)

    def _on_back_button_clicked(self) -> None:
        self.flush_notes()
        self.back_requested.emit()
