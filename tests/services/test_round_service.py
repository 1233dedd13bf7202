"""Round use cases: five rubrics per round, thresholds, statuses, several rounds side by side."""

from __future__ import annotations

import dataclasses

import pytest

from ovop_desktop.data import audit
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.rounds import RoundStatus, Thresholds
from ovop_desktop.domain.rubric import Text
from ovop_desktop.errors import NotFoundError, UserFacingError, ValidationError
from ovop_desktop.services.workspace import Workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.rubrics.install_defaults()
    return workspace


def _audit_count(ws: Workspace) -> int:
    with ws.store.read() as s:
        return audit.count(s)


def test_create_uses_the_newest_rubric_of_all_five(ws: Workspace) -> None:
    batik = ws.rubrics.freeze(ws.rubrics.find(Commodity.KAIN_BATIK).id)
    edited = dataclasses.replace(batik.rubric, title=Text("Rubrik batik v2", "Batik v2"))
    v2 = ws.rubrics.save(batik.id, edited)
    created = ws.rounds.create(2024, "Penghargaan OVOP 2024")
    assert [rc.commodity for rc in created.commodities] == list(Commodity)
    by_commodity = {rc.commodity: rc for rc in created.commodities}
    assert by_commodity[Commodity.KAIN_BATIK].rubric_id == v2.id
    assert by_commodity[Commodity.KAIN_BATIK].rubric_version == 2
    for commodity in Commodity:
        newest = ws.rubrics.find(commodity)
        assert by_commodity[commodity].rubric_id == newest.id
        assert by_commodity[commodity].rubric_sha256 == newest.sha256
    assert created.status is RoundStatus.SETUP
    assert created.thresholds == Thresholds(80, 65, 50)


def test_create_without_rubrics_is_refused(workspace: Workspace) -> None:
    with pytest.raises(UserFacingError):
        workspace.rounds.create(2024, "Penghargaan OVOP 2024")
    assert workspace.rounds.list() == []


def test_create_tidies_the_name_and_records_it(ws: Workspace) -> None:
    before = _audit_count(ws)
    created = ws.rounds.create(2024, "  Penghargaan   OVOP 2024 ")
    assert created.name == "Penghargaan OVOP 2024"
    assert _audit_count(ws) == before + 1


def test_duplicate_name_in_the_same_year_is_refused(ws: Workspace) -> None:
    ws.rounds.create(2024, "Penghargaan OVOP")
    for name in ("Penghargaan OVOP", "penghargaan ovop", " Penghargaan  OVOP "):
        with pytest.raises(ValidationError):
            ws.rounds.create(2024, name)
    ws.rounds.create(2025, "Penghargaan OVOP")  # another year is fine
    assert len(ws.rounds.list()) == 2


@pytest.mark.parametrize("year, name, thresholds", [
    (1999, "R", None), (2101, "R", None), (2024, "", None), (2024, "   ", None),
    (2024, "R" * 201, None), (2024, "R", Thresholds(50, 65, 80)),
    (2024, "R", Thresholds(101, 65, 50)),
])
def test_bad_round_fields_are_refused(ws: Workspace, year: int, name: str,
                                      thresholds: Thresholds | None) -> None:
    before = _audit_count(ws)
    with pytest.raises(ValidationError):
        ws.rounds.create(year, name, thresholds)
    assert ws.rounds.list() == []
    assert _audit_count(ws) == before


def test_2022_and_2024_rounds_coexist(ws: Workspace) -> None:
    old = ws.rounds.create(2022, "Penghargaan OVOP 2022", Thresholds(85, 70, 55))
    new = ws.rounds.create(2024, "Penghargaan OVOP 2024")
    listed = ws.rounds.list()
    assert [r.id for r in listed] == [new.id, old.id]  # newest year first
    assert ws.rounds.get(old.id).thresholds == Thresholds(85, 70, 55)
    assert ws.rounds.get(new.id).thresholds == Thresholds()


def test_unknown_round_id(ws: Workspace) -> None:
    for call in (lambda: ws.rounds.get(42),
                 lambda: ws.rounds.set_status(42, RoundStatus.OPEN),
                 lambda: ws.rounds.set_thresholds(42, Thresholds())):
        with pytest.raises(NotFoundError):
            call()


