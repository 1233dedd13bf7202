"""Print actions: each document is made on a worker and opened in the in-app preview.

A view builds a *document* — a function of one `Job` (paper, language, progress,
cancelled) that reads what it needs through the services and renders the PDF — and hands
it to `open_preview`. Everything in a document runs on the task runner's pool thread, the
reading included (the services open a session per call, as with every ServiceTask); the
GUI thread only captures the ids, the report object or the outcomes it already holds.
The paper size is the profile's setting (A4 unless F4/Folio was chosen); the language is
the UI's at the moment the user asked.

The documents' modules are imported inside the functions: reportlab loads on first use,
and a document whose module is not there yet fails only when it is asked for.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog, Progress

if TYPE_CHECKING:  # the services pull in SQLAlchemy and reportlab; the types are enough here
    from ovop_desktop.services.bundles import ImportOutcome
    from ovop_desktop.services.results import ResultsReport, ShortlistEntry
    from ovop_desktop.services.workspace import Workspace

PAPERS = ("a4", "f4")
DEFAULT_PAPER = "a4"


@dataclass(frozen=True)
class Job:
    """What every document function takes besides its data (as keyword arguments)."""

    paper: str
    language: str
    progress: Progress
    cancelled: Callable[[], bool]

    @property
    def options(self) -> dict[str, Any]:
        return {"paper": self.paper, "language": self.language, "progress": self.progress,
                "cancelled": self.cancelled}

    def check(self) -> None:
        """Between reading and rendering: stop here if the user cancelled meanwhile."""
        if self.cancelled():
            from ovop_desktop.services.printing import Cancelled

            raise Cancelled()


Document = Callable[[Job], bytes]


def paper_of(ctx: AppContext) -> str:
    """The profile's paper size: "a4" unless the settings say "f4" (older settings: A4)."""
    paper = getattr(ctx.workspace.settings, "paper", DEFAULT_PAPER)
    return paper if paper in PAPERS else DEFAULT_PAPER


def open_preview(parent: QWidget, ctx: AppContext, title: str, produce: Document,
                 suggested_name: str) -> PdfPreviewDialog:
    """Open the preview (window-modal, freed when closed); it makes the document on the
    task runner with progress and cancel, then offers Save as PDF… and Print…."""
    paper, language = paper_of(ctx), current_language()  # as the user sees them now

    def producer(progress: Progress, cancelled: Callable[[], bool]) -> bytes:
        return produce(Job(paper, language, progress, cancelled))

    dialog = PdfPreviewDialog(parent, title, producer, suggested_name, ctx.tasks)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_menu(text: str, name: str, parent: QWidget | None = None) -> tuple[QPushButton, QMenu]:
    """A button like its neighbours that drops down a small menu of print choices (the
    caller adds the actions)."""
    button = QPushButton(text, parent, objectName=name)
    menu = QMenu(button)
    button.setMenu(menu)
    return button, menu


def file_name(*parts: object) -> str:
    """A suggested file name: 'ovop-' and the parts, lower case, dashes (no extension)."""
    text = "-".join(str(p) for p in ("ovop", *parts) if p not in (None, ""))
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "ovop"


# -- documents of the current round -----------------------------------------------------------

def field_forms(ws: Workspace, candidate_ids: Sequence[int] = (),
                assessor_id: int | None = None) -> Document:
    """Blank field forms: the candidates listed, an assessor's visits, or (on an assessor's
    laptop, with neither) all of this laptop's visits — as `ovop print form`."""
    ids = tuple(candidate_ids)

    def produce(job: Job) -> bytes:
        from ovop_desktop.services.printing import sources
        from ovop_desktop.services.printing.field_form import field_forms as render

        round_ = sources.current_round(ws)
        forms = sources.field_forms_for(ws, round_, ids, assessor_id)
        job.check()
        return render(forms, round_, keyed_here=sources.is_assessor(ws), **job.options)

    return produce


