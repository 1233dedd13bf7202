"""Disk full and write errors at every step, and read-only media (security.md §5).

For every N the N-th write-like call fails (faults.py: files through Python; the database
through PRAGMA max_page_count, which makes SQLite itself answer SQLITE_FULL), until a run
completes without reaching its fault. Each failure must give a readable sentence (a
UserFacingError, or the CLI's one stderr line), leave the store as it was (every table, as
SQLite dumps it, byte for byte; the audit chain verifies) and leave no file under its final
name that is not complete. A run that completes despite a fault (a cache that could not be
written) must still be complete.
"""

from __future__ import annotations

import errno
import itertools
import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crash.faults import Faults, page_limit
from crash.harness import (
    ASSESSOR_PASS,
    BUNDLE_NAME,
    COORD_PASS,
    ExportScenario,
    copy_profile,
    db_problems,
    fast_keys,
    old_ladder,
    sha256,
)
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services import identity
from ovop_desktop.services.backups import BackupService, check_copy
from ovop_desktop.services.bundle_export import export_bundle
from ovop_desktop.services.container import PAYLOAD_BUNDLE, open_container
from ovop_desktop.services.workspace import Workspace

pytestmark = pytest.mark.usefixtures("english")  # the checks read the message's words

CAUSE = {errno.ENOSPC: "No space left on device", errno.EIO: "Input/output error"}
FULL_DB = "database or disk is full"
STEP_LIMIT = 400  # no operation here has that many writes: a runaway sweep is a bug


@dataclass(frozen=True)
class Templates:
    assessor: Path  # scored sheets and a photo; a key (ASSESSOR_PASS)
    coordinator: Path  # the demo round, a key, the assessor enrolled
    inbox: Path  # two signed bundles from the assessor


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    base = tmp_path_factory.mktemp("io-faults")
    ExportScenario().prepare(base)
    sender = copy_profile(base / "ex" / "assessor", base / "sender")
    inbox = base / "inbox"
    inbox.mkdir()
    with fast_keys(), Workspace.open(sender) as ws:
        key, me = identity.unlock(ws.paths.keys, ASSESSOR_PASS), identity.load_public(ws.paths.keys)
        for seq in (1, 2):
            export_bundle(ws.store, ws.scoring, ws.profile.actor(),
                          inbox / BUNDLE_NAME.format(seq=seq), key, me)
    return Templates(base / "ex" / "assessor", base / "ex" / "coordinator", inbox)


# -- helpers ----------------------------------------------------------------------------------


