"""Round rules that need no database: star thresholds, field checks, statuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ovop_desktop.domain.rounds import (
    MAX_YEAR,
    MIN_YEAR,
    Round,
    RoundStatus,
    Thresholds,
    check_round_fields,
    parse_thresholds,
)
from ovop_desktop.errors import ValidationError


def test_default_thresholds_are_80_65_50() -> None:
    t = Thresholds()
    assert (t.three, t.two, t.one) == (80, 65, 50)
    assert t.problems() == []
    assert t.as_text() == "80,65,50"


@pytest.mark.parametrize("total, stars", [
    (100, 3), (80, 3), (79.99, 2), (65, 2), (64.99, 1), (50, 1), (49.9, 0), (0, 0),
])
def test_star_for_boundaries(total: float, stars: int) -> None:
    assert Thresholds().star_for(total) == stars


def test_star_for_uses_the_round_s_own_thresholds() -> None:
    t = Thresholds(90, 70, 40)
    assert [t.star_for(x) for x in (90, 89, 70, 69, 40, 39)] == [3, 2, 2, 1, 1, 0]


@given(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False))
def test_a_higher_total_never_earns_fewer_stars(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert Thresholds().star_for(lo) <= Thresholds().star_for(hi)


@pytest.mark.parametrize("values", [
    (80, 80, 50), (80, 65, 65), (50, 65, 80), (101, 65, 50), (80, 65, 0), (80, 65, -5),
])
def test_thresholds_must_rise_and_stay_within_100(values: tuple[int, int, int]) -> None:
    assert Thresholds(*values).problems() != []


@pytest.mark.parametrize("values", [(100, 99, 1), (3, 2, 1), (85, 70, 55)])
def test_valid_thresholds(values: tuple[int, int, int]) -> None:
    assert Thresholds(*values).problems() == []


@pytest.mark.parametrize("text, expected", [
    ("80,65,50", Thresholds(80, 65, 50)), (" 85 , 70 , 55 ", Thresholds(85, 70, 55)),
    ("90;75;60", Thresholds(90, 75, 60)),
])
def test_parse_thresholds(text: str, expected: Thresholds) -> None:
    assert parse_thresholds(text) == expected


@pytest.mark.parametrize("text", [
    "", "80,65", "80,65,50,40", "a,b,c", "80.5,65,50", "50,65,80", "101,65,50", "80,,50",
])
def test_parse_thresholds_refuses(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_thresholds(text)


@pytest.mark.parametrize("year, name", [
    (MIN_YEAR - 1, "Penghargaan"), (MAX_YEAR + 1, "Penghargaan"), (2024, ""), (2024, "   "),
    (2024, "x" * 201),
])
def test_check_round_fields_refuses(year: int, name: str) -> None:
    assert check_round_fields(year, name) != []


@pytest.mark.parametrize("year", [MIN_YEAR, 2022, 2024, MAX_YEAR])
def test_check_round_fields_accepts(year: int) -> None:
    assert check_round_fields(year, "Penghargaan OVOP") == []


def test_only_a_closed_round_is_not_editable() -> None:
    def make(status: RoundStatus) -> Round:
        return Round(1, 2024, "R", status, Thresholds(), (), "2024-01-01T00:00:00+00:00")

    assert make(RoundStatus.SETUP).editable
    assert make(RoundStatus.OPEN).editable
    assert not make(RoundStatus.CLOSED).editable


def test_status_labels_are_text() -> None:
    assert all(isinstance(s.label, str) and s.label for s in RoundStatus)
