"""Composition root for the GUI: open the profile, build the context and the main window.

The only module that sees every layer. No globals: what views need is passed in
an AppContext.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from ovop_desktop import APP_NAME, __version__
from ovop_desktop.errors import DamagedStoreError, UserFacingError
from ovop_desktop.filelock import FileLock
from ovop_desktop.i18n import LANGUAGES, _, set_language
from ovop_desktop.paths import ProfilePaths, resolve_data_dir, resolve_db_url
from ovop_desktop.services.settings import load_settings
from ovop_desktop.ui.context import AppContext, ContextSignals
from ovop_desktop.ui.gc_guard import GuiThreadCollector
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.workers import ServiceTask, TaskRunner

if TYPE_CHECKING:
    from ovop_desktop.services.workspace import Workspace


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ovop-desktop", description=APP_NAME)
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--lang", choices=list(LANGUAGES))
    parser.add_argument("--demo-if-empty", action="store_true",
                        help="fill an empty profile with demo data instead of asking")
    parser.add_argument("--version", action="version", version=f"ovop-desktop {__version__}")
    return parser.parse_args(list(argv))


PAINT_WAIT_MS = 300


def open_workspace(data_dir: Path, demo_if_empty: bool = False) -> Workspace:
    """Runs on a worker thread: open (and migrate) the store; build the demo if asked."""
    from ovop_desktop.services.workspace import Workspace

    workspace = Workspace.open(data_dir, db_url=resolve_db_url())  # OVOP_DB_URL, else settings
    if demo_if_empty and workspace.is_empty():
        from ovop_desktop.services.demo import build_demo

        build_demo(workspace, with_results=True)  # ~10 s, still on this worker thread
    return workspace


class Application(QObject):
    """Owns the GUI lock, the workspace and the main window.

    The window paints first; the store opens on a worker thread (SQLAlchemy import,
    integrity check, migrations) so the GUI never waits on the disk.
    ready() — the profile is open and shown · gave_up(error or None) — nothing to show
    """

    ready = Signal()
    gave_up = Signal(object)

    def __init__(self, data_dir: Path, *, language: str | None = None,
                 demo_if_empty: bool = False) -> None:
        super().__init__()
        self.data_dir = data_dir
        self._paths = ProfilePaths(data_dir)
        set_language(language or load_settings(self._paths.settings).language)
        self._demo_if_empty = demo_if_empty
        self._lock = FileLock(self._paths.gui_lock)
        self._tasks = TaskRunner()
        self._opening = False
        self._restore_offer: QObject | None = None
        self.workspace: Workspace | None = None
        self.ctx: AppContext | None = None
        self.window: MainWindow | None = None

    def start(self) -> bool:
        """Show the window and start opening the profile; False if another app has it open."""
        if not self._lock.try_acquire():
            show_error(None, UserFacingError(_(
                "OVOP Desktop is already open on the data folder {path}. Use that window, or "
                "start with another --data-dir.").format(path=self.data_dir)),
                _("OVOP Desktop cannot start"))
            return False
        self.window = self._new_window()
        # Open the store once the window is painted: the worker's imports would
        # otherwise compete with the first paint for the interpreter lock.
        self.window.first_painted.connect(self._open_store)
        QTimer.singleShot(PAINT_WAIT_MS, self._open_store)  # e.g. started minimised
        self.window.show()
        return True

    def _open_store(self) -> None:
        if self._opening:
            return
        self._opening = True
        task = ServiceTask(open_workspace, data_dir=self.data_dir,
                           demo_if_empty=self._demo_if_empty)
        self._tasks.start(task, self._on_opened, self._on_open_failed)

    def _new_window(self) -> MainWindow:
        window = MainWindow()
        window.language_changed.connect(self._on_window_language_changed)
        return window

    def _on_opened(self, workspace: Workspace) -> None:
        self.workspace = workspace
        try:
            if workspace.profile.get() is None and not _first_run(workspace, self.window):
                self.gave_up.emit(None)
                return
        except UserFacingError as exc:
            self._on_open_failed(exc)
            return
        self.ctx = AppContext(workspace=workspace, tasks=self._tasks, signals=ContextSignals())
        assert self.window is not None
        self.window.attach(self.ctx)
        # Everything alive now lives as long as the app: keep it out of later collections,
        # which then stay short (a full one took ~70 ms during a large bundle import).
        gc.freeze()
        self.ready.emit()

    def _on_open_failed(self, error: Exception) -> None:
        if not isinstance(error, UserFacingError):
            error = UserFacingError(str(error)) if isinstance(error, OSError) else error
        if isinstance(error, DamagedStoreError) and self._restore_offer is None:
            self._offer_backup(error)
            return
        show_error(self.window, error, _("OVOP Desktop cannot start"))
        self.gave_up.emit(error)

    def _offer_backup(self, error: DamagedStoreError) -> None:
        """Offer the newest backup that verifies (once); restored, the profile opens again."""
        from ovop_desktop.ui.dialogs.restore_backup import DamagedStoreOffer

        offer = self._restore_offer = DamagedStoreOffer(self._tasks, self._paths, error,
                                                        self.window)
        offer.restored.connect(self._open_again)
        offer.declined.connect(lambda problem: self._on_open_failed(problem) if problem
                               else self.gave_up.emit(error))
        offer.start()

    def _open_again(self, _report: object) -> None:
        self._opening = False
        self._open_store()

    def _on_window_language_changed(self, language: str) -> None:
        """Rebuild the window so every label is created in the new language."""
        set_language(language)
        assert self.workspace is not None and self.window is not None
        old = self.window
        self.ctx = AppContext(workspace=self.workspace, tasks=self._tasks,
                              signals=ContextSignals())
        self.window = self._new_window()
        self.window.setGeometry(old.geometry())
        self.window.attach(self.ctx)
        self.window.show()
        old.hide()
        old.deleteLater()

    def shutdown(self) -> None:
        self._tasks.wait_all()
        if self.window is not None:
            self.window.hide()
        if self.workspace is not None:
            self.workspace.close()
        self._lock.release()


def _first_run(workspace: Workspace, parent: QWidget | None) -> bool:
    """Ask role, name and institution; False if the user quits instead."""
    from ovop_desktop.ui.dialogs.first_run import FirstRunDialog  # only on a first run

    dialog = FirstRunDialog(workspace.settings.language, parent)
    if not dialog.exec():
        return False
    profile = dialog.profile()
    workspace.update_settings(language=dialog.chosen_language())
    set_language(dialog.chosen_language())
    workspace.profile.init(profile.role, profile.name, profile.institution)
    workspace.rubrics.install_defaults()
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName(APP_NAME)
    qt_app.setApplicationVersion(__version__)
    collector = GuiThreadCollector(qt_app)
    app = Application(resolve_data_dir(args.data_dir), language=args.lang,
                      demo_if_empty=args.demo_if_empty)
    app.gave_up.connect(lambda _error: qt_app.exit(1))
    if not app.start():
        return 1
    try:
        return int(qt_app.exec())
    finally:
        app.shutdown()
        collector.stop()
