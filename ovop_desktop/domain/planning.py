"""Who visits whom: a team of assessors per candidate, balanced and free of conflicts.

A greedy, deterministic proposal the coordinator then adjusts by hand. For each
candidate (taken region by region, so a team's trips stay within few kab/kota)
the free places go to the eligible assessors with the best score: commodity
expertise first, one secretariat officer per team where available, then the
lightest workload, then whoever already travels to the same kab/kota.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ovop_desktop.domain.candidates import association_key
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.i18n import _

# Points: the first expert of a team matters most; a second expert less than the
# secretariat officer a team should have; 10 points = one candidate of workload.
EXPERTISE, MORE_EXPERTISE, SECRETARIAT = 100, 40, 80
PER_LOAD, SAME_REGENCY, SAME_PROVINCE = 10, 15, 5
_SECRETARIAT_WORDS = ("ikma", "kementerian perindustrian", "kemenperin")


def is_secretariat(institution: str) -> bool:
    """Ditjen IKMA / Kemenperin staff make the secretariat officer of a visit team."""
    text = institution.casefold()
    return any(word in text for word in _SECRETARIAT_WORDS)


@dataclass(frozen=True)
class PlanAssessor:
    id: int
    name: str
    commodities: frozenset[Commodity]
    secretariat: bool
    home_region: str = ""
    institution: str = ""


@dataclass(frozen=True)
class PlanCandidate:
    id: int
    commodity: Commodity
    region_code: str
    associations: tuple[str, ...] = ()  # the associations the IKM belongs to, when recorded

    @property
    def province(self) -> str:
        return self.region_code[:2]


@dataclass
class Plan:
    teams: dict[int, list[int]] = field(default_factory=dict)  # candidate → assessors
    short: dict[int, str] = field(default_factory=dict)  # candidate → why the team is small
    loads: dict[int, int] = field(default_factory=dict)  # assessor → candidates


def conflict_reason(assessor: PlanAssessor, candidate: PlanCandidate,
                    declared: dict[tuple[int, int], str]) -> str | None:
    """Why this assessor may not assess this candidate, or None."""
    if (assessor.id, candidate.id) in declared:
        return declared[(assessor.id, candidate.id)]
    if assessor.home_region and assessor.home_region == candidate.region_code:
        return _("same home kabupaten/kota as the candidate")
    if candidate.associations:
        return association_conflict(assessor.institution, candidate.associations)
    return None


def association_conflict(institution: str, associations: tuple[str, ...]) -> str | None:
    """The reason when the institution is one of the associations (compared without case,
    spacing or punctuation mattering), naming the association as the IKM's record writes it."""
    key = association_key(institution)
    if not key:
        return None
    for name in associations:
        if association_key(name) == key:
            return _("the assessor's institution ({association}) is an association the IKM "
                     "belongs to").format(association=name)
    return None


def plan(candidates: list[PlanCandidate], assessors: list[PlanAssessor],
         declared: dict[tuple[int, int], str], existing: dict[int, list[int]] | None = None,
         per_candidate: int = 3, minimum: int = 2) -> Plan:
    """Fill every team up to `per_candidate`, keeping assignments already made."""
    result = Plan(loads={a.id: 0 for a in assessors})
    by_id = {a.id: a for a in assessors}
    # where each assessor already goes: kab/kota codes, and their provinces' codes (looked
    # up 30,000 × 60 times in a national round: a set, not a scan of the kab/kota)
    regencies: dict[int, set[str]] = defaultdict(set)
    provinces: dict[int, set[str]] = defaultdict(set)
    for team in (existing or {}).values():
        for aid in team:
            result.loads[aid] = result.loads.get(aid, 0) + 1
    order = sorted(candidates, key=lambda c: (c.region_code, c.commodity.value, c.id))
    for c in order:
        team = [a for a in (existing or {}).get(c.id, []) if a in by_id]
        for aid in team:
            regencies[aid].add(c.region_code)
            provinces[aid].add(c.province)
        eligible = [a for a in assessors
                    if a.id not in team and conflict_reason(a, c, declared) is None]
        while len(team) < per_candidate and eligible:
            best = max(eligible, key=lambda a: (_score(a, c, team, by_id, result, regencies,
                                                       provinces), -a.id))
            eligible.remove(best)
            team.append(best.id)
            result.loads[best.id] = result.loads.get(best.id, 0) + 1
            regencies[best.id].add(c.region_code)
            provinces[best.id].add(c.province)
        result.teams[c.id] = team
        if len(team) < minimum:
            conflicted = sum(conflict_reason(a, c, declared) is not None for a in assessors)
            result.short[c.id] = _("only {n} eligible assessors ({k} with a conflict of "
                                   "interest)").format(n=len(team), k=conflicted)
    return result


def _score(a: PlanAssessor, c: PlanCandidate, team: list[int], by_id: dict[int, PlanAssessor],
           plan_: Plan, regencies: dict[int, set[str]], provinces: dict[int, set[str]]) -> int:
    score = 0
    if c.commodity in a.commodities:
        has_expert = any(c.commodity in by_id[t].commodities for t in team)
        score = MORE_EXPERTISE if has_expert else EXPERTISE
    if a.secretariat and not any(by_id[t].secretariat for t in team):
        score += SECRETARIAT
    elif a.secretariat:
        score -= SECRETARIAT  # one officer per team is enough; experts are scarcer
    score -= PER_LOAD * plan_.loads.get(a.id, 0)
    if c.region_code in regencies[a.id]:
        score += SAME_REGENCY
    elif c.province in provinces[a.id]:
        score += SAME_PROVINCE
    return score
