"""Seleksi administrasi: document checks decide pass/fail, the checklist editor, the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from ovop_desktop.domain.candidates import CandidateData, EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.screening import Decision, DocStatus
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs import checklist as checklist_module
from ovop_desktop.ui.dialogs import file_choice
from ovop_desktop.ui.dialogs.checklist import ChecklistDialog
from ovop_desktop.ui.views import screening_summary
from ovop_desktop.ui.views.screening import ScreeningView

REGIONS = ["32.05", "33.74", "35.07", "34.02", "52.01", "51.71", "73.71", "12.75", "63.71", "16.71"]
FOOD = (Document.SK_SENTRA, Document.NIB, Document.IZIN_EDAR, Document.HALAL)


@pytest.fixture
def round_id(ctx: AppContext) -> int:
    """A fresh current round with 30 candidates, the first of each commodity screened."""
    ws = ctx.workspace
    rid = ws.rounds.create(2026, "Screening test").id
    ws.update_settings(current_round_id=rid)
    commodities = list(Commodity)
    ws.candidates.create_many(rid, [CandidateData(
        name=f"IKM {['Sari', 'Mekar', 'Jaya', 'Lestari', 'Makmur'][i % 5]} {i:02d}",
        region_code=REGIONS[i % 10], commodity=commodities[i % 5], product="Produk unggulan",
        documents=frozenset({Document.NIB, Document.SK_SENTRA}),
        kind=EntryKind.REEVALUATION if i % 4 == 3 else EntryKind.NEW,
        previous_star=1 if i % 4 == 3 else None, previous_year=2022 if i % 4 == 3 else None)
        for i in range(30)], "test")
    for s in ws.candidates.summaries(rid)[:8]:
        for doc in ws.screening.requirements(rid)[s.commodity]:
            status = DocStatus.MISSING if s.id % 3 == 0 and doc is Document.NIB \
                else DocStatus.PRESENT
            ws.screening.set_check(s.id, doc, status)
    return rid


def open_view(qtbot, ctx: AppContext) -> ScreeningView:
    view = ScreeningView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        pass
    return view


def _candidate(ctx: AppContext, round_id: int, name: str) -> int:
    return next(s.id for s in ctx.workspace.candidates.summaries(round_id) if s.name == name)


def test_missing_fails_with_the_reason_all_present_passes(qtbot, ctx: AppContext,
                                                          round_id: int,
                                                          qtmodeltester) -> None:
    view = open_view(qtbot, ctx)
    qtmodeltester.check(view.proxy)
    food = _candidate(ctx, round_id, "IKM Sari 25")
    assert view.select(food)
    panel = view.panel
    assert set(panel.rows) == set(FOOD)  # food and drink: izin edar and halal as well
    assert panel.summary.decision is Decision.PENDING
    changes: list[object] = []
    ctx.signals.data_changed.connect(lambda: changes.append(True))
    for document in FOOD:
        panel.set_status(document, DocStatus.PRESENT)
    assert panel.summary.decision is Decision.PASSED and changes
    assert panel.decision.text() == Decision.PASSED.label
    panel.set_status(Document.HALAL, DocStatus.MISSING, note="sertifikat kedaluwarsa")
    assert panel.summary.decision is Decision.FAILED
    assert Document.HALAL.label in panel.decision.text()
    assert ctx.workspace.screening.checks(food)[Document.HALAL].note == "sertifikat kedaluwarsa"
    row = view.model.row_of(food)
    assert view.model.summary(row).decision is Decision.FAILED  # the list follows
    panel.rows[Document.HALAL].note.setText("diganti")
    panel.rows[Document.HALAL].note.editingFinished.emit()
    assert ctx.workspace.screening.checks(food)[Document.HALAL].note == "diganti"
    panel.set_status(Document.HALAL, DocStatus.INVALID)
    assert panel.summary.screening.invalid == (Document.HALAL,)


def test_list_filters_by_decision(qtbot, ctx: AppContext, round_id: int) -> None:
    view = open_view(qtbot, ctx)
    expected = {d: sum(s.decision is d for s in ctx.workspace.candidates.summaries(round_id))
                for d in Decision}
    for decision, count in expected.items():
        view.decision.setCurrentIndex(view.decision.findData(decision))
        assert view.proxy.rowCount() == count
    assert expected[Decision.PENDING] == 22 and expected[Decision.FAILED] > 0


def test_checklist_editor_changes_requirements(qtbot, ctx: AppContext, round_id: int,
                                               monkeypatch) -> None:
    dialog = ChecklistDialog(ctx, round_id)
    qtbot.addWidget(dialog)
    dialog.boxes[(Commodity.KAIN_BATIK, Document.BATIK_MARK)].setChecked(True)
    dialog.boxes[(Commodity.ANYAMAN, Document.NIB)].setChecked(False)
    dialog.boxes[(Commodity.ANYAMAN, Document.SK_SENTRA)].setChecked(False)
    assert not dialog.save_button.isEnabled() and dialog.problem.text()  # anyaman: nothing
    dialog.boxes[(Commodity.ANYAMAN, Document.MEREK_HKI)].setChecked(True)
    dialog.save_button.click()
    assert sorted(dialog.changed) == sorted([Commodity.KAIN_BATIK, Commodity.ANYAMAN])
    required = ctx.workspace.screening.requirements(round_id)
    assert Document.BATIK_MARK in required[Commodity.KAIN_BATIK]
    assert required[Commodity.ANYAMAN] == (Document.MEREK_HKI,)

    def fake_exec(d: ChecklistDialog) -> int:
        d._on_defaults_clicked()
        d._on_buttons_accepted()
        return d.result()

    monkeypatch.setattr(ChecklistDialog, "exec", fake_exec)
    monkeypatch.setattr(checklist_module, "show_error", lambda *a: pytest.fail("error"))
    view = open_view(qtbot, ctx)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.checklist_button.click()
    assert ctx.workspace.screening.requirements(round_id)[Commodity.ANYAMAN] == (
        Document.SK_SENTRA, Document.NIB)


def test_summary_matches_the_service(qtbot, ctx: AppContext, round_id: int, qtmodeltester,
                                     tmp_path: Path, monkeypatch) -> None:
    view = open_view(qtbot, ctx)
    with qtbot.waitSignal(view.summary.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(view.summary)
    panel = view.summary
    for model in (panel.failed_by, panel.by_commodity, panel.by_province):
        qtmodeltester.check(model)
    expected = ctx.workspace.screening.summary(round_id)
    assert panel.summary == expected
    p = expected.proposals
    assert [panel.figures[k].text() for k in ("proposals", "provinces", "passed", "failed",
                                              "pending", "reevaluations")] == [
        str(v) for v in (p.total, expected.provinces, p.passed, p.failed, p.pending,
                         expected.reevaluations.total)]
    assert panel.by_commodity.rowCount() == 5
    assert panel.by_province.rowCount() == len(expected.by_province)
    assert panel.failed_by.index(0, 0).data() == Document.NIB.label
    assert panel.failed_by.index(0, 1).data() == str(expected.failed_by_document[Document.NIB])
    totals = [int(panel.by_commodity.index(r, 1).data()) for r in range(5)]
    assert sum(totals) == 30

    target = tmp_path / "ringkasan.csv"
    monkeypatch.setattr(file_choice.QFileDialog, "getSaveFileName",
                        lambda *a: (str(target), ""))
    monkeypatch.setattr(screening_summary, "show_info", lambda *a: None)
    panel.export_button.click()
    assert Document.NIB.label in target.read_text(encoding="utf-8-sig")


def test_no_round_shows_the_empty_state(qtbot, assessor_ctx: AppContext) -> None:
    view = ScreeningView(assessor_ctx)
    qtbot.addWidget(view)
    assert view.stack.currentWidget().objectName() == "screeningEmpty"


def test_screenshots(qtbot, shots: Path, ctx: AppContext, round_id: int) -> None:
    view = open_view(qtbot, ctx)
    view.resize(1090, 800)
    view.select(_candidate(ctx, round_id, "IKM Sari 05"))
    assert view.grab().save(str(shots / "screening.png"))
    with qtbot.waitSignal(view.summary.loaded, timeout=10_000):
        view.tabs.setCurrentWidget(view.summary)
    assert view.grab().save(str(shots / "screening_summary.png"))
    dialog = ChecklistDialog(ctx, round_id)
    qtbot.addWidget(dialog)
    assert dialog.grab().save(str(shots / "checklist.png"))
