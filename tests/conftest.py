"""Shared fixtures for the whole suite. Qt-free: the core's tests run without PySide6.

Every test gets its own profile directory (OVOP_DATA_DIR), HOME and XDG_DATA_HOME under
tmp_path, so nothing ever touches the real user's data, and the language is reset to
Indonesian afterwards because `set_language` is process-wide.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # harmless for core tests; Qt tests need it

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from ovop_desktop import i18n  # noqa: E402
from ovop_desktop.services.demo import build_demo  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A private default profile and home for every test; Indonesian restored afterwards."""
    home = tmp_path / "_home"
    home.mkdir()
    monkeypatch.setenv("OVOP_DATA_DIR", str(tmp_path / "_env_profile"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh, empty profile opened the way the app opens one."""
    ws = Workspace.open(tmp_path)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def demo_workspace(workspace: Workspace) -> Workspace:
    """The demo coordinator profile: 2022 (closed) and 2024 (open, frozen rubrics) rounds."""
    result = build_demo(workspace)
    assert result.created
    return workspace


@pytest.fixture
def english() -> None:
    """Messages in English, for tests that match on a message's words (reset afterwards)."""
    i18n.set_language("en")
