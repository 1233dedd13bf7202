"""Write a file so that it is either complete under its final name or not there at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from glob import escape as glob_escape
from pathlib import Path

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _


def atomic_write(path: Path, data: bytes) -> None:
    """temp file in the same folder → fsync → rename → fsync the folder.

    A pulled USB stick or a full disk leaves at most a stray temp file, never a
    truncated file under the final name.
    """
    path = Path(path)
    tmp_name = None
    placed = False  # a new file is under the final name, its folder not yet synced
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMP_SUFFIX,
                                        dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        existed = path.exists()
        os.replace(tmp_name, path)
        tmp_name, placed = None, not existed
        fsync_dir(path.parent)
    except OSError as exc:
        if placed:  # the rename may not survive a power cut: take it back, as we say below
            try:
                os.unlink(path)
            except OSError:
                pass
        raise UserFacingError(_("Could not save {path}: {reason}. Nothing was saved.").format(
            path=path, reason=exc.strerror or exc)) from None
    finally:
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


_TEMP_SUFFIX = ".part"


def remove_temp_copies(path: Path) -> None:
    """Remove the temporary files atomic_write left for `path` when its process was killed
    (a kill skips the clean-up); best effort: the medium may be gone."""
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{glob_escape(path.name)}.*{_TEMP_SUFFIX}"):
            leftover.unlink()


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power cut."""
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storable_name(path: Path) -> str:
    """A file's name as it can be stored and shown: "?" for each byte that is not UTF-8.

    A USB stick written on another system can carry such names; SQLite, JSON and the
    terminal all refuse the surrogates Python decodes them to.
    """
    return Path(path).name.encode("utf-8", "replace").decode("utf-8")


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a file the user picked, refusing huge ones before reading them."""
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            raise UserFacingError(_("{path} is too large ({size} bytes; at most {limit}).").format(
                path=path, size=size, limit=max_bytes))
        with open(path, "rb") as fh:
            # Not read(max_bytes + 1): Python allocates the requested size up front.
            data = fh.read(size + 1)
        if len(data) > max_bytes:  # it grew while we looked
            raise UserFacingError(_("{path} is too large ({size} bytes; at most {limit}).")
                                  .format(path=path, size=len(data), limit=max_bytes))
        return data
    except OSError as exc:
        raise UserFacingError(_("Could not read {path}: {reason}.").format(
            path=path, reason=exc.strerror or exc)) from None
