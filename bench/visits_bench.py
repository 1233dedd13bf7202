"""Scoring latency (set a level → durably committed) and the automatic assignment's time."""

from __future__ import annotations

import random
import statistics
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


if __name__ == "__main__":
    print(score_latency(), auto_assignment())
