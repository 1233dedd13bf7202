"""Locate the shipped data: `resources/` in a checkout, `ovop_desktop/resources` in a wheel."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "wilayah").is_dir():
            return candidate
    raise FileNotFoundError("OVOP Desktop's resources folder is missing from this installation")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
