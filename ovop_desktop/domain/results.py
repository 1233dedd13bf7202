"""From the assessors' levels to totals, stars and ranks — pure and deterministic.

The method (see ../shared/domain/ovop.md "From scores to stars" and the default rubric):
per criterion the mean of the assessors' levels (a moderated level replaces it); aspect
score = achieved ÷ maximum × aspect weight; total = sum of aspect scores (0–100); star
from the round's thresholds. Fewer assessors than the round's minimum → incomplete, not
classified and not ranked. Rank within the commodity by total, ties broken by the
round's aspect order (default product quality C, then management & marketing B, then
production A); candidates still equal share a rank ("1, 2, 2, 4").

The severity-corrected view models each assessor's own total for a candidate as
`candidate effect + assessor offset`, estimated by alternating means over the candidates
assessors share. An offset is shown only where it is estimable: the assessor shares at
least `min_shared` candidates with other assessors in a panel of at least three
assessors connected through shared candidates. A candidate gets a corrected total when
every one of its assessors has an estimable offset.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from ovop_desktop.domain.rounds import Thresholds
from ovop_desktop.domain.rubric import LEVELS, Rubric
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import N_, _

MAX_LEVEL = max(LEVELS)
# Totals are compared after rounding so 79.99999999 from float sums never misses 80.
_PRECISION = 6
_ALS_ROUNDS = 200


@dataclass(frozen=True)
class Method:
    """The round's declared method; part of every results receipt."""

    min_assessors: int = 2
    tie_break: tuple[str, ...] = ("C", "B", "A")
    spread_flag: int = 2  # max − min level on one criterion that flags a disagreement
    min_shared: int = 3   # shared candidates an assessor needs for an estimable offset
    coaching: int = 3     # coaching pointers per candidate

    def problems(self) -> list[str]:
        out = []
        if not 1 <= self.min_assessors <= 10:
            out.append(_("The minimum number of assessors must be between 1 and 10."))
        if not 1 <= self.spread_flag <= MAX_LEVEL - 1:
            out.append(_("The disagreement threshold must be 1 or 2 levels."))
        if len(set(self.tie_break)) != len(self.tie_break) or not all(self.tie_break):
            out.append(_("The tie-break lists each aspect at most once."))
        return out

    def as_dict(self) -> dict[str, object]:
        return {"mean_of_levels": True, "min_assessors": self.min_assessors,
                "tie_break": list(self.tie_break), "spread_flag": self.spread_flag,
                "severity_min_shared": self.min_shared, "coaching": self.coaching}


def parse_tie_break(text: str) -> tuple[str, ...]:
    """"C, B, A" → ("C", "B", "A")."""
    parts = tuple(p.strip() for p in text.replace(";", ",").split(",") if p.strip())
    if len(set(parts)) != len(parts):
        raise ValidationError(_("The tie-break lists each aspect at most once."))
    return parts


class Change(StrEnum):
    """A re-evaluated holder's previous star → new star."""

    UP = "naik"
    SAME = "tetap"
    DOWN = "turun"
    LOST = "lepas"

    @property
    def label(self) -> str:
        return _(_CHANGE_LABELS[self])


_CHANGE_LABELS = {Change.UP: N_("up"), Change.SAME: N_("same"), Change.DOWN: N_("down"),
                  Change.LOST: N_("lost")}


class Flag(StrEnum):
    INCOMPLETE = "incomplete"
    DISAGREEMENT = "disagreement"
    MODERATED = "moderated"
    SEVERITY = "severity"  # the corrected view gives another star

    @property
    def label(self) -> str:
        return _(_FLAG_LABELS[self])


_FLAG_LABELS = {
    Flag.INCOMPLETE: N_("incomplete"), Flag.DISAGREEMENT: N_("disagreement"),
    Flag.MODERATED: N_("moderated"), Flag.SEVERITY: N_("star differs when corrected"),
}


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    commodity: str
    province: str = ""
    previous_star: int | None = None  # set for re-evaluations of earlier holders


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    aspect_id: str
    levels: Mapping[int, int]     # assessor id → level
    mean: float | None            # of the assessors' levels
    moderated: int | None         # the panel's level, when set
    spread: int                   # max − min of the levels

    @property
    def value(self) -> float | None:
        """What counts: the moderated level, else the mean."""
        return float(self.moderated) if self.moderated is not None else self.mean


