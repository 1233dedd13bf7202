"""Run Python's cyclic garbage collector on the GUI thread only.

If a collection happens to start on a worker thread, it may destroy Qt objects
(a wizard, a dialog) there, which crashes Qt. The usual remedy in PySide apps:
switch automatic collection off and collect from a GUI-thread timer instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start(INTERVAL_MS)

    def _on_timer_timeout(self) -> None:
        # The same generational policy gc would apply, only on this thread.
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._threshold[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
