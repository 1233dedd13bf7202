"""The visit plan as table models: a row per planned candidate, assessor loads and conflicts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import is_secretariat
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.services.candidates import CandidateSummary
from ovop_desktop.services.planning import Conflict
from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, Column, FilterProxy, RowTableModel

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STAR = "★"  # marks the secretariat officer of a team
SHORT_COLOURS = ("#fff0c2", "#6b4e00")  # below the minimum: amber
EMPTY_COLOURS = ("#f8d7d5", "#8c1d18")  # nobody at all: red

(COL_NAME, COL_COMMODITY, COL_REGENCY, COL_VISIT, COL_TEAM, COL_SIZE) = range(6)
_HEADERS = (
    lambda: _("IKM name"), lambda: _("Commodity"), lambda: _("Kabupaten/kota"),
    lambda: _("Visit date"), lambda: _("Team"), lambda: _("Size"),
)


@dataclass(frozen=True)
class PlanData:
    """Everything the planner page shows, read in one go on a pool thread."""

    round_id: int
    candidates: list[CandidateSummary]  # the planned ones: passed screening
    names: dict[int, str]  # every candidate of the round, for the conflicts list
    assessors: list[Assessor]
    teams: dict[int, list[int]]
    visits: dict[int, date]
    conflicts: list[Conflict] = field(default_factory=list)

    def loads(self) -> Counter[int]:
        """Candidates per assessor in this round."""
        return Counter(a for team in self.teams.values() for a in team)


def member_text(assessor: Assessor) -> str:
    return f"{assessor.name} {STAR}" if is_secretariat(assessor.institution) else assessor.name


@dataclass(frozen=True, slots=True)
class PlanRow:
    """A planned candidate with its team, visit date and cell texts worked out once."""

    summary: CandidateSummary
    team: tuple[int, ...]
    team_text: str
    visit: date | None
    short_reason: str  # from the last automatic proposal, if it could not fill the team

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def size(self) -> int:
        return len(self.team)


def prepare_plan_rows(data: PlanData, short: dict[int, str] | None = None) -> list[PlanRow]:
    """Pure: runs on the pool thread for a thousand candidates."""
    by_id = {a.id: a for a in data.assessors}
    rows = []
    for s in data.candidates:
        team = tuple(data.teams.get(s.id, ()))
        members = sorted((by_id[a] for a in team if a in by_id),
                         key=lambda a: (not is_secretariat(a.institution), a.name.casefold()))
        rows.append(PlanRow(s, team, ", ".join(member_text(a) for a in members),
                            data.visits.get(s.id), (short or {}).get(s.id, "")))
    return rows


class PlannerModel(QAbstractTableModel):
    """Rows handed in by the view; the size cell warns when a team is below the minimum."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanRow] = []
        self.minimum = 2
        self._brushes = {k: (QBrush(QColor(bg)), QBrush(QColor(fg)))
                         for k, (bg, fg) in (("short", SHORT_COLOURS), ("empty", EMPTY_COLOURS))}

    def set_rows(self, rows: Sequence[PlanRow], minimum: int | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if minimum is not None:
            self.minimum = minimum
        self.endResetModel()

    def rows(self) -> list[PlanRow]:
        return self._rows

    def row_object(self, row: int) -> PlanRow:
        return self._rows[row]

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == candidate_id), -1)

    def is_short(self, row: PlanRow) -> bool:
        return row.size < self.minimum

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_TEAM, COL_SIZE):
            return self._tooltip(row)
        if (column == COL_SIZE and self.is_short(row)
                and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)):
            pair = self._brushes["empty" if row.size == 0 else "short"]
            return pair[0 if role == Qt.ItemDataRole.BackgroundRole else 1]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_VISIT, COL_SIZE):
            return int(Qt.AlignmentFlag.AlignCenter.value)
        return None

    def _text(self, row: PlanRow, column: int) -> str:
        s = row.summary
        if column == COL_VISIT:
            return row.visit.isoformat() if row.visit else "—"
        if column == COL_SIZE:
            return f"{row.size} ⚠" if self.is_short(row) else str(row.size)
        return (s.name, s.commodity.label, s.region_name, "", row.team_text, "")[column]

    def _sort_key(self, row: PlanRow, column: int) -> Any:
        if column == COL_VISIT:
            return row.visit.isoformat() if row.visit else "9999"
        if column == COL_SIZE:
            return row.size
        return self._text(row, column).casefold()

    def _tooltip(self, row: PlanRow) -> str | None:
        lines = [row.team_text] if row.team_text else []
        if self.is_short(row):
            lines.append(_("Below the minimum of {n} assessors.").format(n=self.minimum))
            if row.short_reason:
                lines.append(row.short_reason)
        return "\n".join(lines) or None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(_HEADERS)):
            return _HEADERS[section]()
        return None


