"""The results page as table models: the shared rich table model and the ranking
(detail_grid_model.py holds one candidate's grid, progress_models.py the progress board).

Rows are prepared on a pool thread (plain dataclasses, no Qt); texts are made at paint time
so a language switch shows at once and 10,000 rows cost nothing until they are visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.formats import format_datetime, format_number
from ovop_desktop.domain.results import CandidateResult, Change, Flag
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services.results import (
    CandidateFacts,
    ResultsReport,
)
from ovop_desktop.ui.models.table import ROW_ROLE, SORT_ROLE, Column, FilterProxy, RowTableModel

Index = QModelIndex | QPersistentModelIndex
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
INCOMPLETE_STAR = -1  # the star filter's value for "not classified yet"
NOTE_MARK = "✎"       # an assessor wrote a note on this criterion
MODERATED_MARK = "⚑"  # the panel's level replaces the mean


@lru_cache(maxsize=64)
def brush(colour: str) -> QBrush:
    """One brush per colour for every table of the page (a few colours, 10,000 rows)."""
    return QBrush(QColor(colour))


FLAG_COLOURS = {
    Flag.DISAGREEMENT: "#c62828",
    Flag.SEVERITY: "#8e24aa",
    Flag.MODERATED: "#1565c0",
    Flag.INCOMPLETE: "#9e9e9e",
}
LEVEL_COLOURS = {1: "#fde2e1", 2: "#fff4cc", 3: "#dff3e4"}
WARN = ("#f8d7d5", "#8c1d18")       # disagreement, nothing received: red
MISSING = ("#fff0c2", "#6b4e00")    # something still missing: amber
MODERATED = ("#dbe8fb", "#0d3c84")  # the panel's level
EXCLUDED = ("#f0f0f0", "#9e9e9e")   # shown but not counted
GOLD = "#a86f00"


def number(value: float | None, decimals: int = 1, empty: str = "—") -> str:
    """A score as the UI language writes it ("83,3" in Indonesian), or `empty`."""
    return empty if value is None else format_number(value, decimals, current_language())


def stars(star: int | None) -> str:
    """★★★ · ★★ · ★ · "—" for no star · "incomplete" for a candidate not classified."""
    if star is None:
        return Flag.INCOMPLETE.label
    return "★" * star if star > 0 else "—"


def commodity_label(value: str) -> str:
    try:
        return Commodity(value).label
    except ValueError:
        return value


def when(stamp: str | None) -> str:
    if not stamp:
        return "—"
    try:
        return format_datetime(stamp, current_language())
    except ValueError:
        return stamp


def change_text(result: CandidateResult) -> str:
    """"★★ → ★★★ (up)" for an earlier holder; empty for a new candidate."""
    if result.previous_star is None:
        return ""
    before = stars(result.previous_star) if result.previous_star > 0 else "—"
    if result.star is None:
        return f"{before} → ?"
    label = f" ({result.change.label})" if result.change is not None else ""
    return f"{before} → {stars(result.star)}{label}"


_CHANGE_ORDER = {Change.UP: 0, Change.SAME: 1, Change.DOWN: 2, Change.LOST: 3}
_FLAG_ORDER = (Flag.DISAGREEMENT, Flag.SEVERITY, Flag.MODERATED, Flag.INCOMPLETE)
_FLAG_HELP = {
    Flag.DISAGREEMENT: lambda: _("Assessors are far apart on at least one criterion."),
    Flag.SEVERITY: lambda: _("Corrected for assessor severity, the candidate gets another "
                             "star."),
    Flag.MODERATED: lambda: _("The panel set the level of at least one criterion."),
    Flag.INCOMPLETE: lambda: _("Too few finished sheets to classify the candidate."),
}


_ICONS: dict[tuple[Flag, ...], QIcon] = {}


def flag_icon(flags: Iterable[Flag]) -> QIcon:
    """Coloured dots, one per flag, most urgent first (made once per combination)."""
    key = tuple(f for f in _FLAG_ORDER if f in set(flags))
    if key not in _ICONS:
        size = 10
        pixmap = QPixmap(size * max(1, len(key)) + 2 * max(0, len(key) - 1), size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, flag in enumerate(key):
            painter.setBrush(QColor(FLAG_COLOURS[flag]))
            painter.drawEllipse(i * (size + 2), 0, size, size)
        painter.end()
        _ICONS[key] = QIcon(pixmap)
    return _ICONS[key]


# -- a table model with tooltips, colours, icons and replaceable columns ---------------------

Paint = tuple[str, str] | None  # (background, foreground) colours


@dataclass(frozen=True)
class RichColumn(Column[Any]):
    key: str = ""
    tooltip: Callable[[Any], str | None] | None = None
    header_tip: Callable[[], str] | None = None
    paint: Callable[[Any], Paint] | None = None
    icon: Callable[[Any], QIcon | None] | None = None
    bold: bool = False


class RichTableModel(RowTableModel[Any]):
    """RowTableModel plus per-cell tooltips, colours and icons, and a row colour
    (`row_paint`) for rows that need attention."""

    def __init__(self, columns: Sequence[RichColumn], parent: Any = None,
                 row_paint: Callable[[Any], Paint] | None = None) -> None:
        super().__init__(columns, parent)
        self._row_paint = row_paint
        self._bold = QFont()
        self._bold.setBold(True)

    def set_columns(self, columns: Sequence[RichColumn]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self.endResetModel()

    def column_of(self, key: str) -> int:
        return next((i for i, c in enumerate(self._columns)
                     if isinstance(c, RichColumn) and c.key == key), -1)

    def column_key(self, column: int) -> str:
        c = self._columns[column]
        return c.key if isinstance(c, RichColumn) else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = self._columns[index.column()]
        if not isinstance(column, RichColumn) or role in (
                Qt.ItemDataRole.DisplayRole, SORT_ROLE, ROW_ROLE,
                Qt.ItemDataRole.TextAlignmentRole):
            return super().data(index, role)
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else None
        if role == Qt.ItemDataRole.DecorationRole:
            return column.icon(row) if column.icon else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column.bold else None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            paint = column.paint(row) if column.paint else None
            if paint is None and self._row_paint is not None:
                paint = self._row_paint(row)
            if paint is None:
                return None
            return brush(paint[0 if role == Qt.ItemDataRole.BackgroundRole else 1])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self._columns)):
            column = self._columns[section]
            return column.header_tip() if isinstance(column, RichColumn) and \
                column.header_tip else None
        return super().headerData(section, orientation, role)


# -- the ranking -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RankingRow:
    result: CandidateResult
    facts: CandidateFacts
    order: int             # position in the report's order: commodity, rank, name
    assessor_names: tuple[str, ...]
    haystack: str          # what the search box matches, casefolded

    @property
    def id(self) -> int:
        return self.result.candidate_id


@dataclass(frozen=True)
class AspectInfo:
    """An aspect column: its id and, per commodity rubric, its name and weight."""

    id: str
    names: tuple[str, ...]
    weight: int


def prepare_ranking(report: ResultsReport) -> list[RankingRow]:
    """Pure: runs on the pool thread."""
    rows = []
    for order, r in enumerate(report.rows()):
        facts = report.candidates[r.candidate_id]
        names = tuple(report.assessors[a].name if a in report.assessors else f"#{a}"
                      for a in r.assessors)
        hay = " ".join((facts.name, facts.owner, facts.product, facts.regency, facts.province,
                        facts.sentra)).casefold()
        rows.append(RankingRow(r, facts, order, names, hay))
    return rows


def aspect_infos(report: ResultsReport, language: str) -> list[AspectInfo]:
    """Aspect columns in rubric order; rubrics of a round normally share A, B, C."""
    found: dict[str, tuple[list[str], int]] = {}
    for link in report.round.commodities:
        rubric = report.rubrics.get(link.commodity.value)
        for aspect in rubric.aspects if rubric else ():
            names, _w = found.setdefault(aspect.id, ([], aspect.weight))
            name = aspect.name.get(language)
            if name not in names:
                names.append(name)
    return [AspectInfo(a, tuple(names), weight) for a, (names, weight) in found.items()]


def _aspect_column(info: AspectInfo) -> RichColumn:
    def tip() -> str:
        return _("{id} — {name} (weight {weight})").format(
            id=info.id, name=" / ".join(info.names), weight=info.weight)

    return RichColumn(lambda: info.id, lambda r: number(r.result.aspects.get(info.id)),
                      lambda r: r.result.aspects.get(info.id, -1.0), RIGHT,
                      key=f"aspect:{info.id}", header_tip=tip,
                      tooltip=lambda r: f"{tip()}: {number(r.result.aspects.get(info.id))}")


def _star_paint(star: int | None) -> Paint:
    if star is None:
        return EXCLUDED
    return ("#fff8e1", GOLD) if star > 0 else None


def _flags_text(r: RankingRow) -> str:
    return ", ".join(f.label for f in _FLAG_ORDER if f in r.result.flags)


def _flags_tip(r: RankingRow) -> str | None:
    lines = [f"{f.label}: {_FLAG_HELP[f]()}" for f in _FLAG_ORDER if f in r.result.flags]
    return "\n".join(lines) or None


def _flags_sort(r: RankingRow) -> int:
    """The most urgent flag weighs most (Qt compares numbers, not tuples)."""
    return sum(1 << (len(_FLAG_ORDER) - i) for i, f in enumerate(_FLAG_ORDER)
               if f in r.result.flags)


def _corrected_text(r: RankingRow) -> str:
    res = r.result
    if res.corrected_total is None:
        return ""
    star = f" · {stars(res.corrected_star)}" if res.corrected_star is not None else ""
    return number(res.corrected_total) + star


def ranking_columns(aspects: Sequence[AspectInfo]) -> list[RichColumn]:
    columns = [
        RichColumn(lambda: _("Rank"), lambda r: str(r.result.rank) if r.result.rank else "—",
                   lambda r: r.order, RIGHT, key="rank",
                   header_tip=lambda: _("Rank within the commodity")),
        RichColumn(lambda: _("IKM name"), lambda r: r.facts.name,
                   lambda r: r.facts.name.casefold(), key="name",
                   tooltip=lambda r: "\n".join(x for x in (
                       r.facts.name, _("Owner: {owner}").format(owner=r.facts.owner),
                       _("Product: {product}").format(product=r.facts.product)) if x)),
        RichColumn(lambda: _("Kabupaten/kota"), lambda r: r.facts.regency,
                   lambda r: r.facts.regency.casefold(), key="regency",
                   tooltip=lambda r: r.facts.regency),
        RichColumn(lambda: _("Province"), lambda r: r.facts.province,
                   lambda r: r.facts.province.casefold(), key="province",
                   tooltip=lambda r: r.facts.province),
        RichColumn(lambda: _("Commodity"), lambda r: commodity_label(r.result.commodity),
                   lambda r: commodity_label(r.result.commodity).casefold(), key="commodity",
                   tooltip=lambda r: commodity_label(r.result.commodity)),
        RichColumn(lambda: _("Assessors"), lambda r: str(len(r.result.assessors)),
                   lambda r: len(r.result.assessors), CENTER, key="assessors",
                   header_tip=lambda: _("Assessors whose finished sheets count"),
                   tooltip=lambda r: "\n".join(r.assessor_names) or None),
    ]
    columns += [_aspect_column(a) for a in aspects]
    columns += [
        RichColumn(lambda: _("Total"), lambda r: number(r.result.total),
                   lambda r: -1.0 if r.result.total is None else r.result.total, RIGHT,
                   key="total", bold=True, header_tip=lambda: _("Total score, 0–100")),
        RichColumn(lambda: _("Star"), lambda r: stars(r.result.star),
                   lambda r: -1 if r.result.star is None else r.result.star, CENTER,
                   key="star", paint=lambda r: _star_paint(r.result.star),
                   tooltip=lambda r: _("Not classified: fewer finished sheets than the "
                                       "round's minimum, or criteria without a level.")
                   if r.result.star is None else None),
        RichColumn(lambda: _("Flags"), _flags_text, _flags_sort, key="flags",
                   icon=lambda r: flag_icon(r.result.flags) if r.result.flags else None,
                   tooltip=_flags_tip,
                   paint=lambda r: WARN if Flag.DISAGREEMENT in r.result.flags else None),
        RichColumn(lambda: _("Corrected"), _corrected_text,
                   lambda r: -1.0 if r.result.corrected_total is None
                   else r.result.corrected_total, RIGHT, key="corrected",
                   header_tip=lambda: _("Total and star corrected for each assessor's severity; "
                                        "blank where the assessors' overlap is too small to "
                                        "estimate it.")),
        RichColumn(lambda: _("Previous → now"), lambda r: change_text(r.result),
                   lambda r: 99 if r.result.previous_star is None
                   else _CHANGE_ORDER.get(r.result.change, 9) if r.result.change else 9,
                   key="change",
                   header_tip=lambda: _("Re-evaluation of an earlier holder: previous star → "
                                        "new star")),
    ]
    return columns


class RankingModel(RichTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(ranking_columns([]), parent)

    def set_report(self, rows: Sequence[RankingRow], aspects: Sequence[AspectInfo]) -> None:
        self.beginResetModel()
        self._columns = list(ranking_columns(aspects))
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == candidate_id), -1)


class RankingProxy(FilterProxy):
    """Filters by commodity, star (INCOMPLETE_STAR: not classified), "only flagged", search."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._commodity: str | None = None
        self._star: int | None = None
        self._flagged = False
        self._search = ""

    def set_commodity(self, commodity: str | None) -> None:
        self._change("_commodity", str(commodity) if commodity else None)

    def set_star(self, star: int | None) -> None:
        self._change("_star", star)

    def set_flagged(self, flagged: bool) -> None:
        self._change("_flagged", bool(flagged))

    def set_search(self, text: str) -> None:
        self._change("_search", " ".join(text.split()).casefold())

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RankingModel):
            return True
        row: RankingRow = model.row_object(source_row)
        r = row.result
        if self._commodity is not None and r.commodity != self._commodity:
            return False
        if self._star is not None and (
                r.star is not None if self._star == INCOMPLETE_STAR else r.star != self._star):
            return False
        if self._flagged and not r.flags:
            return False
        return all(word in row.haystack for word in self._search.split())
