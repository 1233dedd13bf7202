"""My visits (assessor): the assigned candidates with date, place and progress; opens the sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.table import ROW_ROLE
from ovop_desktop.ui.models.visits_model import (
    COL_DATE,
    NO_DATE,
    VisitRow,
    VisitsFilterProxy,
    VisitsModel,
)
from ovop_desktop.ui.views.candidates import filter_combo
from ovop_desktop.ui.views.scoring_sheet import ScoringSheet, conflict_message
from ovop_desktop.ui.workers import ServiceTask

if TYPE_CHECKING:
    from ovop_desktop.services.workspace import Workspace

LIST_PAGE, SHEET_PAGE, EMPTY_PAGE = range(3)


def load_visits(ws: Workspace, round_id: int) -> list[VisitRow]:
    """Runs on a pool thread: every local candidate with its visit date, sheet and conflict."""
    current = ws.rounds.get(round_id)
    totals = {link.commodity: len(ws.rubrics.get(link.rubric_id).rubric.criteria())
              for link in current.commodities}
    visits = ws.planning.visits()
    rows = []
    for s in ws.candidates.summaries(round_id):
        sheet = ws.scoring.sheet_info(s.id)
        rows.append(VisitRow(
            candidate_id=s.id, name=s.name, region_code=s.region_code, region_name=s.region_name,
            product=s.product, visit_date=visits.get(s.id), scored=len(sheet.scores),
            total=totals.get(s.commodity, 0), status=sheet.status,
            conflict=ws.planning.conflict_of(None, s.id), visited_on=sheet.visited_on))
    return rows


class VisitsLoader(QObject):
    """loaded(rows) · failed(exception) — only the newest request reports."""

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0

    def load(self, round_id: int) -> None:
        self._generation += 1
        generation = self._generation
        task = ServiceTask(load_visits, ws=self._ctx.workspace, round_id=round_id)
        self._ctx.tasks.start(task, lambda rows: self._report(generation, self.loaded, rows),
                              lambda exc: self._report(generation, self.failed, exc))

    def _report(self, generation: int, signal: Any, value: object) -> None:
        if generation == self._generation:
            signal.emit(value)


class VisitsView(QWidget):
    """loaded() — the list holds the current round's local candidates.
    sheet_opened(candidate id) — the scoring sheet is on screen."""

    loaded = Signal()
    sheet_opened = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = VisitsModel(self)
        self.proxy = VisitsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.loader = VisitsLoader(ctx, self)
        self.loader.loaded.connect(self._on_loader_loaded)
        self.loader.failed.connect(self._on_loader_failed)
        self.sheet = ScoringSheet(ctx, self)
        self.sheet.back_requested.connect(self._on_sheet_back_requested)
        self.stack = QStackedWidget(objectName="visitsStack")
        self.stack.addWidget(self._build_list())
        self.stack.addWidget(self.sheet)
        empty = QLabel(_("No candidates yet. Import the assignment package from the "
                         "coordinator (Keys and identity page) to see your visits."),
                       objectName="visitsEmpty", wordWrap=True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setStyleSheet("color: #666; font-size: 14px;")
        self.stack.addWidget(empty)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.refresh()

    def _build_list(self) -> QWidget:
        self.title = QLabel(_("My visits"), objectName="viewTitle")
        self.open_button = QPushButton(_("Open sheet"), objectName="openSheetButton")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.print_button, menu = printing.print_menu(_("Print blank forms…"),
                                                      "printFormsButton", self)
        self.selected_form_action = menu.addAction(_("Form for the selected candidate…"),
                                                   lambda: self.print_forms(selected_only=True))
        menu.addAction(_("Forms for all my visits…"), lambda: self.print_forms())
        menu.aboutToShow.connect(
            lambda: self.selected_form_action.setEnabled(self.selected_id() is not None))
        self.date_filter = filter_combo("dateFilter", _("All dates"), [])
        self.region_filter = filter_combo("regionFilter", _("All kabupaten/kota"), [])
        self.date_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.region_filter.currentIndexChanged.connect(self._on_filters_changed)

        self.table = QTableView(objectName="visitsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((0, 150, 170, 100, 80, 100, 200)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_doubleClicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.installEventFilter(self)  # Enter opens the sheet (see eventFilter)
        self.count = QLabel(objectName="visitsCount")

        widget = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(_("Date:")))
        top.addWidget(self.date_filter)
        top.addWidget(QLabel(_("Kabupaten/kota:")))
        top.addWidget(self.region_filter)
        top.addWidget(self.print_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        return widget

    # -- loading ---------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list in the background; an open sheet is read again from the store."""
        current = self._ctx.workspace.current_round()
        if current is None:
            self.model.set_rows([])
            self.stack.setCurrentIndex(EMPTY_PAGE)
            return
        self.title.setText(_("My visits — {round}").format(round=current.name))
        self.count.setText(_("Loading your visits…"))
        if self.stack.currentIndex() == SHEET_PAGE and not self.sheet.reload():
            self.stack.setCurrentIndex(LIST_PAGE)  # e.g. a conflict declared meanwhile
        self.loader.load(current.id)

    def _on_loader_loaded(self, rows: list[VisitRow]) -> None:
        selected = self.selected_id()
        self.model.set_rows(rows)
        self._fill_filters(rows)
        if self.stack.currentIndex() != SHEET_PAGE:
            self.stack.setCurrentIndex(LIST_PAGE if rows else EMPTY_PAGE)
        if selected is not None:
            self.select(selected)
        self._update_count()
        self.loaded.emit()

    def _on_loader_failed(self, exc: Exception) -> None:
        self.count.setText("")
        show_error(self, exc)

    def _fill_filters(self, rows: list[VisitRow]) -> None:
        dates = sorted({r.visit_date.isoformat() for r in rows if r.visit_date})
        choices = [(d, d) for d in dates]
        if any(r.visit_date is None for r in rows):
            choices.append((_("No date yet"), NO_DATE))
        _refill(self.date_filter, choices)
        _refill(self.region_filter, sorted({(r.region_name, r.region_code) for r in rows}))
        self._on_filters_changed()

    def _on_filters_changed(self, *_args: object) -> None:
        self.proxy.set_date(self.date_filter.currentData())
        self.proxy.set_region(self.region_filter.currentData())
        self._update_count()

    def _update_count(self) -> None:
        rows = self.model.rows()
        finished = sum(1 for r in rows if r.status == "finished")
        self.count.setText(_("{shown} of {total} candidates shown · {finished} sheets "
                             "finished").format(shown=self.proxy.rowCount(), total=len(rows),
                                                finished=finished))

    # -- selection and opening -------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE).candidate_id if rows else None

    def select(self, candidate_id: int) -> bool:
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(candidate_id), 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _on_selection_changed(self, *_args: object) -> None:
        self.open_button.setEnabled(self.selected_id() is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._on_open_button_clicked()
            return True
        return super().eventFilter(watched, event)

    def _on_table_doubleClicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_sheet(index.data(ROW_ROLE).candidate_id)

    def _on_open_button_clicked(self) -> None:
        candidate_id = self.selected_id()
        if candidate_id is not None:
            self.open_sheet(candidate_id)

    def open_sheet(self, candidate_id: int) -> bool:
        """Show the candidate's scoring sheet, unless this laptop has a conflict with it."""
        row = self.model.row_of(candidate_id)
        conflict = self.model.row_object(row).conflict if row >= 0 else None
        if conflict:
            show_error(self, UserFacingError(conflict_message(conflict)))
            return False
        if not self.sheet.load(candidate_id):  # checks the conflict again, in the store
            return False
        self.stack.setCurrentIndex(SHEET_PAGE)
        self.sheet.focus_first_open()
        self.sheet_opened.emit(candidate_id)
        return True

    def print_forms(self, selected_only: bool = False) -> QWidget | None:
        """Blank field forms to take on site: the selected candidate's, or one per visit
        (in visit order, without the candidates this laptop has a conflict with)."""
        ws = self._ctx.workspace
        current = ws.current_round()
        if current is None:
            return None
        if not selected_only:
            return printing.open_preview(self, self._ctx, _("Blank field forms"),
                                         printing.field_forms(ws),
                                         printing.file_name("forms", current.year))
        candidate_id = self.selected_id()
        if candidate_id is None:
            return None
        row = self.model.row_object(self.model.row_of(candidate_id))
        if row.conflict:  # it cannot be scored here, so no form to key in either
            show_error(self, UserFacingError(conflict_message(row.conflict)))
            return None
        return printing.open_preview(
            self, self._ctx, _("Blank field form — {name}").format(name=row.name),
            printing.field_forms(ws, [candidate_id]),
            printing.file_name("form", current.year, row.name))

    def _on_sheet_back_requested(self) -> None:
        self.stack.setCurrentIndex(LIST_PAGE)
        self.refresh()
        if self.sheet.candidate_id is not None:
            self.select(self.sheet.candidate_id)
        self.table.setFocus()

    def has_unsaved_changes(self) -> bool:
        """Called before the window closes: store notes still waiting; nothing else waits."""
        self.sheet.flush_notes()
        return False


def _refill(combo: QComboBox, choices: list[tuple[str, Any]]) -> None:
    """Replace a filter combo's choices, keeping the chosen one if it is still there."""
    current = combo.currentData()
    everything = combo.itemText(0)
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, value in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
