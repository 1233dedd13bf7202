"""Results for a round: aggregation over the current bundles, moderation, the progress
board, the Go Global curation — computed by the pure functions in domain/results."""

from __future__ import annotations

import gc
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from ovop_desktop.data import audit, candidate_repo
from ovop_desktop.data import repositories as repo
from ovop_desktop.data import results_repo as rr
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import AssessorRow, CandidateRow, CurationRow, ModerationRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.domain.reliability import alpha_band, icc_oneway, krippendorff_alpha
from ovop_desktop.domain.results import (
    CandidateInfo,
    CandidateResult,
    Method,
    Results,
    compute,
    overall_order,
    own_totals,
    rank_key,
)
from ovop_desktop.domain.rounds import Round
from ovop_desktop.domain.rubric import LEVELS, Rubric, rubric_from_dict
from ovop_desktop.errors import NotFoundError, UserFacingError, ValidationError
from ovop_desktop.i18n import _

MAX_REASON = 2000
MAX_NOTE = 4000


class CandidateFacts(NamedTuple):
    """What the results screens and exports show about a candidate besides its scores
    (a NamedTuple: a national round builds 10,000 of these per computation)."""

    id: int
    uid: str
    name: str
    owner: str
    commodity: str
    product: str
    sentra: str
    region_code: str
    regency: str
    province: str
    kind: str
    previous_star: int | None
    previous_year: int | None
    workforce: int | None
    capacity: str
    markets: str
    export_history: str
    documents: str


@dataclass(frozen=True)
class AssessorFacts:
    id: int
    name: str
    institution: str


@dataclass(frozen=True)
class ResultsReport:
    """One consistent reading of a round's results (one read transaction)."""

    round: Round
    results: Results
    candidates: dict[int, CandidateFacts]
    assessors: dict[int, AssessorFacts]
    rubrics: dict[str, Rubric]
    bundles: tuple[rr.CurrentBundle, ...]
    audit_head: str
    excluded_conflicts: int = 0

    def rows(self, commodity: str | None = None) -> list[CandidateResult]:
        """Per commodity (round order), ranked first, then the unranked by name."""
        order = {c.commodity.value: i for i, c in enumerate(self.round.commodities)}
        rows = [r for r in self.results.candidates
                if commodity is None or r.commodity == commodity]
        return sorted(rows, key=lambda r: (
            order.get(r.commodity, 99), r.rank is None, r.rank or 0,
            self.candidates[r.candidate_id].name.casefold(), r.candidate_id))

    def overall_ranks(self) -> dict[int, int]:
        """Rank across all commodities by total (then the tie-break aspects); classified
        candidates only, equal keys sharing a rank."""
        tie_break = self.results.method.tie_break
        ranks: dict[int, int] = {}
        previous, rank = None, 0
        for position, r in enumerate(overall_order(self.results.candidates, tie_break), 1):
            key = rank_key(r, tie_break)
            if key != previous:
                rank, previous = position, key
            ranks[r.candidate_id] = rank
        return ranks

    def criterion_name(self, commodity: str, criterion_id: str, language: str) -> str:
        rubric = self.rubrics.get(commodity)
        if rubric is not None:
            for _aspect, c in rubric.criteria():
                if c.id == criterion_id:
                    return c.name.get(language)
        return criterion_id


@dataclass(frozen=True)
class ModerationEntry:
    criterion_id: str
    level: int | None
    reason: str
    actor: str
    ts: str


@dataclass(frozen=True)
class EvidencePhoto:
    """A photo an assessor attached, read back from the kept bundle file."""

    assessor_id: int
    criterion_id: str   # "" = the visit as a whole
    sha256: str
    kind: str           # jpg | png
    data: bytes


@dataclass(frozen=True)
class CandidateDetail:
    result: CandidateResult
    facts: CandidateFacts
    sheets: tuple[rr.SheetDetail, ...]     # every received sheet, finished or not
    excluded: tuple[int, ...]              # assessors whose scores do not count (conflict)
    moderation: tuple[ModerationEntry, ...]
    excluded_reasons: dict[int, str] = field(default_factory=dict)  # assessor → why
    photos: tuple[EvidencePhoto, ...] = ()


@dataclass(frozen=True)
class AssessorProgress:
    assessor: AssessorFacts
    bundles: int
    last_seq: int | None
    last_import: str | None
    assigned: int
    finished: int
    in_progress: int
    missing: tuple[int, ...]  # assigned candidates without a finished sheet


