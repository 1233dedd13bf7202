"""The PDF preview: made off the GUI thread with progress and cancel, then saved or printed."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
import shiboken6
from PySide6.QtCore import QRect, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageRanges, QPageSize
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.ui.dialogs import pdf_preview
from ovop_desktop.ui.dialogs.pdf_preview import (
    PdfPreviewDialog,
    State,
    fit_rect,
    pages_to_print,
)
from ovop_desktop.ui.workers import TaskRunner

WAIT = 10_000


def make_pdf(pages: int = 3, size: tuple[float, float] = A4) -> bytes:
    """A small real PDF: one scorecard-like page of text per page."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawString(72, 770, f"Kartu nilai OVOP — halaman {n}")
        pdf.setFont("Helvetica", 11)
        for line in range(30):
            pdf.drawString(72, 730 - 20 * line, f"Kriteria {line + 1}: skor {(line + n) % 5 + 1}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


PDF = make_pdf()


class Cancelled(Exception):  # noqa: N818 - stands in for ovop_desktop.services.printing's
    """Not the dialog's own class: the dialog recognises cancellation by the class name."""


def instant(data: bytes = PDF) -> Callable[..., bytes]:
    def produce(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> bytes:
        progress(1, 1)
        return data
    return produce


class Slow:
    """A producer that reports progress and checks `cancelled()` until told to stop."""

    def __init__(self, exc: type[BaseException] | None = Cancelled, total: int = 1000) -> None:
        self.exc, self.total = exc, total
        self.started = threading.Event()
        self.saw_cancel = threading.Event()
        self.release = threading.Event()  # lets a producer that ignores cancel finish
        self.thread: str | None = None

    def __call__(self, progress: Callable[[int, int], None],
                 cancelled: Callable[[], bool]) -> bytes:
        self.thread = threading.current_thread().name
        for done in range(self.total):
            progress(done, self.total)
            self.started.set()
            if cancelled():
                self.saw_cancel.set()
                if self.exc is not None:
                    raise self.exc()
                self.release.wait(WAIT / 1000)
                return PDF  # finished anyway
            if self.release.wait(0.005):
                return PDF
        return PDF


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    assert tasks.wait_all(WAIT)


def open_dialog(qtbot, runner: TaskRunner, produce: Callable[..., bytes],
                register: bool = True) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(None, "Kartu nilai", produce, "kartu-nilai", runner)
    if register:
        qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def ready_dialog(qtbot, runner: TaskRunner, data: bytes = PDF) -> PdfPreviewDialog:
    dialog = open_dialog(qtbot, runner, instant(data))
    qtbot.waitUntil(lambda: dialog.state is State.READY, timeout=WAIT)
    return dialog


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def page_text(dialog: PdfPreviewDialog, page: int, pages: int) -> str:
    return _("Page {page} of {pages}").format(page=page, pages=pages)


# -- preview -------------------------------------------------------------------------------

def test_the_preview_shows_every_page_and_turns_them(qtbot, runner: TaskRunner,
                                                     shots: Path) -> None:
    dialog = ready_dialog(qtbot, runner)

    assert dialog.page_count == 3
    assert dialog.document.pageCount() == 3
    assert dialog.view.pageMode() == QPdfView.PageMode.MultiPage
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.page_label.text() == page_text(dialog, 1, 3)
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    assert dialog.stack.currentIndex() == 1
    assert dialog.grab().save(str(shots / "pdf-preview.png"))

    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: dialog.page_label.text() == page_text(dialog, 2, 3), timeout=WAIT)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)  # stays on the last page
    qtbot.waitUntil(lambda: dialog.page_label.text() == page_text(dialog, 3, 3), timeout=WAIT)
    assert not dialog.next_button.isEnabled()
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_PageUp)  # from a button too
    qtbot.waitUntil(lambda: dialog.page_label.text() == page_text(dialog, 2, 3), timeout=WAIT)
    dialog.prev_button.click()
    qtbot.waitUntil(lambda: dialog.page_label.text() == page_text(dialog, 1, 3), timeout=WAIT)


