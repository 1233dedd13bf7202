"""Start-up, first run, navigation by role, settings, about, second instance."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from ovop_desktop import app as app_module
from ovop_desktop.domain.profile import Role
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui import main_window as mw_module
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.about import AboutDialog
from ovop_desktop.ui.dialogs.first_run import FirstRunDialog
from ovop_desktop.ui.dialogs.new_round import NewRoundDialog
from ovop_desktop.ui.dialogs.settings import SettingsDialog
from ovop_desktop.ui.main_window import MainWindow


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "show_error", lambda _p, exc, *a: shown.append(exc))
    return shown


def _open(qtbot, tmp_path: Path, **kw: object) -> app_module.Application:
    """Start the app as `ovop-desktop` does and wait until the profile is on screen."""
    application = app_module.Application(tmp_path, **kw)  # type: ignore[arg-type]
    with qtbot.waitSignal(application.ready, timeout=20_000):
        assert application.start()
    return application


def test_demo_start_shows_coordinator_pages_and_status(qtbot, tmp_path: Path) -> None:
    application = _open(qtbot, tmp_path, demo_if_empty=True)
    try:
        window = application.window
        assert [p.key for p in window.pages] == [
            "home", "rounds", "rubrics", "candidates", "screening", "assessors", "planner",
            "bundles", "results", "identity", "audit", "regions"]
        assert "2024" in window.round_label.text()
        for key in ("rounds", "rubrics", "regions", "home"):
            assert window.show_page(key) is window.stack.currentWidget()
        assert str(tmp_path) in window.folder_label.text()
    finally:
        application.shutdown()


def test_first_run_dialog_sets_up_an_assessor(qtbot, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_exec(dialog: FirstRunDialog) -> int:
        dialog.assessor.setChecked(True)
        dialog.name.setText("  Ir.  Bambang Sutrisno ")
        dialog.institution.setCurrentText("BBSPJI Kerajinan dan Batik")
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        dialog._on_buttons_accepted()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    application = _open(qtbot, tmp_path)
    try:
        profile = application.workspace.profile.get()
        assert profile is not None and profile.role is Role.ASSESSOR
        assert profile.name == "Ir. Bambang Sutrisno"
        assert application.workspace.settings.language == "en" == current_language()
        assert len(application.workspace.rubrics.list()) == 5
        window = application.window
        assert window.profile_label.text().startswith("Ir. Bambang Sutrisno")
    finally:
        application.shutdown()


def test_first_run_refuses_an_empty_name(qtbot) -> None:
    dialog = FirstRunDialog("id")
    qtbot.addWidget(dialog)
    dialog.name.setText("   ")
    dialog._on_buttons_accepted()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text()


def test_cancelled_first_run_leaves_no_profile(qtbot, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: 0)
    application = app_module.Application(tmp_path)
    with qtbot.waitSignal(application.gave_up, timeout=20_000):
        application.start()
    application.shutdown()
    with Workspace.open(tmp_path) as ws:
        assert ws.profile.get() is None


def test_second_instance_on_same_folder_is_refused(qtbot, tmp_path: Path,
                                                   errors: list[BaseException]) -> None:
    first = _open(qtbot, tmp_path, demo_if_empty=True)
    try:
        assert not app_module.Application(tmp_path).start()
        assert isinstance(errors[-1], UserFacingError)
        assert str(tmp_path) in str(errors[-1])
    finally:
        first.shutdown()
    second = _open(qtbot, tmp_path)  # free again once the first has closed
    second.shutdown()


def test_foreign_database_gives_a_message_not_a_crash(qtbot, tmp_path: Path,
                                                      errors: list[BaseException]) -> None:
    junk = b"not a database at all" * 100
    (tmp_path / "ovop.sqlite3").write_bytes(junk)
    application = app_module.Application(tmp_path)
    with qtbot.waitSignal(application.gave_up, timeout=20_000):
        assert application.start()  # the window shows at once; the error follows
    application.shutdown()
    assert isinstance(errors[-1], UserFacingError)
    assert (tmp_path / "ovop.sqlite3").read_bytes() == junk


def test_language_switch_rebuilds_the_window_in_english(qtbot, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    application = _open(qtbot, tmp_path, demo_if_empty=True, language="id")
    try:
        window = application.window

        def choose_english(dialog: SettingsDialog) -> int:
            dialog.language.setCurrentIndex(dialog.language.findData("en"))
            return 1

        monkeypatch.setattr(SettingsDialog, "exec", choose_english)
        window.open_settings()
        assert current_language() == "en"
        assert application.window is not window
        assert application.window.navigation.item(1).text() == "Rounds"
        assert application.workspace.settings.language == "en"
    finally:
        application.shutdown()


def test_about_shows_version_and_data_location(qtbot, tmp_path: Path) -> None:
    dialog = AboutDialog(str(tmp_path), str(tmp_path / "ovop.sqlite3"))
    qtbot.addWidget(dialog)
    body = [c for c in dialog.children() if c.objectName() == "aboutBody"][0]
    assert str(tmp_path / "ovop.sqlite3") in body.text()


def test_new_round_dialog_values(qtbot) -> None:
    dialog = NewRoundDialog()
    qtbot.addWidget(dialog)
    dialog.year.setValue(2026)
    assert dialog.values()[0] == 2026 and "2026" in dialog.values()[1]


def test_assessor_sees_no_coordinator_only_pages(qtbot, assessor_ctx: AppContext) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(assessor_ctx)
    assert all(not p.coordinator_only for p in window.pages)
    assert _("Assessor") in window.profile_label.text()


def test_quit_with_unsaved_rubric_asks(qtbot, ctx: AppContext,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(ctx)
    view = window.show_page("rubrics")
    monkeypatch.setattr(view, "has_unsaved_changes", lambda: True)
    monkeypatch.setattr(mw_module, "confirm", lambda *a: False)
    window.show()
    assert not window.close()
    monkeypatch.setattr(mw_module, "confirm", lambda *a: True)
    assert window.close()


def test_garbage_is_collected_on_the_gui_thread_only(qtbot) -> None:
    import gc

    from ovop_desktop.ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        junk = []
        for _ in range(2000):  # reference cycles for the collector to find
            a: list = []
            a.append(a)
            junk.append(a)
        del junk, a
        qtbot.waitUntil(lambda: gc.get_count()[0] < 700, timeout=3000)
    finally:
        collector.stop()
    assert gc.isenabled()


def test_finished_tasks_are_released(qtbot) -> None:
    import weakref

    from ovop_desktop.ui.workers import ServiceTask, TaskRunner

    runner = TaskRunner()
    task = ServiceTask(lambda: 42)
    results: list[object] = []
    runner.start(task, results.append)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    ref = weakref.ref(task)
    del task
    import gc

    gc.collect()
    assert ref() is None
