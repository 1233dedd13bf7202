"""Pages, the header and footer every document shares, safe text and tables.

A document is a list of flowables (the "story") handed to `render()` with a `PageSpec`:
paper (A4 or F4/Folio), language, title, round, and an optional footer text (the results
receipt hash, later). Page numbers read "Halaman 3 dari 7": the canvas keeps every page
until the end, then draws header and footer on each with the total known (a one-pass
"numbered canvas"). A `SectionStart` restarts the count, so in a batch of field forms or
scorecards each candidate's pages are numbered on their own.

Text from users never reaches reportlab's paragraph parser unescaped: `para()` escapes
markup and cleans invisible characters, so `<font>`, `<img src=…>` or `&` print literally.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from ovop_desktop import __version__
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.printing.fonts import covered, register_fonts
from ovop_desktop.services.printing.translate import Translator

log = logging.getLogger(__name__)

F4 = (215 * mm, 330 * mm)  # "Folio" as Indonesian offices cut it
PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "f4": F4}
MARGIN_X = 18 * mm
MARGIN_TOP = 25 * mm  # room for the two-line header
MARGIN_BOTTOM = 20 * mm
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e4e7eb")
LIGHT = colors.HexColor("#f5f7fa")

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class Cancelled(UserFacingError):
    """The user stopped a print job; nothing was written."""

    def __init__(self) -> None:
        super().__init__(_("Printing was cancelled; nothing was saved."))


def page_size(paper: str) -> tuple[float, float]:
    """(width, height) in points for "a4" or "f4"."""
    try:
        return PAPERS[paper.strip().lower()]
    except (KeyError, AttributeError):
        raise ValidationError(_("Unknown paper size {paper!r}; use a4 or f4.").format(
            paper=paper)) from None


# -- safe text ------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_DROP = {"Cc", "Cf"}  # controls; format characters: zero-width, bidi embeddings, BOM, soft hyphen
_REPLACE = {"Co", "Cn", "Cs"}  # private use, unassigned, lone surrogates
REPLACEMENT = "\ufffd"


def safe_text(value: object) -> str:
    """Text that draws exactly as typed, minus what cannot be drawn.

    NFC first (reportlab does no mark positioning, so "e" + combining accent must become
    "é"). Zero-width and bidi control characters are REMOVED before drawing: reportlab lays
    out text left to right in logical order and would otherwise misplace or box them, so
    right-to-left names print unshaped in logical order rather than crash or break the
    layout. Characters the embedded font lacks become U+FFFD, a visible sign that
    something was there, instead of an empty box; so do characters beyond the Basic
    Multilingual Plane (emoji): reportlab writes them into the PDF's text map as invalid
    entries, which breaks copying and searching the text. Newlines are kept; tabs become
    spaces.
    """
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", "" if value is None else str(value)))
    have = covered()
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        else:
            category = unicodedata.category(ch)
            if category in _DROP:
                continue
            if category in _REPLACE or ord(ch) > 0xFFFF or ord(ch) not in have \
                    and not ch.isspace():
                out.append(REPLACEMENT)
            else:
                out.append(ch)
    return "".join(out)


def markup(value: object) -> str:
    """User text as paragraph markup that prints literally (escaped, line breaks kept)."""
    return escape(safe_text(value)).replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: markup escaped, so `<b>` or `&amp;` print as typed.

    Words longer than the space they get (a 300-character file name) are split across
    lines (the styles set splitLongWords), never drawn past the edge.
    """
    return Paragraph(markup(text), style)


def rich(template: str, style: ParagraphStyle, **values: object) -> Paragraph:
    """A paragraph from OUR markup (`template`, e.g. "<b>{name}</b>") with escaped values."""
    return Paragraph(template.format(**{k: markup(v) for k, v in values.items()}), style)


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with "…" to fit `width` (single-line places: header, chart labels)."""
    text = " ".join(safe_text(text).split())
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# -- styles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    hint: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    cell_bold_right: ParagraphStyle
    header_cell: ParagraphStyle
    header_right: ParagraphStyle
    large: ParagraphStyle
    number: ParagraphStyle
    fingerprint: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    """The documents' paragraph styles, all in the embedded font family."""
    fonts = register_fonts()

    def style(name: str, size: float, *, font: str = fonts.regular, leading: float = 0,
              **kw: Any) -> ParagraphStyle:
        kw.setdefault("textColor", INK)
        return ParagraphStyle(name, fontName=font, fontSize=size,
                              leading=leading or size * 1.25, splitLongWords=1, **kw)

    cell = style("cell", 8, leading=10)
    return Styles(
        title=style("title", 15, font=fonts.bold, leading=19, spaceAfter=4),
        heading=style("heading", 11.5, font=fonts.bold, spaceBefore=8, spaceAfter=4,
                      keepWithNext=1),
        subheading=style("subheading", 9.5, font=fonts.bold, spaceBefore=6, spaceAfter=3,
                         keepWithNext=1),
        body=style("body", 9, leading=12),
        small=style("small", 7.5, leading=9.5, textColor=MUTED),
        hint=style("hint", 7.5, font=fonts.italic, leading=9.5, textColor=MUTED),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=fonts.bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_bold_right=ParagraphStyle("cell_bold_right", parent=cell, fontName=fonts.bold,
                                       alignment=TA_RIGHT),
        header_cell=ParagraphStyle("header_cell", parent=cell, fontName=fonts.bold),
        header_right=ParagraphStyle("header_right", parent=cell, fontName=fonts.bold,
                                    alignment=TA_RIGHT),
        large=style("large", 13, font=fonts.bold, leading=17),
        number=style("number", 18, font=fonts.bold, leading=22),
        fingerprint=style("fingerprint", 17, font=fonts.bold, leading=25, alignment=TA_CENTER),
    )


