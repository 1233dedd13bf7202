"""Results charts painted with QPainter (PySide6-Essentials has no QtCharts).

Each chart takes plain Python values through `set_data`, paints itself at any size in
device-independent pixels (hi-DPI safe), and renders to PNG for screenshots and printing.
The geometry lives in small pure functions so tests can check where things land.
Colours are chosen to stay distinct when printed in grey: the star classes go from dark
(3★) to white with hatching (no star), and every filled shape has an outline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language

LOW, HIGH = 0.0, 100.0  # totals
BIN_WIDTH = 5.0

INK = QColor("#1f1f1f")
MUTED = QColor("#5f5f5f")
GRID = QColor("#d9d9d9")
PAPER = QColor("#ffffff")
HISTOGRAM = QColor("#4a7fb0")
THRESHOLD = QColor("#b2182b")
LENIENT = QColor("#92c5de")   # light: prints pale grey
HARSH = QColor("#67001f")     # dark: prints near black
STAR_COLOURS: dict[int, QColor] = {3: QColor("#08306b"), 2: QColor("#3d7fbf"),
                                   1: QColor("#a6cbe6"), 0: QColor("#ffffff")}
STARS = (3, 2, 1, 0)


def star_label(star: int) -> str:
    return _("No star") if star == 0 else f"{star}★"


# -- pure geometry ---------------------------------------------------------------------------


def x_of(value: float, left: float, width: float, low: float = LOW, high: float = HIGH) -> float:
    """Where `value` lands on a horizontal axis from `low` at `left` to `high` at left+width."""
    value = min(max(value, low), high)
    return left + (value - low) / (high - low) * width


def threshold_marks(thresholds: Sequence[float], left: float, width: float,
                    low: float = LOW, high: float = HIGH) -> list[tuple[str, float]]:
    """[("3★", x), ("2★", x), ("1★", x)] for the round's thresholds (3★, 2★, 1★)."""
    return [(f"{star}★", x_of(t, left, width, low, high))
            for star, t in zip((3, 2, 1), thresholds, strict=True)]