@dataclass(frozen=True)
class CandidateProgress:
    candidate_id: int
    assigned: tuple[int, ...]
    finished: tuple[int, ...]
    missing: tuple[int, ...]


@dataclass(frozen=True)
class ProgressBoard:
    assessors: tuple[AssessorProgress, ...]
    candidates: tuple[CandidateProgress, ...]
    names: dict[int, str] = field(default_factory=dict)  # candidate id → name


@dataclass(frozen=True)
class ReliabilityRow:
    commodity: str
    criterion_id: str          # "" for the commodity as a whole
    units: int                 # candidate × criterion pairs with at least two levels
    alpha_ordinal: float | None
    alpha_interval: float | None
    icc1: float | None         # ICC(1,1) on the assessors' own totals (commodity rows)
    icc1k: float | None        # ICC(1,k): the reliability of the mean of k assessors
    k: int                     # assessors per candidate used for the ICC (0: not estimable)
    band: str                  # interpretation of alpha_ordinal


@dataclass(frozen=True)
class ReliabilityReport:
    rows: tuple[ReliabilityRow, ...]


@dataclass(frozen=True)
class ShortlistEntry:
    result: CandidateResult
    facts: CandidateFacts
    selected: bool
    note: str
    updated_by: str
    updated_at: str



class SheetNotes(NamedTuple):
    """One assessor's notes on one candidate: the sheet's note and criterion → note."""

    note: str
    criteria: dict[str, str]


def method_of(round_: Round) -> Method:
    return Method(min_assessors=round_.min_assessors, tie_break=round_.tie_break,
                  spread_flag=round_.spread_flag)


