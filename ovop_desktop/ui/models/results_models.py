"""The results page as table models: the ranking, one candidate's criterion × assessor grid,
and the progress board (who still owes which sheet).

Rows are prepared on a pool thread (plain dataclasses, no Qt); texts are made at paint time
so a language switch shows at once and 10,000 rows cost nothing until they are visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.formats import format_datetime, format_number
from ovop_desktop.domain.results import CandidateResult, Change, CriterionResult, Flag
from ovop_desktop.domain.rubric import Aspect, Criterion
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services.results import (
    AssessorProgress,
    CandidateDetail,
    CandidateFacts,
    CandidateProgress,
    ProgressBoard,
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


# -- one candidate: criterion × assessor -------------------------------------------------------

COUNTED, CONFLICT, UNFINISHED = "counted", "conflict", "unfinished"


@dataclass(frozen=True)
class GridAssessor:
    id: int
    name: str
    institution: str
    state: str              # COUNTED, CONFLICT or UNFINISHED
    visited_on: str | None
    note: str
    levels: dict[str, int]
    notes: dict[str, str]

    @property
    def counted(self) -> bool:
        return self.state == COUNTED


@dataclass(frozen=True)
class GridLine:
    aspect: Aspect
    criterion: Criterion | None = None       # None: the aspect's heading line
    result: CriterionResult | None = None


def grid_assessors(detail: CandidateDetail, report: ResultsReport) -> list[GridAssessor]:
    """Every received sheet, counted ones first; a conflicted assessor's sheet is shown but
    never counted, and neither is an unfinished one."""
    out = []
    for sheet in detail.sheets:
        facts = report.assessors.get(sheet.assessor_id)
        if sheet.assessor_id in detail.excluded:
            state = CONFLICT
        elif sheet.assessor_id in detail.result.assessors:
            state = COUNTED
        else:
            state = UNFINISHED
        out.append(GridAssessor(sheet.assessor_id, facts.name if facts else
                                f"#{sheet.assessor_id}", facts.institution if facts else "",
                                state, sheet.visited_on, sheet.note, dict(sheet.levels),
                                dict(sheet.notes)))
    out.sort(key=lambda a: (not a.counted, a.name.casefold()))
    return out


def two_lines(name: str, longer_than: int = 12) -> str:
    """A long name broken at the space nearest its middle, for a narrow column header."""
    if len(name) <= longer_than or " " not in name:
        return name
    middle = len(name) / 2
    cut = min((i for i, ch in enumerate(name) if ch == " "), key=lambda i: abs(i - middle))
    return f"{name[:cut]}\n{name[cut + 1:]}"


def state_label(state: str) -> str:
    if state == CONFLICT:
        return _("conflict of interest")
    if state == UNFINISHED:
        return _("sheet not finished")
    return ""


class DetailGridModel(RowTableModel[GridLine]):
    """Rows: aspect headings and criteria; columns: criterion, each assessor, mean, moderated,
    spread. Conflicted and unfinished sheets are greyed; a disagreement is red."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([], parent)
        self.assessors: list[GridAssessor] = []
        self.spread_flag = 2
        self.language = "id"
        self._scores: dict[str, float] = {}
        self._reasons: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def set_detail(self, detail: CandidateDetail | None, report: ResultsReport | None) -> None:
        self.beginResetModel()
        self._rows, self.assessors, self._scores, self._reasons = [], [], {}, {}
        if detail is not None and report is not None:
            self.language = current_language()
            self.spread_flag = report.round.spread_flag
            rubric = report.rubrics.get(detail.result.commodity)
            results = {c.criterion_id: c for c in detail.result.criteria}
            for aspect in rubric.aspects if rubric else ():
                self._rows.append(GridLine(aspect))
                self._rows += [GridLine(aspect, c, results.get(c.id)) for c in aspect.criteria]
            self.assessors = grid_assessors(detail, report)
            self._scores = dict(detail.result.aspects)
            for entry in detail.moderation:  # the newest reason per criterion
                self._reasons[entry.criterion_id] = entry.reason
        self.endResetModel()

    # columns: 0 criterion · 1..n assessors · mean · moderated · spread
    @property
    def mean_column(self) -> int:
        return 1 + len(self.assessors)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else 4 + len(self.assessors)

    def line(self, row: int) -> GridLine:
        return self._rows[row]

    def row_of(self, criterion_id: str) -> int:
        return next((i for i, line in enumerate(self._rows)
                     if line.criterion is not None and line.criterion.id == criterion_id), -1)

    def is_heading(self, row: int) -> bool:
        return self._rows[row].criterion is None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_heading(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return line
        if line.criterion is None:
            return self._heading(line.aspect, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((LEFT if column == 0 else CENTER).value)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(line, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            paint = self._paint(line, column)
            if paint is not None:
                return brush(paint[0 if role == Qt.ItemDataRole.BackgroundRole else 1])
        return None

    def _heading(self, aspect: Aspect, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and column == 0:
            return _("{id} · {name} — {score} of {weight} points").format(
                id=aspect.id, name=aspect.name.get(self.language),
                score=number(self._scores.get(aspect.id)), weight=aspect.weight)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return brush("#e8efe9")
        if role == Qt.ItemDataRole.ForegroundRole:
            return brush("#1f4e3d")
        return None

    def _assessor(self, column: int) -> GridAssessor | None:
        return self.assessors[column - 1] if 1 <= column <= len(self.assessors) else None

    def _disagrees(self, line: GridLine) -> bool:
        return line.result is not None and line.result.spread >= self.spread_flag

    def _text(self, line: GridLine, column: int) -> str:
        criterion, result = line.criterion, line.result
        assert criterion is not None
        if column == 0:
            return f"{criterion.id} {criterion.name.get(self.language)}"
        assessor = self._assessor(column)
        if assessor is not None:
            level = assessor.levels.get(criterion.id)
            if level is None:
                return ""
            return f"{level} {NOTE_MARK}" if criterion.id in assessor.notes else str(level)
        extra = column - self.mean_column
        if result is None:
            return ""
        if extra == 0:
            return number(result.mean, 2)
        if extra == 1:
            return f"{result.moderated} {MODERATED_MARK}" if result.moderated is not None else ""
        if not result.levels:
            return ""
        return f"⚠ {result.spread}" if self._disagrees(line) else str(result.spread)

    def _tooltip(self, line: GridLine, column: int) -> str | None:
        criterion, result = line.criterion, line.result
        assert criterion is not None
        descriptors = [_("Level {level}: {text}").format(level=n, text=t.get(self.language))
                       for n, t in zip((1, 2, 3), criterion.levels, strict=True)]
        if column == 0:
            return "\n".join([f"{criterion.id} {criterion.name.get(self.language)}",
                              *descriptors])
        assessor = self._assessor(column)
        if assessor is not None:
            level = assessor.levels.get(criterion.id)
            lines = [assessor.name]
            if level is not None:
                lines.append(descriptors[level - 1])
            note = assessor.notes.get(criterion.id)
            if note:
                lines.append(_("Note: {note}").format(note=note))
            if not assessor.counted:
                lines.append(_("Not counted: {reason}.").format(
                    reason=state_label(assessor.state)))
            return "\n".join(lines)
        extra = column - self.mean_column
        if extra == 1 and result is not None and result.moderated is not None:
            return _("Moderated by the panel to level {level} (the mean was {mean}).\n"
                     "Reason: {reason}").format(level=result.moderated,
                                                mean=number(result.mean, 2),
                                                reason=self._reasons.get(criterion.id, "—"))
        if extra == 2 and self._disagrees(line):
            return _("Disagreement: the assessors' levels are {spread} apart.").format(
                spread=result.spread if result else 0)
        return None

    def _font(self, line: GridLine, column: int) -> QFont | None:
        assessor = self._assessor(column)
        if assessor is not None and not assessor.counted:
            return self._italic
        extra = column - self.mean_column
        if extra == 1 and line.result is not None and line.result.moderated is not None:
            return self._bold
        if extra == 2 and self._disagrees(line):
            return self._bold
        return None

    def _paint(self, line: GridLine, column: int) -> Paint:
        assert line.criterion is not None
        assessor = self._assessor(column)
        if assessor is not None:
            if not assessor.counted:
                return EXCLUDED
            level = assessor.levels.get(line.criterion.id)
            return (LEVEL_COLOURS[level], "#202020") if level in LEVEL_COLOURS else None
        extra = column - self.mean_column
        if extra == 1 and line.result is not None and line.result.moderated is not None:
            return MODERATED
        if (extra == 2 or column == 0) and self._disagrees(line):
            return WARN
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        assessor = self._assessor(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return _("Criterion")
            if assessor is not None:
                label = state_label(assessor.state)
                name = two_lines(assessor.name)
                return f"{name}\n({label})" if label else name
            return (_("Mean"), _("Moderated"), _("Spread"))[section - self.mean_column]
        if role == Qt.ItemDataRole.ToolTipRole and assessor is not None:
            lines = [assessor.name, assessor.institution]
            if not assessor.counted:
                lines.append(_("Not counted: {reason}.").format(
                    reason=state_label(assessor.state)))
            return "\n".join(x for x in lines if x)
        if role == Qt.ItemDataRole.ForegroundRole and assessor is not None \
                and not assessor.counted:
            return brush(EXCLUDED[1])
        return None


# -- the progress board ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AssessorLine:
    progress: AssessorProgress
    missing_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CandidateLine:
    progress: CandidateProgress
    name: str
    assigned_names: tuple[str, ...]
    missing_names: tuple[str, ...]


def prepare_progress(board: ProgressBoard) -> tuple[list[AssessorLine], list[CandidateLine]]:
    """Pure: runs on the pool thread."""
    names = {p.assessor.id: p.assessor.name for p in board.assessors}

    def candidate(c: int) -> str:
        return board.names.get(c, f"#{c}")

    def assessor(a: int) -> str:
        return names.get(a, f"#{a}")

    assessors = [AssessorLine(p, tuple(candidate(c) for c in p.missing)) for p in board.assessors]
    candidates = [CandidateLine(p, candidate(p.candidate_id),
                                tuple(assessor(a) for a in p.assigned),
                                tuple(assessor(a) for a in p.missing))
                  for p in board.candidates]
    return assessors, candidates


def _assessor_paint(line: AssessorLine) -> Paint:
    p = line.progress
    if p.assigned and p.bundles == 0:
        return WARN
    return MISSING if p.missing else None


def _names_tip(names: Sequence[str], limit: int = 25) -> str | None:
    if not names:
        return None
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(_("…and {n} more").format(n=len(names) - limit))
    return "\n".join(shown)


def assessor_progress_model(parent: Any = None) -> RichTableModel:
    columns = [
        RichColumn(lambda: _("Assessor"), lambda r: r.progress.assessor.name,
                   lambda r: r.progress.assessor.name.casefold(), key="name"),
        RichColumn(lambda: _("Institution"), lambda r: r.progress.assessor.institution,
                   lambda r: r.progress.assessor.institution.casefold(), key="institution",
                   tooltip=lambda r: r.progress.assessor.institution),
        RichColumn(lambda: _("Assigned"), lambda r: str(r.progress.assigned),
                   lambda r: r.progress.assigned, CENTER, key="assigned"),
        RichColumn(lambda: _("Finished"), lambda r: str(r.progress.finished),
                   lambda r: r.progress.finished, CENTER, key="finished"),
        RichColumn(lambda: _("In progress"), lambda r: str(r.progress.in_progress),
                   lambda r: r.progress.in_progress, CENTER, key="in_progress"),
        RichColumn(lambda: _("Missing"), lambda r: str(len(r.missing_names))
                   if r.missing_names else "—", lambda r: len(r.missing_names), CENTER,
                   key="missing", bold=True, tooltip=lambda r: _names_tip(r.missing_names),
                   header_tip=lambda: _("Assigned candidates without a finished sheet "
                                        "(hover for their names)")),
        RichColumn(lambda: _("Bundles"), lambda r: str(r.progress.bundles),
                   lambda r: r.progress.bundles, CENTER, key="bundles",
                   header_tip=lambda: _("Score bundles received for this round")),
        RichColumn(lambda: _("Last no."), lambda r: str(r.progress.last_seq)
                   if r.progress.last_seq is not None else "—",
                   lambda r: r.progress.last_seq or 0, CENTER, key="last_seq",
                   header_tip=lambda: _("Number of the newest accepted bundle")),
        RichColumn(lambda: _("Last received"), lambda r: when(r.progress.last_import),
                   lambda r: r.progress.last_import or "", key="last_import"),
    ]
    return RichTableModel(columns, parent, row_paint=_assessor_paint)


def candidate_progress_model(parent: Any = None) -> RichTableModel:
    columns = [
        RichColumn(lambda: _("IKM name"), lambda r: r.name, lambda r: r.name.casefold(),
                   key="name"),
        RichColumn(lambda: _("Assigned"), lambda r: str(len(r.progress.assigned)),
                   lambda r: len(r.progress.assigned), CENTER, key="assigned",
                   tooltip=lambda r: _names_tip(r.assigned_names)),
        RichColumn(lambda: _("Finished"), lambda r: str(len(r.progress.finished)),
                   lambda r: len(r.progress.finished), CENTER, key="finished"),
        RichColumn(lambda: _("Missing sheets from"), lambda r: ", ".join(r.missing_names)
                   or "—", lambda r: len(r.missing_names),
                   key="missing", tooltip=lambda r: _names_tip(r.missing_names)),
    ]
    return RichTableModel(columns, parent,
                          row_paint=lambda r: MISSING if r.missing_names else None)


class PredicateProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE; `set_predicate(fn or None)` keeps only rows whose object passes."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._predicate: Callable[[Any], bool] | None = None

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if self._predicate is None or not isinstance(model, RowTableModel):
            return True
        return self._predicate(model.row_object(source_row))
