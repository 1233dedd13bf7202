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

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import repeat
from operator import attrgetter, itemgetter, mul
from typing import NamedTuple

from ovop_desktop.domain.rounds import Thresholds
from ovop_desktop.domain.rubric import LEVELS, Rubric
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import N_, _

MAX_LEVEL = max(LEVELS)
_DIGITS = bytes.maketrans(b"0123456789", bytes(range(10)))
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


class CriterionResult(NamedTuple):
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


@dataclass  # not frozen: a frozen init costs 10,000 × 18 setattr calls; never mutated
class CandidateResult:
    candidate_id: int
    commodity: str
    province: str
    assessors: tuple[int, ...]
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
    # What `criteria` is built from on first use: building 220,000 criterion objects for
    # a national round up front would cost more than the whole aggregation.
    _ids: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (criterion, aspect)
    _columns: tuple[tuple[int | None, ...], ...] = field(default=(), repr=False)
    _moderated: Mapping[str, int] = field(default_factory=dict, repr=False)
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def complete(self) -> bool:
        return Flag.INCOMPLETE not in self.flags

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        """Per criterion: every assessor's level, the mean, the moderated level, the spread."""
        found = self._cache.get("criteria")
        if found is None:
            out = []
            for (cid, aid), column in zip(self._ids, self._columns, strict=True):
                levels = {a: v for a, v in zip(self.assessors, column, strict=True)
                          if v is not None}
                values = list(levels.values())
                out.append(CriterionResult(
                    cid, aid, levels, sum(values) / len(values) if values else None,
                    self._moderated.get(cid), max(values) - min(values) if values else 0))
            found = self._cache["criteria"] = tuple(out)
        return found  # type: ignore[return-value]


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
    offsets: Mapping[int, float] = field(default_factory=dict)  # estimable severity offsets
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def assessors(self) -> tuple[AssessorStats, ...]:
        """Per assessor: sheets, deviation from co-assessors, agreement, offset, uniformity
        (computed on first use: stars and ranks do not need them)."""
        found = self._cache.get("assessors")
        if found is None:
            stats = _StatsAccumulator()
            for r in self.candidates:
                stats.add(r.assessors, r._columns, all(None not in c for c in r._columns))
            found = self._cache["assessors"] = stats.result(self.offsets)
        return found  # type: ignore[return-value]

    def by_id(self) -> dict[int, CandidateResult]:
        return {c.candidate_id: c for c in self.candidates}


class PackedSheet(NamedTuple):
    """One sheet as the store hands it over in bulk: "A1,A10,A2,…" and "3,2,1,…"."""

    criteria: str
    levels: str

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.criteria.split(","), map(int, self.levels.split(",")),
                        strict=True))


# Scores: candidate id → assessor id → the finished sheet's levels by criterion id.
Scores = Mapping[int, Mapping[int, Mapping[str, int] | PackedSheet]]


def compute(candidates: Iterable[CandidateInfo], rubrics: Mapping[str, Rubric], scores: Scores,
            thresholds: Thresholds, method: Method = Method(),
            moderation: Mapping[tuple[int, str], int] | None = None) -> Results:
    """Results for every candidate given; candidates without a rubric or scores are kept
    (incomplete) so nobody silently disappears from the list.

    Written for 10,000 candidates × 3 assessors × 25 criteria: per-criterion work is done
    on tuples with built-ins, each candidate's result is built once (rank and the
    corrected view are filled in afterwards), and the severity model works on teams.
    """
    plans = {c: _Plan(r) for c, r in rubrics.items()}
    mods: dict[int, dict[str, int]] = defaultdict(dict)
    for (cid, criterion), level in (moderation or {}).items():
        mods[cid][criterion] = level
    teams = _Teams()
    wide = _Wide(method.spread_flag)
    out = []
    for info in sorted(candidates, key=attrgetter("id")):
        plan = plans.get(info.commodity)
        out.append(_result(info, plan, scores.get(info.id) or {}, method, mods.get(info.id),
                           thresholds, teams, wide) if plan else _unscored(info))
    offsets = teams.offsets(method.min_shared)
    _rank(out, method.tie_break)
    if offsets:
        _correct(out, offsets, thresholds)
    return Results(method, thresholds, tuple(out), offsets)


