"""Table models of the signed exchange: assessors, bundle reports, bundles received, audit log."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.services.bundles import ImportOutcome
from ovop_desktop.services.maintenance import AuditEntry
from ovop_desktop.ui.models.table import Column, Index, RowTableModel

T = TypeVar("T")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# Background and text colour per outcome: green in, grey no-op, blue kept, amber waits, red out.
OUTCOME_COLOURS = {
    Outcome.ACCEPTED: ("#dcf1e2", "#1b5e32"),
    Outcome.DUPLICATE: ("#ececec", "#444444"),
    Outcome.SUPERSEDED: ("#e1ebf7", "#1f4a7a"),
    Outcome.HELD: ("#fff0c2", "#6b4e00"),
    Outcome.REJECTED: ("#f8d7d5", "#8c1d18"),
}


def channel_label(channel: str) -> str:
    return {"phone": _("phone"), "in-person": _("in person"), "other": _("other")}.get(
        channel, channel)


def short_fingerprint(fingerprint: str) -> str:
    """The first and last two groups, for a table cell; the full one is in the tooltip."""
    groups = fingerprint.split()
    return " ".join([*groups[:2], "…", *groups[-2:]]) if len(groups) > 4 else fingerprint


class StyledRowTableModel(RowTableModel[T]):
    """A RowTableModel that can also colour a row, give tooltips and use a monospace column."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None, *,
                 colours: Callable[[T], tuple[str, str] | None] | None = None,
                 tooltip: Callable[[T, int], str] | None = None,
                 monospace: Sequence[int] = ()) -> None:
        super().__init__(columns, parent)
        self._colours = colours
        self._tooltip = tooltip
        self._monospace = set(monospace)
        self._font = QFont("monospace")
        self._font.setStyleHint(QFont.StyleHint.TypeWriter)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            pair = self._colours(self.row_object(index.row())) if self._colours else None
            if pair is None:
                return None
            return QBrush(QColor(pair[0 if role == Qt.ItemDataRole.BackgroundRole else 1]))
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip:
            return self._tooltip(self.row_object(index.row()), index.column()) or None
        if role == Qt.ItemDataRole.FontRole and index.column() in self._monospace:
            return self._font
        return super().data(index, role)


# -- assessors ------------------------------------------------------------------------------

ASSESSOR_COL_FINGERPRINT = 3


def assessor_model(province_name: Callable[[str], str], parent: Any = None
                   ) -> StyledRowTableModel[Assessor]:
    columns: list[Column[Assessor]] = [
        Column(lambda: _("ID"), lambda a: str(a.id), lambda a: a.id, RIGHT),
        Column(lambda: _("Name"), lambda a: a.name),
        Column(lambda: _("Institution"), lambda a: a.institution),
        Column(lambda: _("Fingerprint"), lambda a: short_fingerprint(a.fingerprint)),
        Column(lambda: _("Commodities"), lambda a: ", ".join(c.label for c in a.commodities)),
        Column(lambda: _("Province"), lambda a: province_name(a.province_code)),
        Column(lambda: _("Confirmed by"),
               lambda a: f"{a.confirmed_by} ({channel_label(a.channel)})"),
        Column(lambda: _("Revoked"),
               lambda a: "" if a.revoked_through_seq is None else _("after bundle {n}").format(
                   n=a.revoked_through_seq), lambda a: a.revoked_through_seq or -1),
    ]

    def tooltip(a: Assessor, column: int) -> str:
        if column == ASSESSOR_COL_FINGERPRINT:
            return a.fingerprint
        return _("Enrolled {when}").format(when=a.enrolled_at)

    return StyledRowTableModel(
        columns, parent, tooltip=tooltip, monospace=(ASSESSOR_COL_FINGERPRINT,),
        colours=lambda a: OUTCOME_COLOURS[Outcome.REJECTED] if a.revoked else None)


# -- bundles --------------------------------------------------------------------------------


