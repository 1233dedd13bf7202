"""`ovop print …` and `ovop bundle import --receipt`: PDFs where asked, one line when refused."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import Run
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from exchange_fixtures import FAST_KDF, make_exchange  # noqa: E402

from ovop_desktop.services import identity  # noqa: E402
from ovop_desktop.services.printing.layout import F4  # noqa: E402
from ovop_desktop.services.printing.translate import Translator  # noqa: E402


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity, "KDF_PARAMS", FAST_KDF)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "cetak"
    folder.mkdir()
    return folder


def text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_form_for_named_candidates(demo: Run, out: Path) -> None:
    listed = demo("--json", "candidates", "list").json()
    first, second = listed[0], listed[1]
    target = out / "formulir.pdf"
    result = demo("--json", "print", "form", str(first["id"]), str(second["id"]), "--out",
                  str(target), "--lang", "en").assert_ok().json()
    assert result["file"] == str(target) and result["candidates"] == [first["id"], second["id"]]
    reader = PdfReader(target)
    assert result["pages"] == len(reader.pages)
    content = text(target)
    assert first["name"] in content and second["name"] in content
    assert f"candidate_id {first['id']}" in content and "A1" in content and "C5" in content
    assert "Page 1 of" in content


def test_form_language_and_paper(demo: Run, out: Path) -> None:
    cid = str(demo("--json", "candidates", "list").json()[0]["id"])
    target = out / "f4.pdf"
    demo("print", "form", cid, "--out", str(target), "--paper", "f4").assert_ok()
    reader = PdfReader(target)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(F4[0]), round(F4[1]))
    # Default: the profile's language (Indonesian), whatever the messages' catalogue holds.
    label = Translator("id")("Page {page} of {pages}").format(page=1, pages=len(reader.pages))
    assert label in text(target)


def test_form_refusals_leave_no_file(demo: Run, out: Path) -> None:
    target = out / "formulir.pdf"
    demo("print", "form", "--out", str(target)).assert_refused()  # coordinator: whose?
    demo("print", "form", "--assessor", "99", "--out", str(target)).assert_refused()
    demo("print", "form", "999999", "--out", str(target)).assert_refused()
    cid = str(demo("--json", "candidates", "list").json()[0]["id"])
    missing = out / "tidak-ada" / "formulir.pdf"
    demo("print", "form", cid, "--out", str(missing)).assert_refused()
    assert not missing.parent.exists()
    assert list(out.iterdir()) == []


def test_screening_summary(demo: Run, out: Path) -> None:
    target = out / "seleksi.pdf"
    result = demo("--json", "print", "screening", "--out", str(target), "--lang", "en")
    assert result.assert_ok().json()["pages"] == len(PdfReader(target).pages) > 3
    content = text(target)
    assert "Administrative screening summary" in content and "159" in content
    demo("print", "screening", "--out", str(out)).assert_refused()  # a folder, not a file


def test_key_card_needs_a_key_then_prints_it(demo: Run, out: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = out / "kartu.pdf"
    demo("print", "key-card", "--out", str(target)).assert_refused()
    assert not target.exists()
    monkeypatch.setenv("OVOP_PASSPHRASE", "rahasia-koordinator")
    fingerprint = demo("--json", "identity", "create").assert_ok().json()["fingerprint"]
    result = demo("--json", "print", "key-card", "--out", str(target), "--lang", "en")
    assert result.assert_ok().json()["fingerprint"] == fingerprint
    assert fingerprint.split(" ")[0] in text(target)
    assert "Public-key card" in text(target)


def test_import_receipts(ovop: Run, tmp_path: Path, out: Path) -> None:
    ex = make_exchange(tmp_path / "profil")
    round_ = ex.coordinator.current_round()
    assert round_ is not None
    ids = [c.id for c in ex.coordinator.candidates.summaries(round_.id)[:2]]
    ex.receive(ex.package(ids))
    ex.assessor.scoring.set_score(ex.local_candidates()[0], "A1", 3)
    bundle, _info = ex.bundle()
    coord, assessor = ex.coordinator.paths.root, ex.assessor.paths.root
    ex.coordinator.close()
    ex.assessor.close()

    ovop("print", "import-receipt", "--out", str(out / "r.pdf"),
         data_dir=coord).assert_refused()  # nothing imported yet
    bad = out / "tidak-ada" / "r.pdf"
    ovop("bundle", "import", str(bundle), "--receipt", str(bad), data_dir=coord).assert_refused()
    assert ovop("--json", "bundle", "list", data_dir=coord).json() == []  # checked first

    receipt = out / "tanda-terima.pdf"
    ovop("bundle", "import", str(bundle), str(bundle), "--receipt", str(receipt), "--lang", "en",
         data_dir=coord).assert_ok()
    content = text(receipt)
    assert "Score bundle import receipt" in content and bundle.name in content
    assert "accepted 1" in content and "duplicate 1" in content

    rebuilt = out / "ulang.pdf"
    ovop("print", "import-receipt", "--out", str(rebuilt), "--lang", "en",
         data_dir=coord).assert_ok()
    assert "Rebuilt from the bundles filed on" in text(rebuilt) and bundle.name in text(rebuilt)

    forms = out / "kunjungan.pdf"
    result = ovop("--json", "print", "form", "--out", str(forms), data_dir=assessor)
    assert len(result.assert_ok().json()["candidates"]) == 2  # all assigned, on the laptop
