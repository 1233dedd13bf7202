"""Rubric use cases: defaults, editing and freezing, sharing files between coordinators."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.rubric import Rubric, Text, dumps_pretty
from ovop_desktop.errors import NotFoundError, UserFacingError, ValidationError
from ovop_desktop.services.rubrics import default_rubric, parse_commodity_or_fail, rubric_summary
from ovop_desktop.services.workspace import Workspace


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.rubrics.install_defaults()
    return workspace


def _table(ws: Workspace) -> list[tuple[object, ...]]:
    """The rubric table exactly as stored."""
    conn = sqlite3.connect(ws.store.path)
    try:
        return conn.execute("SELECT * FROM rubric ORDER BY id").fetchall()
    finally:
        conn.close()


def _retitled(rubric: Rubric, suffix: str = " (revisi)") -> Rubric:
    return dataclasses.replace(rubric, title=Text(rubric.title.id + suffix, rubric.title.en))


def _batik(ws: Workspace) -> int:
    return ws.rubrics.find(Commodity.KAIN_BATIK).id


def test_install_defaults_adds_five_once(workspace: Workspace) -> None:
    added = workspace.rubrics.install_defaults()
    assert [r.commodity for r in added] == list(Commodity)
    assert all(r.version == 1 and not r.frozen for r in added)
    assert workspace.rubrics.install_defaults() == []
    assert len(workspace.rubrics.list()) == 5


def test_stored_hash_matches_the_content(ws: Workspace) -> None:
    for record in ws.rubrics.list():
        assert record.sha256 == record.rubric.sha256 == default_rubric(record.commodity).sha256


def test_find_and_get(ws: Workspace) -> None:
    record = ws.rubrics.find(Commodity.GERABAH)
    assert ws.rubrics.get(record.id) == record
    assert ws.rubrics.find(Commodity.GERABAH, 1) == record
    with pytest.raises(NotFoundError):
        ws.rubrics.find(Commodity.GERABAH, 7)
    with pytest.raises(NotFoundError):
        ws.rubrics.get(999)


def test_unknown_commodity_is_refused() -> None:
    assert parse_commodity_or_fail("Batik") is Commodity.KAIN_BATIK
    with pytest.raises(NotFoundError):
        parse_commodity_or_fail("perhiasan")


def test_save_unfrozen_edits_in_place(ws: Workspace) -> None:
    before = ws.rubrics.get(_batik(ws))
    saved = ws.rubrics.save(before.id, _retitled(before.rubric))
    assert saved.id == before.id and saved.version == before.version
    assert saved.sha256 != before.sha256 and saved.sha256 == saved.rubric.sha256
    assert saved.rubric.title.id.endswith("(revisi)")
    assert len(ws.rubrics.list(Commodity.KAIN_BATIK)) == 1


def test_save_without_change_changes_nothing(ws: Workspace) -> None:
    before = _table(ws)
    record = ws.rubrics.get(_batik(ws))
    assert ws.rubrics.save(record.id, record.rubric) == record
    ws.rubrics.freeze(record.id)
    assert ws.rubrics.save(record.id, record.rubric).id == record.id
    assert len(_table(ws)) == len(before)


def test_save_frozen_makes_a_new_version_and_keeps_the_old_bytes(ws: Workspace) -> None:
    frozen = ws.rubrics.freeze(_batik(ws))
    assert frozen.frozen and frozen.frozen_at
    old_row = [r for r in _table(ws) if r[0] == frozen.id]
    new = ws.rubrics.save(frozen.id, _retitled(frozen.rubric))
    assert new.id != frozen.id and new.version == 2 and not new.frozen
    assert [r for r in _table(ws) if r[0] == frozen.id] == old_row  # byte-identical
    assert ws.rubrics.get(frozen.id).sha256 == frozen.sha256
    again = ws.rubrics.save(new.id, _retitled(new.rubric, " 2"))  # v2 is not frozen
    assert again.id == new.id and again.version == 2


def test_freezing_twice_keeps_the_first_time(ws: Workspace) -> None:
    first = ws.rubrics.freeze(_batik(ws))
    assert ws.rubrics.freeze(first.id).frozen_at == first.frozen_at


def test_invalid_edit_is_refused_and_nothing_changes(ws: Workspace) -> None:
    record = ws.rubrics.get(_batik(ws))
    aspect = dataclasses.replace(record.rubric.aspects[0], weight=1)
    broken = dataclasses.replace(record.rubric, aspects=(aspect, *record.rubric.aspects[1:]))
    before = _table(ws)
    with pytest.raises(ValidationError):
        ws.rubrics.save(record.id, broken)
    other = ws.rubrics.find(Commodity.GERABAH).rubric
    with pytest.raises(ValidationError):
        ws.rubrics.save(record.id, other)  # an edit cannot change the commodity
    assert _table(ws) == before


def test_round_keeps_pointing_at_the_frozen_version(ws: Workspace) -> None:
    rnd = ws.rounds.create(2024, "Penghargaan OVOP 2024")
    link = next(rc for rc in rnd.commodities if rc.commodity is Commodity.KAIN_BATIK)
    ws.rubrics.freeze(link.rubric_id)
    new = ws.rubrics.save(link.rubric_id, _retitled(ws.rubrics.get(link.rubric_id).rubric))
    after = next(rc for rc in ws.rounds.get(rnd.id).commodities
                 if rc.commodity is Commodity.KAIN_BATIK)
    assert after.rubric_id == link.rubric_id and after.rubric_sha256 == link.rubric_sha256
    assert after.rubric_frozen
    before = ws.rounds.get(rnd.id)
    with pytest.raises(UserFacingError):
        ws.rounds.set_rubric(rnd.id, Commodity.KAIN_BATIK, new.id)
    assert ws.rounds.get(rnd.id) == before
    assert ws.rubrics.get(link.rubric_id).rounds == ("Penghargaan OVOP 2024",)


def test_export_import_round_trip(ws: Workspace, tmp_path: Path) -> None:
    record = ws.rubrics.find(Commodity.ANYAMAN)
    out = tmp_path / "shared" / "anyaman.json"
    ws.rubrics.export(record.id, out)
    assert out.read_bytes() == dumps_pretty(record.rubric)
    before = _table(ws)
    again, added = ws.rubrics.import_file(out)
    assert not added and again.id == record.id
    assert _table(ws) == before

    with Workspace.open(tmp_path / "other-coordinator") as other:
        imported, added = other.rubrics.import_file(out)
        assert added and imported.sha256 == record.sha256 and imported.version == 1


def test_changed_content_with_a_taken_version_is_renumbered(ws: Workspace,
                                                            tmp_path: Path) -> None:
    record = ws.rubrics.find(Commodity.ANYAMAN)
    changed = tmp_path / "anyaman-revisi.json"
    changed.write_bytes(dumps_pretty(_retitled(record.rubric)))
    imported, added = ws.rubrics.import_file(changed)
    assert added and imported.version == 2 and imported.id != record.id
    assert ws.rubrics.get(record.id) == record
    assert ws.rubrics.import_file(changed) == (imported, False)  # once only
    assert len(ws.rubrics.list(Commodity.ANYAMAN)) == 2


def test_import_with_a_free_version_number_keeps_it(ws: Workspace, tmp_path: Path) -> None:
    record = ws.rubrics.find(Commodity.GERABAH)
    path = tmp_path / "gerabah-v7.json"
    path.write_bytes(dumps_pretty(_retitled(record.rubric).with_version(7)))
    imported, added = ws.rubrics.import_file(path)
    assert added and imported.version == 7
    assert ws.rubrics.find(Commodity.GERABAH).id == imported.id  # now the newest


def test_bad_files_are_refused_and_the_table_is_unchanged(
        ws: Workspace, tmp_path: Path, bad_rubric: tuple[str, bytes]) -> None:
    name, data = bad_rubric
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    before = _table(ws)
    with pytest.raises(UserFacingError) as info:
        ws.rubrics.import_file(path)
    assert str(info.value).strip()
    assert _table(ws) == before


def test_missing_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    before = _table(ws)
    with pytest.raises(UserFacingError):
        ws.rubrics.import_file(tmp_path / "no-such-file.json")
    with pytest.raises(UserFacingError):
        ws.rubrics.import_file(tmp_path)  # a folder
    assert _table(ws) == before


def test_export_to_an_unwritable_place_is_a_clear_error(ws: Workspace, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UserFacingError):
        ws.rubrics.export(ws.rubrics.find(Commodity.ANYAMAN).id, blocker / "out.json")
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("language", ["id", "en"])
def test_rubric_summary_shape(ws: Workspace, language: str) -> None:
    record = ws.rubrics.find(Commodity.MAKANAN_MINUMAN)
    summary = rubric_summary(record, language)
    json.dumps(summary)
    assert summary["sha256"] == record.sha256
    criteria = summary["criteria"]
    assert isinstance(criteria, list) and len(criteria) == 22
    assert {"id", "aspect", "levels"} <= set(criteria[0])
    assert [lv["level"] for lv in criteria[0]["levels"]] == [1, 2, 3]
    expected = record.rubric.aspects[0].criteria[0].levels[0].get(language)
    assert criteria[0]["levels"][0]["descriptor"] == expected