def content(db: Path) -> list[str]:
    """Every table and row as SQLite dumps it: equal lists mean byte-equal content."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def readable(exc: BaseException | None, *causes: str) -> str:
    """A UserFacingError whose message is one sentence naming the cause, no internals."""
    assert isinstance(exc, UserFacingError), f"not a user-facing error: {exc!r}"
    message = str(exc)
    assert message and "\n" not in message, message
    for internal in ("Traceback", "Errno", "OSError", "sqlite3.", "OperationalError"):
        assert internal not in message, message
    assert any(cause in message for cause in causes), message
    return message


def store_sound(profile: Path) -> None:
    with Workspace.open(profile) as ws:
        assert db_problems(ws) == []


def every_step(fresh: Callable[[Path], Path], scope: Callable[[Path], list[Path]],
               run: Callable[[Path, Callable[[], None]], Any],
               failed: Callable[[Path, BaseException, Faults], None],
               completed: Callable[[Path, Any], None], tmp_path: Path,
               err: int = errno.ENOSPC) -> int:
    """Fail the 1st, 2nd, … counted call of `run` until it completes without reaching its
    fault; returns how many calls that run made. `run(where, arm)` calls arm() just before
    the operation, so that opening the profile is not part of the count."""
    for n in itertools.count(1):
        assert n < STEP_LIMIT
        where = fresh(tmp_path / f"step-{n}")
        faults = Faults(scope(where), fail_at=n, err=err)
        error: BaseException | None = None
        with pytest.MonkeyPatch.context() as mp:
            try:
                result = run(where, lambda f=faults, m=mp: f.install(m))
            except Exception as exc:  # judged below, outside the patched calls
                error = exc
        if error is not None:
            assert faults.hit is not None, f"step {n}: failed without a fault: {error!r}"
            failed(where, error, faults)
        else:
            completed(where, result)  # complete even if a fault was met (and absorbed)
            if faults.hit is None:
                shutil.rmtree(where)
                return len(faults.calls)
        shutil.rmtree(where)
    raise AssertionError("unreachable")


@pytest.fixture(params=[errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def err(request: pytest.FixtureRequest) -> int:
    return request.param


# -- (a) bundle export --------------------------------------------------------------------------


def _export_fresh(templates: Templates) -> Callable[[Path], Path]:
    def fresh(where: Path) -> Path:
        copy_profile(templates.assessor, where / "assessor")
        (where / "usb").mkdir()
        return where
    return fresh


def _export(where: Path, arm: Callable[[], None], name: str = "nilai-001.zip") -> Any:
    with Workspace.open(where / "assessor") as ws:
        key, me = identity.unlock(ws.paths.keys, ASSESSOR_PASS), identity.load_public(ws.paths.keys)
        arm()
        return export_bundle(ws.store, ws.scoring, ws.profile.actor(), where / "usb" / name,
                             key, me)


def _bundle_on_record(where: Path, path: Path) -> None:
    me = identity.load_public(where / "assessor" / "keys")
    assert me is not None
    verified = open_container(path.read_bytes(), {PAYLOAD_BUNDLE},
                              lambda k, _e: me.public_key_raw if k == me.key_id else None)
    db = where / "assessor" / "ovop.sqlite3"
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT manifest_sha256 FROM bundle_export WHERE file_name = ?",
                            (path.name,)).fetchall()
    finally:
        conn.close()
    assert rows == [(verified.manifest_sha256,)]


def test_bundle_export_fails_cleanly_at_every_write(templates: Templates, tmp_path: Path,
                                                   err: int) -> None:
    before = content(templates.assessor / "ovop.sqlite3")

    def failed(where: Path, error: BaseException, faults: Faults) -> None:
        readable(error, CAUSE[err])
        assert content(where / "assessor" / "ovop.sqlite3") == before, faults.hit
        assert list((where / "usb").iterdir()) == [], faults.hit  # no bundle, no temp file
        store_sound(where / "assessor")

    def completed(where: Path, info: Any) -> None:
        _bundle_on_record(where, info.path)
        store_sound(where / "assessor")

    calls = every_step(_export_fresh(templates), lambda w: [w / "usb"], _export, failed,
                       completed, tmp_path, err)
    assert calls >= 5  # create, write, fsync, rename, fsync of the folder


def test_bundle_export_on_a_full_database(templates: Templates, tmp_path: Path) -> None:
    """The disk fills at the N-th new page of the store, during a series of exports."""
    fresh = _export_fresh(templates)
    failures = 0
    for n in itertools.count(0):
        assert n < STEP_LIMIT
        where = fresh(tmp_path / f"pages-{n}")
        db = where / "assessor" / "ovop.sqlite3"
        written, error, before = 0, None, content(db)
        with pytest.MonkeyPatch.context() as mp, page_limit(mp, n, files=[db]):
            for seq in range(1, 13):
                before = content(db)
                try:
                    _export(where, lambda: None, BUNDLE_NAME.format(seq=seq))
                except Exception as exc:
                    error = exc
                    break
                written = seq
        if error is None:
            break
        failures += 1
        readable(error, FULL_DB)
        assert content(db) == before
        assert sorted(p.name for p in (where / "usb").iterdir()) == [
            BUNDLE_NAME.format(seq=s) for s in range(1, written + 1)]  # not the failed one
        store_sound(where / "assessor")
        shutil.rmtree(where)
    assert failures >= 1


def test_cli_bundle_export_onto_a_full_disk(templates: Templates, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from ovop_desktop.cli.main import main

    passphrase = tmp_path / "pass.txt"
    passphrase.write_text(ASSESSOR_PASS + "\n", encoding="utf-8")
    before = content(templates.assessor / "ovop.sqlite3")
    capsys.readouterr()

    def run(where: Path, arm: Callable[[], None]) -> int:
        arm()  # only the medium is full: opening the profile is unaffected
        return main(["--data-dir", str(where / "assessor"), "--lang", "en", "bundle", "export",
                     "--out", str(where / "usb" / "nilai.zip"), "--passphrase-file",
                     str(passphrase)])

    steps = []

    def completed(where: Path, code: Any) -> None:
        # main() turns every error into an exit code, so each step ends up here.
        out, errors = capsys.readouterr()
        if code == 0:
            assert "read back and verified" in out
            return
        steps.append(code)
        assert code == 1 and out == ""
        lines = errors.splitlines()
        assert len(lines) == 1 and lines[0].startswith("ovop: "), errors
        assert CAUSE[errno.ENOSPC] in lines[0] and "Traceback" not in errors
        assert content(where / "assessor" / "ovop.sqlite3") == before
        assert list((where / "usb").iterdir()) == []

    every_step(_export_fresh(templates), lambda w: [w / "usb"], run,
               lambda w, e, f: pytest.fail(f"main() raised {e!r}"), completed, tmp_path)
    assert len(steps) >= 5


# -- (b) bundle import --------------------------------------------------------------------------


def _import_fresh(templates: Templates) -> Callable[[Path], Path]:
    def fresh(where: Path) -> Path:
        return copy_profile(templates.coordinator, where / "coordinator").parent
    return fresh


def _import(templates: Templates) -> Callable[[Path, Callable[[], None]], Any]:
    def run(where: Path, arm: Callable[[], None]) -> Any:
        with Workspace.open(where / "coordinator") as ws:
            arm()
            return [(o.file, o.status.value) for o in ws.bundles.import_files([templates.inbox])]
    return run


def _evidence_complete(profile: Path) -> None:
    """Kept bundles are content-addressed: a file under a final name hashes to its name."""
    for path in (profile / "bundles").glob("*.zip"):
        assert sha256(path.read_bytes()) == path.stem, f"{path.name} is incomplete"


ACCEPTED = [(BUNDLE_NAME.format(seq=s), "accepted") for s in (1, 2)]


def test_bundle_import_fails_cleanly_at_every_write(templates: Templates, tmp_path: Path,
                                                   err: int) -> None:
    before = content(templates.coordinator / "ovop.sqlite3")
    run = _import(templates)

    def failed(where: Path, error: BaseException, faults: Faults) -> None:
        readable(error, CAUSE[err])
        assert content(where / "coordinator" / "ovop.sqlite3") == before, faults.hit
        _evidence_complete(where / "coordinator")
        store_sound(where / "coordinator")
        if err == errno.ENOSPC:  # the same code path for EIO; once is enough for the time
            assert run(where, lambda: None) == ACCEPTED  # the import can simply be run again

    def completed(where: Path, outcomes: Any) -> None:
        assert outcomes == ACCEPTED
        _evidence_complete(where / "coordinator")
        store_sound(where / "coordinator")

    calls = every_step(_import_fresh(templates), lambda w: [w / "coordinator"], run, failed,
                       completed, tmp_path, err)
    assert calls >= 2 * 3  # per bundle: create, write, rename (then the fsyncs)


def test_bundle_import_on_a_full_database(templates: Templates, tmp_path: Path) -> None:
    fresh, run = _import_fresh(templates), _import(templates)
    before = content(templates.coordinator / "ovop.sqlite3")
    failures = 0
    for n in itertools.count(0):
        assert n < STEP_LIMIT
        where = fresh(tmp_path / f"pages-{n}")
        db = where / "coordinator" / "ovop.sqlite3"
        with pytest.MonkeyPatch.context() as mp, page_limit(mp, n, files=[db]):
            try:
                outcomes, error = run(where, lambda: None), None
            except Exception as exc:
                error = exc
        if error is None:
            assert outcomes == ACCEPTED
            break
        failures += 1
        readable(error, FULL_DB)
        assert content(db) == before
        _evidence_complete(where / "coordinator")
        store_sound(where / "coordinator")
        shutil.rmtree(where)
    assert failures >= 2


@pytest.mark.parametrize("damage", ["short", "zeroed"])
def test_a_damaged_kept_copy_left_by_a_power_cut_is_rewritten(templates: Templates,
                                                             tmp_path: Path, damage: str) -> None:
    """kill -9 cannot leave one, a power cut can: a kept copy renamed before its bytes reached
    the disk, by an import that never committed — short, or of full length but zeros (the
    size reached the disk, the data did not). The next import rewrites it and fsyncs even a
    complete leftover before the rows that refer to it commit."""
    where = _import_fresh(templates)(tmp_path / damage)
    kept = where / "coordinator" / "bundles"
    kept.mkdir(exist_ok=True)
    first, second = sorted(templates.inbox.glob("*.zip"))
    broken = kept / f"{sha256(first.read_bytes())}.zip"
    size = len(first.read_bytes())
    broken.write_bytes(first.read_bytes()[:1000] if damage == "short" else bytes(size))
    whole = kept / f"{sha256(second.read_bytes())}.zip"
    whole.write_bytes(second.read_bytes())
    faults = Faults([kept])  # counts, fails nothing
    with pytest.MonkeyPatch.context() as mp:
        outcomes = _import(templates)(where, lambda: faults.install(mp))
    assert outcomes == ACCEPTED
    _evidence_complete(where / "coordinator")
    assert f"fsync {whole}" in faults.calls


def test_import_from_read_only_media_works(templates: Templates, tmp_path: Path) -> None:
    """EROFS for every change under the medium (root ignores chmod; see faults.py)."""
    where = _import_fresh(templates)(tmp_path / "ro")
    faults = Faults(readonly=[templates.inbox])
    with pytest.MonkeyPatch.context() as mp:
        faults.install(mp)
        with pytest.raises(OSError) as refused:  # the medium really is read-only
            (templates.inbox / "probe").write_bytes(b"x")
        outcomes = _import(templates)(where, lambda: None)
    assert refused.value.errno == errno.EROFS
    assert outcomes == ACCEPTED
    store_sound(where / "coordinator")


# -- read-only media: export ---------------------------------------------------------------------


def test_export_to_read_only_media_fails_before_anything_is_saved(
        templates: Templates, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ovop_desktop.cli.main import main

    where = _export_fresh(templates)(tmp_path / "ro")
    db = where / "assessor" / "ovop.sqlite3"
    before = content(db)
    faults = Faults(readonly=[where / "usb"])
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text(ASSESSOR_PASS + "\n", encoding="utf-8")
    error = None
    with pytest.MonkeyPatch.context() as mp:
        try:
            _export(where, lambda: faults.install(mp))
        except Exception as exc:
            error = exc
    readable(error, "Read-only file system")
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as mp:
        faults.install(mp)
        code = main(["--data-dir", str(where / "assessor"), "--lang", "en", "bundle", "export",
                     "--out", str(where / "usb" / "nilai.zip"), "--passphrase-file",
                     str(passphrase)])
    out, errors = capsys.readouterr()
    assert code == 1 and out == "" and len(errors.splitlines()) == 1
    assert "Read-only file system" in errors
    assert content(db) == before  # no bundle_export row, no audit entry
    assert list((where / "usb").iterdir()) == []


# -- (c) backups --------------------------------------------------------------------------------


def _backups_complete(folder: Path, source: list[str] | None = None) -> list[Path]:
    """Every file under a backup's final name verifies (and holds the store's content)."""
    finals = sorted(p for p in folder.glob("*.sqlite3")) if folder.exists() else []
    for path in finals:
        assert check_copy(path).ok, path.name
        if source is not None:
            assert content(path) == source, f"{path.name} is not the store's content"
    litter = [p.name for p in folder.iterdir() if ".part" in p.name] if folder.exists() else []
    assert litter == [], litter
    return finals


def _backup_fresh(templates: Templates) -> Callable[[Path], Path]:
    def fresh(where: Path) -> Path:
        copy_profile(templates.assessor, where / "assessor")
        (where / "usb").mkdir()
        return where
    return fresh


@pytest.mark.parametrize("kind", ["rotated", "copy"])
def test_backup_fails_cleanly_at_every_write(templates: Templates, tmp_path: Path,
                                             kind: str) -> None:
    err = errno.ENOSPC  # EIO takes the same paths (see the bundle tests)
    before = content(templates.assessor / "ovop.sqlite3")

    def folder(where: Path) -> Path:
        return where / "assessor" / "backups" if kind == "rotated" else where / "usb"

    def run(where: Path, arm: Callable[[], None]) -> Any:
        with Workspace.open(where / "assessor") as ws:
            service = BackupService(ws.store, ws.paths.backups)
            arm()
            if kind == "rotated":
                return service.create("manual")
            return service.write_copy(where / "usb" / "salinan.sqlite3")

    def failed(where: Path, error: BaseException, faults: Faults) -> None:
        readable(error, CAUSE[err])
        assert content(where / "assessor" / "ovop.sqlite3") == before
        _backups_complete(folder(where), before)  # a copy under a final name is a whole one
        store_sound(where / "assessor")

    def completed(where: Path, info: Any) -> None:
        assert _backups_complete(folder(where), before) == [info.path]

    calls = every_step(_backup_fresh(templates), lambda w: [folder(w)], run, failed, completed,
                       tmp_path, err)
    assert calls >= 3


def test_backup_on_a_full_disk_at_every_page(templates: Templates, tmp_path: Path) -> None:
    """SQLite writes the copy itself: the copy may hold N pages, for every N up to the store's."""
    fresh = _backup_fresh(templates)
    before = content(templates.assessor / "ovop.sqlite3")
    for n in itertools.count(0):
        assert n < STEP_LIMIT
        where = fresh(tmp_path / f"pages-{n}")
        backups = where / "assessor" / "backups"
        with (Workspace.open(where / "assessor") as ws, pytest.MonkeyPatch.context() as mp,
              page_limit(mp, n, folders=[backups])):
            try:
                info, error = BackupService(ws.store, backups).create("manual"), None
            except Exception as exc:
                error = exc
        if error is None:
            assert _backups_complete(backups, before) == [info.path]
            break
        readable(error, FULL_DB)
        assert content(where / "assessor" / "ovop.sqlite3") == before
        assert _backups_complete(backups) == []
        shutil.rmtree(where)
    assert n > 10  # the copy needed every one of the store's pages


