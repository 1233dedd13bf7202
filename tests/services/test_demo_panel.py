"""The demo with results: what a visitor of the demo profile sees on the results pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ovop_desktop.data import audit
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.results import Change, Flag
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services import identity
from ovop_desktop.services.demo import DemoResult, build_demo
from ovop_desktop.services.demo_panel import (
    ASSESSORS,
    DEMO_PASSPHRASE,
    SILENT,
    UNIFORM,
    build_demo_panel,
)
from ovop_desktop.services.maintenance import check_database
from ovop_desktop.services.results import ResultsReport
from ovop_desktop.services.workspace import Workspace


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, DemoResult]]:
    """The demo profile as the app's first start builds it (no KDF patch from the test)."""
    kdf = identity.KDF_PARAMS
    ws = Workspace.open(tmp_path_factory.mktemp("demo"))
    result = build_demo(ws, with_results=True)
    assert kdf == identity.KDF_PARAMS  # the cheap KDF was only borrowed
    yield ws, result
    ws.close()


@pytest.fixture(scope="module")
def report(built: tuple[Workspace, DemoResult]) -> ResultsReport:
    ws, _result = built
    return ws.results.report(_round_id(ws))


def _round_id(ws: Workspace) -> int:
    round_ = ws.current_round()
    assert round_ is not None and round_.year == 2024
    return round_.id


def _by_name(report: ResultsReport) -> dict[str, int]:
    return {a.name: a.id for a in report.assessors.values()}


def test_every_bundle_arrived_signed_and_was_accepted(built: tuple[Workspace, DemoResult]
                                                      ) -> None:
    ws, result = built
    panel = result.panel
    assert panel is not None and result.created
    bundles = ws.bundles.list()
    assert len(bundles) == panel.bundles == panel.accepted >= len(ASSESSORS) - 1
    assert {b.status for b in bundles} == {"accepted"}
    assert len({b.assessor_id for b in bundles}) == len(ASSESSORS) - 1  # one sent nothing
    assert max(b.seq or 0 for b in bundles) == 2  # an early bundle, then the final one
    assert len(ws.assessors.list()) == len(ASSESSORS)
    print("demo panel timings (s):", panel.timings)


def test_results_hold_every_star_and_a_few_incomplete(built: tuple[Workspace, DemoResult],
                                                      report: ResultsReport) -> None:
    _ws, result = built
    stars = [r.star for r in report.results.candidates]
    counts = {s: stars.count(s) for s in (3, 2, 1, 0, None)}
    assert result.panel is not None and counts == result.panel.stars
    assert all(counts[s] >= 3 for s in (3, 2, 1))
    assert 1 <= counts[None] <= 10  # "a few" the coordinator still has to chase
    assert len(stars) == 166  # every candidate that passed screening was planned
    ranked = [r for r in report.rows("kain_batik") if r.rank is not None]
    assert [r.rank for r in ranked][:1] == [1]


def test_re_evaluations_go_up_stay_go_down_and_lose_the_star(report: ResultsReport) -> None:
    changes = {r.change for r in report.results.candidates if r.change is not None}
    assert changes == {Change.UP, Change.SAME, Change.DOWN, Change.LOST}


def test_flags_and_a_lenient_a_harsh_and_a_uniform_assessor(report: ResultsReport) -> None:
    flags = {f for r in report.results.candidates for f in r.flags}
    assert flags == {Flag.INCOMPLETE, Flag.DISAGREEMENT, Flag.MODERATED, Flag.SEVERITY}
    spread = [c for r in report.results.candidates for c in r.criteria if c.spread == 2]
    assert 3 <= len(spread) <= 40  # "a few" 1-versus-3 disagreements, not noise everywhere
    ids = _by_name(report)
    offsets = {s.assessor_id: s.offset for s in report.results.assessors}
    lenient = max(ASSESSORS, key=lambda p: p.bias)
    harsh = min(ASSESSORS, key=lambda p: p.bias)
    assert offsets[ids[lenient.name]] > 5 and offsets[ids[harsh.name]] < -5
    others = [o for a, o in offsets.items() if a not in (ids[lenient.name], ids[harsh.name])]
    assert all(o is not None and abs(o) < 5 for o in others)