class _Plan:
    """A rubric laid out for fast aggregation: criterion order, weights per level point."""

    def __init__(self, rubric: Rubric) -> None:
        pairs = rubric.criteria()
        self.ids = tuple((c.id, a.id) for a, c in pairs)
        self.criteria = tuple(c.id for _a, c in pairs)
        self.aspects = tuple(a.id for a in rubric.aspects)
        # one level point of a criterion is worth weight ÷ (3 × criteria in its aspect)
        self.factors = tuple(a.weight / (MAX_LEVEL * len(a.criteria)) for a, _c in pairs)
        # coaching order between equal levels: heavier criterion first, then rubric order
        self.coach_key = tuple((-a.weight / len(a.criteria), i) for i, (a, _c) in
                               enumerate(pairs))
        # rubric.criteria() lists an aspect's criteria together: one slice per aspect, and
        # every criterion of an aspect weighs the same, so one factor per slice
        spans, start = [], 0
        for a in rubric.aspects:
            spans.append((start, start + len(a.criteria), a.weight / (MAX_LEVEL * len(a.criteria))))
            start += len(a.criteria)
        self.aspect_spans = tuple(spans)
        # criterion indices in coaching order; a stable sort by level keeps it among equals
        self.coach_order = sorted(range(len(self.criteria)), key=self.coach_key.__getitem__)
        self._get = itemgetter(*self.criteria) if len(self.criteria) > 1 else None
        self._orders: dict[str, Callable[[list[str]], tuple[str, ...]] | None] = {}

    def row(self, sheet: Mapping[str, int] | PackedSheet) -> tuple[int | None, ...]:
        """The sheet's levels in rubric order (None where a criterion is missing)."""
        if isinstance(sheet, PackedSheet):
            order = self._orders.get(sheet.criteria, False)
            if order is False:
                order = self._orders[sheet.criteria] = self._order(sheet.criteria)
            if order is None:
                return self.row(sheet.as_dict())
            raw = sheet.levels
            if len(raw) == 2 * len(self.criteria) - 1:  # "3,2,1,…": one digit per level
                digits = raw.encode("ascii", "replace")[::2]
                if digits.isdigit():
                    return order(digits.translate(_DIGITS))  # type: ignore[arg-type]
            return tuple(map(int, order(raw.split(","))))
        if self._get is not None:
            try:
                return self._get(sheet)  # type: ignore[no-any-return]
            except KeyError:
                pass
        return tuple(sheet.get(k) for k in self.criteria)

    def _order(self, criteria: str) -> Callable[[list[str]], tuple[str, ...]] | None:
        """How to put a packed sheet's levels in rubric order; None unless it holds exactly
        the rubric's criteria (then the slower general path handles it)."""
        given = criteria.split(",")
        if sorted(given) != sorted(self.criteria) or len(given) < 2:
            return None
        return itemgetter(*(given.index(k) for k in self.criteria))


class _Wide(dict[tuple[int, ...], bool]):
    """Whether one criterion's levels spread at least the disagreement threshold, per
    distinct pattern (27 for three assessors with levels 1–3: each computed once)."""

    def __init__(self, spread_flag: int) -> None:
        super().__init__()
        self.spread_flag = spread_flag

    def __missing__(self, levels: tuple[int, ...]) -> bool:
        wide = self[levels] = max(levels) - min(levels) >= self.spread_flag
        return wide


def _unscored(info: CandidateInfo) -> CandidateResult:
    """A candidate whose commodity has no rubric in the round."""
    return CandidateResult(info.id, info.commodity, info.province, (), {}, None, None, None,
                           (Flag.INCOMPLETE,), (), previous_star=info.previous_star)


