"""Composition root for the GUI: open the profile, build the context and the main window.

The only module that sees every layer. No globals: what views need is passed in
an AppContext.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from ovop_desktop import APP_NAME, __version__
from ovop_desktop.errors import UserFacingError
from ovop_desktop.filelock import FileLock
from ovop_desktop.i18n import LANGUAGES, _, set_language
from ovop_desktop.paths import ProfilePaths, resolve_data_dir
from ovop_desktop.services.demo import build_demo
from ovop_desktop.services.settings import load_settings
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui.context import AppContext, ContextSignals
from ovop_desktop.ui.dialogs.first_run import FirstRunDialog
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.workers import TaskRunner


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ovop-desktop", description=APP_NAME)
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--lang", choices=list(LANGUAGES))
    parser.add_argument("--demo-if-empty", action="store_true",
                        help="fill an empty profile with demo data instead of asking")
    parser.add_argument("--version", action="version", version=f"ovop-desktop {__version__}")
    return parser.parse_args(list(argv))


class Application(QObject):
    """Owns the workspace, the GUI lock and the current main window."""

    def __init__(self, workspace: Workspace, lock: FileLock) -> None:
        super().__init__()
        self.workspace = workspace
        self._lock = lock
        self.ctx = AppContext(workspace=workspace, tasks=TaskRunner(), signals=ContextSignals())
        self.window: MainWindow | None = None

    def show_main_window(self) -> MainWindow:
        old = self.window
        self.window = MainWindow(self.ctx)
        self.window.language_changed.connect(self._on_window_language_changed)
        if old is not None:
            self.window.setGeometry(old.geometry())
            old.close()
            old.deleteLater()
        self.window.show()
        return self.window

    def _on_window_language_changed(self, language: str) -> None:
        set_language(language)
        self.ctx.signals = ContextSignals()  # the old window's connections go with it
        self.show_main_window()

    def shutdown(self) -> None:
        self.ctx.tasks.wait_all()
        self.workspace.close()
        self._lock.release()


def open_application(data_dir: Path, *, language: str | None = None,
                     demo_if_empty: bool = False, parent: QWidget | None = None
                     ) -> Application | None:
    """Lock, open and (on first run) set up the profile; None if the user gave up or it failed."""
    paths = ProfilePaths(data_dir)
    settings = load_settings(paths.settings)
    set_language(language or settings.language)
    lock = FileLock(paths.gui_lock)
    try:
        if not lock.try_acquire():
            raise UserFacingError(_(
                "OVOP Desktop is already open on the data folder {path}. Use that window, or "
                "start with another --data-dir.").format(path=data_dir))
        workspace = Workspace.open(data_dir)
    except (UserFacingError, OSError) as exc:
        lock.release()
        show_error(parent, exc if isinstance(exc, UserFacingError)
                   else UserFacingError(str(exc)), _("OVOP Desktop cannot start"))
        return None
    try:
        if workspace.profile.get() is None and not _first_run(workspace, demo_if_empty, parent):
            workspace.close()
            lock.release()
            return None
    except UserFacingError as exc:
        workspace.close()
        lock.release()
        show_error(parent, exc)
        return None
    return Application(workspace, lock)


def _first_run(workspace: Workspace, demo_if_empty: bool, parent: QWidget | None) -> bool:
    if demo_if_empty and workspace.is_empty():
        build_demo(workspace)
        return True
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
    app = open_application(resolve_data_dir(args.data_dir), language=args.lang,
                           demo_if_empty=args.demo_if_empty)
    if app is None:
        return 1
    app.show_main_window()
    try:
        return int(qt_app.exec())
    finally:
        app.shutdown()
