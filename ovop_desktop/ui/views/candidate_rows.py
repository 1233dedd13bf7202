"""Shared by the round's screens: loading the registry off the GUI thread, the page layout
with its empty state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ovop_desktop.i18n import _
from ovop_desktop.services.candidates import CandidateService
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.models.candidates_model import CandidateRow, prepare_rows
from ovop_desktop.ui.workers import ServiceTask


def load_rows(service: CandidateService, round_id: int) -> list[CandidateRow]:
    """Runs on a pool thread: 10,000 summaries take ~350 ms to read and prepare."""
    return prepare_rows(service.summaries(round_id))


class CandidateRowsLoader(QObject):
    """loaded(rows) · failed(exception) — only the newest request reports; older ones drop."""

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.busy = False

    def load(self, round_id: int) -> None:
        self._generation += 1
        generation = self._generation
        self.busy = True
        task = ServiceTask(load_rows, service=self._ctx.workspace.candidates, round_id=round_id)
        self._ctx.tasks.start(task, lambda rows: self._on_task_finished(generation, rows),
                              lambda exc: self._on_task_failed(generation, exc))

    def _on_task_finished(self, generation: int, rows: Any) -> None:
        if generation == self._generation:
            self.busy = False
            self.loaded.emit(rows)

    def _on_task_failed(self, generation: int, exc: Any) -> None:
        if generation == self._generation:
            self.busy = False
            self.failed.emit(exc)


def round_page(page: QWidget, title: QLabel, buttons: Sequence[QWidget], name: str,
               content: QWidget) -> QStackedWidget:
    """Lay out a page that works on a round: the title and its buttons on top, below them
    `content`, or the empty state while the profile has no round (page 0 of the stack)."""
    stack = QStackedWidget(objectName=f"{name}Stack")
    stack.addWidget(no_round_label(f"{name}Empty"))
    stack.addWidget(content)
    top = QHBoxLayout()
    top.addWidget(title, 1)
    for button in buttons:
        top.addWidget(button)
    layout = QVBoxLayout(page)
    layout.addLayout(top)
    layout.addWidget(stack, 1)
    return stack


def no_round_label(name: str) -> QLabel:
    """The empty state shown when the profile has no round yet."""
    label = QLabel(_("There is no assessment round yet.\nCreate one on the Rounds page first; "
                     "candidates are registered per round."), objectName=name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666; font-size: 14px;")
    return label

