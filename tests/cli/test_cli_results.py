"""`ovop results …`, `ovop moderate`, `ovop go-global …`, receipts and their verification."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest
from conftest import Run

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from exchange_fixtures import COORD_PASS, FAST_KDF  # noqa: E402
from panel_fixtures import make_panel  # noqa: E402

from ovop_desktop.services import identity  # noqa: E402


@pytest.fixture
def coordinator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[int]]:
    """A coordinator profile holding real bundles from three assessors for two candidates."""
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)
    panel = make_panel(tmp_path, 3)
    batik = [c.id for c in panel.coordinator.candidates.summaries(panel.round_id)
             if c.commodity.value == "kain_batik"][:3]
    a, b, c = batik
    for who in (0, 1, 2):
        panel.give(who, [a, b, c])
        panel.score(who, a, lambda crit, w=who: 3 if (w or crit != "B4") else 1)
        panel.score(who, b, lambda crit: 2)
        if who == 0:
            panel.score(who, c, lambda crit: 3)
        panel.send(who)
    panel.close()
    monkeypatch.setenv("OVOP_PASSPHRASE", COORD_PASS)
    return tmp_path / "coordinator", batik


def test_results_show_json_contract(ovop: Run, coordinator: tuple[Path, list[int]]) -> None:
    folder, (a, b, c) = coordinator
    rows = ovop("--json", "results", "show", "--commodity", "batik",
                data_dir=folder).assert_ok().json()
    by_id = {r["candidate"]: r for r in rows}
    assert set(by_id) == {a, b, c}
    for row in rows:
        assert {"candidate", "total", "star", "rank", "assessors", "flags"} <= set(row)
    assert by_id[a]["star"] == 3 and by_id[a]["rank"] == 1 and by_id[a]["assessors"] == 3
    assert "disagreement" in by_id[a]["flags"]
    assert by_id[b]["star"] == 2 and by_id[b]["rank"] == 2  # 66.67
    assert by_id[c]["star"] is None and by_id[c]["rank"] is None
    assert "incomplete" in by_id[c]["flags"]
    text = ovop("results", "show", data_dir=folder).assert_ok().out
    assert "★★★" in text
    counts = ovop("--json", "results", "counts", data_dir=folder).assert_ok().json()
    batik = next(c for c in counts if c["commodity"] == "kain_batik")
    assert (batik["3"], batik["2"], batik["incomplete"]) == (1, 1, 1)
    by_province = ovop("--json", "results", "counts", "--by", "province",
                       data_dir=folder).assert_ok().json()
    assert sum(c["3"] + c["2"] + c["1"] + c["0"] + c["incomplete"] for c in by_province) == 3
    ovop("results", "show", "--commodity", "kopi", data_dir=folder).assert_refused()
    overall = ovop("--json", "results", "show", "--overall", data_dir=folder).assert_ok().json()
    assert [r["overall_rank"] for r in overall] == [1, 2, None]


def test_moderate_needs_a_valid_level_and_reason(ovop: Run,
                                                 coordinator: tuple[Path, list[int]]) -> None:
    folder, (a, _b, _c) = coordinator
    ovop("moderate", str(a), "B4", "5", "--reason", "rapat", data_dir=folder).assert_refused()
    ovop("moderate", str(a), "B4", "tiga", "--reason", "rapat", data_dir=folder).assert_refused()
    ovop("moderate", str(a), "B4", "3", "--reason", "  ", data_dir=folder).assert_refused()
    ovop("moderate", str(a), "Q1", "3", "--reason", "rapat", data_dir=folder).assert_refused()
    ovop("moderate", "99999", "B4", "3", "--reason", "rapat", data_dir=folder).assert_refused()
    ovop("moderate", str(a), "B4", "3", "--reason", "Rapat panel: bukti ekspor",
         data_dir=folder).assert_ok()
    row = next(r for r in ovop("--json", "results", "show", data_dir=folder).json()
               if r["candidate"] == a)
    assert row["total"] == 100 and row["moderated"] == ["B4"] and "moderated" in row["flags"]


def test_export_writes_a_signed_receipt_that_verifies_until_the_data_changes(
        ovop: Run, coordinator: tuple[Path, list[int]], tmp_path: Path) -> None:
    folder, (a, _b, _c) = coordinator
    out = tmp_path / "hasil.xlsx"
    done = ovop("--json", "results", "export", "--out", str(out), data_dir=folder)
    receipt = Path(done.assert_ok().json()["receipt"])
    assert out.exists() and receipt.name == "hasil.receipt.json"
    verified = ovop("--json", "results", "verify", str(receipt), data_dir=folder)
    report = verified.assert_ok().json()
    assert report["signature"] == "valid" and report["own_key"] and report["same_receipt"]
    # the same data always gives the same receipt contents
    again = tmp_path / "lagi.json"
    ovop("results", "export", "--out", str(again), data_dir=folder).assert_ok()
    inside = json.loads(again.read_text())["receipt"]
    assert inside["payload"] == json.loads(receipt.read_text())["payload"]
    assert inside["receipt_sha256"] == report["receipt_sha256"]
    # a moderation changes the results: the old receipt no longer matches
    ovop("moderate", str(a), "B4", "3", "--reason", "rapat panel", data_dir=folder).assert_ok()
    changed = ovop("--json", "results", "verify", str(receipt), data_dir=folder)
    assert changed.code == 1
    body = changed.json()
    assert not body["same_results"] and "moderation" in body["inputs_changed"]


def test_a_tampered_receipt_is_refused(ovop: Run, coordinator: tuple[Path, list[int]],
                                       tmp_path: Path) -> None:
    folder, _ids = coordinator
    out = tmp_path / "hasil.csv"
    ovop("results", "export", "--out", str(out), data_dir=folder).assert_ok()
    receipt = tmp_path / "hasil.receipt.json"
    doc = json.loads(receipt.read_text())
    body = json.loads(base64.b64decode(doc["payload"]))
    body["results"][0]["star"] = 3 if body["results"][0]["star"] != 3 else 2
    doc["payload"] = base64.b64encode(json.dumps(body).encode()).decode()
    forged = tmp_path / "palsu.json"
    forged.write_text(json.dumps(doc))
    ovop("results", "verify", str(forged), data_dir=folder).assert_refused()
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2")
    ovop("results", "verify", str(junk), data_dir=folder).assert_refused()
    ovop("results", "verify", "bukan-apa-apa", data_dir=folder).assert_refused()


def test_verify_accepts_what_a_scorecard_qr_holds(ovop: Run,
                                                  coordinator: tuple[Path, list[int]]) -> None:
    from ovop_desktop.services.receipts import payload, qr_text
    from ovop_desktop.services.workspace import Workspace

    folder, (a, _b, _c) = coordinator
    with Workspace.open(folder) as ws:
        round_ = ws.current_round()
        text = qr_text(payload(ws.results.report(round_.id)))
    assert ovop("--json", "results", "verify", text, data_dir=folder).assert_ok().json()[
        "matches"]
    ovop("moderate", str(a), "B4", "3", "--reason", "rapat panel", data_dir=folder).assert_ok()
    assert ovop("results", "verify", text, data_dir=folder).code == 1


def test_reliability_progress_and_go_global(ovop: Run, coordinator: tuple[Path, list[int]],
                                            tmp_path: Path) -> None:
    folder, (a, b, c) = coordinator
    rel = ovop("--json", "results", "reliability", data_dir=folder).assert_ok().json()
    batik = next(r for r in rel if r["commodity"] == "kain_batik" and r["criterion"] is None)
    assert batik["units"] > 0 and batik["band"]
    assert all(r["alpha_ordinal"] is None or r["alpha_ordinal"] <= 1 for r in rel)
    ovop("results", "reliability", data_dir=folder).assert_ok()
    progress = ovop("--json", "results", "progress", data_dir=folder).assert_ok().json()
    assert sum(len(p["missing"]) for p in progress["assessors"]) == 2  # c: two sheets missing
    shortlist = ovop("--json", "go-global", "list", data_dir=folder).assert_ok().json()
    assert [e["candidate"] for e in shortlist] == [a, b]
    ovop("go-global", "set", str(a), "--selected", "yes", "--note", "Siap ekspor",
         data_dir=folder).assert_ok()
    ovop("go-global", "set", str(c), "--selected", "yes", data_dir=folder).assert_refused()
    out = tmp_path / "goglobal.csv"
    ovop("go-global", "export", "--out", str(out), data_dir=folder).assert_ok()
    assert "Siap ekspor" in out.read_text(encoding="utf-8-sig")


def test_round_method_is_validated_and_changes_the_minimum(
        ovop: Run, coordinator: tuple[Path, list[int]]) -> None:
    folder, (_a, _b, c) = coordinator
    ovop("round", "method", "--tie-break", "C,C", data_dir=folder).assert_refused()
    ovop("round", "method", "--min-assessors", "0", data_dir=folder).assert_refused()
    ovop("round", "method", "--min-assessors", "1", data_dir=folder).assert_ok()
    row = next(r for r in ovop("--json", "results", "show", data_dir=folder).json()
               if r["candidate"] == c)
    assert row["star"] == 3  # one assessor now suffices
