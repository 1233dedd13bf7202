"""Search-as-you-type over 10,000 candidates: our proxy against Qt's own string filter.

The baseline is a QSortFilterProxyModel with setFilterFixedString on a
QStandardItemModel holding the same names (Qt's fastest built-in path).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSortFilterProxyModel, Qt  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ovop_desktop.services.workspace import Workspace  # noqa: E402
from ovop_desktop.ui.models.candidates_model import (  # noqa: E402
    CandidateFilterProxy,
    CandidatesModel,
    prepare_rows,
)

TYPED = ["b", "ba", "bat", "bati", "batik", "batik ", "batik l", "batik la", "batik las", "",
         "g", "ga", "gar", "garu", "garut", "", "7", "73", "737", ""]


def per_keystroke(apply) -> float:  # type: ignore[no-untyped-def]
    times = []
    for text in TYPED:
        start = time.perf_counter()
        apply(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(profile: Path, repeat: int = 5) -> tuple[float, float, int]:
    app = QApplication.instance() or QApplication([])
    with Workspace.open(profile) as ws:
        current = ws.current_round()
        assert current is not None
        rows = prepare_rows(ws.candidates.summaries(current.id))
    ours_model = CandidatesModel()
    ours_model.set_rows(rows)
    ours = CandidateFilterProxy()
    ours.setSourceModel(ours_model)
    plain_model = QStandardItemModel()
    for row in rows:
        plain_model.appendRow([QStandardItem(row.summary.name)])
    plain = QSortFilterProxyModel()
    plain.setSourceModel(plain_model)
    plain.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    base, mine = [], []
    for _ in range(repeat):
        base.append(per_keystroke(plain.setFilterFixedString))
        mine.append(per_keystroke(ours.set_search))
    del app
    return statistics.median(base), statistics.median(mine), len(rows)
