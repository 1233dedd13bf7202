"""Table set-up the views share: a table view, a sorting proxy, a row filter, a hint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, FilterProxy, Index


def table_view(name: str, model: Any, *, sortable: bool = False) -> QTableView:
    """One row selected at a time, alternating colours, no row numbers, one line per row;
    `sortable`: sorted by a header click at once (else see enable_sorting)."""
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.setWordWrap(False)
    table.horizontalHeader().setHighlightSections(False)
    if sortable:
        table.setSortingEnabled(True)
    return table


def sorted_proxy(model: Any, parent: QWidget, *, dynamic: bool = True) -> QSortFilterProxyModel:
    """Sorts by SORT_ROLE; not `dynamic`: an edited row stays where it is until re-sorted."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(dynamic)
    return proxy


class RowFilter(FilterProxy):
    """Sorts by SORT_ROLE; shows the rows whose `key(row)` equals the chosen value (None:
    every row). An edited row stays where it is until the user sorts or filters again."""

    def __init__(self, key: Callable[[Any], object], parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self._key = key
        self.value: object = None

    def set_value(self, value: object) -> None:
        self._change("value", value)

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
