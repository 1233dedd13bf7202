"""Small pieces the Results page's tabs share: labels and messages."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.ui.models.results_models import commodity_label
from ovop_desktop.ui.views.results_charts import number

__all__ = ["CENTRE", "DASH", "RIGHT", "commodity_label", "error_text", "sort_number", "star_text",
           "total_text"]

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter
DASH = "—"


def star_text(star: int | None) -> str:
    if star is None:
        return DASH
    return _("No star") if star == 0 else f"{star}★"


def total_text(total: float | None) -> str:
    return DASH if total is None else number(total, 1)


def sort_number(value: float | int | None) -> float:
    return float("-inf") if value is None else float(value)


def error_text(exc: BaseException) -> str:
    """A readable one-paragraph message for an error shown inside a tab."""
    if isinstance(exc, ValidationError) and exc.problems:
        return exc.message + " " + " ".join(exc.problems)
    if isinstance(exc, UserFacingError):
        return exc.message
    return _("Something went wrong inside OVOP Desktop. Your saved data is safe.") + \
        f" ({type(exc).__name__}: {exc})"
