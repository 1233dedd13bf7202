"""The Wilayah screen: what a coordinator sees when typing a place from a spreadsheet."""

from __future__ import annotations

from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.models.table import ROW_ROLE
from ovop_desktop.ui.views.regions import RegionsView


def _codes(view: RegionsView) -> list[str]:
    return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]


def test_lists_all_514_and_filters_by_province(qtbot, ctx: AppContext, qtmodeltester) -> None:
    view = RegionsView(ctx)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    assert view.proxy.rowCount() == 514
    view.province.setCurrentIndex(view.province.findData("32"))
    assert view.proxy.rowCount() == 27
    assert all(code.startswith("32.") for code in _codes(view))


def test_spreadsheet_spelling_resolves_to_one_code(qtbot, ctx: AppContext) -> None:
    view = RegionsView(ctx)
    qtbot.addWidget(view)
    view.query.setText("KAB. GARUT")
    assert _codes(view) == ["32.05"]
    assert "32.05" in view.result.text()


def test_bare_bogor_is_reported_ambiguous_not_guessed(qtbot, ctx: AppContext) -> None:
    view = RegionsView(ctx)
    qtbot.addWidget(view)
    view.query.setText("Bogor")
    assert sorted(_codes(view)) == ["32.01", "32.71"]
    assert view.result.text().startswith("⚠")


def test_unknown_name_suggests(qtbot, ctx: AppContext) -> None:
    view = RegionsView(ctx)
    qtbot.addWidget(view)
    view.query.setText("Kab. Garutt")
    assert view.result.text().startswith("✖")
    assert "32.05" in _codes(view)
    row = view.proxy.index(0, 0).data(ROW_ROLE)
    assert row.code == "32.05"
