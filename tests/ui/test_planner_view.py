"""The visit planner: automatic proposal, manual teams, conflicts of interest, visit dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QDate, Qt

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.planning import is_secretariat
from ovop_desktop.domain.screening import Decision
from ovop_desktop.services import identity
from ovop_desktop.services.assessors import Assessor
from ovop_desktop.services.signing import key_id
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs import conflict as conflict_dialog
from ovop_desktop.ui.dialogs.auto_plan import AutoPlanDialog
from ovop_desktop.ui.dialogs.conflict import ConflictDialog
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.models.planner_model import COL_SIZE, COL_TEAM, COL_VISIT, STAR
from ovop_desktop.ui.models.table import ROW_ROLE
from ovop_desktop.ui.views import planner as planner_view
from ovop_desktop.ui.views import planner_panel
from ovop_desktop.ui.views.planner import PlannerView
from ovop_desktop.ui.views.planner_panel import CONFLICT_ROLE, EXPERT_ROLE

WAIT = 20_000
IKMA = "Ditjen IKMA, Kementerian Perindustrian"
REMBANG = "33.17"  # twelve demo candidates that pass screening live here
# name, institution, commodities, home kab/kota
TEAM = [
    ("Sri Wahyuni", "Yayasan Batik Indonesia", [Commodity.KAIN_BATIK], "34.71"),
    ("Budi Santoso", IKMA, [], "31.71"),
    ("Dewi Lestari", IKMA, [Commodity.MAKANAN_MINUMAN], "32.73"),
    ("Agus Salim", "Universitas Gadjah Mada", [Commodity.MAKANAN_MINUMAN], REMBANG),
    ("Rina Marlina", "IPB University", [Commodity.MAKANAN_MINUMAN], "32.71"),
    ("Made Wirawan", "Dekranasda Bali", [Commodity.KAIN_TENUN], "51.71"),
    ("Yohanes Tefa", "Dekranasda NTT", [Commodity.KAIN_TENUN], "53.71"),
    ("Siti Nurhaliza", "BBSPJI Kerajinan dan Batik", [Commodity.KAIN_BATIK,
                                                      Commodity.ANYAMAN], "34.04"),
    ("Hendra Gunawan", "ISI Yogyakarta", [Commodity.ANYAMAN], "34.02"),
    ("Lina Marpaung", "Universitas Sumatera Utara", [Commodity.ANYAMAN], "12.71"),
    ("Wayan Sudarma", "ISI Denpasar", [Commodity.GERABAH], "51.03"),
    ("Teguh Prasetyo", "Politeknik ATK", [Commodity.GERABAH, Commodity.KAIN_TENUN], "33.74"),
]


def enrol_team(ctx: AppContext, folder: Path, people: list[tuple[Any, ...]] = TEAM,
               ) -> list[Assessor]:
    out = []
    for i, (name, institution, commodities, home) in enumerate(people):
        raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
        card = folder / f"assessor-{i}.card.json"
        identity.write_card(card, identity.PublicIdentity(name, institution, raw, key_id(raw),
                                                          "2024-01-01"), "assessor", {})
        out.append(ctx.workspace.assessors.enrol(card, key_id(raw), "Budi", "phone", commodities,
                                                 home[:2], home))
    return out


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """No modal message box: errors and information are recorded instead."""
    seen: dict[str, list[Any]] = {"errors": [], "infos": []}
    for module in (planner_view, planner_panel, conflict_dialog):
        monkeypatch.setattr(module, "show_error", lambda _p, e, *a: seen["errors"].append(e))
    monkeypatch.setattr(planner_view, "show_info", lambda _p, _t, text: seen["infos"].append(text))
    return seen


@pytest.fixture
def team(ctx: AppContext, tmp_path: Path) -> list[Assessor]:
    return enrol_team(ctx, tmp_path)


@pytest.fixture
def round_id(ctx: AppContext) -> int:
    current = ctx.workspace.current_round()
    assert current is not None
    return current.id


def open_view(qtbot, ctx: AppContext) -> PlannerView:
    """The page with its first load finished (the load's result is queued, so waiting after
    construction cannot miss it)."""
    view = PlannerView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    return view


def reloaded(qtbot, view: PlannerView, action: Any) -> None:
    """Do something that stores a change and wait for the page to show it."""
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        action()


def passed(ctx: AppContext, round_id: int) -> dict[int, Any]:
    return {s.id: s for s in ctx.workspace.candidates.summaries(round_id)
            if s.decision is Decision.PASSED}
def propose(qtbot, view: PlannerView, per_candidate: int = 3, minimum: int = 2) -> Any:
    with qtbot.waitSignal(view.proposed, timeout=WAIT) as blocker:
        view.propose(per_candidate, minimum)
    assert view.busy_bar.isHidden() and view.auto_button.isEnabled()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    return blocker.args[0]


# -- the page -------------------------------------------------------------------------------


def test_page_follows_assessors_for_the_coordinator(qtbot, ctx: AppContext) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(ctx)
    keys = [p.key for p in window.pages]
    assert keys.index("planner") == keys.index("assessors") + 1
    view = window.show_page("planner")
    assert isinstance(view, PlannerView)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass


def test_lists_the_candidates_that_passed_screening(qtbot, ctx: AppContext, team: list[Assessor],
                                                    round_id: int, qtmodeltester) -> None:
    view = open_view(qtbot, ctx)
    expected = passed(ctx, round_id)
    assert {r.id for r in view.model.rows()} == set(expected)
    assert len(expected) == 166  # 89 new + 77 re-evaluations
    assert view.loads.rowCount() == len(team)
    for model in (view.model, view.proxy, view.loads, view.conflicts):
        qtmodeltester.check(model)
    # nobody assigned yet: every team is short and says so in colour
    index = view.model.index(0, COL_SIZE)
    assert view.model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    view.only_short.setChecked(True)
    assert view.proxy.rowCount() == len(expected)


def test_auto_proposal_respects_expertise_and_conflicts(qtbot, ctx: AppContext, boxes,
                                                        team: list[Assessor], round_id: int,
                                                        qtmodeltester) -> None:
    planning, candidates = ctx.workspace.planning, passed(ctx, round_id)
    view = open_view(qtbot, ctx)
    sri = team[0]
    batik = next(c for c in candidates.values() if c.commodity is Commodity.KAIN_BATIK)
    planning.declare(sri.id, batik.id, "Saudara pemilik usaha")
    result = propose(qtbot, view)

    teams = planning.teams(round_id)
    assert result.added == sum(len(t) for t in teams.values()) > 0
    by_id = {a.id: a for a in team}
    for cid, c in candidates.items():
        members = teams.get(cid, [])
        assert len(members) == 3, c.name
        experts = [a for a in team if c.commodity in a.commodities
                   and planning.conflict_of(a.id, cid) is None]
        assert any(c.commodity in by_id[a].commodities for a in members) or not experts
        for aid in members:  # never a conflicted assessor: declared or same home kab/kota
            assert planning.conflict_of(aid, cid) is None
            assert by_id[aid].home_region_code != c.region_code
    assert sri.id not in teams[batik.id]
    agus = team[3]  # lives in Rembang: never sent to a Rembang candidate
    assert not any(agus.id in teams[cid] for cid, c in candidates.items()
                   if c.region_code == REMBANG)
    # the page shows the stored plan: full teams, loads, the secretariat marked
    assert not any(view.model.is_short(r) for r in view.model.rows())
    assert sum(r.load for r in view.loads.rows()) == sum(len(t) for t in teams.values())
    assert any(STAR in r.team_text for r in view.model.rows())
    assert boxes["infos"] and not boxes["errors"]
    qtmodeltester.check(view.model)


def test_auto_reports_short_teams_with_reasons(qtbot, ctx: AppContext, boxes, tmp_path: Path,
                                               round_id: int) -> None:
    few = enrol_team(ctx, tmp_path, [TEAM[0], TEAM[3]])  # Agus lives in Rembang
    view = open_view(qtbot, ctx)
    dialog_values = AutoPlanDialog(10, 3, 2)
    dialog_values.minimum.setValue(3)  # the minimum pushes the size up, never past it
    assert dialog_values.values() == (3, 3)
    dialog_values.per_candidate.setValue(2)
    assert dialog_values.values() == (2, 2)
    dialog_values.deleteLater()
    result = propose(qtbot, view)
    homes = {few[0].home_region_code, few[1].home_region_code}  # one of the two is conflicted
    rembang = {cid for cid, c in passed(ctx, round_id).items() if c.region_code in homes}
    assert set(result.plan.short) == rembang
    view.only_short.setChecked(True)
    assert view.proxy.rowCount() == len(rembang)
    row = view.model.row_object(view.proxy.mapToSource(view.proxy.index(0, 0)).row())
    tip = view.model.data(view.model.index(view.model.row_of(row.id), COL_SIZE),
                          Qt.ItemDataRole.ToolTipRole)
    assert row.short_reason and row.short_reason in tip
    assert view.select(row.id) and view.panel.warning.isVisibleTo(view)
    assert str(len(rembang)) in boxes["infos"][0]
    assert few[1].id not in view.panel.checked()


def test_auto_without_assessors_shows_the_error(qtbot, ctx: AppContext, boxes) -> None:
    view = open_view(qtbot, ctx)
    with qtbot.waitSignal(view.failed, timeout=WAIT):
        view.propose()
    assert boxes["errors"] and view.auto_button.isEnabled() and view.busy_bar.isHidden()


# -- the side panel -----------------------------------------------------------------------


def test_panel_edits_a_team_and_disables_conflicted_assessors(
        qtbot, ctx: AppContext, boxes, team: list[Assessor], round_id: int) -> None:
    candidates = passed(ctx, round_id)
    c = next(c for c in candidates.values() if c.region_code == REMBANG)
    agus, sri, budi = team[3], team[0], team[1]
    ctx.workspace.planning.declare(sri.id, c.id, "Mantan karyawan")
    ctx.workspace.assessors.assign(round_id, budi.id, [c.id])
    view = open_view(qtbot, ctx)
    assert view.select(c.id)
    panel = view.panel
    assert panel.candidate_id() == c.id and panel.checked() == {budi.id}
    assert panel.assessor_list.count() == len(team)
    for who, reason in ((agus, "kabupaten/kota"), (sri, "Mantan karyawan")):
        item = panel.item_of(who.id)
        assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
        assert reason in item.data(CONFLICT_ROLE) and reason in item.toolTip()
    # experts in the commodity come first, conflicted assessors last
    first = panel.assessor_list.item(0)
    assert first.data(EXPERT_ROLE) and first.data(CONFLICT_ROLE) is None
    assert panel.assessor_list.item(panel.assessor_list.count() - 1).data(CONFLICT_ROLE)
    assert STAR in panel.item_of(budi.id).text() and "(1)" in panel.item_of(budi.id).text()

    free = [a for a in team if a not in (agus, sri, budi)]
    experts = sorted(free, key=lambda a: c.commodity not in a.commodities)  # experts first
    assert not panel.apply_button.isEnabled()
    panel.set_checked(budi.id, False)
    for a in experts[:2]:
        panel.set_checked(a.id, True)
    assert panel.apply_button.isEnabled()
    reloaded(qtbot, view, panel.apply_button.click)
    assert sorted(ctx.workspace.planning.teams(round_id)[c.id]) == sorted(a.id for a in
                                                                         experts[:2])
    assert view.selected_id() == c.id and panel.checked() == {a.id for a in experts[:2]}
    row = view.model.row_object(view.model.row_of(c.id))
    assert all(a.name in row.team_text for a in experts[:2])
    assert "2" in view.model.data(view.model.index(view.model.row_of(c.id), COL_SIZE))
    assert not boxes["errors"]


def test_panel_shows_the_service_refusal(qtbot, ctx: AppContext, boxes, team: list[Assessor],
                                         round_id: int) -> None:
    view = open_view(qtbot, ctx)
    cid = view.model.row_object(0).id
    assert view.select(cid)
    late = team[5]
    view.panel.set_checked(late.id, True)
    # declared elsewhere after the panel was filled: the service refuses, the page reloads
    ctx.workspace.planning.declare(late.id, cid, "Ditemukan kemudian")
    reloaded(qtbot, view, view.panel.apply)
    assert boxes["errors"] and "Ditemukan kemudian" in boxes["errors"][0].message
    assert late.id not in ctx.workspace.planning.teams(round_id).get(cid, [])
    assert not view.panel.item_of(late.id).flags() & Qt.ItemFlag.ItemIsEnabled


def test_declare_conflict_removes_the_assignment(qtbot, ctx: AppContext, boxes,
                                                 team: list[Assessor], round_id: int) -> None:
    candidates = passed(ctx, round_id)
    cid = next(iter(candidates))
    hendra = team[8]
    ctx.workspace.assessors.assign(round_id, hendra.id, [cid])
    view = open_view(qtbot, ctx)
    assert view.select(cid)
    view.panel.assessor_list.setCurrentItem(view.panel.item_of(hendra.id))
    view.conflict_button.click()
    dialog = view.dialog
    assert isinstance(dialog, ConflictDialog)
    assert dialog.assessor.currentData() == hendra.id and dialog.candidate.currentData() == cid
    assert not dialog.ok_button.isEnabled()  # the reason is required
    dialog.reason.setText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setText("Anggota koperasi yang sama")
    with qtbot.waitSignal(view.declared, timeout=WAIT):
        dialog.ok_button.click()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    assert hendra.id not in ctx.workspace.planning.teams(round_id).get(cid, [])
    assert view.conflicts.rowCount() == 1
    line = view.conflicts.data(view.conflicts.index(0, 0), ROW_ROLE)
    assert line.assessor == hendra.name and line.conflict.reason == "Anggota koperasi yang sama"
    assert "(1)" in view.tabs.tabText(2)
    assert view.selected_id() == cid
    assert not view.panel.item_of(hendra.id).flags() & Qt.ItemFlag.ItemIsEnabled
    assert not boxes["errors"]


def test_visit_date_is_saved_and_cleared(qtbot, ctx: AppContext, boxes, team: list[Assessor],
                                         round_id: int) -> None:
    view = open_view(qtbot, ctx)
    cid = view.model.row_object(0).id
    assert view.select(cid)
    panel = view.panel
    assert panel.no_date.isChecked() and not panel.visit_date.isEnabled()
    panel.no_date.setChecked(False)
    panel.visit_date.setDate(QDate(2024, 8, 14))
    reloaded(qtbot, view, panel.save_date_button.click)
    assert ctx.workspace.planning.visits()[cid] == date(2024, 8, 14)
    row = view.model.row_of(cid)
    assert view.model.data(view.model.index(row, COL_VISIT)) == "2024-08-14"
    assert panel.visit_date.date() == QDate(2024, 8, 14) and not panel.no_date.isChecked()
    panel.no_date.setChecked(True)
    reloaded(qtbot, view, panel.save_date_button.click)
    assert cid not in ctx.workspace.planning.visits()
    assert not boxes["errors"]


def test_filters_by_commodity_and_region(qtbot, ctx: AppContext, team: list[Assessor],
                                         round_id: int) -> None:
    candidates = passed(ctx, round_id)
    view = open_view(qtbot, ctx)
    view.commodity.setCurrentIndex(view.commodity.findData(Commodity.GERABAH))
    assert view.proxy.rowCount() == sum(c.commodity is Commodity.GERABAH
                                        for c in candidates.values())
    view.commodity.setCurrentIndex(0)
    view.province.setCurrentIndex(view.province.findData("33"))
    in_province = {cid for cid, c in candidates.items() if c.province_code == "33"}
    assert view.proxy.rowCount() == len(in_province)
    assert all(view.regency.itemData(i).startswith("33.") for i in range(1,
                                                                          view.regency.count()))
    view.regency.setCurrentIndex(view.regency.findData(REMBANG))
    assert view.proxy.rowCount() == sum(c.region_code == REMBANG for c in candidates.values())
    view.province.setCurrentIndex(0)
    assert view.regency.currentData() == REMBANG  # a kab/kota stays chosen across provinces
    assert view.proxy.rowCount() == sum(c.region_code == REMBANG for c in candidates.values())


def test_team_text_marks_the_secretariat_officer(qtbot, ctx: AppContext, team: list[Assessor],
                                                 round_id: int) -> None:
    cid = next(iter(passed(ctx, round_id)))
    budi, sri = team[1], team[0]
    assert is_secretariat(budi.institution)
    for a in (sri, budi):
        ctx.workspace.assessors.assign(round_id, a.id, [cid])
    view = open_view(qtbot, ctx)
    text = view.model.data(view.model.index(view.model.row_of(cid), COL_TEAM))
    assert text == f"{budi.name} {STAR}, {sri.name}"


def test_screenshot(qtbot, ctx: AppContext, boxes, team: list[Assessor], round_id: int,
                    shots: Path) -> None:
    planning = ctx.workspace.planning
    for cid in list(passed(ctx, round_id))[:40:4]:
        planning.set_visit(cid, date(2024, 8, 5 + cid % 20))
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.attach(ctx)
    view = window.show_page("planner")
    assert isinstance(view, PlannerView)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    for cid in list(passed(ctx, round_id))[:2]:  # two candidates with only one possible assessor
        for a in team[1:]:
            planning.declare(a.id, cid, "Keluarga pemilik")
    propose(qtbot, view)
    window.show()
    assert view.select(next(iter(passed(ctx, round_id))))  # short: the panel says why
    qtbot.waitExposed(window)
    assert window.grab().save(str(shots / "planner.png"))
    view.tabs.setCurrentIndex(1)
    assert window.grab().save(str(shots / "planner-loads.png"))
    view.conflict_button.click()
    assert isinstance(view.dialog, ConflictDialog)
    view.dialog.reason.setText("Anggota koperasi yang sama")
    assert view.dialog.grab().save(str(shots / "planner-conflict.png"))
    view.dialog.reject()
    view.auto_button.click()
    assert isinstance(view.dialog, AutoPlanDialog)
    assert view.dialog.grab().save(str(shots / "planner-auto.png"))
    view.dialog.reject()
