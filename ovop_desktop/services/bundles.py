"""Score bundles: the assessor signs a snapshot; the coordinator verifies and files each one.

Every bundle ends as exactly one of accepted, duplicate, superseded, held or rejected
(domain/bundle_rules.py). One import of one file is one transaction with its audit
entry, so a crash leaves a bundle either fully in or not at all, and re-running the
import is safe (the second run finds a duplicate).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ovop_desktop.data import audit
from ovop_desktop.data.conflicts import rule_conflicts
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import (
    BundleRow,
    CandidateRow,
    ConflictRow,
    RoundRow,
)
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.bundle_rules import MAX_SEQ, Known, Outcome, classify
from ovop_desktop.domain.rubric import parse_rubric
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.assessors import AssessorService
from ovop_desktop.services.atomic import fsync_dir, storable_name
from ovop_desktop.services.bundle_checks import (
    MAX_BUNDLE_BYTES,
    _manifest_fields,
    _Reject,
    _resolve,
    _sheets,
)
from ovop_desktop.services.container import (
    PAYLOAD_BUNDLE,
    Rejected,
    open_container,
)
from ovop_desktop.services.scoring import FINISHED, IN_PROGRESS

BATCH = 100  # bundles committed together
SHEET_STATUSES = (IN_PROGRESS, FINISHED)


@dataclass(frozen=True)
class ImportOutcome:
    file: str
    status: Outcome
    reason: str
    assessor: str
    seq: int | None
    sheets: int = 0
    scores: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "status": self.status.value, "reason": self.reason,
                "assessor": self.assessor, "seq": self.seq, "sheets": self.sheets,
                "scores": self.scores}


# -- coordinator side ----------------------------------------------------------------


class BundleService:
    def __init__(self, store: Store, actor: Callable[[], str], assessors: AssessorService,
                 evidence_dir: Path, before_import: Callable[[], object] | None = None) -> None:
        self._store = store
        self._actor = actor
        self._assessors = assessors
        self._evidence = evidence_dir
        self._unsynced: list[Path | Future[None]] = []  # kept copies not yet durable
        self._fsyncs: ThreadPoolExecutor | None = None  # during import_files
        self._before_import = before_import  # the store's backup (Workspace injects it)
        self._backup_due = False

    def import_files(self, paths: Iterable[Path], *, dry_run: bool = False,
                     progress: Callable[[int, int], None] | None = None,
                     should_stop: Callable[[], bool] | None = None) -> list[ImportOutcome]:
        """Import files (a folder stands for its .zip files), committing in groups.

        Each bundle, with its audit entry, is all-or-nothing; the group commits
        together (one fsync instead of one per file). A crash loses at most the
        group in progress, and running the import again is safe.
        """
        files = expand_paths(paths)
        # The kept copies' fsyncs wait on the disk while the next bundles are verified.
        with ThreadPoolExecutor(4, thread_name_prefix="ovop-fsync") as self._fsyncs:
            try:
                return self._import_groups(files, dry_run, progress, should_stop)
            finally:
                self._fsyncs = None
                self._unsynced.clear()  # left only by a group that did not commit

    def _import_groups(self, files: list[Path], dry_run: bool,
                       progress: Callable[[int, int], None] | None,
                       should_stop: Callable[[], bool] | None) -> list[ImportOutcome]:
        outcomes: list[ImportOutcome] = []
        cache = _RunCache()
        self._backup_due = not dry_run
        for start in range(0, len(files), BATCH):
            stop = False
            if not dry_run:  # another coordinator may have filed bundles since the last group
                cache = _RunCache()
            with self._session(dry_run) as s:
                if start == 0 and not dry_run:
                    self._sweep_partial_copies()
                for path in files[start:start + BATCH]:
                    if should_stop and should_stop():
                        stop = True
                        break
                    outcomes.append(self._import_one(s, path, dry_run, cache))
                    if progress:
                        progress(len(outcomes), len(files))
                self._sync_evidence()
            if stop:
                break
        return outcomes

    def import_file(self, path: Path, *, dry_run: bool = False) -> ImportOutcome:
        """Verify, classify and (unless dry run) file one bundle in one transaction."""
        self._backup_due = not dry_run
        with self._session(dry_run) as s:
            outcome = self._import_one(s, Path(path), dry_run, _RunCache())
            self._sync_evidence()
            return outcome

    @contextlib.contextmanager
    def _session(self, dry_run: bool):  # type: ignore[no-untyped-def]
        with (self._store.read() if dry_run else self._store.write()) as s:
            # The writer lock now, not at the first statement: every check, kept file and
            # row of the group then happens under it (other processes import too).
            s.connection()
            yield s

    def _about_to_write(self) -> None:
        """Back the store up before the run's first write (none for duplicates or a dry run).

        Nothing of this run is committed yet, so the copy (another connection) is the
        store as it was before the import. A failed backup stops the import.
        """
        if self._backup_due and self._before_import is not None:
            self._before_import()
        self._backup_due = False

    def _import_one(self, s, path: Path, dry_run: bool, cache: _RunCache) -> ImportOutcome:  # type: ignore[no-untyped-def]
        source = Path(path)
        path = source.with_name(storable_name(source))  # from here on, only the name is used
        try:
            data = _read(source)
        except _Reject as exc:
            return self._record_rejection(s, path, b"", "", None, exc.reason, dry_run)

        def lookup(keyid: str, _embedded: bytes | None) -> bytes | None:
            # Never trust a key just because it came along: only the registry's.
            found = cache.assessor(keyid, self._assessors.by_key)
            return found.public_key if found else None

        try:
            verified = open_container(data, {PAYLOAD_BUNDLE}, lookup)
        except Rejected as exc:
            return self._record_rejection(s, path, data, "", None, exc.message, dry_run)
        assessor = cache.assessor(verified.key_id, self._assessors.by_key)
        assert assessor is not None  # lookup only returns keys of enrolled assessors
        try:
            return self._file(s, path, data, verified, assessor, dry_run, cache)
        except _Reject as exc:
            seq = verified.manifest.get("seq")  # kept with the rejection when it can be
            return self._record_rejection(s, path, data, assessor.name,
                                          seq if type(seq) is int and 1 <= seq <= MAX_SEQ
                                          else None, exc.reason,
                                          dry_run, assessor.id, verified.key_id)

    def _file(self, s, path: Path, data: bytes, verified, assessor, dry_run: bool,  # type: ignore[no-untyped-def]
              cache: _RunCache) -> ImportOutcome:
        """Checks first, writes last: a _Reject raised here leaves nothing behind."""
        manifest = verified.manifest
        seq, prev, round_uid, rubrics = _manifest_fields(manifest)
        sheets = _sheets(verified.files.get("scores.json", b""))
        known_round = cache.round(s, round_uid)
        if known_round is None:
            raise _Reject(_("for another round (not one of this coordinator's rounds)"))
        round_id, expected, uids = known_round
        for commodity, sha in rubrics.items():
            if commodity not in expected or expected[commodity][0] != sha:
                raise _Reject(_("scored against an unknown rubric version for {c}").format(
                    c=commodity))
        rows = _resolve(uids, sheets, {c: crit for c, (_sha, crit) in expected.items()},
                        frozenset(verified.files))
        conflicted = cache.conflicts(s, assessor.id)
        discarded = [r[0] for r in rows if r[0] in conflicted]
        rows = [r for r in rows if r[0] not in conflicted]
        known = cache.known(s, verified.key_id)
        decision = classify(seq, prev, verified.manifest_sha256, known,
                            assessor.revoked_through_seq)
        n_scores = sum(len(r[3]) for r in rows)
        reason = decision.reason
        if discarded:  # a conflicted assessor's scores never count (logged in the audit)
            reason = "; ".join(filter(None, [reason, _(
                "scores for {n} candidates discarded: conflict of interest").format(
                n=len(discarded))]))
        outcome = ImportOutcome(path.name, decision.outcome, reason, assessor.name,
                                seq, len(rows), n_scores)
        if decision.outcome is Outcome.DUPLICATE:
            return outcome  # nothing was added: the transaction commits empty
        if dry_run:  # later files of the same dry run see this one, as a real run would
            known.append(Known(seq, verified.manifest_sha256, decision.outcome))
            return outcome
        self._about_to_write()
        bundle = BundleRow(
            assessor_id=assessor.id, round_id=round_id, key_id=verified.key_id, seq=seq,
            bundle_id=str(manifest.get("bundle_id", ""))[:36],
            manifest_sha256=verified.manifest_sha256, prev=prev or "",
            file_sha256=self._keep(data), file_name=path.name[:300],
            status=decision.outcome.value, reason=reason, sheets=len(rows),
            scores=n_scores, imported_at=now_iso(), decided_by="")
        s.add(bundle)
        s.flush()
        _store_scores(s, bundle.id, rows)
        audit.append(s, self._actor(), "bundle.import", "bundle", bundle.id,
                     {"file": path.name, "status": decision.outcome.value, "seq": seq,
                      "assessor": assessor.id, "reason": reason,
                      "discarded_conflicted": discarded,
                      "manifest_sha256": verified.manifest_sha256})
        known.append(Known(seq, verified.manifest_sha256, decision.outcome))
        if decision.outcome is Outcome.ACCEPTED and any(k.outcome is Outcome.HELD for k in known):
            self._release_linked(s, verified.key_id, assessor.revoked_through_seq)
            cache.forget_known(verified.key_id)  # statuses changed: read them again
        return outcome

    def _release_linked(self, s, key: str, revoked_through: int | None) -> None:  # type: ignore[no-untyped-def]
        """Bundles held for a gap the new bundle fills are accepted now (arrival order is free)."""
        rows = list(s.execute(select(BundleRow).where(
            BundleRow.key_id == key, BundleRow.status != Outcome.REJECTED.value)
            .order_by(BundleRow.seq)).scalars())
        released = True
        while released:  # again until nothing moves: a newer one accepted supersedes older held
            released = False
            for held in [r for r in rows if r.status == Outcome.HELD.value and not r.decided_by]:
                known = [Known(r.seq, r.manifest_sha256, Outcome(r.status)) for r in rows
                         if r.id != held.id and r.seq is not None]
                again = classify(held.seq, held.prev or None, held.manifest_sha256, known,
                                 revoked_through)
                if again.outcome in (Outcome.ACCEPTED, Outcome.SUPERSEDED):
                    held.status, held.reason = again.outcome.value, _(
                        "the missing bundle arrived; the chain is complete")
                    audit.append(s, self._actor(), "bundle.release", "bundle", held.id,
                                 {"status": held.status})
                    released = True
        s.flush()

    def _record_rejection(self, s, path: Path, data: bytes, assessor: str, seq: int | None,  # type: ignore[no-untyped-def]
                          reason: str, dry_run: bool, assessor_id: int | None = None,
                          key: str = "") -> ImportOutcome:
        """A rejected file is filed (the only thing written) so the secretariat can follow up."""
        outcome = ImportOutcome(path.name, Outcome.REJECTED, reason, assessor, seq)
        if dry_run:
            return outcome
        self._about_to_write()
        row = BundleRow(assessor_id=assessor_id, round_id=None, key_id=key, seq=seq,
                        bundle_id="", manifest_sha256="", prev="",
                        file_sha256=self._keep(data) if data else "",
                        file_name=path.name[:300], status=Outcome.REJECTED.value,
                        reason=reason, sheets=0, scores=0, imported_at=now_iso(),
                        decided_by="")
        s.add(row)
        s.flush()
        audit.append(s, self._actor(), "bundle.import", "bundle", row.id,
                     {"file": path.name, "status": "rejected", "reason": reason})
        return outcome

    def _keep(self, data: bytes) -> str:
        """Keep the raw file as evidence, content-addressed (idempotent on re-import).

        Written now, made durable by `_sync_evidence` before the transaction that refers
        to it commits (the file's fsync starts at once on a worker during an import run;
        one directory fsync per group instead of one per file).
        """
        digest = hashlib.sha256(data).hexdigest()
        target = self._evidence / f"{digest}.zip"
        # A copy left by an attempt that did not commit may never have been fsynced (and
        # a power cut can leave it short, or full length with zeros): rewrite one whose
        # bytes are not the bundle's, fsync it in any case.
        if not _holds(target, digest):
            tmp = target.with_suffix(".part")
            try:
                self._evidence.mkdir(parents=True, exist_ok=True)
                with open(tmp, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise _not_kept(self._evidence, exc) from None
        self._unsynced.append(self._fsyncs.submit(_fsync_file, target)
                              if self._fsyncs is not None else target)
        return digest

    def _sweep_partial_copies(self) -> None:
        """Remove kept copies a killed import left half written (`<sha256>.part`). Called
        under the writer lock, so no other import of this store is writing one now."""
        with contextlib.suppress(OSError):
            for leftover in self._evidence.glob("*.part"):
                leftover.unlink()

    def _sync_evidence(self) -> None:
        if not self._unsynced:
            return
        pending, self._unsynced = self._unsynced, []
        failure: OSError | None = None
        for item in pending:  # wait for every one, even after a failure
            try:
                item.result() if isinstance(item, Future) else _fsync_file(item)
            except OSError as exc:
                failure = failure or exc
        try:
            if failure is not None:
                raise failure
            fsync_dir(self._evidence)
        except OSError as exc:  # the transaction that refers to them rolls back
            raise _not_kept(self._evidence, exc) from None

    def decide(self, bundle_id: int, accept: bool, reason: str) -> Outcome:
        """The coordinator's decision on a held bundle (after checking with the assessor)."""
        reason = " ".join(reason.split())
        if not reason:
            raise UserFacingError(_("Give the reason for the decision."))
        with self._store.write() as s:
            row = s.get(BundleRow, bundle_id)
            if row is None:
                raise NotFoundError(_("There is no bundle with id {id}.").format(id=bundle_id))
            if row.status != Outcome.HELD.value:
                raise UserFacingError(_("Only held bundles wait for a decision."))
            row.status = (Outcome.ACCEPTED if accept else Outcome.REJECTED).value
            row.reason, row.decided_by = reason, self._actor()
            audit.append(s, self._actor(), "bundle.decide", "bundle", bundle_id,
                         {"status": row.status, "reason": reason})
            return Outcome(row.status)

    def list(self) -> list[BundleRow]:
        with self._store.read() as s:
            return list(s.execute(select(BundleRow).order_by(BundleRow.id)).scalars())


