"""Child process for the start-up benchmark: show a window, print when first painted, exit.

    python bench/startup_child.py bare
    python bench/startup_child.py app DATA_DIR
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _report_first_paint(widget: object) -> None:
    from PySide6.QtCore import QEvent, QObject

    class PaintWatcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
            if event.type() == QEvent.Type.Paint:
                sys.stdout.write(f"painted {time.perf_counter()}\n")
                sys.stdout.flush()
                os._exit(0)  # measure start-up only, not tear-down
            return False

    watcher = PaintWatcher()
    widget._paint_watcher = watcher  # type: ignore[attr-defined]
    widget.installEventFilter(watcher)  # type: ignore[attr-defined]


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 760)
    _report_first_paint(window)
    window.show()
    app.exec()


def full(data_dir: str) -> None:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from ovop_desktop.app import open_application

    qt_app = QApplication(sys.argv[:1])
    app = open_application(Path(data_dir))
    assert app is not None
    window = app.show_main_window()
    _report_first_paint(window)
    qt_app.exec()


if __name__ == "__main__":
    full(sys.argv[2]) if sys.argv[1] == "app" else bare()
