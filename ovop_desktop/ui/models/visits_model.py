"""The assessor's visits as a table model (one row per local candidate) and its filter proxy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ovop_desktop.i18n import _
from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, Column, FilterProxy, RowTableModel

Index = QModelIndex | QPersistentModelIndex

NOT_STARTED, IN_PROGRESS, FINISHED = "", "in_progress", "finished"  # scoring.sheet() statuses
NO_DATE = "none"  # the date filter's value for "no visit date yet"

STATUS_COLOURS = {NOT_STARTED: "#555555", IN_PROGRESS: "#7a5c00", FINISHED: "#1b7a3d"}
CONFLICT_COLOUR = "#b3261e"


def status_text(status: str) -> str:
    """A sheet status as the assessor reads it."""
    if status == FINISHED:
        return _("Finished")
    if status == IN_PROGRESS:
        return _("In progress")
    return _("Not started")


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One assigned candidate with its visit date and how far its sheet is."""

    candidate_id: int
    name: str
    region_code: str
    region_name: str
    product: str
    visit_date: date | None
    scored: int
    total: int
    status: str  # NOT_STARTED, IN_PROGRESS or FINISHED
    conflict: str | None  # this laptop's own conflict of interest, with its reason
    visited_on: date | None = None  # the actual visit date the assessor recorded

    @property
    def progress(self) -> str:
        return f"{self.scored}/{self.total}"


def _date_text(row: VisitRow) -> str:
    planned = row.visit_date.isoformat() if row.visit_date else "—"
    if row.visited_on is None or row.visited_on == row.visit_date:
        return planned + (" ✓" if row.visited_on else "")
    return _("{planned} (visited {actual})").format(planned=planned,
                                                    actual=row.visited_on.isoformat())


def _conflict_text(row: VisitRow) -> str:
    return f"⚠ {row.conflict}" if row.conflict else ""


(COL_NAME, COL_REGENCY, COL_PRODUCT, COL_DATE, COL_PROGRESS, COL_STATUS,
 COL_CONFLICT) = range(7)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COLUMNS: tuple[Column[VisitRow], ...] = (
    Column(lambda: _("IKM name"), lambda r: r.name, lambda r: r.name.casefold()),
    Column(lambda: _("Kabupaten/kota"), lambda r: r.region_name,
           lambda r: r.region_name.casefold()),
    Column(lambda: _("Product"), lambda r: r.product, lambda r: r.product.casefold()),
    Column(lambda: _("Visit date"), _date_text,
           lambda r: r.visit_date.isoformat() if r.visit_date else "9999"),
    Column(lambda: _("Progress"), lambda r: r.progress,
           lambda r: r.scored / r.total if r.total else 0.0, _RIGHT),
    Column(lambda: _("Status"), lambda r: status_text(r.status),
           lambda r: (NOT_STARTED, IN_PROGRESS, FINISHED).index(r.status)),
    Column(lambda: _("Conflict of interest"), _conflict_text,
           lambda r: 0 if r.conflict else 1),
)


class VisitsModel(RowTableModel[VisitRow]):
    """Rows are handed in by the view (loaded on a pool thread); nothing here queries."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._status_brushes = {s: QBrush(QColor(c)) for s, c in STATUS_COLOURS.items()}
        self._conflict_brush = QBrush(QColor(CONFLICT_COLOUR))

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.candidate_id == candidate_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if value is not None or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return value
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.conflict and column in (COL_NAME, COL_CONFLICT):
                return self._conflict_brush
            if column == COL_STATUS:
                return self._status_brushes[row.status]
        if role == Qt.ItemDataRole.ToolTipRole and row.conflict:
            return _("Conflict of interest: {reason}. The scoring sheet cannot be "
                     "opened.").format(reason=row.conflict)
        return None


class VisitsFilterProxy(FilterProxy):
    """Filters by visit date (ISO text, NO_DATE or None for all) and by kabupaten/kota code.
    Sorts on the model's SORT_ROLE (an assessor holds dozens of rows, not thousands)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._date: str | None = None
        self._region: str | None = None

    def set_date(self, iso_date: str | None) -> None:
        self._change("_date", iso_date or None)

    def set_region(self, region_code: str | None) -> None:
        self._change("_region", region_code or None)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        row = model.index(source_row, 0, source_parent).data(ROW_ROLE)
        if not isinstance(row, VisitRow):
            return True
        if self._region is not None and row.region_code != self._region:
            return False
        if self._date == NO_DATE:
            return row.visit_date is None
        return self._date is None or (row.visit_date is not None
                                      and row.visit_date.isoformat() == self._date)
