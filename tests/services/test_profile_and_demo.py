"""First-run profile, demo data, settings and the current round."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ovop_desktop.data import audit
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.rounds import RoundStatus
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.services.demo import build_demo
from ovop_desktop.services.maintenance import check_database
from ovop_desktop.services.settings import Settings, load_settings
from ovop_desktop.services.workspace import Workspace


def _dump(ws: Workspace) -> list[tuple[object, ...]]:
    """Every row of every table, to show that nothing changed."""
    conn = sqlite3.connect(ws.store.path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, *row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"')]
    finally:
        conn.close()


# -- profile ---------------------------------------------------------------------------------

def test_init_profile(workspace: Workspace) -> None:
    assert workspace.is_empty() and workspace.profile.get() is None
    assert workspace.profile.actor() == "system"
    profile = workspace.profile.init(Role.ASSESSOR, "  Siti   Rahma ", " Universitas  Padjadjaran")
    assert (profile.role, profile.name, profile.institution) == (
        Role.ASSESSOR, "Siti Rahma", "Universitas Padjadjaran")
    assert workspace.profile.actor() == "Siti Rahma"
    assert not workspace.is_empty()


def test_profile_survives_reopening(tmp_path: Path) -> None:
    with Workspace.open(tmp_path) as ws:
        ws.profile.init(Role.COORDINATOR, "Sekretariat")
    with Workspace.open(tmp_path) as ws:
        assert ws.profile.get().role is Role.COORDINATOR  # type: ignore[union-attr]


def test_role_cannot_change(workspace: Workspace) -> None:
    workspace.profile.init(Role.COORDINATOR, "Sekretariat")
    before = _dump(workspace)
    with pytest.raises(UserFacingError):
        workspace.profile.init(Role.ASSESSOR, "Sekretariat")
    assert _dump(workspace) == before
    assert workspace.profile.get().role is Role.COORDINATOR  # type: ignore[union-attr]


def test_name_can_be_corrected_with_the_same_role(workspace: Workspace) -> None:
    workspace.profile.init(Role.COORDINATOR, "Sekretariat")
    workspace.profile.init(Role.COORDINATOR, "Sekretariat OVOP", "Kemenperin")
    assert workspace.profile.get().name == "Sekretariat OVOP"  # type: ignore[union-attr]
    with workspace.store.read() as s:
        assert audit.count(s) == 2


@pytest.mark.parametrize("name, institution", [
    ("", ""), ("   ", ""), ("\t\n", "Kemenperin"), ("x" * 201, ""), ("Ani", "y" * 201),
])
def test_bad_profile_is_refused(workspace: Workspace, name: str, institution: str) -> None:
    before = _dump(workspace)
    with pytest.raises(ValidationError):
        workspace.profile.init(Role.COORDINATOR, name, institution)
    assert workspace.profile.get() is None
    assert _dump(workspace) == before


# -- demo ------------------------------------------------------------------------------------

def test_demo_on_an_empty_profile(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    assert ws.profile.get().role is Role.COORDINATOR  # type: ignore[union-attr]
    rounds = ws.rounds.list()
    assert [(r.year, r.status) for r in rounds] == [
        (2024, RoundStatus.OPEN), (2022, RoundStatus.CLOSED)]
    assert len(ws.rubrics.list()) == 5
    assert all(rc.rubric_frozen for rc in rounds[0].commodities)
    assert len(rounds[0].commodities) == 5
    assert ws.current_round().id == rounds[0].id  # type: ignore[union-attr]
    assert check_database(ws.store).ok


def test_demo_if_empty_on_a_filled_profile_changes_nothing(demo_workspace: Workspace) -> None:
    before = _dump(demo_workspace)
    result = build_demo(demo_workspace, if_empty=True)
    assert (result.created, result.rounds, result.rubrics) == (False, 2, 5)
    assert _dump(demo_workspace) == before


def test_demo_without_if_empty_on_a_filled_profile_is_refused(demo_workspace: Workspace) -> None:
    before = _dump(demo_workspace)
    with pytest.raises(UserFacingError):
        build_demo(demo_workspace)
    assert _dump(demo_workspace) == before


def test_demo_refuses_a_profile_that_only_has_a_person(workspace: Workspace) -> None:
    workspace.profile.init(Role.ASSESSOR, "Budi")
    with pytest.raises(UserFacingError):
        build_demo(workspace)
    assert build_demo(workspace, if_empty=True).created is False
    assert workspace.rounds.list() == []


# -- settings and the current round ----------------------------------------------------------

def test_settings_are_saved_in_the_profile(workspace: Workspace, tmp_path: Path) -> None:
    assert workspace.settings == Settings()
    workspace.update_settings(language="en")
    assert load_settings(workspace.paths.settings).language == "en"
    with Workspace.open(tmp_path) as again:
        assert again.settings.language == "en"


@pytest.mark.parametrize("content", [
    "", "{", "[]", '{"language": "fr", "current_round_id": "7"}', '{"current_round_id": true}',
    "\x00\xff",
])
def test_unreadable_settings_fall_back_to_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="latin-1")
    assert load_settings(path) == Settings()


def test_current_round(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    old = [r for r in ws.rounds.list() if r.year == 2022][0]
    ws.update_settings(current_round_id=old.id)
    assert ws.current_round().id == old.id  # type: ignore[union-attr]
    ws.update_settings(current_round_id=999)  # gone: fall back to the newest active round
    assert ws.current_round().year == 2024  # type: ignore[union-attr]


def test_no_current_round_in_an_empty_profile(workspace: Workspace) -> None:
    assert workspace.current_round() is None
