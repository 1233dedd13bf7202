"""The Go Global shortlist for the export curation: the 3★ and 2★ candidates with what the
curators look at — production capacity, workforce, markets, export history,
certifications — and the curation state (selected, note).

One block per candidate: a line with name, commodity, region, star, total and whether it
is selected, then its curation facts, then the curation note when there is one; a block
never parts across pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable

from ovop_desktop.domain.documents import Document
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.printing.fonts import register_fonts
from ovop_desktop.services.printing.graphics import stars
from ovop_desktop.services.printing.layout import (
    INK,
    LIGHT,
    SHADE,
    Cancelled,
    Checkpoint,
    IsCancelled,
    PageSpec,
    Progress,
    frame_width,
    para,
    render,
    styles,
)
from ovop_desktop.services.printing.scorecard import (
    Fitted,
    commodity_label,
    grid,
    heading,
    line_of_text,
    require_results,
    verification_of,
    wrap,
)
from ovop_desktop.services.printing.translate import Translator
from ovop_desktop.services.results import ResultsReport, ShortlistEntry

NOTE_LINES = 12  # a curation note may hold 4,000 characters; the list shows its start


def go_global_list(entries: Sequence[ShortlistEntry], report: ResultsReport, *,
                   paper: str = "a4", language: str = "id", progress: Progress | None = None,
                   cancelled: IsCancelled | None = None) -> bytes:
    """The shortlist (ResultsService.shortlist, best first), grouped by star.

    Raises UserFacingError for a round without results or an empty shortlist.
    """
    _check(entries, report)
    _ = Translator(language)
    s = styles()
    width = frame_width(paper)
    check = verification_of(report)
    title = _("Go Global shortlist")
    selected = sum(1 for e in entries if e.selected)
    story: list[Flowable] = [
        para(title, s.title),
        para(_("{n} candidates on the shortlist (3★ and 2★), {selected} selected").format(
            n=len(entries), selected=selected), s.large),
        line_of_text(_("Candidates classified 3★ or 2★ in this round, best first, with what "
                       "the export curation looks at. Selected: chosen for the curation; the "
                       "note is the curators'."), width, size=7.5, italic=False),
    ]
    groups = [(n, [e for e in entries if e.result.star == n]) for n in (3, 2)]
    groups = [(n, members) for n, members in groups if members]
    for done, (n, members) in enumerate(groups, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled()
        story += [CondPageBreak(90),
                  heading(_("{n}★: {count} candidates").format(n=n, count=len(members)),
                          width, size=11, space=10, keep=False),
                  _table(members, report, _, width)]
        story.append(Checkpoint(done, len(groups), progress, cancelled))
    round_ = report.round
    return render(story, PageSpec(
        title=title, language=_.language, paper=paper, round_year=round_.year,
        round_name=round_.name,
        footer_text=_("Results receipt (SHA-256): {hash}").format(hash=check.receipt_hash)))


def _check(entries: Sequence[ShortlistEntry], report: ResultsReport) -> None:
    """Refusals, in the app's language."""
    require_results(report)
    if not entries:
        raise UserFacingError(_("No candidate has 3★ or 2★ yet."))


def _documents(codes: str, _: Translator) -> str:
    out = []
    for code in (c.strip() for c in codes.split(",")):
        if not code:
            continue
        try:
            out.append(_.document(Document(code)))
        except ValueError:
            out.append(code)
    return "; ".join(out) or "—"


def _table(members: list[ShortlistEntry], report: ResultsReport, _: Translator,
           width: float) -> Flowable:
    """Per candidate: its line, its facts (spanning), its note (spanning)."""
    fonts = register_fonts()
    fixed = [20.0, 0.0, 0.0, 0.0, 40.0, 34.0, 44.0]
    rest = width - sum(fixed)
    widths = [w or share * rest for w, share in zip(fixed, (0, .42, .24, .34, 0, 0, 0),
                                                    strict=True)]
    span = sum(widths[1:]) - 6
    data: list[list[object]] = [["#", _("IKM"), _("Commodity"), _("Kabupaten/kota, province"),
                                 _("Star"), _("Total"), _("Selected")]]
    extra: list[tuple[Any, ...]] = []
    for n, e in enumerate(members, start=1):
        f = e.facts
        first = len(data)
        region = ", ".join(p for p in (f.regency, f.province) if p) or "—"
        name = f"{f.name} — {f.product}" if f.product else f.name
        data.append([str(n), Fitted(wrap(name, fonts.bold, 7.5, widths[1] - 5.5, 8)),
                     commodity_label(_, f.commodity), region, stars(e.result.star or 0, size=8),
                     _.number(e.result.total or 0.0), _("yes") if e.selected else "—"])
        facts = [
            (_("Production capacity"), f.capacity or "—"),
            (_("Workforce"), "—" if f.workforce is None else _.number(f.workforce, 0)),
            (_("Markets"), f.markets or "—"),
            (_("Export history"), f.export_history or "—"),
            (_("Certifications and documents"), _documents(f.documents, _)),
        ]
        text = " · ".join(f"{label}: {value}" for label, value in facts)
        data.append(["", Fitted(wrap(text, fonts.regular, 7, span, 4)), "", "", "", "", ""])
        extra += [("SPAN", (1, first + 1), (-1, first + 1)),
                  ("TOPPADDING", (0, first + 1), (-1, first + 1), 0)]
        last = first + 1
        if e.note.strip():
            note = f"{_('Curation note')}: {e.note}"
            data.append(["", Fitted(wrap(note, fonts.italic, 7, span, NOTE_LINES)), "", "", "",
                         "", ""])
            last = first + 2
            extra += [("SPAN", (1, last), (-1, last)), ("FONTNAME", (1, last), (1, last),
                                                         fonts.italic),
                      ("TOPPADDING", (0, last), (-1, last), 0)]
        extra += [("NOSPLIT", (0, first), (-1, last)),
                  ("LINEBELOW", (0, last), (-1, last), 0.6, INK),
                  ("FONTNAME", (1, first), (1, first), fonts.bold),
                  ("FONTSIZE", (1, first + 1), (-1, last), 7),
                  ("LEADING", (1, first + 1), (-1, last), 8.5)]
        if n % 2 == 0:
            extra.append(("BACKGROUND", (0, first), (-1, last), LIGHT))
    return grid(data, widths, right=(0, 5), center=(6,), extra=[
        ("GRID", (0, 0), (-1, -1), 0.3, SHADE), *extra], lines=False, size=7.5, max_lines=3)
