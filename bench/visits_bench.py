"""Scoring latency (set a level → durably committed) and the automatic assignment's time.

    .venv/bin/python bench/visits_bench.py [--json] [--quick]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import PlanAssessor, PlanCandidate, plan
from ovop_desktop.domain.profile import Role
from ovop_desktop.services.workspace import Workspace


def score_latency(changes: int = 1000) -> tuple[float, float, float]:
    """p50/p95/max milliseconds of `set_score` (one WAL transaction with synchronous=FULL),
    which is exactly what a key press 1/2/3 on the scoring sheet runs."""
    with tempfile.TemporaryDirectory() as tmp, Workspace.open(Path(tmp)) as ws:
        ws.profile.init(Role.ASSESSOR, "Bench", "")
        ws.rubrics.install_defaults()
        rid = ws.rounds.create(2024, "Bench").id
        ids = ws.candidates.create_many(rid, [CandidateData(
            name=f"IKM {i}", region_code="32.05", commodity=Commodity.KAIN_BATIK,
            product="Batik") for i in range(10)], "bench")
        criteria = [c.id for _a, c in ws.rubrics.find(Commodity.KAIN_BATIK).rubric
                    .criteria()]
        rng, times = random.Random(5), []
        for i in range(changes):
            cid, crit = ids[i % len(ids)], criteria[rng.randrange(len(criteria))]
            start = time.perf_counter()
            ws.scoring.set_score(cid, crit, 1 + (i % 3))
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times))], times[-1]


def auto_assignment(candidates: int = 1000, assessors: int = 60) -> float:
    rng = random.Random(7)
    regions = ["32.05", "34.71", "13.76", "33.17", "52.01", "32.14", "11.06", "16.71"]
    people = [PlanAssessor(i, f"A{i}", frozenset({rng.choice(list(Commodity))}), i % 10 == 0,
                           rng.choice(regions + [""] * 8)) for i in range(assessors)]
    cands = [PlanCandidate(i, rng.choice(list(Commodity)), rng.choice(regions))
             for i in range(candidates)]
    declared = {(rng.randrange(assessors), rng.randrange(candidates)): "x" for _ in range(200)}
    start = time.perf_counter()
    plan(cands, people, declared)
    return time.perf_counter() - start


def figures(quick: bool = False) -> list[dict]:
    from benchkit import figure

    changes, candidates = (100, 100) if quick else (1000, 1000)
    p50, p95, worst = score_latency(changes)
    assign = auto_assignment(candidates)
    return [
        figure(f"setting a level → committed to the store ({changes:,} changes; the work a "
               "key press 1/2/3 does)", key="visits.latency", ours_ms=p50,
               ours_text=f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.0f} ms",
               goal_text="p95 ≤ 30 ms", met=p95 <= 30,
               detail="one WAL transaction with synchronous=FULL per change"),
        figure(f"automatic assignment of {candidates:,} candidates to 60 assessors",
               key="visits.assign", ours_ms=assign * 1000,
               detail="domain planner alone (no store)"),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchkit import json_main

    if not json_main(figures):
        print(score_latency(), auto_assignment())
