"""The scorecard an IKM and its regional office receive: one page per candidate, as a rule.

Identity, every criterion with each assessor's level and the value that counts (the
mean, or the panel's moderated level, marked), aspect scores and total, the star and the
rank in the commodity, a bar chart of the aspects, the assessors, their notes, the
coaching areas (area pembinaan) and, for re-evaluations, the previous star and the
change. A verification block closes the card: the results receipt hash and the audit-log
head, and a QR code holding exactly `receipts.qr_text()`, which `ovop results verify`
accepts, so a card can be checked against the data long after printing.

Speed matters here (a national batch is a thousand cards): the tables hold plain strings
that this module wraps itself (`wrap`, `grid`) instead of paragraphs, and the QR code is
encoded once per document and drawn as one PDF form on every card. Plain strings are
drawn as they are, never parsed, so user text with `<font>` or `&` prints literally.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.results import _CHANGE_LABELS, CandidateResult, CriterionResult
from ovop_desktop.domain.rubric import Rubric
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services import receipts
from ovop_desktop.services.printing.fonts import register_fonts
from ovop_desktop.services.printing.graphics import Bar, bar_chart, qr_code, stars
from ovop_desktop.services.printing.layout import (
    INK,
    LIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    RULE,
    SHADE,
    IsCancelled,
    PageSpec,
    Progress,
    frame_width,
    page_size,
    render,
    safe_text,
    sections,
    table_style,
)
from ovop_desktop.services.printing.translate import Translator
from ovop_desktop.services.results import ResultsReport, SheetNotes

ALERT = colors.HexColor("#b42318")  # "not classified": the one thing a reader must not miss
COACH = colors.HexColor("#fff4d6")  # rows of the coaching areas
ELLIPSIS = "…"
NOTE_LINES = 14  # at most this many lines of assessors' notes on a card
NOTE_SIZE, NOTE_LEADING = 7.5, 9.0


# -- plain-string tables ----------------------------------------------------------------------


def _cut(word: str, font: str, size: float, width: float) -> int:
    """How many leading characters of `word` fit `width` (at least one)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(word[:mid], font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _shorten(line: str, font: str, size: float, width: float) -> str:
    """`line` with "…" at its end, shortened until both fit."""
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def clean(value: object) -> str:
    """User text ready to draw (safe_text; ASCII, the common case, needs no work)."""
    text = "" if value is None else str(value)
    return text if text.isascii() and text.isprintable() else safe_text(text)


def wrap(value: object, font: str, size: float, width: float, max_lines: int = 0) -> str:
    """Text as lines (joined by newlines) that fit `width`, for a plain-string table cell.

    Breaks at spaces; a word longer than a line (a 300-character name) is split; after
    `max_lines` lines the text is cut and the last line ends in "…". Drawn literally.
    """
    text = clean(value)
    if "\n" not in text and stringWidth(text, font, size) <= width:
        return text
    lines: list[str] = []
    cut = False
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            joined = f"{line} {word}" if line else word
            if stringWidth(joined, font, size) <= width:
                line = joined
                continue
            if line:
                lines.append(line)
            while stringWidth(word, font, size) > width:
                n = _cut(word, font, size, width)
                lines.append(word[:n])
                word = word[n:]
            line = word
            if max_lines and len(lines) > max_lines:
                break
        lines.append(line)
        if max_lines and len(lines) > max_lines:
            cut = True
            break
    if max_lines and len(lines) > max_lines:
        cut = True
        lines = lines[:max_lines]
    if cut:
        lines[-1] = _shorten(lines[-1], font, size, width)
    return "\n".join(lines)


class Fitted(str):
    """Text already laid out for its cell (a spanned cell): `grid` leaves it as it is."""

    __slots__ = ()


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], *, size: float = 7.5,
         header_rows: int = 1, right: Iterable[int] = (), center: Iterable[int] = (),
         bold_rows: Iterable[int] = (), bold_cols: Iterable[int] = (),
         extra: Sequence[tuple[Any, ...]] = (),
         max_lines: int = 4, lines: bool = True, padding: float = 2.5,
         vpad: tuple[float, float] = (1.2, 2.2)) -> Table:
    """A table of plain strings (and flowables such as drawn stars), header rows repeated.

    Strings are wrapped here to their column (`wrap`), `Fitted` strings are not. Far
    cheaper than paragraphs, and nothing is parsed: markup in user text prints as typed.
    Rows never split across pages: `max_lines` bounds every cell, so none outgrows a page.
    """
    fonts = register_fonts()
    n = len(rows)
    bold = set(range(header_rows)) | {r % n for r in bold_rows} if n else set()
    strong = set(bold_cols)
    leading = size * 1.2
    data: list[list[object]] = []
    for r, row in enumerate(rows):
        out: list[object] = []
        for c, value in enumerate(row):
            if value is None:
                out.append("")
            elif isinstance(value, (Flowable, list, Fitted)):
                out.append(value)
            else:
                font = fonts.bold if r in bold or c in strong else fonts.regular
                out.append(wrap(value, font, size, widths[c] - 2 * padding - 0.5, max_lines))
        data.append(out)
    commands: list[tuple[Any, ...]] = [
        ("FONTSIZE", (0, 0), (-1, -1), size), ("LEADING", (0, 0), (-1, -1), leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), vpad[0]), ("BOTTOMPADDING", (0, 0), (-1, -1), vpad[1]),
        *[("FONTNAME", (0, r), (-1, r), fonts.bold) for r in sorted(bold)],
        *[("FONTNAME", (c, 0), (c, -1), fonts.bold) for c in sorted(strong)],
        *[("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right],
        *[("ALIGN", (c, 0), (c, -1), "CENTER") for c in center],
    ]
    if lines:
        commands.append(("GRID", (0, 0), (-1, -1), 0.4, RULE))
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    t = Table(data, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    t.setStyle(table_style(*commands, *extra))
    return t


def heading(text: str, width: float, *, size: float = 9.5, space: float = 5,
            keep: bool = True) -> Table:
    """A bold heading as a plain string (no paragraph), kept with what follows (`keep`;
    before a long table use CondPageBreak instead: keeping would move the whole table)."""
    t = Table([[Fitted(wrap(text, register_fonts().bold, size, width, 2))]], colWidths=[width],
              hAlign="LEFT")
    t.setStyle(table_style(
        ("FONTNAME", (0, 0), (-1, -1), register_fonts().bold), ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), space), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)))
    t.keepWithNext = int(keep)
    return t


