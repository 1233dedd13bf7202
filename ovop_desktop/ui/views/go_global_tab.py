"""The Go Global tab of the Results page: the 3★ and 2★ shortlist with the fields the export
curation looks at, a curation note and a selected flag saved at once, and the export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.documents import Document
from ovop_desktop.i18n import _
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.file_choice import ask_table_path
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.table import Column, Index, RowTableModel
from ovop_desktop.ui.views.results_common import (
    CENTRE,
    DASH,
    RIGHT,
    commodity_label,
    error_text,
    sort_number,
    star_text,
    total_text,
)
from ovop_desktop.ui.views.tables import (
    RowFilter,
    enable_sorting,
    hint_label,
    table_view,
)
from ovop_desktop.ui.workers import ServiceTask, TaskRunner

if TYPE_CHECKING:  # the services pull in SQLAlchemy; the types are enough here
    from ovop_desktop.services.results import ResultsReport, ShortlistEntry


def documents_text(codes: str, sep: str = "; ") -> str:
    labels = []
    for code in (c.strip() for c in codes.split(",")):
        if code:
            try:
                labels.append(Document(code).label)
            except ValueError:
                labels.append(code)
    return sep.join(labels)


def when_text(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


COL_SELECTED, COL_NOTE = 0, 12
_LONG_TEXT = {7, 9, 10, 11, 12}  # columns whose full text is in the tooltip

Save = Callable[["ShortlistEntry", bool, str], "ShortlistEntry | None"]


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ShortlistModel(RowTableModel["ShortlistEntry"]):
    """The Go Global shortlist; "selected" and the note are edited in place and saved at
    once through `save`, which returns the stored entry (or None: nothing changed)."""

    def __init__(self, save: Save, parent: Any = None) -> None:
        def workforce(e: ShortlistEntry) -> str:
            return DASH if e.facts.workforce is None else str(e.facts.workforce)

        super().__init__([
            Column(lambda: _("Selected"), lambda e: "", sort=lambda e: int(e.selected),
                   align=CENTRE),
            Column(lambda: _("Name"), lambda e: e.facts.name),
            Column(lambda: _("Commodity"), lambda e: commodity_label(e.result.commodity)),
            Column(lambda: _("Kabupaten/kota"), lambda e: e.facts.regency),
            Column(lambda: _("Province"), lambda e: e.facts.province),
            Column(lambda: _("Star"), lambda e: star_text(e.result.star),
                   sort=lambda e: sort_number(e.result.star), align=CENTRE),
            Column(lambda: _("Total"), lambda e: total_text(e.result.total),
                   sort=lambda e: sort_number(e.result.total), align=RIGHT),
            Column(lambda: _("Production capacity"), lambda e: _one_line(e.facts.capacity)),
            Column(lambda: _("Workforce"), workforce,
                   sort=lambda e: sort_number(e.facts.workforce), align=RIGHT),
            Column(lambda: _("Export history"), lambda e: _one_line(e.facts.export_history)),
            Column(lambda: _("Certifications and documents"),
                   lambda e: documents_text(e.facts.documents)),
            Column(lambda: _("Markets"), lambda e: _one_line(e.facts.markets)),
            Column(lambda: _("Curation note"), lambda e: _one_line(e.note)),
        ], parent)
        self._save = save

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, e in enumerate(self._rows)
                     if e.result.candidate_id == candidate_id), -1)

    def replace_entry(self, entry: ShortlistEntry) -> None:
        row = self.row_of(entry.result.candidate_id)
        if row >= 0:
            self._rows[row] = entry
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == COL_SELECTED:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.column() == COL_NOTE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and 0 <= index.row() < self.rowCount():
            entry = self.row_object(index.row())
            column = index.column()
            if column == COL_SELECTED and role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if entry.selected else Qt.CheckState.Unchecked
            if column == COL_SELECTED and role == Qt.ItemDataRole.DisplayRole:
                return None
            if column == COL_NOTE and role == Qt.ItemDataRole.EditRole:
                return entry.note
            if role == Qt.ItemDataRole.ToolTipRole and column in _LONG_TEXT:
                return self._tooltip(entry, column)
        return super().data(index, role)

    @staticmethod
    def _tooltip(entry: ShortlistEntry, column: int) -> str | None:
        text = {7: entry.facts.capacity, 9: entry.facts.export_history,
                10: documents_text(entry.facts.documents, "\n"), 11: entry.facts.markets,
                12: entry.note}[column]
        return text or None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return False
        entry = self.row_object(index.row())
        if index.column() == COL_SELECTED and role == Qt.ItemDataRole.CheckStateRole:
            checked = _check_state(value) == Qt.CheckState.Checked
            if checked == entry.selected:
                return False
            return self._store(entry, checked, entry.note)
        if index.column() == COL_NOTE and role == Qt.ItemDataRole.EditRole:
            note = str(value or "")
            if note.strip() == entry.note:
                return False
            return self._store(entry, entry.selected, note)
        return False

    def _store(self, entry: ShortlistEntry, selected: bool, note: str) -> bool:
        stored = self._save(entry, selected, note)
        if stored is None:
            row = self.row_of(entry.result.candidate_id)  # repaint the old value
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return False
        self.replace_entry(stored)
        return True


def _check_state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    try:
        return Qt.CheckState(int(value))
    except (TypeError, ValueError):
        return Qt.CheckState.Unchecked




class CurationPanel(QWidget):
    """The chosen candidate's curation facts in full, the selected flag and a long note.

    save_requested(selected, note) — the view stores it and calls show_entry again."""

    save_requested = Signal(bool, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curationPanel")
        self.entry: ShortlistEntry | None = None
        self.name = QLabel(objectName="curationName")
        self.name.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.name.setWordWrap(True)
        self.where = hint_label(name="curationWhere")
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, caption in (("capacity", _("Production capacity")),
                             ("workforce", _("Workforce")),
                             ("export", _("Export history")),
                             ("documents", _("Certifications and documents")),
                             ("markets", _("Markets"))):
            label = QLabel(objectName=f"curation_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = label
            form.addRow(caption, label)
        self.selected = QCheckBox(_("Selected for the Go Global curation"),
                                  objectName="curationSelected")
        self.selected.toggled.connect(self._on_selected_toggled)
        self.note = QPlainTextEdit(objectName="curationNote")
        self.note.setPlaceholderText(_("Curation note: readiness, missing certificates, "
                                       "target markets…"))
        self.note.textChanged.connect(self._on_note_textChanged)
        self.save_button = QPushButton(_("Save note"), objectName="curationSaveNote")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_note)
        self.changed = hint_label(name="curationChanged")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.where)
        layout.addLayout(form)
        layout.addWidget(self.selected)
        layout.addWidget(QLabel(_("Curation note")))
        layout.addWidget(self.note, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.changed)
        self.show_entry(None)

    @property
    def note_dirty(self) -> bool:
        return self.entry is not None and self.note.toPlainText().strip() != self.entry.note

    def show_entry(self, entry: ShortlistEntry | None) -> None:
        self.entry = entry
        self.setEnabled(entry is not None)
        self.selected.blockSignals(True)
        self.note.blockSignals(True)
        try:
            if entry is None:
                self.name.setText(_("Choose a candidate in the list."))
                self.where.clear()
                for label in self.facts.values():
                    label.clear()
                self.selected.setChecked(False)
                self.note.clear()
                self.changed.clear()
            else:
                f, r = entry.facts, entry.result
                self.name.setText(f.name)
                self.where.setText(" · ".join(x for x in (
                    commodity_label(r.commodity), f.regency, f.province,
                    star_text(r.star), _("total {total}").format(total=total_text(r.total)))
                    if x))
                for key, text in (("capacity", f.capacity),
                                  ("workforce", DASH if f.workforce is None
                                   else str(f.workforce)),
                                  ("export", f.export_history),
                                  ("documents", documents_text(f.documents, "\n")),
                                  ("markets", f.markets)):
                    self.facts[key].setText(text or DASH)
                self.selected.setChecked(entry.selected)
                if self.note.toPlainText() != entry.note:
                    self.note.setPlainText(entry.note)
                self.changed.setText(_("Last changed by {who}, {when}").format(
                    who=entry.updated_by, when=when_text(entry.updated_at))
                    if entry.updated_by else "")
        finally:
            self.selected.blockSignals(False)
            self.note.blockSignals(False)
        self.save_button.setEnabled(self.note_dirty)

    def _on_selected_toggled(self, checked: bool) -> None:
        if self.entry is not None:
            self.save_requested.emit(checked, self.entry.note)

    def _on_note_textChanged(self) -> None:
        self.save_button.setEnabled(self.note_dirty)

    def save_note(self) -> None:
        if self.note_dirty and self.entry is not None:
            self.save_requested.emit(self.entry.selected, self.note.toPlainText())


class GoGlobalTab(QWidget):
    """loaded() — the shortlist with its curation state is shown · saved(candidate id)."""

    loaded = Signal()
    saved = Signal(int)

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsGoGlobalTab")
        self._ctx, self._runner = ctx, runner
        self._generation = 0
        self._round_id: int | None = None
        self._year: int | None = None
        self._report: ResultsReport | None = None  # what the printed list is made from
        self.model = ShortlistModel(self._save, self)
        self.model.dataChanged.connect(lambda *_a: self._update_count())
        self.proxy = RowFilter(lambda entry: entry.selected or None, self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view("goGlobalTable", self.proxy)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed
                                   | QTableView.EditTrigger.AnyKeyPressed)
        enable_sorting(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        widths = {0: 64, 1: 200, 2: 150, 3: 160, 4: 150, 5: 60, 6: 64, 7: 140, 8: 96,
                  9: 160, 10: 200, 11: 160}
        for column, width in widths.items():
            header.resizeSection(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.panel = CurationPanel()
        self.panel.save_requested.connect(self._on_panel_save_requested)
        self.only_selected = QCheckBox(_("Only the selected"), objectName="goGlobalOnlySelected")
        self.only_selected.toggled.connect(self._on_only_selected_toggled)
        self.count = QLabel(objectName="goGlobalCount")
        self.export_button = QPushButton(_("Export…"), objectName="goGlobalExport")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.print_button = QPushButton(_("Print Go Global list…"), objectName="goGlobalPrint")
        self.print_button.setEnabled(False)  # until the shortlist is loaded
        self.print_button.clicked.connect(lambda: self.print_list())
        self.status = hint_label(name="goGlobalStatus")
        self.problem = hint_label(name="goGlobalProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.only_selected)
        top.addWidget(self.print_button)
        top.addWidget(self.export_button)
        splitter = QSplitter(objectName="goGlobalSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 320])
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(_("Candidates classified 3★ or 2★ go on to the Go Global "
                                 "curation. Tick “Selected” and write the note in the list "
                                 "(double-click the note) or beside it; every change is "
                                 "saved at once.")))
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._update_count()

    # -- loading ------------------------------------------------------------------------

    def show_report(self, report: ResultsReport) -> None:
        self._generation += 1
        generation = self._generation
        self._round_id, self._year = report.round.id, report.round.year
        self._report = report
        self.print_button.setEnabled(False)
        self.export_button.setEnabled(self.can_export)
        self.export_button.setToolTip("" if self.can_export else _(
            "Exporting the shortlist is not available in this version yet."))
        self.status.setText(_("Loading the shortlist…"))
        self._runner.start(
            ServiceTask(self._ctx.workspace.results.shortlist, round_id=report.round.id,
                        report=report),
            lambda entries: self._on_loaded(generation, entries),
            lambda exc: self._on_load_failed(generation, exc))

    @property
    def can_export(self) -> bool:
        return self._round_id is not None and callable(
            getattr(self._ctx.workspace.results, "export_shortlist", None))

    def _on_loaded(self, generation: int, entries: list[ShortlistEntry]) -> None:
        if generation != self._generation:
            return
        current = self.panel.entry.result.candidate_id if self.panel.entry else None
        self.model.set_rows(entries)
        self.print_button.setEnabled(True)
        self.status.clear()
        self._update_count()
        if current is None or not self.select(current):
            self.panel.show_entry(None)
        self.loaded.emit()

    def _on_load_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.status.clear()
            self._show_problem(exc)
            self.loaded.emit()

    def _update_count(self) -> None:
        entries = self.model.rows()
        chosen = sum(1 for e in entries if e.selected)
        self.count.setText(_("{n} candidates on the shortlist (3★ and 2★), {selected} "
                             "selected").format(n=len(entries), selected=chosen))

    # -- choosing and curating -----------------------------------------------------------

    def select(self, candidate_id: int) -> bool:
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(candidate_id), 1))
        if index.isValid():
            self.table.setCurrentIndex(index)
        return index.isValid()

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.panel.note_dirty:  # moving on must not lose a note being written
            self.panel.save_note()
        if current.isValid():
            self.panel.show_entry(self.model.row_object(self.proxy.mapToSource(current).row()))

    def _on_panel_save_requested(self, selected: bool, note: str) -> None:
        entry = self.panel.entry
        if entry is None:
            return
        stored = self._save(entry, selected, note)
        if stored is not None:
            self.model.replace_entry(stored)
        else:
            self.panel.show_entry(entry)  # back to what is stored

    def _save(self, entry: ShortlistEntry, selected: bool, note: str) -> ShortlistEntry | None:
        """Store one curation change at once (one short transaction)."""
        ws = self._ctx.workspace
        try:
            ws.results.curate(entry.result.candidate_id, selected, note)
        except Exception as exc:  # shown in the tab; the stored value stays
            self._show_problem(exc)
            return None
        stored = replace(entry, selected=selected, note=note.strip(),
                         updated_by=ws.profile.actor(),
                         updated_at=datetime.now(UTC).isoformat(timespec="seconds"))
        self.problem.hide()
        self.status.setText(_("Saved: {name}").format(name=entry.facts.name))
        if self.panel.entry and self.panel.entry.result.candidate_id == entry.result.candidate_id:
            self.panel.show_entry(stored)
        self.saved.emit(entry.result.candidate_id)
        return stored

    def _show_problem(self, exc: BaseException) -> None:
        self.problem.setText(error_text(exc))
        self.problem.show()

    def _on_only_selected_toggled(self, only: bool) -> None:
        self.proxy.set_value(True if only else None)

    # -- export -------------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        if not self.can_export or self._round_id is None:
            return
        path = ask_table_path(self, _("Export the Go Global shortlist"),
                              f"ovop-go-global-{self._year or ''}.xlsx")
        if path is None:
            return
        self.export(path)

    def export(self, path: Path) -> None:
        """Write the shortlist on a worker (the service decides the format by the suffix)."""
        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting the shortlist…"))
        self._runner.start(
            ServiceTask(self._ctx.workspace.results.export_shortlist, round_id=self._round_id,
                        path=path),
            lambda _result: self._on_exported(path), self._on_export_failed)

    def _on_exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(_("The shortlist was saved to {path}.").format(path=path))
        show_info(self, _("Export finished"),
                  _("The shortlist was saved to {path}.").format(path=path))

    def _on_export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        self.status.clear()
        show_error(self, exc)

    # -- print ---------------------------------------------------------------------------

    def print_list(self) -> QWidget | None:
        """Preview the shortlist as shown ("Only the selected" prints only those), made on a
        worker from the report the page holds."""
        if self._report is None or not self.print_button.isEnabled():
            return None
        entries = [e for e in self.model.rows()
                   if e.selected or not self.only_selected.isChecked()]
        return printing.open_preview(self, self._ctx, _("Go Global shortlist"),
                                     printing.go_global_list(entries, self._report),
                                     printing.file_name("go-global", self._year))
