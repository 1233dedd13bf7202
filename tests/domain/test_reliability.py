"""Reliability statistics against published worked examples, plus the edge cases panels hit."""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_desktop.domain.reliability import (
    LEVELS,
    IccResult,
    alpha_band,
    icc,
    icc_band,
    icc_oneway,
    krippendorff_alpha,
)
from ovop_desktop.i18n import _

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C:
# 4 observers (rows) x 12 units (columns), values 1-5, None where the observer coded nothing.
OBSERVERS_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
UNITS_C = [list(unit) for unit in zip(*OBSERVERS_C, strict=True)]

# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def reference_alpha(units: list[list[float | None]], level: str) -> float | None:
    """Krippendorff's alpha straight from the definition, in exact arithmetic, pair by pair."""
    pairable = [[v for v in u if v is not None] for u in units]
    pairable = [u for u in pairable if len(u) >= 2]
    o: dict[tuple[float, float], Fraction] = defaultdict(Fraction)
    for u in pairable:
        for i, c in enumerate(u):
            for j, k in enumerate(u):
                if i != j:
                    o[(c, k)] += Fraction(1, len(u) - 1)
    values = sorted({c for c, _k in o})
    n_c = {c: sum((o[(c, k)] for k in values), Fraction(0)) for c in values}
    n = sum(n_c.values(), Fraction(0))

    def delta(c: float, k: float) -> Fraction:
        if level == "nominal":
            return Fraction(int(c != k))
        if level == "interval":
            return (Fraction(c) - Fraction(k)) ** 2
        if level == "ratio":
            return Fraction(0) if c == k else ((Fraction(c) - Fraction(k))
                                               / (Fraction(c) + Fraction(k))) ** 2
        lo, hi = sorted((c, k))
        return (sum(n_c[g] for g in values if lo <= g <= hi) - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum((count * delta(c, k) for (c, k), count in o.items()), Fraction(0))
    expected = sum((n_c[c] * n_c[k] * delta(c, k) for c in values for k in values), Fraction(0))
    if expected == 0:
        return None
    return float(1 - (n - 1) * observed / expected)


# -- Krippendorff's alpha: published values -------------------------------------------------

@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797),
])
def test_alpha_matches_krippendorff_2011_example_c(level: str, published: float) -> None:
    assert round(krippendorff_alpha(UNITS_C, level), 3) == published  # type: ignore[arg-type]


def test_alpha_matches_krippendorff_2011_binary_example() -> None:
    # Two observers, ten units, nominal (binary) data: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha(zip(a, b, strict=True), "nominal"), 3) == 0.095  # type: ignore[arg-type]


def test_alpha_defaults_to_interval() -> None:
    assert krippendorff_alpha(UNITS_C) == krippendorff_alpha(UNITS_C, "interval")


def test_unit_coded_by_one_observer_does_not_count() -> None:
    # Unit 12 of example C has a single value; dropping it changes nothing.
    for level in LEVELS:
        assert krippendorff_alpha(UNITS_C[:11], level) == krippendorff_alpha(UNITS_C, level)


# -- Krippendorff's alpha: what panels actually produce ---------------------------------------

@pytest.mark.parametrize("level", LEVELS)
def test_everyone_giving_the_same_level_everywhere_is_not_estimable(level: str) -> None:
    assert krippendorff_alpha([[2, 2, 2]] * 50, level) is None
    assert krippendorff_alpha([[3, 3, None], [3, None, 3]], level) is None


@pytest.mark.parametrize("level", LEVELS)
def test_nothing_to_pair_is_not_estimable(level: str) -> None:
    assert krippendorff_alpha([], level) is None
    assert krippendorff_alpha([[], []], level) is None
    assert krippendorff_alpha([[1], [2], [3]], level) is None  # one coder only
    assert krippendorff_alpha([[1, None, None], [None, 3, None]], level) is None
    assert krippendorff_alpha([[None, None]] * 4, level) is None


@pytest.mark.parametrize("level", LEVELS)
def test_perfect_alpha_agreement_with_variation_is_one(level: str) -> None:
    units = [[1, 1, 1], [2, 2, None], [3, 3, 3], [1, None, 1]]
    assert krippendorff_alpha(units, level) == 1.0


@pytest.mark.parametrize("level", LEVELS)
def test_systematic_disagreement_is_below_zero(level: str) -> None:
    assert krippendorff_alpha([[1, 3], [3, 1], [1, 3], [3, 1]], level) < 0  # type: ignore[operator]


def test_nan_counts_as_missing() -> None:
    with_nan = [[v if v is not None else math.nan for v in unit] for unit in UNITS_C]
    for level in LEVELS:
        assert krippendorff_alpha(with_nan, level) == krippendorff_alpha(UNITS_C, level)


