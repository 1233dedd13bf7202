"""Drawn building blocks: stars, tick boxes, QR codes, the aspect bar chart, signature and
verification blocks. Shapes rather than font glyphs, so they print the same with any font.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table

from ovop_desktop.domain.formats import format_number
from ovop_desktop.services.printing.fonts import register_fonts
from ovop_desktop.services.printing.layout import (
    INK,
    LIGHT,
    MUTED,
    RULE,
    SHADE,
    details_table,
    fit,
    para,
    styles,
    table_style,
)

GOLD = colors.HexColor("#d4a017")
BAR = colors.HexColor("#3e6e9e")


class Stars(Flowable):
    """`n` filled and `of - n` outlined five-pointed stars, drawn as paths."""

    def __init__(self, n: int, of: int = 3, size: float = 12, gap: float = 2.5) -> None:
        super().__init__()
        if not 0 <= n <= of or of < 1:
            raise ValueError(f"stars: {n} of {of}")
        self.n, self.of, self.size, self.gap = n, of, size, gap
        self.width = of * size + (of - 1) * gap
        self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        outer, inner = self.size / 2, self.size / 2 * 0.40
        canv.saveState()
        canv.setLineWidth(0.7)
        canv.setStrokeColor(GOLD)
        for i in range(self.of):
            cx = outer + i * (self.size + self.gap)
            cy = outer * 0.95  # optically centred: a star's top point is taller than its feet
            path = canv.beginPath()
            for k in range(10):
                radius = outer if k % 2 == 0 else inner
                angle = math.pi / 2 + k * math.pi / 5
                x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
                if k == 0:
                    path.moveTo(x, y)
                else:
                    path.lineTo(x, y)
            path.close()
            canv.setFillColor(GOLD if i < self.n else colors.white)
            canv.drawPath(path, stroke=1, fill=1)
        canv.restoreState()


def stars(n: int, of: int = 3, size: float = 12) -> Stars:
    """The star class as drawn stars (n = 0: three outlines, meaning no star)."""
    return Stars(n, of, size)


class TickBox(Flowable):
    """An empty square to tick by hand, with an optional bold label beside it ("☐ 2")."""

    def __init__(self, label: str = "", size: float = 8) -> None:
        super().__init__()
        self.label, self.size = label, size
        self._font = register_fonts().bold
        self.width = size + (4 + stringWidth(label, self._font, size) if label else 0)
        self.height = size + 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.8)
        canv.rect(0, 1, self.size, self.size, stroke=1, fill=0)
        if self.label:
            canv.setFillColor(INK)
            canv.setFont(self._font, self.size)
            canv.drawString(self.size + 4, 1.5, self.label)
        canv.restoreState()


def qr_code(data: str, size: float = 35 * mm) -> Drawing:
    """A QR code (error correction M, with its quiet zone) `size` points square."""
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.initialFontName = register_fonts().regular  # no Helvetica reference in the PDF
    drawing.add(widget)
    return drawing


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. "A Produksi"
    value: float
    maximum: float  # the aspect's weight: the bar is value / maximum of the track


def bar_chart(bars: Sequence[Bar], width: float, *, language: str = "id",
              bar_height: float = 11, decimals: int = 1) -> Drawing:
    """Horizontal bars, one per aspect: label, a track as long as the maximum, "32,5 / 40"."""
    fonts = register_fonts()
    size, gap = 8, 6
    row = bar_height + gap
    height = max(1, len(bars)) * row
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular  # no Helvetica reference in the PDF
    values = [f"{format_number(b.value, decimals, language)} / "
              f"{format_number(b.maximum, 0, language)}" for b in bars]
    value_width = max((stringWidth(v, fonts.regular, size) for v in values), default=0) + 6
    label_width = min(width * 0.35, max((stringWidth(b.label, fonts.regular, size) for b in bars),
                                        default=0) + 6)
    track = max(10.0, width - label_width - value_width)
    for i, (bar, value_text) in enumerate(zip(bars, values, strict=True)):
        y = height - (i + 1) * row + gap / 2
        text_y = y + (bar_height - size) / 2 + 1
        drawing.add(String(0, text_y, fit(bar.label, fonts.regular, size, label_width - 6),
                           fontName=fonts.regular, fontSize=size, fillColor=INK))
        drawing.add(Rect(label_width, y, track, bar_height, fillColor=LIGHT, strokeColor=RULE,
                         strokeWidth=0.4))
        share = 0.0 if bar.maximum <= 0 or not math.isfinite(bar.value) else \
            min(1.0, max(0.0, bar.value / bar.maximum))
        if share:
            drawing.add(Rect(label_width, y, track * share, bar_height, fillColor=BAR,
                             strokeColor=None))
        drawing.add(String(width, text_y, value_text, fontName=fonts.regular, fontSize=size,
                           fillColor=INK, textAnchor="end"))
    return drawing


def signature_block(slots: Sequence[tuple[str, str]], width: float, *, name_label: str,
                    date_label: str, space: float = 16 * mm) -> Table:
    """One column per signer: role, room to sign, a line, then the printed name and date.

    slots: (role, name) — the name may be empty, leaving a line to write it on.
    """
    s = styles()
    n = max(1, len(slots))
    gap = 8 * mm
    col = (width - gap * (n - 1)) / n

    def across(cells: list[object]) -> list[object]:
        """The cells with an empty gap column between neighbours."""
        out: list[object] = []
        for i, cell in enumerate(cells):
            out += [cell] if i == len(cells) - 1 else [cell, ""]
        return out

    data = [
        across([para(role, s.cell_bold) for role, _name in slots]),
        across([Spacer(1, space) for _slot in slots]),
        across([para(f"{name_label}: {name}" if name else f"{name_label}:", s.cell)
                for _role, name in slots]),
        across([para(f"{date_label}:", s.cell) for _slot in slots]),
    ]
    widths = [w for i in range(n) for w in ([col, gap] if i < n - 1 else [col])]
    t = Table(data, colWidths=widths, hAlign="LEFT")
    t.setStyle(table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        *[("LINEABOVE", (2 * i, 2), (2 * i, 2), 0.7, INK) for i in range(n)],
    ))
    return t


def verification_block(title: str, rows: Sequence[tuple[str, str]], qr_payload: str,
                       width: float, *, qr_size: float = 32 * mm, note: str = "") -> Table:
    """A framed block: label/value lines (hashes, dates) beside a QR code carrying them."""
    s = styles()
    text_width = width - qr_size - 8
    inner = [para(title, s.subheading), details_table(rows, text_width, label_share=0.32)]
    if note:
        inner.append(para(note, s.hint))
    t = Table([[inner, qr_code(qr_payload, qr_size)]], colWidths=[text_width + 8, qr_size],
              hAlign="LEFT")
    t.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 0.8, MUTED),
        ("BACKGROUND", (0, 0), (-1, -1), colors.white),
        ("LINEBEFORE", (1, 0), (1, 0), 0.3, SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (0, 0), 6), ("RIGHTPADDING", (0, 0), (0, 0), 6),
        ("LEFTPADDING", (1, 0), (1, 0), 0), ("RIGHTPADDING", (1, 0), (1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ))
    return t


def hairline(width: float) -> Table:
    """A thin horizontal rule across `width` (a separator between blocks)."""
    t = Table([[""]], colWidths=[width], rowHeights=[2])
    t.setStyle(table_style(("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)))
    return t


