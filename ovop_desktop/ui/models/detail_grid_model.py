"""One candidate's results as a table: criterion × assessor, with the mean, the panel's
moderated level and the spread (the drill-down of the results page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ovop_desktop.domain.results import CriterionResult
from ovop_desktop.domain.rubric import Aspect, Criterion
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services.results import (
    CandidateDetail,
    ResultsReport,
)
from ovop_desktop.ui.models.results_models import (
    CENTER,
    EXCLUDED,
    LEFT,
    LEVEL_COLOURS,
    MODERATED,
    MODERATED_MARK,
    NOTE_MARK,
    WARN,
    Paint,
    brush,
    number,
)
from ovop_desktop.ui.models.table import ROW_ROLE, RowTableModel

Index = QModelIndex | QPersistentModelIndex


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
