"""The recommendation list the selection team signs: per commodity, every candidate with
its rank, total and star; the counts per star, commodity and province; the thresholds and
the method; signature blocks; the results receipt hash in every page's footer.

Tables hold plain strings (scorecard.grid): a national list runs to 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ovop_desktop.domain.results import CandidateResult, Flag, star_counts
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.printing.fonts import register_fonts
from ovop_desktop.services.printing.graphics import signature_block, stars
from ovop_desktop.services.printing.layout import (
    INK,
    LIGHT,
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
    change_label,
    commodity_label,
    grid,
    heading,
    line_of_text,
    require_results,
    verification_of,
)
from ovop_desktop.services.printing.translate import Translator
from ovop_desktop.services.results import ResultsReport

STAR_KEYS: tuple[int | None, ...] = (3, 2, 1, 0, None)


def ranking_list(report: ResultsReport, commodity: str | None = None, *, paper: str = "a4",
                 language: str = "id", progress: Progress | None = None,
                 cancelled: IsCancelled | None = None) -> bytes:
    """The list for the whole round, or one commodity (its code, e.g. "kain_batik").

    Raises UserFacingError for a round without results or a commodity not in the round.
    """
    groups = _groups(report, commodity)
    _ = Translator(language)
    s = styles()
    width = frame_width(paper)
    rows = [r for r in report.results.candidates if r.commodity in groups]
    check = verification_of(report)
    title = _("Recommendation list")
    story: list[Flowable] = [para(title, s.title)]
    if commodity is not None:
        story.append(para(commodity_label(_, commodity), s.large))
    story += [
        line_of_text(_("Computed from {bundles} accepted score bundles; results receipt "
                       "(SHA-256) {hash}; audit-log head {head}.").format(
                           bundles=len(report.bundles), hash=check.receipt_hash,
                           head=check.audit_head), width, size=7.5, italic=False),
        *_method(report, _, width),
        *_counts(report, rows, groups, _, width),
    ]
    for done, value in enumerate(groups, start=1):
        if cancelled is not None and cancelled():
            raise Cancelled()
        story += _commodity_table(report, value, _, width)
        story.append(Checkpoint(done, len(groups), progress, cancelled))
    story += _signatures(_, width)
    round_ = report.round
    return render(story, PageSpec(
        title=title, language=_.language, paper=paper, round_year=round_.year,
        round_name=round_.name, subject=commodity_label(_, commodity) if commodity else "",
        footer_text=_("Results receipt (SHA-256): {hash}").format(hash=check.receipt_hash)))


def _groups(report: ResultsReport, commodity: str | None) -> list[str]:
    """The commodities to list, in the round's order (messages in the app's language)."""
    require_results(report)
    in_round = [rc.commodity.value for rc in report.round.commodities]
    if commodity is not None and commodity not in in_round:
        raise UserFacingError(_("The round {name} has no commodity {commodity}.").format(
            name=report.round.name, commodity=commodity))
    return [c for c in in_round if commodity in (None, c)]


def _aspect_names(report: ResultsReport, language: str) -> dict[str, str]:
    """Aspect id → "C Kualitas dan Keunikan Produk" (the first rubric naming it)."""
    names: dict[str, str] = {}
    for rc in report.round.commodities:
        rubric = report.rubrics.get(rc.commodity.value)
        for aspect in rubric.aspects if rubric else ():
            names.setdefault(aspect.id, f"{aspect.id} {aspect.name.get(language)}")
    return names


def _method(report: ResultsReport, _: Translator, width: float) -> list[Flowable]:
    t = report.round.thresholds
    method = report.results.method
    names = _aspect_names(report, _.language)
    tie = ", ".join(names.get(a, a) for a in method.tie_break) or "—"
    rows = [
        [_("Star thresholds"), _("3★: total at least {three} · 2★: at least {two} · 1★: at "
                                 "least {one} · below {one}: no star").format(
                                     three=t.three, two=t.two, one=t.one)],
        [_("Aggregation"), _("Per criterion the mean of the assessors' levels (1–3), or the "
                             "level the panel set in moderation; aspect score = achieved ÷ "
                             "maximum × the aspect's weight; total = the sum of the aspect "
                             "scores (0–100).")],
        [_("Minimum assessors"), _("{n} assessors with a finished sheet; with fewer, a "
                                   "candidate is incomplete: not classified and not ranked.")
         .format(n=method.min_assessors)],
        [_("Ties"), _("Equal totals are ordered by these aspect scores in turn: {aspects}; "
                      "candidates still equal share a rank.").format(aspects=tie)],
    ]
    if report.excluded_conflicts:
        rows.append([_("Conflicts of interest"), _(
            "{n} assessor–candidate pairs with a conflict of interest are not counted.").format(
                n=report.excluded_conflicts)])
    return [heading(_("Thresholds and method"), width),
            grid(rows, [width * 0.2, width * 0.8], header_rows=0, size=7.5, bold_cols=(0,),
                 extra=[("BACKGROUND", (0, 0), (0, -1), LIGHT)])]


def _count_rows(keys: Sequence[tuple[str, str]], counts: Mapping[str, Mapping[int | None, int]],
                _: Translator) -> list[list[object]]:
    header: list[object] = ["", "3★", "2★", "1★", _("No star"), _("Incomplete"), _("Total")]
    out: list[list[object]] = [header]
    totals = dict.fromkeys(STAR_KEYS, 0)
    for key, label in keys:
        per = counts.get(key, {})
        for k in STAR_KEYS:
            totals[k] += per.get(k, 0)
        out.append([label, *[str(per.get(k, 0)) for k in STAR_KEYS],
                    str(sum(per.get(k, 0) for k in STAR_KEYS))])
    out.append([_("Total"), *[str(totals[k]) for k in STAR_KEYS], str(sum(totals.values()))])
    return out


def _counts(report: ResultsReport, rows: list[CandidateResult], groups: list[str],
            _: Translator, width: float) -> list[Flowable]:
    provinces: dict[str, str] = {}
    for f in report.candidates.values():
        provinces.setdefault(f.region_code[:2], f.province)
    by_commodity = star_counts(rows, by="commodity")
    by_province = star_counts(rows, by="province")
    number = width * 0.6 / 6
    widths = [width * 0.4] + [number] * 6
    extra: list[tuple[Any, ...]] = [("LINEABOVE", (0, -1), (-1, -1), 0.9, INK)]
    right = range(1, 7)
    province_keys = sorted(by_province, key=lambda code: (provinces.get(code, code), code))
    return [
        heading(_("Candidates per star"), width),
        line_of_text(_("By commodity"), width, size=8, italic=False),
        grid(_count_rows([(c, commodity_label(_, c)) for c in groups], by_commodity, _), widths,
             right=right, bold_rows=(-1,), extra=extra, size=7.5),
        Spacer(1, 6),
        line_of_text(_("By province"), width, size=8, italic=False),
        grid(_count_rows([(p, provinces.get(p, p) or "—") for p in province_keys],
                         by_province, _), widths, right=right, bold_rows=(-1,), extra=extra,
             size=7.5),
    ]


def _remarks(result: CandidateResult, _: Translator) -> str:
    out = []
    if Flag.MODERATED in result.flags:
        out.append(_("moderated"))
    if result.change is not None:
        out.append(_("was {stars}★: {change}").format(stars=result.previous_star,
                                                       change=change_label(_, result)))
    return "; ".join(out)


def _commodity_table(report: ResultsReport, commodity: str, _: Translator,
                     width: float) -> list[Flowable]:
    rows = report.rows(commodity)
    ranked = sum(1 for r in rows if r.rank is not None)
    title = _("{commodity}: {ranked} ranked, {incomplete} incomplete").format(
        commodity=commodity_label(_, commodity), ranked=ranked, incomplete=len(rows) - ranked)
    if not rows:
        return [heading(title, width, size=11, space=10),
                line_of_text(_("No candidate of this commodity has results."), width)]
    header: list[object] = [_("Rank"), _("IKM"), _("Kabupaten/kota"), _("Province"),
                            _("Total"), _("Star"), _("Remarks")]
    bold = register_fonts().bold
    # narrow columns as wide as their heading ("Peringkat" must not break mid-word)
    fixed = [max(minimum, stringWidth(str(header[c]), bold, 7.5) + 6) if minimum else 0.0
             for c, minimum in enumerate((26.0, 0, 0, 0, 32.0, 40.0, 0))]
    rest = width - sum(fixed)
    widths = [w or share * rest for w, share in zip(fixed, (0, .36, .2, .18, 0, 0, .26),
                                                    strict=True)]
    data: list[list[object]] = [header]
    extra: list[tuple[Any, ...]] = []
    incomplete_from = None
    for r in rows:
        f = report.candidates[r.candidate_id]
        if r.star is None:
            if incomplete_from is None:
                incomplete_from = len(data)
            star: object = _("incomplete")
            total = "—"
        else:
            star = stars(r.star, size=8) if r.star else _("no star")
            total = _.number(r.total or 0.0)
        data.append([str(r.rank) if r.rank else "—", f.name, f.regency, f.province, total,
                     star, _remarks(r, _)])
    if incomplete_from is not None:
        extra += [("LINEABOVE", (0, incomplete_from), (-1, incomplete_from), 0.9, INK),
                  ("TEXTCOLOR", (0, incomplete_from), (-1, -1), "#52606d")]
    extra += [("BACKGROUND", (0, r), (-1, r), LIGHT) for r in range(2, len(data), 2)]
    return [CondPageBreak(100), heading(title, width, size=11, space=10, keep=False),
            grid(data, widths, right=(0, 4), extra=extra, size=7.5, max_lines=8)]


def _signatures(_: Translator, width: float) -> list[Flowable]:
    s = styles()
    name, date = _("Name"), _("Date")
    return [Spacer(1, 10), KeepTogether([
        para(_("Selection team"), s.heading),
        para(_("The selection team has examined this list and recommends it. Set at "
               "____________________, on ____________________."), s.body),
        Spacer(1, 8),
        signature_block([(_("Chair"), ""), (_("Secretary"), "")], width * 2 / 3,
                        name_label=name, date_label=date, space=14 * mm),
        Spacer(1, 10),
        signature_block([(_("Member"), ""), (_("Member"), ""), (_("Member"), "")], width,
                        name_label=name, date_label=date, space=14 * mm),
    ])]
