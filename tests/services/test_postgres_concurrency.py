"""Several coordinator processes on one store at once: no bundle lost or filed twice, every
outcome reported, the audit chain whole, and concurrent moderation read as one history.

On PostgreSQL (OVOP_TEST_PG_URL; skipped without it) and on one SQLite file. Five spawned
processes import the same pool of 40 real signed bundles, each in its own order, in groups of
4 so that they take turns; scripts/load_test.py runs the full 200 bundles per process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_harness import make_pool, run_imports, run_moderations  # noqa: E402

PROCESSES, BUNDLES, BATCH = 5, 40, 4


@pytest.mark.both_stores
def test_five_coordinators_import_one_pool_and_two_moderate_one_candidate(
        tmp_path: Path, store_url: str | None) -> None:
    pool = make_pool(tmp_path, BUNDLES, store_url)
    result = run_imports(pool, PROCESSES, tmp_path, batch=BATCH)
    assert result.problems == []
    # Each bundle was filed by exactly one process; the four others saw a duplicate.
    assert result.outcomes["duplicate"] == (PROCESSES - 1) * BUNDLES
    assert sum(result.outcomes.values()) == PROCESSES * BUNDLES
    assert result.outcomes["rejected"] == 0

    reports, problems = run_moderations(pool, tmp_path)
    assert problems == []
    assert all(len(r["done"]) > 0 for r in reports)  # both processes got their turns
