"""Every printed document: made off the GUI thread, previewed in the app, then saved or printed.

A *producer* builds the PDF on a pool thread:

    produce(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> bytes

It reports `progress(done, total)` as it goes, checks `cancelled()` between units of work
(a scorecard, a page) and, when that is true, raises an exception whose class is named
``Cancelled`` — `Cancelled` below, or ``ovop_desktop.services.printing.Cancelled``; only the
class name is compared, so the printing services need not import the UI. A UserFacingError's
message is shown as it is; any other exception is a bug and is shown as one.

The preview is a QPdfView over a QPdfDocument. Printing rasterises each page with QtPdf and
paints it on a QPrinter, one page per event-loop turn, so a thousand pages keep the window
responsive and can be cancelled.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from enum import Enum
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMargins,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write
from ovop_desktop.ui.workers import ServiceTask, TaskRunner

Progress = Callable[[int, int], None]
Producer = Callable[[Progress, Callable[[], bool]], bytes]

PDF_FILTER = "{pdf} (*.pdf);;{all} (*)"
PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress signals a second reach the GUI thread
MAX_PRINT_DPI = 300  # a 1200-dpi A4 page would be a 550 MB image; 300 dpi prints text crisply
ZOOM_STEP, ZOOM_MIN, ZOOM_MAX = 1.25, 0.25, 4.0

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1b7a3d;"
HINT_STYLE = "color: #666;"
# The grey QPdfView lays the pages on, with a white card where the first page will be.
DESK_STYLE = ("QFrame#statusPage { background: palette(dark); }"
              " QFrame#statusCard { background: palette(base); border: 1px solid palette(mid);"
              " border-radius: 6px; }")


class Cancelled(Exception):  # noqa: N818 - the contract names it so
    """What a producer raises when `cancelled()` became true (any class of this name works)."""


def is_cancellation(exc: BaseException) -> bool:
    return any(cls.__name__ == "Cancelled" for cls in type(exc).__mro__)


def produce_on_worker(produce: Producer, cancelled: Callable[[], bool],
                      progress: Progress) -> bytes:
    """Runs on a pool thread. Progress is thinned out so that a producer reporting every line
    cannot flood the GUI thread's event queue; the first and the last report always pass."""
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done <= 0 or done >= total or now - last >= PROGRESS_INTERVAL_S:
            last = now
            progress(done, total)

    data = produce(report, cancelled)
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"the producer returned {type(data).__name__}, not PDF bytes")
    return bytes(data)


def error_parts(exc: BaseException) -> tuple[str, str]:
    """(message, technical detail): the user's own message, or a plain 'this is a bug'
    with the exception as the detail for a bug report."""
    if isinstance(exc, ValidationError) and exc.problems:
        return exc.message + "\n" + "\n".join(f"• {p}" for p in exc.problems), ""
    if isinstance(exc, UserFacingError):
        return exc.message, ""
    return (_("Something went wrong inside OVOP Desktop. Your saved data is safe."),
            f"{type(exc).__name__}: {exc}")


def error_text(exc: BaseException) -> str:
    return "\n".join(part for part in error_parts(exc) if part)


