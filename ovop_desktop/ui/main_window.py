"""The main window: navigation that fits the role, views built on first visit, status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ovop_desktop import APP_NAME
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.about import AboutDialog
from ovop_desktop.ui.dialogs.settings import SettingsDialog
from ovop_desktop.ui.messages import confirm
from ovop_desktop.ui.views.home import HomeView
from ovop_desktop.ui.views.regions import RegionsView
from ovop_desktop.ui.views.rounds import RoundsView
from ovop_desktop.ui.views.rubrics import RubricsView

STYLE = """
QLabel#viewTitle { font-size: 18px; font-weight: 600; padding: 4px 0 8px 0; }
QLabel#sectionTitle { font-size: 15px; font-weight: 600; }
QLabel#hint { color: #666; }
QListWidget#navigation { font-size: 14px; background: #1f4e3d; color: white; border: none; }
QListWidget#navigation::item { padding: 10px 14px; }
QListWidget#navigation::item:selected { background: #2f7a5f; }
"""


@dataclass(frozen=True)
class Page:
    key: str
    title: Callable[[], str]
    build: Callable[[AppContext], QWidget]
    coordinator_only: bool = False


PAGES = (
    Page("home", lambda: _("Home"), HomeView),
    Page("rounds", lambda: _("Rounds"), RoundsView),
    Page("rubrics", lambda: _("Rubrics"), RubricsView),
    Page("regions", lambda: _("Regions"), RegionsView),
)


class MainWindow(QMainWindow):
    """language_changed(code) — the composition root rebuilds the window in the new language."""

    language_changed = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._views: dict[str, QWidget] = {}
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(STYLE)
        self.resize(1200, 760)

        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setFixedWidth(190)
        self.pages = [p for p in PAGES if ctx.is_coordinator or not p.coordinator_only]
        for page in self.pages:
            item = QListWidgetItem(page.title())
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.navigation.addItem(item)
        self.stack = QStackedWidget(objectName="pages")
        for _page in self.pages:
            self.stack.addWidget(QWidget())  # placeholders replaced on first visit
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.profile_label = QLabel(objectName="statusProfile")
        self.round_label = QLabel(objectName="statusRound")
        self.folder_label = QLabel(objectName="statusFolder")
        self.statusBar().addWidget(self.profile_label)
        self.statusBar().addWidget(self.round_label)
        self.statusBar().addPermanentWidget(self.folder_label)
        self._build_menus()

        self.navigation.currentRowChanged.connect(self._on_navigation_currentRowChanged)
        ctx.signals.round_changed.connect(self._on_ctx_changed)
        ctx.signals.data_changed.connect(self._on_ctx_changed)
        self.navigation.setCurrentRow(0)
        self._update_status()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        settings = QAction(_("&Settings…"), self)
        settings.triggered.connect(self.open_settings)
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(settings)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        about = QAction(_("&About OVOP Desktop"), self)
        about.triggered.connect(self.open_about)
        help_menu.addAction(about)

    # -- pages -----------------------------------------------------------------

    def show_page(self, key: str) -> QWidget:
        """Switch to a page (building it if needed) and return its view."""
        for row, page in enumerate(self.pages):
            if page.key == key:
                self.navigation.setCurrentRow(row)
                return self.view(key)
        raise KeyError(key)

    def view(self, key: str) -> QWidget:
        if key not in self._views:
            row = next(i for i, p in enumerate(self.pages) if p.key == key)
            widget = self.pages[row].build(self._ctx)
            old = self.stack.widget(row)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, widget)
            self._views[key] = widget
        return self._views[key]

    def _on_navigation_currentRowChanged(self, row: int) -> None:
        if row < 0:
            return
        view = self.view(self.pages[row].key)
        self.stack.setCurrentIndex(row)
        refresh = getattr(view, "refresh", None)
        if refresh is not None and row != 0:
            refresh()

    def _on_ctx_changed(self, *_args: object) -> None:
        for key, view in self._views.items():
            if view is not self.stack.currentWidget() or key == "home":
                getattr(view, "refresh", lambda: None)()
        self._update_status()

    def _update_status(self) -> None:
        ws = self._ctx.workspace
        profile = ws.profile.get()
        if profile:
            self.profile_label.setText(f"{profile.name} · {profile.role.label}")
        current = ws.current_round()
        self.round_label.setText(
            _("Round: {name}").format(name=f"{current.name} ({current.status.label})")
            if current else _("Round: none"))
        self.folder_label.setText(str(ws.paths.root))

    # -- dialogs ---------------------------------------------------------------

    def open_settings(self) -> None:
        ws = self._ctx.workspace
        dialog = SettingsDialog(ws.settings.language, str(ws.paths.root), self)
        if dialog.exec() and dialog.chosen_language() != ws.settings.language:
            ws.update_settings(language=dialog.chosen_language())
            self.language_changed.emit(dialog.chosen_language())

    def open_about(self) -> None:
        ws = self._ctx.workspace
        AboutDialog(str(ws.paths.root), str(ws.paths.database), self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = [v for v in self._views.values()
                   if getattr(v, "has_unsaved_changes", lambda: False)()]
        if unsaved and not confirm(self, _("Unsaved changes"),
                                   _("A rubric has changes that are not saved. Quit anyway and "
                                     "discard them?"), _("Discard and quit")):
            event.ignore()
            return
        event.accept()
