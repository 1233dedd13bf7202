"""The main window: navigation that fits the role, views built on first visit, status bar."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QTimer, Signal
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
from ovop_desktop.ui.messages import confirm

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
    """A navigation entry. Its view module is imported on first visit, which keeps the
    database layer out of the import path of the first paint."""

    key: str
    title: Callable[[], str]
    view: str  # "module:Class" under ovop_desktop.ui.views
    coordinator_only: bool = False
    assessor_only: bool = False

    def build(self, ctx: AppContext) -> QWidget:
        module, name = self.view.split(":")
        cls = getattr(importlib.import_module(f"ovop_desktop.ui.views.{module}"), name)
        return cls(ctx)  # type: ignore[no-any-return]


PAGES = (  # in the order of the work: set up, register, screen, exchange, check
    Page("home", lambda: _("Home"), "home:HomeView"),
    Page("visits", lambda: _("My visits"), "visits:VisitsView", assessor_only=True),
    Page("rounds", lambda: _("Rounds"), "rounds:RoundsView"),
    Page("rubrics", lambda: _("Rubrics"), "rubrics:RubricsView"),
    Page("candidates", lambda: _("Candidates"), "candidates:CandidatesView"),
    Page("screening", lambda: _("Screening"), "screening:ScreeningView", coordinator_only=True),
    Page("assessors", lambda: _("Assessors"), "assessors:AssessorsView", coordinator_only=True),
    Page("planner", lambda: _("Visit planning"), "planner:PlannerView", coordinator_only=True),
    Page("bundles", lambda: _("Score bundles"), "bundles:BundlesView", coordinator_only=True),
    Page("results", lambda: _("Assessment results"), "results:ResultsView", coordinator_only=True),
    Page("identity", lambda: _("Keys and identity"), "identity:IdentityView"),
    Page("audit", lambda: _("Audit log"), "audit_log:AuditLogView"),
    Page("regions", lambda: _("Regions"), "regions:RegionsView"),
)


class MainWindow(QMainWindow):
    """language_changed(code) — the composition root rebuilds the window in the new language.
    first_painted() — the window is on screen; slow start-up work may begin."""

    language_changed = Signal(str)
    first_painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._ctx: AppContext | None = None
        self._painted = False
        self._views: dict[str, QWidget] = {}
        self.pages: list[Page] = []
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(STYLE)
        self.resize(1200, 760)

        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setFixedWidth(190)
        self.stack = QStackedWidget(objectName="pages")
        self.loading = QLabel(_("Opening your data…"), objectName="loadingLabel")
        # Centred by style sheet: touching PySide6's `Qt` namespace builds its 120-odd
        # enum types (~30 ms), which can wait until after the first paint.
        self.loading.setStyleSheet("qproperty-alignment: AlignCenter;")
        self.stack.addWidget(self.loading)
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

    def attach(self, ctx: AppContext) -> None:
        """The profile is open: add the pages the role may see and show the home page."""
        from PySide6.QtCore import Qt

        self._ctx = ctx
        coordinator = ctx.is_coordinator
        self.pages = [p for p in PAGES if (coordinator or not p.coordinator_only)
                      and not (coordinator and p.assessor_only)]
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()
        for page in self.pages:
            item = QListWidgetItem(page.title())
            item.setData(Qt.ItemDataRole.UserRole, page.key)
            self.navigation.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the view on first visit
        # Set here, after the first paint: it builds Qt's enum types (~20 ms).
        self._quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self._settings_action.setEnabled(True)
        self._about_action.setEnabled(True)
        ctx.signals.round_changed.connect(self._on_ctx_changed)
        ctx.signals.data_changed.connect(self._on_ctx_changed)
        self.navigation.setCurrentRow(0)
        self._update_status()

    @property
    def ctx(self) -> AppContext:
        assert self._ctx is not None, "attach() first"
        return self._ctx

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        settings = self._settings_action = QAction(_("&Settings…"), self)
        settings.setEnabled(False)
        settings.triggered.connect(self.open_settings)
        quit_action = self._quit_action = QAction(_("&Quit"), self)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(settings)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        about = self._about_action = QAction(_("&About OVOP Desktop"), self)
        about.setEnabled(False)
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
            widget = self.pages[row].build(self.ctx)
            old = self.stack.widget(row)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, widget)
            self._views[key] = widget
        return self._views[key]

    def _on_navigation_currentRowChanged(self, row: int) -> None:
        if row < 0 or self._ctx is None:
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
        ws = self.ctx.workspace
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
        from ovop_desktop.ui.dialogs.settings import SettingsDialog  # not needed to start

        ws = self.ctx.workspace
        dialog = SettingsDialog(ws.settings.language, str(ws.paths.root), self,
                                paper=ws.settings.paper)
        if not dialog.exec():
            return
        if dialog.chosen_paper() != ws.settings.paper:
            ws.update_settings(paper=dialog.chosen_paper())
        if dialog.chosen_language() != ws.settings.language:
            ws.update_settings(language=dialog.chosen_language())
            self.language_changed.emit(dialog.chosen_language())

    def open_about(self) -> None:
        from ovop_desktop.ui.dialogs.about import AboutDialog  # not needed to start

        ws = self.ctx.workspace
        AboutDialog(str(ws.paths.root), str(ws.paths.database), self).exec()

    def event(self, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            QTimer.singleShot(0, self, self.first_painted.emit)  # after this paint completes
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        unsaved = [v for v in self._views.values()
                   if getattr(v, "has_unsaved_changes", lambda: False)()]
        if unsaved and not confirm(self, _("Unsaved changes"),
                                   _("A rubric has changes that are not saved. Quit anyway and "
                                     "discard them?"), _("Discard and quit")):
            event.ignore()
            return
        event.accept()
