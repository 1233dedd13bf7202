"""Reading real proposal files (XLSX/CSV, good and bad) and writing injection-safe exports."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import proposal_fixtures as fx
import pytest
from openpyxl import Workbook, load_workbook

from ovop_desktop.domain.proposals import (
    FIELDS,
    FORMULA_WITHOUT_VALUE,
    RowResult,
    detect_header,
    fingerprint,
    parse_rows,
    within_file_duplicates,
)
from ovop_desktop.errors import UserFacingError
from ovop_desktop.services import tabular
from ovop_desktop.services.regions import load_regions
from ovop_desktop.services.tabular import Grid, read_grid
from ovop_desktop.services.tabular_export import (
    TEMPLATE_COMMODITIES,
    write_table,
    write_template,
)


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """Assertions below match English message words."""


def import_file(path: Path) -> tuple[Grid, list[RowResult]]:
    grid = read_grid(path)
    guess = detect_header(grid.rows)
    return grid, parse_rows(grid.rows, guess.row_index, guess.mapping, load_regions())


def assert_realistic(results: list[RowResult]) -> None:
    assert [r.errors for r in results] == [[]] * len(fx.REALISTIC_ROWS)
    got = [(r.record.region_code, r.record.commodity) for r in results if r.record]
    assert got == fx.EXPECTED
    assert [r.record.associations for r in results if r.record] == fx.EXPECTED_ASSOCIATIONS


# --- XLSX ----------------------------------------------------------------------------------

def test_messy_xlsx_header_on_row_4_under_merged_title(tmp_path: Path) -> None:
    grid, results = import_file(fx.write_messy_xlsx(tmp_path / "usulan.xlsx"))
    assert grid.source_kind == "xlsx" and grid.sheet_name == "Usulan OVOP"
    assert detect_header(grid.rows).row_index == 3
    assert grid.rows[0][0] == fx.TITLE and grid.rows[0][1:] == [] and grid.rows[2] == []
    assert [r.row_number for r in results] == list(range(5, 20))  # the Jumlah row is skipped
    assert_realistic(results)
    first = results[0].record
    assert first is not None
    assert first.name == "Dodol Kencana Rasa" and first.nib == "9120001234567"
    assert first.workforce == 15 and first.sentra_sk_date == date(2019, 3, 12)
    rendang = results[1].record
    assert rendang is not None and rendang.kind == "reevaluation" and rendang.previous_star == 2
    assert within_file_duplicates(results) == []


def test_duplicate_rows_and_idempotent_fingerprints(tmp_path: Path) -> None:
    rows = [*fx.REALISTIC_ROWS[:3], fx.REALISTIC_ROWS[0], fx.REALISTIC_ROWS[1]]
    _grid, results = import_file(fx.write_messy_xlsx(tmp_path / "dupes.xlsx", rows))
    assert [(row, earlier) for row, earlier, _r in within_file_duplicates(results)] == \
        [(8, 5), (9, 6)]
    _again, second = import_file(fx.write_messy_xlsx(tmp_path / "again.xlsx", rows))
    assert [fingerprint(r.record) for r in results if r.record] == \
        [fingerprint(r.record) for r in second if r.record]


def _set_cached_values(path: Path, cached: dict[str, str]) -> None:
    """Give formula cells a stored result, as Excel would on save (openpyxl stores none)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for formula, value in cached.items():
        xml = xml.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>")
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _formula_book(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Nama IKM", "Kab/Kota", "Komoditi", "Produk", "Jumlah TK"])
    ws.append(["Batik Sari", "Kab. Garut", "Batik", "Batik tulis", "=10+5"])
    ws.append(["Dodol Ani", "Kab. Garut", "Mamin", "Dodol", "=2*3"])
    wb.save(path)
    return path


def test_formulas_with_cached_values_import_the_values(tmp_path: Path) -> None:
    path = _formula_book(tmp_path / "cached.xlsx")
    _set_cached_values(path, {"10+5": "15", "2*3": "6"})
    _grid, results = import_file(path)
    assert [r.record.workforce for r in results if r.record] == [15, 6]


def test_formulas_without_cached_values_are_row_errors(tmp_path: Path) -> None:
    path = _formula_book(tmp_path / "nocache.xlsx")
    _set_cached_values(path, {"2*3": "6"})
    grid, results = import_file(path)
    assert grid.rows[1][4] is FORMULA_WITHOUT_VALUE
    assert results[0].record is None
    assert "column E" in results[0].errors[0]
    assert "formula without a stored value" in results[0].errors[0]
    assert results[1].record is not None and results[1].record.workforce == 6


def test_formula_with_empty_text_result_is_blank(tmp_path: Path) -> None:
    path = _formula_book(tmp_path / "empty.xlsx")
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace('<c r="E2"><f>10+5</f><v /></c>', '<c r="E2" t="str"><f>10+5</f><v></v></c>')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert read_grid(path).rows[1] == ["Batik Sari", "Kab. Garut", "Batik", "Batik tulis"]


def test_two_pass_fallback_agrees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _formula_book(tmp_path / "fallback.xlsx")
    _set_cached_values(path, {"2*3": "6"})
    fast = read_grid(path)

    def broken() -> type:
        raise AttributeError("openpyxl internals changed")

    monkeypatch.setattr(tabular, "_formula_aware_parser", broken)
    assert read_grid(path).rows == fast.rows


def test_sheet_choice(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Kosong"
    hidden = wb.create_sheet("Rahasia")
    hidden["A1"] = "hidden data"
    hidden.sheet_state = "hidden"
    small = wb.create_sheet("Sedikit")
    small.append(["a"])
    big = wb.create_sheet("Usulan")
    for i in range(3):
        big.append([f"row {i}", i])
    wb.move_sheet("Rahasia", offset=-3)
    wb.save(tmp_path / "sheets.xlsx")
    grid = read_grid(tmp_path / "sheets.xlsx")
    assert grid.sheet_name == "Usulan" and grid.rows[2] == ["row 2", 2]


def test_cells_keep_their_sheet_position(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["C5"] = "x"
    wb.active["B7"] = 3205.0
    wb.active["D7"] = datetime(2023, 3, 12)
    wb.save(tmp_path / "pos.xlsx")
    rows = read_grid(tmp_path / "pos.xlsx").rows
    assert rows == [[], [], [], [], [None, None, "x"], [], [None, 3205, None,
                                                            datetime(2023, 3, 12)]]


# --- CSV -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ";"), ("utf-8", ";"), ("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ";"),
    ("cp1252", ","), ("utf-8", "\t"), ("utf-16", "\t")])
def test_realistic_csv(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [r for r in fx.REALISTIC_ROWS if encoding != "cp1252" or _encodable(r, encoding)]
    path = fx.write_csv(tmp_path / "usulan.csv", rows, delimiter=delimiter, encoding=encoding)
    grid, results = import_file(path)
    assert grid.source_kind == "csv" and grid.sheet_name == ""
    assert grid.rows[1][1] == "Nama Usaha" and not str(grid.rows[0][0]).startswith("\ufeff")
    assert [r.errors for r in results] == [[]] * len(rows)
    sleman = next(r.record for r in results if r.record and r.record.region_code == "34.04")
    assert sleman.name == "Bakpia Salak Merapi"  # kab/kota written "Sleman – Yogyakarta"
    assert any(row[4:5] == ["Sleman – Yogyakarta"] for row in grid.rows)


def _encodable(row: list[object], encoding: str) -> bool:
    try:
        str(row).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_csv_delimiter_counted_outside_quotes(tmp_path: Path) -> None:
    text = ('Daftar usulan, tahun 2024\n'
            'Nama IKM;Alamat;Kab/Kota;Komoditi;Produk\n'
            'Batik Sari;Jl. A No. 1, Garut, Jawa Barat;Kab. Garut;Batik;Batik tulis\n'
            '"Dodol ""Asli""";"Jl. B; No. 2";Kab. Garut;Mamin;Dodol\n')
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    grid, results = import_file(tmp_path / "a.csv")
    assert grid.rows[2][1] == "Jl. A No. 1, Garut, Jawa Barat"
    assert [r.record.name for r in results if r.record] == ["Batik Sari", 'Dodol "Asli"']
    assert results[1].record and results[1].record.address == "Jl. B; No. 2"


def test_csv_multiline_cell_and_excel_sep_line(tmp_path: Path) -> None:
    text = ('sep=,\r\nNama IKM,Alamat,Kab/Kota,Komoditi,Produk\r\n'
            '"Batik; Sari","Jl. A\r\nNo. 1",Kab. Garut,Batik,Batik\r\n'
            'Tenun,,Kab. Lima Puluh Kota,Tenun,Tenun\r\n')
    (tmp_path / "b.csv").write_bytes(text.encode("utf-8"))
    _grid, results = import_file(tmp_path / "b.csv")
    assert [r.row_number for r in results] == [2, 3]  # record numbers, as Excel shows them
    assert results[0].record and results[0].record.address == "Jl. A No. 1"


# --- bad files -----------------------------------------------------------------------------

def _refused(path: Path, words: str, **limits: int) -> None:
    with pytest.raises(UserFacingError, match=words) as caught:
        read_grid(path, **limits)
    assert "\n" not in str(caught.value) and path.name in str(caught.value)


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4000))
    _refused(path, "damaged")