def line_of_text(text: str, width: float, *, size: float = 7, color: Any = MUTED,
                 italic: bool = True, max_lines: int = 3) -> Table:
    """A small hint or legend line as plain strings."""
    fonts = register_fonts()
    font = fonts.italic if italic else fonts.regular
    t = Table([[Fitted(wrap(text, font, size, width, max_lines))]], colWidths=[width],
              hAlign="LEFT")
    t.setStyle(table_style(
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.25), ("TEXTCOLOR", (0, 0), (-1, -1), color),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)))
    return t


# -- the QR code, encoded once ----------------------------------------------------------------


class FormQr(Flowable):
    """A QR code drawn once per PDF as a form, then placed by reference on every page.

    Encoding and drawing a QR code costs ~70 ms; a batch of a thousand cards carrying the
    same code would spend more than a minute on it, and the PDF would hold it a thousand
    times.
    """

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data, self.size = data, size
        self.width = self.height = size
        self._name = "qr" + hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canv = self.canv
        if not canv.hasForm(self._name):
            canv.beginForm(self._name, 0, 0, self.size, self.size)
            renderPDF.draw(qr_code(self.data, self.size), canv, 0, 0)
            canv.endForm()
        canv.doForm(self._name)


# -- data -------------------------------------------------------------------------------------


def no_results_error() -> UserFacingError:
    return UserFacingError(_("The round has no results yet: no finished score sheet has been "
                             "received, so there is nothing to print."))


