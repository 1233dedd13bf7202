"""Concurrent coordinators on one store: a pool of real signed bundles imported by several OS
processes at once, and two processes moderating the same candidate.

Used by tests/services/test_postgres_concurrency.py (a small pool) and scripts/load_test.py
(the full 5 processes × 200 bundles). Works on SQLite (one file, `db_url=None`) and on
PostgreSQL. The workers are spawned processes (not forks: each opens its own store, as a
second coordinator's `ovop` would).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_fixtures import ASSESSOR_PASS, FAST_KDF  # noqa: E402
from panel_fixtures import make_panel  # noqa: E402

from ovop_desktop.data import audit  # noqa: E402
from ovop_desktop.data.models import AuditRow, BundleRow, ModerationRow  # noqa: E402
from ovop_desktop.errors import UserFacingError  # noqa: E402
from ovop_desktop.services import identity  # noqa: E402
from ovop_desktop.services.bundle_export import export_bundle  # noqa: E402
from ovop_desktop.services.maintenance import check_database  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402

ASSESSORS = 4  # panel_fixtures has four assessor identities


@dataclass(frozen=True)
class Pool:
    coordinator: Path          # the coordinators' profile folder (keys, evidence)
    db_url: str | None         # None: the folder's SQLite file
    files: list[Path]          # the signed bundles, every assessor's chain
    seqs: dict[str, int]       # file name → its sequence number
    newest: dict[str, str]     # assessor key → the file name of its newest bundle
    candidate: int             # a candidate the moderation workers share
    criterion: str
    seconds: float


def make_pool(work: Path, bundles: int, db_url: str | None = None) -> Pool:
    """A demo coordinator, four enrolled assessors on their own (SQLite) laptops, and
    `bundles` real signed bundles: each assessor re-scores and exports, round after round."""
    started = time.monotonic()
    identity.KDF_PARAMS = FAST_KDF
    panel = make_panel(work, ASSESSORS, db_url=db_url)
    try:
        summaries = panel.coordinator.candidates.summaries(panel.round_id)
        batik = [c.id for c in summaries if c.commodity.value == "kain_batik"]
        picks = batik[:3]
        for who in range(ASSESSORS):
            panel.give(who, picks)
        pool = work / "pool"
        pool.mkdir()
        files, seqs, newest = [], {}, {}
        rng = random.Random(7)
        criteria = panel.criteria(picks[0])
        for n in range(bundles):
            who = n % ASSESSORS
            ws = panel.assessors[who]
            for cid in picks:  # a different snapshot every time
                local = panel._local[who][cid]
                ws.scoring.set_score(local, rng.choice(criteria), rng.randint(1, 3))
            out = pool / f"nilai-{who}-{n // ASSESSORS + 1:04d}.zip"
            me = identity.load_public(ws.paths.keys)
            info = export_bundle(ws.store, ws.scoring, ws.profile.actor(), out,
                                 identity.unlock(ws.paths.keys, ASSESSOR_PASS), me)
            files.append(out)
            seqs[out.name] = info.seq
            newest[me.key_id] = out.name
        return Pool(work / "coordinator", db_url, files, seqs, newest, picks[0], criteria[0],
                    time.monotonic() - started)
    finally:
        panel.close()


# -- the workers (spawned processes) --------------------------------------------------------


def _import_worker(folder: str, db_url: str | None, files: list[str], batch: int | None,
                   ready: Any, go: Any, out: str) -> None:
    from ovop_desktop.services import bundles

    if batch:
        bundles.BATCH = batch  # smaller groups: the processes take turns more often
    report: dict[str, Any] = {"outcomes": [], "error": None}
    try:
        with Workspace.open(Path(folder), db_url=db_url) as ws:
            ready.put(1)
            go.wait(120)
            started = time.monotonic()
            outcomes = ws.bundles.import_files([Path(f) for f in files])
            report["seconds"] = time.monotonic() - started
            report["outcomes"] = [o.as_json() for o in outcomes]
    except BaseException as exc:  # the parent reports it (a worker never dies silently)
        report["error"] = f"{type(exc).__name__}: {exc}"
        ready.put(1)
    Path(out).write_text(json.dumps(report), encoding="utf-8")


def _moderate_worker(folder: str, db_url: str | None, candidate: int, criterion: str,
                     who: int, rounds: int, ready: Any, go: Any, out: str) -> None:
    report: dict[str, Any] = {"done": [], "refused": 0, "error": None}
    try:
        with Workspace.open(Path(folder), db_url=db_url) as ws:
            ready.put(1)
            go.wait(120)
            for n in range(rounds):
                level = None if n % 3 == 2 else 1 + (n + who) % 3
                try:
                    ws.results.moderate(candidate, criterion, level,
                                        f"rapat panel {who}-{n}")
                    report["done"].append(level)
                except UserFacingError:  # withdrawing when the other just withdrew
                    report["refused"] += 1
    except BaseException as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
        ready.put(1)
    Path(out).write_text(json.dumps(report), encoding="utf-8")


def _run(target: Any, args_for: list[tuple], folder: Path) -> tuple[list[dict], float]:
    """Start one spawned process per argument tuple; all begin together once all are open."""
    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Queue(), ctx.Event()
    outs = [folder / f"worker-{i}.json" for i in range(len(args_for))]
    procs = [ctx.Process(target=target, args=(*args, ready, go, str(out)))
             for args, out in zip(args_for, outs, strict=True)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=300)
    started = time.monotonic()
    go.set()
    for p in procs:
        p.join(900)
    seconds = time.monotonic() - started
    reports = []
    for p, out in zip(procs, outs, strict=True):
        if p.is_alive():
            p.kill()
        reports.append(json.loads(out.read_text(encoding="utf-8")) if out.exists()
                       else {"error": f"worker exited with {p.exitcode}", "outcomes": []})
    return reports, seconds


# -- the load and its checks -----------------------------------------------------------------


@dataclass
class LoadResult:
    processes: int
    bundles: int
    seconds: float
    reports: list[dict]
    outcomes: Counter = field(default_factory=Counter)  # every process's outcomes together
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Distinct bundles filed per second (the pool over the wall time)."""
        return self.bundles / self.seconds if self.seconds else 0.0


