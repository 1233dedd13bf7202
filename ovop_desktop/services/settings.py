"""Small per-profile preferences (language, current round, paper size) in a JSON file."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ovop_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES
from ovop_desktop.services.atomic import atomic_write

log = logging.getLogger(__name__)
PAPERS = ("a4", "f4")  # A4, or F4/Folio as Indonesian offices use it


@dataclass(frozen=True)
class Settings:
    language: str = DEFAULT_LANGUAGE
    current_round_id: int | None = None
    paper: str = "a4"  # printed documents
    # A coordinator's shared PostgreSQL store (postgresql://user@host/db) instead of the
    # profile's SQLite file; --db-url and OVOP_DB_URL win over it. No password here: use
    # ~/.pgpass or PGPASSWORD.
    db_url: str | None = None


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
        if raw.get("paper") in PAPERS:
            settings = replace(settings, paper=raw["paper"])
        if isinstance(raw.get("db_url"), str) and raw["db_url"].strip():
            settings = replace(settings, db_url=raw["db_url"].strip())
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    atomic_write(path, (json.dumps(asdict(settings), indent=2) + "\n").encode("utf-8"))
