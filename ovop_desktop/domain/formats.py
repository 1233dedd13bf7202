"""Dates, times and numbers as Indonesian (and English) official documents write them.

"18 Oktober 2024", "1.234,5" (Indonesian) · "18 October 2024", "1,234.5" (English).
Pure Python: no locale module, whose output depends on what the machine has installed.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
# (thousands separator, decimal separator, time separator): Indonesian writes 14.05 (PUEBI).
_SEPARATORS = {"id": (".", ",", "."), "en": (",", ".", ":")}
NOT_A_NUMBER = "–"  # what a NaN or infinite value prints as, rather than failing a whole PDF


def _lang(language: str) -> str:
    return language if language in _MONTHS else "id"


def _as_datetime(value: date | datetime | str) -> date | datetime:
    if isinstance(value, str):
        text = value.strip()
        try:
            # "2024-10-18" is a date; anything longer carries a time ("…T14:05:00+00:00").
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not an ISO date: {value!r}") from None
    if isinstance(value, date):
        return value
    raise TypeError(f"not a date: {value!r}")


def format_date(value: date | datetime | str, language: str = "id") -> str:
    """"18 Oktober 2024" / "18 October 2024" from a date, a datetime or an ISO string.

    An aware datetime is shown on the local calendar day (as format_datetime would).
    """
    d = _as_datetime(value)
    if isinstance(d, datetime) and d.tzinfo is not None:
        d = d.astimezone()
    return f"{d.day} {_MONTHS[_lang(language)][d.month - 1]} {d.year}"


def format_datetime(value: datetime | str, language: str = "id", *,
                    tz: tzinfo | None = None) -> str:
    """"18 Oktober 2024 14.05 UTC+7" / "18 October 2024 14:05 UTC+7".

    Stored timestamps are UTC; an aware value is shown in `tz` (default: this computer's
    zone) with its offset, so a printed receipt says unambiguously when. A naive value is
    shown as it is, without an offset.
    """
    d = _as_datetime(value)
    if not isinstance(d, datetime):
        return format_date(d, language)
    lang = _lang(language)
    if d.tzinfo is not None:
        d = d.astimezone(tz)
    clock = f"{d.hour:02d}{_SEPARATORS[lang][2]}{d.minute:02d}"
    text = f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year} {clock}"
    offset = d.utcoffset()
    return text if offset is None else f"{text} {_utc_offset(offset, lang)}"


def _utc_offset(offset: timedelta, lang: str) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f"{_SEPARATORS[lang][2]}{rest:02d}" if rest else "")


def format_number(value: float | int | Decimal, decimals: int = 1, language: str = "id") -> str:
    """"1.234,5" / "1,234.5", rounded half up (80,25 → 80,3), as people round on paper.

    Rounding is for display only: never compare a printed total with a threshold.
    """
    if decimals < 0:
        raise ValueError("decimals must be 0 or more")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        return NOT_A_NUMBER
    # str() first: Decimal(0.1) would expose the binary fraction (0.1000000000000000055…).
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        return NOT_A_NUMBER
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    thousands, point, _time = _SEPARATORS[_lang(language)]
    sign = "-" if rounded < 0 else ""
    digits = f"{abs(rounded):.{decimals}f}"
    whole, _dot, fraction = digits.partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    if sign and not any(c not in "0" for c in whole + fraction):
        sign = ""  # -0,0 reads like a mistake
    return sign + grouped + (point + fraction if decimals else "")
