"""`ovop candidates …` and `ovop screening …` on real files, end to end."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
import proposal_fixtures as fx  # noqa: E402
from conftest import Run  # noqa: E402


@pytest.fixture
def coordinator(ovop: Run) -> Run:
    ovop("init", "--role", "coordinator", "--name", "Koordinator").assert_ok()
    ovop("round", "create", "--year", "2024", "--name", "Penghargaan OVOP 2024").assert_ok()
    return ovop


def _bad_rows() -> list[list[object]]:
    bad = [list(r) for r in fx.REALISTIC_ROWS[:3]]
    bad[0][4] = "Bogor"  # ambiguous kab/kota
    bad[1][11] = "12345"  # NIB too short
    bad[2][9] = "Perhiasan"  # not an OVOP commodity
    return bad


def test_import_reports_and_re_import_adds_nothing(coordinator: Run, tmp_path: Path) -> None:
    path = fx.write_messy_xlsx(tmp_path / "usulan jabar.xlsx",
                               [*fx.REALISTIC_ROWS, *_bad_rows(), fx.REALISTIC_ROWS[0]])
    dry = coordinator("--json", "candidates", "import", str(path), "--dry-run").assert_ok().json()
    assert dry["dry_run"] and len(dry["accepted"]) == len(fx.REALISTIC_ROWS)
    assert coordinator("--json", "candidates", "list").assert_ok().json() == []

    first = coordinator("candidates", "import", str(path), "--json").assert_ok().json()
    assert len(first["accepted"]) == len(fx.REALISTIC_ROWS)
    assert {r["row"] for r in first["rejected"]} == {20, 21, 22}  # header on row 4, 15 rows
    assert all(r["reason"] for r in first["rejected"])
    assert [d["row"] for d in first["duplicates"]] == [23]

    again = coordinator("--json", "candidates", "import", str(path)).assert_ok().json()
    assert again["accepted"] == [] and len(again["duplicates"]) == len(fx.REALISTIC_ROWS) + 1
    listed = coordinator("--json", "candidates", "list").assert_ok().json()
    assert len(listed) == len(fx.REALISTIC_ROWS)
    assert {c["region_code"] for c in listed} == {code for code, _c in fx.EXPECTED}
    for item in listed:
        assert set(item) >= {"id", "name", "commodity", "region_code", "kind", "screening"}


def test_csv_windows_1252_with_commas(coordinator: Run, tmp_path: Path) -> None:
    path = fx.write_csv(tmp_path / "usulan.csv", fx.REALISTIC_ROWS[:5], delimiter=",",
                        encoding="cp1252")
    report = coordinator("--json", "candidates", "import", str(path)).assert_ok().json()
    assert len(report["accepted"]) == 5, report


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken zip", b"\xd0\xcf\x11\xe0" * 100])
def test_unreadable_files_are_one_line(coordinator: Run, tmp_path: Path,
                                       content: bytes) -> None:
    path = tmp_path / "usulan.xlsx"
    path.write_bytes(content)
    coordinator("candidates", "import", str(path)).assert_refused()
    assert coordinator("--json", "candidates", "list").assert_ok().json() == []


def test_list_filters_show_and_history(coordinator: Run, tmp_path: Path) -> None:
    coordinator("candidates", "import", str(fx.write_messy_xlsx(tmp_path / "u.xlsx"))).assert_ok()
    batik = coordinator("--json", "candidates", "list", "--commodity", "batik").json()
    assert batik and all(c["commodity"] == "kain_batik" for c in batik)
    jabar = coordinator("--json", "candidates", "list", "--province", "Jawa Barat").json()
    assert jabar and all(c["province_code"] == "32" for c in jabar)
    coordinator("candidates", "list", "--province", "Atlantis").assert_refused()
    shown = coordinator("--json", "candidates", "show", str(batik[0]["id"])).assert_ok().json()
    assert shown["source"].startswith("import:u.xlsx#")
    coordinator("candidates", "show", "9999").assert_refused()


def test_screening_set_report_checklist(coordinator: Run, tmp_path: Path) -> None:
    coordinator("candidates", "import", str(fx.write_messy_xlsx(tmp_path / "u.xlsx"))).assert_ok()
    checklist = coordinator("--json", "screening", "checklist", "--commodity", "mamin").json()
    assert {d["id"] for d in checklist} == {"sk_sentra", "nib", "izin_edar", "halal"}
    batik = coordinator("--json", "candidates", "list", "--commodity", "batik").json()[0]["id"]
    coordinator("screening", "set", str(batik), "sk_sentra", "present").assert_ok()
    done = coordinator("--json", "screening", "set", str(batik), "nib", "present").json()
    assert done["decision"] == "passed"
    failed = coordinator("--json", "screening", "set", str(batik), "nib", "invalid",
                         "--note", "NIB dicabut").json()
    assert failed["decision"] == "failed" and failed["reasons"]
    coordinator("screening", "set", str(batik), "paspor", "present").assert_refused()
    report = coordinator("--json", "screening", "report").assert_ok().json()
    assert report["proposals"]["failed"] == 1
    assert report["failed_by_document"][0]["id"] == "nib"


def test_export_is_formula_injection_safe(coordinator: Run, tmp_path: Path) -> None:
    rows = [list(r) for r in fx.REALISTIC_ROWS[:2]]
    rows[0][1] = "-1+HYPERLINK(\"http://x\",\"klik\")"  # (a leading = would be a formula cell)
    rows[1][2] = "@SUM(A1)"
    coordinator("candidates", "import", str(fx.write_messy_xlsx(tmp_path / "u.xlsx", rows)))
    out = tmp_path / "registri.xlsx"
    assert coordinator("--json", "candidates", "export", "--out", str(out)).json()["rows"] == 2
    sheet = openpyxl.load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.value.startswith(("=", "+", "-", "@")) for c in cells)
    csv_out = tmp_path / "registri.csv"
    coordinator("candidates", "export", "--out", str(csv_out)).assert_ok()
    text = csv_out.read_text(encoding="utf-8-sig")
    assert "'-1+HYPERLINK" in text and "'@SUM" in text
    coordinator("candidates", "export", "--out", str(tmp_path / "x.pdf")).assert_refused()


def test_template_imports_back(coordinator: Run, tmp_path: Path) -> None:
    template = tmp_path / "template.xlsx"
    coordinator("candidates", "template", "--out", str(template)).assert_ok()
    report = coordinator("--json", "candidates", "import", str(template)).assert_ok().json()
    assert report["rejected"] == []  # the example row is skipped, not rejected


def test_demo_lists_236(demo: Run) -> None:
    assert len(demo("--json", "candidates", "list").json()) == 236
