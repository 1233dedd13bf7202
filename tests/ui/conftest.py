"""Qt fixtures: an AppContext over a real profile, and no modal dialog left blocking."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ovop_desktop.domain.profile import Role
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui.context import AppContext, ContextSignals
from ovop_desktop.ui.workers import TaskRunner


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
