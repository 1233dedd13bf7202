"""Aggregation, stars, ranks, tie-breaks, moderation and severity — hand-computed cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.results import (
    CandidateInfo,
    Change,
    Flag,
    Method,
    compute,
    parse_tie_break,
    severity_offsets,
    star_counts,
)
from ovop_desktop.domain.rounds import Thresholds
from ovop_desktop.domain.rubric import Aspect, Criterion, Rubric, Text
from ovop_desktop.errors import ValidationError

T = Thresholds(80, 65, 50)


def _c(cid: str) -> Criterion:
    return Criterion(cid, Text(cid, cid), (Text("1", "1"), Text("2", "2"), Text("3", "3")))


def _rubric(weights: tuple[int, int, int] = (40, 25, 35),
            shape: tuple[int, int, int] = (2, 1, 2)) -> Rubric:
    aspects = tuple(
        Aspect(aid, Text(aid, aid), w, tuple(_c(f"{aid}{i + 1}") for i in range(n)))
        for aid, w, n in zip("ABC", weights, shape, strict=True))
    return Rubric(Commodity.KAIN_BATIK, 1, Text("t", "t"), aspects)


R = {"kain_batik": _rubric()}
BATIK = "kain_batik"


def _levels(a1: int, a2: int, b1: int, c1: int, c2: int) -> dict[str, int]:
    return {"A1": a1, "A2": a2, "B1": b1, "C1": c1, "C2": c2}


def test_commodity_value_used_in_tests_is_real() -> None:
    assert Commodity.KAIN_BATIK.value == BATIK


def test_mean_per_criterion_aspect_weights_total_and_star() -> None:
    scores = {1: {10: _levels(3, 2, 3, 3, 3), 11: _levels(3, 2, 1, 3, 2)}}
    [r] = compute([CandidateInfo(1, BATIK)], R, scores, T).candidates
    # means A1 3, A2 2, B1 2, C1 3, C2 2.5
    assert r.aspects["A"] == pytest.approx(5 / 6 * 40)       # 33.333
    assert r.aspects["B"] == pytest.approx(2 / 3 * 25)       # 16.667
    assert r.aspects["C"] == pytest.approx(5.5 / 6 * 35)     # 32.083
    assert r.total == pytest.approx(82.083333, abs=1e-6)
    assert r.star == 3 and r.rank == 1
    assert Flag.DISAGREEMENT in r.flags  # B1: levels 1 and 3
    assert r.assessors == (10, 11)


def test_moderated_level_replaces_the_mean_and_is_flagged() -> None:
    scores = {1: {10: _levels(3, 2, 3, 3, 3), 11: _levels(3, 2, 1, 3, 2)}}
    [r] = compute([CandidateInfo(1, BATIK)], R, scores, T, moderation={(1, "B1"): 3}).candidates
    b1 = next(c for c in r.criteria if c.criterion_id == "B1")
    assert b1.mean == 2 and b1.moderated == 3 and b1.value == 3
    assert r.aspects["B"] == 25
    assert r.total == pytest.approx(90.416667, abs=1e-6)
    assert Flag.MODERATED in r.flags


def test_one_assessor_is_incomplete_not_classified_not_ranked() -> None:
    scores = {1: {10: _levels(3, 3, 3, 3, 3)}, 2: {10: _levels(1, 1, 1, 1, 1),
                                                   11: _levels(1, 1, 1, 1, 1)}}
    res = compute([CandidateInfo(1, BATIK), CandidateInfo(2, BATIK)], R, scores, T)
    one, two = res.by_id()[1], res.by_id()[2]
    assert one.total == 100 and one.star is None and one.rank is None
    assert Flag.INCOMPLETE in one.flags and not one.complete
    assert two.star == 0 and two.rank == 1  # 33.3: classified, no star, still ranked


def test_minimum_assessors_comes_from_the_method() -> None:
    scores = {1: {10: _levels(3, 3, 3, 3, 3)}}
    [r] = compute([CandidateInfo(1, BATIK)], R, scores, T, Method(min_assessors=1)).candidates
    assert r.star == 3 and r.rank == 1


def test_no_scores_at_all_gives_incomplete_rows_and_no_nan() -> None:
    res = compute([CandidateInfo(1, BATIK), CandidateInfo(2, "gerabah")], R, {}, T)
    for r in res.candidates:
        assert r.total is None and r.star is None and r.rank is None
        assert Flag.INCOMPLETE in r.flags
        assert all(not math.isnan(v) for v in r.aspects.values())
    assert res.assessors == ()


def test_thresholds_are_inclusive_and_float_noise_never_misses_a_star() -> None:
    # three aspects of one criterion each, weights that make 80 out of thirds
    rubric = {BATIK: _rubric((30, 30, 40), (1, 1, 1))}
    scores = {1: {10: {"A1": 3, "B1": 3, "C1": 2}, 11: {"A1": 3, "B1": 1, "C1": 3}}}
    [r] = compute([CandidateInfo(1, BATIK)], rubric, scores, Thresholds(80, 65, 50)).candidates
    # A 30, B 2/3*30 = 20, C 2.5/3*40 = 33.33 → 83.33
    assert r.star == 3
    scores = {1: {10: {"A1": 3, "B1": 2, "C1": 3}, 11: {"A1": 3, "B1": 2, "C1": 3}}}
    [r] = compute([CandidateInfo(1, BATIK)], rubric, scores, Thresholds(80, 65, 50)).candidates
    assert r.total == 90  # exactly; and a total of exactly 80 earns 3★:
    assert Thresholds(80, 65, 50).star_for(80.0) == 3


def test_rank_ties_broken_by_the_declared_aspect_order() -> None:
    rubric = {BATIK: _rubric((30, 30, 40), (1, 1, 2))}

    def both(a: int, b: int, c1: int, c2: int) -> dict[int, dict[str, int]]:
        lv = {"A1": a, "B1": b, "C1": c1, "C2": c2}
        return {10: lv, 11: dict(lv)}

    scores = {1: both(2, 2, 1, 1),   # 20 + 20 + 13.33 = 53.33
              2: both(1, 1, 3, 2),   # 10 + 10 + 33.33 = 53.33, stronger in C
              3: both(3, 3, 3, 3)}   # 100
    res = compute([CandidateInfo(i, BATIK) for i in (1, 2, 3)], rubric, scores, T)
    ranks = {r.candidate_id: r.rank for r in res.candidates}
    assert res.by_id()[1].total == res.by_id()[2].total
    assert ranks == {3: 1, 2: 2, 1: 3}
    # declared otherwise: production (A) first
    res = compute([CandidateInfo(i, BATIK) for i in (1, 2, 3)], rubric, scores, T,
                  Method(tie_break=("A", "B", "C")))
    assert {r.candidate_id: r.rank for r in res.candidates} == {3: 1, 1: 2, 2: 3}


def test_candidates_equal_in_everything_share_a_rank() -> None:
    lv = _levels(3, 2, 2, 2, 2)
    scores = {i: {10: lv, 11: lv} for i in (1, 2, 3)}
    scores[3] = {10: _levels(1, 1, 1, 1, 1), 11: _levels(1, 1, 1, 1, 1)}
    res = compute([CandidateInfo(i, BATIK) for i in (1, 2, 3)], R, scores, T)
    assert [res.by_id()[i].rank for i in (1, 2, 3)] == [1, 1, 3]


def test_ranks_are_per_commodity() -> None:
    rubrics = {BATIK: _rubric(), "gerabah": _rubric()}
    good, poor = _levels(3, 3, 3, 3, 3), _levels(1, 1, 1, 1, 1)
    scores = {1: {10: poor, 11: poor}, 2: {10: good, 11: good}}
    res = compute([CandidateInfo(1, BATIK), CandidateInfo(2, "gerabah")], rubrics, scores, T)
    assert res.by_id()[1].rank == 1 and res.by_id()[2].rank == 1


def test_reevaluation_change_up_same_down_lost() -> None:
    lv3, lv1 = _levels(3, 3, 3, 3, 3), _levels(1, 1, 1, 1, 1)
    mid = _levels(2, 2, 2, 2, 3)  # 26.67 + 16.67 + 29.17 = 72.5 → 2★
    scores = {1: {10: lv3, 11: lv3}, 2: {10: mid, 11: mid}, 3: {10: mid, 11: mid},
              4: {10: lv1, 11: lv1}, 5: {10: lv3}}
    infos = [CandidateInfo(1, BATIK, previous_star=2), CandidateInfo(2, BATIK, previous_star=2),
             CandidateInfo(3, BATIK, previous_star=3), CandidateInfo(4, BATIK, previous_star=1),
             CandidateInfo(5, BATIK, previous_star=3)]
    res = compute(infos, R, scores, T).by_id()
    assert [res[i].change for i in (1, 2, 3, 4)] == [Change.UP, Change.SAME, Change.DOWN,
                                                     Change.LOST]
    assert res[5].change is None  # incomplete: no comparison yet


def test_coaching_pointers_are_the_weakest_criteria() -> None:
    scores = {1: {10: _levels(3, 1, 2, 3, 2), 11: _levels(3, 2, 2, 3, 1)}}
    [r] = compute([CandidateInfo(1, BATIK)], R, scores, T).candidates
    # means: A1 3, A2 1.5, B1 2, C1 3, C2 1.5 → A2 and C2 tie at 1.5; C2 weighs more
    # (35/2 per criterion against 40/2), so … A2 (20) first, then C2 (17.5), then B1
    assert r.coaching == ("A2", "C2", "B1")
    top = {1: {10: _levels(3, 3, 3, 3, 3), 11: _levels(3, 3, 3, 3, 3)}}
    [r] = compute([CandidateInfo(1, BATIK)], R, top, T).candidates
    assert r.coaching == ()


def test_severity_offsets_recover_a_lenient_and_a_harsh_assessor() -> None:
    effects = {1: 60.0, 2: 70.0, 3: 80.0, 4: 65.0}
    offset = {10: 5.0, 11: 0.0, 12: -5.0}
    totals = {c: {a: e + o for a, o in offset.items()} for c, e in effects.items()}
    got = severity_offsets(totals, min_shared=3)
    assert got == pytest.approx(offset)


def test_severity_needs_overlap_and_three_assessors() -> None:
    two = {c: {10: 70.0, 11: 60.0} for c in range(1, 6)}
    assert severity_offsets(two) == {}            # two assessors only: not attributable
    few = {1: {10: 70.0, 11: 60.0, 12: 65.0}, 2: {10: 70.0, 11: 60.0, 12: 65.0}}
    assert severity_offsets(few, min_shared=3) == {}  # two shared candidates each
    lone = {1: {13: 50.0}}
    assert severity_offsets(lone) == {}


def test_corrected_view_flags_a_star_that_depends_on_a_lenient_assessor() -> None:
    # assessor 10 gives full marks where 11 and 12 give 2s; candidate 1 was scored by 10
    # and 11 only, and reaches 3★ (80.4) only thanks to 10's leniency
    lenient, low = _levels(3, 3, 3, 3, 3), _levels(2, 2, 2, 2, 2)
    scores = {1: {10: lenient, 11: _levels(2, 2, 2, 2, 1)}}
    for c in (2, 3, 4):
        scores[c] = {10: lenient, 11: low, 12: low}
    res = compute([CandidateInfo(i, BATIK) for i in (1, 2, 3, 4)], R, scores, T)
    stats = {a.assessor_id: a for a in res.assessors}
    assert stats[10].offset is not None and stats[10].offset > 0
    assert stats[11].offset < 0 and stats[12].offset < 0
    one = res.by_id()[1]
    assert one.total == pytest.approx(80.416667, abs=1e-6) and one.star == 3
    assert one.corrected_total is not None and one.corrected_total < 80
    assert one.corrected_star == 2 and Flag.SEVERITY in one.flags
    # a team holding every assessor of the panel is not shifted at all
    two = res.by_id()[2]
    assert two.corrected_total == pytest.approx(two.total)
    assert Flag.SEVERITY not in two.flags


def test_assessor_who_scores_everything_the_same_is_marked_and_nothing_breaks() -> None:
    same = _levels(2, 2, 2, 2, 2)
    scores = {1: {10: same, 11: _levels(3, 1, 2, 3, 2)}, 2: {10: same, 11: same}}
    res = compute([CandidateInfo(1, BATIK), CandidateInfo(2, BATIK)], R, scores, T)
    stats = {a.assessor_id: a for a in res.assessors}
    assert stats[10].uniform and not stats[11].uniform
    assert stats[10].sheets == 2 and stats[10].scores == 10
    assert stats[10].agreement is not None and 0 <= stats[10].agreement <= 1


def test_star_counts_by_commodity_and_province() -> None:
    good = _levels(3, 3, 3, 3, 3)
    scores = {1: {10: good, 11: good}, 2: {10: good}}
    res = compute([CandidateInfo(1, BATIK, "32"), CandidateInfo(2, BATIK, "33")], R, scores, T)
    assert star_counts(res.candidates)[BATIK] == {3: 1, 2: 0, 1: 0, 0: 0, None: 1}
    assert star_counts(res.candidates, by="province")["33"][None] == 1


def test_method_and_tie_break_validation() -> None:
    assert parse_tie_break(" C, B ,A") == ("C", "B", "A")
    with pytest.raises(ValidationError):
        parse_tie_break("C,C")
    assert Method(min_assessors=0).problems()
    assert Method(spread_flag=3).problems()
    assert not Method().problems()


_level = st.integers(1, 3)
_sheet = st.fixed_dictionaries({k: _level for k in ("A1", "A2", "B1", "C1", "C2")})


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.integers(1, 8), st.dictionaries(st.integers(10, 14), _sheet,
                                                          max_size=4), max_size=8))
def test_any_scores_give_finite_totals_in_range_and_are_deterministic(scores) -> None:
    infos = [CandidateInfo(c, BATIK) for c in range(1, 9)]
    first = compute(infos, R, scores, T)
    again = compute(list(reversed(infos)), R, dict(reversed(list(scores.items()))), T)
    assert first == again
    for r in first.candidates:
        if r.total is not None:
            assert 0 <= r.total <= 100 and math.isfinite(r.total)
        if r.corrected_total is not None:
            assert 0 <= r.corrected_total <= 100
    for a in first.assessors:
        for v in (a.mean_deviation, a.agreement, a.offset):
            assert v is None or math.isfinite(v)


def test_packed_sheets_from_the_store_give_the_same_results_as_dicts() -> None:
    from ovop_desktop.domain.results import PackedSheet

    dicts = {1: {10: _levels(3, 2, 1, 3, 2), 11: _levels(2, 2, 3, 1, 3)}}
    # the store hands criteria over in its own (text) order
    packed = {1: {a: PackedSheet(",".join(sorted(d)), ",".join(str(d[k]) for k in sorted(d)))
                  for a, d in dicts[1].items()}}
    odd = {1: {10: PackedSheet("A1,A2,B1,C1,C2", "3,2,1,3,2"),
               11: PackedSheet("A1,A2,B1,C1,C2", "2, 2,3,1,3")}}  # not one digit each
    first = compute([CandidateInfo(1, BATIK)], R, dicts, T)
    assert compute([CandidateInfo(1, BATIK)], R, packed, T) == first
    assert compute([CandidateInfo(1, BATIK)], R, odd, T) == first


def _als_per_candidate(totals: dict[int, dict[int, float]]) -> dict[int, float]:
    """The textbook alternating means, one candidate at a time (the reference the team
    sums in domain/results must equal); a single connected panel assumed."""
    offset = {a: 0.0 for t in totals.values() for a in t}
    for _ in range(2000):
        sums = dict.fromkeys(offset, 0.0)
        counts = dict.fromkeys(offset, 0)
        for t in totals.values():
            effect = sum(v - offset[a] for a, v in t.items()) / len(t)
            for a, v in t.items():
                sums[a] += v - effect
                counts[a] += 1
        new = {a: sums[a] / counts[a] for a in offset}
        centre = sum(new.values()) / len(new)
        offset = {a: v - centre for a, v in new.items()}
    return offset


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([(10, 11, 12), (10, 11), (11, 12, 13), (10, 13),
                                           (12, 13)]),
                          st.lists(_sheet, min_size=4, max_size=4)),
                min_size=6, max_size=30))
def test_severity_offsets_from_team_sums_equal_the_per_candidate_model(panel) -> None:
    """compute() sums each team's levels before the severity model; the offsets must be
    those of the model fitted candidate by candidate on the assessors' own totals."""
    scores = {c: dict(zip(team, sheets, strict=False))
              for c, (team, sheets) in enumerate(panel, start=1)}
    infos = [CandidateInfo(c, BATIK) for c in scores]
    got = compute(infos, R, scores, T, Method(min_shared=1))
    factors = {"A": 40 / 6, "B": 25 / 3, "C": 35 / 6}
    totals = {c: {a: sum(level * factors[k[0]] for k, level in sheet.items())
                  for a, sheet in per.items()} for c, per in scores.items()}
    assert got.offsets == pytest.approx(severity_offsets(totals, min_shared=1), abs=2e-6)
    assessors = {a for per in scores.values() for a in per}
    if len(assessors) >= 3 and got.offsets:
        assert got.offsets == pytest.approx(_als_per_candidate(totals), abs=1e-4)