@dataclass(frozen=True)
class CandidateResult:
    candidate_id: int
    commodity: str
    province: str
    assessors: tuple[int, ...]
    criteria: tuple[CriterionResult, ...]
    aspects: Mapping[str, float]          # aspect id → weighted score
    total: float | None                   # None: nothing scored
    star: int | None                      # None: incomplete (not classified)
    rank: int | None
    flags: tuple[Flag, ...]
    coaching: tuple[str, ...]             # criterion ids, weakest first
    corrected_total: float | None = None
    corrected_star: int | None = None
    previous_star: int | None = None
    change: Change | None = None

    @property
    def complete(self) -> bool:
        return Flag.INCOMPLETE not in self.flags


@dataclass(frozen=True)
class AssessorStats:
    assessor_id: int
    sheets: int
    scores: int
    mean_deviation: float | None   # mean of (own level − mean of the others), same criterion
    agreement: float | None        # share of scores within half a level of the others' mean
    offset: float | None           # severity offset in total points (None: not estimable)
    uniform: bool                  # every level the same (possible straight-lining)


@dataclass(frozen=True)
class Results:
    method: Method
    thresholds: Thresholds
    candidates: tuple[CandidateResult, ...]
    assessors: tuple[AssessorStats, ...]
    problems: tuple[str, ...] = field(default=())

    def by_id(self) -> dict[int, CandidateResult]:
        return {c.candidate_id: c for c in self.candidates}


# Scores: candidate id → assessor id → criterion id → level (finished sheets only).
Scores = Mapping[int, Mapping[int, Mapping[str, int]]]


def compute(candidates: Iterable[CandidateInfo], rubrics: Mapping[str, Rubric], scores: Scores,
            thresholds: Thresholds, method: Method = Method(),
            moderation: Mapping[tuple[int, str], int] | None = None) -> Results:
    """Results for every candidate given; candidates without a rubric or scores are kept
    (incomplete) so nobody silently disappears from the list."""
    moderation = moderation or {}
    infos = sorted(candidates, key=lambda c: c.id)
    out: list[CandidateResult] = []
    own_totals: dict[int, dict[int, float]] = {}
    for info in infos:
        rubric = rubrics.get(info.commodity)
        by_assessor = scores.get(info.id, {})
        if rubric is None:
            out.append(_empty(info))
            continue
        result, totals = _candidate(info, rubric, by_assessor, thresholds, method, moderation)
        out.append(result)
        if totals:
            own_totals[info.id] = totals
    offsets = severity_offsets(own_totals, method.min_shared)
    out = [_corrected(r, offsets, thresholds) for r in out]
    out = _ranked(out, method.tie_break)
    stats = _assessor_stats(out, offsets)
    return Results(method, thresholds, tuple(out), stats)


def _empty(info: CandidateInfo) -> CandidateResult:
    return CandidateResult(info.id, info.commodity, info.province, (), (), {}, None, None, None,
                           (Flag.INCOMPLETE,), (), previous_star=info.previous_star)


def _candidate(info: CandidateInfo, rubric: Rubric, by_assessor: Mapping[int, Mapping[str, int]],
               thresholds: Thresholds, method: Method,
               moderation: Mapping[tuple[int, str], int]
               ) -> tuple[CandidateResult, dict[int, float]]:
    assessors = tuple(sorted(by_assessor))
    criteria: list[CriterionResult] = []
    for aspect, criterion in rubric.criteria():
        levels = {a: by_assessor[a][criterion.id] for a in assessors
                  if criterion.id in by_assessor[a]}
        values = list(levels.values())
        mean = sum(values) / len(values) if values else None
        spread = max(values) - min(values) if values else 0
        criteria.append(CriterionResult(criterion.id, aspect.id, levels, mean,
                                        moderation.get((info.id, criterion.id)), spread))
    aspects = _aspect_scores(rubric, {c.criterion_id: c.value for c in criteria})
    scored = any(c.value is not None for c in criteria)
    total = _round(sum(aspects.values())) if scored else None
    flags: list[Flag] = []
    complete = len(assessors) >= method.min_assessors and all(
        c.value is not None for c in criteria)
    if not complete:
        flags.append(Flag.INCOMPLETE)
    if any(c.spread >= method.spread_flag for c in criteria):
        flags.append(Flag.DISAGREEMENT)
    if any(c.moderated is not None for c in criteria):
        flags.append(Flag.MODERATED)
    star = thresholds.star_for(total) if complete and total is not None else None
    change = _change(info.previous_star, star)
    own = {a: _round(sum(_aspect_scores(rubric, dict(by_assessor[a])).values()))
           for a in assessors if len(by_assessor[a]) == len(criteria)}
    return CandidateResult(
        info.id, info.commodity, info.province, assessors, tuple(criteria), aspects, total, star,
        None, tuple(flags), _coaching(criteria, rubric, method.coaching),
        previous_star=info.previous_star, change=change), own


