"""Import of a 10,000-row proposals XLSX against openpyxl just iterating the same file."""

from __future__ import annotations

import statistics
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
