"""Verified, rotated copies of the store, and restoring one without risking the current store.

A copy is made with SQLite's online backup API (one step, so one consistent snapshot
even while another connection writes), under a temporary name, switched to a plain
rollback journal (a self-contained file: no -wal beside it to lose), checked with
`integrity_check` and `foreign_key_check`, fsynced and only then renamed. A file under a
final name is therefore always a complete copy that verified; a copy that fails is
deleted and the failure raised.

Automatic copies live in the profile's `backups/` as `ovop-YYYYMMDD-HHMMSS-<reason>.sqlite3`
(UTC; `-2`, `-3` … when one second holds two). Each reason keeps its newest KEEP
copies. The copies schema.py makes before a migration (`pre-migration-vN-…Z.sqlite3`)
are listed and can be restored, but are never rotated away.

A restore checks the file, copies it into the profile folder, checks the copy, brings
it to the current schema and audits the restore in it, and only then replaces the
store: a sound current store is first copied to `backups/` (reason "before-restore"), a
damaged one is kept as `ovop-damaged-<time>.sqlite3` beside it, never deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ovop_desktop.data import audit
from ovop_desktop.data.db import BUSY_TIMEOUT_S, Store
from ovop_desktop.data.migrations import CURRENT_VERSION
from ovop_desktop.data.models import AuditRow, ProfileRow
from ovop_desktop.data.opening import (
    MIGRATION_WAIT_S,
    first_problem,
    inspect_database,
    open_store,
)
from ovop_desktop.domain.formats import format_datetime
from ovop_desktop.errors import DamagedStoreError, StoreError, UserFacingError
from ovop_desktop.filelock import FileLock
from ovop_desktop.i18n import _, current_language
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.atomic import fsync_dir

KEEP = 10  # generations per reason
IMPORT, MANUAL, BEFORE_RESTORE = "import", "manual", "before-restore"
PRE_MIGRATION = "pre-migration"  # schema.py's copies, listed but never rotated

_NAME = re.compile(r"^ovop-(\d{8})-(\d{6})-([a-z]+(?:-[a-z]+)*)(?:-(\d+))?\.sqlite3$")
_MIGRATION_NAME = re.compile(r"^pre-migration-v(\d+)-(\d{8})T(\d{6})Z\.sqlite3$")
_INDEX = ".verified.json"  # cache of verification results, keyed by name, size and mtime
_STAMP = "%Y%m%d-%H%M%S"


def not_on_postgres() -> UserFacingError:
    """The refusal of every backup and restore command on a PostgreSQL store."""
    return UserFacingError(_("A PostgreSQL store is backed up and restored with the server's "
                             "own tools (pg_dump, pg_restore); these commands work on an "
                             "SQLite store only."))


def reason_label(reason: str) -> str:
    """The reason of a backup in words, for lists and dialogs."""
    labels = {IMPORT: _("before a bundle import"), MANUAL: _("made by hand"),
              BEFORE_RESTORE: _("before a restore"),
              PRE_MIGRATION: _("before a database upgrade")}
    return labels.get(reason, reason)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # UTC, from the file name
    reason: str
    size: int
    verified: bool | None  # None: not checked since it was made (list_backups(verify=True))
    schema_version: int | None = None
    problem: str = ""

    @property
    def when(self) -> str:
        return format_datetime(self.created, current_language())

    def as_json(self) -> dict[str, Any]:
        return {"file": self.path.name, "path": str(self.path),
                "created": self.created.isoformat(timespec="seconds"), "reason": self.reason,
                "size": self.size, "verified": self.verified,
                "schema_version": self.schema_version, "problem": self.problem}


@dataclass(frozen=True)
class CopyCheck:
    """What SQLite says about a file nobody writes (a backup): read-only, immutable."""

    ok: bool
    problem: str
    schema_version: int | None
    foreign_key_violations: int


def check_copy(path: Path) -> CopyCheck:
    """integrity_check and foreign_key_check on a copy; never raises for a bad file."""
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1",
                               uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                return CopyCheck(False, first_problem(rows[0]), None, 0)
            fk = len(conn.execute("PRAGMA foreign_key_check").fetchall())
            version = None
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                            "AND name='schema_version'").fetchone():
                version = int(conn.execute("SELECT max(version) FROM schema_version")
                              .fetchone()[0] or 0)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return CopyCheck(False, str(exc).splitlines()[0][:200] if str(exc) else
                         type(exc).__name__, None, 0)
    return CopyCheck(True, "", version, fk)


# -- making copies ---------------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def _verified_temp(src: sqlite3.Connection, folder: Path, name: str) -> tuple[Path, CopyCheck]:
    """The snapshot as a checked, fsynced temporary file in `folder`; deleted if it fails."""
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, one snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        check = check_copy(tmp)
        if check.ok and check.foreign_key_violations and check.foreign_key_violations != len(
                src.execute("PRAGMA foreign_key_check").fetchall()):
            # Broken references the store itself has are copied faithfully (and reported by
            # `ovop db check`); refusing those copies would only stop every import.
            check = CopyCheck(False, "foreign_key_check", None, check.foreign_key_violations)
        if not check.ok:
            raise StoreError(_("The backup copy failed SQLite's integrity check ({problem}) and "
                               "was deleted; the database itself was not changed.")
                             .format(problem=check.problem))
        _fsync_file(tmp)
        return tmp, check
    except (OSError, sqlite3.Error) as exc:
        if tmp is not None:
            _remove(tmp)
        raise UserFacingError(_("The backup could not be written in {folder} ({reason}); the "
                                "database itself was not changed.").format(
            folder=folder, reason=getattr(exc, "strerror", None) or exc)) from None
    except BaseException:
        if tmp is not None:
            _remove(tmp)
        raise


def _place(tmp: Path, target: Path, *, replace: bool) -> bool:
    """Rename the checked copy to its final name; False if `target` exists (and not replace)."""
    try:
        if replace:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # atomic "create only if absent"
            except FileExistsError:
                return False
            except OSError:  # no hard links here (FAT, some shares): check, then rename
                if target.exists():
                    return False
                os.replace(tmp, target)
            _remove(tmp)
        fsync_dir(target.parent)
        return True
    except OSError as exc:
        _remove(tmp)
        raise UserFacingError(_("The backup could not be written in {folder} ({reason}); the "
                                "database itself was not changed.").format(
            folder=target.parent, reason=exc.strerror or exc)) from None


def _sweep(folder: Path, pattern: str, older_than_s: float = 3600.0) -> None:
    """Temporary files a crash left behind (an hour old: not one being written right now)."""
    limit = datetime.now(UTC).timestamp() - older_than_s
    with contextlib.suppress(OSError):
        for stale in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if stale.stat().st_mtime < limit:
                    stale.unlink()


def _auto_name(folder: Path, stamp: datetime, reason: str, n: int) -> Path:
    suffix = f"-{n}" if n > 1 else ""
    return folder / f"ovop-{stamp.strftime(_STAMP)}-{reason}{suffix}.sqlite3"


def _snapshot_into(src: sqlite3.Connection, folder: Path, reason: str, keep: int) -> BackupInfo:
    if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", reason):
        raise ValueError(f"not a backup reason: {reason!r}")
    stamp = datetime.now(UTC).replace(microsecond=0)
    _sweep(folder, ".ovop-*.part")
    tmp, check = _verified_temp(src, folder, f"ovop-{reason}")
    # After the latest of this second (a rotated-away "-1" must not come back as the oldest).
    n = 1 + max((order for _p, when, order, r in _scan(folder) if when == stamp and r == reason),
                default=0)
    while not _place(tmp, (target := _auto_name(folder, stamp, reason, n)), replace=False):
        n += 1
    info = BackupInfo(target, stamp, reason, target.stat().st_size, True, check.schema_version)
    _remember(folder, {target.name: _entry(target, check)})
    rotate(folder, reason, keep)
    return info


class BackupService:
    """Backups of one open store into its profile's `backups/` folder."""

    def __init__(self, store: Store, folder: Path, keep: int = KEEP) -> None:
        self._store = store
        self._folder = Path(folder)
        self._keep = keep

    @property
    def folder(self) -> Path:
        return self._folder

    def create(self, reason: str) -> BackupInfo:
        """A verified copy in `backups/`, then the oldest of the same reason beyond KEEP go."""
        if not self._store.is_sqlite:
            raise not_on_postgres()
        src = self._store.raw_connection()
        try:
            return _snapshot_into(src, self._folder, reason, self._keep)
        finally:
            src.close()

    def before_import(self) -> BackupInfo | None:
        """What BundleService calls before the first write of an import run (nothing on
        PostgreSQL: the server's operator backs it up)."""
        return self.create(IMPORT) if self._store.is_sqlite else None

    def write_copy(self, target: Path, *, force: bool = False) -> BackupInfo:
        """`ovop db backup --out F`: a verified copy at `target`, which must not exist yet."""
        if not self._store.is_sqlite:
            raise not_on_postgres()
        target = Path(target).expanduser().absolute()
        if target.is_dir():
            raise UserFacingError(_("{path} is a folder; give the name of the backup file.")
                                  .format(path=target))
        if target.exists() and not force:
            raise UserFacingError(_("{path} already exists; choose another name or add --force "
                                    "to replace it.").format(path=target))
        if target.exists() and target.samefile(self._store.path):
            raise UserFacingError(_("{path} is the database itself.").format(path=target))
        src = self._store.raw_connection()
        try:
            tmp, check = _verified_temp(src, target.parent, target.name)
        finally:
            src.close()
        if not _place(tmp, target, replace=force):
            _remove(tmp)
            raise UserFacingError(_("{path} already exists; choose another name or add --force "
                                    "to replace it.").format(path=target))
        return BackupInfo(target, datetime.now(UTC).replace(microsecond=0), MANUAL,
                          target.stat().st_size, True, check.schema_version)

    def list(self, *, verify: bool = False) -> list[BackupInfo]:
        return list_backups(self._folder, verify=verify)


