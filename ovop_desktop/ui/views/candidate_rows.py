"""Shared by the candidate screens: loading the registry off the GUI thread, the empty state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel

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


def no_round_label(name: str) -> QLabel:
    """The empty state shown when the profile has no round yet."""
    label = QLabel(_("There is no assessment round yet.\nCreate one on the Rounds page first; "
                     "candidates are registered per round."), objectName=name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666; font-size: 14px;")
    return label

