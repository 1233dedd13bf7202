"""kill -9 at random moments during scoring, bundle export, bundle import and migration.

A few runs per operation, so the suite stays quick; `scripts/crashtest.py --runs 100` runs
the full count (harness.py explains the checks). Each run is killed after a seeded random
delay within the operation's measured duration; after the restart the store must pass
check_database, hold every acknowledged change and nothing half-applied, and the operation
re-run to completion must end where an uninterrupted run ends.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crash.harness import SCENARIOS, run_op

RUNS = 5
SEED = 20240813


@pytest.mark.parametrize("op", list(SCENARIOS))
def test_a_kill_at_a_random_moment_loses_nothing_acknowledged(op: str, tmp_path: Path) -> None:
    stats = run_op(SCENARIOS[op](), runs=RUNS, seed=SEED, base=tmp_path)
    assert stats.failures == []
    assert stats.runs == RUNS
    assert stats.landed >= 1  # delays are drawn over the operation: most land inside it
