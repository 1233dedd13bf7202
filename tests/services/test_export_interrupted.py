"""An export killed between the bundle reaching the medium and the commit.

A kill cannot run cleanup code, so these tests leave the state such a kill leaves — the
bundle complete under its final name (or only a temp copy), nothing on record, the
export's note in the profile — and check what the next export makes of it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_fixtures import ASSESSOR_PASS, FAST_KDF, Exchange, packaged  # noqa: E402

from ovop_desktop.domain.bundle_rules import Outcome  # noqa: E402
from ovop_desktop.errors import UserFacingError  # noqa: E402
from ovop_desktop.services import bundle_export, identity  # noqa: E402
from ovop_desktop.services.bundle_export import PENDING_EXPORT, export_bundle  # noqa: E402


class Killed(BaseException):
    """Stands for SIGKILL: the export stops here and no cleanup of ours runs."""


@pytest.fixture
def ex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Exchange]:
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    with packaged(tmp_path, candidates=2) as exchange:
        exchange.assessor.scoring.set_score(exchange.local_candidates()[0], "A1", 3)
        yield exchange


def _killed_export(ex: Exchange, out: Path, monkeypatch: pytest.MonkeyPatch,
                   at: str) -> None:
    """Run an export that dies `at` "commit" (file on the medium) or "rename" (only the
    temp copy written)."""
    @contextlib.contextmanager
    def no_cleanup(_out: Path) -> Iterator[list[bytes]]:
        yield []

    with monkeypatch.context() as m:
        m.setattr(bundle_export, "_unrecorded_removed", no_cleanup)
        if at == "commit":
            def die(*_a: object, **_k: object) -> None:
                raise Killed
            m.setattr(bundle_export.audit, "append", die)
        else:
            real = bundle_export.atomic_write

            def write_temp_then_die(path: Path, data: bytes) -> None:
                if path == out:
                    (path.parent / f".{path.name}.x1y2.part").write_bytes(data[:100])
                    raise Killed
                real(path, data)
            m.setattr(bundle_export, "atomic_write", write_temp_then_die)
        key = identity.unlock(ex.assessor.paths.keys, ASSESSOR_PASS)
        with pytest.raises(Killed):
            export_bundle(ex.assessor.store, ex.assessor.scoring, ex.assessor.profile.actor(),
                          out, key, ex.assessor_me)


def _seqs(ex: Exchange) -> list[int]:
    from sqlalchemy import select

    from ovop_desktop.data.models import BundleExportRow

    with ex.assessor.store.read() as s:
        return list(s.execute(select(BundleExportRow.seq).order_by(BundleExportRow.seq))
                    .scalars())


def test_a_bundle_on_the_medium_but_not_on_record_is_recorded_by_the_next_export(
        ex: Exchange, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = ex.bundle()
    orphan = ex.folder / "usb" / "nilai-2.zip"
    orphan.parent.mkdir()
    _killed_export(ex, orphan, monkeypatch, "commit")
    assert orphan.exists() and _seqs(ex) == [1]
    assert (ex.assessor.paths.root / PENDING_EXPORT).exists()

    # The assessor exports again, this time to another folder (the stick may be gone).
    again, info = ex.bundle("nilai-lagi.zip")
    assert info.seq == 3 and _seqs(ex) == [1, 2, 3]  # 2 is the bundle that reached the stick
    assert not (ex.assessor.paths.root / PENDING_EXPORT).exists()
    # Whichever arrives, the coordinator sees one history, never two bundles numbered 2.
    outcomes = ex.coordinator.bundles.import_files([first, orphan, again])
    assert [o.status for o in outcomes] == [Outcome.ACCEPTED] * 3


def test_a_bundle_that_never_reached_its_name_gives_its_number_back(
        ex: Exchange, monkeypatch: pytest.MonkeyPatch) -> None:
    ex.bundle()
    out = ex.folder / "nilai-2.zip"
    _killed_export(ex, out, monkeypatch, "rename")
    assert not out.exists() and list(ex.folder.glob(".nilai-2.zip.*.part"))
    again, info = ex.bundle("nilai-2.zip")
    assert info.seq == 2 and _seqs(ex) == [1, 2]
    assert not list(ex.folder.glob(".nilai-2.zip.*.part"))  # the stray temp copy is gone
    assert ex.coordinator.bundles.import_files([ex.folder / "nilai-1.zip", again])[1].status \
        is Outcome.ACCEPTED


def test_with_the_medium_gone_the_number_is_used_again(
        ex: Exchange, monkeypatch: pytest.MonkeyPatch) -> None:
    ex.bundle()
    stick = ex.folder / "usb"
    stick.mkdir()
    _killed_export(ex, stick / "nilai-2.zip", monkeypatch, "commit")
    (stick / "nilai-2.zip").rename(ex.folder / "elsewhere.zip")  # the stick was pulled
    stick.rmdir()
    _again, info = ex.bundle("nilai-baru.zip")
    assert info.seq == 2 and _seqs(ex) == [1, 2]


def test_a_stale_note_of_a_recorded_export_changes_nothing(ex: Exchange) -> None:
    ex.bundle()
    note = ex.assessor.paths.root / PENDING_EXPORT
    note.write_text('{"seq": 1, "path": "/nowhere/nilai-1.zip", "sha256": "00"}')
    _path, info = ex.bundle()
    assert info.seq == 2 and _seqs(ex) == [1, 2] and not note.exists()


def test_an_unreadable_note_is_dropped(ex: Exchange) -> None:
    note = ex.assessor.paths.root / PENDING_EXPORT
    note.write_bytes(b"\xff{not json")
    _path, info = ex.bundle()
    assert info.seq == 1 and not note.exists()


def test_the_recovered_file_is_never_overwritten_by_the_next_bundle(
        ex: Exchange, monkeypatch: pytest.MonkeyPatch, english: None) -> None:
    """A caller that chose the name before the interrupted export was settled (the CLI with
    the same --out) gets a message; the recovered bundle stays as it is."""
    orphan = ex.folder / "nilai-1.zip"
    _killed_export(ex, orphan, monkeypatch, "commit")
    before = orphan.read_bytes()
    with pytest.raises(UserFacingError, match="another name"):
        ex.bundle("nilai-1.zip")
    assert orphan.read_bytes() == before and _seqs(ex) == [1]
    _path, info = ex.bundle("nilai-2.zip")
    assert info.seq == 2
