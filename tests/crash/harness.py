"""Crash harness: SIGKILL a real process at a random moment, then check what was promised.

A child process (child.py, run with this interpreter) performs one operation on a copy of a
real profile and prints "ACK …" the moment the app would show a change as saved or imported.
The parent first runs the operation once uninterrupted (its duration sets the range of the
kill delays, its end state is the reference), then, for every run, kills a fresh child after
a delay drawn from a seeded RNG and checks, after the restart:

* SQLite's integrity_check, the foreign keys and the audit chain (services.maintenance);
* every acknowledged change is on disk, with at most one unacknowledged extra;
* nothing is half-applied (a score without its history and audit entry, a bundle without
  all its scores, a schema step without its version stamp, a truncated file under a final
  name; temp files are allowed only under temp names);
* the operation re-run to completion ends exactly where an uninterrupted run ends.

Operations: scoring (an assessor giving levels), export (an assessor writing signed bundles
to a folder), import (the coordinator importing a folder of 31 bundles, committed in groups)
and migration (opening a profile written at schema version 2: backup, then the ladder).
SIGKILL is a process crash, not a power cut: the page cache survives it, so these runs test
the transaction and rename discipline, not fsync (see security.md §5, "Power loss").
"""

from __future__ import annotations

import hashlib
import json
import queue
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child.py"
for _folder in (HERE, HERE.parent / "services"):  # child.Lines; the exchange and panel fixtures
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from exchange_fixtures import ASSESSOR_PASS, COORD_PASS, FAST_KDF, packaged  # noqa: E402, F401
from panel_fixtures import make_panel  # noqa: E402

from ovop_desktop.services import identity  # noqa: E402
from ovop_desktop.services.maintenance import check_database  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402

BUNDLE_NAME = "nilai-{seq:03d}.zip"
FINAL_BUNDLE = re.compile(r"^nilai-(\d{3})\.zip$")
TEMP_BUNDLE = re.compile(r"^\.nilai-\d{3}\.zip\..+\.part$")  # atomic_write's temp names
EVIDENCE = re.compile(r"^([0-9a-f]{64})\.(zip|part)$")
KILL_SPREAD = 1.1  # delays cover the measured duration and a little after (kills that miss)
MEASURE = 2  # uninterrupted runs per worker, before the kills


# -- the child process ----------------------------------------------------------------------


@dataclass
class ChildRun:
    lines: list[str]
    returncode: int
    stderr: str
    duration: float | None  # BEGIN → DONE, seconds (None: did not finish)

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    @property
    def begun(self) -> bool:
        return any(line.startswith("BEGIN ") for line in self.lines)

    @property
    def done(self) -> bool:
        return any(line.startswith("DONE ") for line in self.lines)

    @property
    def landed(self) -> bool:
        """The kill came while the operation was under way."""
        return self.killed and self.begun and not self.done

    @property
    def acks(self) -> list[list[str]]:
        return [line.split()[1:] for line in self.lines if line.startswith("ACK ")]

    def error(self) -> str | None:
        if self.returncode not in (0, -signal.SIGKILL):
            tail = " | ".join(self.stderr.strip().splitlines()[-3:])
            return f"the child failed (exit {self.returncode}): {tail}"
        if not self.killed and not self.done:
            return "the child ended without finishing"
        return None