class ResultsService:
    def __init__(self, store: Store, actor: Callable[[], str],
                 regions: Callable[[], RegionRegistry], bundles_dir: Path | None = None) -> None:
        self._store = store
        self._actor = actor
        self._regions = regions
        self._bundles_dir = bundles_dir

    # -- computing ------------------------------------------------------------------------

    def report(self, round_id: int) -> ResultsReport:
        with _collector_paused():
            return self._report(round_id)

    def _report(self, round_id: int) -> ResultsReport:
        with self._store.read() as s:
            round_ = repo.get_round(s, round_id)
            if round_ is None:
                raise NotFoundError(_("There is no round with id {id}.").format(id=round_id))
            rubrics = {rc.commodity.value: rubric_from_dict(_rubric_doc(s, rc.rubric_id))
                       for rc in round_.commodities}
            bundles = rr.current_bundles(s, round_id)
            rows = rr.round_candidates(s, round_id, [b.id for b in bundles])
            scores = rr.finished_scores(s, bundles)
            conflicted = rr.conflicted_pairs(
                s, {(a, c) for c, per in scores.items() for a in per})
            for a, c in conflicted:
                scores[c].pop(a, None)
            moderation = rr.current_moderation(s, round_id)
            assessors = _assessors(s, None)  # a few dozen: all, rather than who is assigned
            head = audit.head(s)
        facts, infos = _facts(rows, _RegionNames(self._regions()))
        results = compute(infos, rubrics, scores, round_.thresholds, method_of(round_),
                          moderation)
        return ResultsReport(round_, results, facts, assessors, rubrics, tuple(bundles), head,
                             len(conflicted))

    def detail(self, round_id: int, candidate_id: int,
               report: ResultsReport | None = None) -> CandidateDetail:
        report = report or self.report(round_id)
        result = report.results.by_id().get(candidate_id)
        if result is None:
            raise NotFoundError(_("Candidate {id} has no results in this round.").format(
                id=candidate_id))
        with self._store.read() as s:
            sheets = rr.sheets_for(s, list(report.bundles), candidate_id)
            conflicted = rr.conflicted_pairs(s, {(sh.assessor_id, candidate_id) for sh in sheets})
            history = [ModerationEntry(m.criterion_id, m.level, m.reason, m.actor, m.ts)
                       for m in rr.moderation_history(s, candidate_id)]
        return CandidateDetail(result, report.candidates[candidate_id], tuple(sheets),
                               tuple(sorted(a for a, _c in conflicted)), tuple(history),
                               {a: why for (a, _c), why in conflicted.items()},
                               tuple(self.photos(report, candidate_id)))

    def notes(self, report: ResultsReport) -> dict[int, dict[int, SheetNotes]]:
        """candidate → assessor → the notes of the report's current bundles, in one read.

        For printing a thousand scorecards without a detail() each. Every received sheet
        is included (the caller keeps the assessors whose scores count); sheets without
        any note are left out.
        """
        from ovop_desktop.data.models import ReceivedScoreRow, ReceivedSheetRow

        by_bundle = {b.id: b.assessor_id for b in report.bundles}
        out: dict[int, dict[int, SheetNotes]] = {}
        if not by_bundle:
            return out

        def sheet(candidate: int, bundle: int) -> SheetNotes:
            per = out.setdefault(candidate, {})
            found = per.get(by_bundle[bundle])
            if found is None:
                found = per[by_bundle[bundle]] = SheetNotes("", {})
            return found

        with self._store.read() as s:
            for b, c, note in s.execute(select(
                    ReceivedSheetRow.bundle_id, ReceivedSheetRow.candidate_id,
                    ReceivedSheetRow.note).where(ReceivedSheetRow.bundle_id.in_(list(by_bundle)),
                                                 ReceivedSheetRow.note != "")):
                out.setdefault(c, {})[by_bundle[b]] = SheetNotes(note, {})
            for b, c, k, note in s.execute(select(
                    ReceivedScoreRow.bundle_id, ReceivedScoreRow.candidate_id,
                    ReceivedScoreRow.criterion_id, ReceivedScoreRow.note).where(
                    ReceivedScoreRow.bundle_id.in_(list(by_bundle)),
                    ReceivedScoreRow.note != "")):
                sheet(c, b).criteria[k] = note
        return out

    def reliability(self, report: ResultsReport) -> ReliabilityReport:
        """Krippendorff's alpha per commodity and criterion (levels are ordinal; interval
        shown beside), and ICC(1) on the assessors' own totals where every candidate in
        the analysis has the same number k of assessors (the most common k ≥ 2)."""
        rows = []
        for rc in report.round.commodities:
            commodity = rc.commodity.value
            rubric = report.rubrics[commodity]
            results = [r for r in report.results.candidates
                       if r.commodity == commodity and len(r.assessors) >= 2]
            per_criterion: dict[str, list[list[float]]] = {
                c.id: [] for _a, c in rubric.criteria()}
            for r in results:
                for c in r.criteria:
                    if len(c.levels) >= 2 and c.criterion_id in per_criterion:
                        per_criterion[c.criterion_id].append(
                            [float(v) for v in c.levels.values()])
            units = [u for group in per_criterion.values() for u in group]
            totals = [list(own_totals(r, rubric).values()) for r in results]
            counts = Counter(len(t) for t in totals if len(t) >= 2)
            k = max(counts, key=lambda n: (counts[n], n)) if counts else 0
            icc = icc_oneway([t for t in totals if len(t) == k]) if k and counts[k] >= 2 \
                else None
            ordinal = krippendorff_alpha(units, "ordinal")
            rows.append(ReliabilityRow(
                commodity, "", len(units), ordinal, krippendorff_alpha(units, "interval"),
                icc.icc1 if icc else None, icc.icc1k if icc else None,
                k if icc else 0, alpha_band(ordinal)))
            for criterion_id, group in per_criterion.items():
                ordinal = krippendorff_alpha(group, "ordinal")
                rows.append(ReliabilityRow(
                    commodity, criterion_id, len(group), ordinal,
                    krippendorff_alpha(group, "interval"), None, None, 0, alpha_band(ordinal)))
        return ReliabilityReport(tuple(rows))

    # -- exports -----------------------------------------------------------------------

    def export(self, report: ResultsReport, path: Path, key: Ed25519PrivateKey) -> Path:
        """Results as .xlsx/.csv/.json with a receipt signed by `key`; returns the receipt."""
        from ovop_desktop.services.results_export import export_results

        return export_results(report, Path(path), key, self._actor())

    def export_shortlist(self, round_id: int, path: Path) -> None:
        from ovop_desktop.services.results_export import export_shortlist

        export_shortlist(self.shortlist(round_id), Path(path))

    def photos(self, report: ResultsReport, candidate_id: int) -> list[EvidencePhoto]:
        """The evidence photos of a candidate in the assessors' current bundles.

        Read from the bundle files kept at import (content-addressed): a file whose bytes
        no longer hash to its name, or a photo that does not hash to its own name, is
        skipped — what is shown is exactly what was verified on import.
        """
        if self._bundles_dir is None or candidate_id not in report.candidates:
            return []
        uid = report.candidates[candidate_id].uid
        with self._store.read() as s:
            files = rr.bundle_files(s, [b.id for b in report.bundles])
        out: list[EvidencePhoto] = []
        for bundle in report.bundles:
            out.extend(_photos_in(self._bundles_dir / f"{files.get(bundle.id, '')}.zip",
                                  files.get(bundle.id, ""), uid, bundle.assessor_id))
        return out

    # -- moderation -----------------------------------------------------------------------

    def moderate(self, candidate_id: int, criterion_id: str, level: int | None,
                 reason: str) -> None:
        """Set (or, with level None, withdraw) the panel's level for one criterion."""
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationError(_("Give the reason for the moderation (the panel's "
                                    "decision)."))
        if len(reason) > MAX_REASON:
            raise ValidationError(_("The reason is too long (at most {n} characters).").format(
                n=MAX_REASON))
        if level is not None and level not in LEVELS:
            raise ValidationError(_("Level {level} is not a level: use 1, 2 or 3.").format(
                level=level))
        with self._store.write() as s:
            candidate = candidate_repo.require(s, candidate_id)
            round_ = repo.get_round(s, candidate.round_id)
            if round_ is None or not round_.editable:
                raise UserFacingError(_("The round is closed; its results can no longer be "
                                        "moderated."))
            link = next((rc for rc in round_.commodities
                         if rc.commodity.value == candidate.commodity), None)
            rubric = rubric_from_dict(_rubric_doc(s, link.rubric_id)) if link else None
            if rubric is None or criterion_id not in {c.id for _a, c in rubric.criteria()}:
                raise ValidationError(_("{criterion} is not a criterion of the {commodity} "
                                        "rubric.").format(criterion=criterion_id,
                                                          commodity=candidate.commodity))
            current = rr.current_moderation(s, candidate.round_id).get(
                (candidate_id, criterion_id))
            if level is None and current is None:
                raise UserFacingError(_("{criterion} of this candidate is not moderated.")
                                      .format(criterion=criterion_id))
            row = ModerationRow(candidate_id=candidate_id, criterion_id=criterion_id,
                                level=level, reason=reason, actor=self._actor(), ts=now_iso())
            s.add(row)
            s.flush()
            audit.append(s, row.actor, "results.moderate" if level else "results.unmoderate",
                         "candidate", candidate_id,
                         {"criterion": criterion_id, "old": current, "new": level,
                          "reason": reason})

    # -- progress -------------------------------------------------------------------------

    def progress(self, round_id: int) -> ProgressBoard:
        with self._store.read() as s:
            bundles = rr.current_bundles(s, round_id)
            teams = rr.assignments(s, round_id)
            statuses = rr.sheet_statuses(s, bundles)
            counts = rr.bundle_counts(s, round_id)
            assessors = _assessors(s, None)  # every enrolled assessor, even without work yet
            names = {c: n for c, n in s.execute(_names_query(round_id))}
        per_assessor = []
        for a in sorted(assessors.values(), key=lambda x: x.name.casefold()):
            mine = sorted(c for c, team in teams.items() if a.id in team)
            finished = [c for c in mine if statuses.get((a.id, c)) == rr.FINISHED]
            started = [c for c in mine if (a.id, c) in statuses and c not in finished]
            n, seq, last = counts.get(a.id, (0, None, None))
            per_assessor.append(AssessorProgress(
                a, n, seq, last, len(mine), len(finished), len(started),
                tuple(c for c in mine if c not in finished)))
        per_candidate = []
        for c in sorted(teams, key=lambda c: (names.get(c, "").casefold(), c)):
            team = tuple(sorted(teams[c]))
            done = tuple(a for a in team if statuses.get((a, c)) == rr.FINISHED)
            per_candidate.append(CandidateProgress(c, team, done,
                                                   tuple(a for a in team if a not in done)))
        return ProgressBoard(tuple(per_assessor), tuple(per_candidate), names)

    # -- Go Global ------------------------------------------------------------------------

    def shortlist(self, round_id: int, report: ResultsReport | None = None
                  ) -> list[ShortlistEntry]:
        """Candidates classified 3★ or 2★, best first, with their curation state."""
        report = report or self.report(round_id)
        with self._store.read() as s:
            curation = rr.curation(s, round_id)
        out = []
        for r in report.rows():
            if r.star not in (2, 3):
                continue
            cur = curation.get(r.candidate_id)
            out.append(ShortlistEntry(r, report.candidates[r.candidate_id],
                                      bool(cur and cur.selected), cur.note if cur else "",
                                      cur.updated_by if cur else "",
                                      cur.updated_at if cur else ""))
        out.sort(key=lambda e: (-(e.result.star or 0), -(e.result.total or 0.0),
                                e.facts.name.casefold()))
        return out

    def curate(self, candidate_id: int, selected: bool, note: str) -> None:
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise ValidationError(_("The note is too long (at most {n} characters).").format(
                n=MAX_NOTE))
        with self._store.write() as s:
            candidate_repo.require(s, candidate_id)
            row = s.get(CurationRow, candidate_id)
            old = {"selected": bool(row.selected), "note": row.note} if row else None
            if row is None:
                row = CurationRow(candidate_id=candidate_id)
                s.add(row)
            row.selected, row.note = int(selected), note
            row.updated_by, row.updated_at = self._actor(), now_iso()
            audit.append(s, row.updated_by, "goglobal.curate",
                         "candidate", candidate_id,
                         {"old": old, "new": {"selected": selected, "note": note}})