def histogram(totals: Sequence[float], bin_width: float = BIN_WIDTH,
              low: float = LOW, high: float = HIGH) -> list[int]:
    """Counts per bin [low, low+w), …; the top value (100) goes in the last bin."""
    bins = max(1, math.ceil((high - low) / bin_width))
    counts = [0] * bins
    for total in totals:
        if total is None or not math.isfinite(total):
            continue
        index = int((min(max(total, low), high) - low) // bin_width)
        counts[min(index, bins - 1)] += 1
    return counts


def nice_step(span: float, ticks: int = 5) -> float:
    """A 1-2-5 step that divides `span` into about `ticks` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, ticks)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def nice_limit(value: float, ticks: int = 4) -> tuple[float, float]:
    """(limit, step): the smallest multiple of a 1-2-5 step at or above `value` (at least 1)."""
    value = max(abs(value), 1.0)
    step = nice_step(value, ticks)
    return math.ceil(value / step - 1e-9) * step, step


def spread_labels(spans: Sequence[tuple[float, float]], low: float, high: float,
                  gap: float = 4.0) -> list[tuple[float, float]] | None:
    """Move labels [x0, x1] sideways, as little as needed, so that none overlap and all stay
    within [low, high]; None when they cannot all fit on one line."""
    order = sorted(range(len(spans)), key=lambda k: (spans[k][0] + spans[k][1]) / 2)
    widths = [spans[k][1] - spans[k][0] for k in order]
    if sum(widths) + gap * max(0, len(widths) - 1) > high - low + 1e-9:
        return None
    starts = []
    end = low - gap
    for k, w in zip(order, widths, strict=True):
        start = max(spans[k][0], end + gap, low)
        starts.append(start)
        end = start + w
    limit = high
    for i in range(len(starts) - 1, -1, -1):  # push back from the right edge
        starts[i] = min(starts[i], limit - widths[i])
        limit = starts[i] - gap
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(spans)
    for k, start, w in zip(order, starts, widths, strict=True):
        out[k] = (start, start + w)
    return out


def offset_bar(offset: float, centre: float, half_width: float,
               limit: float) -> tuple[float, float]:
    """(x0, x1) of an offset bar drawn from the zero line: right when lenient, left when harsh."""
    end = centre + max(-1.0, min(1.0, offset / limit)) * half_width if limit > 0 else centre
    return (min(centre, end), max(centre, end))


def province_order(counts: Mapping[str, Mapping[int | None, int]]
                   ) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Provinces with classified candidates, most first (then by name): (name, (3, 2, 1, 0))."""
    rows = [(name, tuple(int(c.get(s, 0)) for s in STARS)) for name, c in counts.items()]
    rows = [(n, c) for n, c in rows if sum(c) > 0]
    rows.sort(key=lambda r: (-sum(r[1]), -r[1][0], -r[1][1], r[0].casefold()))
    return rows  # type: ignore[return-value]


def segments(counts: Sequence[int], left: float, width: float,
             maximum: float) -> list[tuple[float, float]]:
    """(x0, x1) of each stacked segment, the bar's full length being `maximum`."""
    out, x = [], left
    for n in counts:
        w = n / maximum * width if maximum > 0 else 0.0
        out.append((x, x + w))
        x += w
    return out


def number(value: float, places: int = 1) -> str:
    """A number the way the current language writes decimals (Indonesian: comma)."""
    text = f"{value:.{places}f}"
    if text.startswith("-"):
        text = "\u2212" + text[1:]  # a real minus sign
    return text.replace(".", ",") if places and current_language() == "id" else text


# -- the widget base ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fonts:
    base: float  # pixels
    title: QFont
    text: QFont
    bold: QFont
    small: QFont

    @property
    def line(self) -> float:
        return QFontMetricsF(self.text).height()

    @property
    def small_line(self) -> float:
        return QFontMetricsF(self.small).height()


class ChartWidget(QWidget):
    """Paints on white "paper", so the screen, the PNG and the printed report look alike."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(320)
        self.setAutoFillBackground(False)

    # Subclasses: title(), is_empty, preferred_height(width), paint_chart(painter, rect, fonts)

    def title(self) -> str:
        raise NotImplementedError

    @property
    def is_empty(self) -> bool:
        raise NotImplementedError

    def empty_text(self) -> str:
        return _("No results yet")

    def preferred_height(self, width: float) -> float:
        raise NotImplementedError

    def paint_chart(self, p: QPainter, rect: QRectF, f: _Fonts) -> None:
        raise NotImplementedError

    # -- shared machinery ---------------------------------------------------------------

    def fonts(self) -> _Fonts:
        """Pixel-sized fonts from the widget's font, so any paint device measures alike."""
        base = float(max(12, QFontInfo(self.font()).pixelSize()))

        def font(scale: float, bold: bool = False) -> QFont:
            f = QFont(self.font())
            f.setPixelSize(round(base * scale))
            f.setBold(bold)
            return f

        return _Fonts(base, font(1.2, True), font(1.0), font(1.0, True), font(0.88))

    def _data_changed(self) -> None:
        self._fit_height()
        self.updateGeometry()
        self.update()

    def _fit_height(self) -> None:
        height = math.ceil(self.preferred_height(max(self.width(), 320)))
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()  # wrapped text may need more lines at a narrower width

    def sizeHint(self) -> QSize:
        width = 760
        return QSize(width, math.ceil(self.preferred_height(width)))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.render_into(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def render_into(self, p: QPainter, rect: QRectF) -> None:
        """Paint the whole chart into `rect` of any painter (widget, image, printer)."""
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(rect, PAPER)
        f = self.fonts()
        body = self.body_rect(rect, f)
        title = QRectF(body.left(), rect.top() + f.base * 0.75, body.width(),
                       QFontMetricsF(f.title).height())
        p.setFont(f.title)
        p.setPen(INK)
        p.drawText(title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetricsF(f.title).elidedText(self.title(), Qt.TextElideMode.ElideRight,
                                                     title.width()))
        if self.is_empty:
            p.setFont(f.text)
            p.setPen(MUTED)
            p.drawText(body, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.empty_text())
        elif body.width() > 40 and body.height() > 20:
            self.paint_chart(p, body, f)
        p.restore()

    @staticmethod
    def body_rect(rect: QRectF, f: _Fonts) -> QRectF:
        """Where the chart goes inside `rect`: below the title, inside the margins."""
        pad = f.base
        title_h = QFontMetricsF(f.title).height()
        return rect.adjusted(pad, pad * 0.75 + title_h + pad * 0.5, -pad, -pad * 0.75)

    def render_png(self, path: Path | str, size: QSize | tuple[int, int] = (900, 500),
                   scale: float = 2.0) -> Path:
        """Save the chart as a PNG of `size` logical pixels at `scale` device pixels each."""
        w, h = (size.width(), size.height()) if isinstance(size, QSize) else size
        image = QImage(max(1, round(w * scale)), max(1, round(h * scale)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)
        image.fill(PAPER)
        painter = QPainter(image)
        try:
            self.render_into(painter, QRectF(0, 0, w, h))
        finally:
            painter.end()
        target = Path(path)
        if not image.save(str(target), "PNG"):
            raise UserFacingError(_("Could not save the image to {path}.").format(path=target))
        return target

    # -- drawing helpers ----------------------------------------------------------------

    @staticmethod
    def _text(p: QPainter, font: QFont, colour: QColor, rect: QRectF,
              flags: Qt.AlignmentFlag, text: str, elide: bool = True) -> None:
        p.setFont(font)
        p.setPen(colour)
        if elide:
            text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight,
                                                  max(0.0, rect.width()))
        p.drawText(rect, flags, text)

    @staticmethod
    def _label_width(font: QFont, texts: Sequence[str], limit: float) -> float:
        metrics = QFontMetricsF(font)
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0.0)
        return min(widest, limit)

    def axis_title(self) -> str:
        return ""

    def _axis_block(self, f: _Fonts, body_width: float) -> float:
        """Height under the plot: tick labels, then the axis title (wrapped when narrow)."""
        return f.small_line * 1.6 + _wrapped_height(f.small, self.axis_title(), body_width) + 2

    def _draw_axis_title(self, p: QPainter, body: QRectF, left: float, width: float,
                         bottom: float, f: _Fonts) -> None:
        text = self.axis_title()
        if QFontMetricsF(f.small).horizontalAdvance(text) > width:  # too long under the plot
            left, width = body.left(), body.width()
        box = QRectF(left, bottom + f.small_line * 1.6, width,
                     _wrapped_height(f.small, text, body.width()) + 2)
        self._text(p, f.small, INK, box, Qt.AlignmentFlag.AlignHCenter
                   | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, text, elide=False)

    def _swatch(self, p: QPainter, rect: QRectF, colour: QColor, hatch: bool = False) -> None:
        p.setPen(QPen(INK, 1.0))
        p.setBrush(colour)
        p.drawRect(rect)
        if hatch:
            p.setBrush(QBrush(MUTED, Qt.BrushStyle.BDiagPattern))
            p.drawRect(rect)
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _legend(self, p: QPainter | None, x: float, y: float, width: float, f: _Fonts,
                items: Sequence[tuple[str, QColor, bool]]) -> float:
        """Swatches with labels, wrapping to new lines; returns the height used (without a
        painter it only measures)."""
        metrics = QFontMetricsF(f.small)
        box = f.small_line * 0.8
        cx, cy = x, y
        for label, colour, hatch in items:
            w = box + f.base * 0.4 + metrics.horizontalAdvance(label) + f.base * 1.2
            if cx > x and cx + w > x + width:
                cx, cy = x, cy + f.small_line * 1.3
            if p is None:
                cx += w
                continue
            self._swatch(p, QRectF(cx, cy + (f.small_line - box) / 2, box, box), colour, hatch)
            self._text(p, f.small, INK, QRectF(cx + box + f.base * 0.4, cy, w, f.small_line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label,
                       elide=False)
            cx += w
        return cy - y + f.small_line

    def _x_axis(self, p: QPainter, left: float, width: float, y: float, f: _Fonts,
                ticks: Sequence[tuple[float, str]], top: float) -> None:
        """Grid lines from `top` to the axis at `y`, tick labels below it."""
        metrics = QFontMetricsF(f.small)
        for x, label in ticks:
            p.setPen(QPen(GRID, 1.0))
            p.drawLine(QPointF(x, top), QPointF(x, y))
            p.setPen(QPen(INK, 1.0))
            p.drawLine(QPointF(x, y), QPointF(x, y + f.base * 0.3))
            w = metrics.horizontalAdvance(label) + 4
            self._text(p, f.small, INK, QRectF(x - w / 2, y + f.base * 0.35, w, f.small_line),
                       Qt.AlignmentFlag.AlignCenter, label, elide=False)
        p.setPen(QPen(INK, 1.0))
        p.drawLine(QPointF(left, y), QPointF(left + width, y))


def _wrapped_height(font: QFont, text: str, width: float) -> float:
    if not text:
        return 0.0
    rect = QFontMetricsF(font).boundingRect(QRectF(0, 0, max(1.0, width), 10_000),
                                            int(Qt.TextFlag.TextWordWrap), text)
    return rect.height()


# -- (1) distribution of totals ------------------------------------------------------------


class DistributionChart(ChartWidget):
    """One small histogram of totals (5-point bins, 0–100) per commodity, with the round's
    threshold lines across all rows, labelled 3★/2★/1★."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("distributionChart")
        self.series: list[tuple[str, list[float]]] = []
        self.incomplete: dict[str, int] = {}
        self.thresholds: tuple[float, float, float] = (80.0, 65.0, 50.0)
        self._fit_height()

    def set_data(self, series: Sequence[tuple[str, Sequence[float]]],
                 thresholds: Sequence[float], incomplete: Mapping[str, int] | None = None
                 ) -> None:
        """series: (label, totals of the classified candidates) per commodity, in order;
        thresholds: (3★, 2★, 1★); incomplete: label → candidates not yet classified."""
        self.series = [(label, [float(t) for t in totals if t is not None])
                       for label, totals in series]
        three, two, one = (float(t) for t in thresholds)
        self.thresholds = (three, two, one)
        self.incomplete = dict(incomplete or {})
        self._data_changed()

    def title(self) -> str:
        return _("Distribution of totals per commodity")

    @property
    def is_empty(self) -> bool:
        return not any(totals for _label, totals in self.series)

    def empty_text(self) -> str:
        return _("No results yet: no candidate has a complete score.")

    def _row_height(self, f: _Fonts) -> float:
        return max(f.line * 3.4, 54.0)

    def axis_title(self) -> str:
        return _("Total (0–100), bars of 5 points; the number above a bar counts candidates")

    def preferred_height(self, width: float) -> float:
        f = self.fonts()
        body = self.body_rect(QRectF(0, 0, width, 10_000), f)
        head = body.top() + f.base * 0.75
        if self.is_empty:
            return head + f.line * 4
        left, plot_w, top, bottom = self.layout(body, f)
        return (top + len(self.series) * self._row_height(f) + (body.bottom() - bottom)
                + f.base * 0.75)

    def _plot_x(self, rect: QRectF, f: _Fonts) -> tuple[float, float]:
        labels = [label for label, _t in self.series]
        label_w = self._label_width(f.bold, labels, rect.width() * 0.3) + f.base
        label_w = max(label_w, self._label_width(f.small, ["n = 000"], 200) + f.base)
        return rect.left() + label_w, rect.width() - label_w - f.base * 0.6

    def threshold_labels(self, left: float, width: float, f: _Fonts
                         ) -> list[tuple[str, float, tuple[float, float]]]:
        """(text, line x, label span) per threshold: "3★ ≥ 80", or just "3★" when the full
        labels cannot sit side by side; labels are moved apart, never overlapped."""
        metrics = QFontMetricsF(f.bold)
        marks = threshold_marks(self.thresholds, left, width)
        full = [f"{label} ≥ {number(t, 0) if t == int(t) else number(t)}"
                for (label, _x), t in zip(marks, self.thresholds, strict=True)]
        low, high = left - f.base, left + width + f.base * 0.6
        spans: list[tuple[float, float]] | None = None
        texts = full
        for texts in (full, [label for label, _x in marks]):
            wanted = [(x - (metrics.horizontalAdvance(t) + 6) / 2,
                       x + (metrics.horizontalAdvance(t) + 6) / 2)
                      for (_l, x), t in zip(marks, texts, strict=True)]
            spans = spread_labels(wanted, low, high)
            if spans is not None:
                break
        if spans is None:  # absurdly narrow: overlap rather than vanish
            spans = [(x - 10, x + 10) for _l, x in marks]
        return [(t, x, span) for t, (_l, x), span in zip(texts, marks, spans, strict=True)]

    def _label_band(self, f: _Fonts) -> float:
        """Room above the plot for the threshold labels and their leaders."""
        return f.small_line * 1.25 + f.base * 0.7

    def layout(self, rect: QRectF, f: _Fonts) -> tuple[float, float, float, float]:
        """(plot left, plot width, plot top, plot bottom) inside `rect` (the chart body)."""
        left, width = self._plot_x(rect, f)
        top = round(rect.top() + self._label_band(f))
        bottom = round(rect.bottom() - self._axis_block(f, rect.width()))
        return left, width, top, bottom

    def threshold_positions(self, width: float, height: float) -> list[tuple[str, float]]:
        """[("3★", x), …] where the threshold lines are painted in a chart of this size."""
        f = self.fonts()
        left, plot_w, _top, _bottom = self.layout(
            self.body_rect(QRectF(0, 0, width, height), f), f)
        return threshold_marks(self.thresholds, left, plot_w)

    def paint_chart(self, p: QPainter, rect: QRectF, f: _Fonts) -> None:
        left, width, top, bottom = self.layout(rect, f)
        rows = max(1, len(self.series))
        row_h = (bottom - top) / rows
        ticks = [(x_of(v, left, width), str(v)) for v in range(0, 101, 10)]
        self._x_axis(p, left, width, bottom, f, ticks, top)
        small = QFontMetricsF(f.small)
        for i, (label, totals) in enumerate(self.series):
            # whole pixels: every baseline and separator equally crisp
            y0, base_y = round(top + i * row_h), round(top + (i + 1) * row_h)
            if i:
                p.setPen(QPen(GRID, 1.0))
                p.drawLine(QPointF(rect.left(), y0), QPointF(left + width, y0))
            # Row label: commodity, then how many are shown (and how many are not yet)
            self._text(p, f.bold, INK, QRectF(rect.left(), y0 + 4, left - rect.left() - 8,
                                              f.line), Qt.AlignmentFlag.AlignLeft, label)
            count = f"n = {len(totals)}"
            waiting = self.incomplete.get(label, 0)
            lines = [count] + ([_("{n} incomplete").format(n=waiting)] if waiting else [])
            for k, line in enumerate(lines):
                self._text(p, f.small, MUTED,
                           QRectF(rect.left(), y0 + 4 + f.line + k * f.small_line,
                                  left - rect.left() - 8, f.small_line),
                           Qt.AlignmentFlag.AlignLeft, line)
            counts = histogram(totals)
            peak = max(counts) or 1
            usable = row_h - small.height() - 8
            for b, n in enumerate(counts):
                if not n:
                    continue
                x0 = x_of(b * BIN_WIDTH, left, width) + 1
                x1 = x_of((b + 1) * BIN_WIDTH, left, width) - 1
                h = max(2.0, n / peak * usable)
                p.setPen(QPen(INK, 0.8))
                p.setBrush(HISTOGRAM)
                p.drawRect(QRectF(x0, base_y - h, max(1.0, x1 - x0), h))
                text = str(n)
                if small.horizontalAdvance(text) <= x1 - x0 + 1:
                    self._text(p, f.small, INK, QRectF(x0 - 6, base_y - h - small.height(),
                                                       x1 - x0 + 12, small.height()),
                               Qt.AlignmentFlag.AlignCenter, text, elide=False)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(INK, 1.0))
            p.drawLine(QPointF(left, base_y), QPointF(left + width, base_y))
        self._thresholds(p, left, width, top, bottom, f)
        self._draw_axis_title(p, rect, left, width, bottom, f)

    def _thresholds(self, p: QPainter, left: float, width: float, top: float, bottom: float,
                    f: _Fonts) -> None:
        label_h = f.small_line * 1.25
        label_top = top - self._label_band(f)
        dashed = QPen(THRESHOLD, 1.6, Qt.PenStyle.DashLine)
        for text, x, (x0, x1) in self.threshold_labels(left, width, f):
            p.setPen(dashed)
            p.drawLine(QPointF(x, top), QPointF(x, bottom))
            p.setPen(QPen(THRESHOLD, 1.2))  # leader from the label to its line
            p.drawLine(QPointF((x0 + x1) / 2, label_top + label_h), QPointF(x, top))
            self._text(p, f.bold, THRESHOLD, QRectF(x0, label_top, x1 - x0, label_h),
                       Qt.AlignmentFlag.AlignCenter, text, elide=False)


# -- (2) assessor offsets ------------------------------------------------------------------


class OffsetChart(ChartWidget):
    """Each estimable assessor's severity offset in points of the total, centred at zero:
    lenient to the right, harsh to the left; the others are listed by name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offsetChart")
        self.offsets: list[tuple[str, float]] = []
        self.not_estimable: list[str] = []
        self._fit_height()

    def set_data(self, offsets: Sequence[tuple[str, float]],
                 not_estimable: Sequence[str] = ()) -> None:
        """offsets: (assessor name, offset in points; positive = lenient);
        not_estimable: names of the assessors whose offset cannot be estimated."""
        self.offsets = sorted(((n, float(o)) for n, o in offsets),
                              key=lambda r: (-r[1], r[0].casefold()))
        self.not_estimable = sorted(not_estimable, key=str.casefold)
        self._data_changed()

    def title(self) -> str:
        return _("Assessor offsets (severity)")

    @property
    def is_empty(self) -> bool:
        return not self.offsets and not self.not_estimable

    def empty_text(self) -> str:
        return _("No results yet: no assessor's scores have been received.")

    def axis_title(self) -> str:
        return _("Offset in points of the total (0 = the panel's level)")

    def not_estimable_text(self) -> str:
        if not self.not_estimable:
            return ""
        return _("Not estimable (too few candidates shared with other assessors): "
                 "{names}").format(names=", ".join(self.not_estimable))

    def _row_height(self, f: _Fonts) -> float:
        return f.line * 1.7

    def preferred_height(self, width: float) -> float:
        f = self.fonts()
        head = QFontMetricsF(f.title).height() + f.base * 2
        if self.is_empty:
            return head + f.line * 4
        body_w = width - f.base * 2
        note = _wrapped_height(f.text, self.not_estimable_text(), body_w)
        plot = (f.small_line * 1.6 + len(self.offsets) * self._row_height(f)
                + self._axis_block(f, body_w)) if self.offsets else f.line * 1.5
        return head + plot + note + f.base * 0.6 + f.base

    def limit(self) -> tuple[float, float]:
        """(axis limit, tick step): symmetric, so zero stays in the middle."""
        return nice_limit(max((abs(o) for _n, o in self.offsets), default=1.0))

    def paint_chart(self, p: QPainter, rect: QRectF, f: _Fonts) -> None:
        note = self.not_estimable_text()
        note_h = _wrapped_height(f.text, note, rect.width())
        if self.offsets:
            self._bars(p, rect.adjusted(0, 0, 0, -(note_h + (f.base * 0.6 if note else 0))), f)
        else:
            self._text(p, f.text, MUTED, QRectF(rect.left(), rect.top(), rect.width(), f.line),
                       Qt.AlignmentFlag.AlignLeft,
                       _("No assessor shares enough candidates for an offset yet."))
        if note:
            self._text(p, f.text, INK, QRectF(rect.left(), rect.bottom() - note_h,
                                              rect.width(), note_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, note, elide=False)

    def _bars(self, p: QPainter, rect: QRectF, f: _Fonts) -> None:
        small = QFontMetricsF(f.small)
        names = [n for n, _o in self.offsets]
        label_w = self._label_width(f.text, names, rect.width() * 0.32) + f.base
        value_w = small.horizontalAdvance("+00,0") + f.base * 0.6
        left = rect.left() + label_w + value_w
        width = max(20.0, rect.right() - value_w - left)
        centre, half = left + width / 2, width / 2
        limit, step = self.limit()
        top = rect.top() + f.small_line * 1.6
        bottom = rect.bottom() - self._axis_block(f, rect.width())
        row_h = (bottom - top) / len(self.offsets)
        # direction hints above the plot
        self._text(p, f.small, MUTED, QRectF(left, rect.top(), half - 4, f.small_line),
                   Qt.AlignmentFlag.AlignLeft, "← " + _("harsher than the panel"))
        self._text(p, f.small, MUTED, QRectF(centre + 4, rect.top(), half - 4, f.small_line),
                   Qt.AlignmentFlag.AlignRight, _("more lenient than the panel") + " →")
        ticks = []
        k = -round(limit / step)
        while k * step <= limit + 1e-9:
            v = k * step
            label = ("+" if v > 0 else "") + number(v, 0 if step >= 1 else 1)
            ticks.append((centre + v / limit * half, label))
            k += 1
        self._x_axis(p, left, width, bottom, f, ticks, top)
        bar_h = min(row_h * 0.62, f.line * 1.1)
        for i, (name, offset) in enumerate(self.offsets):
            y = top + i * row_h
            mid = y + row_h / 2
            self._text(p, f.text, INK, QRectF(rect.left(), y, label_w - f.base * 0.5, row_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            x0, x1 = offset_bar(offset, centre, half, limit)
            p.setPen(QPen(INK, 0.8))
            p.setBrush(LENIENT if offset >= 0 else HARSH)
            p.drawRect(QRectF(x0, mid - bar_h / 2, max(1.0, x1 - x0), bar_h))
            text = ("+" if offset > 0 else "") + number(offset)
            if offset >= 0:
                box = QRectF(x1 + 4, y, value_w, row_h)
                align = Qt.AlignmentFlag.AlignLeft
            else:
                box = QRectF(x0 - 4 - value_w, y, value_w, row_h)
                align = Qt.AlignmentFlag.AlignRight
            self._text(p, f.small, INK, box, align | Qt.AlignmentFlag.AlignVCenter, text,
                       elide=False)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(INK, 1.4))
        p.drawLine(QPointF(centre, top - 2), QPointF(centre, bottom))
        self._draw_axis_title(p, rect, left, width, bottom, f)


# -- (3) stars per province ----------------------------------------------------------------


class ProvinceStarsChart(ChartWidget):
    """Stacked bars 3★/2★/1★/no star per province, provinces with most candidates first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceStarsChart")
        self.rows: list[tuple[str, tuple[int, int, int, int]]] = []
        self._fit_height()

    def set_data(self, counts: Mapping[str, Mapping[int | None, int]]) -> None:
        """counts: province name → {3: n, 2: n, 1: n, 0: n} (a None key — incomplete — is
        ignored), as domain.results.star_counts(…, by="province") gives."""
        self.rows = province_order(counts)
        self._data_changed()

    def title(self) -> str:
        return _("Stars per province")

    def axis_title(self) -> str:
        return _("Classified candidates")

    def legend_items(self) -> list[tuple[str, QColor, bool]]:
        return [(star_label(s), STAR_COLOURS[s], s == 0) for s in STARS]

    def _legend_height(self, f: _Fonts, width: float) -> float:
        return self._legend(None, 0, 0, width, f, self.legend_items())

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def empty_text(self) -> str:
        return _("No results yet: no candidate has been classified.")

    def _row_height(self, f: _Fonts) -> float:
        return f.line * 1.55

    def preferred_height(self, width: float) -> float:
        f = self.fonts()
        head = QFontMetricsF(f.title).height() + f.base * 2
        if self.is_empty:
            return head + f.line * 4
        body_w = width - f.base * 2
        return (head + self._legend_height(f, body_w) + f.base * 0.6
                + len(self.rows) * self._row_height(f) + self._axis_block(f, body_w) + f.base)

    def paint_chart(self, p: QPainter, rect: QRectF, f: _Fonts) -> None:
        small = QFontMetricsF(f.small)
        legend_h = self._legend(p, rect.left(), rect.top(), rect.width(), f,
                                self.legend_items())
        names = [n for n, _c in self.rows]
        label_w = self._label_width(f.text, names, rect.width() * 0.34) + f.base
        total_w = small.horizontalAdvance("0000") + f.base * 0.6
        left = rect.left() + label_w
        width = max(20.0, rect.right() - total_w - left)
        top = rect.top() + legend_h + f.base * 0.6
        bottom = rect.bottom() - self._axis_block(f, rect.width())
        row_h = (bottom - top) / len(self.rows)
        limit, step = nice_limit(max(sum(c) for _n, c in self.rows), 5)
        step = max(1.0, step)
        ticks = [(x_of(v * step, left, width, 0, limit), str(int(v * step)))
                 for v in range(int(limit // step) + 1)]
        self._x_axis(p, left, width, bottom, f, ticks, top)
        bar_h = min(row_h * 0.68, f.line * 1.15)
        for i, (name, counts) in enumerate(self.rows):
            y = top + i * row_h
            mid = y + row_h / 2
            self._text(p, f.text, INK, QRectF(rect.left(), y, label_w - f.base * 0.5, row_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            for star, n, (x0, x1) in zip(STARS, counts, segments(counts, left, width, limit),
                                         strict=True):
                if not n:
                    continue
                box = QRectF(x0, mid - bar_h / 2, x1 - x0, bar_h)
                self._swatch(p, box, STAR_COLOURS[star], hatch=star == 0)
                text = str(n)
                text_w = small.horizontalAdvance(text) + 4
                if text_w <= box.width():
                    if star == 0:  # a clear patch in the hatching, so the number reads
                        patch = min(box.width() - 2, text_w + f.base)
                        p.fillRect(QRectF(box.center().x() - patch / 2, mid - small.height() / 2,
                                          patch, small.height()), PAPER)
                    colour = PAPER if star in (3, 2) else INK
                    self._text(p, f.small, colour, box, Qt.AlignmentFlag.AlignCenter, text,
                               elide=False)
            end = left + sum(counts) / limit * width
            self._text(p, f.small, INK, QRectF(end + 4, y, total_w, row_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       str(sum(counts)), elide=False)
        self._draw_axis_title(p, rect, left, width, bottom, f)