# -- listing, rotation and the verification cache --------------------------------------------


def _parse(path: Path) -> tuple[datetime, int, str] | None:
    """(time, order within the second, reason) from a backup's name; None if not a backup."""
    m = _NAME.match(path.name)
    if m:
        when = datetime.strptime(f"{m[1]}-{m[2]}", _STAMP).replace(tzinfo=UTC)
        return when, int(m[4] or 1), m[3]
    m = _MIGRATION_NAME.match(path.name)
    if m:
        when = datetime.strptime(f"{m[2]}-{m[3]}", _STAMP).replace(tzinfo=UTC)
        return when, 0, PRE_MIGRATION
    return None


def _entry(path: Path, check: CopyCheck) -> dict[str, Any]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ok": check.ok,
            "version": check.schema_version, "problem": check.problem}


def _load_index(folder: Path) -> dict[str, Any]:
    try:
        doc = json.loads((folder / _INDEX).read_text(encoding="utf-8"))
        return doc if isinstance(doc, dict) else {}
    except (OSError, ValueError):
        return {}  # only a cache: a lost or broken one means "not checked yet"


def _remember(folder: Path, entries: dict[str, Any], drop: tuple[str, ...] = ()) -> None:
    index = _load_index(folder)
    index.update(entries)
    for name in drop:
        index.pop(name, None)
    index = {k: v for k, v in index.items() if (folder / k).exists()}
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{_INDEX}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(index, indent=1, sort_keys=True))
        os.replace(tmp, folder / _INDEX)
    except OSError:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _cached(index: dict[str, Any], path: Path, size: int, mtime_ns: int) -> dict[str, Any] | None:
    entry = index.get(path.name)
    if isinstance(entry, dict) and entry.get("size") == size and entry.get("mtime_ns") == mtime_ns:
        return entry
    return None


