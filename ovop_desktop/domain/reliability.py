"""Inter-rater reliability for the results report: Krippendorff's alpha and Shrout–Fleiss ICCs.

Pure Python on purpose (numpy/scipy are not dependencies). Every function returns None, never
NaN, when a coefficient is undefined, so the report can say "not estimable" instead of printing
a meaningless number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real
from typing import Literal

from ovop_desktop.i18n import N_, _

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")

# -- Krippendorff's alpha -------------------------------------------------------------------


def krippendorff_alpha(units: Iterable[Sequence[float | None]],
                       level: str = "interval") -> float | None:
    """Krippendorff's alpha over `units` (one sequence of coders' values per unit; None missing).

    Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": values in units
    with fewer than two values are not pairable and are ignored; alpha = 1 - D_o / D_e from the
    coincidence matrix. NaN counts as missing too. Returns None when alpha is undefined (no
    pairable values, or only one distinct value so that D_e = 0).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement: {level!r} (expected one of {LEVELS})")
    # Units with the same multiset of values contribute identically, so count them once per
    # pattern: with levels 1-3 and three coders there are at most ten patterns however many
    # units there are, which keeps this linear and cheap.
    patterns: Counter[tuple[float, ...]] = Counter()
    for unit in units:
        values = [v for v in unit if v is not None and v == v]  # v == v drops NaN
        if len(values) > 1:
            values.sort()
            patterns[tuple(values)] += 1
    if not patterns:
        return None

    # n_c: how often each value occurs among the pairable values. off[(m, c, k)], c < k: how
    # many ordered (c, k) pairs units of m values hold, as an exact integer; the coincidence
    # o_ck is the sum over m of off / (m - 1), applied once per key below.
    n_c: Counter[float] = Counter()
    off: Counter[tuple[int, float, float]] = Counter()
    for pattern, times in patterns.items():
        m = len(pattern)
        counts = list(Counter(pattern).items())  # in ascending value order: pattern is sorted
        for i, (c, nc) in enumerate(counts):
            n_c[c] += nc * times
            for k, nk in counts[i + 1:]:
                off[(m, c, k)] += nc * nk * times
    _check_values(n_c, level)
    if len(n_c) < 2:
        return None  # every pairable value is the same: no variation, D_e = 0

    n = sum(n_c.values())
    delta, expected = _METRICS[level](n_c, n)
    # Sum over ordered pairs c != k of o_ck * delta_ck; delta_cc = 0 for every metric.
    observed = 2 * math.fsum(count * delta(c, k) / (m - 1) for (m, c, k), count in off.items())
    if not expected > 0 or not math.isfinite(expected):
        return None  # only reachable through float underflow of tiny differences
    alpha = 1 - (n - 1) * observed / expected
    return alpha if math.isfinite(alpha) else None


def _check_values(n_c: Counter[float], level: str) -> None:
    for value in n_c:
        if not isinstance(value, Real) or not math.isfinite(value):
            raise ValueError(f"reliability values must be finite numbers, not {value!r}")
        if level == "ratio" and value < 0:
            raise ValueError(f"ratio-level values cannot be negative: {value!r}")


_Delta = Callable[[float, float], float]


def _nominal(n_c: Counter[float], n: int) -> tuple[_Delta, float]:
    # sum over c != k of n_c * n_k
    return (lambda c, k: 1.0), float(n * n - sum(v * v for v in n_c.values()))


def _spread(n_c: Counter[float], n: int, position: Callable[[float], float]) -> float:
    """Sum over c, k of n_c n_k (x_c - x_k)^2 with x = position(value).

    Computed as 2n * sum n_c (x_c - mean)^2: linear in the number of distinct values rather
    than quadratic, and centred so that large values do not cancel catastrophically.
    """
    mean = math.fsum(w * position(c) for c, w in n_c.items()) / n
    return 2 * n * math.fsum(w * (position(c) - mean) ** 2 for c, w in n_c.items())


def _interval(n_c: Counter[float], n: int) -> tuple[_Delta, float]:
    return (lambda c, k: float(c - k) ** 2), _spread(n_c, n, float)


