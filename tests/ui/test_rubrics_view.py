"""The rubric screen: viewing, editing, freezing, export/import — through real services."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTreeView,
)

from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.domain.profile import Role  # noqa: E402
from ovop_desktop.errors import ValidationError  # noqa: E402
from ovop_desktop.services.demo import build_demo  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402
from ovop_desktop.ui.context import AppContext, ContextSignals  # noqa: E402
from ovop_desktop.ui.models.rubric_tree import RubricListModel, RubricTreeModel  # noqa: E402
from ovop_desktop.ui.views import rubrics as rubrics_module  # noqa: E402
from ovop_desktop.ui.views.rubrics import RubricsView  # noqa: E402
from ovop_desktop.ui.workers import TaskRunner  # noqa: E402

BATIK = Commodity.KAIN_BATIK


class Dialogs:
    """Stands in for every modal the view may open; records what it was asked or told."""

    def __init__(self) -> None:
        self.confirm_answer = True
        self.questions: list[str] = []
        self.errors: list[BaseException] = []
        self.infos: list[str] = []

    def confirm(self, _parent, _title: str, text: str, _yes: str) -> bool:
        self.questions.append(text)
        return self.confirm_answer

    def show_error(self, _parent, error: BaseException, _title: str | None = None) -> None:
        self.errors.append(error)

    def show_info(self, _parent, _title: str, text: str) -> None:
        self.infos.append(text)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    fake = Dialogs()
    for name in ("confirm", "show_error", "show_info"):
        monkeypatch.setattr(rubrics_module, name, getattr(fake, name))
    return fake


def _open(path: Path, role: Role | None) -> Workspace:
    ws = Workspace.open(path)
    if role is None:
        build_demo(ws)  # coordinator; the 2024 round froze every rubric
    else:
        ws.profile.init(role, "Koordinator" if role is Role.COORDINATOR else "Penilai", "")
        ws.rubrics.install_defaults()
    return ws


@pytest.fixture
def demo_ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = _open(tmp_path / "demo", None)
    yield ws
    ws.close()


@pytest.fixture
def fresh_ws(tmp_path: Path) -> Iterator[Workspace]:
    """A coordinator whose rubrics are not frozen yet."""
    ws = _open(tmp_path / "fresh", Role.COORDINATOR)
    yield ws
    ws.close()


@pytest.fixture
def assessor_ws(tmp_path: Path) -> Iterator[Workspace]:
    ws = _open(tmp_path / "assessor", Role.ASSESSOR)
    yield ws
    ws.close()


def make_view(qtbot, ws: Workspace, commodity: Commodity = BATIK) -> RubricsView:
    ctx = AppContext(workspace=ws, tasks=TaskRunner(), signals=ContextSignals())
    view = RubricsView(ctx)
    qtbot.addWidget(view)
    assert view.select_rubric(ws.rubrics.find(commodity).id)
    return view


def tree_of(view: RubricsView) -> RubricTreeModel:
    model = view.findChild(QTreeView, "rubricTree").model()
    assert isinstance(model, RubricTreeModel)
    return model


def list_of(view: RubricsView) -> RubricListModel:
    model = view.findChild(QTableView, "rubricList").model()
    assert isinstance(model, RubricListModel)
    return model


def select_item(view: RubricsView, ident: str) -> None:
    """Make the aspect or criterion with this id the tree's current item."""
    model, tree = tree_of(view), view.findChild(QTreeView, "rubricTree")
    for a in range(model.rowCount()):
        if model.aspect(a).id == ident:
            tree.setCurrentIndex(model.aspect_index(a))
            return
        for c in range(model.rowCount(model.aspect_index(a))):
            if model.criterion(a, c).id == ident:
                tree.setCurrentIndex(model.criterion_index(a, c))
                return
    raise AssertionError(f"no item {ident}")


def widget(view: RubricsView, kind: type, name: str):
    found = view.findChild(kind, name)
    assert found is not None, name
    return found


def save_button(view: RubricsView) -> QPushButton:
    return widget(view, QPushButton, "saveButton")


def test_models_pass_the_model_tester(qtbot, qtmodeltester, demo_ws: Workspace,
                                      dialogs: Dialogs) -> None:
    view = make_view(qtbot, demo_ws)
    qtmodeltester.check(list_of(view))
    qtmodeltester.check(tree_of(view))
    # The tester stays attached: structural edits are checked as they happen.
    widget(view, QPushButton, "addAspectButton").click()
    select_item(view, "B")
    widget(view, QPushButton, "addCriterionButton").click()
    widget(view, QPushButton, "removeButton").click()
    select_item(view, "C2")
    widget(view, QPushButton, "removeButton").click()


def test_lists_every_version_with_status_and_rounds(qtbot, demo_ws: Workspace,
                                                   dialogs: Dialogs) -> None:
    view = make_view(qtbot, demo_ws)
    model = list_of(view)
    assert model.rowCount() == 5
    records = [model.index(r, 0).data(RubricListModel.RecordRole) for r in range(5)]
    assert [r.commodity for r in records] == list(Commodity)
    assert all(r.frozen for r in records)
    rounds = model.index(2, RubricListModel.COL_ROUNDS).data()
    assert "2024" in rounds and "2022" in rounds
    assert model.index(2, RubricListModel.COL_VERSION).data() == "v1"