# -- tables -----------------------------------------------------------------------------------

Cell = object  # str/number (escaped into a paragraph), a Flowable, a list of flowables, None


def _cell(value: Cell, style: ParagraphStyle) -> Any:
    if value is None:
        return ""
    if isinstance(value, (Flowable, list)):
        return value
    return para(value, style)


def table(rows: Sequence[Sequence[Cell]], widths: Sequence[float], *, header_rows: int = 1,
          right: Iterable[int] = (), bold_rows: Iterable[int] = (),
          extra: Sequence[tuple[Any, ...]] = (), zebra: bool = True,
          split_in_row: bool = True) -> Table:
    """A grid table whose header rows repeat on every page it spans.

    Text cells are escaped like `para()`; columns in `right` are right-aligned (numbers),
    rows in `bold_rows` bold (totals; negative indexes count from the end). A cell taller
    than a page (a 2,000-character note) is split across pages (reportlab's splitInRow)
    rather than raising a LayoutError.
    """
    s = styles()
    right = set(right)
    bold = {r % len(rows) for r in bold_rows} if rows else set()
    data = []
    for r, row in enumerate(rows):
        strong = r < header_rows or r in bold
        data.append([_cell(v, (s.header_right if c in right else s.header_cell) if strong else
                           (s.cell_right if c in right else s.cell)) for c, v in enumerate(row)])
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    if zebra:
        commands += [("BACKGROUND", (0, r), (-1, r), LIGHT)
                     for r in range(header_rows + 1, len(data), 2)]
    t = Table(data, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT",
              splitInRow=1 if split_in_row else 0)
    t.setStyle(table_style(*commands, *extra))
    return t


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A TableStyle whose cell font is ours: reportlab's default (Helvetica) would otherwise
    be set, and referenced in the PDF, for every cell, even cells holding paragraphs."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts().regular), *commands])


def details_table(pairs: Sequence[tuple[str, Cell]], width: float, *, label_share: float = 0.3,
                  columns: int = 1) -> Table:
    """Label/value pairs ("IKM name: …"), in one or two label/value column pairs."""
    s = styles()
    cells = [(para(label, s.cell_bold), _cell(value, s.cell)) for label, value in pairs]
    per_row = max(1, columns)
    rows = []
    for i in range(0, len(cells), per_row):
        chunk = cells[i:i + per_row]
        chunk += [("", "")] * (per_row - len(chunk))
        rows.append([c for pair in chunk for c in pair])
    pair_width = width / per_row
    widths = [pair_width * label_share, pair_width * (1 - label_share)] * per_row
    return table(rows, widths, header_rows=0, zebra=False, extra=[
        ("GRID", (0, 0), (-1, -1), 0.3, SHADE),
        *[("BACKGROUND", (2 * i, 0), (2 * i, -1), LIGHT) for i in range(per_row)]])


# -- markers that steer numbering and batches -----------------------------------------------


class SectionStart(Flowable):
    """Restart page numbering here ("Halaman 1 dari 3" per candidate). Start it on a new page."""

    width = height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._ovop_section = getattr(self.canv, "_ovop_section", 0) + 1  # type: ignore[attr-defined]


class Checkpoint(Flowable):
    """Reports progress when laid out and stops the build when the user cancelled."""

    width = height = 0

    def __init__(self, done: int, total: int, progress: Progress | None,
                 cancelled: IsCancelled | None) -> None:
        super().__init__()
        self._done, self._total = done, total
        self._progress, self._cancelled = progress, cancelled

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()
        return 0, 0

    def draw(self) -> None:
        if self._progress is not None:
            self._progress(self._done, self._total)