def test_zoom_in_out_and_back_to_fit_width(qtbot, runner: TaskRunner) -> None:
    dialog = ready_dialog(qtbot, runner)

    dialog.zoom_in_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    zoomed = dialog.view.zoomFactor()
    dialog.zoom_out_button.click()
    assert dialog.view.zoomFactor() == pytest.approx(zoomed / pdf_preview.ZOOM_STEP)
    assert not dialog.fit_button.isChecked()
    dialog.fit_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.fit_button.isChecked()


def test_progress_shows_n_of_total_while_the_document_is_made(qtbot,
                                                              runner: TaskRunner) -> None:
    slow = Slow(total=7)
    dialog = open_dialog(qtbot, runner, slow)
    assert dialog.state is State.PRODUCING
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert dialog.message.text() == _("Preparing the document…")

    qtbot.waitUntil(lambda: dialog.progress.maximum() == 7, timeout=WAIT)
    assert dialog.progress_label.text() == _("{done} of {total}").format(
        done=dialog.progress.value(), total=7)
    slow.release.set()
    qtbot.waitUntil(lambda: dialog.state is State.READY, timeout=WAIT)
    assert slow.thread != threading.current_thread().name  # never on the GUI thread


# -- saving --------------------------------------------------------------------------------

def test_save_writes_exactly_the_pdf_to_the_chosen_path(qtbot, runner: TaskRunner,
                                                        tmp_path: Path) -> None:
    dialog = ready_dialog(qtbot, runner)
    target = tmp_path / "out" / "kartu-nilai.pdf"
    dialog._ask_save_path = lambda: target  # type: ignore[method-assign]

    with qtbot.waitSignal(dialog.saved, timeout=WAIT) as saved:
        dialog.save_button.click()

    assert saved.args == [str(target)]
    assert target.read_bytes() == PDF
    assert dialog.status_label.text() == _("Saved to {path}.").format(path=target)
    assert dialog.save_button.isEnabled()


def test_an_unwritable_path_shows_a_readable_message_and_writes_nothing(
        qtbot, runner: TaskRunner, tmp_path: Path, english: None) -> None:
    dialog = ready_dialog(qtbot, runner)
    folder = tmp_path / "usb"
    folder.mkdir()
    blocker = folder / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    target = blocker / "kartu-nilai.pdf"
    dialog._ask_save_path = lambda: target  # type: ignore[method-assign]

    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Could not save"),
                    timeout=WAIT)

    assert str(target) in dialog.status_label.text()
    assert "Nothing was saved" in dialog.status_label.text()
    assert "Traceback" not in dialog.status_label.text()
    assert [p.name for p in folder.iterdir()] == ["not-a-folder"]  # not even a temp file
    # Still usable: another place works.
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    good = tmp_path / "kartu-nilai.pdf"
    dialog._ask_save_path = lambda: good  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save_button.click()
    assert good.read_bytes() == PDF