def own_totals(result: CandidateResult, rubric: Rubric) -> dict[int, float]:
    """Each assessor's own total for the candidate (assessors who scored every criterion)."""
    out = {}
    for a in result.assessors:
        levels = {c.criterion_id: c.levels[a] for c in result.criteria if a in c.levels}
        if len(levels) == len(result.criteria):
            out[a] = _round(sum(_aspect_scores(rubric, levels).values()))
    return out


def _aspect_scores(rubric: Rubric, values: Mapping[str, float | None]) -> dict[str, float]:
    """Achieved ÷ maximum × weight; an unscored criterion counts 0 (the total says so)."""
    out = {}
    for aspect in rubric.aspects:
        if not aspect.criteria:
            out[aspect.id] = 0.0
            continue
        achieved = sum(values.get(c.id) or 0.0 for c in aspect.criteria)
        out[aspect.id] = _round(achieved / (MAX_LEVEL * len(aspect.criteria)) * aspect.weight)
    return out


def _coaching(criteria: list[CriterionResult], rubric: Rubric, count: int) -> tuple[str, ...]:
    """The weakest criteria below the top level; between equals, the one that weighs most
    in the total (fewer criteria in a heavier aspect), then rubric order."""
    weight = {c.id: a.weight / max(1, len(a.criteria)) for a in rubric.aspects
              for c in a.criteria}
    order = {c.criterion_id: i for i, c in enumerate(criteria)}
    weak = [c for c in criteria if c.value is not None and c.value < MAX_LEVEL]
    weak.sort(key=lambda c: (c.value, -weight[c.criterion_id], order[c.criterion_id]))
    return tuple(c.criterion_id for c in weak[:count])


def _change(previous: int | None, star: int | None) -> Change | None:
    if previous is None or previous <= 0 or star is None:
        return None
    if star == 0:
        return Change.LOST
    return Change.UP if star > previous else Change.SAME if star == previous else Change.DOWN


def _round(x: float) -> float:
    return round(x, _PRECISION) + 0.0  # + 0.0: never "-0.0"


# -- severity correction ------------------------------------------------------------------


def severity_offsets(own_totals: Mapping[int, Mapping[int, float]],
                     min_shared: int = 3) -> dict[int, float]:
    """Assessor id → offset in total points (positive: lenient), for estimable assessors.

    Alternating means on `total[a, c] = effect[c] + offset[a]`, offsets centred to mean
    zero within each group of assessors connected through shared candidates.
    """
    shared = {c: t for c, t in own_totals.items() if len(t) >= 2}
    shared_count: dict[int, int] = defaultdict(int)
    for totals in shared.values():
        for a in totals:
            shared_count[a] += 1
    groups = _components(shared)
    offsets: dict[int, float] = {}
    for group in groups:
        eligible = {a for a in group if shared_count[a] >= min_shared}
        if len(group) < 3 or not eligible:
            continue
        cands = {c: t for c, t in shared.items() if next(iter(t)) in group}
        offset = {a: 0.0 for a in group}
        for _step in range(_ALS_ROUNDS):
            effect = {c: sum(v - offset[a] for a, v in t.items()) / len(t)
                      for c, t in cands.items()}
            sums: dict[int, list[float]] = defaultdict(list)
            for c, t in cands.items():
                for a, v in t.items():
                    sums[a].append(v - effect[c])
            new = {a: sum(v) / len(v) for a, v in sums.items()}
            centre = sum(new.values()) / len(new)
            new = {a: v - centre for a, v in new.items()}
            moved = max(abs(new[a] - offset[a]) for a in new)
            offset = new
            if moved < 1e-9:
                break
        offsets.update({a: _round(offset[a]) for a in eligible})
    return offsets