def run_imports(pool: Pool, processes: int, work: Path, *, batch: int | None = None,
                seed: int = 1) -> LoadResult:
    """Every process imports the whole pool, each in its own shuffled order, all at once."""
    rng = random.Random(seed)
    orders = []
    for _ in range(processes):
        files = [str(f) for f in pool.files]
        rng.shuffle(files)
        orders.append(files)
    folder = work / f"imports-{seed}"
    folder.mkdir()
    reports, seconds = _run(_import_worker, [(str(pool.coordinator), pool.db_url, order, batch)
                                             for order in orders], folder)
    result = LoadResult(processes, len(pool.files), seconds, reports)
    for r in reports:
        result.outcomes.update(o["status"] for o in r["outcomes"])
    result.problems = check_imports(pool, reports)
    return result


def check_imports(pool: Pool, reports: list[dict]) -> list[str]:
    """Everything that must hold after the concurrent imports; [] when it all does."""
    problems = []
    names = {f.name for f in pool.files}
    first: dict[str, str] = {}  # file → the one outcome that filed it
    for i, r in enumerate(reports):
        if r.get("error"):
            problems.append(f"process {i} failed: {r['error']}")
        seen = [o["file"] for o in r["outcomes"]]
        if sorted(seen) != sorted(names):
            problems.append(f"process {i} reported {len(seen)} outcomes for {len(names)} files")
        for o in r["outcomes"]:
            if o["status"] != "duplicate":
                if o["file"] in first:
                    problems.append(f"{o['file']} filed twice ({first[o['file']]}, "
                                    f"{o['status']})")
                first[o["file"]] = o["status"]
    missing = names - set(first)
    if missing:
        problems.append(f"{len(missing)} bundles filed by no process")
    with Workspace.open(pool.coordinator, db_url=pool.db_url) as ws:
        with ws.store.read() as s:
            rows = list(s.query(BundleRow))
            actions = Counter(a for (a,) in s.query(AuditRow.action))
            received = {b: n for b, n in s.execute(_scores_per_bundle())}
            chain = audit.verify(s)
        report = check_database(ws.store)
    by_file = Counter(r.file_name for r in rows)
    if len(rows) != len(names) or set(by_file) != names or max(by_file.values()) != 1:
        problems.append(f"{len(rows)} bundle rows for {len(names)} files "
                        f"({sum(n > 1 for n in by_file.values())} files twice)")
    if len({r.manifest_sha256 for r in rows}) != len(rows):
        problems.append("one bundle (manifest) is on record twice")
    status = {r.file_name: r.status for r in rows}
    for name, reported in first.items():
        final = status.get(name)
        allowed = {"accepted": {"accepted"}, "superseded": {"superseded"},
                   "held": {"accepted", "superseded"}}.get(reported, set())
        if final not in allowed:
            problems.append(f"{name}: reported {reported}, on record {final}")
    for key, name in pool.newest.items():
        if status.get(name) != "accepted":
            problems.append(f"the newest bundle of {key[:8]} ({name}) is {status.get(name)}")
    for r in rows:
        if received.get(r.id, 0) != r.scores:
            problems.append(f"bundle {r.file_name}: {received.get(r.id, 0)} score rows of "
                            f"{r.scores}")
    held = sum(1 for s in first.values() if s == "held")
    if actions["bundle.import"] != len(names) or actions["bundle.release"] != held:
        problems.append(f"audit: {actions['bundle.import']} imports, "
                        f"{actions['bundle.release']} releases for {len(names)} bundles, "
                        f"{held} held")
    if chain.first_bad_seq is not None or not report.ok:
        problems.append(f"check failed: chain breaks at {chain.first_bad_seq}, ok={report.ok}")
    return problems