def _holds(path: Path, digest: str) -> bool:
    """Whether the file exists and its bytes hash to `digest`."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _not_kept(folder: Path, exc: OSError) -> UserFacingError:
    return UserFacingError(_("The import stopped: a copy of a bundle could not be kept in {folder} "
                             "({reason}). Run the import again when the disk is writable; "
                             "bundles already on record are recognised as duplicates.").format(
        folder=folder, reason=exc.strerror or exc))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the .zip files directly in it."""
    out: list[Path] = []
    for p in map(Path, paths):
        out += sorted(p.glob("*.zip")) if p.is_dir() else [p]
    return out


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise _Reject(_("the file is too large ({size} bytes)").format(size=size))
        with open(path, "rb") as fh:
            # Not read(MAX + 1): Python allocates the whole requested size up front.
            data = fh.read(size + 1)
        if len(data) > MAX_BUNDLE_BYTES:
            raise _Reject(_("the file is too large ({size} bytes)").format(size=len(data)))
        return data
    except OSError as exc:
        raise _Reject(_("the file cannot be read ({reason})").format(
            reason=exc.strerror or exc)) from None


# (round id, {commodity: (rubric sha256, criterion ids)}, {candidate uid: candidate id})
RoundFacts = tuple[int, dict[str, tuple[str, frozenset[str]]], dict[str, int]]