def test_tree_shows_aspects_criteria_and_weights(qtbot, demo_ws: Workspace,
                                                 dialogs: Dialogs) -> None:
    view = make_view(qtbot, demo_ws)
    model = tree_of(view)
    stored = demo_ws.rubrics.find(BATIK).rubric
    assert model.rowCount() == len(stored.aspects)
    weights = [model.index(r, RubricTreeModel.COL_WEIGHT).data() for r in range(model.rowCount())]
    assert weights == [str(a.weight) for a in stored.aspects]
    assert sum(map(int, weights)) == 100
    last = model.aspect_index(model.rowCount() - 1)
    assert model.rowCount(last) == len(stored.aspects[-1].criteria)
    assert model.index(0, RubricTreeModel.COL_ID, last).data() == stored.aspects[-1].criteria[0].id


def test_editing_an_unfrozen_rubric_saves_in_place(qtbot, fresh_ws: Workspace,
                                                   dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    before = fresh_ws.rubrics.find(BATIK)
    assert not before.frozen and not widget(view, QLabel, "frozenBanner").isVisibleTo(view)
    select_item(view, "C4")
    widget(view, QPlainTextEdit, "level3EnEdit").setPlainText("Hand-drawn tulis batik, local motif")
    assert view.has_unsaved_changes() and save_button(view).isEnabled()
    assert save_button(view).text() == rubrics_module._("Save")
    with qtbot.waitSignal(view._ctx.signals.data_changed, timeout=1000):
        save_button(view).click()
    after = fresh_ws.rubrics.get(before.id)
    assert after.sha256 != before.sha256 and after.version == 1
    criterion = dict((c.id, c) for _a, c in after.rubric.criteria())["C4"]
    assert criterion.levels[2].en == "Hand-drawn tulis batik, local motif"
    assert len(fresh_ws.rubrics.list(BATIK)) == 1
    assert not view.has_unsaved_changes() and not save_button(view).isEnabled()


def test_editing_a_frozen_rubric_makes_a_new_version(qtbot, demo_ws: Workspace,
                                                     dialogs: Dialogs) -> None:
    view = make_view(qtbot, demo_ws)
    v1 = demo_ws.rubrics.find(BATIK)
    assert widget(view, QLabel, "frozenBanner").isVisibleTo(view)
    assert save_button(view).text() == rubrics_module._("Save as new version")
    select_item(view, "C4")
    widget(view, QPlainTextEdit, "level1IdEdit").setPlainText("Batik cap dengan motif umum")
    with qtbot.waitSignal(view._ctx.signals.data_changed, timeout=1000):
        save_button(view).click()
    versions = demo_ws.rubrics.list(BATIK)
    assert [r.version for r in versions] == [1, 2]
    assert demo_ws.rubrics.get(v1.id).sha256 == v1.sha256  # the frozen version never changes
    v2 = versions[1]
    assert not v2.frozen and view.current_record().id == v2.id
    listing = view.findChild(QTableView, "rubricList")
    assert listing.currentIndex().data(RubricListModel.IdRole) == v2.id
    assert not widget(view, QLabel, "frozenBanner").isVisibleTo(view)


def test_weights_not_adding_to_100_disable_save(qtbot, fresh_ws: Workspace,
                                                dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    select_item(view, "A")
    spin = widget(view, QSpinBox, "weightSpin")
    spin.setValue(spin.value() - 1)
    assert not save_button(view).isEnabled()
    assert "99" in widget(view, QLabel, "validationLabel").text()
    assert tree_of(view).index(0, RubricTreeModel.COL_WEIGHT).data() == str(spin.value())
    select_item(view, "B")
    spin.setValue(spin.value() + 1)
    assert save_button(view).isEnabled()
    assert "100" in widget(view, QLabel, "validationLabel").text()


def test_clearing_an_english_descriptor_disables_save(qtbot, fresh_ws: Workspace,
                                                      dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    select_item(view, "B2")
    widget(view, QPlainTextEdit, "level2EnEdit").setPlainText("   ")
    assert view.has_unsaved_changes() and not save_button(view).isEnabled()
    assert "B2" in widget(view, QLabel, "validationLabel").text()
    widget(view, QPushButton, "revertButton").click()
    assert not view.has_unsaved_changes()


def test_new_aspect_needs_weight_and_text_before_saving(qtbot, fresh_ws: Workspace,
                                                        dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    widget(view, QPushButton, "addAspectButton").click()
    assert tree_of(view).rowCount() == 4 and not save_button(view).isEnabled()
    widget(view, QPushButton, "removeButton").click()  # the new aspect is the current item
    assert tree_of(view).rowCount() == 3 and not view.has_unsaved_changes()


def test_freeze_asks_first(qtbot, fresh_ws: Workspace, dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    freeze = widget(view, QPushButton, "freezeButton")
    dialogs.confirm_answer = False
    freeze.click()
    assert dialogs.questions and not fresh_ws.rubrics.find(BATIK).frozen
    dialogs.confirm_answer = True
    with qtbot.waitSignal(view._ctx.signals.data_changed, timeout=1000):
        freeze.click()
    assert fresh_ws.rubrics.find(BATIK).frozen
    assert not freeze.isEnabled() and widget(view, QLabel, "frozenBanner").isVisibleTo(view)
    assert save_button(view).text() == rubrics_module._("Save as new version")


def test_switching_away_from_unsaved_edits_asks(qtbot, fresh_ws: Workspace,
                                                dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    listing = view.findChild(QTableView, "rubricList")
    batik_row = listing.currentIndex().row()
    select_item(view, "A1")
    widget(view, QPlainTextEdit, "level1IdEdit").setPlainText("diubah")
    dialogs.confirm_answer = False
    listing.setCurrentIndex(list_of(view).index(0, 0))
    assert dialogs.questions and view.has_unsaved_changes()
    qtbot.waitUntil(lambda: listing.currentIndex().row() == batik_row, timeout=1000)
    assert view.current_record().commodity is BATIK
    dialogs.confirm_answer = True
    listing.setCurrentIndex(list_of(view).index(0, 0))
    assert view.current_record().commodity is Commodity.MAKANAN_MINUMAN
    assert not view.has_unsaved_changes()


def test_export_then_import_reports_already_present(qtbot, demo_ws: Workspace, dialogs: Dialogs,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, demo_ws)
    target = tmp_path / "shared.json"
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _c, name, _f: (asked.append(name), (str(target), ""))[1])
    widget(view, QPushButton, "exportButton").click()
    assert Path(asked[0]).name == "rubrik-kain_batik-v1.json"
    assert json.loads(target.read_text(encoding="utf-8"))["commodity"] == "kain_batik"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(target), ""))
    widget(view, QPushButton, "importButton").click()
    record = demo_ws.rubrics.find(BATIK)
    assert dialogs.infos == [rubrics_module.import_message(record, added=False)]
    assert not dialogs.errors and len(demo_ws.rubrics.list()) == 5


def test_import_of_a_changed_rubric_adds_a_version(qtbot, demo_ws: Workspace, dialogs: Dialogs,
                                                   tmp_path: Path, english,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, demo_ws)
    doc = demo_ws.rubrics.find(BATIK).rubric.to_dict()
    doc["aspects"][0]["criteria"][0]["name"]["en"] = "Main raw materials"
    path = tmp_path / "from-colleague.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(path), ""))
    with qtbot.waitSignal(view._ctx.signals.data_changed, timeout=1000):
        widget(view, QPushButton, "importButton").click()
    assert [r.version for r in demo_ws.rubrics.list(BATIK)] == [1, 2]
    assert "Added" in dialogs.infos[0]
    assert view.current_record().version == 2 and list_of(view).rowCount() == 6


def test_importing_junk_shows_the_problem_and_adds_nothing(qtbot, demo_ws: Workspace,
                                                          dialogs: Dialogs, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, demo_ws)
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x00\xffnot a rubric at all" * 100)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(junk), ""))
    widget(view, QPushButton, "importButton").click()
    assert len(dialogs.errors) == 1 and isinstance(dialogs.errors[0], ValidationError)
    assert not dialogs.infos and len(demo_ws.rubrics.list()) == 5


def test_cancelled_file_dialogs_do_nothing(qtbot, demo_ws: Workspace, dialogs: Dialogs,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(qtbot, demo_ws)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    widget(view, QPushButton, "exportButton").click()
    widget(view, QPushButton, "importButton").click()
    assert not dialogs.errors and not dialogs.infos


def test_assessor_only_views(qtbot, assessor_ws: Workspace, dialogs: Dialogs) -> None:
    view = make_view(qtbot, assessor_ws)
    for name in ("saveButton", "freezeButton", "importButton", "addAspectButton",
                 "addCriterionButton", "removeButton", "revertButton"):
        assert widget(view, QPushButton, name).isHidden(), name
    select_item(view, "A")
    assert widget(view, QSpinBox, "weightSpin").isReadOnly()
    select_item(view, "C4")
    for level in (1, 2, 3):
        for lang in ("Id", "En"):
            edit = widget(view, QPlainTextEdit, f"level{level}{lang}Edit")
            assert edit.isReadOnly() and edit.toPlainText()


def test_refresh_keeps_unsaved_edits(qtbot, fresh_ws: Workspace, dialogs: Dialogs) -> None:
    view = make_view(qtbot, fresh_ws)
    select_item(view, "A2")
    widget(view, QPlainTextEdit, "level2EnEdit").setPlainText("Supply is mostly assured")
    fresh_ws.rubrics.freeze(view.current_record().id)  # e.g. a round sent it out meanwhile
    view.refresh()
    assert view.has_unsaved_changes() and view.current_record().frozen
    assert save_button(view).text() == rubrics_module._("Save as new version")
