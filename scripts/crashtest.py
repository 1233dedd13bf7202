#!/usr/bin/env python3
"""Crash tests at full count: SIGKILL at random moments, then check (tests/crash/harness.py).

    .venv/bin/python scripts/crashtest.py --runs 100 [--op scoring|export|import|migration|all]
                                          [--seed N] [--workers 2] [--keep DIR] [--verbose]

Prints one row per operation: runs, kills that landed mid-operation, acknowledged changes
checked after the restarts, failures (must be 0) and the time taken. Exits 1 if a run
failed; a failed run's folder is kept and named.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from crash.harness import SCENARIOS, OpStats, run_op  # noqa: E402


def table(rows: list[OpStats]) -> str:
    head = ("op", "runs", "kills mid-operation", "acknowledged changes checked", "failures",
            "typical op (s)", "time (s)")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        lines.append(f"| {r.op} | {r.runs} | {r.landed} | {r.acks} | {len(r.failures)} | "
                     f"{r.typical:.2f} | {r.seconds:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="kills per operation")
    parser.add_argument("--op", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill delays")
    parser.add_argument("--workers", type=int, default=2, help="runs at a time")
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a temp folder")
    parser.add_argument("--verbose", action="store_true", help="one line per run")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="ovop-crashtest-"))
    ops = list(SCENARIOS) if args.op == "all" else [args.op]
    print(f"seed {args.seed}, {args.runs} runs per operation, {args.workers} at a time, "
          f"in {base}", flush=True)
    rows = []
    for op in ops:
        started = time.monotonic()
        stats = run_op(SCENARIOS[op](), args.runs, args.seed, base / op, args.workers,
                       log=(lambda line: print(line, flush=True)) if args.verbose else None)
        rows.append(stats)
        print(f"{op}: {stats.runs} runs, {len(stats.failures)} failures, "
              f"{time.monotonic() - started:.0f} s", flush=True)
        for failure in stats.failures:
            print(f"  FAIL {failure}", flush=True)
    print()
    print(table(rows))
    for r in rows:
        for note, count in sorted(r.notes.items()):
            print(f"  {r.op}: {count} × {note}")
    failed = sum(len(r.failures) for r in rows)
    if not failed and not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
