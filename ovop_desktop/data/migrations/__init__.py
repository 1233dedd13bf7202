"""The schema ladder: step N takes a database from version N-1 to N.

Steps are written with SQLAlchemy Core against frozen table definitions (never
the live ORM models, which move on), so the same ladder serves SQLite today and
PostgreSQL later. A test checks that the ladder's result equals `models.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection

from ovop_desktop.data.migrations import (
    m0001_initial,
    m0002_candidates,
    m0003_exchange,
    m0004_visits,
    m0005_evidence,
    m0006_results,
    m0007_score_layout,
)

Step = Callable[[Connection], None]

LADDER: tuple[Step, ...] = (
    m0001_initial.upgrade,
    m0002_candidates.upgrade,
    m0003_exchange.upgrade,
    m0004_visits.upgrade,
    m0005_evidence.upgrade,
    m0006_results.upgrade,
    m0007_score_layout.upgrade,
)
CURRENT_VERSION = len(LADDER)
