"""The benchmarks still run: bench/all.py --quick produces its table with every row, a
failing benchmark becomes an error row without stopping the others, and the national
round runs end to end at 1 % scale. No timing is asserted: timings are not tests."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")  # start-up, filter and sheet benchmarks draw real widgets

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def _run(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def _load_all():  # type: ignore[no-untyped-def]
    """bench/all.py as a module (its name would shadow the builtin as a plain import)."""
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_all", BENCH / "all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_all"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_quick_run_prints_one_table_with_every_benchmark(tmp_path: Path) -> None:
    doc, rows = tmp_path / "benchmarks.md", tmp_path / "rows.json"
    proc = _run([str(BENCH / "all.py"), "--quick", "--out", str(doc), "--json-out", str(rows)],
                tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads(rows.read_text())
    bench_all = _load_all()
    present = [b for b in bench_all.BENCHES if b.present and not b.on_postgres]
    assert [b["name"] for b in data["benchmarks"]] == [b.name for b in present]
    for bench in data["benchmarks"]:
        assert bench["error"] == ""
        assert [f["key"] for f in bench["figures"]] == bench["expected"]
    names = [f["name"] for b in data["benchmarks"] for f in b["figures"]]
    # One table on stdout, one line per figure, written to --out as well.
    header = "| benchmark | baseline (same run) | OVOP Desktop | ratio | goal | peak memory |"
    assert proc.stdout.count(header) == 1
    for name in names:
        assert sum(line.startswith(f"| {name} |") for line in proc.stdout.splitlines()) == 1
    text = doc.read_text()
    assert header in text and "same-run" in text and "SQLite" in text
    assert "## National scale, end to end" in text  # the stage table of national_bench


def test_a_failing_benchmark_is_a_row_and_the_others_still_run() -> None:
    bench_all = _load_all()
    # A module that is there but fails in its subprocess: it has no figures().
    broken = bench_all.Bench("broken", "startup_child", ("broken.x",))
    missing = bench_all.Bench("missing", "not_written_yet_bench", ("missing.x",))
    visits = next(b for b in bench_all.BENCHES if b.name == "visits")
    outcomes = [bench_all.run_bench(b, quick=True, timeout=120)
                for b in (broken, visits, missing)]
    assert outcomes[0].error == ("RuntimeError: bench/startup_child.py has no figures(quick) "
                                 "function")
    assert "not in this checkout" in outcomes[2].error
    assert not outcomes[1].error and [f["key"] for f in outcomes[1].figures] == list(visits.keys)
    table = bench_all.table(outcomes).splitlines()
    assert table[2].startswith("| broken (bench/startup_child.py) | — | **failed:** Runtime")
    assert len(table) == 2 + 1 + len(visits.keys) + 1


def test_national_round_at_one_percent(tmp_path: Path) -> None:
    proc = _run([str(BENCH / "national_bench.py"), "--scale", "0.01"], tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    for stage in ("proposals imported", "screening", "enrolled", "planning", "packages signed",
                  "packages imported (verified", "keyed in and finished", "score bundles signed",
                  "bundles imported at the coordinator", "results computed", "reliability",
                  "printed", "**total, proposals import to printed list**", "PostgreSQL"):
        assert sum(stage in row for row in rows) >= 1, stage
    assert "100 candidates from 100 kab/kota" in out
    assert "6 accepted" in out
