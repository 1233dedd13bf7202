"""Qt models for the rubric editor: the list of stored versions and an editable aspect tree."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ovop_desktop.domain.rubric import Aspect, Criterion, Rubric, RubricRecord, Text
from ovop_desktop.i18n import _, current_language

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_INCOMPLETE = QColor("#b3261e")


class RubricListModel(QAbstractTableModel):
    """Stored rubric versions, one row each; `RecordRole` gives the RubricRecord."""

    COL_COMMODITY, COL_VERSION, COL_STATUS, COL_ROUNDS = range(4)
    RecordRole = Qt.ItemDataRole.UserRole + 1
    IdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RubricRecord] = []

    def set_rows(self, rows: list[RubricRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def record(self, row: int) -> RubricRecord:
        return self._rows[row]

    def row_of(self, rubric_id: int) -> int:
        """The row showing `rubric_id`, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == rubric_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        if 0 <= section < 4:
            return (_("Commodity"), _("Version"), _("Status"), _("Used in rounds"))[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role == self.RecordRole:
            return record
        if role == self.IdRole:
            return record.id
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return self._text(record, index.column(), role)
        return None

    def _text(self, record: RubricRecord, column: int, role: int) -> str | None:
        if column == self.COL_COMMODITY:
            return record.commodity.label
        if column == self.COL_VERSION:
            return f"v{record.version}"
        if column == self.COL_STATUS:
            return _("Frozen") if record.frozen else _("Draft")
        if column == self.COL_ROUNDS:
            names = ", ".join(record.rounds)
            if role == Qt.ItemDataRole.ToolTipRole:
                return names or _("Not used in any round yet")
            return names or "—"
        return None


class RubricTreeModel(QAbstractItemModel):
    """An editable working copy of one rubric: aspects at the top level, criteria beneath.

    The tree itself is read-only; the editor changes it through `replace_aspect`,
    `replace_criterion`, `add_*` and `remove_*`, and reads the result with `rubric()`.
    An index's internalId is 0 for an aspect and (aspect row + 1) for a criterion.
    """

    COL_ID, COL_NAME, COL_WEIGHT = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base: Rubric | None = None
        self._aspects: list[Aspect] = []

    # -- the working copy ------------------------------------------------------

    def set_rubric(self, rubric: Rubric | None) -> None:
        self.beginResetModel()
        self._base = rubric
        self._aspects = list(rubric.aspects) if rubric else []
        self.endResetModel()

    def rubric(self) -> Rubric | None:
        """The rubric as edited so far (None when nothing is loaded)."""
        if self._base is None:
            return None
        return replace(self._base, aspects=tuple(self._aspects))

    def aspect(self, row: int) -> Aspect:
        return self._aspects[row]

    def criterion(self, aspect_row: int, row: int) -> Criterion:
        return self._aspects[aspect_row].criteria[row]

    def aspect_index(self, row: int) -> QModelIndex:
        return self.index(row, 0)

    def criterion_index(self, aspect_row: int, row: int) -> QModelIndex:
        return self.index(row, 0, self.aspect_index(aspect_row))

    @staticmethod
    def locate(index: _Index) -> tuple[int, int | None] | None:
        """(aspect row, criterion row or None) for an index; None for the root."""
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return index.row(), None
        return index.internalId() - 1, index.row()

    def replace_aspect(self, row: int, aspect: Aspect) -> None:
        """Change an aspect's id, name or weight (its criteria are kept)."""
        self._aspects[row] = replace(aspect, criteria=self._aspects[row].criteria)
        self._row_changed(self.aspect_index(row))

    def replace_criterion(self, aspect_row: int, row: int, criterion: Criterion) -> None:
        aspect = self._aspects[aspect_row]
        criteria = list(aspect.criteria)
        criteria[row] = criterion
        self._aspects[aspect_row] = replace(aspect, criteria=tuple(criteria))
        self._row_changed(self.criterion_index(aspect_row, row))
        self._row_changed(self.aspect_index(aspect_row))  # its completeness may change

    def add_aspect(self) -> int:
        """Append an empty aspect with a fresh id and one empty criterion; returns its row."""
        ident = next(c for c in _ID_LETTERS if c not in self._ids())
        row = len(self._aspects)
        self.beginInsertRows(QModelIndex(), row, row)
        self._aspects.append(Aspect(ident, Text("", ""), 0, (self._blank(ident),)))
        self.endInsertRows()
        return row

    def add_criterion(self, aspect_row: int) -> int:
        """Append an empty criterion to an aspect; returns its row."""
        aspect = self._aspects[aspect_row]
        row = len(aspect.criteria)
        self.beginInsertRows(self.aspect_index(aspect_row), row, row)
        criteria = (*aspect.criteria, self._blank(aspect.id))
        self._aspects[aspect_row] = replace(aspect, criteria=criteria)
        self.endInsertRows()
        self._row_changed(self.aspect_index(aspect_row))
        return row

    def remove_aspect(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._aspects[row]
        self.endRemoveRows()

    def remove_criterion(self, aspect_row: int, row: int) -> None:
        aspect = self._aspects[aspect_row]
        self.beginRemoveRows(self.aspect_index(aspect_row), row, row)
        criteria = aspect.criteria[:row] + aspect.criteria[row + 1:]
        self._aspects[aspect_row] = replace(aspect, criteria=criteria)
        self.endRemoveRows()
        self._row_changed(self.aspect_index(aspect_row))

    def total_weight(self) -> int:
        return sum(a.weight for a in self._aspects)

    def _ids(self) -> set[str]:
        return {a.id for a in self._aspects} | {c.id for a in self._aspects for c in a.criteria}

    def _blank(self, prefix: str) -> Criterion:
        taken = self._ids()
        number = next(n for n in range(1, 10_000) if f"{prefix}{n}" not in taken)
        empty = Text("", "")
        return Criterion(f"{prefix}{number}", empty, (empty, empty, empty))

    def _row_changed(self, first: QModelIndex) -> None:
        last = first.siblingAtColumn(self.COL_WEIGHT)
        self.dataChanged.emit(first, last)

    # -- QAbstractItemModel ----------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._aspects)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._aspects[parent.row()].criteria)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 3

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        if 0 <= section < 3:
            return (_("ID"), _("Aspect / criterion"), _("Weight"))[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        where = self.locate(index)
        if where is None:
            return None
        aspect_row, criterion_row = where
        aspect = self._aspects[aspect_row]
        item: Aspect | Criterion = (
            aspect if criterion_row is None else aspect.criteria[criterion_row])
        if role == _DISPLAY:
            return self._display(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and not _complete(item):
            return QBrush(_INCOMPLETE)
        if role == Qt.ItemDataRole.ToolTipRole:
            if not _complete(item):
                return _("Something is missing here; see the problems below.")
            return f"{item.name.id}\n{item.name.en}"  # names cut short by the column
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_WEIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, item: Aspect | Criterion, column: int) -> str | None:
        if column == self.COL_ID:
            return item.id
        if column == self.COL_NAME:
            return item.name.get(current_language()) or _("(no name)")
        if column == self.COL_WEIGHT and isinstance(item, Aspect):
            return str(item.weight)
        return None


_ID_LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [
    f"X{n}" for n in range(1, 1000)]


def _complete(item: Aspect | Criterion) -> bool:
    texts = [item.name]
    if isinstance(item, Criterion):
        texts += list(item.levels)
    else:
        if item.weight <= 0 or not item.criteria:
            return False
        if not all(_complete(c) for c in item.criteria):
            return False
    return all(t.id.strip() and t.en.strip() for t in texts) and bool(item.id.strip())