def _result(info: CandidateInfo, plan: _Plan, by_assessor: Mapping[int, Mapping[str, int]],
            method: Method, mods: dict[str, int] | None, thresholds: Thresholds,
            teams: _Teams, wide: _Wide) -> CandidateResult:
    assessors = tuple(sorted(by_assessor))
    rows = [plan.row(by_assessor[a]) for a in assessors]
    n = len(rows)
    columns = tuple(zip(*rows, strict=True)) if n else tuple(() for _ in plan.criteria)
    try:
        sums = list(map(sum, columns)) if n else None
    except TypeError:  # a finished sheet that misses a criterion (rare)
        sums = None
    if sums is None:
        return _partial(info, plan, assessors, rows, columns, method, mods, thresholds, teams)
    # The common case: every sheet has every criterion.
    values = [s / n for s in sums]  # the mean level per criterion
    if mods:
        values = [float(mods[k]) if k in mods else m for k, m in zip(plan.criteria, values,
                                                                      strict=True)]
    disagree = n > 1 and any(map(wide.__getitem__, columns))
    if n > 1:  # the assessors' own totals are summed per team for the severity model
        teams.add_rows(assessors, rows, plan.factors)
    aspects = dict(zip(plan.aspects, [round(f * sum(values[lo:hi]), _PRECISION) + 0.0
                                      for lo, hi, f in plan.aspect_spans], strict=True))
    order = sorted(plan.coach_order, key=values.__getitem__)[:method.coaching]
    coaching = tuple([plan.criteria[i] for i in order if values[i] < MAX_LEVEL])
    total = round(sum(aspects.values()), _PRECISION) + 0.0
    complete = n >= method.min_assessors
    star = thresholds.star_for(total) if complete else None
    return CandidateResult(
        info.id, info.commodity, info.province, assessors, aspects, total, star, None,
        _FLAGS[complete, disagree, bool(mods)], coaching, None, None, info.previous_star,
        None if info.previous_star is None else _change(info.previous_star, star),
        plan.ids, columns, mods or {})


# (complete, disagreement, moderated) → flags
_FLAGS = {(complete, disagree, moderated): tuple(
    f for f, on in ((Flag.INCOMPLETE, not complete), (Flag.DISAGREEMENT, disagree),
                    (Flag.MODERATED, moderated)) if on)
    for complete in (False, True) for disagree in (False, True) for moderated in (False, True)}


def _partial(info: CandidateInfo, plan: _Plan, assessors: tuple[int, ...],
             rows: list[tuple[int | None, ...]], columns: tuple[tuple[int | None, ...], ...],
             method: Method, mods: dict[str, int] | None, thresholds: Thresholds,
             teams: _Teams) -> CandidateResult:
    """A candidate without sheets yet, or with a sheet that misses a criterion."""
    means: list[float | None] = []
    disagree = False
    for column in columns:
        given = [v for v in column if v is not None]
        means.append(sum(given) / len(given) if given else None)
        disagree = disagree or bool(given and max(given) - min(given) >= method.spread_flag)
    team = [(a, sum(map(mul, row, plan.factors)))  # type: ignore[arg-type]
            for a, row in zip(assessors, rows, strict=True) if None not in row]
    if len(team) > 1:
        teams.add(*zip(*team, strict=True))  # type: ignore[arg-type]
    values = [float(mods[k]) if k in mods else m for k, m in zip(plan.criteria, means,
                                                                  strict=True)] \
        if mods else means
    scored = any(v is not None for v in values)
    zeros = [0.0 if v is None else v for v in values]
    sums = [f * sum(zeros[lo:hi]) for lo, hi, f in plan.aspect_spans]
    weak = sorted((v, key) for v, key in zip(values, plan.coach_key, strict=True)
                  if v is not None and v < MAX_LEVEL)
    coaching = tuple(plan.criteria[key[1]] for _v, key in weak[:method.coaching])
    aspects = {a: _round(x) for a, x in zip(plan.aspects, sums, strict=True)}
    total = _round(sum(aspects.values())) if scored else None
    complete = len(rows) >= method.min_assessors and scored and None not in values
    star = thresholds.star_for(total) if complete and total is not None else None
    return CandidateResult(
        info.id, info.commodity, info.province, assessors, aspects, total, star, None,
        _FLAGS[complete, disagree, bool(mods)], coaching, None, None, info.previous_star,
        _change(info.previous_star, star), plan.ids, columns, mods or {})


def _correct(results: list[CandidateResult], offsets: Mapping[int, float],
             thresholds: Thresholds) -> None:
    """The severity-corrected total and star where every assessor's offset is estimable."""
    shifts: dict[tuple[int, ...], float | None] = {}  # per team: the mean of its offsets
    for r in results:
        if r.total is None or not r.assessors:
            continue
        shift = shifts.get(r.assessors, False)
        if shift is False:
            shift = shifts[r.assessors] = (
                sum(offsets[a] for a in r.assessors) / len(r.assessors)
                if all(a in offsets for a in r.assessors) else None)
        if shift is None:
            continue
        r.corrected_total = _round(min(100.0, max(0.0, r.total - shift)))
        r.corrected_star = thresholds.star_for(r.corrected_total) if r.complete else None
        if r.star is not None and r.corrected_star != r.star:
            r.flags = (*r.flags, Flag.SEVERITY)