def _ordinal(n_c: Counter[float], n: int) -> tuple[_Delta, float]:
    # delta_ck = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 equals (M_k - M_c)^2 with the mid-rank
    # M_c = (number of values below c) + n_c/2, so ordinal alpha is interval alpha on mid-ranks.
    midrank: dict[float, float] = {}
    below = 0
    for c in sorted(n_c):
        midrank[c] = below + n_c[c] / 2
        below += n_c[c]
    return (lambda c, k: (midrank[k] - midrank[c]) ** 2), _spread(n_c, n, midrank.__getitem__)


def _ratio_delta(c: float, k: float) -> float:
    # c + k > 0 whenever c != k, since ratio values are checked to be non-negative
    return 0.0 if c == k else ((c - k) / (c + k)) ** 2


def _ratio(n_c: Counter[float], n: int) -> tuple[_Delta, float]:
    # No linear form for this metric: quadratic in the number of distinct values (not units),
    # which is a handful in practice.
    items = sorted(n_c.items())
    expected = 2 * math.fsum(nc * nk * _ratio_delta(c, k)
                             for i, (c, nc) in enumerate(items) for k, nk in items[i + 1:])
    return _ratio_delta, expected


_METRICS: dict[str, Callable[[Counter[float], int], tuple[_Delta, float]]] = {
    "nominal": _nominal, "ordinal": _ordinal, "interval": _interval, "ratio": _ratio,
}

# -- intraclass correlation -----------------------------------------------------------------


@dataclass(frozen=True)
class IccResult:
    """Shrout & Fleiss (1979) ICCs; a form is None when its denominator is zero (no variation)."""

    icc1: float | None  # ICC(1,1): one-way random, single rater
    icc1k: float | None  # ICC(1,k): one-way random, mean of k raters
    icc2: float | None  # ICC(2,1): two-way random, absolute agreement
    icc2k: float | None  # ICC(2,k)
    icc3: float | None  # ICC(3,1): two-way mixed, consistency
    icc3k: float | None  # ICC(3,k)
    n: int
    k: int


