"""The progress board as table models: who still owes which sheet, per assessor and per
candidate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from ovop_desktop.i18n import _
from ovop_desktop.services.results import (
    AssessorProgress,
    CandidateProgress,
    ProgressBoard,
)
from ovop_desktop.ui.models.results_models import (
    CENTER,
    MISSING,
    WARN,
    Paint,
    RichColumn,
    RichTableModel,
    when,
)
from ovop_desktop.ui.models.table import SORT_ROLE, RowTableModel

Index = QModelIndex | QPersistentModelIndex


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