def _facts(rows: Iterable[Sequence[Any]], names: _RegionNames
           ) -> tuple[dict[int, CandidateFacts], list[CandidateInfo]]:
    """Facts and aggregation inputs from rr.round_candidates rows (unpacked by position in
    rr.FACT_FIELDS order: 10,000 rows read by attribute name would cost 40 ms)."""
    facts, infos = {}, []
    of, make = names.of, CandidateFacts._make
    for (id_, uid, name, owner, commodity, product, sentra, code, kind, previous, year,
         workforce, capacity, markets, exports, documents) in rows:
        regency, province = of(code)
        facts[id_] = make((id_, uid, name, owner, commodity, product, sentra, code, regency,
                           province, kind, previous, year, workforce, capacity, markets,
                           exports, documents))
        infos.append(CandidateInfo(id_, commodity, code[:2],
                                   previous if kind == "reevaluation" else None))
    return facts, infos


class _RegionNames:
    """kab/kota and province names by code, looked up once per code (514, not 10,000)."""

    def __init__(self, regions: RegionRegistry) -> None:
        self._regions = regions
        self._cache: dict[str, tuple[str, str]] = {}

    def of(self, code: str) -> tuple[str, str]:
        found = self._cache.get(code)
        if found is None:
            regency = self._regions.regency(code)
            province = self._regions.province(code[:2])
            found = self._cache[code] = (regency.name if regency else code,
                                         province.name if province else code[:2])
        return found


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Computing a national round allocates ~1M short-lived objects; the cyclic collector's
    passes over the long-lived ones would add a fifth to the time. (In the GUI automatic
    collection is already off — ui/gc_guard.py — and this does nothing.)"""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_MAX_BUNDLE_BYTES = 200_000_000
_MAX_PHOTO_BYTES = 25_000_000


def _photos_in(path: Path, digest: str, uid: str, assessor_id: int) -> list[EvidencePhoto]:
    import hashlib
    import zipfile

    try:
        data = path.read_bytes() if path.stat().st_size <= _MAX_BUNDLE_BYTES else b""
    except OSError:
        return []
    if not digest or hashlib.sha256(data).hexdigest() != digest:
        return []
    out = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            doc = json.loads(zf.read("scores.json"))
            sheets = doc.get("sheets", []) if isinstance(doc, dict) else []
            for sheet in sheets:
                if not isinstance(sheet, dict) or sheet.get("candidate") != uid:
                    continue
                for photo in sheet.get("photos") or []:
                    sha, kind = str(photo.get("sha256", "")), str(photo.get("kind", ""))
                    info = zf.getinfo(f"photos/{sha}.{kind}")
                    if info.file_size > _MAX_PHOTO_BYTES:
                        continue
                    raw = zf.read(info)
                    if hashlib.sha256(raw).hexdigest() == sha:
                        out.append(EvidencePhoto(assessor_id, str(photo.get("criterion") or ""),
                                                 sha, kind, raw))
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, OSError):
        return out
    return out


def _rubric_doc(s, rubric_id: int) -> object:  # type: ignore[no-untyped-def]
    row = repo.rubric_row(s, rubric_id)
    return json.loads(row.content)


def _assessors(s, ids: set[int] | None) -> dict[int, AssessorFacts]:  # type: ignore[no-untyped-def]
    query = select(AssessorRow.id, AssessorRow.name, AssessorRow.institution)
    if ids is not None:
        query = query.where(AssessorRow.id.in_(ids))
    rows = s.execute(query)
    return {a: AssessorFacts(a, name, inst) for a, name, inst in rows}


def _names_query(round_id: int):  # type: ignore[no-untyped-def]
    return select(CandidateRow.id, CandidateRow.name).where(CandidateRow.round_id == round_id)