def _components(shared: Mapping[int, Mapping[int, float]]) -> list[set[int]]:
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for totals in shared.values():
        first, *rest = sorted(totals)
        for a in rest:
            parent[find(a)] = find(first)
    groups: dict[int, set[int]] = defaultdict(set)
    for a in list(parent):
        groups[find(a)].add(a)
    return sorted(groups.values(), key=min)


def _corrected(result: CandidateResult, offsets: Mapping[int, float],
               thresholds: Thresholds) -> CandidateResult:
    if (result.total is None or not result.assessors
            or not all(a in offsets for a in result.assessors)):
        return result
    shift = sum(offsets[a] for a in result.assessors) / len(result.assessors)
    corrected = _round(min(100.0, max(0.0, result.total - shift)))
    star = thresholds.star_for(corrected) if result.complete else None
    flags = result.flags
    if result.star is not None and star != result.star:
        flags = (*flags, Flag.SEVERITY)
    return _replace(result, corrected_total=corrected, corrected_star=star, flags=flags)


def _replace(result: CandidateResult, **changes: object) -> CandidateResult:
    return replace(result, **changes)  # type: ignore[arg-type]


# -- ranking --------------------------------------------------------------------------------


def rank_key(result: CandidateResult, tie_break: tuple[str, ...]) -> tuple[float, ...]:
    """Higher is better, compared element by element (total, then the tie-break aspects)."""
    return (result.total or 0.0, *(result.aspects.get(a, 0.0) for a in tie_break))


def _ranked(results: list[CandidateResult], tie_break: tuple[str, ...]) -> list[CandidateResult]:
    ranks: dict[int, int] = {}
    by_commodity: dict[str, list[CandidateResult]] = defaultdict(list)
    for r in results:
        if r.complete and r.total is not None:
            by_commodity[r.commodity].append(r)
    for group in by_commodity.values():
        group.sort(key=lambda r: (tuple(-x for x in rank_key(r, tie_break)), r.candidate_id))
        previous: tuple[float, ...] | None = None
        rank = 0
        for position, r in enumerate(group, start=1):
            key = rank_key(r, tie_break)
            if key != previous:
                rank, previous = position, key
            ranks[r.candidate_id] = rank
    return [_replace(r, rank=ranks[r.candidate_id]) if r.candidate_id in ranks else r
            for r in results]


def overall_order(results: Iterable[CandidateResult],
                  tie_break: tuple[str, ...]) -> list[CandidateResult]:
    """Every classified candidate across commodities, best first (for the overall list)."""
    done = [r for r in results if r.star is not None]
    return sorted(done, key=lambda r: (tuple(-x for x in rank_key(r, tie_break)),
                                       r.candidate_id))


# -- assessors ------------------------------------------------------------------------------


def _assessor_stats(results: list[CandidateResult],
                    offsets: Mapping[int, float]) -> tuple[AssessorStats, ...]:
    sheets: dict[int, int] = defaultdict(int)
    deviations: dict[int, list[float]] = defaultdict(list)
    levels_seen: dict[int, set[int]] = defaultdict(set)
    counts: dict[int, int] = defaultdict(int)
    for r in results:
        for a in r.assessors:
            sheets[a] += 1
        for c in r.criteria:
            for a, level in c.levels.items():
                counts[a] += 1
                levels_seen[a].add(level)
                others = [v for b, v in c.levels.items() if b != a]
                if others:
                    deviations[a].append(level - sum(others) / len(others))
    out = []
    for a in sorted(sheets):
        dev = deviations.get(a, [])
        out.append(AssessorStats(
            a, sheets[a], counts[a],
            _round(sum(dev) / len(dev)) if dev else None,
            _round(sum(1 for d in dev if abs(d) <= 0.5) / len(dev)) if dev else None,
            offsets.get(a), counts[a] > 1 and len(levels_seen[a]) == 1))
    return tuple(out)


# -- summaries ------------------------------------------------------------------------------


def star_counts(results: Iterable[CandidateResult], by: str = "commodity"
                ) -> dict[str, dict[int | None, int]]:
    """{commodity or province: {3: n, 2: n, 1: n, 0: n, None: incomplete}}."""
    out: dict[str, dict[int | None, int]] = {}
    for r in results:
        key = r.commodity if by == "commodity" else r.province
        bucket = out.setdefault(key, {3: 0, 2: 0, 1: 0, 0: 0, None: 0})
        bucket[r.star] += 1
    return out
