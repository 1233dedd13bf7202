"""Every "Print…" action of the app: the document is made on a worker from what the page
shows, previewed in the app (QtPdf), then saved or printed — the print dialog stubbed."""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest
import shiboken6
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.demo import DEMO_NAME, build_demo
from ovop_desktop.services.settings import load_settings
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext, ContextSignals
from ovop_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog, State
from ovop_desktop.ui.dialogs.settings import SettingsDialog
from ovop_desktop.ui.workers import TaskRunner

WAIT = 30_000
A4_HEIGHT, F4_HEIGHT = 841.9, 935.4  # points


# -- a scored coordinator profile: the demo with its nine assessors' bundles ----------------------

@dataclass(frozen=True)
class Scored:
    folder: Path
    round_id: int


@pytest.fixture(scope="module")
def template(module_tmp: Path) -> Iterator[Scored]:
    """Built once (about three seconds): `ovop demo` with results, a key, bundles on file."""
    folder = module_tmp / "coordinator"
    with Workspace.open(folder) as ws:
        build_demo(ws, with_results=True)
        current = ws.current_round()
        assert current is not None
        yield Scored(folder, current.id)


@pytest.fixture
def sctx(template: Scored, tmp_path: Path) -> Iterator[AppContext]:
    """A private copy of the scored profile, as a coordinator's AppContext."""
    folder = tmp_path / "scored"
    shutil.copytree(template.folder, folder)
    ws = Workspace.open(folder)
    context = AppContext(workspace=ws, tasks=TaskRunner(), signals=ContextSignals())
    try:
        yield context
    finally:
        context.tasks.wait_all()
        ws.close()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Message boxes the views would show, collected instead."""
    from ovop_desktop.ui.views import bundles, planner, results, visits

    shown: list[BaseException] = []
    for module in (bundles, planner, results, visits):
        monkeypatch.setattr(module, "show_error", lambda _p, exc, *a: shown.append(exc))
    return shown


# -- helpers -----------------------------------------------------------------------------------

def preview_of(widget: QWidget) -> PdfPreviewDialog:
    """The preview the action just opened (a child of the page, window-modal)."""
    open_ = [d for d in widget.findChildren(PdfPreviewDialog)
             if shiboken6.isValid(d) and not d.closed]
    assert len(open_) == 1, f"{len(open_)} preview dialogs are open"
    assert open_[0].isVisible() and open_[0].isModal()
    return open_[0]


def wait_ready(qtbot: Any, dialog: PdfPreviewDialog) -> PdfPreviewDialog:
    qtbot.waitUntil(lambda: dialog.state is not State.PRODUCING, timeout=WAIT)
    assert dialog.state is State.READY, (dialog.message.text(), dialog.hint.text())
    assert dialog.page_count > 0
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    return dialog


def text_of(dialog: PdfPreviewDialog) -> str:
    reader = pypdf.PdfReader(io.BytesIO(dialog.pdf))
    assert len(reader.pages) == dialog.page_count
    return "\n".join(page.extract_text() for page in reader.pages)


def page_height(dialog: PdfPreviewDialog) -> float:
    return float(pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages[0].mediabox.height)


def close(qtbot: Any, dialog: PdfPreviewDialog) -> None:
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=WAIT)  # WA_DeleteOnClose


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def results_view(qtbot: Any, ctx: AppContext) -> Any:
    from ovop_desktop.ui.views.results import ResultsView

    view = ResultsView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None and not view.busy, timeout=WAIT)
    return view


def choose_commodity(view: Any, value: str) -> None:
    view.commodity.setCurrentIndex(view.commodity.findData(value))


# -- results: scorecards, the recommendation list, Go Global -------------------------------------

def test_scorecards_of_the_shown_commodity(qtbot, sctx: AppContext, errors) -> None:
    pytest.importorskip("ovop_desktop.services.printing.scorecard")
    view = results_view(qtbot, sctx)
    report = view.data.report
    choose_commodity(view, "gerabah")
    gerabah = [r.candidate_id for r in report.rows("gerabah")]
    other = next(r.candidate_id for r in report.rows("kain_batik"))
    assert view.scorecard_button.isEnabled() and view.ranking_button.isEnabled()

    view.scorecard_button.menu().aboutToShow.emit()
    assert "Gerabah" in view.all_cards_action.text()
    view.all_cards_action.trigger()
    dialog = wait_ready(qtbot, preview_of(view))

    text = text_of(dialog)
    assert dialog.page_count >= len(gerabah)
    assert all(report.candidates[c].name in text for c in gerabah)
    assert report.candidates[other].name not in text
    assert text.count("Halaman 1 dari") == len(gerabah)  # each card numbered on its own
    assert dialog.suggested_name == "ovop-scorecards-2024-gerabah.pdf"
    assert errors == []
    close(qtbot, dialog)


def test_scorecard_of_the_selected_candidate_saves_as_pdf(qtbot, sctx: AppContext,
                                                          tmp_path: Path, shots: Path,
                                                          errors) -> None:
    pytest.importorskip("ovop_desktop.services.printing.scorecard")
    view = results_view(qtbot, sctx)
    report = view.data.report
    menu = view.scorecard_button.menu()
    menu.aboutToShow.emit()
    assert not view.selected_card_action.isEnabled()  # nothing selected yet
    first, second = (r.candidate_id for r in report.rows()[:2])
    assert view.select(first)
    menu.aboutToShow.emit()
    name = report.candidates[first].name
    assert view.selected_card_action.isEnabled()
    assert view.selected_card_action.text() == _("Selected candidate: {name}…").format(name=name)

    view.selected_card_action.trigger()
    dialog = wait_ready(qtbot, preview_of(view))

    text = text_of(dialog)
    assert name in text and report.candidates[second].name not in text
    assert "Halaman 1 dari" in text
    assert dialog.windowTitle() == _("Scorecard — {name}").format(name=name)
    assert page_height(dialog) == pytest.approx(A4_HEIGHT, abs=1)  # A4 by default
    dialog.resize(860, 940)
    qtbot.wait(300)  # QPdfView renders the visible pages
    assert dialog.grab().save(str(shots / "preview-scorecard.png"))

    target = tmp_path / "usb" / "kartu-nilai.pdf"
    dialog._ask_save_path = lambda: target  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save_button.click()
    assert target.read_bytes() == dialog.pdf
    close(qtbot, dialog)


def test_cancelling_all_scorecards_stops_the_batch(qtbot, sctx: AppContext,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   errors) -> None:
    scorecard = pytest.importorskip("ovop_desktop.services.printing.scorecard")
    real = scorecard.scorecards
    seen: dict[str, Any] = {"done": 0}
    first_card = threading.Event()

    def slow(*args: Any, progress: Callable[[int, int], None], **kwargs: Any) -> bytes:
        """The real batch, with a card every 20 ms at most: cancel has time to arrive."""
        seen["thread"] = threading.current_thread()

        def report(done: int, total: int) -> None:
            seen["done"], seen["total"] = done, total
            if done:
                first_card.set()
                threading.Event().wait(0.02)
            progress(done, total)

        try:
            return real(*args, progress=report, **kwargs)
        except Exception as exc:
            seen["raised"] = exc
            raise

    monkeypatch.setattr(scorecard, "scorecards", slow)
    view = results_view(qtbot, sctx)
    assert view.commodity.currentData() is None  # all commodities: the whole round
    total = len(view.data.report.rows())

    view.all_cards_action.trigger()
    dialog = preview_of(view)
    assert first_card.wait(WAIT / 1000)
    qtbot.waitUntil(lambda: dialog.progress.maximum() == total, timeout=WAIT)
    assert dialog.progress_label.text() == _("{done} of {total}").format(
        done=dialog.progress.value(), total=total)
    with qtbot.waitSignal(dialog.cancelled, timeout=WAIT):
        dialog.cancel_button.click()

    assert dialog.state is State.CANCELLED
    assert dialog.message.text() == _("Cancelled")
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert sctx.tasks.wait_all(WAIT)
    assert type(seen["raised"]).__name__ == "Cancelled"  # the batch itself stopped …
    assert seen["done"] < seen["total"] == total  # … long before its last card
    assert seen["thread"] is not threading.main_thread()
    close(qtbot, dialog)


def test_recommendation_list_for_the_shown_commodity(qtbot, sctx: AppContext, errors) -> None:
    pytest.importorskip("ovop_desktop.services.printing.ranking")
    view = results_view(qtbot, sctx)
    report = view.data.report
    choose_commodity(view, "kain_batik")
    top = report.rows("kain_batik")[0]

    view.ranking_button.click()
    dialog = wait_ready(qtbot, preview_of(view))

    text = text_of(dialog)
    assert report.candidates[top.candidate_id].name in text
    assert "Halaman 1 dari" in text
    assert dialog.suggested_name == "ovop-ranking-2024-kain-batik.pdf"
    close(qtbot, dialog)


def test_go_global_list_prints_the_shortlist(qtbot, sctx: AppContext, errors) -> None:
    pytest.importorskip("ovop_desktop.services.printing.go_global")
    from ovop_desktop.ui.views.go_global_tab import GoGlobalTab

    view = results_view(qtbot, sctx)
    tab = next(w for w in view.extra if isinstance(w, GoGlobalTab))
    view.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(tab.print_button.isEnabled, timeout=WAIT)
    entries = tab.model.rows()
    assert entries

    tab.print_button.click()
    dialog = wait_ready(qtbot, preview_of(tab))

    text = text_of(dialog)
    assert entries[0].facts.name in text
    assert "Halaman 1 dari" in text
    close(qtbot, dialog)


def test_a_document_this_version_lacks_says_so() -> None:
    with pytest.raises(UserFacingError) as raised:
        printing._renderer("no_such_document", "render")
    assert raised.value.message == _("This document cannot be printed in this version yet.")


# -- field forms: an assessor's visits, a coordinator's plan ------------------------------------

def test_blank_forms_for_the_selected_visit_and_for_all_visits(qtbot,
                                                               assessor_ctx: AppContext,
                                                               batik: int, errors) -> None:
    from ovop_desktop.ui.views.visits import VisitsView

    view = VisitsView(assessor_ctx)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    menu = view.print_button.menu()
    menu.aboutToShow.emit()
    assert not view.selected_form_action.isEnabled()
    assert view.select(batik)
    menu.aboutToShow.emit()
    assert view.selected_form_action.isEnabled()

    view.selected_form_action.trigger()
    dialog = wait_ready(qtbot, preview_of(view))
    text = text_of(dialog)
    assert "Batik Tulis Sekar Jagad" in text and "Kopi Cikajang" not in text
    assert "Halaman 1 dari" in text
    assert "Dr. Sri Wahyuni" in text  # the signature line names this laptop's assessor
    close(qtbot, dialog)

    assert view.print_forms() is not None  # "Forms for all my visits…"
    dialog = wait_ready(qtbot, preview_of(view))
    text = text_of(dialog)
    assert "Batik Tulis Sekar Jagad" in text and "Kopi Cikajang" in text
    assert text.count("Halaman 1 dari") == 2
    close(qtbot, dialog)
    assert errors == []


def test_no_form_for_a_candidate_this_laptop_has_a_conflict_with(qtbot,
                                                                 assessor_ctx: AppContext,
                                                                 batik: int, errors) -> None:
    from ovop_desktop.ui.views.visits import VisitsView

    assessor_ctx.workspace.planning.declare(None, batik, "Saudara kandung pemilik")
    view = VisitsView(assessor_ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    assert view.select(batik)

    assert view.print_forms(selected_only=True) is None
    assert len(errors) == 1 and "Saudara kandung pemilik" in str(errors[0])
    assert not view.findChildren(PdfPreviewDialog)


def test_planner_prints_the_selected_assessors_visits(qtbot, sctx: AppContext,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      errors) -> None:
    from ovop_desktop.ui.views import planner
    from ovop_desktop.ui.views.planner import PlannerView

    infos: list[str] = []
    monkeypatch.setattr(planner, "show_info", lambda _p, _t, text: infos.append(text))
    view = PlannerView(sctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitUntil(lambda: view.loads.rowCount() > 0, timeout=WAIT)

    assert view.print_forms() is None  # nobody chosen: the user is told where to choose
    assert len(infos) == 1 and view.tabs.currentWidget() is view.load_table

    view.load_table.selectRow(0)
    assessor_id = view.selected_assessor_id()
    ws = sctx.workspace
    assessor = ws.assessors.get(assessor_id)
    assigned = ws.assessors.assigned(ws.current_round().id, assessor_id)
    assert assigned
    view.print_button.click()
    dialog = wait_ready(qtbot, preview_of(view))

    text = text_of(dialog)
    assert text.count("Halaman 1 dari") == len(assigned)
    assert ws.candidates.get(assigned[0]).data.name in text
    assert assessor.name in text
    assert dialog.windowTitle() == _("Field forms — {assessor}").format(assessor=assessor.name)
    close(qtbot, dialog)


# -- identity, bundles, screening ----------------------------------------------------------------

def test_key_card_previews_and_prints(qtbot, sctx: AppContext, tmp_path: Path) -> None:
    from ovop_desktop.ui.views.identity import IdentityView

    view = IdentityView(sctx)
    qtbot.addWidget(view)
    assert view.identity is not None and view.print_card_button.isEnabled()

    view.print_card_button.click()
    dialog = wait_ready(qtbot, preview_of(view))

    text = text_of(dialog)
    assert DEMO_NAME in text
    assert view.identity.fingerprint.split()[0] in text
    output = tmp_path / "printed.pdf"
    dialog._ask_printer = lambda: pdf_printer(output)  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.printed, timeout=WAIT) as printed:
        dialog.print_button.click()
    assert printed.args == [dialog.page_count]
    assert len(pypdf.PdfReader(output).pages) == dialog.page_count
    close(qtbot, dialog)


def test_no_key_no_card(qtbot, ctx: AppContext) -> None:
    from ovop_desktop.ui.views.identity import IdentityView

    view = IdentityView(ctx)
    qtbot.addWidget(view)
    assert view.identity is None
    assert view.print_card() is None


def test_import_receipts_of_the_run_and_of_the_latest_day(qtbot, sctx: AppContext,
                                                          tmp_path: Path, errors) -> None:
    from ovop_desktop.ui.views.bundles import BundlesView

    view = BundlesView(sctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    on_file = sctx.workspace.bundles.list()
    menu = view.receipt_button.menu()
    menu.aboutToShow.emit()
    assert not view.run_receipt_action.isEnabled()  # no import in this session yet

    # The latest import day: the demo's bundles.
    menu.actions()[1].trigger()
    dialog = wait_ready(qtbot, preview_of(view))
    text = text_of(dialog)
    assert all(b.file_name in text.replace("\n", "") for b in on_file)
    assert "Halaman 1 dari" in text
    close(qtbot, dialog)

    # This session's run: a file that is no bundle is refused, and the receipt says so.
    junk = tmp_path / "bukan-bundel.ovopbundle"
    junk.write_bytes(b"PK\x03\x04 not really a bundle")
    with qtbot.waitSignal(view.import_finished, timeout=WAIT):
        assert view.start_import([junk])
    menu.aboutToShow.emit()
    assert view.run_receipt_action.isEnabled()
    view.run_receipt_action.trigger()
    dialog = wait_ready(qtbot, preview_of(view))
    text = text_of(dialog)
    assert "bukan-bundel.ovopbundle" in text.replace("\n", "")  # wrapped in its cell
    assert "ditolak" in text and "bukan berkas" in text  # rejected, and why
    assert on_file[0].file_name not in text.replace("\n", "")  # only this run's files
    close(qtbot, dialog)
    assert errors == []


def test_screening_summary(qtbot, ctx: AppContext) -> None:
    from ovop_desktop.ui.views.screening import ScreeningView

    view = ScreeningView(ctx)
    qtbot.addWidget(view)
    assert view.print_button.isVisibleTo(view)

    view.print_button.click()
    dialog = wait_ready(qtbot, preview_of(view))

    text = text_of(dialog)
    assert "Ringkasan seleksi administrasi" in text
    assert "Penghargaan OVOP 2024" in text
    assert "Halaman 1 dari" in text
    close(qtbot, dialog)


# -- paper size and language ---------------------------------------------------------------------

def test_the_paper_setting_and_the_ui_language_reach_the_document(qtbot, ctx: AppContext,
                                                                  english: None) -> None:
    from ovop_desktop.ui.views.screening import ScreeningView

    ws = ctx.workspace
    dialog = SettingsDialog(ws.settings.language, str(ws.paths.root), paper=ws.settings.paper)
    qtbot.addWidget(dialog)
    assert dialog.chosen_paper() == "a4"
    dialog.paper.setCurrentIndex(dialog.paper.findData("f4"))
    ws.update_settings(paper=dialog.chosen_paper())
    assert load_settings(ws.paths.settings).paper == "f4"  # kept for the next start

    view = ScreeningView(ctx)
    qtbot.addWidget(view)
    view.print_button.click()
    preview = wait_ready(qtbot, preview_of(view))

    assert page_height(preview) == pytest.approx(F4_HEIGHT, abs=1)
    text = text_of(preview)
    assert "Administrative screening summary" in text and "Page 1 of" in text
    close(qtbot, preview)


def test_unknown_paper_in_old_settings_prints_a4(ctx: AppContext) -> None:
    ctx.workspace.update_settings(paper="letter")
    assert printing.paper_of(ctx) == "a4"
    assert printing.file_name("Scorecard", 2024, "Batik <Tulis> & Co") == \
        "ovop-scorecard-2024-batik-tulis-co"
