"""The whole exchange by files from the CLI: two profiles on one machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

from ovop_desktop.services import identity


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity, "KDF_PARAMS", identity.ScryptParams(n=2**10, r=8, p=1))


def test_exchange_end_to_end(ovop: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    coord, asse, usb = tmp_path / "koordinator", tmp_path / "penilai", tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setenv("OVOP_PASSPHRASE", "rahasia-koordinator")
    ovop("demo", "--no-results", data_dir=coord).assert_ok()
    cfp = ovop("--json", "identity", "create", data_dir=coord).assert_ok().json()["fingerprint"]
    monkeypatch.setenv("OVOP_PASSPHRASE", "rahasia-penilai")
    ovop("init", "--role", "assessor", "--name", "Sri", data_dir=asse).assert_ok()
    afp = ovop("--json", "identity", "create", data_dir=asse).assert_ok().json()["fingerprint"]
    ovop("identity", "export", "--out", str(usb / "sri.json"), data_dir=asse).assert_ok()

    wrong = cfp  # a real fingerprint, but not the card's
    ovop("assessors", "enrol", str(usb / "sri.json"), "--fingerprint", wrong, "--confirmed-by",
         "Budi", "--channel", "phone", data_dir=coord).assert_refused()
    enrolled = ovop("--json", "assessors", "enrol", str(usb / "sri.json"), "--fingerprint",
                    afp.lower().replace(" ", ""), "--confirmed-by", "Budi", "--channel", "phone",
                    "--commodities", "batik,tenun", "--province", "34", data_dir=coord)
    assessor_id = enrolled.assert_ok().json()["id"]
    listed = ovop("--json", "assessors", "list", data_dir=coord).json()
    assert listed[0]["id"] == assessor_id and listed[0]["commodities"] == ["kain_batik",
                                                                            "kain_tenun"]

    ovop("assign", "set", str(assessor_id), "5", "6", data_dir=coord).assert_ok()
    monkeypatch.setenv("OVOP_PASSPHRASE", "rahasia-koordinator")
    ovop("package", "export", "--assessor", str(assessor_id), "--out", str(usb / "p.zip"),
         data_dir=coord).assert_ok()
    ovop("package", "import", str(usb / "p.zip"), data_dir=asse).assert_refused()  # no FP yet
    ovop("package", "import", str(usb / "p.zip"), "--coordinator-fingerprint", cfp,
         data_dir=asse).assert_ok()
    local = ovop("--json", "candidates", "list", data_dir=asse).json()
    assert len(local) == 2

    monkeypatch.setenv("OVOP_PASSPHRASE", "rahasia-penilai")
    ovop("score", "set", str(local[0]["id"]), "A1", "3", data_dir=asse).assert_ok()
    ovop("score", "set", str(local[0]["id"]), "Z9", "3", data_dir=asse).assert_refused()
    ovop("bundle", "export", "--out", str(usb / "b1.zip"), data_dir=asse).assert_ok()
    monkeypatch.setenv("OVOP_PASSPHRASE", "salah-sandi-nya")
    ovop("bundle", "export", "--out", str(usb / "b2.zip"), data_dir=asse).assert_refused()
    assert not (usb / "b2.zip").exists()

    dry = ovop("--json", "bundle", "import", str(usb / "b1.zip"), "--dry-run",
               data_dir=coord).json()
    assert dry[0]["status"] == "accepted"
    assert ovop("--json", "bundle", "list", data_dir=coord).json() == []
    report = ovop("--json", "bundle", "import", str(usb / "b1.zip"), str(usb / "b1.zip"),
                  str(usb / "sri.json"), data_dir=coord).assert_ok().json()
    assert [r["status"] for r in report] == ["accepted", "duplicate", "rejected"]
    assert set(report[0]) >= {"file", "status", "reason", "assessor", "seq"}
    ovop("audit", "verify", data_dir=coord).assert_ok()
    ovop("assessors", "revoke", str(assessor_id), "--through-seq", "1", data_dir=coord).assert_ok()


def test_identity_needs_a_profile_and_a_passphrase(ovop: Run, monkeypatch) -> None:
    monkeypatch.delenv("OVOP_PASSPHRASE", raising=False)
    ovop("identity", "create").assert_refused()
    ovop("init", "--role", "assessor", "--name", "Sri").assert_ok()
    ovop("identity", "show").assert_refused()
    monkeypatch.setenv("OVOP_PASSPHRASE", "pendek")
    ovop("identity", "create").assert_refused()  # too short
