"""Small per-profile preferences (language, current round) in a JSON file."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ovop_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES
from ovop_desktop.services.atomic import atomic_write

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    language: str = DEFAULT_LANGUAGE
    current_round_id: int | None = None


def load_settings(path: Path) -> Settings:
    """Missing or unreadable settings fall back to the defaults (preferences, not data)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable settings %s: %s", path, exc)
        return Settings()
    settings = Settings()
    if isinstance(raw, dict):
        if raw.get("language") in LANGUAGES:
            settings = replace(settings, language=raw["language"])
        rid = raw.get("current_round_id")
        if isinstance(rid, int) and not isinstance(rid, bool):
            settings = replace(settings, current_round_id=rid)
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    atomic_write(path, (json.dumps(asdict(settings), indent=2) + "\n").encode("utf-8"))
