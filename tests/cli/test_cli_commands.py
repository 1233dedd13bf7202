"""Every command of the `ovop` contract, as text and as --json (before or after the command)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ovop_desktop.domain.commodities import Commodity

Run = Callable[..., Any]  # the `ovop` fixture from tests/cli/conftest.py

COMMANDS_ON_DEMO = [
    ["round", "list"], ["round", "show"], ["round", "show", "1"], ["rubric", "list"],
    ["rubric", "show", "anyaman"], ["rubric", "show", "Batik"], ["regions", "find", "Kab. Garut"],
    ["db", "check"],
]


def test_init(ovop: Run, profile_dir: Path) -> None:
    res = ovop("init", "--role", "coordinator", "--name", "Sekretariat OVOP",
               "--institution", "Kemenperin").assert_ok()
    assert "Sekretariat OVOP" in res.out and str(profile_dir) in res.out
    assert (profile_dir / "ovop.sqlite3").exists()
    doc = ovop("--json", "rubric", "list").assert_ok().json()
    assert len(doc) == 5  # init installs the default rubrics


def test_init_json(ovop: Run, profile_dir: Path) -> None:
    doc = ovop("--json", "init", "--role", "assessor", "--name", "Budi").assert_ok().json()
    assert doc == {"role": "assessor", "name": "Budi", "institution": "",
                   "data_dir": str(profile_dir.resolve())}


def test_demo(ovop: Run) -> None:
    res = ovop("demo").assert_ok()  # with the assessors' panel and its results
    assert "demo-ovop-2024" in res.out
    doc = ovop("--json", "demo", "--if-empty").assert_ok().json()
    assert (doc["created"], doc["rounds"], doc["rubrics"]) == (False, 2, 5)
    assert ovop("demo", "--if-empty").assert_ok().out.strip()


def test_demo_json(ovop: Run) -> None:
    doc = ovop("demo", "--json", "--no-results").assert_ok().json()
    assert (doc["created"], doc["rounds"], doc["rubrics"]) == (True, 2, 5)
    assert "panel" not in doc


def test_round_create_list_show(ovop: Run) -> None:
    created = ovop("--json", "round", "create", "--year", "2026", "--name", "Penghargaan 2026",
                   "--thresholds", "85,70,55").assert_ok().json()
    assert created["thresholds"] == {"3": 85, "2": 70, "1": 55}
    assert [c["id"] for c in created["commodities"]] == [c.value for c in Commodity]
    assert created["status"] == "setup"
    text = ovop("round", "create", "--year", "2024", "--name", "Penghargaan 2024").assert_ok()
    assert "Penghargaan 2024" in text.out
    listed = ovop("--json", "round", "list").assert_ok().json()
    assert [r["year"] for r in listed] == [2026, 2024]
    assert all(isinstance(r["id"], int) for r in listed)
    shown = ovop("--json", "round", "show", str(created["id"])).assert_ok().json()
    assert shown["id"] == created["id"] and shown["name"] == "Penghargaan 2026"
    assert "Penghargaan 2026" in ovop("round", "show", str(created["id"])).assert_ok().out
    assert "Penghargaan 2024" in ovop("round", "list").assert_ok().out


def test_round_list_on_an_empty_profile(ovop: Run) -> None:
    assert ovop("--json", "round", "list").assert_ok().json() == []
    assert ovop("round", "list").assert_ok().out.strip()


@pytest.mark.parametrize("command", COMMANDS_ON_DEMO, ids=" ".join)
def test_commands_as_text(demo: Run, command: list[str]) -> None:
    res = demo(*command).assert_ok()
    assert res.out.strip() and res.err == ""


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", COMMANDS_ON_DEMO, ids=" ".join)
def test_commands_as_json(demo: Run, command: list[str], where: str) -> None:
    argv = ["--json", *command] if where == "before" else [*command, "--json"]
    res = demo(*argv).assert_ok()
    doc = res.json()
    if isinstance(doc, list):
        assert doc and all(isinstance(item, dict) and "id" in item for item in doc)
    else:
        assert isinstance(doc, dict)


def test_round_list_json_marks_the_current_round(demo: Run) -> None:
    rounds = demo("--json", "round", "list").assert_ok().json()
    assert [(r["year"], r["status"], r["current"]) for r in rounds] == [
        (2024, "open", True), (2022, "closed", False)]
    assert all(len(r["commodities"]) == 5 for r in rounds)


def test_rubric_list_json(demo: Run) -> None:
    rubrics = demo("--json", "rubric", "list").assert_ok().json()
    assert [r["commodity"] for r in rubrics] == [c.value for c in Commodity]
    assert all(len(r["sha256"]) == 64 and r["frozen"] for r in rubrics)


def test_rubric_show_json(demo: Run) -> None:
    doc = demo("--json", "rubric", "show", "kain_tenun").assert_ok().json()
    assert doc["commodity"] == "kain_tenun" and len(doc["sha256"]) == 64
    assert len(doc["criteria"]) == 22
    for criterion in doc["criteria"]:
        assert {"id", "aspect", "levels"} <= set(criterion)
        assert [lv["level"] for lv in criterion["levels"]] == [1, 2, 3]
    aspects = {a["id"] for a in doc["aspects"]}
    assert {c["aspect"] for c in doc["criteria"]} == aspects
    assert sum(a["weight"] for a in doc["aspects"]) == 100


def test_rubric_show_version(demo: Run) -> None:
    doc = demo("--json", "rubric", "show", "gerabah", "--version", "1").assert_ok().json()
    assert doc["version"] == 1


def test_rubric_export_import(demo: Run, tmp_path: Path) -> None:
    out = tmp_path / "gerabah.json"
    exported = demo("--json", "rubric", "export", "gerabah", "--out", str(out)).assert_ok().json()
    assert out.exists() and exported["file"] == str(out)
    again = demo("--json", "rubric", "import", str(out)).assert_ok().json()
    assert again["added"] is False and again["sha256"] == exported["sha256"]
    assert demo("rubric", "import", str(out)).assert_ok().out.strip()

    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["title"]["id"] += " (revisi)"
    changed = tmp_path / "gerabah-revisi.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    added = demo("--json", "rubric", "import", str(changed)).assert_ok().json()
    assert added["added"] is True and added["version"] == 2
    assert demo("rubric", "export", "anyaman", "--out", str(tmp_path / "a.json")).assert_ok().out


def test_rubric_import_into_another_profile(demo: Run, tmp_path: Path) -> None:
    out = tmp_path / "batik.json"
    demo("rubric", "export", "batik", "--out", str(out)).assert_ok()
    other = tmp_path / "other"
    res = demo("rubric", "import", str(out), data_dir=other).assert_ok()
    assert res.out.strip()


def test_rubric_freeze(ovop: Run) -> None:
    ovop("init", "--role", "coordinator", "--name", "K").assert_ok()
    doc = ovop("--json", "rubric", "freeze", "anyaman").assert_ok().json()
    assert doc["frozen"] is True


def test_round_thresholds_status_use(demo: Run) -> None:
    created = demo("--json", "round", "create", "--year", "2026", "--name", "R").assert_ok().json()
    rid = str(created["id"])
    assert demo("--json", "round", "thresholds", rid, "90,75,60").assert_ok().json()[
        "thresholds"] == {"3": 90, "2": 75, "1": 60}
    assert demo("--json", "round", "status", rid, "open").assert_ok().json()["status"] == "open"
    demo("round", "use", rid).assert_ok()
    assert demo("--json", "round", "show").assert_ok().json()["id"] == created["id"]


def test_regions_find(ovop: Run) -> None:
    doc = ovop("--json", "regions", "find", "KABUPATEN GARUT").assert_ok().json()
    assert doc["status"] == "ok" and [m["id"] for m in doc["matches"]] == ["32.05"] or \
        doc["matches"][0]["code"].replace(".", "") == "3205"
    assert "Garut" in ovop("regions", "find", "3205").assert_ok().out


def test_db_check(demo: Run) -> None:
    doc = demo("--json", "db", "check").assert_ok().json()
    assert doc["ok"] is True and doc["integrity"] == ["ok"]
    assert doc["audit_entries"] > 0 and doc["audit_first_bad_seq"] is None


def test_data_dir_from_the_environment(ovop: Run, monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    monkeypatch.setenv("OVOP_DATA_DIR", str(tmp_path / "from-env"))
    ovop("demo", "--no-results", data_dir=None).assert_ok()
    assert (tmp_path / "from-env" / "ovop.sqlite3").exists()
    assert len(ovop("--json", "round", "list", data_dir=None).assert_ok().json()) == 2


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("command", [
    ["round", "list"], ["round", "show"], ["rubric", "list"], ["rubric", "show", "gerabah"],
    ["db", "check"], ["regions", "find", "Kota Bogor"], ["--help"], ["round", "--help"],
], ids=" ".join)
def test_both_languages(demo: Run, lang: str, command: list[str]) -> None:
    res = demo("--lang", lang, *command).assert_ok()
    assert res.out.strip()


def test_language_setting_of_the_profile_is_used(demo: Run, profile_dir: Path) -> None:
    (profile_dir / "settings.json").write_text('{"language": "en"}', encoding="utf-8")
    demo("rubric", "show", "gerabah").assert_ok()
    doc = demo("--json", "rubric", "show", "gerabah").assert_ok().json()
    assert doc["title"].startswith("OVOP Assessment Rubric")
    doc = demo("--lang", "id", "--json", "rubric", "show", "gerabah").assert_ok().json()
    assert doc["title"].startswith("Rubrik")


def test_version_and_help(ovop: Run) -> None:
    assert ovop("--version").assert_ok().out.startswith("ovop ")
    out = ovop("--help").assert_ok().out
    for group in ("init", "round", "rubric", "regions", "db", "demo"):
        assert group in out
