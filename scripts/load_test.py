#!/usr/bin/env python3
"""Load: several coordinator processes import the same pool of signed bundles into one store.

    .venv/bin/python scripts/load_test.py [--db-url postgresql://user@host/db | --data-dir DIR]
                                          [--processes 5] [--bundles 200] [--batch N]
                                          [--seed 1] [--moderations 12]

The store is an empty PostgreSQL database (--db-url), else the SQLite file of a new profile
in DIR (or a temporary folder). Four assessors on their own laptops make `--bundles` real
signed bundles; then `--processes` spawned processes import all of them at once, each in its
own order (groups of --batch, default the app's own 100). Afterwards every bundle must be on
record exactly once, every process must have reported an outcome for every file, held
bundles released, the newest bundle of each assessor accepted and the audit chain whole.
Last, two processes moderate one candidate at once. Prints the figures; exits 1 on any
problem (listed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "services"))

from load_harness import make_pool, run_imports, run_moderations  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db-url", help="an empty PostgreSQL database (the store)")
    where.add_argument("--data-dir", type=Path, help="a new folder for an SQLite profile "
                                                     "(kept afterwards)")
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--bundles", type=int, default=200)
    parser.add_argument("--batch", type=int, help="bundles per transaction (default: the app's)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the import orders")
    parser.add_argument("--moderations", type=int, default=12,
                        help="moderations per moderating process")
    args = parser.parse_args(argv)
    if args.data_dir is not None and args.data_dir.exists() and any(args.data_dir.iterdir()):
        parser.error(f"{args.data_dir} is not empty")
    work = args.data_dir or Path(tempfile.mkdtemp(prefix="ovop-load-"))
    work.mkdir(parents=True, exist_ok=True)
    store = "PostgreSQL" if args.db_url else "SQLite"
    print(f"{store}: {args.processes} processes × {args.bundles} bundles, in {work}", flush=True)
    try:
        pool = make_pool(work, args.bundles, args.db_url)
        print(f"pool: {len(pool.files)} signed bundles from 4 assessors in "
              f"{pool.seconds:.1f} s", flush=True)
        result = run_imports(pool, args.processes, work, batch=args.batch, seed=args.seed)
        slowest = max((r.get("seconds", 0.0) for r in result.reports), default=0.0)
        outcomes = ", ".join(f"{n} {status}" for status, n in sorted(result.outcomes.items()))
        print(f"import: {result.seconds:.1f} s wall (slowest process {slowest:.1f} s), "
              f"{result.rate:.1f} distinct bundles/s, "
              f"{args.processes * len(pool.files) / result.seconds:.1f} files/s; "
              f"outcomes: {outcomes}", flush=True)
        reports, moderation_problems = run_moderations(pool, work, args.moderations)
        print(f"moderation: {sum(len(r['done']) for r in reports)} moderations by 2 processes, "
              f"{sum(r['refused'] for r in reports)} withdrawals refused (nothing to withdraw)",
              flush=True)
        problems = result.problems + moderation_problems
    finally:
        if args.data_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"  PROBLEM {problem}")
    print("ok: every bundle on record once, every outcome reported, the audit chain whole"
          if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
