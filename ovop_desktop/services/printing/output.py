"""Save a finished PDF: complete under its final name, or not there at all."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}  # quota: same to the user


def write_pdf(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (temp file in the same folder, fsync, rename).

    Unlike settings files, a PDF goes only where the user pointed: a missing folder is
    refused, not created (a typo would otherwise scatter folders). Each refusal is one
    sentence naming the cause: folder missing, permission denied, disk full.
    """
    path = check_target(path)
    folder = path.parent
    try:
        atomic_write(path, data)
    except UserFacingError as exc:
        # atomic_write has removed its temp file; name the cause in plain words if known.
        cause = exc.__context__
        if isinstance(cause, OSError):
            if cause.errno in _DISK_FULL:
                raise UserFacingError(_("The disk holding {folder} is full; the PDF was not "
                                        "saved.").format(folder=folder)) from None
            if cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise _denied(folder) from None
        raise
    return path


def check_target(path: Path) -> Path:
    """Refuse a PDF path that cannot be written, before any work is done for it."""
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        raise UserFacingError(_("The folder {folder} does not exist; the PDF was not saved.")
                              .format(folder=folder))
    if not folder.is_dir():
        raise UserFacingError(_("{folder} is not a folder; the PDF was not saved.")
                              .format(folder=folder))
    if path.is_dir():
        raise UserFacingError(_("{path} is a folder; give a file name for the PDF.")
                              .format(path=path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _denied(folder)
    return path


def _denied(folder: Path) -> UserFacingError:
    return UserFacingError(_("You may not write to the folder {folder} (permission denied or "
                             "read-only); the PDF was not saved.").format(folder=folder))
