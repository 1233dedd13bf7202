"""Run service calls on a pool thread, with progress, result or error back on the GUI thread."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    """finished(result) · failed(exception) · progress(done, total)"""

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class ServiceTask(QRunnable):
    """Calls `fn(progress=…, **kwargs)` on a pool thread; signals are queued to the GUI thread.

    The service must not share a SQLAlchemy session with the GUI thread: services
    open their own session per unit of work, which is what makes this safe.
    """

    def __init__(self, fn: Callable[..., Any], /, with_progress: bool = False,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(True)  # Qt frees the C++ side after run(); PySide drops its keep-alive
        self.signals = TaskSignals()  # created on the GUI thread, so slots run there
        self._fn, self._kwargs, self._with_progress = fn, kwargs, with_progress

    def run(self) -> None:
        try:
            if self._with_progress:
                result = self._fn(progress=self.signals.progress.emit, **self._kwargs)
            else:
                result = self._fn(**self._kwargs)
        except Exception as exc:  # delivered to the GUI, which decides how to show it
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class TaskRunner:
    """Starts ServiceTasks and keeps a reference until they finish (else Python may free them)."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[ServiceTask | None] = set()

    def start(self, task: ServiceTask,
              on_finished: Callable[[Any], None] | None = None,
              on_failed: Callable[[Exception], None] | None = None) -> ServiceTask:
        if on_finished:
            task.signals.finished.connect(on_finished)
        if on_failed:
            task.signals.failed.connect(on_failed)
        # Only a weak reference in the slots: a strong one would keep every task alive.
        ref = weakref.ref(task)
        task.signals.finished.connect(lambda _r: self._running.discard(ref()))
        task.signals.failed.connect(lambda _e: self._running.discard(ref()))
        self._running.add(task)
        self._pool.start(task)
        return task

    def wait_all(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
