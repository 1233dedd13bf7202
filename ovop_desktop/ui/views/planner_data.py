"""What the planner page reads and runs on pool threads: the plan, the automatic proposal."""

from __future__ import annotations

from dataclasses import dataclass

from ovop_desktop.domain.planning import Plan
from ovop_desktop.domain.screening import Decision
from ovop_desktop.services.planning import PlanningService
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui.models.planner_model import PlanData, PlanRow, prepare_plan_rows


def load_plan(ws: Workspace, round_id: int, short: dict[int, str]
              ) -> tuple[PlanData, list[PlanRow]]:
    """Runs on a pool thread: the round's summaries, teams, visits, assessors and conflicts."""
    summaries = ws.candidates.summaries(round_id)
    data = PlanData(round_id, [s for s in summaries if s.decision is Decision.PASSED],
                    {s.id: s.name for s in summaries}, ws.assessors.list(),
                    ws.planning.teams(round_id), ws.planning.visits(), ws.planning.conflicts())
    return data, prepare_plan_rows(data, short)


@dataclass(frozen=True)
class AutoResult:
    plan: Plan
    added: int
    minimum: int


def run_auto(planning: PlanningService, round_id: int, per_candidate: int, minimum: int
             ) -> AutoResult:
    """Runs on a pool thread: the proposal, and how many assignments it added."""
    before = planning.teams(round_id)
    plan = planning.auto(round_id, per_candidate, minimum)
    added = sum(len(set(team) - set(before.get(cid, ()))) for cid, team in plan.teams.items())
    return AutoResult(plan, added, minimum)