class _RunCache:
    """What stays the same during one import run: enrolled keys, rounds, rubrics, candidates."""

    def __init__(self) -> None:
        self._assessors: dict[str, Any] = {}
        self._rounds: dict[str, Any] = {}
        self._known: dict[str, list[Known]] = {}
        self._conflicts: dict[int, frozenset[int]] = {}

    def known(self, s, key: str) -> list[Known]:  # type: ignore[no-untyped-def]
        """Bundles on file from this key (the list grows as the run files more)."""
        if key not in self._known:
            self._known[key] = [
                Known(b.seq, b.manifest_sha256, Outcome(b.status)) for b in s.execute(
                    select(BundleRow).where(BundleRow.key_id == key,
                                            BundleRow.status != Outcome.REJECTED.value)).scalars()
                if b.seq is not None]
        return self._known[key]

    def conflicts(self, s, assessor_id: int) -> frozenset[int]:  # type: ignore[no-untyped-def]
        """Candidates this assessor may not score: declared, or by rule (in their home
        kab/kota; their institution is one of the IKM's associations)."""
        if assessor_id not in self._conflicts:
            declared = set(s.execute(select(ConflictRow.candidate_id).where(
                ConflictRow.assessor_id == assessor_id)).scalars())
            declared |= set(rule_conflicts(s, assessor_id))
            self._conflicts[assessor_id] = frozenset(declared)
        return self._conflicts[assessor_id]

    def forget_known(self, key: str) -> None:
        self._known.pop(key, None)

    def assessor(self, keyid: str, fetch: Callable[[str], Any]) -> Any:
        if keyid not in self._assessors:
            self._assessors[keyid] = fetch(keyid)
        return self._assessors[keyid]

    def round(self, s, uid: str) -> RoundFacts | None:  # type: ignore[no-untyped-def]
        """(round id, {commodity: (rubric sha256, criterion ids)}, {candidate uid: id})."""
        if uid not in self._rounds:
            row = s.execute(select(RoundRow).where(RoundRow.uid == uid)).scalar()
            if row is None:
                self._rounds[uid] = None
            else:
                rubrics = {link.commodity: (link.rubric.sha256, frozenset(
                    c.id for _a, c in parse_rubric(link.rubric.content.encode()).criteria()))
                    for link in row.commodities}
                uids = dict(s.execute(select(CandidateRow.uid, CandidateRow.id).where(
                    CandidateRow.round_id == row.id)).all())
                self._rounds[uid] = (row.id, rubrics, uids)
        return self._rounds[uid]


