"""Every benchmark in bench/ as one table, each run in its own subprocess.

    .venv/bin/python bench/all.py                    # full sizes; writes docs/benchmarks.md
    .venv/bin/python bench/all.py --quick            # small sizes: a smoke run (writes nothing)
    .venv/bin/python bench/all.py --only import --only bundles
    .venv/bin/python bench/all.py --db-url postgresql://…   # national also on PostgreSQL
    .venv/bin/python bench/all.py --render rows.json   # the Markdown again from --json-out

Each benchmark module offers `figures(quick)` (or `collect(quick, db_url)` for several
tables); this script runs `all.py --child MODULE` per benchmark in a fresh interpreter, so
memory and imports do not leak from one into the next, reads the one JSON line the child
prints, and adds the child's peak memory. A benchmark that fails or times out becomes a
row with its error; the others still run. Ratios compare two timings taken in the same run
on the same machine. The table goes to stdout, progress to stderr. docs/benchmarks.md is
written after a complete full-size run (no --quick, no --only) or wherever --out says.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"


@dataclass(frozen=True)
class Bench:
    name: str      # what --only takes
    module: str    # bench/<module>.py
    keys: tuple[str, ...] = ()  # the rows it yields (a failed run shows one error row instead)
    on_postgres: bool = False  # gets --db-url (and runs only when one is given)

    @property
    def present(self) -> bool:
        return (BENCH / f"{self.module}.py").exists()


# In table order. A new bench/*_bench.py with a figures() function is picked up on its own.
BENCHES: tuple[Bench, ...] = (
    Bench("startup", "run", ("startup.paint", "startup.ready")),
    Bench("import", "import_bench", ("import.proposals",)),
    Bench("bundles", "bundle_bench", ("bundles.import",)),
    Bench("visits", "visits_bench", ("visits.latency", "visits.assign")),
    Bench("sheet", "sheet_bench", ("sheet.photos",)),
    Bench("filter", "filter_bench", ("filter.keystroke",)),
    Bench("results", "results_bench", ("results.report", "results.reliability")),
    Bench("print", "print_bench", ("print.scorecards",)),  # hook: another engineer's bench
    Bench("national", "national_bench", ("national.total",)),
    Bench("national-pg", "national_bench", ("national.total.postgresql",), on_postgres=True),
)
_NOT_BENCHES = {"all", "benchkit", "startup_child"}


def benches() -> list[Bench]:
    """The registered benchmarks, then any other bench/*.py module with figures()."""
    known = {b.module for b in BENCHES}
    extra = [Bench(p.stem.removesuffix("_bench"), p.stem) for p in sorted(BENCH.glob("*.py"))
             if p.stem not in known | _NOT_BENCHES and "def figures(" in p.read_text()]
    return list(BENCHES) + extra


# -- the child: one benchmark in its own interpreter ---------------------------------------


def _print_scorecards(module: Any, quick: bool) -> list[dict[str, Any]]:
    """print_bench.py has no figures() (yet): its run() read here."""
    from benchkit import figure, ms

    if quick:
        module.CANDIDATES = 40  # read by its build() and run() at call time
        # Its baseline draws every candidate of the profile (at least the demo's 236), and
        # under tracemalloc that alone takes ~35 s: a smoke run skips the memory runs.
        module.peak = lambda _fn: float("nan")
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        r = module.run(Path(tmp), repeat)
    traced = None if quick else r["peak_mb"]
    return [figure(f"{module.CANDIDATES:,} one-page scorecards into one PDF (`scorecards()`)",
                   key="print.scorecards", baseline_ms=ms(r["baseline"]), ours_ms=ms(r["ours"]),
                   goal_ratio=3.0, traced_mb=traced,
                   baseline_what="one reportlab `Canvas` drawing the same content at fixed "
                                 "positions",
                   detail=f"{r['pages']:.0f} pages, {r['bytes'] / 1e6:.1f} MB (baseline "
                          f"{r['baseline_pages']:.0f} pages); "
                          + ("" if quick else f"baseline traced {r['baseline_peak_mb']:.0f} MB; ")
                          + f"median of {repeat}, interleaved")]


ADAPTERS = {"print_bench": _print_scorecards}


def child(module_name: str, quick: bool, db_url: str | None) -> int:
    sys.path[:0] = [str(ROOT), str(BENCH)]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchkit import emit, payload

    module = importlib.import_module(module_name)
    if hasattr(module, "collect"):
        wanted = inspect.signature(module.collect).parameters
        result = module.collect(quick, db_url) if "db_url" in wanted else module.collect(quick)
    elif hasattr(module, "figures"):
        result = payload(module.figures(quick))
    elif module_name in ADAPTERS:
        result = payload(ADAPTERS[module_name](module, quick))
    else:
        raise RuntimeError(f"bench/{module_name}.py has no figures(quick) function")
    emit(result)
    return 0


# -- the parent ------------------------------------------------------------------------------


@dataclass
class Outcome:
    bench: Bench
    seconds: float
    figures: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, str]] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    error: str = ""


def run_bench(bench: Bench, quick: bool, db_url: str | None = None,
              timeout: float = 3600) -> Outcome:
    """One benchmark in a new interpreter (its own session, so a timeout kills all of it)."""
    from benchkit import JSON_MARK

    if not bench.present:
        return Outcome(bench, 0.0, error=f"bench/{bench.module}.py is not in this checkout")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", bench.module]
    cmd += ["--quick"] if quick else []
    cmd += ["--db-url", db_url] if db_url and bench.on_postgres else []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return Outcome(bench, time.perf_counter() - start,
                       error=f"timed out after {timeout:.0f} s")
    elapsed = time.perf_counter() - start
    lines = [line for line in out.splitlines() if line.startswith(JSON_MARK)]
    if proc.returncode != 0 or not lines:
        return Outcome(bench, elapsed, error=_last_error(err, proc.returncode))
    data = json.loads(lines[-1][len(JSON_MARK):])
    return Outcome(bench, elapsed, data["figures"], data.get("sections", []),
                   data.get("rss_mb", {}))


def _last_error(stderr: str, code: int) -> str:
    """The exception line of a traceback (or the last line said), one line, kept short."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = lines[-1] if lines else f"exited with status {code} and said nothing"
    return text if len(text) <= 300 else text[:297] + "…"


# -- the table ----------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 10_000:
        return f"{value / 1000:,.1f} s"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def row_cells(f: dict[str, Any], rss_mb: dict[str, float]) -> list[str]:
    baseline = (f"{f['baseline_what']}: {_ms(f['baseline_ms'])}" if f["baseline_ms"] is not None
                else "—")
    ours = f["ours_text"] or _ms(f["ours_ms"])
    ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f}×"
    if f["goal_ratio"] is not None:
        ratio = f"**{ratio}**"
        goal = f"≤ {f['goal_ratio']:g}×"
    else:
        goal = f["goal_text"] or "—"
    if f["met"] is not None and goal != "—":
        goal += " ✓" if f["met"] else " ✗ (missed)"
    rss = f.get("peak_mb_override") or rss_mb.get(f.get("rss", "self"))
    memory = f"{rss:,.0f} MB RSS" if rss else "—"
    if f.get("traced_mb") is not None:
        memory += f"; {f['traced_mb']:,.1f} MB traced"
    return [_cell(x) for x in (f["name"], baseline, ours, ratio, goal, memory)]


HEADER = ("| benchmark | baseline (same run) | OVOP Desktop | ratio | goal | peak memory |\n"
          "|---|---|---|---|---|---|")


def table(outcomes: list[Outcome]) -> str:
    lines = [HEADER]
    for o in outcomes:
        if o.error:
            lines.append(f"| {o.bench.name} (bench/{o.bench.module}.py) | — | **failed:** "
                         f"{_cell(o.error)} | — | — | — |")
            continue
        lines += ["| " + " | ".join(row_cells(f, o.rss_mb)) + " |" for f in o.figures]
    return "\n".join(lines)


def notes(outcomes: list[Outcome]) -> str:
    return "\n".join(f"- {f['name']}: {f['detail']} ({o.seconds:,.0f} s for this benchmark's "
                     "process, set-up included)"
                     for o in outcomes if not o.error for f in o.figures if f["detail"])


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    try:
        from PySide6 import __version__ as pyside
    except ImportError:
        pyside = "not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {"cpus": str(os.cpu_count()), "cpu": cpu or "unknown",
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "pyside6": pyside, "load": load}


MEMORY_NOTE = (
    "Peak memory: **RSS** is `ru_maxrss` of the benchmark's own subprocess, its set-up "
    "included (building a 10,000-candidate profile, writing the files it imports); for "
    "start-up, of the app's process (the largest child it timed); for the national run, the "
    "highest per-stage peak. **traced** is the `tracemalloc` peak of the measured operation "
    "alone (Python allocations only), where the benchmark measures it, in a separate untimed "
    "run.")


NATIONAL_NOTE = (
    "The laptops stay on SQLite in both national runs, and the two runs ran one after the "
    "other: the difference in the laptop rows (packages imported, sheets keyed in, bundles "
    "signed) is the machine's noise, not the coordinator's store. Compare the coordinator's "
    "rows with that in mind.")


def document(outcomes: list[Outcome], info: dict[str, str], quick: bool, total: float,
             command: str = "bench/all.py", when: datetime | None = None) -> str:
    stamp = (when or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z")
    size = "smoke sizes: not figures to quote" if quick else "full sizes"
    parts = [
        "# Benchmarks",
        "",
        f"Measured {stamp} by `.venv/bin/python {command}` ({size}), every benchmark in its "
        f"own subprocess, {total / 60:,.1f} minutes in all.",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['system']}, Python "
        f"{info['python']}, SQLite {info['sqlite']}, PySide6 {info['pyside6']}, offscreen; "
        f"load average at the start {info['load']} (the machine is shared, so absolute times "
        "are noisy).",
        "",
        "**Ratios are same-run:** each baseline is timed in the same run, on the same data, "
        "interleaved with ours where the benchmark repeats, so a ratio carries over to another "
        "machine far better than the absolute times do. A goal is met (✓) when the ratio is at "
        "or under it.",
        "",
        table(outcomes),
        "",
        MEMORY_NOTE,
        "",
    ]
    detail = notes(outcomes)
    if detail:
        parts += ["Notes:", "", detail, ""]
    for o in outcomes:
        for section in o.sections:
            parts += [f"## {section['title']}", "", section["markdown"], ""]
    if sum(o.bench.module == "national_bench" and bool(o.sections) for o in outcomes) > 1:
        parts += [NATIONAL_NOTE, ""]
    return "\n".join(parts)


def render(saved: Path, out: Path) -> int:
    """The Markdown of an earlier run again (after a change to this layout), from its JSON."""
    data = json.loads(saved.read_text(encoding="utf-8"))
    known = {(b.name, b.module): b for b in BENCHES}
    outcomes = [Outcome(known.get((b["name"], b["module"]),
                              Bench(b["name"], b["module"], tuple(b["expected"]))),
                        b["seconds"], b["figures"], b["sections"], b["rss_mb"], b["error"])
                for b in data["benchmarks"]]
    when = datetime.fromisoformat(data["measured_at"]) if "measured_at" in data else \
        datetime.fromtimestamp(saved.stat().st_mtime - data["seconds"]).astimezone()
    command = data.get("command") or " ".join(
        ["bench/all.py"] + (["--quick"] if data["quick"] else [])
        + (["--db-url postgresql://…"] if any(o.bench.on_postgres for o in outcomes) else []))
    out.write_text(document(outcomes, data["machine"], data["quick"], data["seconds"], command,
                            when), encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="only this benchmark (repeatable or comma-separated): "
                             + ", ".join(b.name for b in benches()))
    parser.add_argument("--out", type=Path, help=f"write the Markdown here (default: {DOC.name} "
                        "after a complete full-size run)")
    parser.add_argument("--json-out", type=Path, help="also write every row as JSON here")
    parser.add_argument("--db-url", help="also run the national round with the coordinator's "
                        "store on this PostgreSQL server (a role that may CREATE DATABASE)")
    parser.add_argument("--timeout", type=float, help="seconds per benchmark "
                        "(default 3600, 600 with --quick)")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only write the Markdown again from a --json-out file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.quick, args.db_url)
    if args.render:
        return render(args.render, args.out or DOC)

    chosen = [b for b in benches() if args.db_url or not b.on_postgres]
    if args.only:
        wanted = {n.strip() for item in args.only for n in item.split(",") if n.strip()}
        unknown = wanted - {b.name for b in chosen}
        if unknown:
            parser.error(f"unknown benchmark {', '.join(sorted(unknown))}; choose from "
                         + ", ".join(b.name for b in chosen))
        chosen = [b for b in chosen if b.name in wanted]
    timeout = args.timeout or (600 if args.quick else 3600)
    info = machine()
    sys.path.insert(0, str(BENCH))
    started, start = datetime.now().astimezone(), time.perf_counter()
    outcomes = []
    for n, bench in enumerate(chosen, start=1):
        print(f"[{n}/{len(chosen)}] {bench.name} …", file=sys.stderr, flush=True)
        outcome = run_bench(bench, args.quick, args.db_url, timeout)
        outcomes.append(outcome)
        state = f"failed: {outcome.error}" if outcome.error else "ok"
        print(f"[{n}/{len(chosen)}] {bench.name}: {outcome.seconds:,.1f} s, {state}",
              file=sys.stderr, flush=True)
    total = time.perf_counter() - start
    command = " ".join(["bench/all.py"] + (["--quick"] if args.quick else [])
                       + [f"--only {b.name}" for b in chosen if args.only]
                       + (["--db-url postgresql://…"] if args.db_url else []))
    text = document(outcomes, info, args.quick, total, command, started)
    print(text)
    out = args.out or (DOC if not args.quick and not args.only else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)
    if args.json_out is not None:
        args.json_out.write_text(json.dumps({
            "machine": info, "quick": args.quick, "seconds": total, "command": command,
            "measured_at": started.isoformat(timespec="seconds"),
            "benchmarks": [{"name": o.bench.name, "module": o.bench.module,
                            "expected": list(o.bench.keys), "error": o.error,
                            "seconds": o.seconds, "rss_mb": o.rss_mb, "figures": o.figures,
                            "sections": o.sections} for o in outcomes]}, indent=2),
            encoding="utf-8")
    return 1 if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
