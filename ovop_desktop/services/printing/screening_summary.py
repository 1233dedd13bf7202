"""The administrative screening summary as the ministry reports it, and the candidate list.

Figures (proposals, provinces, passed, failed, not yet screened, re-evaluations), the
tallies per commodity, per province and per commodity and province, the documents that
failed candidates, then every candidate with its decision and what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.rounds import Round
from ovop_desktop.domain.screening import Decision, ScreeningResult, ScreeningSummary, Tally
from ovop_desktop.services.candidates import CandidateSummary
from ovop_desktop.services.printing.layout import (
    INK,
    Cancelled,
    Checkpoint,
    IsCancelled,
    PageSpec,
    Progress,
    frame_width,
    para,
    render,
    styles,
    table,
)
from ovop_desktop.services.printing.translate import Translator


@dataclass(frozen=True)
class ScreeningReport:
    summary: ScreeningSummary
    candidates: tuple[CandidateSummary, ...]
    province_names: Mapping[str, str]  # province code → name


def screening_summary(report: ScreeningReport, round_: Round, *, paper: str = "a4",
                      language: str = "id", progress: Progress | None = None,
                      cancelled: IsCancelled | None = None) -> bytes:
    _ = Translator(language)
    s = styles()
    width = frame_width(paper)
    summary = report.summary
    story: list[Flowable] = [para(_("Administrative screening summary"), s.title)]
    story += [_figures(summary, _, width),
              para(_("Proposals and provinces count new candidates; the tables below also "
                     "count re-evaluations of earlier star holders."), s.hint)]
    story += [Spacer(1, 6), para(_("By commodity"), s.heading), _tallies(
        [(_.commodity(c), t) for c, t in summary.by_commodity.items()], _("Commodity"), _,
        width)]
    story += [para(_("By province"), s.heading), _tallies(
        [(report.province_names.get(p, p or "—"), t) for p, t in summary.by_province.items()],
        _("Province"), _, width)]
    story += [para(_("By commodity and province"), s.heading), _cross_table(report, _, width)]
    if summary.failed_by_document:
        story += [para(_("Why candidates failed"), s.heading), table(
            [[_("Document missing or invalid"), _("Candidates")]]
            + [[_.document(d), str(n)] for d, n in summary.failed_by_document.items()],
            [width * 0.75, width * 0.25], right=(1,))]
    story += _candidate_list(report, _, width, progress, cancelled)
    return render(story, PageSpec(
        title=_("Administrative screening summary"), language=_.language, paper=paper,
        round_year=round_.year, round_name=round_.name))


def _figures(summary: ScreeningSummary, _: Translator, width: float) -> Flowable:
    p, r = summary.proposals, summary.reevaluations
    headers = [_("Proposals"), _("Provinces"), _("Passed"), _("Failed"), _("Not yet screened"),
               _("Re-evaluations")]
    values = [p.total, summary.provinces, p.passed, p.failed, p.pending, r.total]
    cell = width / len(headers)
    return table([headers, [para(v, styles().number) for v in values]], [cell] * len(headers),
                 zebra=False)


def _tally_row(name: str, t: Tally) -> list[object]:
    return [name, str(t.total), str(t.passed), str(t.failed), str(t.pending)]


def _tallies(rows: Sequence[tuple[str, Tally]], first: str, _: Translator,
             width: float) -> Flowable:
    total = Tally()
    for _name, t in rows:
        total = Tally(total.total + t.total, total.passed + t.passed, total.failed + t.failed,
                      total.pending + t.pending)
    data = [[first, _("Proposed"), _("Passed"), _("Failed"), _("Not yet screened")]]
    data += [_tally_row(name, t) for name, t in rows] + [_tally_row(_("Total"), total)]
    number = (width * 0.5) / 4
    return table(data, [width * 0.5] + [number] * 4, right=(1, 2, 3, 4), bold_rows=(-1,),
                 extra=[("LINEABOVE", (0, -1), (-1, -1), 0.9, INK)])


def _cross_table(report: ScreeningReport, _: Translator, width: float) -> Flowable:
    """One block of province rows per commodity, with the commodity's subtotal."""
    cells: dict[Commodity, dict[str, Tally]] = {}
    for c in report.candidates:
        per = cells.setdefault(c.commodity, {})
        per[c.province_code] = per.get(c.province_code, Tally()).add(c.decision)
    data: list[list[object]] = [[_("Commodity"), _("Province"), _("Proposed"), _("Passed"),
                                 _("Failed"), _("Not yet screened")]]
    extra: list[tuple[object, ...]] = []
    bold: list[int] = []
    for commodity in Commodity:
        per = cells.get(commodity)
        if not per:
            continue
        first = len(data)
        subtotal = Tally()
        for code, t in sorted(per.items(), key=lambda kv: report.province_names.get(kv[0], kv[0])):
            data.append([_.commodity(commodity) if len(data) == first else "",
                         *_tally_row(report.province_names.get(code, code or "—"), t)])
            subtotal = Tally(subtotal.total + t.total, subtotal.passed + t.passed,
                             subtotal.failed + t.failed, subtotal.pending + t.pending)
        data.append(["", *_tally_row(_("Subtotal"), subtotal)])
        bold.append(len(data) - 1)
        extra.append(("LINEBELOW", (0, len(data) - 1), (-1, len(data) - 1), 0.9, INK))
    number = width * 0.44 / 4
    return table(data, [width * 0.22, width * 0.34] + [number] * 4, right=(2, 3, 4, 5),
                 bold_rows=bold, zebra=False, extra=extra)


def _reasons(result: ScreeningResult, _: Translator) -> str:
    return "; ".join(
        [_("{doc} is missing").format(doc=_.document(d)) for d in result.missing]
        + [_("{doc} is invalid").format(doc=_.document(d)) for d in result.invalid]
        + [_("{doc} not checked yet").format(doc=_.document(d)) for d in result.unchecked])


def _candidate_list(report: ScreeningReport, _: Translator, width: float,
                    progress: Progress | None, cancelled: IsCancelled | None) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [para(_("Candidates"), s.heading)]
    widths = [8 * mm, 10 * mm, 0.0, 0.0, 19 * mm, 20 * mm, 0.0]
    rest = width - sum(widths)
    widths = [w or share * rest for w, share in zip(widths, (0, 0, .34, .28, 0, 0, .38),
                                                    strict=True)]
    groups = [(c, [x for x in report.candidates if x.commodity is c]) for c in Commodity]
    groups = [(c, xs) for c, xs in groups if xs]
    for done, (commodity, members) in enumerate(groups, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled()
        rows: list[list[object]] = [["#", "ID", _("IKM name"), _("Kabupaten/kota, province"),
                                     _("Kind of entry"), _("Decision"),
                                     _("Missing or invalid documents")]]
        ordered = sorted(members, key=lambda c: (report.province_names.get(
            c.province_code, ""), c.region_name, c.name.casefold()))
        for n, c in enumerate(ordered, start=1):
            region = ", ".join(p for p in (c.region_name, c.province_name) if p)
            decision = _.decision(c.decision)
            rows.append([str(n), str(c.id), c.name, region, _.entry_kind(c.kind),
                         decision if c.decision is Decision.PASSED else para(decision,
                                                                            s.cell_bold),
                         "" if c.decision is Decision.PASSED else _reasons(c.screening, _)])
        heading = para(f"{_.commodity(commodity)} ({len(members)})", s.subheading)
        grid = table(rows, widths, right=(0, 1))
        story += [heading, grid,
                  Checkpoint(done, len(groups), progress, cancelled)]
    return story