def require_results(report: ResultsReport) -> None:
    """Refuse a round where no candidate has a single counted score (one clear sentence)."""
    if not any(r.total is not None for r in report.results.candidates):
        raise no_results_error()


@dataclass(frozen=True)
class Verification:
    """What every printed results document carries to be checked against the data."""

    receipt_hash: str
    audit_head: str
    qr: str  # receipts.qr_text: `ovop results verify` accepts it


def verification_of(report: ResultsReport) -> Verification:
    body = receipts.payload(report)
    return Verification(receipts.receipt_hash(body), body["audit_head"], receipts.qr_text(body))


def grouped(digest: str, size: int = 16) -> str:
    """A long hash in groups ("ab12… cd34…"), so it wraps between groups and reads aloud."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def ranked_counts(report: ResultsReport) -> dict[str, int]:
    """Ranked candidates per commodity (the "of 42" in "rank 3 of 42")."""
    return dict(Counter(r.commodity for r in report.results.candidates if r.rank is not None))


def change_label(_: Translator, result: CandidateResult) -> str:
    return _(_CHANGE_LABELS[result.change]) if result.change is not None else ""


# -- the document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Doc:
    report: ResultsReport
    _: Translator
    width: float
    height: float  # of the frame: what one page holds
    verification: Verification
    ranked: dict[str, int]
    notes: Mapping[int, Mapping[int, SheetNotes]]
    qr: FormQr


def scorecards(report: ResultsReport, candidate_ids: Sequence[int] | None = None, *,
               paper: str = "a4", language: str = "id",
               notes: Mapping[int, Mapping[int, SheetNotes]] | None = None,
               progress: Progress | None = None, cancelled: IsCancelled | None = None) -> bytes:
    """One scorecard per candidate (all of the report's, in ranking order, or those
    listed, in that order), each numbered "Halaman 1 dari N" on its own.

    notes: candidate → assessor → that assessor's sheet notes (ResultsService.notes);
    without them the cards print no notes. A candidate without scores gets its card,
    marked incomplete. Raises UserFacingError for a round without any results, and
    NotFoundError for a candidate that is not in the report.
    """
    chosen = pick(report, candidate_ids)
    _ = Translator(language)
    width = frame_width(paper)
    check = verification_of(report)
    height = page_size(paper)[1] - MARGIN_TOP - MARGIN_BOTTOM
    doc = _Doc(report, _, width, height, check, ranked_counts(report), notes or {},
               FormQr(check.qr, 23 * mm))
    story = sections(chosen, lambda r: _card(r, doc), progress=progress, cancelled=cancelled)
    round_ = report.round
    return render(story, PageSpec(
        title=_("Scorecard"), language=_.language, paper=paper, round_year=round_.year,
        round_name=round_.name, footer_text=_("Results receipt (SHA-256): {hash}").format(
            hash=check.receipt_hash),
        subject=_("Scorecards ({n})").format(n=len(chosen))))


def pick(report: ResultsReport, candidate_ids: Sequence[int] | None) -> list[CandidateResult]:
    """The candidates to print: all in ranking order, or those listed (once each, in that
    order). Refusals are in the app's language: no results at all; an unknown candidate."""
    require_results(report)
    if candidate_ids is None:
        return report.rows()
    by_id = report.results.by_id()
    for c in candidate_ids:
        if c not in by_id:
            raise NotFoundError(_("Candidate {id} has no results in this round.").format(id=c))
    return [by_id[c] for c in dict.fromkeys(candidate_ids)]


def _card(result: CandidateResult, doc: _Doc) -> list[Flowable]:
    """The card's parts; the notes get the room left on the page (measured, not guessed)."""
    rubric = doc.report.rubrics.get(result.commodity)
    head = [_banner(result, doc), Spacer(1, 5), _identity(result, doc), Spacer(1, 6),
            *_criteria(result, rubric, doc), *_aspects_and_pointers(result, rubric, doc)]
    tail = [Spacer(1, 6), _verification(doc)]
    used = sum(f.wrap(doc.width, doc.height)[1] for f in head + tail)
    return [*head, *_notes(result, rubric, doc, doc.height - used - 4), *tail]