def test_truncated_xlsx(tmp_path: Path) -> None:
    full = fx.write_messy_xlsx(tmp_path / "full.xlsx").read_bytes()
    for cut in (len(full) // 3, len(full) // 2, len(full) - 30):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(full[:cut])
        _refused(path, "damaged")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (tmp_path / "notxlsx.xlsx").write_bytes(buffer.getvalue())
    _refused(tmp_path / "notxlsx.xlsx", "damaged")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    (tmp_path / "sheet.ods").write_bytes(buffer.getvalue())
    _refused(tmp_path / "sheet.ods", "OpenDocument")


def test_zip_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    _refused(path, "unpacks to far more data", max_bytes=100_000)


@pytest.mark.parametrize("name", ["terkunci.xlsx", "lama.xls", "usulan.csv"])
def test_ole2_is_password_protected_or_old_xls(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    _refused(path, "password-protected or an old .xls")


def test_empty_and_blank_files(tmp_path: Path) -> None:
    for name in ("kosong.xlsx", "kosong.csv"):
        (tmp_path / name).write_bytes(b"")
        _refused(tmp_path / name, "is empty")
    (tmp_path / "spasi.csv").write_bytes(b"\xef\xbb\xbf ; ;\r\n\r\n")
    _refused(tmp_path / "spasi.csv", "contains no data")
    Workbook().save(tmp_path / "nodata.xlsx")
    _refused(tmp_path / "nodata.xlsx", "contains no data")


def test_fifty_megabytes_refused_before_reading(tmp_path: Path) -> None:
    for name in ("besar.xlsx", "besar.csv"):
        path = tmp_path / name
        with open(path, "wb") as fh:
            fh.write(b"PK\x03\x04" if name.endswith("xlsx") else b"Nama IKM;Kab/Kota\n")
            fh.truncate(50 * 1024 * 1024)  # sparse: instant, no disk used
        _refused(path, r"too large \(52.4 MB; at most 20 MB\)")


def test_too_many_rows(tmp_path: Path) -> None:
    fx.write_csv(tmp_path / "rows.csv", fx.many_rows(30))
    _refused(tmp_path / "rows.csv", "more than 20 rows", max_rows=20)
    fx.write_messy_xlsx(tmp_path / "rows.xlsx", fx.many_rows(30))
    _refused(tmp_path / "rows.xlsx", "more than 20 rows", max_rows=20)


def test_other_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "folder.xlsx").mkdir()
    _refused(tmp_path / "folder.xlsx", "is a folder")
    _refused(tmp_path / "missing.xlsx", "Could not read")
    (tmp_path / "laporan.pdf").write_bytes(b"%PDF-1.4 ...")
    _refused(tmp_path / "laporan.pdf", "cannot be read")
    (tmp_path / "web.xls").write_bytes(b"<html><table><tr><td>x</td></tr></table></html>")
    _refused(tmp_path / "web.xls", "cannot be read")
    (tmp_path / "fake.xlsx").write_text("Nama IKM;Kab/Kota\n", encoding="utf-8")
    _refused(tmp_path / "fake.xlsx", "not a valid Excel workbook")
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02garbage\x81\x8d")
    _refused(tmp_path / "binary.csv", "not a text CSV")
    (tmp_path / "cp.csv").write_bytes(b"Nama IKM;Kab\x81\x8d\x8f\x90")
    _refused(tmp_path / "cp.csv", "not a text CSV")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    path = fx.write_csv(tmp_path / "locked.csv")
    path.chmod(0)
    try:
        _refused(path, "Could not read")
    finally:
        path.chmod(0o600)


# --- export --------------------------------------------------------------------------------

HOSTILE = ["=1+1", "+62 812", "-5", "@SUM(A1)", "\tX", "\rY", "=HYPERLINK(\"http://x\")"]


def test_xlsx_export_is_injection_safe(tmp_path: Path) -> None:
    path = tmp_path / "ekspor.xlsx"
    write_table(path, ["Nama", "=Kolom"], [
        [*HOSTILE, -5, 3.5, 12, date(2024, 10, 18), None, True, "Batik 😀"]], "Kandidat: 2024/25")
    wb = load_workbook(path)
    ws = wb.active
    assert ws.title == "Kandidat  2024 25" and ws.freeze_panes == "A2"
    assert ws["A1"].font.b and ws["B1"].value == "'=Kolom"
    cells = list(ws.iter_rows(min_row=2, values_only=False))[0]
    for cell, text in zip(cells, HOSTILE, strict=False):
        # XML turns a stored CR into LF on reading; the leading ' is what matters
        assert cell.data_type == "s" and cell.value == "'" + text.replace("\r", "\n")
    tail = [c.value for c in cells[len(HOSTILE):]]
    assert tail[:3] == [-5, 3.5, 12] and cells[len(HOSTILE)].data_type == "n"
    assert tail[3] == datetime(2024, 10, 18) and tail[4] is None and tail[6] == "Batik 😀"
    assert ws.column_dimensions["A"].width >= 8


def test_csv_export_is_injection_safe(tmp_path: Path) -> None:
    path = tmp_path / "ekspor.csv"
    write_table(path, ["Nama", "Nilai"], [[*HOSTILE, -5, 3.5, date(2024, 10, 18), None]], "x")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    grid = read_grid(path)
    assert grid.rows[0] == ["Nama", "Nilai"]
    assert grid.rows[1][:len(HOSTILE)] == ["'" + text for text in HOSTILE]
    assert grid.rows[1][len(HOSTILE):] == ["-5", "3,5", "2024-10-18"]


def test_export_refuses_other_suffixes_and_writes_atomically(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match=r"\.xlsx or \.csv"):
        write_table(tmp_path / "out.pdf", ["a"], [], "x")
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    write_table(target, ["a"], [["b"]], "x")
    assert load_workbook(target).active["A2"].value == "b"
    assert not list(tmp_path.glob(".*.part"))  # no temp file left


def test_exported_xlsx_imports_again(tmp_path: Path) -> None:
    headers = fx.MESSY_HEADERS
    write_table(tmp_path / "kembali.xlsx", headers, fx.REALISTIC_ROWS, "Usulan")
    _grid, results = import_file(tmp_path / "kembali.xlsx")
    assert_realistic(results)


# --- template ------------------------------------------------------------------------------

def test_template_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    grid = read_grid(path)
    guess = detect_header(grid.rows)
    assert set(guess.mapping) == {f.key for f in FIELDS} and guess.unmapped == []
    assert parse_rows(grid.rows, guess.row_index, guess.mapping, load_regions()) == []
    wb = load_workbook(path)
    sheet = wb["Usulan"]
    assert wb.sheetnames == ["Usulan", "Petunjuk"]
    assert "A1:U1" in {str(r) for r in sheet.merged_cells.ranges}
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"' + ",".join(TEMPLATE_COMMODITIES) + '"' in lists and '"Baru,Evaluasi Ulang"' in lists
    assert sheet["L4"].value == "9120012345678" and sheet["L100"].number_format == "@"
    assert "Petunjuk" in str(wb["Petunjuk"]["A1"].value)


def test_filled_template_imports(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    wb = load_workbook(path)
    sheet = wb["Usulan"]
    for offset, row in enumerate(fx.REALISTIC_ROWS, start=5):
        for col, value in enumerate(row, start=1):
            sheet.cell(offset, col, value)
    wb.save(path)
    _grid, results = import_file(path)
    assert results[0].row_number == 5
    assert_realistic(results)
