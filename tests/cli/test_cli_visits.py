"""`ovop assign auto`, `ovop coi`, `ovop visit set`, `ovop score list|reopen|import-sheet`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ovop_desktop.services import identity
from ovop_desktop.services.signing import key_id


def _card(tmp: Path, name: str) -> tuple[Path, str]:
    raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    me = identity.PublicIdentity(name, "Asosiasi", raw, key_id(raw), "2024-01-01")
    path = tmp / f"{name}.json"
    identity.write_card(path, me, "assessor", {})
    return path, me.fingerprint


def test_planning_commands(demo: Run, tmp_path: Path) -> None:
    for i, commodity in enumerate(["mamin", "tenun", "batik", "anyaman", "gerabah", "batik"]):
        card, fp = _card(tmp_path, f"ahli{i}")
        demo("assessors", "enrol", str(card), "--fingerprint", fp, "--confirmed-by", "Budi",
             "--channel", "phone", "--commodities", commodity,
             *(["--home", "32.05"] if i == 0 else [])).assert_ok()
    demo("assessors", "enrol", str(_card(tmp_path, "x")[0]), "--fingerprint", "0" * 64,
         "--confirmed-by", "B", "--channel", "phone").assert_refused()
    first = demo("--json", "candidates", "list").json()[0]["id"]
    demo("coi", "declare", "2", str(first), "--reason", "kerabat").assert_ok()
    demo("coi", "declare", "2", str(first), "--reason", " ").assert_refused()
    demo("coi", "declare", "nobody", str(first), "--reason", "x").assert_refused()
    assert demo("--json", "coi", "list").json()[0]["reason"] == "kerabat"
    plan = demo("--json", "assign", "auto", "--per-candidate", "3").assert_ok().json()
    teams = {t["id"]: t["assessors"] for t in plan["teams"]}
    assert teams and all(len(t) == 3 for t in teams.values())
    assert 2 not in teams.get(first, [])
    demo("assign", "set", "2", str(first)).assert_refused()  # conflicted
    demo("visit", "set", str(first), "2024-08-20").assert_ok()
    demo("visit", "set", str(first), "20/08/2024").assert_refused()
    demo("assign", "auto", "--per-candidate", "1", "--minimum", "2").assert_refused()


def test_scoring_commands(ovop: Run, tmp_path: Path) -> None:
    ovop("init", "--role", "assessor", "--name", "Sri").assert_ok()
    ovop("round", "create", "--year", "2024", "--name", "R").assert_ok()
    csv = tmp_path / "usulan.csv"
    csv.write_text("Nama IKM;Kabupaten/Kota;Komoditas;Produk\nBatik Sekar;Kota Yogyakarta;"
                   "Batik;Batik tulis\n", encoding="utf-8")
    ovop("candidates", "import", str(csv)).assert_ok()
    cid = ovop("--json", "candidates", "list").json()[0]["id"]
    ovop("score", "set", str(cid), "A1", "3").assert_ok()
    listed = ovop("--json", "score", "list", "--candidate", str(cid)).json()
    assert listed == [{"id": cid, "status": "in_progress", "visited_on": None,
                       "scores": [{"criterion": "A1", "level": 3, "note": ""}]}]
    ovop("score", "finish", str(cid)).assert_refused()  # incomplete
    ovop("score", "reopen", str(cid), "--reason", "x").assert_refused()  # not finished yet
    sheet = tmp_path / "lembar.csv"
    sheet.write_text(f"candidate_id,criterion_id,level,note\n{cid},A2,2,\n{cid},A3,9,\n",
                     encoding="utf-8")
    report = ovop("--json", "score", "import-sheet", str(sheet)).assert_ok().json()
    assert [r["row"] for r in report["accepted"]] == [2]
    assert [r["row"] for r in report["rejected"]] == [3]
    ovop("score", "list", "--candidate", "999").assert_refused()
    from PIL import Image

    Image.new("RGB", (640, 480), "brown").save(tmp_path / "foto.jpg")
    added = ovop("--json", "evidence", "add", str(cid), str(tmp_path / "foto.jpg"),
                 "--criterion", "A1").assert_ok().json()
    assert added["width"] == 640 and added["criterion"] == "A1"
    ovop("evidence", "add", str(cid), str(tmp_path / "foto.jpg"), "--criterion",
         "ZZ").assert_refused()
    ovop("evidence", "add", str(cid), str(sheet)).assert_refused()  # a CSV is no photo
    ovop("evidence", "add", str(cid), str(tmp_path / "hilang.jpg")).assert_refused()
    assert len(ovop("--json", "evidence", "list", str(cid)).json()) == 1


@pytest.fixture(autouse=True)
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity, "KDF_PARAMS", identity.ScryptParams(n=2**10, r=8, p=1))


def test_score_visited_records_and_clears_the_actual_visit_date(ovop: Run,
                                                                tmp_path: Path) -> None:
    ovop("init", "--role", "assessor", "--name", "Sri").assert_ok()
    ovop("round", "create", "--year", "2024", "--name", "R").assert_ok()
    csv = tmp_path / "usulan.csv"
    csv.write_text("Nama IKM;Kabupaten/Kota;Komoditas;Produk\nBatik Sekar;Kota Yogyakarta;"
                   "Batik;Batik tulis\n", encoding="utf-8")
    ovop("candidates", "import", str(csv)).assert_ok()
    cid = ovop("--json", "candidates", "list").json()[0]["id"]
    done = ovop("--json", "score", "visited", str(cid), "2024-08-13").assert_ok().json()
    assert done == {"candidate": cid, "visited_on": "2024-08-13"}
    listed = ovop("--json", "score", "list").json()
    assert listed[0]["visited_on"] == "2024-08-13" and listed[0]["status"] == "in_progress"
    assert "2024-08-13" in ovop("score", "list").assert_ok().out
    for bad in (["2024-13-01"], ["13/08/2024"], ["20240813"], ["2023-08-13"], ["2999-01-01"],
                [], ["2024-08-13", "--clear"]):
        ovop("score", "visited", str(cid), *bad).assert_refused()
    ovop("score", "visited", "999", "2024-08-13").assert_refused()
    assert ovop("--json", "score", "list").json()[0]["visited_on"] == "2024-08-13"
    cleared = ovop("--json", "score", "visited", str(cid), "--clear").assert_ok().json()
    assert cleared == {"candidate": cid, "visited_on": None}
    assert ovop("--json", "score", "list").json()[0]["visited_on"] is None
