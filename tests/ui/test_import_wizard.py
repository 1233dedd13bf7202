"""The import wizard on real, messy XLSX files: mapping, preview, dry run, import, report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs import file_choice, import_report, import_wizard
from ovop_desktop.ui.dialogs.import_wizard import NONE, ImportWizard

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
import proposal_fixtures as pf  # noqa: E402


@pytest.fixture
def round_id(ctx: AppContext) -> int:
    round_id = ctx.workspace.rounds.create(2026, "Import test").id
    ctx.workspace.update_settings(current_round_id=round_id)
    return round_id


@pytest.fixture
def messy_file(tmp_path: Path) -> Path:
    """The realistic rows, one with an unknown commodity and kab/kota, one repeated."""
    bad = list(pf.REALISTIC_ROWS[0])
    bad[1], bad[4], bad[9], bad[11] = "IKM Salah", "Kab. Antah Berantah", "Perhiasan", "123"
    repeated = list(pf.REALISTIC_ROWS[2])
    return pf.write_messy_xlsx(tmp_path / "usulan jabar.xlsx", [*pf.REALISTIC_ROWS, bad, repeated])


def open_wizard(qtbot, ctx: AppContext, round_id: int, path: Path, monkeypatch) -> ImportWizard:
    monkeypatch.setattr(import_wizard.QFileDialog, "getOpenFileName",
                        lambda *a: (str(path), ""))
    wizard = ImportWizard(ctx, round_id)
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    with qtbot.waitSignal(wizard.preview_loaded, timeout=15_000):
        wizard.file_page.findChild(object, "browseButton").click()
    return wizard


def run_through(qtbot, wizard: ImportWizard):
    wizard.next()  # → mapping
    with qtbot.waitSignal(wizard.dry_run_finished, timeout=15_000):
        wizard.next()  # → preview and dry run
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()  # Import: the commit
    return wizard.report


def test_wizard_imports_a_messy_workbook_and_reports(qtbot, ctx: AppContext, round_id: int,
                                                     messy_file: Path, tmp_path: Path,
                                                     monkeypatch, qtmodeltester) -> None:
    wizard = open_wizard(qtbot, ctx, round_id, messy_file, monkeypatch)
    assert "4" in wizard.file_page.status.text()  # header on row 4
    wizard.next()
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    assert page.combos["name"].currentData() == 1 and page.combos["region"].currentData() == 4
    page.set_column("commodity", NONE)  # a required field left out: cannot go on
    assert page.problems.text() and not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.set_column("commodity", 1)  # the name column twice: cannot go on either
    assert not page.isComplete()
    page.set_column("commodity", 9)
    assert page.isComplete() and not page.problems.text()
    with qtbot.waitSignal(wizard.dry_run_finished, timeout=15_000):
        wizard.next()
    assert wizard.preview_page.model.rowCount() == 18  # the 17 rows and the "Jumlah" row
    dry = wizard.dry_report
    assert dry is not None and dry.dry_run and len(dry.accepted) == 15
    assert ctx.workspace.candidates.summaries(round_id) == []  # a dry run writes nothing
    data_changed: list[bool] = []
    ctx.signals.data_changed.connect(lambda: data_changed.append(True))
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    report = wizard.report
    assert report is not None and not report.dry_run and data_changed
    assert len(report.accepted) == 15 == len(ctx.workspace.candidates.summaries(round_id))
    page = wizard.report_page
    assert page.rejected.rowCount() == 1 and page.rejected.index(0, 0).data() == "20"
    assert page.duplicates.rowCount() == 1 and page.duplicates.index(0, 0).data() == "21"
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    for model in (wizard.preview_page.model, page.rejected, page.duplicates):
        qtmodeltester.check(model)

    saved = tmp_path / "laporan"
    monkeypatch.setattr(file_choice.QFileDialog, "getSaveFileName",
                        lambda *a: (str(saved), "CSV (*.csv)"))
    monkeypatch.setattr(import_report, "show_info", lambda *a: None)
    page.save_button.click()
    text = (tmp_path / "laporan.csv").read_text(encoding="utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 17


def test_reimporting_the_same_file_adds_nothing(qtbot, ctx: AppContext, round_id: int,
                                               messy_file: Path, monkeypatch) -> None:
    first = run_through(qtbot, open_wizard(qtbot, ctx, round_id, messy_file, monkeypatch))
    second = run_through(qtbot, open_wizard(qtbot, ctx, round_id, messy_file, monkeypatch))
    assert len(first.accepted) == 15
    assert second.accepted == [] and len(second.duplicates) == 16
    assert len(ctx.workspace.candidates.summaries(round_id)) == 15


def test_cancel_before_import_but_not_during(qtbot, ctx: AppContext, round_id: int,
                                            messy_file: Path, monkeypatch) -> None:
    wizard = open_wizard(qtbot, ctx, round_id, messy_file, monkeypatch)
    wizard.next()
    with qtbot.waitSignal(wizard.dry_run_finished, timeout=15_000):
        wizard.next()
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
        assert wizard.importing
        assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
        wizard.reject()  # ignored: the transaction finishes
        assert wizard.isVisible()
    other = open_wizard(qtbot, ctx, round_id, messy_file, monkeypatch)
    other.reject()
    assert not other.isVisible()


def test_unreadable_file_is_reported_on_the_first_page(qtbot, ctx: AppContext, round_id: int,
                                                      tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    monkeypatch.setattr(import_wizard.QFileDialog, "getOpenFileName",
                        lambda *a: (str(broken), ""))
    monkeypatch.setattr(import_wizard, "show_error", lambda *a: None)
    wizard = ImportWizard(ctx, round_id)
    qtbot.addWidget(wizard)
    wizard.show()
    with qtbot.waitSignal(wizard.failed, timeout=15_000):
        wizard.file_page.findChild(object, "browseButton").click()
    assert wizard.file_page.status.text().startswith("✖")
    assert not wizard.file_page.isComplete()


def test_screenshots(qtbot, shots: Path, ctx: AppContext, round_id: int, messy_file: Path,
                     monkeypatch) -> None:
    wizard = open_wizard(qtbot, ctx, round_id, messy_file, monkeypatch)
    wizard.resize(1000, 680)
    wizard.next()
    assert wizard.grab().save(str(shots / "import_mapping.png"))
    with qtbot.waitSignal(wizard.dry_run_finished, timeout=15_000):
        wizard.next()
    assert wizard.grab().save(str(shots / "import_preview.png"))
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next()
    assert wizard.grab().save(str(shots / "import_report.png"))
