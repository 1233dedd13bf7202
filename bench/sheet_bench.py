"""Opening a scoring sheet with 20 evidence photos against the same sheet without photos.

    .venv/bin/python bench/sheet_bench.py [--json] [--quick]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ovop_desktop.domain.candidates import CandidateData  # noqa: E402
from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.domain.profile import Role  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402
from ovop_desktop.ui.context import AppContext, ContextSignals  # noqa: E402
from ovop_desktop.ui.views.scoring_sheet import ScoringSheet  # noqa: E402
from ovop_desktop.ui.workers import TaskRunner  # noqa: E402


class _Paint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def _wait(condition, timeout_s: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop, deadline = QEventLoop(), time.perf_counter() + timeout_s
    timer = QTimer()
    timer.timeout.connect(lambda: (condition() or time.perf_counter() > deadline) and loop.quit())
    timer.start(1)
    loop.exec()


def _first_paint(ctx: AppContext, candidate_id: int) -> float:
    sheet = ScoringSheet(ctx)
    sheet.resize(1090, 740)
    spy = _Paint()
    start = time.perf_counter()
    sheet.load(candidate_id)
    sheet.scroll.widget().installEventFilter(spy)
    sheet.show()
    _wait(lambda: spy.at is not None)
    _wait(lambda: sheet.photos.decoding == 0)
    sheet.close()
    sheet.deleteLater()
    return ((spy.at or time.perf_counter()) - start) * 1000


def run(repeat: int = 5, photos: int = 20, size: tuple[int, int] = (4000, 3000)
        ) -> tuple[float, float]:
    """(ms to first paint without photos, with `photos` photos of `size` pixels)."""
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp, Workspace.open(Path(tmp)) as ws:
        ws.profile.init(Role.ASSESSOR, "Bench", "")
        ws.rubrics.install_defaults()
        rid = ws.rounds.create(2024, "Bench").id
        ws.update_settings(current_round_id=rid)
        bare, full = ws.candidates.create_many(rid, [CandidateData(
            name=f"IKM {i}", region_code="33.17", commodity=Commodity.KAIN_BATIK,
            product="Batik") for i in range(2)], "bench")
        criteria = [c.id for _a, c in ws.rubrics.find(Commodity.KAIN_BATIK).rubric.criteria()]
        for i in range(photos):
            path = Path(tmp) / f"foto{i}.jpg"
            Image.new("RGB", size, (i * 12, 90, 40)).save(path, "JPEG", quality=85)
            ws.evidence.add(full, path, criteria[i // 2] if i < 12 else "")
        ctx = AppContext(workspace=ws, tasks=TaskRunner(), signals=ContextSignals())
        _first_paint(ctx, bare)
        _first_paint(ctx, full)  # warm-up: fonts, styles, imports
        none = [_first_paint(ctx, bare) for _ in range(repeat)]
        twenty = [_first_paint(ctx, full) for _ in range(repeat)]
        ctx.tasks.wait_all()
    del app
    return statistics.median(none), statistics.median(twenty)


def figures(quick: bool = False) -> list[dict]:
    from benchkit import figure

    repeat, photos, size = (1, 4, (800, 600)) if quick else (5, 20, (4000, 3000))
    bare, full = run(repeat, photos, size)
    return [figure(f"opening a scoring sheet with {photos} evidence photos "
                   f"({size[0]}×{size[1]}), to first paint", key="sheet.photos",
                   baseline_ms=bare, ours_ms=full, goal_ratio=2.0,
                   baseline_what="the same sheet without photos",
                   detail=f"median of {repeat}; photos decode off the GUI thread")]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchkit import json_main

    if not json_main(figures):
        print(run())
