"""The assessor's scores: one level (1–3) per criterion per candidate, and the sheet status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from ovop_desktop.data import audit, candidate_repo
from ovop_desktop.data.conflicts import conflict_in
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import (
    CandidateRow,
    RoundCommodityRow,
    RoundRow,
    ScoreHistoryRow,
    ScoreRow,
    ScoreSheetRow,
)
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.rubric import LEVELS, parse_rubric
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _

IN_PROGRESS, FINISHED = "in_progress", "finished"
VISIT_HISTORY = "visit"  # score history's criterion for the actual visit date
SHEET_COLUMNS = ("candidate_id", "criterion_id", "level", "note")
_MAX_ID = 2**63 - 1  # SQLite's largest INTEGER


@dataclass(frozen=True)
class SheetImport:
    accepted: list[int]  # row numbers stored
    rejected: list[tuple[int, str]]  # (row number, reason)
    dry_run: bool


@dataclass(frozen=True)
class SheetSnapshot:
    """What a bundle carries for one candidate."""

    candidate_uid: str
    commodity: str
    status: str
    note: str
    scores: tuple[tuple[str, int, str], ...]  # (criterion id, level, note)
    visited_on: str | None = None  # the actual visit date, YYYY-MM-DD


@dataclass(frozen=True)
class SheetInfo:
    """One candidate's sheet as it stands: status ("" if not started), overall note, the
    actual visit date and {criterion: (level, note)}."""

    status: str
    note: str
    visited_on: date | None
    scores: dict[str, tuple[int, str]]


@dataclass(frozen=True)
class VisitDateRange:
    """The dates an actual visit may have: within the round's year and not after today."""

    first: date
    last: date
    today: date

    @property
    def today_allowed(self) -> bool:
        return self.first <= self.today <= self.last


def today() -> date:
    """The laptop's date (a module function so tests can move the clock)."""
    return date.today()


_CRITERIA: dict[str, frozenset[str]] = {}  # rubric sha256 → its criterion ids (never change)


def _criteria_for(s, row: CandidateRow) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The candidate's rubric criteria, parsed once per rubric version (a paper form of a
    thousand rows asked for them a thousand times)."""
    link = s.execute(select(RoundCommodityRow).where(
        RoundCommodityRow.round_id == row.round_id,
        RoundCommodityRow.commodity == row.commodity)).scalar()
    if link is None:
        raise UserFacingError(_("The round has no rubric for this candidate's commodity."))
    found = _CRITERIA.get(link.rubric.sha256)
    if found is None:
        found = _CRITERIA[link.rubric.sha256] = frozenset(
            c.id for _a, c in parse_rubric(link.rubric.content.encode("utf-8")).criteria())
    return found


def _closed_reason(s, row: CandidateRow) -> str | None:  # type: ignore[no-untyped-def]
    """Why this laptop may not change the candidate's sheet at all, or None."""
    if row.withdrawn:
        return _("This candidate is no longer assigned to you (the newest package withdrew "
                 "it); its scores are kept.")
    conflict = conflict_in(s, None, row.id)
    if conflict is not None:
        return _("You have a conflict of interest with this candidate ({reason}); the sheet "
                 "cannot be opened.").format(reason=conflict)
    return None


class _RowCheck:
    """What would stop one row of a paper form, the candidate's facts read once per
    candidate (checked in this order: candidate, criterion, sheet, level)."""

    def __init__(self, s) -> None:  # type: ignore[no-untyped-def]
        self._s = s
        self._facts: dict[int, tuple[str | None, frozenset[str], bool]] = {}

    def __call__(self, candidate_id: int, criterion_id: str, level: int) -> str | None:
        facts = self._facts.get(candidate_id)
        if facts is None:
            facts = self._facts[candidate_id] = self._read(candidate_id)
        problem, criteria, finished = facts
        if problem:
            return problem
        if criterion_id not in criteria:
            return _("unknown criterion {id}").format(id=criterion_id)
        if finished:
            return _("the sheet is finished")
        return None if level in LEVELS else _("a level is 1, 2 or 3")

    def _read(self, candidate_id: int) -> tuple[str | None, frozenset[str], bool]:
        s = self._s
        try:
            row = candidate_repo.require(s, candidate_id)
            if row.withdrawn:
                return _("no longer assigned to you (the newest package withdrew it)"), \
                    frozenset(), False
            if conflict_in(s, None, candidate_id):
                return _("conflict of interest with this candidate"), frozenset(), False
            criteria = _criteria_for(s, row)
        except UserFacingError as exc:
            return str(exc), frozenset(), False
        sheet = s.get(ScoreSheetRow, candidate_id)
        return None, criteria, sheet is not None and sheet.status == FINISHED