@pytest.fixture(scope="module")
def old_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile at schema version 5 (the real ladder), with rubrics and a round."""
    folder = tmp_path_factory.mktemp("v5") / "profile"
    with old_ladder(5), Workspace.open(folder) as ws:
        ws.rubrics.install_defaults()
        with ws.store.write() as s:  # a round as version 5 wrote it (the ORM is at 6)
            s.connection().exec_driver_sql(
                "INSERT INTO round (id, uid, year, name, status, threshold_3, threshold_2, "
                "threshold_1, created_at) VALUES (1, 'c0ffee00-0000-4000-8000-000000000001', "
                "2024, 'Penghargaan OVOP 2024', 'setup', 80, 65, 50, "
                "'2024-02-01T00:00:00+00:00')")
    return folder


@pytest.mark.parametrize("side", ["files", "pages"])
def test_migration_backup_fails_cleanly_at_every_step(old_profile: Path, tmp_path: Path,
                                                      side: str) -> None:
    """The copy schema.py makes before the ladder runs; a failed copy leaves version 5."""
    before = content(old_profile / "ovop.sqlite3")

    def fresh(where: Path) -> Path:
        return copy_profile(old_profile, where / "profile").parent

    def failed(where: Path, error: BaseException, hit: str) -> None:
        readable(error, CAUSE[errno.ENOSPC], FULL_DB)
        assert content(where / "profile" / "ovop.sqlite3") == before, hit
        backups = where / "profile" / "backups"
        for path in backups.glob("*") if backups.exists() else []:
            assert ".part" in path.name or check_copy(path).ok, path.name

    def completed(where: Path, _result: Any) -> None:
        store_sound(where / "profile")
        (copy,) = (where / "profile" / "backups").glob("pre-migration-v5-*.sqlite3")
        assert content(copy) == before

    if side == "files":
        every_step(fresh, lambda w: [w / "profile" / "backups"],
                   lambda w, arm: (arm(), Workspace.open(w / "profile").close()),
                   lambda w, e, f: failed(w, e, str(f.hit)), completed, tmp_path)
        return
    for n in itertools.count(0):
        assert n < STEP_LIMIT
        where = fresh(tmp_path / f"pages-{n}")
        with pytest.MonkeyPatch.context() as mp, page_limit(
                mp, n, folders=[where / "profile" / "backups"]):
            try:
                Workspace.open(where / "profile").close()
                error = None
            except Exception as exc:
                error = exc
        if error is None:
            completed(where, None)
            break
        failed(where, error, f"page {n}")
        shutil.rmtree(where)


# -- (d) atomic_write of exports ------------------------------------------------------------------


def _finished_export(path: Path) -> None:
    """A file under an export's final name is complete: it parses to the end."""
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc.get("receipt") or doc.get("signature") or doc.get("payload") or doc
    elif path.suffix == ".xlsx":
        import openpyxl

        openpyxl.load_workbook(path, read_only=True).close()
    else:
        text = path.read_text(encoding="utf-8-sig")
        assert text.endswith("\n") and len(text.splitlines()) > 2