def commodity_label(_: Translator, value: str) -> str:
    """The commodity's name in the document's language (its code if unknown)."""
    try:
        return _.commodity(Commodity(value))
    except ValueError:
        return value


def _banner(result: CandidateResult, doc: _Doc) -> Table:
    """The IKM's name large at the left; at the right what it earned, drawn as stars."""
    _ = doc._
    fonts = register_fonts()
    facts = doc.report.candidates[result.candidate_id]
    right_w = 62 * mm
    left_w = doc.width - right_w
    kicker = f"{_('Scorecard')} · {commodity_label(_, result.commodity)}"
    # The name in full: large, or smaller when it would need more than three lines
    # (names are at most 200 characters).
    size = 13.0
    title = wrap(facts.name, fonts.bold, size, left_w - 8)
    if title.count("\n") >= 3:
        size = 10.0
        title = wrap(facts.name, fonts.bold, size, left_w - 8, 8)
    left = [[Fitted(wrap(kicker, fonts.regular, 8, left_w - 8, 1))], [Fitted(title)],
            [Fitted(wrap(facts.product, fonts.regular, 8.5, left_w - 8, 2))]]
    name = Table(left, colWidths=[left_w], hAlign="LEFT")
    name.setStyle(table_style(
        ("FONTNAME", (0, 1), (0, 1), fonts.bold), ("FONTSIZE", (0, 0), (0, 0), 8),
        ("LEADING", (0, 0), (0, 0), 10), ("TEXTCOLOR", (0, 0), (0, 0), MUTED),
        ("FONTSIZE", (0, 1), (0, 1), size), ("LEADING", (0, 1), (0, 1), size * 1.23),
        ("TEXTCOLOR", (0, 1), (0, 1), INK), ("FONTSIZE", (0, 2), (0, 2), 8.5),
        ("LEADING", (0, 2), (0, 2), 10.5), ("TEXTCOLOR", (0, 2), (0, 2), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1)))
    right = Table(_standing(result, doc, right_w - 8), colWidths=[right_w - 8], hAlign="RIGHT")
    style: list[tuple[Any, ...]] = [
        ("ALIGN", (0, 0), (-1, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if result.star is None:
        style += [("FONTNAME", (0, 0), (0, 0), fonts.bold), ("FONTSIZE", (0, 0), (0, 0), 10),
                  ("LEADING", (0, 0), (0, 0), 12.5), ("TEXTCOLOR", (0, 0), (0, 0), ALERT)]
    else:
        style += [("FONTNAME", (0, 1), (0, 1), fonts.bold), ("FONTSIZE", (0, 1), (0, 1), 12),
                  ("LEADING", (0, 1), (0, 1), 15)]
    right.setStyle(table_style(*style))
    t = Table([[name, right]], colWidths=[left_w, right_w], hAlign="LEFT")
    t.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LINEBELOW", (0, 0), (-1, -1), 0.8, INK)))
    return t


def _standing(result: CandidateResult, doc: _Doc, width: float) -> list[list[object]]:
    """The right side of the banner: stars, total, rank — or why there are none."""
    _ = doc._
    fonts = register_fonts()
    if result.star is None:
        counted = len(result.assessors)
        need = doc.report.round.min_assessors
        why = _("Finished sheets from {n} assessors; at least {min} are needed.").format(
            n=counted, min=need) if counted < need else _("Some criteria have no level yet.")
        return [[Fitted(wrap(_("Incomplete — not classified"), fonts.bold, 10, width, 2))],
                [Fitted(wrap(why, fonts.regular, 8, width, 3))]]
    total = _.number(result.total or 0.0)
    rank = _("Rank {rank} of {n} in {commodity}").format(
        rank=result.rank, n=doc.ranked.get(result.commodity, 0),
        commodity=commodity_label(_, result.commodity)) if result.rank else ""
    label = _("No star") if result.star == 0 else _("{n} stars").format(n=result.star)
    return [[stars(result.star, size=15)],
            [Fitted(wrap(_("Total {total}").format(total=total), fonts.bold, 12, width, 1))],
            [Fitted(wrap(f"{label} · {rank}" if rank else label, fonts.regular, 8, width, 2))]]


def _identity(result: CandidateResult, doc: _Doc) -> Table:
    _ = doc._
    f = doc.report.candidates[result.candidate_id]
    if f.kind == "reevaluation" and f.previous_star:
        entry = _("Re-evaluation: {stars}★ in {year}").format(stars=f.previous_star,
                                                              year=f.previous_year or "—")
    elif f.kind == "reevaluation":
        entry = _("Re-evaluation")
    else:
        entry = _("New candidate")
    if result.change is not None:
        now = _("no star") if result.star == 0 else f"{result.star}★"
        change = _("{before}★ → {now}: {change}").format(
            before=result.previous_star, now=now, change=change_label(_, result))
    else:
        change = "—"
    w = doc.width
    rows = [[_("Owner"), f.owner or "—", _("Product"), f.product or "—"],
            [_("Sentra IKM"), f.sentra or "—", _("Commodity"), commodity_label(_, f.commodity)],
            [_("Kabupaten/kota"), f.regency or "—", _("Province"), f.province or "—"],
            [_("Kind of entry"), entry, _("Star change"), change]]
    return grid(rows, [w * 0.16, w * 0.34, w * 0.17, w * 0.33], header_rows=0, size=7.5,
                max_lines=3, bold_cols=(0, 2), extra=[
                    ("GRID", (0, 0), (-1, -1), 0.3, SHADE),
                    ("BACKGROUND", (0, 0), (0, -1), LIGHT), ("BACKGROUND", (2, 0), (2, -1), LIGHT)])


def _criteria(result: CandidateResult, rubric: Rubric | None, doc: _Doc) -> list[Flowable]:
    """Aspect by aspect: each criterion with every assessor's level and the value counted."""
    _ = doc._
    language = _.language
    fonts = register_fonts()
    assessors = result.assessors
    columns = max(1, len(assessors))
    level_w = min(20.0, 120.0 / columns)
    id_w, value_w = 22.0, 34.0
    name_w = doc.width - id_w - value_w - level_w * columns
    by_id: dict[str, CriterionResult] = {c.criterion_id: c for c in result.criteria}
    coaching = set(result.coaching)
    header = ["ID", _("Criterion"), *([f"P{i + 1}" for i in range(len(assessors))] or ["—"]),
              _("Value")]
    rows: list[list[object]] = [header]
    extra: list[tuple[Any, ...]] = [("ALIGN", (2, 0), (-1, -1), "CENTER"),
                                    ("ALIGN", (-1, 0), (-1, -1), "RIGHT")]
    last = len(header) - 1
    moderated = False
    for aspect in rubric.aspects if rubric else ():
        r = len(rows)
        title = f"{aspect.id} · {aspect.name.get(language)} " + _("(weight {w})").format(
            w=aspect.weight)
        score = result.aspects.get(aspect.id)
        shown = "—" if score is None or result.total is None else \
            f"{_.number(score)} / {aspect.weight}"
        rows.append([Fitted(wrap(title, fonts.bold, 7.5, id_w + name_w - 6, 1)), "",
                     Fitted(shown)] + [""] * (last - 2))
        extra += [("SPAN", (0, r), (1, r)), ("SPAN", (2, r), (-1, r)),
                  ("FONTNAME", (0, r), (-1, r), fonts.bold), ("BACKGROUND", (0, r), (-1, r), LIGHT),
                  ("ALIGN", (2, r), (-1, r), "RIGHT"), ("LINEABOVE", (0, r), (-1, r), 0.8, INK)]
        for criterion in aspect.criteria:
            c = by_id.get(criterion.id)
            levels = [str(c.levels[a]) if c and a in c.levels else "—" for a in assessors] \
                or ["—"]
            if c is not None and c.moderated is not None:
                value = f"{c.moderated}*"
                moderated = True
                extra.append(("FONTNAME", (last, len(rows)), (last, len(rows)), fonts.bold))
            elif c is not None and c.mean is not None:
                value = _.number(c.mean)
            else:
                value = "—"
            if criterion.id in coaching:
                extra.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), COACH))
            rows.append([criterion.id, criterion.name.get(language), *levels, value])
    total = "—" if result.total is None else f"{_.number(result.total)} / 100"
    r = len(rows)
    rows.append([Fitted(_("Total")), "", Fitted(total)] + [""] * (last - 2))
    extra += [("SPAN", (0, r), (1, r)), ("SPAN", (2, r), (-1, r)),
              ("ALIGN", (2, r), (-1, r), "RIGHT"), ("LINEABOVE", (0, r), (-1, r), 0.9, INK)]
    table = grid(rows, [id_w, name_w, *[level_w] * columns, value_w], size=7, max_lines=2,
                 bold_rows=(-1,), extra=extra, padding=2.5, vpad=(0.8, 1.6))
    legend = [_("P1, P2…: the assessors below (levels 1–3)"),
              _("Value: mean of their levels")]
    if moderated:
        legend.append(_("* set by the panel (moderation)"))
    if coaching:
        legend.append(_("shaded: coaching areas"))
    return [table, Spacer(1, 2), line_of_text(" · ".join(legend), doc.width, size=6.5)]