class ScoringService:
    def __init__(self, store: Store, actor: Callable[[], str]) -> None:
        self._store = store
        self._actor = actor

    def set_score(self, candidate_id: int, criterion_id: str, level: int, note: str = "") -> None:
        """Store one level the moment it is given (nothing waits for a save button)."""
        if level not in LEVELS:
            raise ValidationError(_("A level is 1, 2 or 3."))
        with self._store.write() as s:
            self._set(s, candidate_id, criterion_id, level, note, self._actor())

    def _set(self, s, candidate_id: int, criterion_id: str, level: int, note: str,  # type: ignore[no-untyped-def]
             actor: str) -> None:
        note = " ".join(note.split())
        row = candidate_repo.require(s, candidate_id)
        closed = _closed_reason(s, row)
        if closed is not None:
            raise UserFacingError(closed)
        if criterion_id not in _criteria_for(s, row):
            raise ValidationError(_("The rubric has no criterion {id}.").format(id=criterion_id))
        sheet = s.get(ScoreSheetRow, candidate_id)
        if sheet is not None and sheet.status == FINISHED:
            raise UserFacingError(_("This sheet is finished; reopen it to change a score."))
        stamp = now_iso()
        if sheet is None:
            s.add(ScoreSheetRow(candidate_id=candidate_id, status=IN_PROGRESS, note="",
                                updated_at=stamp))
        score = s.get(ScoreRow, (candidate_id, criterion_id))
        old = str(score.level) if score else ""
        if score is None:
            score = ScoreRow(candidate_id=candidate_id, criterion_id=criterion_id)
        elif score.level == level and score.note == note:
            return  # nothing changed: no history entry, no write
        score.level, score.note, score.updated_at = level, note, stamp
        s.add(score)
        s.add(ScoreHistoryRow(candidate_id=candidate_id, criterion_id=criterion_id, old=old,
                              new=str(level), note=note, actor=actor, ts=stamp))
        audit.append(s, actor, "score.set", "candidate", candidate_id,
                     {"criterion": criterion_id, "level": level})

    def finish(self, candidate_id: int, finished: bool = True, reason: str = "") -> None:
        """Mark the sheet finished (every criterion scored) or reopen it (with a reason)."""
        reason = " ".join(reason.split())
        if not finished and not reason:
            raise ValidationError(_("Say why the finished sheet is reopened."))
        with self._store.write() as s:
            row = candidate_repo.require(s, candidate_id)
            sheet = s.get(ScoreSheetRow, candidate_id)
            if finished:
                wanted = _criteria_for(s, row)
                given = set(s.execute(select(ScoreRow.criterion_id).where(
                    ScoreRow.candidate_id == candidate_id)).scalars())
                if sheet is None or wanted - given:
                    raise UserFacingError(_("{n} criteria are not scored yet.").format(
                        n=len(wanted - given)))
            if not finished and (sheet is None or sheet.status != FINISHED):
                raise UserFacingError(_("Only a finished sheet can be reopened."))
            if sheet is not None:
                old, sheet.status = sheet.status, FINISHED if finished else IN_PROGRESS
                sheet.updated_at = now_iso()
                s.add(ScoreHistoryRow(candidate_id=candidate_id, criterion_id="*", old=old,
                                      new=sheet.status, note=reason, actor=self._actor(),
                                      ts=sheet.updated_at))
                audit.append(s, self._actor(), "sheet.finish" if finished else "sheet.reopen",
                             "candidate", candidate_id, {"reason": reason})

    def import_sheet(self, path: Path, dry_run: bool = False) -> SheetImport:
        """Key in a paper form: rows of candidate_id, criterion_id, level, note.

        Every row is checked first; the valid ones are then stored in one transaction,
        the others reported with their row number and reason (nothing half-stored).
        """
        from ovop_desktop.services.tabular import read_grid  # openpyxl only when needed

        grid = read_grid(Path(path)).rows
        header = [str(c or "").strip().casefold() for c in (grid[0] if grid else [])]
        missing = [c for c in SHEET_COLUMNS[:3] if c not in header]
        if missing:
            raise ValidationError(_("The sheet needs the columns {cols}.").format(
                cols=", ".join(SHEET_COLUMNS)))
        at = {name: header.index(name) for name in SHEET_COLUMNS if name in header}
        good: list[tuple[int, int, str, int, str]] = []
        bad: list[tuple[int, str]] = []
        for number, row in enumerate(grid[1:], start=2):
            cells = [row[i] if i < len(row) else None for i in range(len(header))]
            if all(c in (None, "") for c in cells):
                continue
            try:
                cid = int(float(str(cells[at["candidate_id"]]).strip()))
                level = int(float(str(cells[at["level"]]).strip()))
                if abs(cid) > _MAX_ID:  # no such id; SQLite could not even look it up
                    raise OverflowError(cid)
            except (TypeError, ValueError, OverflowError):  # OverflowError: "inf", "1e999"
                bad.append((number, _("candidate_id and level must be numbers")))
                continue
            criterion = str(cells[at["criterion_id"]] or "").strip()
            note = str(cells[at["note"]] or "").strip() if "note" in at else ""
            good.append((number, cid, criterion, level, note))
        accepted: list[int] = []
        with self._store.read() as s:
            check = _RowCheck(s)
            for number, cid, criterion, level, _note in good:
                problem = check(cid, criterion, level)
                if problem:
                    bad.append((number, problem))
                else:
                    accepted.append(number)
        if not dry_run:
            keep = set(accepted)
            with self._store.write() as s:  # one transaction: all valid rows or none
                for number, cid, criterion, level, note in good:
                    if number in keep:
                        self._set(s, cid, criterion, level, note, self._actor())
        return SheetImport(accepted, sorted(bad), dry_run)

    def check_criterion(self, candidate_id: int, criterion_id: str) -> None:
        """ValidationError unless the candidate's rubric has this criterion."""
        with self._store.read() as s:
            row = candidate_repo.require(s, candidate_id)
            if criterion_id not in _criteria_for(s, row):
                raise ValidationError(_("The rubric has no criterion {id}.").format(
                    id=criterion_id))

    def set_sheet_note(self, candidate_id: int, note: str) -> None:
        """The visit's overall note, saved at once like every score."""
        note = note.strip()
        if len(note) > 5000:
            raise ValidationError(_("The note is longer than 5000 characters."))
        with self._store.write() as s:
            candidate_repo.require(s, candidate_id)
            if conflict_in(s, None, candidate_id):
                raise UserFacingError(_("conflict of interest with this candidate"))
            sheet = s.get(ScoreSheetRow, candidate_id)
            if sheet is not None and sheet.status == FINISHED:
                raise UserFacingError(_("This sheet is finished; reopen it to change a score."))
            if sheet is None:
                sheet = ScoreSheetRow(candidate_id=candidate_id, status=IN_PROGRESS, note="",
                                      updated_at=now_iso())
                s.add(sheet)
            if sheet.note != note:
                s.add(ScoreHistoryRow(candidate_id=candidate_id, criterion_id="note",
                                      old="", new="", note=note, actor=self._actor(),
                                      ts=now_iso()))
                sheet.note, sheet.updated_at = note, now_iso()

    def set_visited(self, candidate_id: int, when: date | None) -> None:
        """Record the actual date of the site visit (None clears it), saved at once.

        Refused on a finished sheet and for a withdrawn or conflicted candidate, like a
        score; a date in the future or outside the round's year is a mistake.
        """
        actor = self._actor()
        with self._store.write() as s:
            row = candidate_repo.require(s, candidate_id)
            if row.withdrawn:
                raise UserFacingError(_("This candidate is no longer assigned to you (the "
                                        "newest package withdrew it); its scores are kept."))
            conflict = conflict_in(s, None, candidate_id)
            if conflict is not None:
                raise UserFacingError(_("You have a conflict of interest with this candidate "
                                        "({reason}); the sheet cannot be opened.").format(
                                          reason=conflict))
            sheet = s.get(ScoreSheetRow, candidate_id)
            if sheet is not None and sheet.status == FINISHED:
                raise UserFacingError(_("This sheet is finished; reopen it to change the "
                                        "visit date."))
            if when is not None:
                _check_visit_date(when, s.get(RoundRow, row.round_id).year)
            new = when.isoformat() if when else None
            old = sheet.visited_on if sheet else None
            if old == new:
                return  # nothing changed: no history entry, no write
            stamp = now_iso()
            if sheet is None:
                sheet = ScoreSheetRow(candidate_id=candidate_id, status=IN_PROGRESS, note="",
                                      updated_at=stamp)
                s.add(sheet)
            sheet.visited_on, sheet.updated_at = new, stamp
            s.add(ScoreHistoryRow(candidate_id=candidate_id, criterion_id=VISIT_HISTORY,
                                  old=old or "", new=new or "", note="", actor=actor, ts=stamp))
            audit.append(s, actor, "sheet.visited", "candidate", candidate_id,
                         {"visited_on": new, "before": old})

    def visit_date_range(self, candidate_id: int) -> VisitDateRange | None:
        """The dates set_visited accepts for this candidate; None when there is none yet
        (the round's year has not begun on this laptop's clock)."""
        with self._store.read() as s:
            row = candidate_repo.require(s, candidate_id)
            year = s.get(RoundRow, row.round_id).year
        now = today()
        first, last = date(year, 1, 1), min(date(year, 12, 31), now)
        return VisitDateRange(first, last, now) if first <= last else None

    def sheet_info(self, candidate_id: int) -> SheetInfo:
        """Everything stored for one candidate's sheet, read in one transaction."""
        with self._store.read() as s:
            sheet = s.get(ScoreSheetRow, candidate_id)
            scores = {r.criterion_id: (r.level, r.note) for r in s.execute(
                select(ScoreRow).where(ScoreRow.candidate_id == candidate_id)).scalars()}
            if sheet is None:
                return SheetInfo("", "", None, scores)
            return SheetInfo(sheet.status, sheet.note, _date_or_none(sheet.visited_on), scores)

    def visited_on(self, candidate_id: int) -> date | None:
        with self._store.read() as s:
            sheet = s.get(ScoreSheetRow, candidate_id)
            return _date_or_none(sheet.visited_on) if sheet else None

    def sheet_note(self, candidate_id: int) -> str:
        with self._store.read() as s:
            sheet = s.get(ScoreSheetRow, candidate_id)
            return sheet.note if sheet else ""

    def reopen(self, candidate_id: int, reason: str) -> None:
        self.finish(candidate_id, finished=False, reason=reason)

    def history(self, candidate_id: int) -> list[tuple[str, str, str, str, str, str]]:
        """(time, who, criterion or "*", old, new, note), newest first."""
        with self._store.read() as s:
            return [(h.ts, h.actor, h.criterion_id, h.old, h.new, h.note) for h in s.execute(
                select(ScoreHistoryRow).where(ScoreHistoryRow.candidate_id == candidate_id)
                .order_by(ScoreHistoryRow.id.desc())).scalars()]

    def sheet(self, candidate_id: int) -> tuple[str, dict[str, tuple[int, str]]]:
        """(status or "" if not started, {criterion: (level, note)}) for one candidate."""
        with self._store.read() as s:
            sheet = s.get(ScoreSheetRow, candidate_id)
            scores = {r.criterion_id: (r.level, r.note) for r in s.execute(
                select(ScoreRow).where(ScoreRow.candidate_id == candidate_id)).scalars()}
            return (sheet.status if sheet else ""), scores

    def snapshot(self, round_id: int) -> list[SheetSnapshot]:
        """Every sheet of the round as it stands now (a score bundle is this snapshot)."""
        with self._store.read() as s:
            rows = s.execute(select(CandidateRow, ScoreSheetRow).join(
                ScoreSheetRow, ScoreSheetRow.candidate_id == CandidateRow.id).where(
                CandidateRow.round_id == round_id).order_by(CandidateRow.id)).all()
            scores: dict[int, list[tuple[str, int, str]]] = {}
            for sc in s.execute(select(ScoreRow).join(CandidateRow).where(
                    CandidateRow.round_id == round_id).order_by(ScoreRow.criterion_id)).scalars():
                scores.setdefault(sc.candidate_id, []).append((sc.criterion_id, sc.level, sc.note))
            return [SheetSnapshot(c.uid, c.commodity, sh.status, sh.note,
                                  tuple(scores.get(c.id, ())), sh.visited_on) for c, sh in rows]


def _check_visit_date(when: date, year: int) -> None:
    if when > today():
        raise ValidationError(_("The visit date {date} is in the future; record the day the "
                                "visit took place.").format(date=when.isoformat()))
    if when.year != year:
        raise ValidationError(_("The visit date {date} is not in the round's year ({year})."
                                ).format(date=when.isoformat(), year=year))


def _date_or_none(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:  # written by this app only; never let a bad value break a read
        return None
