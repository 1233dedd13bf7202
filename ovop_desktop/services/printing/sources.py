"""Gather what each document prints, through the existing services (GUI and CLI alike)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select

from ovop_desktop.data.models import CandidateRow
from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.rounds import Round
from ovop_desktop.domain.rubric import Rubric
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.bundles import ImportOutcome
from ovop_desktop.services.identity import PublicIdentity, load_public
from ovop_desktop.services.printing.field_form import FieldForm, FormCandidate
from ovop_desktop.services.printing.import_receipt import ImportReceipt
from ovop_desktop.services.printing.screening_summary import ScreeningReport
from ovop_desktop.services.workspace import Workspace


def current_round(ws: Workspace) -> Round:
    found = ws.current_round()
    if found is None:
        raise NotFoundError(_("There is no round yet."))
    return found


def is_assessor(ws: Workspace) -> bool:
    profile = ws.profile.get()
    return profile is not None and profile.role is Role.ASSESSOR


def field_forms_for(ws: Workspace, round_: Round, candidate_ids: Sequence[int] = (),
                    assessor_id: int | None = None) -> list[FieldForm]:
    """The forms to print: the listed candidates, else an assessor's visits.

    With an assessor (coordinator): the candidates assigned in the round. On an assessor's
    laptop without a list: every candidate the newest package still assigns, except those
    the assessor declared a conflict with (they cannot be scored there). Visits are in the
    order they are planned (date, then place, then name).
    """
    assessor_name = ""
    if assessor_id is not None:
        assessor_name = ws.assessors.get(assessor_id).name
        ids = list(candidate_ids) or ws.assessors.assigned(round_.id, assessor_id)
        if not ids:
            raise UserFacingError(_("{name} has no candidates in this round.").format(
                name=assessor_name))
    elif candidate_ids:
        ids = list(candidate_ids)
    elif is_assessor(ws):
        ids = [i for i in _active_candidates(ws, round_.id)
               if ws.planning.conflict_of(None, i) is None]
        if not ids:
            raise UserFacingError(_("No candidates are assigned to you in this round yet."))
    else:
        raise UserFacingError(_("Choose the candidates to print, or an assessor whose visits "
                                "to print."))
    if is_assessor(ws) and assessor_id is None:
        profile = ws.profile.get()
        assessor_name = profile.name if profile else ""
    rubrics: dict[Commodity, Rubric] = {
        link.commodity: ws.rubrics.get(link.rubric_id).rubric for link in round_.commodities}
    visits = ws.planning.visits()
    forms = []
    for cid in dict.fromkeys(ids):
        candidate = ws.candidates.get(cid)
        if candidate.round_id != round_.id:
            raise NotFoundError(_("Candidate {id} is not in the round {name}.").format(
                id=cid, name=round_.name))
        d = candidate.data
        rubric = rubrics.get(d.commodity)
        if rubric is None:
            raise UserFacingError(_("The round has no rubric for this candidate's commodity."))
        regency = ws.regions.regency(d.region_code)
        province = ws.regions.province(regency.province_code) if regency else None
        forms.append(FieldForm(FormCandidate(
            candidate_id=cid, name=d.name, commodity=d.commodity, product=d.product,
            owner=d.owner, address=d.address,
            region_name=regency.name if regency else d.region_code,
            province_name=province.name if province else "", sentra_name=d.sentra_name,
            nib=d.nib, kind=d.kind, previous_star=d.previous_star,
            previous_year=d.previous_year, visit_date=visits.get(cid)), rubric, assessor_name))
    if not candidate_ids:
        forms.sort(key=lambda f: (f.candidate.visit_date or date.max, f.candidate.province_name,
                                  f.candidate.region_name, f.candidate.name.casefold()))
    return forms


def _active_candidates(ws: Workspace, round_id: int) -> list[int]:
    """Candidates of the round not withdrawn by a newer package (an assessor's assignments)."""
    with ws.store.read() as s:
        return list(s.execute(select(CandidateRow.id).where(
            CandidateRow.round_id == round_id, CandidateRow.withdrawn == 0)
            .order_by(CandidateRow.id)).scalars())


def own_identity(ws: Workspace) -> tuple[PublicIdentity, Role]:
    me = load_public(ws.paths.keys)
    if me is None:
        raise NotFoundError(_("This profile has no key yet: run `ovop identity create`."))
    profile = ws.profile.get()
    return me, profile.role if profile else Role.ASSESSOR


def screening_report(ws: Workspace, round_: Round) -> ScreeningReport:
    provinces = {p.code: p.name for p in ws.regions.provinces()}
    return ScreeningReport(ws.screening.summary(round_.id),
                           tuple(ws.candidates.summaries(round_.id)), provinces)


def latest_import_receipt(ws: Workspace) -> ImportReceipt:
    """The bundles filed on the most recent import day (local calendar), as a receipt.

    The store keeps each bundle's import time but not import runs, so "the latest import"
    is that day's filings. Their status is the current one (a held bundle decided since
    shows its decision). Duplicates add nothing to the store and are not listed.
    """
    rows = ws.bundles.list()
    if not rows:
        raise NotFoundError(_("No score bundles have been imported yet."))

    def local(stamp: str) -> datetime:
        return datetime.fromisoformat(stamp).astimezone()

    last = max(local(r.imported_at) for r in rows)
    day = [r for r in rows if local(r.imported_at).date() == last.date()]
    names = {a.id: a.name for a in ws.assessors.list()}
    outcomes = tuple(ImportOutcome(
        r.file_name, Outcome(r.status), r.reason, names.get(r.assessor_id or 0, ""), r.seq,
        r.sheets, r.scores) for r in day)
    return ImportReceipt(outcomes, ws.profile.actor(), last.isoformat(),
                         rebuilt_from_day=last.date())


def settle(ws: Workspace, outcomes: Iterable[ImportOutcome], since: str) -> list[ImportOutcome]:
    """The outcomes of one import as they stand after it.

    Arrival order is free: a bundle held for a gap is released when a later file of the
    same run fills it, but its outcome was reported on arrival. The receipt shows the
    status on file, with the store's reason ("the missing bundle arrived …").
    """
    filed = {(r.file_name, r.seq): r for r in ws.bundles.list() if r.imported_at >= since}
    out = []
    for o in outcomes:
        row = filed.get((o.file, o.seq))
        if o.status is Outcome.HELD and row is not None and row.status != o.status.value:
            o = replace(o, status=Outcome(row.status), reason=row.reason)
        out.append(o)
    return out