class PlanFilterProxy(FilterProxy):
    """Filters by commodity, province, kabupaten/kota and "only teams below the minimum"."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._commodity: Commodity | None = None
        self._province: str | None = None
        self._regency: str | None = None
        self._only_short = False

    # Combos hand StrEnum data back as plain str: the setter turns it into the enum again.
    def set_commodity(self, commodity: str | None) -> None:
        self._change("_commodity", Commodity(commodity) if commodity else None)

    def set_province(self, code: str | None) -> None:
        self._change("_province", code or None)

    def set_regency(self, code: str | None) -> None:
        self._change("_regency", code or None)

    def set_only_short(self, only: bool) -> None:
        self._change("_only_short", bool(only))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, PlannerModel):
            return True
        row = model.row_object(source_row)
        s = row.summary
        return ((self._commodity is None or s.commodity is self._commodity)
                and (self._province is None or s.province_code == self._province)
                and (self._regency is None or s.region_code == self._regency)
                and (not self._only_short or model.is_short(row)))


# -- assessor loads and conflicts --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LoadRow:
    assessor: Assessor
    load: int


def load_rows(data: PlanData) -> list[LoadRow]:
    loads = data.loads()
    return [LoadRow(a, loads.get(a.id, 0)) for a in data.assessors
            if not a.revoked or loads.get(a.id)]


def load_model(parent: Any = None) -> RowTableModel[LoadRow]:
    columns: list[Column[LoadRow]] = [
        Column(lambda: _("Assessor"), lambda r: member_text(r.assessor),
               lambda r: r.assessor.name.casefold()),
        Column(lambda: _("Institution"), lambda r: r.assessor.institution,
               lambda r: r.assessor.institution.casefold()),
        Column(lambda: _("Commodities"),
               lambda r: ", ".join(c.label for c in r.assessor.commodities) or "—"),
        Column(lambda: _("Load"), lambda r: str(r.load), lambda r: r.load, RIGHT),
    ]
    return RowTableModel(columns, parent)


@dataclass(frozen=True, slots=True)
class ConflictLine:
    conflict: Conflict
    assessor: str
    candidate: str


def conflict_lines(data: PlanData) -> list[ConflictLine]:
    names = {a.id: a.name for a in data.assessors}
    return [ConflictLine(c, names.get(c.assessor_id, "—") if c.assessor_id else "—",
                         data.names.get(c.candidate_id, f"#{c.candidate_id}"))
            for c in data.conflicts]


def conflict_model(parent: Any = None) -> RowTableModel[ConflictLine]:
    columns: list[Column[ConflictLine]] = [
        Column(lambda: _("Assessor"), lambda r: r.assessor, lambda r: r.assessor.casefold()),
        Column(lambda: _("Candidate"), lambda r: r.candidate, lambda r: r.candidate.casefold()),
        Column(lambda: _("Reason"), lambda r: r.conflict.reason),
        Column(lambda: _("Declared by"), lambda r: r.conflict.declared_by),
        Column(lambda: _("Declared at"), lambda r: r.conflict.declared_at[:16].replace("T", " ")),
    ]
    return RowTableModel(columns, parent)


def panel_order(candidate: CandidateSummary, assessors: Iterable[Assessor],
                conflicts: dict[int, str]) -> list[Assessor]:
    """The side panel's order: free experts in the commodity first, conflicted ones last."""
    return sorted(assessors, key=lambda a: (a.id in conflicts,
                                            candidate.commodity not in a.commodities,
                                            a.name.casefold(), a.id))
