"""Benchmarks as ratios against a baseline measured in the same run.

    .venv/bin/python bench/run.py [--repeat N]
    .venv/bin/python bench/run.py --json [--quick]   # start-up only, for bench/all.py

Entry 1 — start-up: process start → first painted main window of OVOP Desktop on
a large profile, against a bare PySide6 QMainWindow (goal ≤ 1.5×). Runs are
interleaved so machine noise hits both sides alike; the median is compared.
Everything in one process; bench/all.py runs each benchmark in its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ovop_desktop.domain.rubric import Rubric

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
CHILD = ROOT / "bench" / "startup_child.py"


def time_to_paint(args: list[str]) -> tuple[float, float]:
    """(seconds to first paint, seconds to ready) from process start, as the child reports."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(CHILD), *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    marks = dict(line.split() for line in proc.stdout.splitlines() if line.strip())
    if "painted" not in marks:
        raise RuntimeError(f"child failed: {proc.stderr[-2000:]}")
    painted = float(marks["painted"]) - start
    return painted, float(marks.get("ready", marks["painted"])) - start


def build_profile(folder: Path, candidates: int = 10_000, criteria: int | None = None) -> str:
    """The demo coordinator profile plus enough candidates to make 10,000 in the round.

    `criteria` widens every commodity's rubric to that many criteria before the demo's
    rounds take (and freeze) it: extra criteria are added to the aspects in turn, through
    the rubric service like an edit in the rubric editor.
    """
    from ovop_desktop.services.demo import build_demo
    from ovop_desktop.services.demo_candidates import demo_candidates
    from ovop_desktop.services.workspace import Workspace

    with Workspace.open(folder) as ws:
        if criteria is not None:
            ws.rubrics.install_defaults()
            for record in ws.rubrics.list():
                ws.rubrics.save(record.id, widened(record.rubric, criteria))
        result = build_demo(ws)
        current = ws.current_round()
        assert current is not None
        extra = list(demo_candidates(count=candidates - result.candidates, reevaluations=0,
                                     provinces=34, seed=7, tag=" (B)"))
        ws.candidates.create_many(current.id, extra, "bench")
    return f"profile with {candidates:,} candidates"


def widened(rubric: Rubric, criteria: int) -> Rubric:
    """The rubric with criteria appended to its aspects in turn until it has `criteria`
    (copies of each aspect's last criterion under the next id: A9, B7, …)."""
    from dataclasses import replace

    from ovop_desktop.domain.rubric import Text

    aspects = list(rubric.aspects)
    for i in range(criteria - len(rubric.criteria())):
        k = i % len(aspects)
        aspect = aspects[k]
        last = aspect.criteria[-1]
        extra = replace(last, id=f"{aspect.id}{len(aspect.criteria) + 1}",
                        name=Text(f"{last.name.id} (tambahan)", f"{last.name.en} (extra)"))
        aspects[k] = replace(aspect, criteria=(*aspect.criteria, extra))
    return replace(rubric, aspects=tuple(aspects))


def startup(profile: str, repeat: int) -> tuple[float, float, float]:
    """Medians (bare paint, app paint, app ready) in seconds, runs interleaved."""
    time_to_paint(["bare"])  # warm the OS file cache for both sides
    time_to_paint(["app", profile])
    bare, app = [], []
    for _ in range(repeat):
        bare.append(time_to_paint(["bare"]))
        app.append(time_to_paint(["app", profile]))
    return (statistics.median(p for p, _ in bare), statistics.median(p for p, _ in app),
            statistics.median(r for _, r in app))


def figures(quick: bool = False) -> list[dict]:
    """The two start-up figures for bench/all.py; peak memory is the app child's."""
    from benchkit import figure, ms

    candidates, repeat = (1_000, 1) if quick else (10_000, 7)
    with tempfile.TemporaryDirectory() as tmp:
        build_profile(Path(tmp), candidates)
        b, a_paint, a_ready = startup(tmp, repeat)
    detail = f"median of {repeat}, interleaved; offscreen"
    return [
        figure(f"start-up to first painted main window, {candidates:,}-candidate profile",
               key="startup.paint", baseline_ms=ms(b), ours_ms=ms(a_paint),
               baseline_what="bare PySide6 `QMainWindow`", goal_ratio=1.5, detail=detail,
               rss="children"),
        figure("start-up to home page filled in (store opened, checked, shown)",
               key="startup.ready", baseline_ms=ms(b), ours_ms=ms(a_ready),
               baseline_what="the same", detail=detail, rss="children"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true",
                        help="start-up only, as one JSON line (for bench/all.py)")
    parser.add_argument("--quick", action="store_true", help="with --json: small and fast")
    args = parser.parse_args()
    if args.json:
        from benchkit import emit, payload

        emit(payload(figures(args.quick)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        what = build_profile(Path(tmp))
        b, a_paint, a_ready = startup(tmp, args.repeat)
        from filter_bench import run as run_filter

        f_base, f_ours, f_rows = run_filter(Path(tmp))
    print(f"{'benchmark':<40} {'baseline':>9} {'ovop':>9} {'ratio':>7} {'goal':>6}")
    for label, value, goal in (("start-up to first painted main window", a_paint, "1.5x"),
                               ("start-up to home page filled in", a_ready, "-")):
        print(f"{label:<40} {b * 1000:>7.0f}ms {value * 1000:>7.0f}ms {value / b:>6.2f}x "
              f"{goal:>6}")
    print(f"  baseline: a bare PySide6 QMainWindow; {what}; median of {args.repeat}, interleaved")

    print(f"{'filter table, per keystroke':<40} {f_base * 1000:>7.1f}ms {f_ours * 1000:>7.1f}ms "
          f"{f_ours / f_base:>6.2f}x {'-':>6}")
    print(f"  baseline: Qt's setFilterFixedString on names only; ours: name, owner, product, "
          f"kab/kota and NIB, {f_rows:,} rows")

    from bundle_bench import run as run_bundles

    b = run_bundles()
    print(f"{'import 1,000 bundles, 506,000 scores':<40} {b['floor'] * 1000:>7.0f}ms "
          f"{b['ours'] * 1000:>7.0f}ms {b['ours'] / b['floor']:>6.2f}x {'3.0x':>6}")
    print(f"  floor: verify the same signatures, hash the same bytes, executemany the same rows "
          f"in one transaction; {b['accepted']:.0f} accepted; peak Python memory "
          f"{b['peak_mb']:.0f} MB")

    from sheet_bench import run as run_sheet

    bare_ms, photos_ms = run_sheet()
    print(f"{'open a scoring sheet, 20 photos':<40} {bare_ms:>7.0f}ms {photos_ms:>7.0f}ms "
          f"{photos_ms / bare_ms:>6.2f}x {'2.0x':>6}")
    print("  baseline: the same sheet without photos (time to first paint)")

    from visits_bench import auto_assignment, score_latency

    p50, p95, worst = score_latency()
    print(f"{'set a level -> committed (1,000 changes)':<40} p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"max {worst:.1f} ms (goal p95 <= 30 ms)")
    print(f"{'auto-assign 1,000 candidates, 60 people':<40} {auto_assignment() * 1000:.0f} ms")

    from import_bench import run as run_import

    base, ours, accepted = run_import(max(3, args.repeat // 2))
    print(f"{'import 10,000-row proposals XLSX':<40} {base * 1000:>7.0f}ms {ours * 1000:>7.0f}ms "
          f"{ours / base:>6.2f}x {'2.0x':>6}")
    print(f"  baseline: openpyxl read-only iteration of the same file; import = read, detect, "
          f"validate, de-duplicate and write {accepted:,} candidates in one transaction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
