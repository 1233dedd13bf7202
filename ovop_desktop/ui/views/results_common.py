"""Small pieces the Results page's tabs share: labels, table set-up, a row filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.ui.models.results_models import commodity_label
from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, Index
from ovop_desktop.ui.views.results_charts import number

__all__ = ["CENTRE", "DASH", "RIGHT", "RowFilter", "commodity_label", "enable_sorting",
           "error_text", "hint_label", "sort_number", "sorted_proxy", "star_text",
           "table_view", "total_text"]

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter
DASH = "—"


def star_text(star: int | None) -> str:
    if star is None:
        return DASH
    return _("No star") if star == 0 else f"{star}★"


def total_text(total: float | None) -> str:
    return DASH if total is None else number(total, 1)


def sort_number(value: float | int | None) -> float:
    return float("-inf") if value is None else float(value)


def error_text(exc: BaseException) -> str:
    """A readable one-paragraph message for an error shown inside a tab."""
    if isinstance(exc, ValidationError) and exc.problems:
        return exc.message + " " + " ".join(exc.problems)
    if isinstance(exc, UserFacingError):
        return exc.message
    return _("Something went wrong inside OVOP Desktop. Your saved data is safe.") + \
        f" ({type(exc).__name__}: {exc})"


def table_view(name: str, model: Any) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setWordWrap(False)
    table.horizontalHeader().setHighlightSections(False)
    return table


def sorted_proxy(model: Any, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(False)  # an edited row stays where it is until re-sorted
    return proxy


class RowFilter(QSortFilterProxyModel):
    """Sorts by SORT_ROLE; shows the rows whose `key(row)` equals the chosen value (None:
    every row). An edited row stays where it is until the user sorts or filters again."""

    def __init__(self, key: Callable[[Any], object], parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self._key = key
        self.value: object = None

    def set_value(self, value: object) -> None:
        if value == self.value:
            return
        self.beginFilterChange()
        self.value = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self.value is None:
            return True
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        return row is not None and self._key(row) == self.value


def enable_sorting(table: QTableView) -> None:
    """Sortable by a header click, but first shown in the order the service gave."""
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.setSortingEnabled(True)


def hint_label(text: str = "", name: str = "hint") -> QLabel:
    label = QLabel(text, objectName=name)
    label.setWordWrap(True)
    return label
