"""Round use cases: create with the five rubrics, thresholds, status, rubric versions."""

from __future__ import annotations

from collections.abc import Callable

from ovop_desktop.data import audit
from ovop_desktop.data import repositories as repo
from ovop_desktop.data.db import Store
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.rounds import Round, RoundStatus, Thresholds, check_round_fields
from ovop_desktop.errors import NotFoundError, UserFacingError, ValidationError
from ovop_desktop.i18n import _

# Allowed status moves; a closed round may be reopened (recorded in the audit log).
_MOVES = {
    RoundStatus.SETUP: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED, RoundStatus.SETUP},
    RoundStatus.CLOSED: {RoundStatus.OPEN},
}


class RoundService:
    def __init__(self, store: Store, actor: Callable[[], str]) -> None:
        self._store = store
        self._actor = actor

    def list(self) -> list[Round]:
        with self._store.read() as s:
            return repo.list_rounds(s)

    def get(self, round_id: int) -> Round:
        with self._store.read() as s:
            found = repo.get_round(s, round_id)
        if found is None:
            raise NotFoundError(_("There is no round with id {id}.").format(id=round_id))
        return found

    def create(self, year: int, name: str, thresholds: Thresholds | None = None,
               commodities: list[Commodity] | None = None) -> Round:
        """A new round in preparation, using each commodity's newest rubric version."""
        thresholds = thresholds or Thresholds()
        name = " ".join(name.split())
        problems = check_round_fields(year, name) + thresholds.problems()
        chosen = commodities or list(Commodity)
        with self._store.write() as s:
            if not problems and repo.round_name_taken(s, year, name):
                problems.append(_("A round named {name!r} already exists for {year}.").format(
                    name=name, year=year))
            if problems:
                raise ValidationError(_("The round cannot be created:"), problems)
            rubric_ids = {}
            for commodity in chosen:
                latest = repo.latest_rubric(s, commodity)
                if latest is None:
                    raise UserFacingError(_("There is no rubric for {c} yet.").format(
                        c=commodity.label))
                rubric_ids[commodity] = latest.id
            round_id = repo.insert_round(s, year, name, thresholds, rubric_ids)
            audit.append(s, self._actor(), "round.create", "round", round_id,
                         {"year": year, "name": name, "thresholds": thresholds.as_text()})
        return self.get(round_id)

    def set_thresholds(self, round_id: int, thresholds: Thresholds) -> Round:
        problems = thresholds.problems()
        if problems:
            raise ValidationError(problems[0])
        with self._store.write() as s:
            row = self._editable_row(s, round_id)
            old = f"{row.threshold_3},{row.threshold_2},{row.threshold_1}"
            row.threshold_3, row.threshold_2, row.threshold_1 = (
                thresholds.three, thresholds.two, thresholds.one)
            audit.append(s, self._actor(), "round.thresholds", "round", round_id,
                         {"old": old, "new": thresholds.as_text()})
        return self.get(round_id)

    def set_method(self, round_id: int, min_assessors: int, tie_break: tuple[str, ...],
                   spread_flag: int) -> Round:
        """The results method: minimum assessors, tie-break aspect order, disagreement flag."""
        from ovop_desktop.domain.results import Method

        problems = Method(min_assessors, tie_break, spread_flag).problems()
        if problems:
            raise ValidationError(problems[0])
        with self._store.write() as s:
            row = self._editable_row(s, round_id)
            old = {"min_assessors": row.min_assessors, "tie_break": row.tie_break,
                   "spread_flag": row.spread_flag}
            row.min_assessors, row.tie_break, row.spread_flag = (
                min_assessors, ",".join(tie_break), spread_flag)
            audit.append(s, self._actor(), "round.method", "round", round_id,
                         {"old": old, "new": {"min_assessors": min_assessors,
                                              "tie_break": row.tie_break,
                                              "spread_flag": spread_flag}})
        return self.get(round_id)

    def set_status(self, round_id: int, status: RoundStatus) -> Round:
        with self._store.write() as s:
            row = repo.round_row(s, round_id)
            if row is None:
                raise NotFoundError(_("There is no round with id {id}.").format(id=round_id))
            current = RoundStatus(row.status)
            if status is current:
                return self.get(round_id)
            if status not in _MOVES[current]:
                raise UserFacingError(_("A round cannot go from {a} to {b}.").format(
                    a=current.label, b=status.label))
            row.status = status.value
            audit.append(s, self._actor(), "round.status", "round", round_id,
                         {"old": current.value, "new": status.value})
        return self.get(round_id)

    def set_rubric(self, round_id: int, commodity: Commodity, rubric_id: int) -> Round:
        """Point a commodity at another rubric version — not once assessors have the old one."""
        with self._store.write() as s:
            row = self._editable_row(s, round_id)
            link = next((rc for rc in row.commodities if rc.commodity == commodity.value), None)
            target = repo.rubric_row(s, rubric_id)
            if link is None or target is None or target.commodity != commodity.value:
                raise ValidationError(_("That rubric version does not belong to {c}.").format(
                    c=commodity.label))
            if link.rubric.frozen_at is not None and link.rubric_id != rubric_id:
                raise UserFacingError(_(
                    "Assessors already have rubric version {v} for {c}; it cannot be swapped "
                    "in this round.").format(v=link.rubric.version, c=commodity.label))
            old = link.rubric_id
            link.rubric_id = rubric_id
            audit.append(s, self._actor(), "round.rubric", "round", round_id,
                         {"commodity": commodity.value, "old": old, "new": rubric_id})
        return self.get(round_id)

    def _editable_row(self, s, round_id):  # type: ignore[no-untyped-def]
        row = repo.round_row(s, round_id)
        if row is None:
            raise NotFoundError(_("There is no round with id {id}.").format(id=round_id))
        if row.status == RoundStatus.CLOSED.value:
            raise UserFacingError(_("The round {name!r} is closed; reopen it to change it.")
                                  .format(name=row.name))
        return row
