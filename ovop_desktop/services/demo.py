"""`ovop demo`: a realistic coordinator profile to explore the app with.

The 2024 round holds candidates in the real round's numbers: 159 proposals from
22 provinces of which 89 pass screening, and 77 re-evaluations of 2022 holders.
With results (the app's first start, `ovop demo`), nine assessors have visited them
and sent signed score bundles (services/demo_panel.py).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.rounds import RoundStatus, Thresholds
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.demo_candidates import demo_candidates, demo_checks
from ovop_desktop.services.demo_panel import DemoPanelResult, build_demo_panel
from ovop_desktop.services.workspace import Workspace

DEMO_NAME = "Sekretariat Tim Seleksi OVOP (demo)"
DEMO_INSTITUTION = "Direktorat Jenderal IKMA, Kementerian Perindustrian"


@dataclass(frozen=True)
class DemoResult:
    created: bool
    rounds: int
    rubrics: int
    candidates: int = 0
    panel: DemoPanelResult | None = None  # with_results: the assessors' panel


def build_demo(ws: Workspace, *, if_empty: bool = False,
               with_results: bool = False) -> DemoResult:
    """Fill an empty profile with demo data; refuse (or skip, with if_empty) otherwise.

    with_results adds the panel of services/demo_panel.py (a coordinator key with the
    passphrase DEMO_PASSPHRASE, nine assessors, their signed bundles, moderation):
    several seconds, so off by default (tests and fixtures need no assessors).
    """
    if not ws.is_empty():
        if if_empty:
            return DemoResult(False, len(ws.rounds.list()), len(ws.rubrics.list()))
        raise UserFacingError(_("This profile already holds data; the demo needs an empty data "
                                "folder (use --data-dir)."))
    ws.profile.init(Role.COORDINATOR, DEMO_NAME, DEMO_INSTITUTION)
    ws.rubrics.install_defaults()
    previous = ws.rounds.create(2022, "Penghargaan OVOP 2022", Thresholds())
    ws.rounds.set_status(previous.id, RoundStatus.OPEN)
    ws.rounds.set_status(previous.id, RoundStatus.CLOSED)
    current = ws.rounds.create(2024, "Penghargaan OVOP 2024", Thresholds(80, 65, 50))
    for rc in current.commodities:
        ws.rubrics.freeze(rc.rubric_id)  # the 2024 packages went out to assessors
    ws.rounds.set_status(current.id, RoundStatus.OPEN)
    ws.update_settings(current_round_id=current.id)
    items = list(demo_candidates())
    ids = ws.candidates.create_many(current.id, items, "demo")
    ws.screening.set_checks_many(demo_checks(ids, items))
    panel = None
    if with_results:
        # The assessors' throwaway laptops live in the profile folder (same disk) until
        # the panel removes them.
        work_dir = Path(tempfile.mkdtemp(prefix="demo-panel-", dir=ws.paths.root))
        panel = build_demo_panel(ws, work_dir)
    return DemoResult(True, len(ws.rounds.list()), len(ws.rubrics.list()), len(ids), panel)