def test_thresholds_are_editable_while_setup_or_open(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R")
    assert ws.rounds.set_thresholds(r.id, Thresholds(85, 70, 55)).thresholds == (
        Thresholds(85, 70, 55))
    ws.rounds.set_status(r.id, RoundStatus.OPEN)
    assert ws.rounds.set_thresholds(r.id, Thresholds(90, 75, 60)).thresholds == (
        Thresholds(90, 75, 60))


def test_bad_thresholds_are_refused_and_unchanged(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R")
    for bad in (Thresholds(65, 80, 50), Thresholds(80, 65, 65), Thresholds(120, 65, 50)):
        with pytest.raises(ValidationError):
            ws.rounds.set_thresholds(r.id, bad)
    assert ws.rounds.get(r.id).thresholds == Thresholds()


def test_a_closed_round_cannot_be_changed(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R")
    ws.rounds.set_status(r.id, RoundStatus.OPEN)
    closed = ws.rounds.set_status(r.id, RoundStatus.CLOSED)
    assert not closed.editable
    before = _audit_count(ws)
    with pytest.raises(UserFacingError):
        ws.rounds.set_thresholds(r.id, Thresholds(85, 70, 55))
    with pytest.raises(UserFacingError):
        ws.rounds.set_rubric(r.id, Commodity.ANYAMAN, r.commodities[3].rubric_id)
    assert ws.rounds.get(r.id).thresholds == Thresholds()
    assert _audit_count(ws) == before


def test_status_transitions(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R")
    with pytest.raises(UserFacingError):
        ws.rounds.set_status(r.id, RoundStatus.CLOSED)  # setup → closed skips the visits
    assert ws.rounds.set_status(r.id, RoundStatus.OPEN).status is RoundStatus.OPEN
    assert ws.rounds.set_status(r.id, RoundStatus.SETUP).status is RoundStatus.SETUP
    ws.rounds.set_status(r.id, RoundStatus.OPEN)
    assert ws.rounds.set_status(r.id, RoundStatus.CLOSED).status is RoundStatus.CLOSED
    with pytest.raises(UserFacingError):
        ws.rounds.set_status(r.id, RoundStatus.SETUP)
    assert ws.rounds.set_status(r.id, RoundStatus.OPEN).status is RoundStatus.OPEN  # reopen
    before = _audit_count(ws)
    ws.rounds.set_status(r.id, RoundStatus.OPEN)  # no move, no entry
    assert _audit_count(ws) == before


def test_set_rubric_moves_an_unfrozen_link(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R")
    current = ws.rubrics.find(Commodity.ANYAMAN)
    other = dataclasses.replace(current.rubric, title=Text("Anyaman v9", "Plaited v9"))
    ws.rubrics.freeze(current.id)
    v2 = ws.rubrics.save(current.id, other)
    # v1 is frozen now, so the round keeps it ...
    with pytest.raises(UserFacingError):
        ws.rounds.set_rubric(r.id, Commodity.ANYAMAN, v2.id)
    # ... but a round created now gets v2 and can be pointed back and forth while v2 is unfrozen.
    r2 = ws.rounds.create(2024, "R2")
    link = next(rc for rc in r2.commodities if rc.commodity is Commodity.ANYAMAN)
    assert link.rubric_id == v2.id
    moved = ws.rounds.set_rubric(r2.id, Commodity.ANYAMAN, current.id)
    assert next(rc for rc in moved.commodities
                if rc.commodity is Commodity.ANYAMAN).rubric_id == current.id


def test_set_rubric_of_another_commodity_is_refused(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R")
    gerabah = ws.rubrics.find(Commodity.GERABAH)
    with pytest.raises(ValidationError):
        ws.rounds.set_rubric(r.id, Commodity.ANYAMAN, gerabah.id)
    with pytest.raises(ValidationError):
        ws.rounds.set_rubric(r.id, Commodity.ANYAMAN, 999)
    assert ws.rounds.get(r.id) == r


def test_create_with_some_commodities(ws: Workspace) -> None:
    r = ws.rounds.create(2024, "R", commodities=[Commodity.GERABAH, Commodity.ANYAMAN])
    assert [rc.commodity for rc in r.commodities] == [Commodity.ANYAMAN, Commodity.GERABAH]
