"""Qt fixtures: an AppContext over a real profile, and no modal dialog left blocking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ovop_desktop.domain.candidates import CandidateData, EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.profile import Role
from ovop_desktop.services import identity
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui.context import AppContext, ContextSignals
from ovop_desktop.ui.workers import TaskRunner


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
               ) -> Iterator[Path]:
    """For a profile built once per module: a folder of its own, a private home and default
    profile while it is built (the autouse isolation is per test), fast key derivation."""
    tmp = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    home = tmp / "_home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (("HOME", home), ("XDG_DATA_HOME", home / "data"),
                            ("XDG_CONFIG_HOME", home / "config"),
                            ("OVOP_DATA_DIR", tmp / "_profile")):
            mp.setenv(name, str(value))
        mp.setattr(identity, "KDF_PARAMS", identity.ScryptParams(n=2**10, r=8, p=1))
        yield tmp


def make_ctx(ws: Workspace) -> AppContext:
    return AppContext(workspace=ws, tasks=TaskRunner(), signals=ContextSignals())


@pytest.fixture
def ctx(demo_workspace: Workspace) -> Iterator[AppContext]:
    """The demo coordinator profile."""
    context = make_ctx(demo_workspace)
    yield context
    context.tasks.wait_all()


@pytest.fixture
def assessor_ctx(tmp_path: Path) -> Iterator[AppContext]:
    ws = Workspace.open(tmp_path / "assessor")
    ws.profile.init(Role.ASSESSOR, "Dr. Sri Wahyuni", "Yayasan Batik Indonesia")
    ws.rubrics.install_defaults()
    try:
        yield make_ctx(ws)
    finally:
        ws.close()


# -- the scoring sheet on an assessor's laptop (test_scoring_sheet, test_scoring_photos) -------

def add_local_candidates(ctx: AppContext) -> list[int]:
    """What an imported package leaves on an assessor's laptop: a round and its candidates."""
    ws = ctx.workspace
    current = ws.rounds.create(2024, "Penilaian OVOP 2024")
    ws.update_settings(current_round_id=current.id)
    return ws.candidates.create_many(current.id, [
        CandidateData(name="Batik Tulis Sekar Jagad", region_code="33.74",
                      commodity=Commodity.KAIN_BATIK, product="Batik tulis pewarna alam",
                      owner="Ibu Sri Rahayu", address="Jl. Kauman No. 12",
                      sentra_name="Sentra Batik Kauman", sentra_sk_number="050/123/2019",
                      documents=frozenset({Document.SK_SENTRA, Document.NIB}),
                      kind=EntryKind.REEVALUATION, previous_star=2, previous_year=2021),
        CandidateData(name="Kopi Cikajang", region_code="32.05",
                      commodity=Commodity.MAKANAN_MINUMAN, product="Kopi arabika"),
    ], "test")


@pytest.fixture
def batik(assessor_ctx: AppContext) -> int:
    """The batik candidate of a 2024 round on the assessor's laptop."""
    return add_local_candidates(assessor_ctx)[0]


@pytest.fixture
def sheet(qtbot, assessor_ctx: AppContext, batik: int):  # type: ignore[no-untyped-def]
    """The scoring sheet of `batik`, shown, with the first criterion focused."""
    from ovop_desktop.ui.views.scoring_sheet import ScoringSheet

    widget = ScoringSheet(assessor_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    assert widget.load(batik)
    qtbot.waitUntil(lambda: widget.rows[0].hasFocus())
    return widget


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Errors the scoring sheet would show in a message box, collected instead."""
    from ovop_desktop.ui.views import scoring_panels, scoring_photos, scoring_sheet

    shown: list[BaseException] = []
    for module in (scoring_sheet, scoring_photos, scoring_panels):
        monkeypatch.setattr(module, "show_error", lambda _p, exc, *a: shown.append(exc))
    return shown


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: $OVOP_SCREENSHOTS (to look at them) or a temporary folder."""
    folder = Path(os.environ.get("OVOP_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """As the app does (ui/gc_guard.py): never let a collection start on a worker thread,
    where it could destroy Qt objects. Collect here, on the main thread, after each test."""
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