def own_totals(result: CandidateResult, rubric: Rubric) -> dict[int, float]:
    """Each assessor's own total for the candidate (assessors who scored every criterion)."""
    factors = _Plan(rubric).factors
    out = {}
    for i, a in enumerate(result.assessors):
        row = [column[i] for column in result._columns]
        if row and None not in row:
            out[a] = _round(sum(map(mul, row, factors)))
    return out


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
    """Assessor id → offset in total points (positive: lenient), for estimable assessors,
    from candidate → assessor → that assessor's own total."""
    teams = _Teams()
    for totals in own_totals.values():
        if len(totals) >= 2:
            teams.add(tuple(totals), tuple(totals.values()))
    return teams.offsets(min_shared)


class _Teams:
    """Own totals grouped by the team of assessors that scored a candidate.

    Alternating means on `total[a, c] = effect[c] + offset[a]`, offsets centred to mean
    zero within each group of assessors connected through shared candidates. Per team
    only its size, each member's sum of totals and the sum of the candidates' means
    enter the update, so a round costs one pass over the teams (panels travel together:
    a national round has 10,000 candidates but a few dozen teams).
    """

    def __init__(self) -> None:
        self._totals: dict[tuple[int, ...], list[Sequence[float]]] = defaultdict(list)
        self._rows: dict[tuple[tuple[int, ...], tuple[float, ...]],
                         list[list[tuple[int, ...]]]] = defaultdict(list)

    def add(self, team: tuple[int, ...], totals: Sequence[float]) -> None:
        """One candidate scored in full by `team` (two assessors or more): their totals."""
        self._totals[team].append(totals)

    def add_rows(self, team: tuple[int, ...], rows: list[tuple[int, ...]],
                 factors: tuple[float, ...]) -> None:
        """The same from the members' full rows of levels and the points per level: the
        totals are summed per team at the end (Σ_c Σ_k f_k·level = Σ_k f_k·Σ_c level)."""
        self._rows[team, factors].append(rows)

    def _summed(self) -> dict[tuple[int, ...], tuple[int, list[float]]]:
        """team → (candidates, each member's sum of own totals)."""
        out: dict[tuple[int, ...], tuple[int, list[float]]] = {}

        def merge(team: tuple[int, ...], n: int, sums: list[float]) -> None:
            had = out.get(team)
            out[team] = (n, sums) if had is None else (
                had[0] + n, [x + y for x, y in zip(had[1], sums, strict=True)])

        for team, totals in self._totals.items():
            merge(team, len(totals), [sum(c) for c in zip(*totals, strict=True)])
        for (team, factors), per_candidate in self._rows.items():
            members = zip(*per_candidate, strict=True)  # member → its rows
            merge(team, len(per_candidate),
                  [sum(map(mul, map(sum, zip(*rows, strict=True)), factors))
                   for rows in members])
        return out

    def offsets(self, min_shared: int) -> dict[int, float]:
        summed = self._summed()
        shared_count: Counter[int] = Counter()
        for team, (n, _sums) in summed.items():
            for a in team:
                shared_count[a] += n
        offsets: dict[int, float] = {}
        for group in _components(summed):
            eligible = {a for a in group if shared_count[a] >= min_shared}
            if len(group) < 3 or not eligible:
                continue
            # per team: members, candidates, each member's sum, the sum of candidate means
            teams = [(team, n, sums, sum(sums) / len(team))
                     for team, (n, sums) in summed.items() if team[0] in group]
            counts = {a: shared_count[a] for a in group}
            offset = dict.fromkeys(group, 0.0)
            for _step in range(_ALS_ROUNDS):
                sums = dict.fromkeys(group, 0.0)
                for team, n, member_sums, mean_sum in teams:
                    # Σ_c (total[a, c] − effect[c]) = member sum − Σ means + n × mean offset
                    base = n * sum(offset[a] for a in team) / len(team) - mean_sum
                    for a, member in zip(team, member_sums, strict=True):
                        sums[a] += member + base
                new = {a: sums[a] / counts[a] for a in group}
                centre = sum(new.values()) / len(new)
                new = {a: v - centre for a, v in new.items()}
                moved = max(abs(new[a] - offset[a]) for a in new)
                offset = new
                if moved < 1e-7:
                    break
            offsets.update({a: _round(offset[a]) for a in eligible})
        return offsets


