"""Administrative screening: each required document present, missing or invalid → pass/fail."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.i18n import N_, _


class DocStatus(StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {DocStatus.PRESENT: N_("present"), DocStatus.MISSING: N_("missing"),
                  DocStatus.INVALID: N_("invalid")}


class Decision(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return _(_DECISION_LABELS[self])


_DECISION_LABELS = {Decision.PENDING: N_("Not yet screened"), Decision.PASSED: N_("Passed"),
                    Decision.FAILED: N_("Failed")}


@dataclass(frozen=True)
class DocumentCheck:
    document: Document
    status: DocStatus
    note: str = ""
    checked_by: str = ""
    checked_at: str = ""


@dataclass(frozen=True)
class ScreeningResult:
    decision: Decision
    missing: tuple[Document, ...] = ()
    invalid: tuple[Document, ...] = ()
    unchecked: tuple[Document, ...] = ()

    def reasons(self) -> list[str]:
        """Why it failed (or what is still open), one sentence per document."""
        return ([_("{doc} is missing").format(doc=d.label) for d in self.missing]
                + [_("{doc} is invalid").format(doc=d.label) for d in self.invalid]
                + [_("{doc} not checked yet").format(doc=d.label) for d in self.unchecked])


def decide(required: Iterable[Document],
           checks: Mapping[Document, DocumentCheck]) -> ScreeningResult:
    """Fail on any required document missing or invalid; pass only when all are present."""
    required = tuple(required)
    missing = tuple(d for d in required if d in checks and checks[d].status is DocStatus.MISSING)
    invalid = tuple(d for d in required if d in checks and checks[d].status is DocStatus.INVALID)
    unchecked = tuple(d for d in required if d not in checks)
    if missing or invalid:
        decision = Decision.FAILED
    elif unchecked:
        decision = Decision.PENDING
    else:
        decision = Decision.PASSED
    return ScreeningResult(decision, missing, invalid, unchecked)


@dataclass(frozen=True)
class Tally:
    total: int = 0
    passed: int = 0
    failed: int = 0
    pending: int = 0

    def add(self, decision: Decision) -> Tally:
        return Tally(self.total + 1, self.passed + (decision is Decision.PASSED),
                     self.failed + (decision is Decision.FAILED),
                     self.pending + (decision is Decision.PENDING))


@dataclass(frozen=True)
class ScreeningSummary:
    """The figures the ministry reports: proposals, provinces, passed, failed by reason…"""

    proposals: Tally
    reevaluations: Tally
    provinces: int
    failed_by_document: dict[Document, int] = field(default_factory=dict)
    by_commodity: dict[Commodity, Tally] = field(default_factory=dict)
    by_province: dict[str, Tally] = field(default_factory=dict)


def summarise(rows: Iterable[tuple[Commodity, str, bool, ScreeningResult]]) -> ScreeningSummary:
    """rows: (commodity, province code, is re-evaluation, result) per candidate."""
    proposals, reevaluations = Tally(), Tally()
    by_commodity: dict[Commodity, Tally] = {}
    by_province: dict[str, Tally] = {}
    failed_by: Counter[Document] = Counter()
    provinces: set[str] = set()
    for commodity, province, reevaluation, result in rows:
        if reevaluation:
            reevaluations = reevaluations.add(result.decision)
        else:
            proposals = proposals.add(result.decision)
            provinces.add(province)
        by_commodity[commodity] = by_commodity.get(commodity, Tally()).add(result.decision)
        by_province[province] = by_province.get(province, Tally()).add(result.decision)
        failed_by.update(result.missing + result.invalid)
    order = {c: i for i, c in enumerate(Commodity)}
    return ScreeningSummary(
        proposals=proposals, reevaluations=reevaluations, provinces=len(provinces),
        failed_by_document=dict(failed_by.most_common()),
        by_commodity=dict(sorted(by_commodity.items(), key=lambda kv: order[kv[0]])),
        by_province=dict(sorted(by_province.items())),
    )