def key_card(ws: Workspace) -> Document:
    """This laptop's public-key card, for enrolment."""
    def produce(job: Job) -> bytes:
        from ovop_desktop.services.printing import sources
        from ovop_desktop.services.printing.key_card import key_card as render

        me, role = sources.own_identity(ws)
        return render(me, role, **job.options)

    return produce


def screening_summary(ws: Workspace) -> Document:
    """The administrative screening summary of the current round."""
    def produce(job: Job) -> bytes:
        from ovop_desktop.services.printing import sources
        from ovop_desktop.services.printing.screening_summary import screening_summary as render

        round_ = sources.current_round(ws)
        report = sources.screening_report(ws, round_)
        job.check()
        return render(report, round_, **job.options)

    return produce


def _receipt(ws: Workspace, receipt: Any, job: Job) -> bytes:
    from ovop_desktop.services.printing.import_receipt import import_receipt

    current = ws.current_round()
    return import_receipt(receipt, round_year=current.year if current else None,
                          round_name=current.name if current else "", **job.options)


def latest_import_receipt(ws: Workspace) -> Document:
    """The bundles filed on the latest import day (the store keeps no import runs)."""
    def produce(job: Job) -> bytes:
        from ovop_desktop.services.printing import sources

        receipt = sources.latest_import_receipt(ws)
        job.check()
        return _receipt(ws, receipt, job)

    return produce


def import_run_receipt(ws: Workspace, outcomes: Sequence[ImportOutcome], started: str) -> Document:
    """The receipt of exactly one import run: its outcomes as they stand now (a held
    bundle released later in the run shows as accepted), as `ovop bundle import --receipt`."""
    run = tuple(outcomes)

    def produce(job: Job) -> bytes:
        from ovop_desktop.services.printing import sources
        from ovop_desktop.services.printing.import_receipt import ImportReceipt

        settled = sources.settle(ws, run, started)
        job.check()
        return _receipt(ws, ImportReceipt(tuple(settled), ws.profile.actor(), started), job)

    return produce


# -- results documents (from the report the Results page already holds) ----------------------

def _renderer(module: str, name: str) -> Callable[..., bytes]:
    """services.printing.<module>.<name>; a readable message if this version lacks it."""
    qualified = f"ovop_desktop.services.printing.{module}"
    try:
        return getattr(importlib.import_module(qualified), name)
    except ModuleNotFoundError as exc:
        if exc.name != qualified:
            raise  # something the module needs is missing: a bug, shown as one
    except AttributeError:
        pass
    raise UserFacingError(_("This document cannot be printed in this version yet."))


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def scorecards(ws: Workspace, report: ResultsReport, candidate_ids: Sequence[int] | None = None,
               commodity: str | None = None) -> Document:
    """Scorecards: the candidates listed, else those of `commodity`, else all (ranking order).
    The assessors' notes are read on the worker in one query, as for the benchmark."""
    ids = None if candidate_ids is None else tuple(candidate_ids)

    def produce(job: Job) -> bytes:
        render = _renderer("scorecard", "scorecards")
        chosen = ids
        if chosen is None and commodity is not None:
            chosen = tuple(r.candidate_id for r in report.rows(commodity))
        extra: dict[str, Any] = {}
        if _accepts(render, "notes"):
            extra["notes"] = ws.results.notes(report)
        job.check()
        return render(report, None if chosen is None else list(chosen), **extra, **job.options)

    return produce


def ranking_list(report: ResultsReport, commodity: str | None = None) -> Document:
    """The recommendation list: one commodity, or every commodity of the round."""
    def produce(job: Job) -> bytes:
        render = _renderer("ranking", "ranking_list")
        return render(report, commodity, **job.options)

    return produce


def go_global_list(entries: Sequence[ShortlistEntry], report: ResultsReport) -> Document:
    """The Go Global shortlist with its curation state as the tab shows it."""
    shown = list(entries)

    def produce(job: Job) -> bytes:
        render = _renderer("go_global", "go_global_list")
        return render(shown, report, **job.options)

    return produce