def _aspects_and_pointers(result: CandidateResult, rubric: Rubric | None,
                          doc: _Doc) -> list[Flowable]:
    """The aspect chart, then the coaching areas beside the assessors."""
    _ = doc._
    language = _.language
    out: list[Flowable] = []
    if rubric and result.total is not None:
        bars = [Bar(f"{a.id} {a.name.get(language)}", result.aspects.get(a.id, 0.0), a.weight)
                for a in rubric.aspects]
        out += [heading(_("Score per aspect"), doc.width),
                bar_chart(bars, doc.width, language=language, bar_height=8)]
    half = (doc.width - 6 * mm) / 2
    if result.coaching:
        pointers = [[cid, doc.report.criterion_name(result.commodity, cid, language)]
                    for cid in result.coaching]
    else:
        pointers = [["—", _("None: every criterion at the top level.") if result.total
                     is not None else _("None yet: not scored.")]]
    coach = grid(pointers, [22, half - 22], header_rows=0, size=7.5, max_lines=2, lines=False,
                 extra=[("LINEBELOW", (0, 0), (-1, -1), 0.3, SHADE)])
    people = [[f"P{i + 1}", _assessor(doc, a)] for i, a in enumerate(result.assessors)] or \
        [["—", _("No finished sheet has been received yet.")]]
    team = grid(people, [22, half - 22], header_rows=0, size=7.5, max_lines=3, lines=False,
                extra=[("LINEBELOW", (0, 0), (-1, -1), 0.3, SHADE)])
    both = Table([[heading(_("Coaching areas (area pembinaan)"), half), "",
                   heading(_("Assessors"), half)], [coach, "", team]],
                 colWidths=[half, 6 * mm, half], hAlign="LEFT")
    both.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)))
    return [*out, both]