def test_order_of_coders_and_units_does_not_matter() -> None:
    shuffled = [list(reversed(unit)) for unit in reversed(UNITS_C)]
    for level in LEVELS:
        assert krippendorff_alpha(shuffled, level) == pytest.approx(
            krippendorff_alpha(UNITS_C, level), abs=1e-12)


def test_accepts_a_one_shot_iterable_of_tuples() -> None:
    assert krippendorff_alpha((tuple(u) for u in UNITS_C), "ordinal") == pytest.approx(
        krippendorff_alpha(UNITS_C, "ordinal"))


def test_levels_respect_their_own_invariances() -> None:
    # interval: any affine rescaling; ordinal: any order-preserving relabelling;
    # nominal: any relabelling at all; ratio: multiplying by a constant.
    def mapped(f):  # type: ignore[no-untyped-def]
        return [[None if v is None else f(v) for v in unit] for unit in UNITS_C]

    def same(level: str, f) -> None:  # type: ignore[no-untyped-def]
        assert krippendorff_alpha(mapped(f), level) == pytest.approx(
            krippendorff_alpha(UNITS_C, level), abs=1e-12)

    same("interval", lambda v: 2.5 * v - 7)
    same("ordinal", lambda v: v ** 3 + 0.25)
    same("nominal", lambda v: {1: 40, 2: 3, 3: 17, 4: -2, 5: 0.5}[v])
    same("ratio", lambda v: 0.1 * v)
    assert krippendorff_alpha(mapped(lambda v: v ** 3), "interval") != pytest.approx(
        krippendorff_alpha(UNITS_C, "interval"))


def test_unknown_level_and_bad_values_are_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(UNITS_C, "cardinal")
    with pytest.raises(ValueError, match="finite"):
        krippendorff_alpha([[1, math.inf], [2, 2]], "interval")
    with pytest.raises(ValueError, match="negative"):
        krippendorff_alpha([[-1, 1], [2, 2]], "ratio")


def test_ratio_level_accepts_zero() -> None:
    # (0 - k)/(0 + k) = 1: a zero paired with anything else is maximal disagreement.
    assert krippendorff_alpha([[0, 0], [2, 2], [0, 2]], "ratio") == pytest.approx(
        reference_alpha([[0, 0], [2, 2], [0, 2]], "ratio"))


