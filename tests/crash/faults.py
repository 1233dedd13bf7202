"""Step-N fault injection (SQLite's ioerr.test technique), for files and for the database.

Files: every write-like call the code makes through Python on a path inside `scope` is
counted — opening or creating a file for writing (open, io.open, os.fdopen, os.open with a
write flag), each write() and os.write, os.fsync, os.replace / os.rename / os.link, and
os.mkdir of a folder that does not exist yet. The N-th raises OSError(err). A failing
write() first writes half of its data, as a disk that fills up mid-write does, so a
truncated file is really left somewhere. `readonly` folders refuse every change with EROFS
and report "not writable" to os.access: the tests run as root, for whom chmod 0o555 stops
nothing, and a read-only bind mount needs privileges CI does not have.

SQLite: its own writes never pass through Python, and a VFS cannot be swapped from Python.
`page_limit` sets PRAGMA max_page_count on every connection opened to the files in scope:
a write that needs one page more than allowed fails inside SQLite with SQLITE_FULL
("database or disk is full"), the very error a full disk gives, taking SQLite's own
rollback path. (A progress handler that raises would only give SQLITE_INTERRUPT, which is
not a disk error; RLIMIT_FSIZE would hit every file of the test process at once.)
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_ORIGINAL = {name: getattr(os, name) for name in
             ("open", "write", "fsync", "replace", "rename", "link", "mkdir", "unlink",
              "rmdir", "access")}
_OPEN = builtins.open


def _inside(path: Any, folders: Iterable[Path]) -> bool:
    if isinstance(path, int) or path is None:
        return False
    p = Path(os.fsdecode(path)).absolute()
    return any(p == f or f in p.parents for f in folders)


class _FaultyFile:
    """A file opened for writing whose write() counts as one step."""

    def __init__(self, raw: Any, faults: Faults, path: str) -> None:
        self._raw, self._faults, self._path = raw, faults, path

    def write(self, data: Any) -> int:
        self._faults.step("write", self._path, partial=lambda: self._raw.write(
            data[:len(data) // 2]) and self._raw.flush())
        return self._raw.write(data)

    def __enter__(self) -> _FaultyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.__exit__(*exc)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._raw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class Faults:
    """Count write-like calls inside `scope`; the `fail_at`-th raises OSError(err)."""

    def __init__(self, scope: Iterable[Path] = (), fail_at: int | None = None,
                 err: int = errno.ENOSPC, readonly: Iterable[Path] = ()) -> None:
        self.scope = [Path(p).absolute() for p in scope]
        self.readonly = [Path(p).absolute() for p in readonly]
        self.fail_at, self.err = fail_at, err
        self.calls: list[str] = []  # every counted call, "kind path"
        self.hit: str | None = None  # the call that failed
        self._fds: dict[int, str] = {}

    # -- bookkeeping -------------------------------------------------------------------

    def step(self, kind: str, path: Any, partial: Any = None) -> None:
        name = os.fsdecode(path) if not isinstance(path, int) else self._fds.get(path, "")
        if _inside(name, self.readonly):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), name)
        if not _inside(name, self.scope):
            return
        self.calls.append(f"{kind} {name}")
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            self.hit = self.calls[-1]
            if partial is not None:
                partial()
            raise OSError(self.err, os.strerror(self.err), name)

    def _path_of(self, file: Any) -> str:
        return self._fds.get(file, "") if isinstance(file, int) else os.fsdecode(file)

    # -- the patched calls -------------------------------------------------------------

    def _open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        path = self._path_of(file)
        writing = any(c in mode for c in "wax+")
        if writing and not isinstance(file, int):
            self.step("open", path)
        raw = _OPEN(file, mode, *args, **kwargs)
        if _inside(path, self.scope):
            self._fds[raw.fileno()] = path
            if writing:
                return _FaultyFile(raw, self, path)
        return raw

    def _os_open(self, path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & _WRITE_FLAGS:
            self.step("open", path)
        fd = _ORIGINAL["open"](path, flags, *args, **kwargs)
        self._fds[fd] = os.fsdecode(path)
        return fd

    def _write(self, fd: int, data: Any) -> int:
        self.step("write", fd, partial=lambda: _ORIGINAL["write"](fd, data[:len(data) // 2]))
        return _ORIGINAL["write"](fd, data)

    def _fsync(self, fd: Any) -> None:
        fd = fd if isinstance(fd, int) else fd.fileno()
        self.step("fsync", fd)
        _ORIGINAL["fsync"](fd)

    def _move(self, name: str) -> Any:
        def move(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            self.step(name, dst)
            _ORIGINAL[name](src, dst, *args, **kwargs)
        return move

    def _mkdir(self, path: Any, *args: Any, **kwargs: Any) -> None:
        if not os.path.exists(path):  # an existing folder says EEXIST, full disk or not
            self.step("mkdir", path)
        _ORIGINAL["mkdir"](path, *args, **kwargs)

    def _remove(self, name: str) -> Any:
        def remove(path: Any, *args: Any, **kwargs: Any) -> None:
            if _inside(self._path_of(path), self.readonly):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
            _ORIGINAL[name](path, *args, **kwargs)
        return remove

    def _access(self, path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and _inside(self._path_of(path), self.readonly):
            return False
        return _ORIGINAL["access"](path, mode, *args, **kwargs)

    def install(self, mp: pytest.MonkeyPatch) -> Faults:
        mp.setattr(builtins, "open", self._open)
        mp.setattr(io, "open", self._open)  # pathlib and os.fdopen call io.open
        mp.setattr(os, "open", self._os_open)
        mp.setattr(os, "write", self._write)
        mp.setattr(os, "fsync", self._fsync)
        for name in ("replace", "rename", "link"):
            mp.setattr(os, name, self._move(name))
        mp.setattr(os, "mkdir", self._mkdir)
        for name in ("unlink", "rmdir"):
            mp.setattr(os, name, self._remove(name))
        mp.setattr(os, "access", self._access)
        return self


@contextmanager
def page_limit(mp: pytest.MonkeyPatch, extra_pages: int, files: Iterable[Path] = (),
               folders: Iterable[Path] = ()) -> Iterator[list[str]]:
    """Let SQLite grow each of `files` by `extra_pages` pages at most, and make new databases
    in `folders` of at most `extra_pages` pages. Yields the list of limited connections.

    Connections opened before this block keep no limit: dispose the store's engine first.
    """
    files = [Path(f).absolute() for f in files]
    folders = [Path(f).absolute() for f in folders]
    base = {}
    for f in files:
        conn = sqlite3.connect(f"file:{f}?mode=ro", uri=True)
        try:
            base[f] = conn.execute("PRAGMA page_count").fetchone()[0]
        finally:
            conn.close()
    real = sqlite3.connect
    limited: list[str] = []

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(database, *args, **kwargs)
        name = os.fsdecode(database)
        path = Path(name.removeprefix("file:").split("?")[0]).absolute()
        if path in base or (_inside(path, folders) and "mode=ro" not in name):
            # SQLite ignores 0 ("no change"); a new file needs its first page anyway.
            conn.execute(f"PRAGMA max_page_count = {max(1, base.get(path, 0) + extra_pages)}")
            limited.append(str(path))
        return conn

    mp.setattr(sqlite3, "connect", connect)
    mp.setattr(sqlite3.dbapi2, "connect", connect)  # what SQLAlchemy's pysqlite dialect calls
    yield limited


def database_full(exc: BaseException) -> bool:
    """Whether SQLite said SQLITE_FULL somewhere in the chain of causes."""
    seen: BaseException | None = exc
    while seen is not None:
        orig = getattr(seen, "orig", None) or seen
        if getattr(orig, "sqlite_errorname", "") == "SQLITE_FULL":
            return True
        seen = seen.__cause__ or seen.__context__
    return False
