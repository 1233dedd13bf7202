"""The planner's side panel: one candidate's visit date and team, as assessor checkboxes."""

from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.planning import is_secretariat
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.planner_model import STAR, PlanData, PlanRow, panel_order

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 3  # the reason, or None
EXPERT_ROLE = Qt.ItemDataRole.UserRole + 4  # bool: knows the candidate's commodity
EXPERT = "✓"
WARNING_STYLE = "background: #fff0c2; color: #6b4e00; padding: 4px; border-radius: 3px;"


class TeamPanel(QWidget):
    """applied(candidate_id, added, removed) — assignments were stored (also after an error
    part-way, so the view can show the truth) · visit_saved(candidate_id)."""

    applied = Signal(int, int, int)
    visit_saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._row: PlanRow | None = None
        self._round_id = 0
        self._minimum = 2
        self._before: set[int] = set()
        self.title = QLabel(_("No candidate selected"), objectName="sectionTitle")
        self.title.setWordWrap(True)
        self.details = QLabel(objectName="hint")
        self.details.setWordWrap(True)
        self.warning = QLabel(objectName="panelWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.warning)
        layout.addLayout(self._build_visit())
        layout.addLayout(self._build_team(), 1)
        self.set_candidate(None, None)

    def _build_visit(self) -> QVBoxLayout:
        self.visit_date = QDateEdit(objectName="visitDate")
        self.visit_date.setCalendarPopup(True)
        self.visit_date.setDisplayFormat("yyyy-MM-dd")
        self.no_date = QCheckBox(_("No date yet"), objectName="noVisitDate")
        self.no_date.toggled.connect(lambda on: self.visit_date.setEnabled(not on))
        self.save_date_button = QPushButton(_("Save date"), objectName="saveVisitButton")
        self.save_date_button.clicked.connect(self._on_save_date_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.visit_date, 1)
        row.addWidget(self.no_date)
        row.addWidget(self.save_date_button)
        box = QVBoxLayout()
        box.addWidget(QLabel(_("Visit date"), objectName="fieldLabel"))
        box.addLayout(row)
        return box

    def _build_team(self) -> QVBoxLayout:
        legend = QLabel(_("{star} secretariat officer · {mark} expert in the commodity · "
                          "(n) candidates this round").format(star=STAR, mark=EXPERT),
                        objectName="hint")
        legend.setWordWrap(True)
        self.assessor_list = QListWidget(objectName="teamAssessors")
        self.assessor_list.setUniformItemSizes(True)
        self.assessor_list.itemChanged.connect(self._update_count)
        self.count = QLabel(objectName="teamCount")
        self.reset_button = QPushButton(_("Undo changes"), objectName="resetTeamButton")
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.apply_button = QPushButton(_("Apply team"), objectName="applyTeamButton")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.apply_button)
        box = QVBoxLayout()
        box.addWidget(QLabel(_("Team"), objectName="fieldLabel"))
        box.addWidget(legend)
        box.addWidget(self.assessor_list, 1)
        box.addWidget(self.count)
        box.addLayout(buttons)
        return box

    # -- showing a candidate -----------------------------------------------------------

    def set_candidate(self, row: PlanRow | None, data: PlanData | None, minimum: int = 2,
                      ) -> None:
        """Show one candidate (None: nothing selected). Conflicts are looked up here, on the
        GUI thread: one indexed read per assessor, ~25 ms for 60 assessors."""
        self._row, self._minimum = row, minimum
        self.assessor_list.blockSignals(True)
        self.assessor_list.clear()
        self.assessor_list.blockSignals(False)
        for widget in (self.visit_date, self.no_date, self.save_date_button,
                       self.assessor_list, self.reset_button, self.apply_button):
            widget.setEnabled(row is not None)
        if row is None or data is None:
            self.title.setText(_("No candidate selected"))
            self.details.setText(_("Select a candidate in the table to edit its team and "
                                   "visit date."))
            self.warning.hide()
            self.count.setText("")
            return
        self._round_id = data.round_id
        s = row.summary
        self.title.setText(s.name)
        self.details.setText(" · ".join(p for p in (s.commodity.label, s.region_name,
                                                    s.province_name) if p))
        self._show_visit(row.visit)
        self._fill(row, data)

    def _show_visit(self, when: date | None) -> None:
        self.no_date.setChecked(when is None)
        self.visit_date.setDate(QDate(when or date.today()))
        self.visit_date.setEnabled(when is not None)

    def _fill(self, row: PlanRow, data: PlanData) -> None:
        planning, team = self._ctx.workspace.planning, set(row.team)
        self._before = team
        candidates = [a for a in data.assessors if not a.revoked or a.id in team]
        conflicts = {a.id: reason for a in candidates
                     if (reason := planning.conflict_of(a.id, row.id))}
        loads = data.loads()
        self.assessor_list.blockSignals(True)
        for a in panel_order(row.summary, candidates, conflicts):
            self.assessor_list.addItem(self._item(a, row, loads, conflicts.get(a.id)))
        self.assessor_list.blockSignals(False)
        self._update_count()

    def _item(self, a: Assessor, row: PlanRow, loads: Counter[int], conflict: str | None,
              ) -> QListWidgetItem:
        expert = row.summary.commodity in a.commodities
        secretariat = is_secretariat(a.institution)
        marks = [m for m, on in ((STAR, secretariat), (EXPERT, expert)) if on]
        text = f"{a.name} ({loads.get(a.id, 0)})" + "".join(f"  {m}" for m in marks)
        item = QListWidgetItem(text)
        item.setData(ID_ROLE, a.id)
        item.setData(CONFLICT_ROLE, conflict)
        item.setData(EXPERT_ROLE, expert)
        item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsEnabled)
        item.setCheckState(Qt.CheckState.Checked if a.id in row.team
                           else Qt.CheckState.Unchecked)
        tips = [a.institution] if a.institution else []
        if expert:
            tips.append(_("Expert in {commodity}").format(commodity=row.summary.commodity.label))
        if secretariat:
            tips.append(_("Secretariat officer"))
        tips.append(_("{n} candidates this round").format(n=loads.get(a.id, 0)))
        if conflict:
            tips.insert(0, _("Conflict of interest: {reason}").format(reason=conflict))
            item.setText(f"{text}  ⚠")
            if a.id not in row.team:  # a conflicted member may still be taken off the team
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        item.setToolTip("\n".join(tips))
        return item

    # -- state for the view and tests -----------------------------------------------------

    def candidate_id(self) -> int | None:
        return self._row.id if self._row else None

    def item_of(self, assessor_id: int) -> QListWidgetItem:
        for i in range(self.assessor_list.count()):
            item = self.assessor_list.item(i)
            if item.data(ID_ROLE) == assessor_id:
                return item
        raise KeyError(assessor_id)

    def checked(self) -> set[int]:
        return {item.data(ID_ROLE) for i in range(self.assessor_list.count())
                if (item := self.assessor_list.item(i)).checkState() == Qt.CheckState.Checked}

    def set_checked(self, assessor_id: int, checked: bool) -> None:
        self.item_of(assessor_id).setCheckState(
            Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def current_assessor_id(self) -> int | None:
        item = self.assessor_list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def set_short_reason(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def _update_count(self, *_args: object) -> None:
        n = len(self.checked())
        changed = self.checked() != self._before
        self.count.setText(_("{n} in the team (minimum {minimum})").format(
            n=n, minimum=self._minimum) + (" *" if changed else ""))
        self.count.setStyleSheet("color: #8c1d18;" if n < self._minimum else "")
        self.apply_button.setEnabled(self._row is not None and changed)
        self.reset_button.setEnabled(self._row is not None and changed)

    # -- actions ---------------------------------------------------------------------------

    def _on_reset_button_clicked(self) -> None:
        for i in range(self.assessor_list.count()):
            item = self.assessor_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in self._before
                               else Qt.CheckState.Unchecked)

    def apply(self) -> None:
        """Store the ticked team: removals first (they cannot fail), then additions."""
        if self._row is None:
            return
        cid, now = self._row.id, self.checked()
        added, removed = sorted(now - self._before), sorted(self._before - now)
        service, done_added, done_removed = self._ctx.workspace.assessors, 0, 0
        try:
            for aid in removed:
                done_removed += service.unassign(self._round_id, aid, [cid])
            for aid in added:
                done_added += service.assign(self._round_id, aid, [cid])
        except UserFacingError as exc:
            show_error(self, exc)
        self.applied.emit(cid, done_added, done_removed)

    def _on_save_date_button_clicked(self) -> None:
        if self._row is None:
            return
        when = None if self.no_date.isChecked() else self.visit_date.date().toPython()
        try:
            self._ctx.workspace.planning.set_visit(self._row.id, when)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.visit_saved.emit(self._row.id)