def test_sheets_carry_visit_dates_notes_and_uniform_twos(built: tuple[Workspace, DemoResult],
                                                         report: ResultsReport) -> None:
    ws, _result = built
    round_id = _round_id(ws)
    visits = ws.planning.visits()
    assert len(visits) == 166
    assert all(date(2024, 8, 1) <= d <= date(2024, 10, 31) for d in visits.values())
    uniform = _by_name(report)[ASSESSORS[UNIFORM].name]
    sheets = [sh for r in report.results.candidates if uniform in r.assessors
              for sh in ws.results.detail(round_id, r.candidate_id, report).sheets]
    assert all(sh.visited_on and sh.visited_on.startswith("2024-") for sh in sheets)
    assert any(sh.note for sh in sheets) and any(sh.notes for sh in sheets)
    mine = [sh for sh in sheets if sh.assessor_id == uniform and sh.status == "finished"]
    assert sum(set(sh.levels.values()) == {2} for sh in mine) == 2


def test_the_moderation_meeting_is_on_record(built: tuple[Workspace, DemoResult],
                                             report: ResultsReport) -> None:
    ws, result = built
    moderated = [r for r in report.results.candidates if Flag.MODERATED in r.flags]
    assert result.panel is not None and len(moderated) == result.panel.moderations >= 2
    exported = next(r for r in moderated
                    if any(c.criterion_id == "B4" and c.moderated == 3 for c in r.criteria))
    b4 = next(c for c in exported.criteria if c.criterion_id == "B4")
    assert sorted(b4.levels.values())[0] == 1 and b4.value == 3  # the 1 stays visible
    detail = ws.results.detail(_round_id(ws), exported.candidate_id, report)
    assert detail.moderation[0].reason.startswith("Rapat moderasi 14 Oktober 2024")
    assert "Malaysia" in detail.facts.export_history


def test_the_progress_board_has_sheets_to_chase(built: tuple[Workspace, DemoResult]) -> None:
    ws, _result = built
    board = ws.results.progress(_round_id(ws))
    by_name = {a.assessor.name: a for a in board.assessors}
    silent = by_name[ASSESSORS[SILENT].name]
    assert silent.bundles == 0 and silent.assigned > 0 and len(silent.missing) == silent.assigned
    sending = [a for a in board.assessors if a.bundles]
    assert len(sending) == len(ASSESSORS) - 1
    assert all(a.missing and a.finished > 0.8 * a.assigned for a in sending)
    assert sum(a.in_progress for a in sending) > 0
    assert any(c.missing for c in board.candidates)


def test_the_go_global_shortlist_has_one_selected(built: tuple[Workspace, DemoResult]) -> None:
    ws, _result = built
    shortlist = ws.results.shortlist(_round_id(ws))
    assert shortlist and {e.result.star for e in shortlist} == {2, 3}
    selected = [e for e in shortlist if e.selected]
    assert len(selected) == 1 and selected[0].note and selected[0].facts.export_history
    assert len([e for e in shortlist if e.note]) == 2


def test_the_audit_chain_verifies_and_nothing_is_left_behind(
        built: tuple[Workspace, DemoResult]) -> None:
    ws, _result = built
    assert check_database(ws.store).ok
    assert not list(ws.paths.root.glob("demo-panel-*"))  # the assessors' laptops are gone
    assert len(ws.planning.conflicts()) == 1  # the declared conflict travels with the demo
    identity.unlock(ws.paths.keys, DEMO_PASSPHRASE)  # the README's passphrase opens the key


def test_building_again_is_refused_and_changes_nothing(built: tuple[Workspace, DemoResult],
                                                      tmp_path: Path) -> None:
    ws, _result = built

    def state() -> tuple[int, str]:
        with ws.store.read() as s:
            return audit.count(s), audit.head(s)

    before = state()
    with pytest.raises(UserFacingError):
        build_demo(ws, with_results=True)
    assert build_demo(ws, if_empty=True, with_results=True).created is False
    with pytest.raises(UserFacingError):
        build_demo_panel(ws, tmp_path / "work")
    assert state() == before
    assert not (tmp_path / "work").exists()


def test_a_busy_folder_or_another_profile_is_refused(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "demo") as ws:
        build_demo(ws)
        busy = tmp_path / "busy"
        busy.mkdir()
        (busy / "keep.txt").write_text("milik pengguna")
        with pytest.raises(UserFacingError):
            build_demo_panel(ws, busy)
        assert (busy / "keep.txt").exists() and ws.assessors.list() == []
    with Workspace.open(tmp_path / "assessor") as ws:
        ws.profile.init(Role.ASSESSOR, "Sri")
        with pytest.raises(UserFacingError):
            build_demo_panel(ws, tmp_path / "work")
        assert not (tmp_path / "work").exists()
