"""The Putaran screen: rounds, thresholds, status — through real services."""

from __future__ import annotations

import pytest

from ovop_desktop.domain.rounds import RoundStatus, Thresholds
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.views import rounds as rounds_module
from ovop_desktop.ui.views.rounds import RoundsView


@pytest.fixture
def view(qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> RoundsView:
    errors: list[BaseException] = []
    monkeypatch.setattr(rounds_module, "show_error", lambda _p, exc, *a: errors.append(exc))
    monkeypatch.setattr(rounds_module, "confirm", lambda *a: True)
    widget = RoundsView(ctx)
    widget.errors = errors  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    return widget


def test_shows_both_demo_rounds_and_selects_the_current(view: RoundsView, qtmodeltester) -> None:
    qtmodeltester.check(view.model)
    assert [r.year for r in view.model.rows()] == [2024, 2022]
    selected = view.selected_round()
    assert selected is not None and selected.year == 2024
    assert view.commodity_model.rowCount() == 5


def test_thresholds_are_saved_and_audited(view: RoundsView, ctx: AppContext) -> None:
    view.three.setValue(85)
    view.save_thresholds.click()
    current = ctx.workspace.current_round()
    assert current is not None and current.thresholds == Thresholds(85, 65, 50)


def test_bad_thresholds_are_refused_with_a_message(view: RoundsView, ctx: AppContext) -> None:
    view.two.setValue(90)  # 2★ above 3★
    view.save_thresholds.click()
    assert view.errors  # type: ignore[attr-defined]
    current = ctx.workspace.current_round()
    assert current is not None and current.thresholds == Thresholds(80, 65, 50)


def test_closed_round_cannot_be_edited(view: RoundsView) -> None:
    view.table.selectRow(1)  # 2022, closed
    assert view.selected_round().status is RoundStatus.CLOSED
    assert not view.three.isEnabled() and not view.save_thresholds.isEnabled()
    assert not view.reopen_button.isHidden()


def test_closing_a_round(view: RoundsView, ctx: AppContext) -> None:
    view.close_button.click()
    assert ctx.workspace.rounds.get(view.selected_round().id).status is RoundStatus.CLOSED


def test_new_round_dialog_creates_a_round(view: RoundsView, ctx: AppContext,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeDialog:
        def __init__(self, *_a: object) -> None: ...
        def exec(self) -> bool:
            return True
        def values(self) -> tuple[int, str, Thresholds]:
            return 2026, "Penghargaan OVOP 2026", Thresholds(82, 66, 51)

    monkeypatch.setattr(rounds_module, "NewRoundDialog", FakeDialog)
    view.new_button.click()
    assert [r.year for r in view.model.rows()][0] == 2026
    current = ctx.workspace.current_round()
    assert current is not None and current.year == 2026 and len(current.commodities) == 5


def test_assessor_cannot_create_or_edit(qtbot, assessor_ctx: AppContext) -> None:
    widget = RoundsView(assessor_ctx)
    qtbot.addWidget(widget)
    assert not widget.new_button.isEnabled()


def test_round_in_setup_can_switch_to_a_newer_rubric_version(
        qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from ovop_desktop.domain.commodities import Commodity

    ws = ctx.workspace
    new_round = ws.rounds.create(2026, "Penghargaan OVOP 2026")
    batik = ws.rubrics.find(Commodity.KAIN_BATIK)  # v1, frozen by the 2024 round
    changed = batik.rubric.aspects[0].criteria[0]
    edited = batik.rubric.__class__(
        commodity=batik.rubric.commodity, version=batik.version, title=batik.rubric.title,
        aspects=(batik.rubric.aspects[0].__class__(
            id="A", name=batik.rubric.aspects[0].name, weight=40,
            criteria=(changed.__class__(id=changed.id, name=changed.name.__class__(
                id="Bahan baku utama (direvisi)", en=changed.name.en), levels=changed.levels),
                *batik.rubric.aspects[0].criteria[1:])),
            *batik.rubric.aspects[1:]))
    v2 = ws.rubrics.save(batik.id, edited)
    assert v2.version == 2
    ws.update_settings(current_round_id=new_round.id)
    widget = RoundsView(ctx)
    qtbot.addWidget(widget)
    # 2026 still points at v1 (frozen: assessors of 2024 have it) — so it stays.
    row = [rc.commodity for rc in widget.selected_round().commodities].index(Commodity.KAIN_BATIK)
    widget.commodities.selectRow(row)
    assert not widget.use_version.isEnabled()
