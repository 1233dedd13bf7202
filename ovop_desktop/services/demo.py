"""`ovop demo`: a realistic coordinator profile to explore the app with.

Candidates (159 proposals from 22 provinces, 77 re-evaluations, as in 2024)
are added here once the candidate registry exists; today: the rubrics and the
2022 and 2024 rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.rounds import RoundStatus, Thresholds
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.workspace import Workspace

DEMO_NAME = "Sekretariat Tim Seleksi OVOP (demo)"
DEMO_INSTITUTION = "Direktorat Jenderal IKMA, Kementerian Perindustrian"


@dataclass(frozen=True)
class DemoResult:
    created: bool
    rounds: int
    rubrics: int


def build_demo(ws: Workspace, *, if_empty: bool = False) -> DemoResult:
    """Fill an empty profile with demo data; refuse (or skip, with if_empty) otherwise."""
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
    return DemoResult(True, len(ws.rounds.list()), len(ws.rubrics.list()))