def _assessor(doc: _Doc, assessor_id: int) -> str:
    who = doc.report.assessors.get(assessor_id)
    if who is None:
        return f"#{assessor_id}"
    return f"{who.name} — {who.institution}" if who.institution else who.name


def _notes(result: CandidateResult, rubric: Rubric | None, doc: _Doc,
           room: float) -> list[Flowable]:
    """The counted assessors' notes: each sheet's note, then criterion notes in rubric order.

    The notes take at most the `room` (points) left on the page and NOTE_LINES lines, so
    the card stays one page: every note shown gets a line first, then more lines in
    order up to its own limit; a note cut short ends in "…"; notes left out are counted
    ("… 4 more notes").
    """
    _ = doc._
    per = doc.notes.get(result.candidate_id) or {}
    order = {c.id: i for i, (_a, c) in enumerate(rubric.criteria())} if rubric else {}
    items: list[tuple[str, str, int]] = []  # (who, text, max lines)
    for i, a in enumerate(result.assessors):
        sheet = per.get(a)
        if sheet is not None and sheet.note.strip():
            items.append((f"P{i + 1}", sheet.note, 3))
    for i, a in enumerate(result.assessors):
        sheet = per.get(a)
        for cid, text in sorted((sheet.criteria if sheet else {}).items(),
                                key=lambda kv: (order.get(kv[0], 999), kv[0])):
            if text.strip():
                items.append((f"P{i + 1} · {cid}", text, 2))
    if not items:
        return []
    fonts = register_fonts()
    who_w = 46.0
    text_w = doc.width - who_w - 5.5
    title = heading(_("Assessors' notes"), doc.width)
    row_pad = 1.2 + 2.2
    budget = min(NOTE_LINES, max(1, int((room - title.wrap(doc.width, doc.height)[1])
                                        // (NOTE_LEADING + row_pad))))
    shown = len(items) if len(items) <= budget else budget - 1  # a line for "… n more"
    wanted = [wrap(text, fonts.regular, NOTE_SIZE, text_w, most).count("\n") + 1
              for _who, text, most in items[:shown]]
    lines = [1] * shown
    spare = budget - shown - (1 if shown < len(items) else 0)
    for i, want in enumerate(wanted):
        more = min(want - 1, spare)
        lines[i] += more
        spare -= more
    rows: list[list[object]] = [
        [who, Fitted(wrap(text, fonts.regular, NOTE_SIZE, text_w, n))]
        for (who, text, _most), n in zip(items, lines, strict=False)]
    if shown < len(items):
        rows.append(["", _("… {n} more notes: see the results in OVOP Desktop.").format(
            n=len(items) - shown)])
    t = grid(rows, [who_w, doc.width - who_w], header_rows=0, size=NOTE_SIZE, max_lines=3,
             lines=False, bold_cols=(0,), extra=[("LINEBELOW", (0, 0), (-1, -1), 0.3, SHADE),
                                                 ("TEXTCOLOR", (0, 0), (0, -1), MUTED)])
    return [title, t]


def _verification(doc: _Doc) -> Table:
    """A framed block: round, receipt hash, audit-log head beside the QR code carrying them.

    (graphics.verification_block's look, with the QR code drawn once per PDF: FormQr.)
    """
    _ = doc._
    v = doc.verification
    round_ = doc.report.round
    qr_w = doc.qr.size
    text_w = doc.width - qr_w - 8
    rows = [[_("Round"), f"{round_.name} ({round_.year})"],
            [_("Results receipt (SHA-256)"), grouped(v.receipt_hash)],
            [_("Audit-log head"), grouped(v.audit_head)]]
    details = grid(rows, [108, text_w - 12 - 108], header_rows=0, size=7, max_lines=3,
                   vpad=(1, 1.8), bold_cols=(0,), extra=[("GRID", (0, 0), (-1, -1), 0.3, SHADE),
                                                         ("BACKGROUND", (0, 0), (0, -1), LIGHT)])
    hint = line_of_text(_("To check this card against the data: `ovop results verify` with the "
                          "text of the QR code."), text_w - 12)
    inner = [heading(_("Verification"), text_w - 12, space=0, size=9), details, Spacer(1, 2),
             hint]
    t = Table([[inner, doc.qr]], colWidths=[text_w + 8, qr_w], hAlign="LEFT")
    t.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 0.8, MUTED), ("LINEBEFORE", (1, 0), (1, 0), 0.3, SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (0, 0), 6), ("RIGHTPADDING", (0, 0), (0, 0), 6),
        ("LEFTPADDING", (1, 0), (1, 0), 0), ("RIGHTPADDING", (1, 0), (1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)))
    t.keepWithNext = 0
    return t