def _scores_per_bundle():  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from ovop_desktop.data.models import ReceivedScoreRow

    return select(ReceivedScoreRow.bundle_id, func.count()).group_by(ReceivedScoreRow.bundle_id)


def run_moderations(pool: Pool, work: Path, rounds: int = 12) -> tuple[list[dict], list[str]]:
    """Two processes moderate (and withdraw) the same criterion of the same candidate at once;
    the history must read as one sequence, each entry audited with the level it replaced."""
    folder = work / "moderations"
    folder.mkdir()
    reports, _seconds = _run(_moderate_worker, [
        (str(pool.coordinator), pool.db_url, pool.candidate, pool.criterion, who, rounds)
        for who in (0, 1)], folder)
    problems = [f"process {i} failed: {r['error']}" for i, r in enumerate(reports)
                if r.get("error")]
    with Workspace.open(pool.coordinator, db_url=pool.db_url) as ws, ws.store.read() as s:
        history = list(s.query(ModerationRow).filter_by(
            candidate_id=pool.candidate, criterion_id=pool.criterion).order_by(ModerationRow.id))
        entries = [json.loads(a.details) for a in s.query(AuditRow).filter(
            AuditRow.action.in_(["results.moderate", "results.unmoderate"])).order_by(
            AuditRow.seq)]
        chain = audit.verify(s)
    done = sum(len(r["done"]) for r in reports)
    if len(history) != done or len(entries) != done:
        problems.append(f"{done} moderations reported, {len(history)} in the history, "
                        f"{len(entries)} audited")
    current = None
    for row, entry in zip(history, entries, strict=False):
        if entry["old"] != current or entry["new"] != row.level:
            problems.append(f"moderation {row.id}: audited {entry['old']}→{entry['new']}, "
                            f"history {current}→{row.level} (a lost update)")
        if row.level is None and current is None:
            problems.append(f"moderation {row.id} withdrew nothing")
        current = row.level
    if chain.first_bad_seq is not None:
        problems.append(f"the audit chain breaks at {chain.first_bad_seq}")
    return reports, problems
