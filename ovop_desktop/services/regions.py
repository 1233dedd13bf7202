"""The shipped Kemendagri region list (38 provinces, 514 kabupaten/kota)."""

from __future__ import annotations

from functools import lru_cache

from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.resource_files import resource


@lru_cache(maxsize=1)
def load_regions() -> RegionRegistry:
    folder = resource("wilayah")
    return RegionRegistry.from_csv_text(
        folder.joinpath("provinces.csv").read_text(encoding="utf-8"),
        folder.joinpath("kabkota.csv").read_text(encoding="utf-8"),
    )
