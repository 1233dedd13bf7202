"""The receipt of a score-bundle import: what was accepted, superseded, held or rejected, and why.

Printed from the outcomes the import returned (`ovop bundle import --receipt F.pdf`, exact,
duplicates included) or rebuilt from the bundles on file (`ovop print import-receipt`: the
bundles filed on the latest import day; a duplicate adds nothing to the store, so it cannot
appear there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.services.bundles import ImportOutcome
from ovop_desktop.services.printing.graphics import signature_block
from ovop_desktop.services.printing.layout import (
    INK,
    Cancelled,
    IsCancelled,
    PageSpec,
    Progress,
    details_table,
    frame_width,
    para,
    render,
    styles,
    table,
)
from ovop_desktop.services.printing.translate import Translator

ORDER = (Outcome.ACCEPTED, Outcome.SUPERSEDED, Outcome.HELD, Outcome.REJECTED, Outcome.DUPLICATE)


@dataclass(frozen=True)
class ImportReceipt:
    outcomes: tuple[ImportOutcome, ...]
    imported_by: str
    imported_at: datetime | str
    dry_run: bool = False
    # Set when rebuilt from the store (the bundles filed that day) rather than printed
    # from the outcomes of the import itself.
    rebuilt_from_day: date | None = None


def import_receipt(receipt: ImportReceipt, *, paper: str = "a4", language: str = "id",
                   round_year: int | None = None, round_name: str = "",
                   progress: Progress | None = None,
                   cancelled: IsCancelled | None = None) -> bytes:
    """Totals per outcome, then one row per file with its outcome and reason."""
    _ = Translator(language)
    s = styles()
    width = frame_width(paper)
    items = receipt.outcomes
    counts = Counter(o.status for o in items)
    story: list[Flowable] = [para(_("Score bundle import receipt"), s.title)]
    if receipt.dry_run:
        story.append(para(_("Dry run: nothing was imported; this shows what an import would "
                            "do."), s.heading))
    story += [
        details_table([
            (_("Imported by"), receipt.imported_by or "—"),
            (_("Imported at"), _.datetime(receipt.imported_at)),
            (_("Files"), str(len(items))),
        ], width, label_share=0.25),
    ]
    if receipt.rebuilt_from_day is not None:
        story.append(para(_("Rebuilt from the bundles filed on {day}, with their current "
                            "status; files found to be duplicates are not kept and are not "
                            "listed.").format(day=_.date(receipt.rebuilt_from_day)), s.hint))
    story += [Spacer(1, 8), para(_("Totals"), s.heading), table(
        [[_("Outcome"), _("Files"), _("Sheets"), _("Scores")]]
        + [[_.outcome(o), str(counts.get(o, 0)),
            str(sum(i.sheets for i in items if i.status is o)),
            str(sum(i.scores for i in items if i.status is o))] for o in ORDER]
        + [[_("Total"), str(len(items)), str(sum(i.sheets for i in items)),
            str(sum(i.scores for i in items))]],
        [width * 0.4, width * 0.2, width * 0.2, width * 0.2], right=(1, 2, 3),
        bold_rows=(-1,), extra=[("LINEABOVE", (0, -1), (-1, -1), 0.9, INK)])]
    story += [Spacer(1, 8), para(_("Files"), s.heading),
              _file_table(items, _, width, progress, cancelled)]
    story += [Spacer(1, 18), signature_block([(_("Imported by"), receipt.imported_by)], width / 2,
                                             name_label=_("Name"), date_label=_("Date"))]
    return render(story, PageSpec(
        title=_("Score bundle import receipt"), language=_.language, paper=paper,
        round_year=round_year, round_name=round_name, author=receipt.imported_by))


def _file_table(items: Sequence[ImportOutcome], _: Translator, width: float,
                progress: Progress | None, cancelled: IsCancelled | None) -> Flowable:
    rank = {o: n for n, o in enumerate(ORDER)}
    ordered = sorted(enumerate(items), key=lambda p: (rank.get(p[1].status, 9), p[0]))
    rows: list[list[object]] = [["#", _("File"), _("Outcome"), _("Assessor"), _("Seq"),
                                 _("Sheets"), _("Scores"), _("Reason")]]
    for done, (n, o) in enumerate(ordered, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled()
        rows.append([str(n + 1), o.file, _.outcome(o.status), o.assessor or "—",
                     "" if o.seq is None else str(o.seq), str(o.sheets), str(o.scores),
                     o.reason or "—"])
        if progress is not None:
            progress(done, len(ordered))
    fixed = [8 * mm, 0, 19 * mm, 0, 13 * mm, 15 * mm, 13 * mm, 0]
    rest = width - sum(fixed)
    widths = [w or share * rest for w, share in zip(fixed, (0, .32, 0, .22, 0, 0, 0, .46),
                                                    strict=True)]
    return table(rows, widths, right=(0, 4, 5, 6))
