"""Stars and ranks at national scale against one SQL GROUP BY over the same score table.

10,000 candidates × 3 assessors × 25 criteria (750,000 received scores: the default
rubrics widened from 22 to 25 criteria, the size the goal is set for). The received
bundles are written straight into the tables (the import path has its own benchmark);
the results are then computed through the real service. Baseline: a single
`GROUP BY candidate, criterion` with AVG over received_score, in the same run.

    .venv/bin/python bench/results_bench.py [--json] [--quick]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CANDIDATES, ASSESSORS, PER, CRITERIA = 10_000, 60, 3, 25
BASELINE = ("SELECT candidate_id, criterion_id, AVG(level), COUNT(*) FROM received_score "
            "GROUP BY candidate_id, criterion_id")


def build(folder: Path, candidates: int = CANDIDATES) -> int:
    return received_panel(folder, candidates, ASSESSORS, seed=7, analyze=True,
                          criteria=CRITERIA)


def received_panel(folder: Path, candidates: int, assessors: int, *, seed: int,
                   named: bool = False, notes: tuple[str, ...] = (),
                   analyze: bool = False, criteria: int | None = None) -> int:
    """A profile of `candidates` whose accepted bundles (one per assessor, PER sheets per
    candidate) are written straight into the tables; returns the number of scores.

    Shared with print_bench: `named` gives the assessors full names and an institution,
    `notes` adds sheet and criterion notes (drawn from the same random stream);
    `criteria` widens the rubrics (default: the shipped 22)."""
    from run import build_profile

    from ovop_desktop.services.workspace import Workspace

    build_profile(folder, candidates, criteria)
    with Workspace.open(folder) as ws:
        round_ = ws.current_round()
        assert round_ is not None
        report = ws.results.report(round_.id)
        criteria = {c: [k.id for _a, k in r.criteria()] for c, r in report.rubrics.items()}
        db = ws.store.path
        cands = [(c.id, c.commodity.value) for c in ws.candidates.summaries(round_.id)]
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    now = "2024-10-20T10:00:00+07:00"
    institution = "Direktorat Jenderal IKMA, Kementerian Perindustrian" if named else ""
    with conn:
        conn.executemany(
            "INSERT INTO assessor (id, name, institution, public_key, key_id, commodities, "
            "province_code, confirmed_by, channel, enrolled_at, home_region_code) "
            "VALUES (?, ?, ?, '', ?, '', '', 'bench', 'bench', ?, '')",
            [(a, f"Dr. Penilai Nomor {a}, M.Si." if named else f"Penilai {a}", institution,
              f"{a:064x}", now) for a in range(1, assessors + 1)])
        conn.executemany(
            "INSERT INTO bundle (id, assessor_id, round_id, key_id, seq, bundle_id, "
            "manifest_sha256, prev, file_sha256, file_name, status, reason, sheets, scores, "
            "imported_at, decided_by) VALUES (?, ?, ?, ?, 1, '', ?, '', '', 'b.zip', "
            "'accepted', '', 0, 0, ?, '')",
            [(a, a, round_.id, f"{a:064x}", f"{a:064x}", now) for a in range(1, assessors + 1)])
        sheets, scores, assign = [], [], []
        for i, (cid, commodity) in enumerate(cands):
            quality = rng.random()
            for j in range(PER):
                a = (i * PER + j) % assessors + 1
                assign.append((round_.id, a, cid))
                sheets.append((a, cid, rng.choice(notes) if notes and rng.random() < 0.3
                               else ""))
                for crit in criteria[commodity]:
                    level = min(3, max(1, round(1 + 2 * quality + rng.gauss(0, 0.5))))
                    note = rng.choice(notes) if notes and rng.random() < 0.03 else ""
                    scores.append((a, cid, crit, level, note))
        conn.executemany("INSERT INTO assignment VALUES (?, ?, ?)", assign)
        conn.executemany("INSERT INTO received_sheet (bundle_id, candidate_id, status, note) "
                         "VALUES (?, ?, 'finished', ?)", sheets)
        conn.executemany("INSERT INTO received_score (bundle_id, candidate_id, criterion_id, "
                         "level, note) VALUES (?, ?, ?, ?, ?)", scores)
    if analyze:
        conn.execute("ANALYZE")
    conn.close()
    return len(scores)


def run(folder: Path, repeat: int = 5, candidates: int = CANDIDATES) -> dict[str, float]:
    from ovop_desktop.services.workspace import Workspace

    n_scores = build(folder, candidates)
    base, ours = [], []
    with Workspace.open(folder) as ws:
        round_ = ws.current_round()
        assert round_ is not None
        ws.results.report(round_.id)  # warm the page cache for both sides
        for _ in range(repeat):
            conn = ws.store.raw_connection()
            start = time.perf_counter()
            rows = conn.execute(BASELINE).fetchall()
            base.append(time.perf_counter() - start)
            conn.close()
            start = time.perf_counter()
            report = ws.results.report(round_.id)
            ours.append(time.perf_counter() - start)
        assert len(rows) == n_scores // PER
        tracemalloc.start()
        report = ws.results.report(round_.id)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        start = time.perf_counter()
        ws.results.reliability(report)
        reliability = time.perf_counter() - start
    ranked = sum(1 for r in report.results.candidates if r.rank is not None)
    return {"candidates": len(report.results.candidates), "scores": n_scores,
            "baseline": statistics.median(base), "ours": statistics.median(ours),
            "peak_mb": peak / 1e6, "reliability": reliability, "ranked": ranked}


def figures(quick: bool = False) -> list[dict]:
    from benchkit import figure, ms

    repeat, candidates = (1, 300) if quick else (5, CANDIDATES)
    with tempfile.TemporaryDirectory() as tmp:
        r = run(Path(tmp), repeat, candidates)
    return [
        figure(f"stars and ranks of {r['candidates']:,} candidates from {r['scores']:,} "
               "received scores (`ws.results.report`)", key="results.report",
               baseline_ms=ms(r["baseline"]), ours_ms=ms(r["ours"]), goal_ratio=2.0,
               baseline_what="one SQL `GROUP BY candidate, criterion` with AVG over the same "
                             "scores", traced_mb=r["peak_mb"],
               detail=f"{r['ranked']:,} ranked; median of {repeat}"),
        figure(f"reliability report (Krippendorff's alpha, ICC) on the same "
               f"{r['candidates']:,} candidates", key="results.reliability",
               ours_ms=ms(r["reliability"]), detail="one run"),
    ]


def main() -> int:
    from benchkit import json_main

    if json_main(figures):
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        r = run(Path(tmp))
    ratio = r["ours"] / r["baseline"]
    print(f"{'stars and ranks, 10,000 candidates':<40} {r['baseline'] * 1000:>7.0f}ms "
          f"{r['ours'] * 1000:>7.0f}ms {ratio:>6.2f}x {'2x':>6}")
    print(f"  {r['scores']:,} scores, {r['ranked']:,} ranked; baseline: one SQL GROUP BY; "
          f"peak Python memory {r['peak_mb']:.0f} MB; reliability report "
          f"{r['reliability'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
