"""Benchmarks as ratios against a baseline measured in the same run.

    .venv/bin/python bench/run.py [--repeat N]

Entry 1 — start-up: process start → first painted main window of OVOP Desktop on
a large profile, against a bare PySide6 QMainWindow (goal ≤ 1.5×). Runs are
interleaved so machine noise hits both sides alike; the median is compared.
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

ROOT = Path(__file__).resolve().parents[1]
CHILD = ROOT / "bench" / "startup_child.py"


def time_to_paint(args: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(CHILD), *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    end = time.perf_counter()
    if "painted" not in proc.stdout:
        raise RuntimeError(f"child failed: {proc.stderr[-2000:]}")
    return end - start


def build_profile(folder: Path) -> str:
    """A demo coordinator profile; grows with the registry (10,000 candidates once it exists)."""
    from ovop_desktop.services.demo import build_demo
    from ovop_desktop.services.workspace import Workspace

    with Workspace.open(folder) as ws:
        build_demo(ws)
    return "demo profile: 2 rounds, 5 rubrics (candidates arrive with the registry)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        what = build_profile(Path(tmp))
        time_to_paint(["bare"])  # warm the OS file cache for both sides
        time_to_paint(["app", tmp])
        bare, app = [], []
        for _ in range(args.repeat):
            bare.append(time_to_paint(["bare"]))
            app.append(time_to_paint(["app", tmp]))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"{'benchmark':<34} {'baseline':>10} {'ovop':>10} {'ratio':>7} {'goal':>6}")
    print(f"{'start-up to first paint':<34} {b * 1000:>8.0f}ms {a * 1000:>8.0f}ms "
          f"{a / b:>6.2f}x {'1.5x':>6}")
    print(f"  ({what}; median of {args.repeat}, interleaved)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
