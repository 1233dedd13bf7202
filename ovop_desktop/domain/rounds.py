"""Assessment rounds: year, name, commodities with their rubric versions, star thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import N_, _

MIN_YEAR, MAX_YEAR = 2000, 2100


class RoundStatus(StrEnum):
    """Setup → open (visits and scoring) → closed (results final; nothing editable)."""

    SETUP = "setup"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {
    RoundStatus.SETUP: N_("In preparation"),
    RoundStatus.OPEN: N_("Open"),
    RoundStatus.CLOSED: N_("Closed"),
}


@dataclass(frozen=True)
class Thresholds:
    """Minimum total (0–100) for 3, 2 and 1 star; below `one` there is no star."""

    three: int = 80
    two: int = 65
    one: int = 50

    def problems(self) -> list[str]:
        if not 0 < self.one < self.two < self.three <= 100:
            return [_("Star thresholds must rise: 0 < 1★ < 2★ < 3★ ≤ 100 "
                      "(given 3★ {three}, 2★ {two}, 1★ {one}).").format(
                three=self.three, two=self.two, one=self.one)]
        return []

    def star_for(self, total: float) -> int:
        """The star class a 0–100 total earns (0 means no star)."""
        for stars, minimum in ((3, self.three), (2, self.two), (1, self.one)):
            if total >= minimum:
                return stars
        return 0

    def as_text(self) -> str:
        return f"{self.three},{self.two},{self.one}"


def parse_thresholds(text: str) -> Thresholds:
    """'80,65,50' (3★, 2★, 1★) → Thresholds, or ValidationError."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    try:
        values = [int(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != 3:
        raise ValidationError(
            _("Thresholds are three whole numbers for 3★, 2★ and 1★, e.g. 80,65,50."))
    thresholds = Thresholds(*values)
    problems = thresholds.problems()
    if problems:
        raise ValidationError(problems[0])
    return thresholds


@dataclass(frozen=True)
class RoundCommodity:
    commodity: Commodity
    rubric_id: int
    rubric_version: int
    rubric_sha256: str
    rubric_frozen: bool


@dataclass(frozen=True)
class Round:
    id: int
    year: int
    name: str
    status: RoundStatus
    thresholds: Thresholds
    commodities: tuple[RoundCommodity, ...]
    created_at: str
    uid: str = ""  # the same on every laptop that holds this round (packages, bundles)
    # The results method declared for the round (see domain/results.Method).
    min_assessors: int = 2
    tie_break: tuple[str, ...] = ("C", "B", "A")
    spread_flag: int = 2

    @property
    def editable(self) -> bool:
        return self.status is not RoundStatus.CLOSED


def check_round_fields(year: int, name: str) -> list[str]:
    problems = []
    if not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(
            _("The year must be between {lo} and {hi}.").format(lo=MIN_YEAR, hi=MAX_YEAR))
    if not name.strip():
        problems.append(_("A round needs a name."))
    elif len(name) > 200:
        problems.append(_("The round name is too long (200 characters at most)."))
    return problems