def fit_rect(page: QSizeF, area: QRect) -> QRect:
    """The largest rectangle with the page's aspect ratio inside `area`, centred in it."""
    if page.width() <= 0 or page.height() <= 0 or area.isEmpty():
        return QRect(area)
    scale = min(area.width() / page.width(), area.height() / page.height())
    size = QSize(max(1, round(page.width() * scale)), max(1, round(page.height() * scale)))
    return QRect(area.x() + (area.width() - size.width()) // 2,
                 area.y() + (area.height() - size.height()) // 2, size.width(), size.height())


def pages_to_print(printer: QPrinter, page_count: int, current_page: int) -> list[int]:
    """0-based page numbers the print dialog asked for, in order, copies included when the
    print system cannot make copies itself (then Qt leaves them to the application)."""
    if printer.printRange() == QPrinter.PrintRange.CurrentPage:
        pages = [current_page]
    elif (printer.printRange() == QPrinter.PrintRange.PageRange
          and not printer.pageRanges().isEmpty()):
        ranges = printer.pageRanges()
        pages = [p - 1 for p in range(1, page_count + 1) if ranges.contains(p)]
    else:
        pages = list(range(page_count))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if copies > 1:
        pages = pages * copies if printer.collateCopies() else [p for p in pages
                                                                 for _i in range(copies)]
    return pages


def paint_page(painter: QPainter, document: QPdfDocument, page: int, max_scale: float) -> None:
    """One PDF page, rasterised at up to the printer's resolution, fitted (aspect kept) into
    the printable area that `painter` (begun on a QPrinter) covers."""
    target = fit_rect(document.pagePointSize(page), painter.viewport())
    scale = min(1.0, max_scale)
    pixels = QSize(max(1, round(target.width() * scale)), max(1, round(target.height() * scale)))
    rendered = document.render(page, pixels)
    if rendered.isNull():  # out of memory, or pdfium could not draw it: never a blank page
        raise RuntimeError(f"page {page + 1} could not be rendered at {pixels.toTuple()}")
    # QtPdf leaves the paper transparent; printers and PDF writers want an opaque page.
    flat = QImage(rendered.size(), QImage.Format.Format_RGB32)
    flat.fill(Qt.GlobalColor.white)
    composer = QPainter(flat)
    try:
        composer.drawImage(0, 0, rendered)
    finally:
        composer.end()
    painter.drawImage(QRectF(target), flat)


class PrintJob(QObject):
    """Paints pages on a printer one event-loop turn at a time (QPainter and QtPdf stay on
    the GUI thread, the window stays responsive). progress(done, total) · finished(printed,
    cancelled) · failed(message)."""

    progress = Signal(int, int)
    finished = Signal(int, bool)
    failed = Signal(str)

    def __init__(self, document: QPdfDocument, printer: QPrinter, pages: list[int],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.printer, self.pages = document, printer, list(pages)
        self.printed = 0
        self.running = False
        self._cancel = False
        self._painter = QPainter()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> bool:
        if not self._painter.begin(self.printer):
            return False
        self._painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.running = True
        self._timer.start()
        return True

    def cancel(self) -> None:
        """Stop after the page being painted now."""
        self._cancel = True

    def stop_now(self) -> None:
        """Cancel and end the painter at once (the window is closing)."""
        self._cancel = True
        self._end()

    def _on_timer_timeout(self) -> None:
        if self._cancel:
            self._end()
            return
        if self.printed and not self.printer.newPage():
            self._end(_("The printer stopped responding. Check it, then print again."))
            return
        max_scale = MAX_PRINT_DPI / max(1, self.printer.resolution())
        try:
            paint_page(self._painter, self.document, self.pages[self.printed], max_scale)
        except Exception as exc:  # a slot must not raise; the painter must still be ended
            self._end(error_text(exc))
            return
        self.printed += 1
        self.progress.emit(self.printed, len(self.pages))
        if self.printed == len(self.pages):
            self._end()

    def _end(self, failure: str | None = None) -> None:
        self._timer.stop()
        if not self.running:
            return
        self.running = False
        stopped = self._cancel or failure is not None
        if stopped:
            self.printer.abort()  # a real queue drops the job; the PDF writer cannot abort
        self._painter.end()
        output = self.printer.outputFileName()
        if (stopped and output
                and self.printer.outputFormat() == QPrinter.OutputFormat.PdfFormat):
            with contextlib.suppress(OSError):
                os.unlink(output)  # "print to file" leaves no half-printed file behind
        if failure is not None:
            self.failed.emit(failure)
        else:
            self.finished.emit(self.printed, self._cancel)


class _PageView(QPdfView):
    """PageUp/PageDown go to the previous/next page instead of scrolling by one screen."""

    page_key = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.page_key.emit(-1 if event.key() == Qt.Key.Key_PageUp else 1)
            event.accept()
        else:
            super().keyPressEvent(event)


class State(Enum):
    PRODUCING = "producing"
    READY = "ready"
    CANCELLED = "cancelled"
    FAILED = "failed"


def _alive(ref: weakref.ref[PdfPreviewDialog]) -> PdfPreviewDialog | None:
    """The dialog, unless it was closed (then a late result has nobody to go to)."""
    dialog = ref()
    if dialog is None or not shiboken6.isValid(dialog) or dialog.closed:
        return None
    return dialog


class PdfPreviewDialog(QDialog):
    """Makes the document with `produce` on `runner`, shows it, saves it, prints it.

    ready(page_count) · saved(path) · printed(pages) · cancelled() · failed(message).
    Tests replace `_ask_save_path` and `_ask_printer` instead of driving system dialogs.
    """

    ready = Signal(int)
    saved = Signal(str)
    printed = Signal(int)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, title: str, produce: Producer,
                 suggested_name: str, runner: TaskRunner) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("pdfPreviewDialog")
        self._produce = produce
        self._runner = runner
        self.suggested_name = suggested_name if suggested_name.lower().endswith(".pdf") \
            else f"{suggested_name}.pdf"
        self.state = State.PRODUCING
        self.closed = False
        self.pdf: bytes = b""
        self.saving = False
        self.print_job: PrintJob | None = None
        self._cancel = threading.Event()
        self.destroyed.connect(self._cancel.set)  # freed without done(): stop the producer too
        self._buffer: QBuffer | None = None  # QPdfDocument reads from it: keep it alive

        self.document = QPdfDocument(self)
        self.document.statusChanged.connect(self._on_document_statusChanged)

        self.stack = QStackedWidget(objectName="previewStack")
        self.stack.addWidget(self._build_status_page())
        self.stack.addWidget(self._build_preview_page())

        self.status_label = QLabel(objectName="statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        self.print_progress = QProgressBar(objectName="printProgress")
        self.print_progress.setTextVisible(False)
        self.print_label = QLabel(objectName="printLabel")
        self.print_cancel_button = QPushButton(_("Cancel"), objectName="cancelPrintButton")
        self.print_cancel_button.clicked.connect(self._on_print_cancel_button_clicked)
        self.print_row = QWidget(objectName="printRow")
        print_layout = QHBoxLayout(self.print_row)
        print_layout.setContentsMargins(0, 0, 0, 0)
        print_layout.addWidget(self.print_label)
        print_layout.addWidget(self.print_progress, 1)
        print_layout.addWidget(self.print_cancel_button)
        self.print_row.hide()

        self.save_button = QPushButton(_("Save as PDF…"), objectName="savePdfButton")
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.print_button = QPushButton(_("Print…"), objectName="printButton")
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.close_button = QPushButton(_("Close"), objectName="closeButton")
        self.close_button.clicked.connect(self.reject)
        for button in (self.save_button, self.print_button, self.close_button):
            button.setAutoDefault(False)  # Enter in the preview must not save or close
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.print_row)
        layout.addLayout(buttons)
        self._size_to_screen()
        self._update_buttons()
        self._start_producing()

    # -- layout ----------------------------------------------------------------------------

    def _build_status_page(self) -> QWidget:
        """Shown while the document is made, and after a cancel or a failure: a card on the
        same grey desk the pages will lie on, so the window does not look empty."""
        page = QFrame(objectName="statusPage")
        page.setFrameShape(QFrame.Shape.StyledPanel)
        page.setFrameShadow(QFrame.Shadow.Sunken)
        page.setStyleSheet(DESK_STYLE)
        card = QFrame(objectName="statusCard")
        card.setMinimumWidth(340)
        card.setMaximumWidth(480)
        self.doc_title = QLabel(self.windowTitle(), objectName="documentTitle")
        self.doc_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.doc_title.setWordWrap(True)
        font = self.doc_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.doc_title.setFont(font)
        self.message = QLabel(_("Preparing the document…"), objectName="productionMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(objectName="productionHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.hide()
        self.progress = QProgressBar(objectName="productionProgress")
        self.progress.setRange(0, 0)  # busy until the producer says how much there is
        self.progress.setTextVisible(False)
        self.progress_label = QLabel(objectName="progressLabel")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_label.setStyleSheet(HINT_STYLE)
        self.cancel_button = QPushButton(_("Cancel"), objectName="cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        inner.addWidget(self.doc_title)
        inner.addWidget(self.message)
        inner.addWidget(self.hint)
        inner.addWidget(self.progress)
        inner.addWidget(self.progress_label)
        inner.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)
        return page

    def _build_preview_page(self) -> QWidget:
        page = QWidget(objectName="previewPage")
        self.view = _PageView(objectName="pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setDocumentMargins(QMargins(12, 12, 12, 12))
        self.view.page_key.connect(self.go_to_relative_page)
        self.navigator = self.view.pageNavigator()
        self.navigator.currentPageChanged.connect(self._update_page_label)

        style = self.style()
        self.prev_button = self._tool(style.standardIcon(QStyle.StandardPixmap.SP_ArrowUp), "",
                                      _("Previous page (Page Up)"), "previousPageButton",
                                      lambda: self.go_to_relative_page(-1))
        self.next_button = self._tool(style.standardIcon(QStyle.StandardPixmap.SP_ArrowDown),
                                      "", _("Next page (Page Down)"), "nextPageButton",
                                      lambda: self.go_to_relative_page(1))
        self.page_label = QLabel(objectName="pageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_out_button = self._tool(None, "−", _("Zoom out"), "zoomOutButton",
                                          lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button = self._tool(None, "+", _("Zoom in"), "zoomInButton",
                                         lambda: self.zoom_by(ZOOM_STEP))
        self.fit_button = self._tool(None, _("Fit width"), _("Fit width"), "fitWidthButton",
                                     self.fit_width)
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        for keys, action in ((QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),
                             (QKeySequence.StandardKey.ZoomOut,
                              lambda: self.zoom_by(1 / ZOOM_STEP))):
            QShortcut(QKeySequence(keys), self, activated=action)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        return page

    @staticmethod
    def _tool(icon: QIcon | None, text: str, tip: str, name: str,
              slot: Callable[[], object]) -> QToolButton:
        button = QToolButton(objectName=name)
        if icon is not None:
            button.setIcon(icon)
        if text:
            button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _size_to_screen(self) -> None:
        """A page's width readable at once; never larger than the screen."""
        screen = (self.parentWidget().screen() if self.parentWidget() is not None
                  else QGuiApplication.primaryScreen())
        width, height = 860, 940
        if screen is not None:
            area = screen.availableGeometry()
            width = min(width, int(area.width() * 0.9))
            height = min(height, int(area.height() * 0.9))
        self.resize(width, height)

    # -- making the document ---------------------------------------------------------------

    def _start_producing(self) -> None:
        ref = weakref.ref(self)

        def on_progress(done: int, total: int) -> None:
            if (dialog := _alive(ref)) is not None:
                dialog._on_progress(done, total)

        def on_finished(data: bytes) -> None:
            if (dialog := _alive(ref)) is not None:
                dialog._on_produced(data)

        def on_failed(exc: Exception) -> None:
            if (dialog := _alive(ref)) is not None:
                dialog._on_production_failed(exc)

        # Only the event goes to the worker, never the dialog: a late result cannot touch it.
        task = ServiceTask(produce_on_worker, with_progress=True, produce=self._produce,
                           cancelled=self._cancel.is_set)
        task.signals.progress.connect(on_progress)
        self._runner.start(task, on_finished, on_failed)

    def cancel(self) -> None:
        """Ask the producer to stop at its next check; the dialog then shows 'Cancelled'."""
        if self.state is not State.PRODUCING or self._cancel.is_set():
            return
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.message.setText(_("Cancelling…"))

    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        if self.state is not State.PRODUCING or self._cancel.is_set():
            return
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress_label.setText(_("{done} of {total}").format(done=done, total=total))

    def _on_produced(self, data: bytes) -> None:
        if self.state is not State.PRODUCING:
            return
        if self._cancel.is_set():  # finished anyway, but the user no longer wants it
            self._show_cancelled()
            return
        if not data:
            self._show_failure(_("The document could not be shown: the PDF is not readable."))
            return
        self.pdf = data
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)  # Ready/Error arrive through statusChanged

    def _on_document_statusChanged(self, status: QPdfDocument.Status) -> None:
        if self.state is not State.PRODUCING or not self.pdf:
            return
        if status == QPdfDocument.Status.Ready:
            if self.document.pageCount() < 1:
                self._show_failure(_("The document has no pages."))
                return
            self.state = State.READY
            self.stack.setCurrentIndex(1)
            count = self.document.pageCount()
            widest = _("Page {page} of {pages}").format(page=count, pages=count)
            self.page_label.setMinimumWidth(  # the arrows do not move while paging
                self.page_label.fontMetrics().horizontalAdvance(widest) + 8)
            self._update_page_label()
            self._update_buttons()
            self.view.setFocus()
            self.ready.emit(self.document.pageCount())
        elif status == QPdfDocument.Status.Error:
            self._show_failure(_("The document could not be shown: the PDF is not readable."))

    def _on_production_failed(self, exc: Exception) -> None:
        if self.state is not State.PRODUCING:
            return
        if is_cancellation(exc):
            self._show_cancelled()
        else:
            self._show_failure(*error_parts(exc))

    def _show_cancelled(self) -> None:
        self._end_production(State.CANCELLED, _("Cancelled"), "")
        self.hint.setText(_("Nothing was saved or printed."))
        self.hint.show()
        self.cancelled.emit()

    def _show_failure(self, text: str, detail: str = "") -> None:
        self._end_production(State.FAILED, text, ERROR_STYLE)
        self.hint.setText(detail)
        self.hint.setVisible(bool(detail))
        self.failed.emit(text)

    def _end_production(self, state: State, text: str, style: str) -> None:
        self.state = state
        self.pdf = b""
        self.document.close()
        self._buffer = None
        self.stack.setCurrentIndex(0)
        self.message.setText(text)
        self.message.setStyleSheet(style)
        self.progress.hide()
        self.progress_label.hide()
        self.cancel_button.hide()
        self._update_buttons()
        self.close_button.setFocus()

    # -- viewing ---------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.state is State.READY else 0

    @property
    def current_page(self) -> int:
        """0-based, the page at the top of the view."""
        return self.navigator.currentPage()

    def go_to_page(self, page: int) -> None:
        if self.page_count:
            page = max(0, min(page, self.page_count - 1))
            self.navigator.jump(page, QPointF(), self.navigator.currentZoom())
            self._update_page_label()

    def go_to_relative_page(self, step: int) -> None:
        self.go_to_page(self.current_page + step)

    def zoom_by(self, factor: float) -> None:
        if not self.page_count:
            return
        current = (self.view.zoomFactor() if self.view.zoomMode() == QPdfView.ZoomMode.Custom
                   else self._fit_width_factor())
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, current * factor)))
        self.fit_button.setChecked(False)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.fit_button.setChecked(True)

    def _fit_width_factor(self) -> float:
        """The zoom that FitToWidth shows now (QPdfView does not report it)."""
        margins = self.view.documentMargins()
        available = self.view.viewport().width() - margins.left() - margins.right()
        points = self.document.pagePointSize(max(0, self.current_page)).width()
        pixels = points * self.view.logicalDpiX() / 72
        return available / pixels if pixels > 0 and available > 0 else 1.0

    def _update_page_label(self, *_args: object) -> None:
        count = self.page_count
        page = min(self.current_page + 1, count)
        self.page_label.setText(_("Page {page} of {pages}").format(page=page, pages=count))
        self.prev_button.setEnabled(page > 1)
        self.next_button.setEnabled(page < count)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Focus on a button: PageUp/PageDown still turn the pages.
        if self.page_count and event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.go_to_relative_page(-1 if event.key() == Qt.Key.Key_PageUp else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _update_buttons(self) -> None:
        ready = self.state is State.READY
        printing = self.print_job is not None and self.print_job.running
        self.save_button.setEnabled(ready and not self.saving and not printing)
        self.print_button.setEnabled(ready and not printing)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            button.setEnabled(ready)

    def _show_status(self, text: str, style: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)
        self.status_label.setVisible(bool(text))

    # -- saving ----------------------------------------------------------------------------

    def _ask_save_path(self) -> Path | None:
        """Where to save; None if the user changed their mind. Tests replace this."""
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(Path.home() / self.suggested_name),
            PDF_FILTER.format(pdf=_("PDF documents"), all=_("All files")))
        if not path:
            return None
        result = Path(path)
        return result if result.suffix.lower() == ".pdf" else result.with_name(
            result.name + ".pdf")

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Ask where, then write the PDF there atomically on a pool thread; `saved` says when."""
        if self.state is not State.READY or self.saving:
            return False
        path = self._ask_save_path()
        if path is None:
            return False
        self.saving = True
        self._update_buttons()
        self._show_status(_("Saving…"), HINT_STYLE)
        ref = weakref.ref(self)

        def on_finished(_result: object) -> None:
            if (dialog := _alive(ref)) is not None:
                dialog._on_save_done(path, None)

        def on_failed(exc: Exception) -> None:
            if (dialog := _alive(ref)) is not None:
                dialog._on_save_done(path, exc)

        self._runner.start(ServiceTask(atomic_write, path=path, data=self.pdf),
                           on_finished, on_failed)
        return True

    def _on_save_done(self, path: Path, exc: Exception | None) -> None:
        self.saving = False
        self._update_buttons()
        if exc is None:
            self._show_status(_("Saved to {path}.").format(path=path), OK_STYLE)
            self.saved.emit(str(path))
        else:
            self._show_status(error_text(exc), ERROR_STYLE)

    # -- printing --------------------------------------------------------------------------

    def _ask_printer(self) -> QPrinter | None:
        """The system print dialog over a printer set up for this document; None if the user
        cancelled it. Tests replace this with a configured QPrinter."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        first = self.document.pagePointSize(0)
        standard = QPageSize(first, QPageSize.Unit.Point, "",
                             QPageSize.SizeMatchPolicy.FuzzyOrientationMatch)
        if standard.id() != QPageSize.PageSizeId.Custom:
            printer.setPageSize(QPageSize(standard.id()))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape
                                   if first.width() > first.height()
                                   else QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintSelection, False)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def _on_print_button_clicked(self) -> None:
        self.print_document()

    def print_document(self) -> bool:
        """Ask for a printer and pages, then print them; `printed` says when."""
        if self.state is not State.READY or (self.print_job and self.print_job.running):
            return False
        printer = self._ask_printer()
        if printer is None:
            return False
        pages = pages_to_print(printer, self.page_count, max(0, self.current_page))
        if not pages:
            self._show_status(_("The chosen pages are not in this document."), ERROR_STYLE)
            return False
        job = PrintJob(self.document, printer, pages, self)
        job.progress.connect(self._on_print_progress)
        job.finished.connect(self._on_print_finished)
        job.failed.connect(self._on_print_failed)
        if not job.start():
            job.deleteLater()
            self._show_status(_("The printer could not be started. Check that it is switched "
                                "on and connected, then try again."), ERROR_STYLE)
            return False
        if self.print_job is not None:
            self.print_job.deleteLater()  # the last job stays inspectable until the next one
        self.print_job = job
        self.print_progress.setRange(0, len(pages))
        self.print_progress.setValue(0)
        self._on_print_progress(0, len(pages))
        self.print_cancel_button.setEnabled(True)
        self.print_row.show()
        self._show_status("")
        self._update_buttons()
        return True

    def _on_print_progress(self, done: int, total: int) -> None:
        self.print_progress.setValue(done)
        self.print_label.setText(_("Printing page {page} of {pages}…").format(
            page=min(done + 1, total), pages=total))

    def _on_print_cancel_button_clicked(self) -> None:
        if self.print_job is not None and self.print_job.running:
            self.print_job.cancel()
            self.print_cancel_button.setEnabled(False)
            self.print_label.setText(_("Cancelling…"))

    def _on_print_finished(self, printed: int, cancelled: bool) -> None:
        self.print_row.hide()
        self._update_buttons()
        if cancelled:
            self._show_status(_("Printing was cancelled."), HINT_STYLE)
        else:
            self._show_status(_("Pages sent to the printer: {n}.").format(n=printed), OK_STYLE)
            self.printed.emit(printed)

    def _on_print_failed(self, message: str) -> None:
        self.print_row.hide()
        self._update_buttons()
        self._show_status(message, ERROR_STYLE)

    # -- closing ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing never waits: the producer is told to stop, a print job is ended, and
        whatever arrives later is dropped (see `_alive`)."""
        self.closed = True
        self._cancel.set()
        if self.print_job is not None and self.print_job.running:
            self.print_job.stop_now()
        super().done(result)
