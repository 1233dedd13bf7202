"""Importing many score bundles on a pool thread, one file per transaction, cancellable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.services.bundles import BundleService, ImportOutcome, expand_paths
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.models.exchange_models import ReceivedBundle
from ovop_desktop.ui.workers import ServiceTask


@dataclass(frozen=True)
class ImportRun:
    outcomes: list[ImportOutcome]
    total: int
    cancelled: bool


def import_each(service: BundleService, paths: list[Path], cancel: threading.Event,
                progress: Callable[[int, int], None]) -> ImportRun:
    """Runs on a pool thread. Every bundle is all-or-nothing and stopping happens between
    two files, so a cancelled run leaves everything consistent; the rest can follow later."""
    files = expand_paths(paths)
    progress(0, len(files))
    outcomes = service.import_files(files, progress=progress, should_stop=cancel.is_set)
    return ImportRun(outcomes, len(files), len(outcomes) < len(files))


def load_received(service: BundleService, assessors: Any) -> list[ReceivedBundle]:
    """Runs on a pool thread: every bundle on file, as plain rows with the assessor's name."""
    names = {a.id: a.name for a in assessors.list()}
    return [ReceivedBundle(b.id, b.file_name, Outcome(b.status), b.reason,
                           names.get(b.assessor_id, ""), b.seq, b.sheets, b.scores,
                           b.imported_at, b.decided_by) for b in reversed(service.list())]


class BundleImportJob(QObject):
    """progress(done, total) · finished(ImportRun) · failed(exception)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._cancel = threading.Event()
        self.running = False

    def start(self, paths: list[Path]) -> None:
        if self.running:
            return
        self.running = True
        self._cancel = threading.Event()
        task = ServiceTask(import_each, with_progress=True, service=self._ctx.workspace.bundles,
                           paths=list(paths), cancel=self._cancel)
        task.signals.progress.connect(self.progress)
        self._ctx.tasks.start(task, self._on_task_finished, self._on_task_failed)

    def cancel(self) -> None:
        """Stop after the file being imported now."""
        self._cancel.set()

    @property
    def cancelling(self) -> bool:
        return self.running and self._cancel.is_set()

    def _on_task_finished(self, run: ImportRun) -> None:
        self.running = False
        self.finished.emit(run)

    def _on_task_failed(self, exc: Exception) -> None:
        self.running = False
        self.failed.emit(exc)
