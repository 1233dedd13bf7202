"""Reading a small file with a large cap must not allocate the cap (it did: 200 MB per bundle)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from ovop_desktop.services.atomic import read_capped


def test_read_capped_allocates_the_file_not_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "small.bin"
    path.write_bytes(b"x" * 10_000)
    tracemalloc.start()
    try:
        assert read_capped(path, 200_000_000) == b"x" * 10_000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_bundle_reader_allocates_the_file_not_the_cap(tmp_path: Path) -> None:
    from ovop_desktop.services.bundles import _read

    path = tmp_path / "b.zip"
    path.write_bytes(b"z" * 10_000)
    tracemalloc.start()
    try:
        _read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000