def icc(matrix: Sequence[Sequence[float]]) -> IccResult:
    """All six Shrout–Fleiss ICCs of a complete n targets × k raters matrix.

    Raises ValueError for ragged rows or a missing/non-finite value. With fewer than two targets
    or raters the ANOVA has no degrees of freedom, so every form is None.
    """
    rows, n, k = _complete(matrix)
    if n < 2 or k < 2:
        return IccResult(None, None, None, None, None, None, n, k)
    big_n = n * k
    total = sum(sum(row) for row in rows)
    squares = sum(x * x for row in rows for x in row)
    columns = [sum(col) for col in zip(*rows, strict=True)]
    # Sums of squares times N, as exact integers (see _complete), so "no variation" is exactly 0.
    ss_total = big_n * squares - total * total
    ss_rows = n * sum(sum(row) ** 2 for row in rows) - total * total
    ss_cols = k * sum(c * c for c in columns) - total * total
    bms = Fraction(ss_rows, big_n * (n - 1))
    jms = Fraction(ss_cols, big_n * (k - 1))
    wms = Fraction(ss_total - ss_rows, big_n * n * (k - 1))
    ems = Fraction(ss_total - ss_rows - ss_cols, big_n * (n - 1) * (k - 1))
    return IccResult(
        icc1=_ratio_or_none(bms - wms, bms + (k - 1) * wms),
        icc1k=_ratio_or_none(bms - wms, bms),
        icc2=_ratio_or_none(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        icc2k=_ratio_or_none(bms - ems, bms + (jms - ems) / n),
        icc3=_ratio_or_none(bms - ems, bms + (k - 1) * ems),
        icc3k=_ratio_or_none(bms - ems, bms),
        n=n, k=k,
    )


def icc_oneway(rows: Sequence[Sequence[float]]) -> IccResult:
    """ICC(1,1) and ICC(1,k) when each target has k ratings from possibly different raters.

    Rater identity is meaningless here, so the two-way forms are None.
    """
    data, n, k = _complete(rows)
    if n < 2 or k < 2:
        return IccResult(None, None, None, None, None, None, n, k)
    big_n = n * k
    total = sum(sum(row) for row in data)
    squares = sum(x * x for row in data for x in row)
    ss_total = big_n * squares - total * total
    ss_rows = n * sum(sum(row) ** 2 for row in data) - total * total
    bms = Fraction(ss_rows, big_n * (n - 1))
    wms = Fraction(ss_total - ss_rows, big_n * n * (k - 1))
    return IccResult(icc1=_ratio_or_none(bms - wms, bms + (k - 1) * wms),
                     icc1k=_ratio_or_none(bms - wms, bms),
                     icc2=None, icc2k=None, icc3=None, icc3k=None, n=n, k=k)


def _complete(matrix: Sequence[Sequence[float]]) -> tuple[list[list[int]], int, int]:
    """The matrix as exact integers, all values scaled by one common denominator.

    Every float is an integer over a power of two, and the ICCs are ratios of mean squares,
    which do not change when all values are multiplied by the same constant; integer sums
    make the zero-variance cases exact (no 1e-33 "variance" from rounding).
    """
    ratios: list[list[tuple[int, int]]] = []
    width: int | None = None
    for r, row in enumerate(matrix):
        converted = []
        for value in row:
            if (value is None or isinstance(value, bool) or not isinstance(value, Real)
                    or not math.isfinite(value)):
                raise ValueError(f"row {r + 1}: every rating must be a finite number "
                                 f"(missing values are not allowed), not {value!r}")
            converted.append(Fraction(value).as_integer_ratio())
        if width is None:
            width = len(converted)
        elif len(converted) != width:
            raise ValueError(f"row {r + 1} has {len(converted)} ratings, row 1 has {width}")
        ratios.append(converted)
    scale = math.lcm(*{den for row in ratios for _, den in row})  # 1 when empty
    rows = [[num * (scale // den) for num, den in row] for row in ratios]
    return rows, len(rows), width or 0


def _ratio_or_none(numerator: Fraction, denominator: Fraction) -> float | None:
    # A negative denominator only arises for an average-measure ICC whose single-measure value
    # is below -1/(k-1); Spearman–Brown then gives numbers above 1, which mean nothing.
    if denominator <= 0:
        return None
    return float(numerator / denominator)


# -- interpretation bands -------------------------------------------------------------------

NOT_ESTIMABLE = N_("not estimable")
ALPHA_RELIABLE = N_("reliable")
ALPHA_TENTATIVE = N_("tentative")
ALPHA_UNRELIABLE = N_("unreliable")
ICC_POOR = N_("poor")
ICC_MODERATE = N_("moderate")
ICC_GOOD = N_("good")
ICC_EXCELLENT = N_("excellent")


def _shown(value: float | None, places: int) -> float | None:
    # Compare at the precision the thresholds are stated in, so a value printed as 0.800 is
    # never labelled as falling short of 0.800.
    if value is None or not math.isfinite(value):
        return None
    return round(value, places)


def alpha_band(alpha: float | None) -> str:
    """Krippendorff's guidance: ≥ .800 reliable; .667 to .800 tentative conclusions only."""
    value = _shown(alpha, 3)
    if value is None:
        return _(NOT_ESTIMABLE)
    if value >= 0.800:
        return _(ALPHA_RELIABLE)
    if value >= 0.667:
        return _(ALPHA_TENTATIVE)
    return _(ALPHA_UNRELIABLE)


def icc_band(value: float | None) -> str:
    """Koo & Li (2016): < .50 poor, .50–.75 moderate, .75–.90 good, > .90 excellent."""
    shown = _shown(value, 3)
    if shown is None:
        return _(NOT_ESTIMABLE)
    if shown < 0.50:
        return _(ICC_POOR)
    if shown < 0.75:
        return _(ICC_MODERATE)
    if shown <= 0.90:
        return _(ICC_GOOD)
    return _(ICC_EXCELLENT)