def test_many_units_reduce_to_few_patterns() -> None:
    # The results report feeds every candidate x criterion: 250,000 units must not blow up.
    units = [[1 + (i % 3), 1 + (i * 7 % 3), 1 + (i // 3 % 3)] for i in range(250_000)]
    value = krippendorff_alpha(units, "ordinal")
    assert value is not None and math.isfinite(value)


UNITS = st.lists(st.lists(st.one_of(st.none(), st.integers(1, 3)), min_size=0, max_size=5),
                 max_size=12)


@settings(max_examples=150, deadline=None)
@given(units=UNITS, level=st.sampled_from(LEVELS))
def test_alpha_is_none_or_a_finite_number_at_most_one(units: list[list[int | None]],
                                                      level: str) -> None:
    value = krippendorff_alpha(units, level)
    assert value is None or (math.isfinite(value) and value <= 1.0)


@settings(max_examples=150, deadline=None)
@given(units=UNITS, level=st.sampled_from(LEVELS))
def test_alpha_agrees_with_the_definition(units: list[list[int | None]], level: str) -> None:
    expected = reference_alpha(units, level)
    value = krippendorff_alpha(units, level)
    assert (value is None) == (expected is None)
    if expected is not None:
        assert value == pytest.approx(expected, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(units=st.lists(st.lists(st.one_of(st.none(), st.sampled_from([0, 0.5, 1, 2.25, 3, 10])),
                               max_size=4), max_size=10),
       level=st.sampled_from(LEVELS))
def test_alpha_agrees_with_the_definition_for_fractional_values(
        units: list[list[float | None]], level: str) -> None:
    expected = reference_alpha(units, level)
    value = krippendorff_alpha(units, level)
    assert (value is None) == (expected is None)
    if expected is not None:
        assert value == pytest.approx(expected, abs=1e-9)


# -- ICC --------------------------------------------------------------------------------------

def test_icc_matches_shrout_fleiss_table_2() -> None:
    result = icc(SHROUT_FLEISS)
    rounded = {name: round(getattr(result, name), 2)
               for name in ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k")}
    assert rounded == {"icc1": 0.17, "icc2": 0.29, "icc3": 0.71,
                       "icc1k": 0.44, "icc2k": 0.62, "icc3k": 0.91}
    assert (result.n, result.k) == (6, 4)


def test_one_way_icc_gives_only_the_one_way_forms() -> None:
    result = icc_oneway(SHROUT_FLEISS)
    assert round(result.icc1, 2) == 0.17 and round(result.icc1k, 2) == 0.44  # type: ignore[arg-type]
    assert result.icc1 == icc(SHROUT_FLEISS).icc1
    assert (result.icc2, result.icc2k, result.icc3, result.icc3k) == (None, None, None, None)
    assert (result.n, result.k) == (6, 4)


def test_identical_ratings_everywhere_are_not_estimable() -> None:
    assert icc([[2, 2, 2]] * 5) == IccResult(None, None, None, None, None, None, 5, 3)
    assert icc_oneway([[2, 2]] * 3) == IccResult(None, None, None, None, None, None, 3, 2)
    # no rounding noise from decimal fractions either
    assert icc([[0.1, 0.1], [0.1, 0.1], [0.1, 0.1]]).icc1 is None


def test_perfect_icc_agreement_with_variation_is_one() -> None:
    result = icc([[1, 1, 1], [2, 2, 2], [3, 3, 3]])
    assert (result.icc1, result.icc1k, result.icc2, result.icc2k, result.icc3,
            result.icc3k) == (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    assert icc_oneway([[1.5, 1.5], [2.5, 2.5]]).icc1 == 1.0


def test_a_strict_rater_costs_agreement_but_not_consistency() -> None:
    # The second rater is always one level lower: same ranking, different scores.
    result = icc([[3, 2], [2, 1], [3, 2], [1, 0], [2, 1]])
    assert result.icc3 == 1.0 and result.icc3k == 1.0
    assert result.icc2 is not None and result.icc2 < 1.0
    assert result.icc1 is not None and result.icc1 < result.icc3


def test_raters_who_swap_every_score_are_at_the_floor() -> None:
    # Same row means (no target variance): the single-rater forms sit at -1/(k-1) and the
    # averaged forms, which Spearman-Brown would push above 1, are not estimable.
    result = icc([[1, 2], [2, 1]])
    assert result.icc1 == -1.0 and result.icc3 == -1.0
    assert (result.icc1k, result.icc2k, result.icc3k) == (None, None, None)


def test_icc_does_not_depend_on_the_unit_of_the_scores() -> None:
    scaled = [[10 * x + 0.5 for x in row] for row in SHROUT_FLEISS]
    original, rescaled = icc(SHROUT_FLEISS), icc(scaled)
    for name in ("icc1", "icc1k", "icc2", "icc2k", "icc3", "icc3k"):
        assert getattr(rescaled, name) == pytest.approx(getattr(original, name), abs=1e-12)


def test_too_few_targets_or_raters_is_not_estimable() -> None:
    for matrix in ([], [[1, 2, 3]], [[1], [2], [3]]):
        result = icc(matrix)
        assert (result.icc1, result.icc2, result.icc3, result.icc1k, result.icc2k,
                result.icc3k) == (None,) * 6
    assert icc([[1, 2, 3]]).n == 1 and icc([[1], [2]]).k == 1


@pytest.mark.parametrize("matrix", [
    [[1, 2], [2, None]],
    [[1, 2], [2, math.nan]],
    [[1, 2], [2, math.inf]],
    [[1, 2], [2, "3"]],
    [[1, 2], [2, 3, 1]],
])
def test_incomplete_or_ragged_matrices_are_refused(matrix: list[list[object]]) -> None:
    with pytest.raises(ValueError, match="row 2"):
        icc(matrix)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="row 2"):
        icc_oneway(matrix)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n=st.integers(0, 8), k=st.integers(0, 5))
def test_icc_is_none_or_a_finite_number_at_most_one(data: st.DataObject, n: int, k: int) -> None:
    matrix = data.draw(st.lists(st.lists(st.integers(1, 3), min_size=k, max_size=k),
                                min_size=n, max_size=n))
    for result in (icc(matrix), icc_oneway(matrix)):
        for value in (result.icc1, result.icc1k, result.icc2, result.icc2k, result.icc3,
                      result.icc3k):
            assert value is None or (math.isfinite(value) and value <= 1.0 + 1e-12)


# -- bands ------------------------------------------------------------------------------------

@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("alpha", "label"), [
    (1.0, "reliable"), (0.800, "reliable"), (0.7996, "reliable"),  # printed as 0.800
    (0.799, "tentative"), (0.667, "tentative"), (0.666, "unreliable"), (-0.4, "unreliable"),
    (None, "not estimable"), (math.nan, "not estimable"),
])
def test_alpha_band_follows_krippendorff(alpha: float | None, label: str) -> None:
    assert alpha_band(alpha) == label


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("value", "label"), [
    (-0.2, "poor"), (0.499, "poor"), (0.50, "moderate"), (0.749, "moderate"), (0.75, "good"),
    (0.90, "good"), (0.901, "excellent"), (1.0, "excellent"), (None, "not estimable"),
])
def test_icc_band_follows_koo_and_li(value: float | None, label: str) -> None:
    assert icc_band(value) == label


def test_bands_are_shown_in_the_interface_language() -> None:
    assert alpha_band(0.9) == _("reliable")
    assert alpha_band(None) == _("not estimable")
    assert icc_band(0.6) == _("moderate")
