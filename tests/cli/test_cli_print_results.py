"""`ovop print scorecards|ranking|go-global`: PDFs from real bundles, one line when refused,
and a scorecard's QR text that `ovop results verify` accepts."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import Run
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from exchange_fixtures import FAST_KDF  # noqa: E402
from panel_fixtures import make_panel  # noqa: E402

from ovop_desktop.domain.candidates import CandidateData  # noqa: E402
from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.services import identity, receipts  # noqa: E402
from ovop_desktop.services.printing.scorecard import grouped, verification_of  # noqa: E402
from ovop_desktop.services.printing.translate import Translator  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402

HOSTILE = '<font color=red>Batik & Co</font> <img src="x.png"/> <a href="http://x">klik</a> & <'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A coordinator profile with three assessors' real bundles: a hostile name (3★), a
    plain candidate, one scored by a single assessor and one assigned but never scored."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(identity, "KDF_PARAMS", FAST_KDF)
        tmp = tmp_path_factory.mktemp("cli-panel")
        panel = make_panel(tmp, 3)
        coord = panel.coordinator
        hostile = coord.candidates.create(panel.round_id, CandidateData(
            name=HOSTILE, region_code="32.05", commodity=Commodity.KAIN_BATIK,
            product="Batik tulis", owner="Ibu Ratna", sentra_name="Sentra Garutan",
            nib="9120001234567")).id
        batik = [c.id for c in coord.candidates.summaries(panel.round_id)
                 if c.commodity is Commodity.KAIN_BATIK and c.id != hostile]
        plain, single, unscored = batik[:3]
        for who in (0, 1, 2):
            panel.give(who, [hostile, plain, single, unscored] if who == 0
                       else [hostile, plain])
            panel.score(who, hostile, lambda crit: 3)
            panel.score(who, plain, lambda crit, w=who: 2 if w else 3)
            if who == 0:
                panel.score(who, single, lambda crit: 3)
            panel.send(who)
        panel.close()
    return tmp / "coordinator", {"hostile": hostile, "plain": plain, "single": single,
                                 "unscored": unscored}


@pytest.fixture
def profile(built: tuple[Path, dict[str, int]], tmp_path: Path) -> Path:
    """A copy of the built profile per test (some tests change it)."""
    return Path(shutil.copytree(built[0], tmp_path / "coordinator"))


@pytest.fixture
def ids(built: tuple[Path, dict[str, int]]) -> dict[str, int]:
    return built[1]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "cetak"
    folder.mkdir()
    return folder


def texts(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]


def test_scorecards_for_all_and_for_the_named(ovop: Run, profile: Path, ids: dict[str, int],
                                              out: Path) -> None:
    target = out / "kartu.pdf"
    done = ovop("--json", "print", "scorecards", "--out", str(target), "--lang", "en",
                data_dir=profile).assert_ok().json()
    pages = texts(target)
    assert sorted(done["candidates"]) == sorted(ids.values())
    assert done["pages"] == len(pages) == 4  # one page per card
    assert all("Page 1 of 1" in p for p in pages)
    assert HOSTILE in " ".join(pages)  # printed literally
    named = out / "dua.pdf"
    done = ovop("--json", "print", "scorecards", str(ids["unscored"]), str(ids["plain"]),
                "--out", str(named), "--lang", "en", data_dir=profile).assert_ok().json()
    assert done["candidates"] == [ids["unscored"], ids["plain"]]
    first, second = texts(named)
    assert "Incomplete — not classified" in first and "Finished sheets from 0" in first
    assert "Incomplete" not in second and "Rank 2 of 2" in second
    ovop("print", "scorecards", "--out", str(target), data_dir=profile).assert_ok()  # Indonesian
    assert Translator("id")("Page {page} of {pages}").format(page=1, pages=1) in \
        texts(target)[0]


def test_the_qr_text_on_a_scorecard_is_what_verify_accepts(ovop: Run, profile: Path,
                                                          ids: dict[str, int],
                                                          out: Path) -> None:
    target = out / "kartu.pdf"
    ovop("print", "scorecards", str(ids["hostile"]), "--out", str(target), "--lang", "en",
         data_dir=profile).assert_ok()
    with Workspace.open(profile) as ws:
        round_ = ws.current_round()
        assert round_ is not None
        report = ws.results.report(round_.id)
    check = verification_of(report)
    body = receipts.payload(report)
    assert check.qr == receipts.qr_text(body)  # what the card's QR code holds
    page = texts(target)[0]
    assert grouped(check.receipt_hash) in page and grouped(report.audit_head) in page
    verified = ovop("--json", "results", "verify", check.qr, data_dir=profile)
    assert verified.assert_ok().json()["matches"]
    # once the results change, the printed card no longer matches
    ovop("moderate", str(ids["plain"]), "B1", "1", "--reason", "rapat panel",
         data_dir=profile).assert_ok()
    assert ovop("results", "verify", check.qr, data_dir=profile).code == 1


def test_ranking_list_whole_and_per_commodity(ovop: Run, profile: Path, ids: dict[str, int],
                                              out: Path) -> None:
    target = out / "peringkat.pdf"
    done = ovop("--json", "print", "ranking", "--out", str(target), "--lang", "en",
                data_dir=profile).assert_ok().json()
    pages = texts(target)
    assert done["pages"] == len(pages)
    with Workspace.open(profile) as ws:
        round_ = ws.current_round()
        assert round_ is not None
        digest = verification_of(ws.results.report(round_.id)).receipt_hash
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert f"Results receipt (SHA-256): {digest}" in page
    text = " ".join(pages)
    assert HOSTILE in text and "Batik cloth: 2 ranked, 2 incomplete" in text
    assert "Chair" in text and text.count("Member") >= 3
    batik = out / "batik.pdf"
    ovop("print", "ranking", "--commodity", "Batik", "--out", str(batik), "--lang", "en",
         data_dir=profile).assert_ok()
    assert "Food and drink:" not in " ".join(texts(batik))
    ovop("print", "ranking", "--commodity", "kopi", "--out", str(out / "x.pdf"),
         data_dir=profile).assert_refused()
    ovop("print", "ranking", "--commodity", "gerabah", "--out", str(out / "x.pdf"), "--lang",
         "en", data_dir=profile).assert_ok()  # in the round, nobody scored: listed as empty
    assert "No candidate of this commodity has results." in " ".join(texts(out / "x.pdf"))


def test_go_global_list(ovop: Run, profile: Path, ids: dict[str, int], out: Path) -> None:
    ovop("go-global", "set", str(ids["hostile"]), "--selected", "yes", "--note",
         "<b>Siap</b> ekspor & <i>kurasi</i>", data_dir=profile).assert_ok()
    target = out / "goglobal.pdf"
    done = ovop("--json", "print", "go-global", "--out", str(target), "--lang", "en",
                data_dir=profile).assert_ok().json()
    assert done["candidates"][0] == ids["hostile"]
    text = " ".join(texts(target))
    assert HOSTILE in text and "Curation note: <b>Siap</b> ekspor & <i>kurasi</i>" in text
    assert "candidates on the shortlist (3★ and 2★), 1 selected" in text


def test_a_round_without_results_is_refused_and_nothing_is_written(demo: Run,
                                                                  out: Path) -> None:
    for args in (["scorecards"], ["ranking"], ["go-global"]):
        target = out / f"{args[0]}.pdf"
        demo("print", *args, "--out", str(target)).assert_refused()
        assert not target.exists()
    assert list(out.iterdir()) == []


def test_unwritable_output_and_unknown_candidates(ovop: Run, profile: Path,
                                                  out: Path) -> None:
    missing = out / "tidak-ada" / "kartu.pdf"
    refused = ovop("print", "scorecards", "--out", str(missing), data_dir=profile)
    assert str(missing.parent) in refused.assert_refused().err
    ovop("print", "ranking", "--out", str(out), data_dir=profile).assert_refused()  # a folder
    ovop("print", "scorecards", "999999", "--out", str(out / "k.pdf"),
         data_dir=profile).assert_refused()
    assert not missing.parent.exists() and list(out.iterdir()) == []