def _seq_text(seq: int | None) -> str:
    return "" if seq is None else str(seq)


def outcome_model(parent: Any = None) -> StyledRowTableModel[ImportOutcome]:
    """The report of one import: a row per file, coloured by what happened to it."""
    columns: list[Column[ImportOutcome]] = [
        Column(lambda: _("File"), lambda o: o.file),
        Column(lambda: _("Status"), lambda o: o.status.label),
        Column(lambda: _("Assessor"), lambda o: o.assessor),
        Column(lambda: _("Seq"), lambda o: _seq_text(o.seq), lambda o: o.seq or 0, RIGHT),
        Column(lambda: _("Scores"), lambda o: str(o.scores), lambda o: o.scores, RIGHT),
        Column(lambda: _("Reason"), lambda o: o.reason),
    ]
    return StyledRowTableModel(columns, parent, colours=lambda o: OUTCOME_COLOURS[o.status],
                               tooltip=lambda o, _c: o.reason)


@dataclass(frozen=True)
class ReceivedBundle:
    """A bundle on file, as the list shows it (built on the pool thread, never an ORM row)."""

    id: int
    file_name: str
    status: Outcome
    reason: str
    assessor: str
    seq: int | None
    sheets: int
    scores: int
    imported_at: str
    decided_by: str

    @property
    def waiting(self) -> bool:
        return self.status is Outcome.HELD


def received_model(parent: Any = None) -> StyledRowTableModel[ReceivedBundle]:
    columns: list[Column[ReceivedBundle]] = [
        Column(lambda: _("ID"), lambda b: str(b.id), lambda b: b.id, RIGHT),
        Column(lambda: _("Received"), lambda b: b.imported_at.replace("T", " ")[:16]),
        Column(lambda: _("File"), lambda b: b.file_name),
        Column(lambda: _("Assessor"), lambda b: b.assessor),
        Column(lambda: _("Seq"), lambda b: _seq_text(b.seq), lambda b: b.seq or 0, RIGHT),
        Column(lambda: _("Status"), lambda b: b.status.label),
        Column(lambda: _("Scores"), lambda b: str(b.scores), lambda b: b.scores, RIGHT),
        Column(lambda: _("Reason"), lambda b: b.reason),
    ]

    def tooltip(b: ReceivedBundle, _column: int) -> str:
        if b.decided_by:
            return _("Decided by {who}: {reason}").format(who=b.decided_by, reason=b.reason)
        return b.reason

    return StyledRowTableModel(columns, parent, colours=lambda b: OUTCOME_COLOURS[b.status],
                               tooltip=tooltip)


# -- audit log ------------------------------------------------------------------------------


def audit_model(broken_at: Callable[[], int | None], parent: Any = None
                ) -> StyledRowTableModel[AuditEntry]:
    """Newest first; where the chain breaks (if known) in red, the unverifiable rest in amber."""
    columns: list[Column[AuditEntry]] = [
        Column(lambda: _("Seq"), lambda e: str(e.seq), lambda e: e.seq, RIGHT),
        Column(lambda: _("Time"), lambda e: e.ts.replace("T", " ")[:19]),
        Column(lambda: _("Actor"), lambda e: e.actor),
        Column(lambda: _("Action"), lambda e: e.action),
        Column(lambda: _("Object"), lambda e: f"{e.object_type} {e.object_id}"),
        Column(lambda: _("Details"), lambda e: e.details),
    ]

    def colours(e: AuditEntry) -> tuple[str, str] | None:
        bad = broken_at()
        if bad is None or e.seq < bad:
            return None
        return OUTCOME_COLOURS[Outcome.REJECTED if e.seq == bad else Outcome.HELD]

    return StyledRowTableModel(columns, parent, colours=colours,
                               tooltip=lambda e, _c: _("Entry hash {hash}").format(
                                   hash=e.entry_hash) + "\n" + e.details)