def _scan(folder: Path) -> Iterator[tuple[Path, datetime, int, str]]:
    try:
        names = list(folder.iterdir())
    except OSError:
        return
    for path in names:
        parsed = _parse(path)
        if parsed and path.is_file():
            yield path, *parsed


def list_backups(folder: Path, *, verify: bool = False) -> list[BackupInfo]:
    """Backups in `folder`, newest first. `verified` comes from the cache kept when each copy
    was made or last checked; verify=True checks those not known (integrity_check)."""
    folder = Path(folder)
    index = _load_index(folder)
    found, checked = [], {}
    for path, when, order, reason in _scan(folder):
        try:
            st = path.stat()
        except OSError:  # rotated away by another process meanwhile
            continue
        entry = _cached(index, path, st.st_size, st.st_mtime_ns)
        if entry is None and verify:
            entry = checked[path.name] = _entry(path, check_copy(path))
        found.append(((when, order, st.st_mtime_ns), BackupInfo(
            path, when, reason, st.st_size, None if entry is None else bool(entry["ok"]),
            None if entry is None else entry.get("version"),
            "" if entry is None else str(entry.get("problem", "")))))
    if checked:
        _remember(folder, checked)
    found.sort(key=lambda t: t[0], reverse=True)  # a name's second, then order, then mtime
    return [info for _key, info in found]