_SHEET_COLUMNS = "received_sheet (bundle_id, candidate_id, status, note, visited_on)"
_SCORE_COLUMNS = "received_score (bundle_id, candidate_id, criterion_id, level, note)"


def _store_scores(s, bundle_id: int, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    """Straight to the driver: half a million rows must stay cheap (executemany on SQLite,
    COPY on PostgreSQL, where an executemany still goes row by row)."""
    if not rows:
        return
    conn = s.connection()
    sheets = [(bundle_id, cid, st, note, visited) for cid, st, note, _sc, visited in rows]
    scores = [(bundle_id, cid, c, lv, n) for cid, _st, _note, sc, _v in rows for c, lv, n in sc]
    if conn.dialect.name == "postgresql":
        with conn.connection.dbapi_connection.cursor() as cursor:
            for table, batch in ((_SHEET_COLUMNS, sheets), (_SCORE_COLUMNS, scores)):
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
        return
    conn.exec_driver_sql(f"INSERT INTO {_SHEET_COLUMNS} VALUES (?, ?, ?, ?, ?)", sheets)
    if scores:  # sheets with only a note or a visit date carry none; an empty batch fails
        conn.exec_driver_sql(f"INSERT INTO {_SCORE_COLUMNS} VALUES (?, ?, ?, ?, ?)", scores)
