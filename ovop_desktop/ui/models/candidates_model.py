"""The candidate registry as a table model, and the proxy that filters it as the user types."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ovop_desktop.domain.candidates import EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.screening import Decision
from ovop_desktop.i18n import _
from ovop_desktop.services.candidates import CandidateSummary
from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, FilterProxy

Index = QModelIndex | QPersistentModelIndex

(COL_NAME, COL_REGENCY, COL_PROVINCE, COL_COMMODITY, COL_PRODUCT, COL_KIND, COL_NIB,
 COL_SCREENING) = range(8)
_HEADERS = (
    lambda: _("IKM name"), lambda: _("Kabupaten/kota"), lambda: _("Province"),
    lambda: _("Commodity"), lambda: _("Product"), lambda: _("Kind of entry"), lambda: _("NIB"),
    lambda: _("Screening"),
)
DECISION_COLOURS = {Decision.PASSED: "#1b7a3d", Decision.FAILED: "#b3261e",
                    Decision.PENDING: "#7a5c00"}


def kind_text(summary: CandidateSummary, with_year: bool = True) -> str:
    """"New candidate", or "Re-evaluation ★★ 2022" with the previous star (and year)."""
    if summary.kind is EntryKind.NEW:
        return summary.kind.label
    star = "★" * (summary.previous_star or 0)
    year = str(summary.previous_year or "") if with_year else ""
    return " ".join(part for part in (summary.kind.label, star, year) if part)


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """A summary with its cell texts, sort keys and lowercase search haystack worked out once."""

    summary: CandidateSummary
    texts: tuple[str, ...]
    sort_keys: tuple[Any, ...]
    haystack: str
    tooltip: str


def prepare_row(s: CandidateSummary) -> CandidateRow:
    texts = (s.name, s.region_name, s.province_name, s.commodity.label, s.product,
             kind_text(s, with_year=False), s.nib, s.decision.label)  # the year: in the tooltip
    sort_keys = tuple(t.casefold() for t in texts)
    kind_key = (s.kind is EntryKind.REEVALUATION, s.previous_star or 0, s.previous_year or 0)
    sort_keys = (*sort_keys[:COL_KIND], kind_key, *sort_keys[COL_KIND + 1:])
    haystack = "\n".join((s.name, s.owner, s.product, s.region_name, s.nib)).casefold()
    return CandidateRow(s, texts, sort_keys, haystack, "\n".join(s.screening.reasons()))


def prepare_rows(summaries: Iterable[CandidateSummary]) -> list[CandidateRow]:
    """Pure and Qt-free in effect, so a worker thread can do it for 10,000 rows."""
    return [prepare_row(s) for s in summaries]


class CandidatesModel(QAbstractTableModel):
    """Rows are prepared summaries handed in by a view; the model never queries anything."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CandidateRow] = []
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._brushes = {d: QBrush(QColor(c)) for d, c in DECISION_COLOURS.items()}

    def set_rows(self, rows: Sequence[CandidateRow]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python on their precomputed keys (~5 ms for 10,000 rows)."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self._rows[i.row()].summary.id for i in persistent]
        self._rows = self._sorted(self._rows)
        where = {r.summary.id: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent, [self.index(where[cid], i.column()) for cid, i in zip(ids, persistent,
                                                                               strict=True)])
        self.layoutChanged.emit()

    def _sorted(self, rows: Iterable[CandidateRow]) -> list[CandidateRow]:
        column, order = self._sort
        if not 0 <= column < len(_HEADERS):
            return list(rows)
        return sorted(rows, key=lambda r: (r.sort_keys[column], r.summary.id),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def rows(self) -> list[CandidateRow]:
        return self._rows

    def summary(self, row: int) -> CandidateSummary:
        return self._rows[row].summary

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.summary.id == candidate_id), -1)

    def replace_summary(self, summary: CandidateSummary) -> None:
        """One candidate changed (e.g. its screening): update its row in place."""
        row = self.row_of(summary.id)
        if row >= 0:
            self._rows[row] = prepare_row(summary)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[column]
        if role == SORT_ROLE:
            return row.sort_keys[column]
        if role == ROW_ROLE:
            return row.summary
        if column == COL_KIND and role == Qt.ItemDataRole.ToolTipRole:
            return kind_text(row.summary)
        if column == COL_SCREENING:
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.tooltip or None
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._brushes[row.summary.decision]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(_HEADERS)):
            return _HEADERS[section]()
        return None


class CandidateFilterProxy(FilterProxy):
    """Filters by commodity, province, kind and decision, and by words typed in the search box.

    Every word typed must occur in the row's precomputed lowercase haystack (name, owner,
    product, kab/kota, NIB). Sorting is handed to the source model: through `lessThan` every
    comparison would call the Python `data()` twice (300–600 ms for 10,000 rows, and as much
    again when a shorter search text brings thousands of rows back); the model sorts its list
    on precomputed keys instead, and this proxy keeps the source order.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._commodity: Commodity | None = None
        self._province: str | None = None
        self._kind: EntryKind | None = None
        self._decision: Decision | None = None
        self._words: tuple[str, ...] = ()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    # Combos hand StrEnum data back as plain str: the setters turn it into the enum again.

    def set_commodity(self, commodity: str | None) -> None:
        self._change("_commodity", Commodity(commodity) if commodity else None)

    def set_province(self, province_code: str | None) -> None:
        self._change("_province", province_code or None)

    def set_kind(self, kind: str | None) -> None:
        self._change("_kind", EntryKind(kind) if kind else None)

    def set_decision(self, decision: str | None) -> None:
        self._change("_decision", Decision(decision) if decision else None)

    def set_search(self, text: str) -> None:
        self._change("_words", tuple(text.casefold().split()))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CandidatesModel):
            return True
        row = model.rows()[source_row]
        s = row.summary
        return ((self._commodity is None or s.commodity is self._commodity)
                and (self._province is None or s.province_code == self._province)
                and (self._kind is None or s.kind is self._kind)
                and (self._decision is None or s.screening.decision is self._decision)
                and all(w in row.haystack for w in self._words))