@pytest.mark.parametrize(("name", "err"), [("hasil.json", errno.ENOSPC),
                                          ("hasil.csv", errno.EIO),
                                          ("registri.xlsx", errno.ENOSPC)])
def test_exports_are_complete_or_absent_at_every_write(templates: Templates, tmp_path: Path,
                                                       name: str, err: int) -> None:
    from ovop_desktop.services.registry_export import export_registry

    before = content(templates.coordinator / "ovop.sqlite3")

    def fresh(where: Path) -> Path:
        copy_profile(templates.coordinator, where / "coordinator")
        (where / "out").mkdir()
        return where

    def run(where: Path, arm: Callable[[], None]) -> Any:
        with Workspace.open(where / "coordinator") as ws:
            round_ = ws.current_round()
            assert round_ is not None
            if name.startswith("registri"):
                arm()
                return export_registry(ws, round_.id, where / "out" / name)
            report = ws.results.report(round_.id)
            key = identity.unlock(ws.paths.keys, COORD_PASS)
            arm()
            return ws.results.export(report, where / "out" / name, key)

    def failed(where: Path, error: BaseException, faults: Faults) -> None:
        readable(error, CAUSE[err])
        for path in (where / "out").iterdir():
            assert not path.name.startswith("."), f"temp file left: {path.name}"
            _finished_export(path)  # e.g. a receipt whose table failed: complete itself
        assert (where / "out" / name).exists() is False, faults.hit
        assert content(where / "coordinator" / "ovop.sqlite3") == before

    def completed(where: Path, _result: Any) -> None:
        _finished_export(where / "out" / name)

    calls = every_step(fresh, lambda w: [w / "out"], run, failed, completed, tmp_path, err)
    assert calls >= 4