def test_the_save_dialog_suggests_the_name_and_adds_pdf(qtbot, runner: TaskRunner,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = ready_dialog(qtbot, runner)
    asked: list[str] = []

    def get_save_file_name(parent: object, caption: str, start: str,
                           filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(tmp_path / "hasil"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)
    assert dialog._ask_save_path() == tmp_path / "hasil.pdf"
    assert Path(asked[0]).name == "kartu-nilai.pdf"


def test_save_dialog_cancelled_does_nothing(qtbot, runner: TaskRunner) -> None:
    dialog = ready_dialog(qtbot, runner)
    dialog._ask_save_path = lambda: None  # type: ignore[method-assign]
    assert not dialog.save()
    assert not dialog.saving and dialog.status_label.isHidden()


# -- printing ------------------------------------------------------------------------------

def test_print_renders_every_page(qtbot, runner: TaskRunner, tmp_path: Path) -> None:
    dialog = ready_dialog(qtbot, runner)
    output = tmp_path / "printed.pdf"
    dialog._ask_printer = lambda: pdf_printer(output)  # type: ignore[method-assign]

    with qtbot.waitSignal(dialog.printed, timeout=WAIT) as printed:
        dialog.print_button.click()

    assert printed.args == [3]
    assert len(pypdf.PdfReader(output).pages) == 3
    assert dialog.status_label.text() == _("Pages sent to the printer: {n}.").format(n=3)
    assert dialog.print_row.isHidden()
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()


def test_a_page_range_prints_only_those_pages(qtbot, runner: TaskRunner,
                                              tmp_path: Path) -> None:
    dialog = ready_dialog(qtbot, runner)
    output = tmp_path / "pages-2-3.pdf"

    def ask() -> QPrinter:
        printer = pdf_printer(output)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        ranges = QPageRanges()
        ranges.addRange(2, 3)
        printer.setPageRanges(ranges)
        return printer

    dialog._ask_printer = ask  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.printed, timeout=WAIT):
        dialog.print_button.click()

    assert dialog.print_job is not None and dialog.print_job.pages == [1, 2]
    assert len(pypdf.PdfReader(output).pages) == 2


def test_cancelling_a_print_leaves_no_half_printed_file(qtbot, runner: TaskRunner,
                                                        tmp_path: Path) -> None:
    dialog = ready_dialog(qtbot, runner)
    output = tmp_path / "cancelled.pdf"
    dialog._ask_printer = lambda: pdf_printer(output)  # type: ignore[method-assign]

    assert dialog.print_document()
    assert not dialog.print_button.isEnabled()
    dialog.print_cancel_button.click()  # before the first page is painted
    qtbot.waitUntil(lambda: dialog.print_job is not None and not dialog.print_job.running,
                    timeout=WAIT)

    assert dialog.status_label.text() == _("Printing was cancelled.")
    assert not output.exists()
    assert dialog.print_button.isEnabled()


def test_a_printer_that_cannot_start_says_so(qtbot, runner: TaskRunner,
                                             tmp_path: Path) -> None:
    dialog = ready_dialog(qtbot, runner)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    dialog._ask_printer = lambda: pdf_printer(blocker / "x.pdf")  # type: ignore[method-assign]

    assert not dialog.print_document()

    assert dialog.status_label.text() == _("The printer could not be started. Check that it "
                                           "is switched on and connected, then try again.")
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()


def test_print_dialog_cancelled_does_nothing(qtbot, runner: TaskRunner) -> None:
    dialog = ready_dialog(qtbot, runner)
    dialog._ask_printer = lambda: None  # type: ignore[method-assign]
    assert not dialog.print_document()
    assert dialog.print_job is None


def test_the_print_dialog_is_set_up_for_the_document(qtbot, runner: TaskRunner,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = ready_dialog(qtbot, runner, make_pdf(2, landscape(A4)))
    seen: list[tuple[int, int]] = []

    def exec_(self: QPrintDialog) -> int:
        seen.append((self.minPage(), self.maxPage()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    printer = dialog._ask_printer()

    assert printer is not None and seen == [(1, 2)]
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert dialog._ask_printer() is None


def test_pages_to_print_follows_the_print_dialog(qtbot) -> None:
    printer = QPrinter()
    assert pages_to_print(printer, 3, 0) == [0, 1, 2]
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert pages_to_print(printer, 3, 1) == [1]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(3, 9)  # beyond the end: only what exists
    assert pages_to_print(printer, 3, 0) == [2]
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert pages_to_print(printer, 3, 0) == [2, 1, 0]


def test_a_landscape_page_keeps_its_aspect_ratio_on_portrait_paper() -> None:
    area = QRect(0, 0, 1000, 1414)
    target = fit_rect(QSizeF(842, 595), area)
    assert target.width() == 1000
    assert target.width() / target.height() == pytest.approx(842 / 595, rel=0.01)
    assert area.contains(target) and target.center().y() == pytest.approx(707, abs=1)
    assert fit_rect(QSizeF(*landscape(A4)), area).width() == 1000


# -- cancel, failure, closing --------------------------------------------------------------

@pytest.mark.parametrize("exc", [Cancelled, pdf_preview.Cancelled, None],
                         ids=["printing-Cancelled", "dialog-Cancelled", "finishes-anyway"])
def test_cancel_during_a_slow_producer_ends_cancelled(qtbot, runner: TaskRunner,
                                                      exc: type[Exception] | None) -> None:
    slow = Slow(exc)
    dialog = open_dialog(qtbot, runner, slow)
    try:
        assert slow.started.wait(WAIT / 1000)
        with qtbot.waitSignal(dialog.cancelled, timeout=WAIT):
            dialog.cancel_button.click()
            if exc is None:
                slow.release.set()  # it ignores cancel and returns its bytes anyway
    finally:
        slow.release.set()

    assert slow.saw_cancel.is_set() or exc is None
    assert dialog.state is State.CANCELLED
    assert dialog.message.text() == _("Cancelled")
    assert dialog.stack.currentIndex() == 0
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert dialog.close_button.isEnabled()
    assert dialog.pdf == b"" and dialog.page_count == 0


def test_a_user_facing_error_shows_its_message(qtbot, runner: TaskRunner) -> None:
    message = "Belum ada kartu nilai untuk dicetak."

    def produce(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> bytes:
        raise UserFacingError(message)

    dialog = open_dialog(qtbot, runner, produce)
    qtbot.waitUntil(lambda: dialog.state is State.FAILED, timeout=WAIT)

    assert dialog.message.text() == message
    assert dialog.message.isVisible() and dialog.progress.isHidden()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()


def test_a_bug_or_a_broken_pdf_fails_readably(qtbot, runner: TaskRunner) -> None:
    def produce(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> bytes:
        raise KeyError("candidate")

    dialog = open_dialog(qtbot, runner, produce)
    qtbot.waitUntil(lambda: dialog.state is State.FAILED, timeout=WAIT)
    assert dialog.message.text() == _("Something went wrong inside OVOP Desktop. "
                                      "Your saved data is safe.")
    assert dialog.hint.text() == "KeyError: 'candidate'"  # for the bug report

    broken = open_dialog(qtbot, runner, instant(b"%PDF-1.4 not really"))
    qtbot.waitUntil(lambda: broken.state is State.FAILED, timeout=WAIT)
    assert broken.message.text() == _("The document could not be shown: the PDF is not "
                                      "readable.")
    assert not broken.save_button.isEnabled()


def test_closing_while_producing_cancels_and_does_not_crash(qtbot,
                                                            runner: TaskRunner) -> None:
    slow = Slow()
    dialog = open_dialog(qtbot, runner, slow)
    assert slow.started.wait(WAIT / 1000)

    dialog.close()

    assert slow.saw_cancel.wait(WAIT / 1000)
    assert runner.wait_all(WAIT)
    qtbot.wait(20)  # let the late failure signal arrive at the closed dialog
    assert dialog.state is State.PRODUCING and not dialog.isVisible()


def test_a_deleted_dialog_ignores_a_late_result(qtbot, runner: TaskRunner) -> None:
    slow = Slow(exc=None)  # ignores cancel and returns its bytes later
    dialog = open_dialog(qtbot, runner, slow, register=False)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    assert slow.started.wait(WAIT / 1000)

    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT)
    slow.release.set()

    assert slow.saw_cancel.wait(WAIT / 1000)
    assert runner.wait_all(WAIT)
    qtbot.wait(20)  # the finished signal is delivered to nobody


def test_closing_while_printing_stops_the_printer(qtbot, runner: TaskRunner,
                                                  tmp_path: Path) -> None:
    dialog = ready_dialog(qtbot, runner)
    output = tmp_path / "closing.pdf"
    dialog._ask_printer = lambda: pdf_printer(output)  # type: ignore[method-assign]
    assert dialog.print_document()

    dialog.close()

    assert dialog.print_job is not None and not dialog.print_job.running
    assert not output.exists()