def rotate(folder: Path, reason: str, keep: int = KEEP) -> list[Path]:
    """Delete the automatic backups of `reason` beyond the newest `keep`; never any other file
    (pre-migration copies and files of other reasons stay)."""
    if reason == PRE_MIGRATION:
        return []
    mine = [b for b in list_backups(folder) if b.reason == reason and _NAME.match(b.path.name)]
    gone = []
    for old in mine[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
            gone.append(old.path)
    if gone:
        _remember(folder, {}, drop=tuple(p.name for p in gone))
    return gone


def newest_good(folder: Path) -> BackupInfo | None:
    """The newest backup that passes integrity_check now and that this version can open.

    Checked afresh, not from the cache: whatever damaged the store may have reached the
    backups too.
    """
    checked = {}
    try:
        for info in list_backups(folder):
            check = check_copy(info.path)
            checked[info.path.name] = _entry(info.path, check)
            if check.ok and check.schema_version and 1 <= check.schema_version <= CURRENT_VERSION:
                return BackupInfo(info.path, info.created, info.reason, info.size, True,
                                  check.schema_version)
        return None
    finally:
        if checked:
            _remember(Path(folder), checked)


# -- restoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    source: Path
    backup_time: datetime  # from the backup's name, else the file's modification time
    reason: str  # "" when the file is not one of the automatic backups
    schema_version: int  # of the backup as it was
    now_version: int  # after bringing it to this version's schema
    audit_entries: int  # in the restored store, the restore's own entry included
    last_change: str  # the newest audit entry before the restore (ISO), "" if none
    previous: Path | None  # where the replaced store went (a backup, or kept aside damaged)
    previous_damaged: bool

    def as_json(self) -> dict[str, Any]:
        return {"source": str(self.source),
                "backup_time": self.backup_time.isoformat(timespec="seconds"),
                "reason": self.reason, "schema_version": self.schema_version,
                "now_version": self.now_version, "audit_entries": self.audit_entries,
                "last_change": self.last_change,
                "previous": str(self.previous) if self.previous else None,
                "previous_damaged": self.previous_damaged}


def restore(paths: ProfilePaths, source: Path, *, gui_lock_held: bool = False,
            keep: int = KEEP) -> RestoreReport:
    """Replace the profile's store with the backup `source`, checked first; see module doc.

    Refuses (StoreError / UserFacingError, nothing changed) while the GUI has the profile
    open (unless the caller is that GUI: gui_lock_held), and for a file that is not a sound
    OVOP Desktop database this version can open.
    """
    source = Path(source).expanduser().absolute()
    _check_source(paths, source)
    paths.root.mkdir(parents=True, exist_ok=True)  # a new laptop: restoring into no profile
    with contextlib.ExitStack() as locks:
        if not gui_lock_held:
            gui = locks.enter_context(FileLock(paths.gui_lock))
            if not gui.try_acquire():
                raise StoreError(_("OVOP Desktop is open on this profile ({path}); close it "
                                   "before restoring a backup.").format(path=paths.root))
        migration = locks.enter_context(FileLock(paths.migration_lock))
        if not migration.acquire(MIGRATION_WAIT_S):
            raise StoreError(_("Another OVOP Desktop is upgrading this database; try again."))
        _sweep(paths.root, ".ovop-restore-*")
        tmp = _staged_copy(paths.root, source)
        try:
            version, last_change, entries = _prepare(paths, tmp, source)
            previous, damaged = _put_in_place(paths, tmp, keep)
        finally:
            _remove(tmp)
            with contextlib.suppress(OSError):
                Path(f"{tmp}.lock").unlink()
    parsed = _parse(source)
    when = parsed[0] if parsed else datetime.fromtimestamp(source.stat().st_mtime, UTC)
    return RestoreReport(source, when, parsed[2] if parsed else "", version, CURRENT_VERSION,
                         entries, last_change, previous, damaged)


def _check_source(paths: ProfilePaths, source: Path) -> None:
    """Everything about the file itself, before a byte is copied or a lock taken."""
    if not source.is_file():
        raise UserFacingError(_("There is no file {path}.").format(path=source))
    if paths.database.exists() and source.samefile(paths.database):
        raise UserFacingError(_("{path} is the profile's own database; choose a backup.")
                              .format(path=source))
    wal = Path(f"{source}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(_("{path} is in use or was not closed cleanly (there is a {wal} beside "
                           "it); make a copy with `ovop db backup` instead.").format(
            path=source, wal=wal.name))
    try:
        version = inspect_database(source, thorough=True, immutable=True)
    except DamagedStoreError:  # a damaged backup is a refusal, not a damaged store
        raise StoreError(_("{path} is damaged or not an SQLite database and cannot be restored; "
                           "nothing was changed.").format(path=source)) from None
    if version < 1:
        raise StoreError(_("{path} holds no OVOP Desktop data; nothing was changed.")
                         .format(path=source))


def _staged_copy(root: Path, source: Path) -> Path:
    """The backup copied into the profile folder (same disk: the final rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=".ovop-restore-", suffix=".sqlite3", dir=root)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")  # our own copy: self-contained
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        _remove(tmp)
        raise UserFacingError(_("{path} could not be copied into the profile folder ({reason}); "
                                "nothing was changed.").format(
            path=source, reason=getattr(exc, "strerror", None) or exc)) from None
    return tmp


def _prepare(paths: ProfilePaths, tmp: Path, source: Path) -> tuple[int, str, int]:
    """Check the copy, bring it to this schema, audit the restore in it, check it again."""
    before = check_copy(tmp)
    if not before.ok or not before.schema_version:
        raise StoreError(_("The copy of {path} in the profile folder failed its check ({problem});"
                           " nothing was changed.").format(path=source,
                                                           problem=before.problem or "-"))
    store = open_store(tmp, paths.backups, Path(f"{tmp}.lock"))
    try:
        with store.read() as s:
            last_change = s.execute(select(func.max(AuditRow.ts))).scalar() or ""
            profile = s.execute(select(ProfileRow.name)).scalar()
        with store.write() as s:
            audit.append(s, profile or "system", "store.restore", "store", "ovop.sqlite3", {
                "source": str(source), "source_name": source.name,
                "schema_version": before.schema_version, "last_change": last_change})
            entries = audit.count(s)
    finally:
        store.close()
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    after = check_copy(tmp)
    if not after.ok:
        raise StoreError(_("The copy of {path} in the profile folder failed its check ({problem});"
                           " nothing was changed.").format(path=source, problem=after.problem))
    _fsync_file(tmp)
    return before.schema_version, last_change, entries


def _put_in_place(paths: ProfilePaths, tmp: Path, keep: int) -> tuple[Path | None, bool]:
    """Move the current store out of the way (backed up, or kept aside if damaged), then
    rename the prepared copy over it. Stale -wal/-shm go before the rename: a WAL left
    beside the new file would be replayed into it."""
    db = paths.database
    wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
    previous: Path | None = None
    damaged = False
    if db.exists() and db.stat().st_size > 0:
        try:
            inspect_database(db)
        except DamagedStoreError:
            damaged = True
        except StoreError:
            pass  # foreign, newer, unreadable for now: copied below like a sound one
    if damaged:
        previous = _keep_damaged(paths)
        for side in (wal, shm):
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
    elif db.exists() and db.stat().st_size > 0:
        _take_over(db)  # folds the WAL into the file; refuses if anyone else has it open
        src = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True,
                              timeout=BUSY_TIMEOUT_S)
        try:
            previous = _snapshot_into(src, paths.backups, BEFORE_RESTORE, keep).path
        finally:
            src.close()
        if wal.exists():
            raise StoreError(_("Another program opened the database during the restore; "
                               "nothing was changed. Close it and try again."))
        with contextlib.suppress(FileNotFoundError):
            shm.unlink()
    else:
        for side in (wal, shm):
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
    try:
        os.replace(tmp, db)
        fsync_dir(db.parent)
    except OSError as exc:
        raise UserFacingError(_("The backup could not be put in place ({reason}); the database "
                                "was not changed.").format(reason=exc.strerror or exc)) from None
    return previous, damaged


def _take_over(db: Path) -> None:
    """Checkpoint and leave WAL mode, which SQLite allows only to the sole connection: so
    nobody else (another `ovop`, a stray program) has the store open when it is replaced."""
    try:
        conn = sqlite3.connect(db, timeout=2.0)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        mode = ""
    if str(mode).lower() != "delete":
        raise StoreError(_("Another program has the database {path} open; close it and try "
                           "again. Nothing was changed.").format(path=db))


def _keep_damaged(paths: ProfilePaths) -> Path:
    """Keep the damaged store (and its WAL, which may hold committed changes) beside it."""
    db = paths.database
    stamp = datetime.now(UTC).strftime(_STAMP)
    n, aside = 1, paths.root / f"ovop-damaged-{stamp}.sqlite3"
    while aside.exists():
        n += 1
        aside = paths.root / f"ovop-damaged-{stamp}-{n}.sqlite3"
    try:
        for src, dst in ((db, aside), (Path(f"{db}-wal"), Path(f"{aside}-wal"))):
            if not src.exists():
                continue
            try:
                os.link(src, dst)  # the same bytes under a second name, instantly
            except OSError:
                shutil.copyfile(src, dst)
                _fsync_file(dst)
        fsync_dir(paths.root)
    except OSError as exc:
        raise UserFacingError(_("The damaged database could not be kept aside ({reason}); "
                                "nothing was changed.").format(
            reason=exc.strerror or exc)) from None
    return aside


def damaged_hint(paths: ProfilePaths) -> BackupInfo | None:
    """For a store that will not open: the backup a restore would bring back, if any."""
    return newest_good(paths.backups)
