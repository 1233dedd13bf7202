"""Import of a 10,000-row proposals XLSX against openpyxl just iterating the same file.

    .venv/bin/python bench/import_bench.py [--json] [--quick]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ovop_desktop.domain.profile import Role
from ovop_desktop.services.demo_candidates import demo_candidates
from ovop_desktop.services.tabular_export import TEMPLATE_HEADERS
from ovop_desktop.services.workspace import Workspace

HEADERS = [h for h in TEMPLATE_HEADERS if h != "No"]


def write_proposals(path: Path, count: int) -> Path:
    """A proposals workbook as a region fills the template: title row, header, `count` rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Usulan")
    ws.append(["DAFTAR USULAN CALON PENERIMA PENGHARGAAN OVOP"])
    ws.append([])
    ws.append(HEADERS)
    for d in demo_candidates(count=count, reevaluations=0, provinces=34, seed=11):
        ws.append([d.name, d.owner, d.address, d.region_code, "", d.sentra_name,
                   d.sentra_sk_number, d.sentra_sk_date, d.commodity.value.replace("_", " "),
                   d.product, d.nib, "NIB, SK Sentra", d.workforce, d.capacity, d.markets,
                   d.export_history, "Baru", None, None])
    wb.save(path)
    return path


def iterate_only(path: Path) -> float:
    start = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    for _row in wb.active.iter_rows(values_only=True):
        pass
    wb.close()
    return time.perf_counter() - start


def full_import(path: Path, folder: Path) -> tuple[float, int]:
    with Workspace.open(folder) as ws:
        ws.profile.init(Role.COORDINATOR, "Bench", "")
        ws.rubrics.install_defaults()
        round_id = ws.rounds.create(2024, "Bench").id
        start = time.perf_counter()
        report = ws.proposals.run(ws.proposals.preview(path), round_id)
        return time.perf_counter() - start, len(report.accepted)


def run(repeat: int, rows: int = 10_000) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_proposals(Path(tmp) / "usulan.xlsx", rows)
        base, ours, accepted = [], [], 0
        for i in range(repeat):
            base.append(iterate_only(path))
            elapsed, accepted = full_import(path, Path(tmp) / f"p{i}")
            ours.append(elapsed)
    return statistics.median(base), statistics.median(ours), accepted


def figures(quick: bool = False) -> list[dict]:
    from benchkit import figure, ms

    rows, repeat = (500, 1) if quick else (10_000, 3)
    base, ours, accepted = run(repeat, rows)
    return [figure(f"import of a {rows:,}-row proposals XLSX (read, detect header, validate, "
                   "de-duplicate, write in one transaction)", key="import.proposals",
                   baseline_ms=ms(base), ours_ms=ms(ours), goal_ratio=2.0,
                   baseline_what="openpyxl read-only iteration of the same file",
                   detail=f"{accepted:,} candidates accepted; median of {repeat}")]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from benchkit import json_main

    if not json_main(figures):
        r = figures("--quick" in sys.argv[1:])[0]
        print(f"{r['name']}: {r['baseline_ms']:.0f} ms baseline, {r['ours_ms']:.0f} ms ours, "
              f"{r['ratio']:.2f}x (goal 2x)")
