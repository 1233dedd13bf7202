"""Child process for the start-up benchmark: print when the window is painted and ready.

    python bench/startup_child.py bare
    python bench/startup_child.py app DATA_DIR

Prints `painted T` at the first paint of the main window and `ready T` when the
profile's home page is filled in (T from time.monotonic(), which the parent shares).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_seen: set[str] = set()


def _mark(what: str, expected: set[str]) -> None:
    if what in _seen:
        return
    _seen.add(what)
    sys.stdout.write(f"{what} {time.monotonic()}\n")
    sys.stdout.flush()
    if _seen >= expected:
        os._exit(0)  # measure start-up only, not tear-down


def _watch_first_paint(widget: object, expected: set[str]) -> None:
    from PySide6.QtCore import QEvent, QObject

    class PaintWatcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint:
                _mark("painted", expected)
            return False

    watcher = PaintWatcher()
    widget._paint_watcher = watcher  # type: ignore[attr-defined]
    widget.installEventFilter(watcher)  # type: ignore[attr-defined]


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 760)
    _watch_first_paint(window, {"painted"})
    window.show()
    app.exec()


def full(data_dir: str) -> None:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from ovop_desktop.app import Application

    qt_app = QApplication(sys.argv[:1])
    app = Application(Path(data_dir))
    expected = {"painted", "ready"}
    original_new_window = app._new_window

    def new_window():  # type: ignore[no-untyped-def]
        window = original_new_window()
        _watch_first_paint(window, expected)
        return window

    app._new_window = new_window  # type: ignore[method-assign]
    app.ready.connect(lambda: _mark("ready", expected))
    app.gave_up.connect(lambda error: sys.exit(f"gave up: {error}"))
    assert app.start()
    qt_app.exec()


if __name__ == "__main__":
    full(sys.argv[2]) if sys.argv[1] == "app" else bare()
