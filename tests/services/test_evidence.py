"""Evidence photos: only real photos are kept, by SHA-256, and they travel in the bundle."""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from ovop_desktop.domain.candidates import CandidateData
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.profile import Role
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def ws(tmp_path: Path):
    w = Workspace.open(tmp_path / "penilai")
    w.profile.init(Role.ASSESSOR, "Sri", "YBI")
    w.rubrics.install_defaults()
    rid = w.rounds.create(2024, "R").id
    w.update_settings(current_round_id=rid)
    w.candidates.create_many(rid, [CandidateData(
        name="Gerabah Plered", region_code="32.14", commodity=Commodity.GERABAH,
        product="Gerabah")], "test")
    yield w
    w.close()


def _cid(ws: Workspace) -> int:
    return ws.candidates.summaries(ws.current_round().id)[0].id  # type: ignore[union-attr]


def _photo(path: Path, size=(1600, 1200), fmt="JPEG") -> Path:
    Image.new("RGB", size, (180, 90, 40)).save(path, fmt)
    return path


def test_photo_is_kept_by_hash_with_a_display_copy(ws: Workspace, tmp_path: Path) -> None:
    photo = ws.evidence.add(_cid(ws), _photo(tmp_path / "tungku.jpg"), "C4")
    assert photo.original.read_bytes() == (tmp_path / "tungku.jpg").read_bytes()
    with Image.open(photo.display) as small:
        assert max(small.size) <= 480
    again = ws.evidence.add(_cid(ws), tmp_path / "tungku.jpg", "C4")
    assert again.id == photo.id and len(ws.evidence.photos(_cid(ws))) == 1
    png = ws.evidence.add(_cid(ws), _photo(tmp_path / "motif.png", (300, 200), "PNG"))
    assert png.kind == "png" and png.criterion_id == ""


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares a huge size (a pixel bomb) without holding the pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("make", ["text", "bomb", "huge", "gone", "truncated"])
def test_bad_photos_are_refused_and_nothing_is_stored(ws: Workspace, tmp_path: Path,
                                                      make: str) -> None:
    path = tmp_path / "foto.jpg"
    if make == "text":
        path.write_text("bukan foto")
    elif make == "bomb":
        path.write_bytes(_png_header(50_000, 50_000))
    elif make == "huge":
        with open(path, "wb") as fh:  # 200 MB, sparse: refused before it is read
            fh.truncate(200_000_000)
    elif make == "truncated":
        _photo(path)
        path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(UserFacingError):
        ws.evidence.add(_cid(ws), path)
    assert ws.evidence.photos(_cid(ws)) == []


def test_photos_travel_in_the_bundle_and_are_checked(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from exchange_fixtures import FAST_KDF, make_exchange

    from ovop_desktop.services import identity

    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    ex = make_exchange(tmp_path)
    try:
        round_ = ex.coordinator.current_round()
        assert round_ is not None
        ex.receive(ex.package([ex.coordinator.candidates.summaries(round_.id)[0].id]))
        cid = ex.local_candidates()[0]
        ex.assessor.scoring.set_score(cid, "A1", 3)
        ex.assessor.evidence.add(cid, _photo(tmp_path / "bukti.jpg"), "A1")
        path, info = ex.bundle()
        import zipfile

        with zipfile.ZipFile(path) as z:
            assert any(n.startswith("photos/") for n in z.namelist())
        (outcome,) = ex.coordinator.bundles.import_files([path])
        assert outcome.status.value == "accepted"
    finally:
        ex.coordinator.close()
        ex.assessor.close()


def test_finished_sheet_takes_no_more_photos(ws: Workspace, tmp_path: Path) -> None:
    cid = _cid(ws)
    criteria = [c.id for _a, c in ws.rubrics.find(Commodity.GERABAH).rubric.criteria()]
    for c in criteria:
        ws.scoring.set_score(cid, c, 2)
    ws.scoring.finish(cid)
    with pytest.raises(UserFacingError):
        ws.evidence.add(cid, _photo(tmp_path / "late.jpg"))


def test_portrait_photo_display_copy_is_upright(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "portrait.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.new("RGB", (800, 600), "white").save(path, "JPEG", exif=exif)
    photo = ws.evidence.add(_cid(ws), path)
    with Image.open(photo.display) as small:
        assert small.size[1] > small.size[0]  # taller than wide, as the camera meant
