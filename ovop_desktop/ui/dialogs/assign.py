"""Which of the round's candidates an assessor visits: a checkable, searchable list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.services.candidates import CandidateService, CandidateSummary
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.workers import ServiceTask

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def load_choices(candidates: CandidateService, assessors: Any, round_id: int,
                 assessor_id: int) -> tuple[list[CandidateSummary], set[int]]:
    """Runs on a pool thread: the round's candidates and those already assigned."""
    return candidates.summaries(round_id), set(assessors.assigned(round_id, assessor_id))


class AssignDialog(QDialog):
    """loaded() — the list is filled · saved(added, removed) — the assignments were stored."""

    loaded = Signal()
    saved = Signal(int, int)

    def __init__(self, ctx: AppContext, round_id: int, assessor: Assessor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._round_id = round_id
        self._assessor = assessor
        self._before: set[int] = set()
        self.setWindowTitle(_("Assign candidates to {name}").format(name=assessor.name))
        self.resize(760, 560)
        expertise = ", ".join(c.label for c in assessor.commodities) or "—"
        intro = QLabel(_("Tick the candidates {name} visits in this round. Expertise: "
                         "{expertise}. The next assignment package carries the ticked "
                         "candidates.").format(name=assessor.name, expertise=expertise))
        intro.setWordWrap(True)
        self.model = self._new_model()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search = QLineEdit(objectName="assignSearch")
        self.search.setMinimumWidth(300)
        self.search.setPlaceholderText(_("Search name, commodity or kabupaten/kota"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(objectName="assignTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 200)
        header.resizeSection(2, 200)
        self.count = QLabel(_("Loading candidates…"), objectName="assignCount")
        select_shown = QPushButton(_("Tick all shown"), objectName="tickShownButton")
        select_shown.clicked.connect(lambda: self._tick_shown(True))
        clear_shown = QPushButton(_("Untick all shown"), objectName="untickShownButton")
        clear_shown.clicked.connect(lambda: self._tick_shown(False))
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("Save"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveAssignmentButton")
        self.save_button.setEnabled(False)
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(select_shown)
        tools.addWidget(clear_shown)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        task = ServiceTask(load_choices, candidates=ctx.workspace.candidates,
                           assessors=ctx.workspace.assessors, round_id=round_id,
                           assessor_id=assessor.id)
        ctx.tasks.start(task, self._on_load_finished, self._on_load_failed)

    def _new_model(self) -> QStandardItemModel:
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels([_("IKM name"), _("Commodity"), _("Kabupaten/kota")])
        return model

    def _on_load_finished(self, result: tuple[list[CandidateSummary], set[int]]) -> None:
        summaries, assigned = result
        self._before = assigned
        model = self._new_model()  # filled unattached: no proxy update per row
        for s in summaries:
            name = QStandardItem(s.name)
            name.setCheckable(True)
            name.setEditable(False)
            name.setData(s.id, ID_ROLE)
            name.setCheckState(Qt.CheckState.Checked if s.id in assigned
                               else Qt.CheckState.Unchecked)
            others = [QStandardItem(s.commodity.label), QStandardItem(s.region_name)]
            for item in others:
                item.setEditable(False)
            model.appendRow([name, *others])
        model.itemChanged.connect(self._update_count)
        self.proxy.setSourceModel(model)
        self.model.deleteLater()
        self.model = model
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.save_button.setEnabled(True)
        self._update_count()
        self.loaded.emit()

    def _on_load_failed(self, exc: Exception) -> None:
        show_error(self, exc)
        self.reject()

    def checked(self) -> set[int]:
        return {self.model.item(r, 0).data(ID_ROLE) for r in range(self.model.rowCount())
                if self.model.item(r, 0).checkState() == Qt.CheckState.Checked}

    def set_checked(self, candidate_id: int, checked: bool) -> None:
        for r in range(self.model.rowCount()):
            item = self.model.item(r, 0)
            if item.data(ID_ROLE) == candidate_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(candidate_id)

    def _tick_shown(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            self.model.itemFromIndex(source).setCheckState(state)

    def _update_count(self, *_args: object) -> None:
        self.count.setText(_("{n} of {total} candidates ticked").format(
            n=len(self.checked()), total=self.model.rowCount()))

    def _on_buttons_accepted(self) -> None:
        now = self.checked()
        added, removed = sorted(now - self._before), sorted(self._before - now)
        service = self._ctx.workspace.assessors
        try:
            if added:
                service.assign(self._round_id, self._assessor.id, added)
            if removed:
                service.unassign(self._round_id, self._assessor.id, removed)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.saved.emit(len(added), len(removed))
        self.accept()