def sections(items: Sequence[Any], build: Callable[[Any], list[Flowable]], *,
             progress: Progress | None = None, cancelled: IsCancelled | None = None,
             numbered: bool = True) -> list[Flowable]:
    """The story of a batch: each item's flowables on new pages, with progress and cancel.

    `cancelled` is asked before each item is built and again while pages are laid out;
    `progress(done, total)` is called as each item's pages are finished.
    """
    story: list[Flowable] = []
    total = len(items)
    for n, item in enumerate(items):
        if cancelled is not None and cancelled():
            raise Cancelled()
        if n:
            story.append(PageBreak())
        if numbered:
            story.append(SectionStart())
        story += build(item)
        story.append(Checkpoint(n + 1, total, progress, cancelled))
    return story


# -- the page template ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSpec:
    """What the header and footer say, and the paper."""

    title: str  # the document's name, already translated ("Formulir penilaian lapangan")
    language: str = "id"
    paper: str = "a4"
    round_year: int | None = None
    round_name: str = ""
    footer_text: str = ""  # e.g. the results receipt hash; printed small on every page
    subject: str = ""
    author: str = ""
    printed_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _decorator(spec: PageSpec) -> Callable[[Canvas, int, int], None]:
    _ = Translator(spec.language)
    fonts = register_fonts()
    width, height = page_size(spec.paper)
    inner = width - 2 * MARGIN_X
    programme = _("OVOP — One Village One Product · Directorate General of IKMA, "
                  "Ministry of Industry")
    round_label = ""
    if spec.round_name:
        round_label = _("Round {year}: {name}").format(year=spec.round_year or "",
                                                        name=spec.round_name)
    printed = _("Printed {when}").format(when=_.datetime(spec.printed_at))
    page_label = _("Page {page} of {pages}")

    def decorate(canv: Canvas, page: int, pages: int) -> None:
        canv.saveState()
        top = height - 11 * mm
        canv.setFillColor(INK)
        canv.setFont(fonts.bold, 8)
        canv.drawString(MARGIN_X, top, fit(programme, fonts.bold, 8, inner))
        canv.setFont(fonts.regular, 8)
        title = fit(spec.title, fonts.regular, 8, inner * 0.45)
        canv.drawRightString(width - MARGIN_X, top - 11, title)
        if round_label:
            room = inner - stringWidth(title, fonts.regular, 8) - 12
            canv.drawString(MARGIN_X, top - 11, fit(round_label, fonts.regular, 8, room))
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, top - 16, width - MARGIN_X, top - 16)
        bottom = 12 * mm
        canv.line(MARGIN_X, bottom + 9, width - MARGIN_X, bottom + 9)
        canv.setFillColor(MUTED)
        canv.setFont(fonts.regular, 7.5)
        number = page_label.format(page=page, pages=pages)
        canv.drawRightString(width - MARGIN_X, bottom, number)
        room = inner - stringWidth(number, fonts.regular, 7.5) - 12
        canv.drawString(MARGIN_X, bottom, fit(printed, fonts.regular, 7.5, room))
        if spec.footer_text:
            canv.setFont(fonts.regular, 6.5)
            canv.drawString(MARGIN_X, bottom - 9, fit(spec.footer_text, fonts.regular, 6.5, inner))
        canv.restoreState()

    return decorate


class _NumberedCanvas(Canvas):
    """Holds every page until save(), then decorates each knowing its section's page count."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held: list[dict[str, Any]] = []
        self._ovop_section = 0

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        counts: dict[int, int] = {}
        for state in self._held:
            counts[state["_ovop_section"]] = counts.get(state["_ovop_section"], 0) + 1
        seen: dict[int, int] = {}
        for state in self._held:
            self.__dict__.update(state)
            section = state["_ovop_section"]
            seen[section] = seen.get(section, 0) + 1
            self._decorate(self, seen[section], counts[section])
            super().showPage()
        super().save()


def render(story: list[Flowable], spec: PageSpec) -> bytes:
    """Lay out `story` on the spec's paper with header and footer; the PDF's bytes."""
    fonts = register_fonts()
    size = page_size(spec.paper)
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=size, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=safe_text(spec.title),
        author=safe_text(spec.author), subject=safe_text(spec.subject),
        creator=f"OVOP Desktop {__version__}", lang=spec.language,
        initialFontName=fonts.regular)  # not Helvetica: only the embedded family is referenced
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=size)])
    decorate = _decorator(spec)
    try:
        doc.build(story or [Paragraph("", styles().body)],
                  canvasmaker=lambda *a, **kw: _NumberedCanvas(*a, decorate=decorate, **kw))
    except LayoutError as exc:
        # Every cell can split, so this is a bug; the user still gets a sentence, not a crash.
        log.error("layout failed: %s", exc)
        raise UserFacingError(_("The document could not be laid out (an item does not fit "
                                   "on a page); nothing was saved.")) from None
    return buffer.getvalue()


def frame_width(paper: str) -> float:
    """The usable width between the margins, for sizing tables."""
    return page_size(paper)[0] - 2 * MARGIN_X