def _components(teams: Iterable[tuple[int, ...]]) -> list[set[int]]:
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for team in teams:
        first, *rest = sorted(team)
        for a in rest:
            parent[find(a)] = find(first)
    groups: dict[int, set[int]] = defaultdict(set)
    for a in list(parent):
        groups[find(a)].add(a)
    return sorted(groups.values(), key=min)


# -- ranking --------------------------------------------------------------------------------


def rank_key(result: CandidateResult, tie_break: tuple[str, ...]) -> tuple[float, ...]:
    """Higher is better, compared element by element (total, then the tie-break aspects)."""
    return (result.total or 0.0, *(result.aspects.get(a, 0.0) for a in tie_break))


def _rank(results: list[CandidateResult], tie_break: tuple[str, ...]) -> None:
    """Rank within each commodity; equal keys share a rank ("1, 2, 2, 4")."""
    by_commodity: dict[str, list[tuple[tuple[float, ...], CandidateResult]]] = defaultdict(list)
    for r in results:  # in id order
        if r.star is not None:
            get = r.aspects.get
            by_commodity[r.commodity].append(
                ((r.total, *[get(a, 0.0) for a in tie_break]), r))  # type: ignore[list-item]
    for group in by_commodity.values():
        group.sort(key=itemgetter(0), reverse=True)  # stable: equal keys stay in id order
        previous: tuple[float, ...] | None = None
        rank = 0
        for position, (key, r) in enumerate(group, start=1):
            if key != previous:
                rank, previous = position, key
            r.rank = rank


def overall_order(results: Iterable[CandidateResult],
                  tie_break: tuple[str, ...]) -> list[CandidateResult]:
    """Every classified candidate across commodities, best first (for the overall list)."""
    done = [r for r in results if r.star is not None]
    return sorted(done, key=lambda r: (tuple(-x for x in rank_key(r, tie_break)),
                                       r.candidate_id))


# -- assessors ------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _pattern(levels: tuple[int, ...]) -> tuple[tuple[float, bool], ...]:
    """For one criterion's levels: each assessor's deviation from the mean of the others,
    and whether it lies within half a level (there are few distinct patterns: 27 for three
    assessors with levels 1–3, so this is computed once per pattern)."""
    total, n = sum(levels), len(levels)
    out = []
    for v in levels:
        dev = v - (total - v) / (n - 1)
        out.append((dev, abs(dev) <= 0.5))
    return tuple(out)


class _StatsAccumulator:
    """Per assessor: sheets, scores, deviation from co-assessors, agreement, uniformity.

    Candidates only count (team, levels of one criterion) patterns — a C-level Counter
    update — and the per-assessor arithmetic runs once per distinct pattern at the end.
    """

    def __init__(self) -> None:
        self.sheets: Counter[int] = Counter()
        self.patterns: Counter[tuple[tuple[int, ...], tuple[int, ...]]] = Counter()

    def add(self, assessors: tuple[int, ...], columns: tuple[tuple[int | None, ...], ...],
            full: bool) -> None:
        self.sheets.update(assessors)
        if not assessors:
            return
        if full:
            self.patterns.update(zip(repeat(assessors), columns))
            return
        for column in columns:  # rare: a finished sheet that misses a criterion
            pairs = [(a, v) for a, v in zip(assessors, column, strict=True) if v is not None]
            if pairs:
                team, levels = zip(*pairs, strict=True)
                self.patterns[(team, levels)] += 1

    def result(self, offsets: Mapping[int, float]) -> tuple[AssessorStats, ...]:
        scores: Counter[int] = Counter()
        dev: dict[int, float] = defaultdict(float)
        agree: Counter[int] = Counter()
        compared: Counter[int] = Counter()
        seen: dict[int, set[int]] = defaultdict(set)
        for (team, levels), m in self.patterns.items():
            for a, v in zip(team, levels, strict=True):
                scores[a] += m
                seen[a].add(v)
            if len(team) < 2:
                continue
            for a, (d, close) in zip(team, _pattern(levels), strict=True):
                dev[a] += d * m
                compared[a] += m
                if close:
                    agree[a] += m
        out = []
        for a in sorted(self.sheets):
            n = compared[a]
            out.append(AssessorStats(
                a, self.sheets[a], scores[a], _round(dev[a] / n) if n else None,
                _round(agree[a] / n) if n else None, offsets.get(a),
                scores[a] > 1 and len(seen[a]) == 1))
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