class ForkServer:
    """`child.py serve`, started once: each run is a fork of it (see child.py)."""

    def __init__(self, scratch: Path) -> None:
        from child import Lines

        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen([sys.executable, str(CHILD), "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=0)
        assert self.proc.stdout is not None and self.proc.stdin is not None
        self.replies = Lines(self.proc.stdout.fileno())
        self.runs = 0

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")

    def _reply(self, timeout: float | None) -> str | None:
        line = self.replies.readline(timeout)
        if line == "":
            raise RuntimeError("the fork server died")
        return line

    def run(self, op: str, spec: dict[str, Any], kill_after: float | None = None,
            timeout: float = 300.0) -> ChildRun:
        """One child; with kill_after, SIGKILL it that many seconds after its BEGIN."""
        self.runs += 1
        out, err = (self.scratch / f"{self.runs}.{ext}" for ext in ("out", "err"))
        out.write_bytes(b"")
        err.write_bytes(b"")
        self._send(json.dumps({"op": op, "spec": spec, "out": str(out), "err": str(err)}))
        reply = self._reply(timeout)
        assert reply is not None and reply.startswith("PID "), reply
        deadline = time.monotonic() + timeout
        kill_at = None
        poll = 0.0005 if kill_after is not None else 0.05
        while (reply := self._reply(poll)) is None:
            if kill_after is not None and kill_at is None:
                begun = re.search(r"^BEGIN (\S+)$", out.read_text(encoding="utf-8"), re.M)
                if begun:
                    kill_at = float(begun.group(1)) + kill_after
            if kill_at is not None and time.monotonic() >= kill_at:
                self._send("KILL")
                kill_at = float("inf")
            if time.monotonic() > deadline:
                self._send("KILL")
                deadline = float("inf")
        assert reply.startswith("EXIT "), reply
        lines = out.read_text(encoding="utf-8").splitlines()
        stamps = {line.split()[0]: float(line.split()[1]) for line in lines
                  if line.startswith(("BEGIN ", "DONE "))}
        duration = stamps["DONE"] - stamps["BEGIN"] if "DONE" in stamps else None
        result = ChildRun(lines, int(reply.split()[2]), err.read_text(encoding="utf-8"),
                          duration)
        out.unlink()
        err.unlink()
        return result

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# -- shared checks ----------------------------------------------------------------------------


@contextmanager
def fast_keys() -> Iterator[None]:
    """Test keys with a cheap KDF (the key file records its parameters, so children agree)."""
    saved = identity.KDF_PARAMS
    identity.KDF_PARAMS = FAST_KDF
    try:
        yield
    finally:
        identity.KDF_PARAMS = saved


def db_problems(ws: Workspace) -> list[str]:
    report = check_database(ws.store)
    problems = []
    if report.integrity != ["ok"]:
        problems.append(f"integrity_check: {report.integrity[:3]}")
    if report.foreign_key_violations:
        problems.append(f"{report.foreign_key_violations} foreign key violations")
    if report.audit_first_bad_seq is not None:
        problems.append(f"the audit chain breaks at entry {report.audit_first_bad_seq}")
    if not report.ok:
        problems.append(f"check_database is not ok (schema version {report.schema_version})")
    return problems


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read with a read-only connection (no WAL switch, no writes of our own)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def criteria_of(ws: Workspace, candidate_id: int) -> list[str]:
    """The criterion ids of the candidate's rubric, in rubric order."""
    from ovop_desktop.domain.rubric import parse_rubric

    (content,) = query(ws.store.path, (
        "SELECT r.content FROM candidate c JOIN round_commodity rc ON rc.round_id = c.round_id "
        "AND rc.commodity = c.commodity JOIN rubric r ON r.id = rc.rubric_id WHERE c.id = ?"),
        (candidate_id,))[0]
    return [c.id for _a, c in parse_rubric(content.encode("utf-8")).criteria()]


def copy_profile(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.lock"))
    return dst


@dataclass
class Check:
    acks: int = 0
    problems: list[str] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)  # states seen, for the report


def backups_sound(folder: Path, out: Check) -> None:
    """A backup under its final name is a whole, sound copy; unfinished ones have temp names."""
    from ovop_desktop.services.backups import check_copy

    for path in sorted(folder.iterdir()) if folder.exists() else []:
        if ".part" in path.name or path.name.startswith(".verified.json"):
            continue  # an unfinished copy (or its journal); the verification cache
        if not path.name.endswith(".sqlite3"):
            out.problems.append(f"unexpected file backups/{path.name}")
        elif not (check := check_copy(path)).ok:
            out.problems.append(f"backups/{path.name} is not a sound copy: {check.problem}")


class Scenario:
    """One operation: a template built once, copied for every run."""

    name = ""

    def prepare(self, base: Path) -> None:
        raise NotImplementedError

    def fresh(self, where: Path) -> Path:
        raise NotImplementedError

    def spec(self, where: Path) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, where: Path, run: ChildRun) -> Check:
        """After the kill: the restart finds everything acknowledged and nothing half-done."""
        raise NotImplementedError

    def finish(self, where: Path) -> None:
        """Run the operation again, to completion (in this process)."""
        raise NotImplementedError

    def end_state(self, where: Path) -> Any:
        raise NotImplementedError


# -- (a) scoring ------------------------------------------------------------------------------


class ScoringScenario(Scenario):
    """An assessor setting levels on three sheets; each level is one durable transaction."""

    name = "scoring"
    changes = 30

    def prepare(self, base: Path) -> None:
        with fast_keys(), packaged(base / "ex", candidates=3) as ex:
            local = ex.local_candidates()
            criteria = {cid: criteria_of(ex.assessor, cid)[:6] for cid in local}
        self.template = base / "ex" / "assessor"
        current: dict[tuple[int, str], int] = {}
        self.plan: list[tuple[int, str, int, str]] = []
        for i in range(self.changes):  # every change really changes something
            cid = local[i % len(local)]
            crit = criteria[cid][(i // len(local)) % len(criteria[cid])]
            level = current.get((cid, crit), 0) % 3 + 1
            current[(cid, crit)] = level
            self.plan.append((cid, crit, level, f"catatan {i}"))

    def fresh(self, where: Path) -> Path:
        copy_profile(self.template, where / "assessor")
        return where

    def spec(self, where: Path) -> dict[str, Any]:
        return {"profile": str(where / "assessor"), "plan": self.plan}

    def _replay(self, n: int) -> dict[tuple[int, str], tuple[int, str]]:
        return {(c, k): (lv, note) for c, k, lv, note in self.plan[:n]}

    def check(self, where: Path, run: ChildRun) -> Check:
        out = Check(acks=len(run.acks))
        expected = [["score", str(c), k, str(lv)] for c, k, lv, _n in self.plan]
        if run.acks != expected[:out.acks]:
            out.problems.append("the acknowledgements do not follow the plan")
        db = where / "assessor" / "ovop.sqlite3"
        with Workspace.open(where / "assessor") as ws:  # the restart
            out.problems += db_problems(ws)
        audited = query(db, "SELECT count(*) FROM audit_log WHERE action = 'score.set'")[0][0]
        history = query(db, "SELECT count(*) FROM score_history")[0][0]
        scores = {(c, k): (lv, n) for c, k, lv, n in query(
            db, "SELECT candidate_id, criterion_id, level, note FROM score")}
        if history != audited:
            out.problems.append(f"half-applied: {history} history rows, {audited} audit entries")
        if audited not in (out.acks, out.acks + 1):
            out.problems.append(f"{audited} changes on disk, {out.acks} acknowledged "
                                "(at most one unacknowledged extra)")
        elif audited == out.acks + 1:
            out.notes["a committed change not yet acknowledged"] += 1
        if scores != self._replay(audited):
            out.problems.append(f"the scores are not the first {audited} changes of the plan")
        return out

    def finish(self, where: Path) -> None:
        with Workspace.open(where / "assessor") as ws:
            for cid, crit, level, note in self.plan:
                ws.scoring.set_score(cid, crit, level, note)

    def end_state(self, where: Path) -> Any:
        db = where / "assessor" / "ovop.sqlite3"
        with Workspace.open(where / "assessor") as ws:
            problems = db_problems(ws)
        return (sorted(query(db, "SELECT candidate_id, criterion_id, level, note FROM score")),
                sorted(query(db, "SELECT candidate_id, status, note FROM score_sheet")),
                problems)


# -- (b) bundle export ------------------------------------------------------------------------


def _photo(path: Path) -> Path:
    """A noisy JPEG of about 100 KB, so a bundle is more than one write."""
    from PIL import Image

    rnd = random.Random(7)
    image = Image.frombytes("RGB", (320, 240), bytes(rnd.randrange(256)
                                                      for _ in range(320 * 240 * 3)))
    image.save(path, "JPEG", quality=90)
    return path


class ExportScenario(Scenario):
    """An assessor signing bundles into a folder until `target` are on record."""

    name = "export"
    target = 6

    def prepare(self, base: Path) -> None:
        with fast_keys(), packaged(base / "ex", candidates=4) as ex:
            local = ex.local_candidates()
            sheet = base / "lembar.csv"  # every criterion of every sheet, one transaction
            note = "bahan baku lokal dan motif khas daerah tetapi kemasan perlu diperbaiki " * 2
            sheet.write_text("candidate_id;criterion_id;level;note\n" + "".join(
                f"{cid};{crit};{1 + (n + i) % 3};{crit}: {note}\n"
                for n, cid in enumerate(local)
                for i, crit in enumerate(criteria_of(ex.assessor, cid))), encoding="utf-8")
            assert not ex.assessor.scoring.import_sheet(sheet).rejected
            ex.assessor.scoring.finish(local[0])
            crit = criteria_of(ex.assessor, local[1])[0]
            ex.assessor.evidence.add(local[1], _photo(base / "foto.jpg"), crit)
        self.template = base / "ex"

    def fresh(self, where: Path) -> Path:
        copy_profile(self.template / "assessor", where / "assessor")
        copy_profile(self.template / "coordinator", where / "coordinator")
        (where / "usb").mkdir()
        return where

    def spec(self, where: Path) -> dict[str, Any]:
        return {"profile": str(where / "assessor"), "folder": str(where / "usb"),
                "target": self.target, "passphrase": ASSESSOR_PASS, "name": BUNDLE_NAME}

    @staticmethod
    def _open_bundle(where: Path, data: bytes) -> Any:
        from ovop_desktop.services.container import PAYLOAD_BUNDLE, open_container

        me = identity.load_public(where / "assessor" / "keys")
        assert me is not None
        return open_container(data, {PAYLOAD_BUNDLE},
                              lambda k, _e: me.public_key_raw if k == me.key_id else None)

    def _recorded(self, where: Path) -> tuple[list[tuple[Any, ...]], list[str]]:
        db = where / "assessor" / "ovop.sqlite3"
        rows = query(db, "SELECT seq, manifest_sha256, file_name FROM bundle_export ORDER BY seq")
        audited = [json.loads(d)["manifest_sha256"] for (d,) in query(
            db, "SELECT details FROM audit_log WHERE action = 'bundle.export' ORDER BY seq")]
        return rows, audited

    def _files(self, where: Path, rows: list[tuple[Any, ...]], out: Check) -> None:
        """Every file under a final name is complete and verifies; the rest are temp names."""
        from ovop_desktop.services.container import Rejected

        unrecorded = 0
        for path in sorted((where / "usb").iterdir()):
            if TEMP_BUNDLE.match(path.name):
                continue
            m = FINAL_BUNDLE.match(path.name)
            if m is None:
                out.problems.append(f"unexpected file {path.name}")
                continue
            try:
                verified = self._open_bundle(where, path.read_bytes())
            except Rejected as exc:
                out.problems.append(f"{path.name} is under its final name but does not "
                                    f"verify: {exc}")
                continue
            seq = int(m.group(1))
            if verified.manifest.get("seq") != seq:
                out.problems.append(f"{path.name} holds seq {verified.manifest.get('seq')}")
            if seq <= len(rows):
                if rows[seq - 1][1] != verified.manifest_sha256:
                    out.problems.append(f"{path.name} is not the bundle recorded for seq {seq}")
            elif seq == len(rows) + 1:
                unrecorded += 1  # written and verified, killed before the commit
                out.notes["a complete, verifying bundle not on record (killed before the "
                          "commit)"] += 1
            else:
                out.problems.append(f"{path.name}: seq {seq} is beyond the next one")
        if unrecorded > 1:
            out.problems.append(f"{unrecorded} complete bundles are not on record")
        for seq, _manifest, name in rows:
            if not (where / "usb" / name).exists():
                out.problems.append(f"bundle {seq} is on record but {name} is not on the medium")

    def check(self, where: Path, run: ChildRun) -> Check:
        out = Check(acks=len(run.acks))
        with Workspace.open(where / "assessor") as ws:
            out.problems += db_problems(ws)
        rows, audited = self._recorded(where)
        if [r[0] for r in rows] != list(range(1, len(rows) + 1)):
            out.problems.append(f"the recorded seqs are not 1..n: {[r[0] for r in rows]}")
        if audited != [r[1] for r in rows]:
            out.problems.append("an export row without its audit entry (or the reverse)")
        if len(rows) not in (out.acks, out.acks + 1):
            out.problems.append(f"{len(rows)} bundles on record, {out.acks} acknowledged")
        elif len(rows) == out.acks + 1:
            out.notes["a bundle on record not yet acknowledged"] += 1
        for _kind, name, digest, seq, manifest in run.acks:
            path = where / "usb" / name
            if not path.exists() or sha256(path.read_bytes()) != digest:
                out.problems.append(f"acknowledged {name} is missing or changed")
            if int(seq) > len(rows) or rows[int(seq) - 1][1:] != (manifest, name):
                out.problems.append(f"acknowledged bundle {seq} is not on record")
        self._files(where, rows, out)
        return out

    def finish(self, where: Path) -> None:
        from ovop_desktop.services.bundle_export import (
            export_bundle,
            last_export_seq,
            settle_interrupted,
        )

        with Workspace.open(where / "assessor") as ws:
            key = identity.unlock(ws.paths.keys, ASSESSOR_PASS)
            me = identity.load_public(ws.paths.keys)
            assert me is not None
            # As the export dialog does before it proposes a number and a file name.
            settle_interrupted(ws.store, ws.profile.actor(), me)
            while (seq := last_export_seq(ws.store) + 1) <= self.target:
                export_bundle(ws.store, ws.scoring, ws.profile.actor(),
                              where / "usb" / BUNDLE_NAME.format(seq=seq), key, me)

    def end_state(self, where: Path) -> Any:
        out = Check()
        with Workspace.open(where / "assessor") as ws:
            out.problems += db_problems(ws)
        rows, _audited = self._recorded(where)
        self._files(where, rows, out)
        from ovop_desktop.services.bundle_export import PENDING_EXPORT

        if (where / "assessor" / PENDING_EXPORT).exists():
            out.problems.append("the interrupted export's note was not settled")
        carried, prev = [], None
        for seq, manifest, name in rows:
            verified = self._open_bundle(where, (where / "usb" / name).read_bytes())
            if verified.manifest.get("prev") != prev:
                out.problems.append(f"bundle {seq} does not link to bundle {seq - 1}")
            prev = manifest
            carried.append((seq, name, sha256(verified.files["scores.json"]),
                            sorted(verified.files)))
        # The coordinator accepts the whole chain.
        with Workspace.open(where / "coordinator") as coord:
            outcomes = coord.bundles.import_files([where / "usb"])
        return (carried, [(o.file, o.status.value, o.seq) for o in outcomes], out.problems)


_BATCH_LOCK = threading.Lock()


# -- (c) bundle import ------------------------------------------------------------------------


class ImportScenario(Scenario):
    """The coordinator importing a folder of 31 bundles from three assessors, in groups."""

    name = "import"
    batch = 8  # BATCH is 100; 8 makes this 31-file import four commits, so kills fall between
    rounds = 10

    def prepare(self, base: Path) -> None:
        from ovop_desktop.services.bundle_export import export_bundle

        base.mkdir(parents=True)
        inbox = base / "inbox"
        inbox.mkdir()
        with fast_keys():
            panel = make_panel(base / "panel", 3)
            try:
                coord = panel.coordinator
                ids = [c.id for c in coord.candidates.summaries(panel.round_id)[:12]]
                keys = []
                for who, ws in enumerate(panel.assessors):
                    panel.give(who, ids[who * 4:(who + 1) * 4])
                    keys.append((identity.unlock(ws.paths.keys, ASSESSOR_PASS),
                                 identity.load_public(ws.paths.keys)))
                sheets = {who: [(cid, criteria_of(panel.assessors[who], cid)[:5])
                                for cid in panel._local[who].values()] for who in range(3)}
                for who, ws in enumerate(panel.assessors):  # first visits: five criteria each
                    sheet = base / f"lembar-{who}.csv"
                    sheet.write_text("candidate_id;criterion_id;level;note\n" + "".join(
                        f"{cid};{crit};{1 + (i + n) % 3};\n"
                        for n, (cid, crits) in enumerate(sheets[who])
                        for i, crit in enumerate(crits)), encoding="utf-8")
                    assert not ws.scoring.import_sheet(sheet).rejected
                for k in range(1, self.rounds + 1):
                    for who, ws in enumerate(panel.assessors):
                        if k > 1:  # later: one level revised per bundle
                            cid, crits = sheets[who][k % 4]
                            ws.scoring.set_score(cid, crits[k % 5], 1 + k % 3)
                        name = f"nilai-{k:02d}-{who}.zip"
                        export_bundle(ws.store, ws.scoring, ws.profile.actor(), inbox / name,
                                      *keys[who])
            finally:
                panel.close()
        # Arrival is free: seq 6 of assessor 1 comes before its seq 5, and one bundle twice.
        a, b = inbox / "nilai-05-1.zip", inbox / "nilai-06-1.zip"
        a.rename(inbox / "swap")
        b.rename(a)
        (inbox / "swap").rename(b)
        shutil.copy(inbox / "nilai-03-0.zip", inbox / "nilai-03-0-surel.zip")
        self.template = base / "panel" / "coordinator"
        self.inbox = inbox
        self.files = sorted(p.name for p in inbox.glob("*.zip"))
        self.reference_acks: list[list[str]] | None = None  # set from the uninterrupted run

    def fresh(self, where: Path) -> Path:
        copy_profile(self.template, where / "coordinator")
        return where

    def spec(self, where: Path) -> dict[str, Any]:
        return {"profile": str(where / "coordinator"), "folder": str(self.inbox),
                "batch": self.batch}

    def check(self, where: Path, run: ChildRun) -> Check:
        out = Check(acks=len(run.acks))
        if self.reference_acks is None:  # the uninterrupted run defines the outcomes
            self.reference_acks = run.acks
        profile = where / "coordinator"
        db = profile / "ovop.sqlite3"
        with Workspace.open(profile) as ws:
            out.problems += db_problems(ws)
        rows = query(db, "SELECT id, file_name, status, sheets, scores, file_sha256 FROM bundle")
        sheets = dict(query(db, "SELECT bundle_id, count(*) FROM received_sheet GROUP BY 1"))
        scores = dict(query(db, "SELECT bundle_id, count(*) FROM received_score GROUP BY 1"))
        filed = {int(i): json.loads(d)["status"] for i, d in query(
            db, "SELECT object_id, details FROM audit_log WHERE action = 'bundle.import'")}
        released = {int(i) for (i,) in query(
            db, "SELECT object_id FROM audit_log WHERE action = 'bundle.release'")}
        for bid, name, status, n_sheets, n_scores, file_sha in rows:
            if (sheets.get(bid, 0), scores.get(bid, 0)) != (n_sheets, n_scores):
                out.problems.append(f"{name}: half-imported ({sheets.get(bid, 0)}/{n_sheets} "
                                    f"sheets, {scores.get(bid, 0)}/{n_scores} scores)")
            if bid not in filed or (filed[bid] != status and bid not in released):
                out.problems.append(f"{name}: no audit entry for its outcome")
            kept = profile / "bundles" / f"{file_sha}.zip"
            if not kept.exists() or sha256(kept.read_bytes()) != file_sha:
                out.problems.append(f"{name}: the kept copy is missing or incomplete")
        self._evidence(profile, out)
        backups_sound(profile / "backups", out)  # the copy made before the import's first write
        # Groups commit whole and in order: the files on record are those of the first g groups.
        with_rows = {f for _k, f, o in self.reference_acks if o != "duplicate"}
        on_record = {r[1] for r in rows}
        groups = range(0, len(self.files) + self.batch, self.batch)
        whole = [g for g in groups if on_record == with_rows & set(self.files[:g])]
        if not whole:
            out.problems.append(f"the bundles on record are not whole groups: "
                                f"{sorted(on_record)}")
        elif not run.acks:
            out.notes[f"{len(on_record)} of {len(with_rows)} bundles on record (groups "
                      f"committed: {min(whole) // self.batch} of {len(groups) - 1})"] += 1
        if run.acks and run.acks != self.reference_acks:
            out.problems.append("the acknowledged outcomes differ from an uninterrupted run")
        if run.acks and on_record != with_rows:
            out.problems.append("an acknowledged import is not on record")
        return out

    @staticmethod
    def _evidence(profile: Path, out: Check) -> None:
        folder = profile / "bundles"
        for path in sorted(folder.iterdir()) if folder.exists() else []:
            m = EVIDENCE.match(path.name)
            if m is None:
                out.problems.append(f"unexpected file bundles/{path.name}")
            elif m.group(2) == "zip" and sha256(path.read_bytes()) != m.group(1):
                out.problems.append(f"bundles/{path.name} is incomplete")

    def finish(self, where: Path) -> None:
        from ovop_desktop.services import bundles

        with _BATCH_LOCK:  # BATCH is a module global; runs may overlap
            saved, bundles.BATCH = bundles.BATCH, self.batch
            try:
                with Workspace.open(where / "coordinator") as ws:
                    ws.bundles.import_files([self.inbox])
            finally:
                bundles.BATCH = saved

    def end_state(self, where: Path) -> Any:
        profile = where / "coordinator"
        db = profile / "ovop.sqlite3"
        out = Check()
        with Workspace.open(profile) as ws:
            out.problems += db_problems(ws)
        self._evidence(profile, out)
        rows = sorted(query(db, "SELECT file_name, status, seq, sheets, scores, reason, "
                                "manifest_sha256, file_sha256 FROM bundle"))
        received = sorted(query(db, "SELECT b.file_name, r.candidate_id, r.criterion_id, "
                                    "r.level FROM received_score r JOIN bundle b "
                                    "ON b.id = r.bundle_id"))
        actions = Counter(a for (a,) in query(db, "SELECT action FROM audit_log"))
        return rows, sha256(repr(received).encode()), sorted(actions.items()), out.problems


# -- (d) migration ----------------------------------------------------------------------------


@contextmanager
def old_ladder(version: int) -> Iterator[None]:
    """Pretend this build ships only the first `version` steps (as tests/data does)."""
    from ovop_desktop.data import migrations

    ladder = migrations.LADDER[:version]
    saved: list[tuple[Any, str, Any]] = []
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("ovop_desktop"):
            for attr, value in (("LADDER", ladder), ("CURRENT_VERSION", version)):
                if hasattr(module, attr):
                    saved.append((module, attr, getattr(module, attr)))
                    setattr(module, attr, value)
    try:
        yield
    finally:
        for module, attr, value in saved:
            setattr(module, attr, value)


def describe(db: Path) -> dict[str, tuple[str, ...]]:
    """Tables and indexes with their columns: what a schema version looks like."""
    out = {}
    for kind, name in query(db, "SELECT type, name FROM sqlite_master WHERE name NOT LIKE "
                                "'sqlite_%' AND type IN ('table', 'index')"):
        if kind == "table":
            cols = tuple(r[1] for r in query(db, f"PRAGMA table_info('{name}')"))
        else:
            cols = tuple(r[2] for r in query(db, f"PRAGMA index_info('{name}')"))
        out[f"{kind} {name}"] = cols
    return out


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, without what a migration makes up (random uids, stamps)."""
    out = {}
    for (table,) in query(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%'"):
        cols = [r[1] for r in query(db, f"PRAGMA table_info('{table}')")
                if r[1] != "uid" and not (table == "schema_version" and r[1] != "version")]
        sql = f"SELECT {', '.join(cols)} FROM {table}"  # noqa: S608 - names from sqlite_master
        out[table] = sorted(query(db, sql), key=repr)
    return out


class MigrationScenario(Scenario):
    """Opening a profile written at schema version 2 by the real ladder: copy, then 4 steps."""

    name = "migration"
    old = 2
    candidates = 800

    def prepare(self, base: Path) -> None:
        from ovop_desktop.data import audit, migrations
        from ovop_desktop.data.db import create_sqlite_engine

        base.mkdir(parents=True)
        self.template = base / "old"
        with old_ladder(self.old), Workspace.open(self.template) as ws:
            ws.rubrics.install_defaults()
            with ws.store.write() as s:
                conn = s.connection()
                rubrics = conn.exec_driver_sql("SELECT id, commodity FROM rubric").all()
                conn.exec_driver_sql(
                    "INSERT INTO round (id, year, name, status, threshold_3, threshold_2, "
                    "threshold_1, created_at) VALUES (1, 2024, 'Penghargaan OVOP 2024', "
                    "'setup', 80, 65, 50, '2024-02-01T00:00:00+00:00')")
                conn.exec_driver_sql(
                    "INSERT INTO round_commodity (round_id, commodity, position, rubric_id) "
                    "VALUES (?, ?, ?, ?)", [(1, c, i, rid) for i, (rid, c) in enumerate(rubrics)])
                rows = []
                for i in range(1, self.candidates + 1):
                    commodity = rubrics[i % len(rubrics)][1]
                    rows.append((i, 1, f"IKM Contoh {i}", f"ikm contoh {i}", sha256(b"%d" % i),
                                 f"Pemilik {i}", f"Jl. Mawar {i}", "34.04", f"Sentra {i % 40}",
                                 f"SK-{i}", None, commodity, f"Produk {i}", f"{i:013d}",
                                 "nib", i % 50, "100 per bulan", "lokal", "", "new", None,
                                 None, "usulan.xlsx", "2024-02-02T00:00:00+00:00",
                                 "2024-02-02T00:00:00+00:00"))
                conn.exec_driver_sql(
                    "INSERT INTO candidate (id, round_id, name, name_key, fingerprint, owner, "
                    "address, region_code, sentra_name, sentra_sk_number, sentra_sk_date, "
                    "commodity, product, nib, documents, workforce, capacity, markets, "
                    "export_history, kind, previous_star, previous_year, source, created_at, "
                    f"updated_at) VALUES ({', '.join('?' * 25)})", rows)
                conn.exec_driver_sql(
                    "INSERT INTO candidate_history (candidate_id, ts, actor, field, old, new) "
                    "VALUES (?, '2024-02-03T00:00:00+00:00', 'Sekretariat', 'owner', ?, ?)",
                    [(i, f"Pemilik {i}", f"Pemilik {i}") for i in range(1, self.candidates, 3)])
                for i in range(1, self.candidates + 1, 4):
                    audit.append(s, "Sekretariat", "candidate.edit", "candidate", i,
                                 {"field": "owner"})
        # What each version of the schema looks like, from the ladder on an empty file.
        self.schemas: dict[int, dict[str, tuple[str, ...]]] = {}
        for v in range(1, len(migrations.LADDER) + 1):
            path = base / f"schema-v{v}.sqlite3"
            engine = create_sqlite_engine(path)
            with engine.begin() as conn:
                for step in migrations.LADDER[:v]:
                    step(conn)
            engine.dispose()
            self.schemas[v] = describe(path)
        self.current = len(migrations.LADDER)

    def fresh(self, where: Path) -> Path:
        copy_profile(self.template, where / "profile")
        return where

    def spec(self, where: Path) -> dict[str, Any]:
        return {"profile": str(where / "profile")}

    def check(self, where: Path, run: ChildRun) -> Check:
        out = Check(acks=len(run.acks))
        db = where / "profile" / "ovop.sqlite3"
        version = query(db, "SELECT max(version) FROM schema_version")[0][0]
        if describe(db) != self.schemas.get(version):
            out.problems.append(f"the schema at version {version} is not the ladder's (a step "
                                "half-applied)")
        if run.acks and version != self.current:
            out.problems.append(f"acknowledged as migrated, but at version {version}")
        elif not run.acks:
            out.notes[f"killed with the store at schema version {version}"] += 1
        for path in sorted((where / "profile" / "backups").glob("*")):
            if ".part" in path.name:
                continue  # an unfinished copy (or its journal) under a temp name
            if not path.name.endswith(".sqlite3"):
                out.problems.append(f"unexpected file backups/{path.name}")
                continue
            try:
                ok = query(path, "PRAGMA integrity_check")[0][0]
                kept = query(path, "SELECT max(version) FROM schema_version")[0][0]
                n = query(path, "SELECT count(*) FROM candidate")[0][0]
            except sqlite3.DatabaseError as exc:
                out.problems.append(f"backups/{path.name} is not a complete database: {exc}")
                continue
            if ok != "ok" or not self.old <= kept < self.current or n != self.candidates:
                out.problems.append(f"backups/{path.name} is not a complete copy "
                                    f"({ok}, version {kept}, {n} candidates)")
        return out

    def finish(self, where: Path) -> None:
        with Workspace.open(where / "profile"):  # the restart completes the ladder
            pass

    def end_state(self, where: Path) -> Any:
        db = where / "profile" / "ovop.sqlite3"
        with Workspace.open(where / "profile") as ws:
            problems = db_problems(ws)
        uids = query(db, "SELECT count(DISTINCT uid), count(*), min(length(uid)) FROM candidate")
        return dump(db), uids, describe(db) == self.schemas[self.current], problems


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "scoring": ScoringScenario, "export": ExportScenario, "import": ImportScenario,
    "migration": MigrationScenario}


# -- the runs ---------------------------------------------------------------------------------


@dataclass
class OpStats:
    op: str
    runs: int = 0
    landed: int = 0
    acks: int = 0
    failures: list[str] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    typical: float = 0.0  # the uninterrupted operation, seconds


def run_op(scenario: Scenario, runs: int, seed: int, base: Path, workers: int = 2,
           log: Callable[[str], None] | None = None) -> OpStats:
    """Prepare, run once uninterrupted, then `runs` times killed at a random moment.

    Runs are independent (each on its own copy), so `workers` of them overlap, each with
    its own fork server: most of a run's time is waiting for fsync, not CPU.
    """
    started = time.monotonic()
    stats = OpStats(scenario.name)
    base.mkdir(parents=True, exist_ok=True)
    servers: queue.Queue[ForkServer] = queue.Queue()
    for n in range(max(1, workers)):  # they import while the template is being built
        servers.put(ForkServer(base / f"server-{n}"))
    try:
        scenario.prepare(base / "template")

        def uninterrupted(n: int) -> tuple[float | None, Any, str | None]:
            where = scenario.fresh(base / f"reference-{n}")
            server = servers.get()
            try:
                run = server.run(scenario.name, scenario.spec(where))
            finally:
                servers.put(server)
            checked = scenario.check(where, run)
            if run.error() or run.duration is None or checked.problems:
                return None, None, f"uninterrupted run: {run.error() or checked.problems}"
            return run.duration, scenario.end_state(where), None

        # Uninterrupted runs first, as many at a time as the killed ones will be (a run is
        # slower with company): their median duration is the range of the kill delays, and
        # their end state (all equal) is where every killed and re-run copy must end.
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            measured = list(pool.map(uninterrupted, range(MEASURE * max(1, workers))))
        errors = [e for _d, _s, e in measured if e]
        if errors or any(state != measured[0][1] for _d, state, _e in measured):
            stats.failures.append(errors[0] if errors else "uninterrupted runs end differently")
            return stats
        expected = measured[0][1]
        stats.typical = statistics.median(d for d, _s, _e in measured if d is not None)
        rng = random.Random(f"{seed}-{scenario.name}")
        delays = [rng.uniform(0.0, stats.typical * KILL_SPREAD) for _ in range(runs)]

        def one(i: int) -> tuple[ChildRun, Check, list[str]]:
            where = scenario.fresh(base / f"run-{i:03d}")
            server = servers.get()
            try:
                run = server.run(scenario.name, scenario.spec(where), kill_after=delays[i])
            finally:
                servers.put(server)
            problems = [run.error()] if run.error() else []
            try:
                checked = scenario.check(where, run)
            except Exception as exc:  # e.g. the store no longer opens: a failure, reported
                checked = Check(len(run.acks), [f"the restart failed: {type(exc).__name__}: "
                                                f"{exc}"])
            problems += checked.problems
            try:
                scenario.finish(where)
                if scenario.end_state(where) != expected:
                    problems.append("after the re-run the end state differs from an "
                                    "uninterrupted run's")
            except Exception as exc:  # a re-run that cannot complete is a failure
                problems.append(f"the re-run failed: {type(exc).__name__}: {exc}")
            if not problems:
                shutil.rmtree(where, ignore_errors=True)
            return run, checked, problems

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for i, (run, checked, problems) in enumerate(pool.map(one, range(runs))):
                stats.runs += 1
                stats.landed += run.landed
                stats.acks += checked.acks
                stats.notes.update(checked.notes)
                if problems:
                    stats.failures.append(
                        f"{scenario.name} run {i} (kill after {delays[i]:.3f} s, {checked.acks} "
                        f"acks, kept in {base / f'run-{i:03d}'}): {'; '.join(problems)}")
                if log:
                    log(f"{scenario.name} {i + 1}/{runs}: kill at {delays[i] * 1000:.0f} ms, "
                        f"{'mid-operation' if run.landed else 'after the end'}, "
                        f"{checked.acks} acks, {'FAIL' if problems else 'ok'}")
    finally:
        while not servers.empty():
            servers.get().close()
        stats.seconds = time.monotonic() - started
    return stats
