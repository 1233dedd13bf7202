"""The assessor's scores: one level (1–3) per criterion per candidate, and the sheet status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ovop_desktop.data import audit, candidate_repo
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import CandidateRow, RoundCommodityRow, ScoreRow, ScoreSheetRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.rubric import LEVELS, Rubric, parse_rubric
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _

IN_PROGRESS, FINISHED = "in_progress", "finished"


@dataclass(frozen=True)
class SheetSnapshot:
    """What a bundle carries for one candidate."""

    candidate_uid: str
    commodity: str
    status: str
    note: str
    scores: tuple[tuple[str, int, str], ...]  # (criterion id, level, note)


def _rubric_for(s, row: CandidateRow) -> Rubric:  # type: ignore[no-untyped-def]
    link = s.execute(select(RoundCommodityRow).where(
        RoundCommodityRow.round_id == row.round_id,
        RoundCommodityRow.commodity == row.commodity)).scalar()
    if link is None:
        raise UserFacingError(_("The round has no rubric for this candidate's commodity."))
    return parse_rubric(link.rubric.content.encode("utf-8"))


class ScoringService:
    def __init__(self, store: Store, actor: Callable[[], str]) -> None:
        self._store = store
        self._actor = actor

    def set_score(self, candidate_id: int, criterion_id: str, level: int, note: str = "") -> None:
        """Store one level the moment it is given (nothing waits for a save button)."""
        if level not in LEVELS:
            raise ValidationError(_("A level is 1, 2 or 3."))
        note = " ".join(note.split())
        with self._store.write() as s:
            row = candidate_repo.require(s, candidate_id)
            rubric = _rubric_for(s, row)
            if criterion_id not in {c.id for _a, c in rubric.criteria()}:
                raise ValidationError(_("The rubric has no criterion {id}.").format(
                    id=criterion_id))
            sheet = s.get(ScoreSheetRow, candidate_id)
            if sheet is not None and sheet.status == FINISHED:
                raise UserFacingError(_("This sheet is finished; reopen it to change a score."))
            stamp = now_iso()
            if sheet is None:
                s.add(ScoreSheetRow(candidate_id=candidate_id, status=IN_PROGRESS, note="",
                                    updated_at=stamp))
            score = s.get(ScoreRow, (candidate_id, criterion_id)) or ScoreRow(
                candidate_id=candidate_id, criterion_id=criterion_id)
            score.level, score.note, score.updated_at = level, note, stamp
            s.add(score)
            audit.append(s, self._actor(), "score.set", "candidate", candidate_id,
                         {"criterion": criterion_id, "level": level})

    def finish(self, candidate_id: int, finished: bool = True) -> None:
        """Mark the sheet finished (every criterion scored) or reopen it."""
        with self._store.write() as s:
            row = candidate_repo.require(s, candidate_id)
            sheet = s.get(ScoreSheetRow, candidate_id)
            if finished:
                wanted = {c.id for _a, c in _rubric_for(s, row).criteria()}
                given = set(s.execute(select(ScoreRow.criterion_id).where(
                    ScoreRow.candidate_id == candidate_id)).scalars())
                if sheet is None or wanted - given:
                    raise UserFacingError(_("{n} criteria are not scored yet.").format(
                        n=len(wanted - given)))
            if sheet is not None:
                sheet.status = FINISHED if finished else IN_PROGRESS
                sheet.updated_at = now_iso()
                audit.append(s, self._actor(), "sheet.finish" if finished else "sheet.reopen",
                             "candidate", candidate_id, {})

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
                                  tuple(scores.get(c.id, ()))) for c, sh in rows]
