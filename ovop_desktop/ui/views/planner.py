"""Kunjungan: the coordinator's visit planner — teams per candidate, loads, conflicts, dates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.i18n import _
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.planner_model import (
    COL_COMMODITY,
    COL_NAME,
    COL_REGENCY,
    COL_SIZE,
    COL_TEAM,
    COL_VISIT,
    PlanData,
    PlanFilterProxy,
    PlannerModel,
    PlanRow,
    conflict_lines,
    conflict_model,
    load_model,
    load_rows,
)
from ovop_desktop.ui.views.candidate_rows import round_page
from ovop_desktop.ui.views.candidates import filter_combo
from ovop_desktop.ui.views.planner_data import AutoResult, load_plan, run_auto
from ovop_desktop.ui.views.planner_panel import TeamPanel
from ovop_desktop.ui.views.tables import sorted_proxy, table_view
from ovop_desktop.ui.workers import ServiceTask

SHORT_LISTED = 12  # candidates named in the summary after an automatic proposal


class PlannerView(QWidget):
    """loaded() — the plan of the current round is shown · proposed(AutoResult) — an automatic
    proposal was stored · declared(Conflict) · failed(exception)."""

    loaded = Signal()
    proposed = Signal(object)
    declared = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._data: PlanData | None = None
        self._generation = 0
        self._short: dict[int, str] = {}
        self._per_candidate, self._minimum = 3, 2
        self.busy = False
        self.dialog: QWidget | None = None  # the dialog open now (tests drive it)
        self.model = PlannerModel(self)
        self.proxy = PlanFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.loads = load_model(self)
        self.conflicts = conflict_model(self)

        self.title = QLabel(_("Visit planning"), objectName="viewTitle")
        self.auto_button = QPushButton(_("Propose automatically…"), objectName="autoButton")
        self.conflict_button = QPushButton(_("Declare conflict…"), objectName="conflictButton")
        self.auto_button.clicked.connect(self._on_auto_button_clicked)
        self.conflict_button.clicked.connect(self._on_conflict_button_clicked)
        self.print_button = QPushButton(_("Print forms…"), objectName="printFormsButton")
        self.print_button.setToolTip(_("Blank field forms for the visits of the assessor "
                                       "selected in the Assessor load tab or in the team."))
        self.print_button.clicked.connect(lambda: self.print_forms())
        self.stack = round_page(
            self, self.title, (self.auto_button, self.conflict_button, self.print_button),
            "planner", self._build_planner())
        self.refresh()

    def _build_planner(self) -> QWidget:
        self.commodity = filter_combo("plannerCommodity", _("All commodities"),
                                      [(c.label, c) for c in Commodity])
        self.province = filter_combo("plannerProvince", _("All provinces"), [])
        self.regency = filter_combo("plannerRegency", _("All kabupaten/kota"), [])
        self.only_short = QCheckBox(_("Only short teams"), objectName="onlyShort")
        self.only_short.setToolTip(_("Show only candidates with fewer assessors than the "
                                     "minimum."))
        self.commodity.currentIndexChanged.connect(
            lambda _i: self._filter(self.proxy.set_commodity, self.commodity.currentData()))
        self.province.currentIndexChanged.connect(self._on_province_currentIndexChanged)
        self.regency.currentIndexChanged.connect(
            lambda _i: self._filter(self.proxy.set_regency, self.regency.currentData()))
        self.only_short.toggled.connect(lambda on: self._filter(self.proxy.set_only_short, on))
        self.busy_bar = QProgressBar(objectName="plannerBusy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.hide()
        filters = QHBoxLayout()
        for widget in (self.commodity, self.province, self.regency, self.only_short):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.busy_bar)

        self.table = table_view("planTable", self.proxy, sortable=True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(44)
        # Fixed widths, not ResizeToContents: measuring a thousand rows would stall each reload.
        for column, width in ((COL_NAME, 175), (COL_COMMODITY, 105), (COL_REGENCY, 135),
                              (COL_VISIT, 84), (COL_SIZE, 44)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TEAM, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selectionChanged)
        self.load_table = table_view("loadTable", sorted_proxy(self.loads, self), sortable=True)
        self.load_table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.conflict_table = table_view("conflictTable", sorted_proxy(self.conflicts, self),
                                         sortable=True)
        for table, stretch in ((self.load_table, 2), (self.conflict_table, 2)):
            header = table.horizontalHeader()  # dozens of rows: measuring is cheap
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setMaximumSectionSize(320)
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.tabs = QTabWidget(objectName="plannerTabs")
        self.tabs.addTab(self.table, _("Teams"))
        self.tabs.addTab(self.load_table, _("Assessor load"))
        self.tabs.addTab(self.conflict_table, _("Conflicts of interest"))

        self.panel = TeamPanel(self._ctx, self)
        self.panel.setObjectName("teamPanel")
        self.panel.applied.connect(self._on_panel_applied)
        self.panel.visit_saved.connect(self._on_panel_visit_saved)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="plannerSplitter")
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([790, 300])
        splitter.setChildrenCollapsible(False)
        self.count = QLabel(objectName="plannerCount")
        self.status = QLabel(objectName="plannerStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.status)
        return widget

    # -- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the current round's plan in the background; `loaded` says when."""
        current = self._ctx.workspace.current_round()
        self.stack.setCurrentIndex(0 if current is None else 1)
        for button in (self.auto_button, self.conflict_button, self.print_button):
            button.setVisible(current is not None)
        if current is None:
            self.title.setText(_("Visit planning"))
            self.model.set_rows([])
            return
        self.title.setText(_("Visit planning — {round}").format(round=current.name))
        self._generation += 1
        generation = self._generation
        self.count.setText(_("Loading the plan…"))
        task = ServiceTask(load_plan, ws=self._ctx.workspace, round_id=current.id,
                           short=dict(self._short))
        self._ctx.tasks.start(task, lambda r: self._on_load_finished(generation, r),
                              lambda exc: self._on_load_failed(generation, exc))

    def _on_load_finished(self, generation: int, result: tuple[PlanData, list[PlanRow]]) -> None:
        if generation != self._generation:
            return  # an older request: a newer one is on its way
        selected = self.selected_id()
        self._data, rows = result
        self.model.set_rows(rows, self._minimum)
        self.loads.set_rows(load_rows(self._data))
        self.conflicts.set_rows(conflict_lines(self._data))
        self.tabs.setTabText(2, _("Conflicts of interest ({n})").format(
            n=len(self._data.conflicts)))
        self._fill_provinces()
        if selected is None or not self.select(selected):
            self.panel.set_candidate(None, None)
        self.auto_button.setEnabled(not self.busy)
        self._update_count()
        self.loaded.emit()

    def _on_load_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.count.setText("")
            self.failed.emit(exc)
            show_error(self, exc)

    def _fill_provinces(self) -> None:
        rows = self.model.rows()
        self._refill(self.province, _("All provinces"), {
            r.summary.province_code: r.summary.province_name for r in rows
            if r.summary.province_code})
        self._fill_regencies()

    def _fill_regencies(self) -> None:
        province = self.province.currentData()
        self._refill(self.regency, _("All kabupaten/kota"), {
            r.summary.region_code: r.summary.region_name for r in self.model.rows()
            if r.summary.region_code and province in (None, r.summary.province_code)})

    def _refill(self, combo: QComboBox, everything: str, choices: dict[str, str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for code, name in sorted(choices.items(), key=lambda p: p[1]):
            combo.addItem(name, code)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)
        setter = self.proxy.set_province if combo is self.province else self.proxy.set_regency
        setter(combo.currentData())

    def _on_province_currentIndexChanged(self, _index: int) -> None:
        self.proxy.set_province(self.province.currentData())
        self._fill_regencies()
        self._update_count()

    def _filter(self, setter: Any, value: Any) -> None:
        setter(value)
        self._update_count()

    def _update_count(self) -> None:
        rows = self.model.rows()
        short = sum(self.model.is_short(r) for r in rows)
        self.count.setText(_("{shown} of {total} candidates · {short} below the minimum of "
                             "{minimum} · {dated} with a visit date").format(
            shown=self.proxy.rowCount(), total=len(rows), short=short, minimum=self._minimum,
            dated=sum(r.visit is not None for r in rows)))

    # -- selection ------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_object(self.proxy.mapToSource(rows[0]).row()).id

    def select(self, candidate_id: int) -> bool:
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(candidate_id), 0))
        if not index.isValid():
            return False
        unchanged = self.selected_id() == candidate_id  # after a reload: no selection signal
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        if unchanged:
            self._show_selected()
        return True

    def _on_table_selectionChanged(self, _selected: QItemSelection, _d: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        candidate_id = self.selected_id()
        row = self.model.row_object(self.model.row_of(candidate_id)) if candidate_id else None
        self.panel.set_candidate(row, self._data, self._minimum)
        reason = ""
        if row is not None and self.model.is_short(row):
            reason = _("Below the minimum of {n} assessors.").format(n=self._minimum)
            reason += f"\n{row.short_reason}" if row.short_reason else ""
        self.panel.set_short_reason(reason)

    def selected_assessor_id(self) -> int | None:
        """The assessor selected in the Assessor load tab, else the one current in the team."""
        rows = self.load_table.selectionModel().selectedRows()
        if rows:
            source = self.load_table.model().mapToSource(rows[0])  # type: ignore[attr-defined]
            return self.loads.row_object(source.row()).assessor.id
        return self.panel.current_assessor_id()

    # -- actions --------------------------------------------------------------------------

    def print_forms(self, assessor_id: int | None = None) -> QWidget | None:
        """Blank field forms for one assessor's visits, in visit order (made on a worker)."""
        assessor_id = assessor_id if assessor_id is not None else self.selected_assessor_id()
        current = self._ctx.workspace.current_round()
        if current is None:
            return None
        if assessor_id is None:
            self.tabs.setCurrentWidget(self.load_table)
            show_info(self, _("Choose an assessor"), _(
                "Select the assessor whose visits to print in the Assessor load tab, then "
                "print again."))
            return None
        names = {a.id: a.name for a in self._data.assessors} if self._data else {}
        name = names.get(assessor_id, "")
        return printing.open_preview(
            self, self._ctx, _("Field forms — {assessor}").format(assessor=name),
            printing.field_forms(self._ctx.workspace, assessor_id=assessor_id),
            printing.file_name("forms", current.year, name))

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet("color: #1b7a3d;" if ok else "color: #b3261e;")
        self.status.setText(text)

    def _on_panel_applied(self, candidate_id: int, added: int, removed: int) -> None:
        name = self._name(candidate_id)
        self._say(_("Team of {name} saved: {added} added, {removed} removed. Export new "
                    "packages so the assessors receive the change.").format(
            name=name, added=added, removed=removed))
        self._changed()

    def _on_panel_visit_saved(self, candidate_id: int) -> None:
        self._say(_("Visit date of {name} saved.").format(name=self._name(candidate_id)))
        self._changed()

    def _changed(self) -> None:
        self._ctx.signals.data_changed.emit()
        self.refresh()

    def _name(self, candidate_id: int) -> str:
        return self._data.names.get(candidate_id, str(candidate_id)) if self._data else ""

    def _on_auto_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.auto_plan import AutoPlanDialog

        dialog = AutoPlanDialog(self.model.rowCount(), self._per_candidate, self._minimum, self)
        dialog.accepted.connect(lambda: self.propose(*dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def propose(self, per_candidate: int = 3, minimum: int = 2) -> None:
        """Run the automatic proposal on a pool thread; `proposed` says when it is stored."""
        current = self._ctx.workspace.current_round()
        if current is None or self.busy:
            return
        self._per_candidate, self._minimum = per_candidate, minimum
        self._set_busy(True)
        self._say(_("Proposing teams for {n} candidates…").format(n=self.model.rowCount()))
        task = ServiceTask(run_auto, planning=self._ctx.workspace.planning, round_id=current.id,
                           per_candidate=per_candidate, minimum=minimum)
        self._ctx.tasks.start(task, self._on_auto_finished, self._on_auto_failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.auto_button.setEnabled(not busy)
        self.panel.setEnabled(not busy)

    def _on_auto_finished(self, result: AutoResult) -> None:
        self._set_busy(False)
        self._short = dict(result.plan.short)
        short = [_("{name}: {reason}").format(name=self._name(cid), reason=reason)
                 for cid, reason in sorted(result.plan.short.items(),
                                           key=lambda p: self._name(p[0]))]
        text = _("{added} assignments added; {short} of {total} candidates have fewer than "
                 "{minimum} assessors.").format(added=result.added, short=len(short),
                                                total=len(result.plan.teams),
                                                minimum=result.minimum)
        self._say(text, ok=not short)
        self._changed()
        self.proposed.emit(result)
        details = "\n".join(f"• {line}" for line in short[:SHORT_LISTED])
        if len(short) > SHORT_LISTED:
            details += "\n" + _("…and {n} more (tick “Only short teams”).").format(
                n=len(short) - SHORT_LISTED)
        show_info(self, _("Teams proposed"), f"{text}\n\n{details}" if short else text)

    def _on_auto_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self._say("", ok=True)
        self.failed.emit(exc)
        show_error(self, exc)

    def _on_conflict_button_clicked(self) -> None:
        from ovop_desktop.ui.dialogs.conflict import ConflictDialog

        if self._data is None:
            return
        choices = {s.id: f"{s.name} — {s.region_name}" for s in self._data.candidates}
        dialog = ConflictDialog(self._ctx, [a for a in self._data.assessors if not a.revoked],
                                choices, self.panel.current_assessor_id(), self.selected_id(),
                                self)
        dialog.declared.connect(self._on_dialog_declared)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _on_dialog_declared(self, conflict: Any) -> None:
        names = {a.id: a.name for a in self._data.assessors} if self._data else {}
        self._say(_("Conflict recorded: {assessor} will not be assigned to {candidate}.").format(
            assessor=names.get(conflict.assessor_id, "—"),
            candidate=self._name(conflict.candidate_id)))
        self._changed()
        self.declared.emit(conflict)
