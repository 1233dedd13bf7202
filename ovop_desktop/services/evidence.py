"""Evidence photos: checked, stored by SHA-256 with a display copy, listed per sheet.

A photo is refused before decoding when the file is too large, and while decoding
when it has too many pixels (a "decompression bomb"); only real JPEG and PNG
images are kept. The original bytes are stored unchanged (evidence), plus a small
JPEG copy for thumbnails, both named by the original's hash.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ovop_desktop.data import audit, candidate_repo
from ovop_desktop.data.conflicts import conflict_in
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import EvidenceRow, ScoreSheetRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write, read_capped

MAX_PHOTO_BYTES = 20_000_000
MAX_PIXELS = 50_000_000  # 50 MP: more than any camera an assessor carries
THUMB_EDGE = 480


@dataclass(frozen=True)
class Photo:
    id: int
    candidate_id: int
    criterion_id: str
    sha256: str
    kind: str
    file_name: str
    width: int
    height: int
    original: Path
    display: Path


class EvidenceService:
    def __init__(self, store: Store, actor: Callable[[], str], folder: Path) -> None:
        self._store = store
        self._actor = actor
        self._folder = folder

    def add(self, candidate_id: int, path: Path, criterion_id: str = "") -> Photo:
        """Check and keep one photo; the same photo twice for one sheet is kept once."""
        data = read_capped(Path(path), MAX_PHOTO_BYTES)  # also: USB pulled → clear message
        kind, width, height, display = _inspect(data, Path(path).name)
        digest = hashlib.sha256(data).hexdigest()
        with self._store.write() as s:
            candidate_repo.require(s, candidate_id)
            sheet = s.get(ScoreSheetRow, candidate_id)
            if sheet is not None and sheet.status == "finished":
                raise UserFacingError(_("This sheet is finished; reopen it to change a score."))
            conflict = conflict_in(s, None, candidate_id)
            if conflict:
                raise UserFacingError(_("You have a conflict of interest with this candidate "
                                        "({reason}); the sheet cannot be opened.").format(
                                          reason=conflict))
            found = s.execute(select(EvidenceRow).where(
                EvidenceRow.candidate_id == candidate_id, EvidenceRow.sha256 == digest,
                EvidenceRow.criterion_id == criterion_id)).scalar()
            if found is not None:
                return self._photo(found)
            original, copy = self._paths(digest, kind)
            if not original.exists():  # files first: a row never points to a missing file
                atomic_write(original, data)
                atomic_write(copy, display)
            row = EvidenceRow(candidate_id=candidate_id, criterion_id=criterion_id,
                              sha256=digest, kind=kind, file_name=Path(path).name[:300],
                              size=len(data), width=width, height=height,
                              added_by=self._actor(), added_at=now_iso())
            s.add(row)
            s.flush()
            audit.append(s, row.added_by, "evidence.add", "candidate", candidate_id,
                         {"sha256": digest, "criterion": criterion_id})
            return self._photo(row)

    def remove(self, photo_id: int) -> None:
        """Take a photo off the sheet (the file stays: it may already be in a bundle)."""
        with self._store.write() as s:
            row = s.get(EvidenceRow, photo_id)
            if row is None:
                raise NotFoundError(_("There is no photo with id {id}.").format(id=photo_id))
            s.delete(row)
            audit.append(s, self._actor(), "evidence.remove", "candidate", row.candidate_id,
                         {"sha256": row.sha256})

    def photos(self, candidate_id: int) -> list[Photo]:
        with self._store.read() as s:
            return [self._photo(r) for r in s.execute(select(EvidenceRow).where(
                EvidenceRow.candidate_id == candidate_id).order_by(EvidenceRow.id)).scalars()]

    def original_bytes(self, sha256: str, kind: str) -> bytes:
        return self._paths(sha256, kind)[0].read_bytes()

    def _paths(self, digest: str, kind: str) -> tuple[Path, Path]:
        return self._folder / f"{digest}.{kind}", self._folder / f"{digest}.display.jpg"

    def _photo(self, row: EvidenceRow) -> Photo:
        original, display = self._paths(row.sha256, row.kind)
        return Photo(row.id, row.candidate_id, row.criterion_id, row.sha256, row.kind,
                     row.file_name, row.width, row.height, original, display)


def _inspect(data: bytes, name: str) -> tuple[str, int, int, bytes]:
    """(jpg|png, width, height, display copy) or UserFacingError; Pillow only here."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = {"JPEG": "jpg", "PNG": "png"}.get(probe.format or "")
                if kind is None:
                    raise UserFacingError(_("{name} is not a JPEG or PNG photo.").format(
                        name=name))
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise UserFacingError(_("{name} has too many pixels ({w} × {h}).").format(
                        name=name, w=width, h=height))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (THUMB_EDGE, THUMB_EDGE))  # JPEG: decode small, fast
                # Phones store portrait photos sideways plus a rotation tag: apply it.
                image = ImageOps.exif_transpose(image).convert("RGB")
                image.thumbnail((THUMB_EDGE, THUMB_EDGE))
                out = io.BytesIO()
                image.save(out, "JPEG", quality=82)
    except UserFacingError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserFacingError(_("{name} has too many pixels to be a photo.").format(
            name=name)) from None
    except Exception:  # Pillow raises many kinds for damaged files; all mean the same here
        raise UserFacingError(_("{name} is not a readable photo.").format(name=name)) from None
    return kind, width, height, out.getvalue()
