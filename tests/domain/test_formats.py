"""Dates and numbers as official Indonesian (and English) documents write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from ovop_desktop.domain.formats import format_date, format_datetime, format_number

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(("value", "language", "expected"), [
    (date(2024, 10, 18), "id", "18 Oktober 2024"),
    (date(2024, 10, 18), "en", "18 October 2024"),
    ("2024-08-01", "id", "1 Agustus 2024"),
    ("2024-02-29", "en", "29 February 2024"),
    (date(2024, 5, 3), "id", "3 Mei 2024"),
    (date(2024, 12, 31), "xx", "31 Desember 2024"),  # unknown language: Indonesian
])
def test_dates(value: date | str, language: str, expected: str) -> None:
    assert format_date(value, language) == expected


def test_every_month_is_named_in_both_languages() -> None:
    indonesian = [format_date(date(2024, m, 1), "id").split()[1] for m in range(1, 13)]
    assert indonesian == ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                          "Agustus", "September", "Oktober", "November", "Desember"]
    assert format_date(date(2024, 6, 1), "en") == "1 June 2024"


def test_an_aware_timestamp_is_shown_on_the_local_day() -> None:
    late = datetime(2024, 10, 17, 20, 30, tzinfo=UTC)  # already the 18th in Jakarta
    assert format_datetime(late, "id", tz=WIB) == "18 Oktober 2024 03.30 UTC+7"
    assert format_datetime(late, "en", tz=WIB) == "18 October 2024 03:30 UTC+7"
    assert format_datetime("2024-10-18T07:05:00+00:00", "id", tz=WIB) == \
        "18 Oktober 2024 14.05 UTC+7"
    india = timezone(timedelta(hours=5, minutes=30))
    assert format_datetime(late, "en", tz=india).endswith("02:00 UTC+5:30")


def test_a_naive_timestamp_is_shown_as_it_is_and_a_date_has_no_time() -> None:
    assert format_datetime(datetime(2024, 10, 18, 9, 0), "id") == "18 Oktober 2024 09.00"
    assert format_datetime("2024-10-18", "en") == "18 October 2024"


def test_bad_dates_are_refused() -> None:
    with pytest.raises(ValueError):
        format_date("18/10/2024", "id")
    with pytest.raises(TypeError):
        format_date(20241018, "id")  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "decimals", "language", "expected"), [
    (1234.5, 1, "id", "1.234,5"),
    (1234.5, 1, "en", "1,234.5"),
    (1234567.891, 2, "id", "1.234.567,89"),
    (80, 1, "id", "80,0"),
    (80.25, 1, "id", "80,3"),  # half up, as on paper (Python's round() would give 80,2)
    (0.05, 1, "en", "0.1"),
    (Decimal("65.45"), 1, "id", "65,5"),
    (-1234.5, 1, "id", "-1.234,5"),
    (-0.04, 1, "id", "0,0"),  # never "-0,0"
    (999.96, 1, "en", "1,000.0"),
    (1234.5, 0, "id", "1.235"),
    (12, 0, "en", "12"),
])
def test_numbers(value: float, decimals: int, language: str, expected: str) -> None:
    assert format_number(value, decimals, language) == expected


def test_numbers_that_cannot_be_shown() -> None:
    assert format_number(float("nan"), 1, "id") == "–"
    assert format_number(float("inf"), 1, "en") == "–"
    with pytest.raises(TypeError):
        format_number(True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number("12")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        format_number(1.0, -1)
