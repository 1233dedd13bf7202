"""Proposal grids → records: header detection, every cell normaliser, hostile text, duplicates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.proposal_cells import (
    CellError,
    cell_text,
    column_letter,
    parse_date,
    parse_documents,
    parse_nib,
    parse_star,
    parse_whole,
    parse_year,
)
from ovop_desktop.domain.proposal_fields import match_header
from ovop_desktop.domain.proposals import (
    FIELDS,
    FORMULA_WITHOUT_VALUE,
    ProposalRecord,
    RowResult,
    detect_header,
    duplicate_keys,
    fingerprint,
    mapping_problems,
    normalise_name,
    parse_commodity_text,
    parse_kind,
    parse_rows,
    within_file_duplicates,
)
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.errors import ValidationError

REGIONS = RegionRegistry.from_dir(Path(__file__).resolve().parents[2] / "resources" / "wilayah")
HEADER = ["No", "Nama IKM", "Pemilik", "Alamat", "Kab/Kota", "Provinsi", "Komoditi", "Produk",
          "NIB", "Dokumen", "Tenaga Kerja", "Tanggal SK", "No SK", "Jenis Usulan", "Bintang",
          "Tahun Penghargaan"]
COL = {h: i for i, h in enumerate(HEADER)}


@pytest.fixture(autouse=True)
def _english(english: None) -> None:
    """Assertions below match English message words."""


def row(**values: object) -> list[object]:
    """A data row for HEADER from header-name keywords (spaces as underscores)."""
    cells: list[object] = [None] * len(HEADER)
    defaults = {"Nama_IKM": "Batik Sari", "Kab/Kota": "Kab. Garut", "Komoditi": "Batik",
                "Produk": "Batik tulis"}
    for key, value in {**defaults, **values}.items():
        cells[COL[key.replace("_", " ").replace("Kab Kota", "Kab/Kota")]] = value
    return cells


def parse(*rows: list[object]) -> list[RowResult]:
    grid: list[list[object]] = [["DAFTAR USULAN OVOP 2024"], [], list(HEADER), *rows]
    guess = detect_header(grid)
    assert guess.row_index == 2
    return parse_rows(grid, guess.row_index, guess.mapping, REGIONS)


def one(**values: object) -> RowResult:
    [result] = parse(row(**values))
    return result


def record(**values: object) -> ProposalRecord:
    result = one(**values)
    assert result.record is not None, result.errors
    return result.record


# --- header detection ----------------------------------------------------------------------

def test_header_below_merged_title_and_blank_rows() -> None:
    grid: list[list[object]] = [
        ["DAFTAR USULAN CALON PENERIMA PENGHARGAAN OVOP 2024", None, None, None],
        [None, None, None], [],
        ["Provinsi: Jawa Barat"],
        ["No.", "Nama Usaha", "Kabupaten/Kota", "Komoditas", "Produk Unggulan", "Keterangan"],
        [1, "Dodol Kencana", "Kab. Garut", "Mamin", "Dodol", ""]]
    guess = detect_header(grid)
    assert guess.row_index == 4
    assert guess.mapping == {"name": 1, "region": 2, "commodity": 3, "product": 4}
    assert guess.unmapped == ["Keterangan"]  # "No." is the numbering column, not reported
    assert guess.score == 4


def test_header_picks_the_row_mapping_most_fields() -> None:
    grid: list[list[object]] = [
        ["Nama IKM", "Kab/Kota", "Komoditi"],  # a legend row above the real header
        [], ["IKM", "Pemilik", "Kab/Kota", "Provinsi", "Komoditi", "Produk", "NIB"]]
    guess = detect_header(grid)
    assert guess.row_index == 2 and guess.score == 7


def test_header_with_units_line_breaks_and_prefixes() -> None:
    grid: list[list[object]] = [[
        "Nama IKM / Perusahaan", "Kab./Kota ", "KOMODITI", "Jumlah Tenaga\nKerja (orang)",
        "Kapasitas Produksi (pcs/bulan)", "Alamat Email", "Nama Produk"]]
    guess = detect_header(grid)
    assert guess.mapping == {"name": 0, "region": 1, "commodity": 2, "workforce": 3,
                             "capacity": 4, "product": 6}
    assert guess.unmapped == ["Alamat Email"]


def test_stronger_synonym_wins_a_field() -> None:
    guess = detect_header([["Nama", "Nama Usaha", "Kab/Kota", "Komoditi"]])
    assert guess.mapping["name"] == 1 and guess.unmapped == ["Nama"]


def test_no_header_gives_a_partial_or_empty_guess() -> None:
    assert detect_header([]).score == 0
    assert detect_header([["x", "y"], [1, 2]]).mapping == {}
    partial = detect_header([["Nama IKM", "Produk"]])
    assert partial.mapping == {"name": 0, "product": 1}
    assert mapping_problems(partial.mapping)  # the wizard must ask the user


def test_header_scan_limit() -> None:
    grid: list[list[object]] = [[] for _ in range(40)] + [["Nama IKM", "Kab/Kota", "Komoditi"]]
    assert detect_header(grid).score == 0
    assert detect_header(grid, max_scan=50).row_index == 40


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.key)
def test_every_synonym_maps_to_its_field(field) -> None:  # type: ignore[no-untyped-def]
    for synonym in field.synonyms:
        found = match_header(synonym)
        assert found is not None and found[0] == field.key, synonym
        assert match_header(f" {synonym.upper()}  ") == found


def test_mapping_problems() -> None:
    ok = {"name": 0, "region": 1, "commodity": 2, "product": 3}
    assert mapping_problems(ok) == []
    problems = mapping_problems({"name": 0, "region": 0, "commodity": 2, "colour": 5,
                                 "nib": -1})
    assert any("column A is used for both" in p for p in problems)
    assert any("unknown field 'colour'" in p for p in problems)
    assert any("not a valid column" in p for p in problems)
    assert any("Product" in p and "not mapped" in p for p in problems)
    with pytest.raises(ValidationError):
        parse_rows([["a"]], 0, {"name": 0}, REGIONS)


# --- normalisers ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), ("  Batik   Sari \n", "Batik Sari"), (3205.0, "3205"), (32.05, "32.05"),
    (12, "12"), ("Cafe\u0301", "Café"), ("\ufeffBatik", "Batik"), (True, "TRUE"),
    (datetime(2023, 3, 12), "2023-03-12"), (date(2023, 3, 12), "2023-03-12"),
    ("Jl.\u00a0Merdeka", "Jl. Merdeka")])
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "#REF!", "#N/A",
                                   FORMULA_WITHOUT_VALUE])
def test_cell_text_refuses_non_values(value: object) -> None:
    with pytest.raises(CellError):
        cell_text(value)


@pytest.mark.parametrize("value", [
    1234567890123, 1234567890123.0, "1234567890123", " 1234567890123 ", "1234 5678 90123",
    "1.234.567.890.123", "'1234567890123", "1234-5678-90123"])
def test_nib_forms(value: object) -> None:
    assert parse_nib(value) == "1234567890123"


@pytest.mark.parametrize(("value", "words"), [
    ("12345", "must be 13 digits, got '12345'"), (123456789012, "leading 0"),
    ("1.23457E+12", "rounded by Excel"), ("12345678901234", "13 digits"),
    ("NIB-ABCDEFGHIJ", "13 digits"), (1234567890123.5, "13 digits"), (-1234567890123, "13")])
def test_nib_errors(value: object, words: str) -> None:
    with pytest.raises(CellError, match=words):
        parse_nib(value)


@pytest.mark.parametrize("value", [
    date(2023, 3, 12), datetime(2023, 3, 12, 14, 30), 44997, 44997.0, "44997", "12/03/2023",
    "12-03-2023", "12.03.2023", "12/3/23", "2023-03-12", "2023/03/12", "2023-03-12 00:00:00",
    "12 Maret 2023", "12 Mar 2023", "12-Mar-2023", "12 March 2023", "March 12, 2023",
    "Mar 12 2023", "Minggu, 12 Maret 2023", " 12  MARET 2023 "])
def test_date_forms(value: object) -> None:
    assert parse_date(value) == date(2023, 3, 12)


@pytest.mark.parametrize(("value", "words"), [
    ("31/02/2023", "day 31 does not exist"), ("03/25/2023", "no month 25"),
    ("2023", "not a date"), (2023, "out of range"), ("12 Maretz 2023", "not a date"),
    ("1/1/1800", "out of range"), (float("nan"), "not a date"), (-5, "not a date"),
    (10**400, "not a date"), (float("inf"), "not a date"),
    ("30 Februari 2024", "does not exist"), ("kemarin", "not a date")])
def test_date_errors(value: object, words: str) -> None:
    with pytest.raises(CellError, match=words):
        parse_date(value)


def test_numbers() -> None:
    assert [parse_whole(v, 0, 10**6) for v in (25, 25.0, "25", "1.250", "25 orang", "1,250")] \
        == [25, 25, 25, 1250, 25, 1250]
    for bad in ("-5", -5, 2.5, "10-15", "banyak", True):
        with pytest.raises(CellError):
            parse_whole(bad, 0, 10**6)
    assert [parse_star(v) for v in (1, 2.0, "3", "Bintang 2", "2 bintang", "★★★", "⭐")] \
        == [1, 2, 3, 2, 2, 3, 1]
    for bad in (0, 4, "Bintang 5", "★★★★", "emas"):
        with pytest.raises(CellError):
            parse_star(bad)
    assert [parse_year(v) for v in (2022, 2022.0, "2022", datetime(2022, 10, 18))] == [2022] * 4
    for bad in (1999, 2101, "22"):
        with pytest.raises(CellError):
            parse_year(bad)


@pytest.mark.parametrize(("text", "codes"), [
    ("NIB, PIRT, Halal MUI, HKI", {"nib", "izin_edar", "halal", "merek_hki"}),
    ("SPP-IRT; BPOM MD; Sertifikat Halal; Merek", {"izin_edar", "halal", "merek_hki"}),
    ("SNI, Batik Mark", {"sni", "batik_mark"}),
    ("SK Bupati/Walikota, Izin Usaha", {"sk_sentra", "nib"}),
    ("P-IRT dan Halal & HAKI", {"izin_edar", "halal", "merek_hki"}),
    ("Batikmark\nSNI", {"batik_mark", "sni"}), ("-", set()), ("Tidak ada", set())])
def test_documents(text: str, codes: set[str]) -> None:
    found, warnings = parse_documents(text)
    assert found == codes and warnings == []


def test_documents_in_progress_and_unknown_are_reported() -> None:
    found, warnings = parse_documents("NIB, Halal (proses), belum SNI, Sertifikat Organik")
    assert found == {"nib"}
    assert len(warnings) == 3 and "Sertifikat Organik" in warnings[2]


@pytest.mark.parametrize(("text", "commodity"), [
    ("Mamin", Commodity.MAKANAN_MINUMAN), ("Makanan & Minuman", Commodity.MAKANAN_MINUMAN),
    ("MAKANAN DAN MINUMAN ", Commodity.MAKANAN_MINUMAN), ("BATIK", Commodity.KAIN_BATIK),
    ("kain tenun ikat", Commodity.KAIN_TENUN), ("Songket", Commodity.KAIN_TENUN),
    ("Kerajinan Anyaman Pandan", Commodity.ANYAMAN), ("Gerabah/Keramik", Commodity.GERABAH),
    ("Industri Makanan", Commodity.MAKANAN_MINUMAN)])
def test_commodities(text: str, commodity: Commodity) -> None:
    assert parse_commodity_text(text) is commodity


@pytest.mark.parametrize(("text", "words"), [
    ("Batik tenun", "more than one commodity"), ("Kerajinan", "unknown commodity"),
    ("ikat pinggang", "unknown commodity")])
def test_commodity_errors(text: str, words: str) -> None:
    with pytest.raises(CellError, match=words):
        parse_commodity_text(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("Baru", "new"), ("USULAN BARU", "new"), ("Evaluasi", "reevaluation"),
    ("Re-evaluasi", "reevaluation"), ("Lama", "reevaluation"), ("Evaluasi Ulang", "reevaluation"),
    ("", None)])
def test_kinds(text: str, kind: str | None) -> None:
    assert parse_kind(text) == kind


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == \
        ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# --- rows ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("region", "code"), [
    ("Kab. Garut", "32.05"), ("Kabupaten Garut", "32.05"), ("KAB GARUT ", "32.05"),
    ("32.05", "32.05"), (3205, "32.05"), (3205.0, "32.05"), ("Garut", "32.05"),
    ("Kota Bogor", "32.71"), ("Sleman – Yogyakarta", "34.04")])
def test_region_forms(region: object, code: str) -> None:
    assert record(Kab_Kota=region).region_code == code


def test_ambiguous_region_lists_the_options() -> None:
    result = one(Kab_Kota="Bogor")
    assert result.record is None
    assert result.errors == ["Kabupaten/kota (column E): ambiguous kab/kota 'Bogor': "
                             "32.01 Kabupaten Bogor or 32.71 Kota Bogor"]
    assert one(Kab_Kota="Bogor", Provinsi="Jawa Barat").record is None  # both in Jawa Barat


def test_province_disambiguates_and_is_checked() -> None:
    assert record(Kab_Kota="Banjar", Provinsi="Kalimantan Selatan").region_code == "63.03"
    assert record(Kab_Kota="Banjar", Provinsi="Prop. Jawa Barat").region_code == "32.79"
    mismatch = one(Kab_Kota="Kab. Garut", Provinsi="Jawa Tengah")
    assert mismatch.record is not None and "does not match" in mismatch.warnings[0]
    assert "not recognised" in one(Kab_Kota="Kab. Garut", Provinsi="Planet X").warnings[0]


def test_unknown_region_suggests() -> None:
    result = one(Kab_Kota="Kab. Garutt")
    assert "unknown kab/kota 'Kab. Garutt'; did you mean 32.05 Kabupaten Garut?" in \
        result.errors[0]


def test_full_record() -> None:
    rec = record(Nama_IKM="  Dodol   Kencana ", Pemilik="Asep", Alamat="Jl. A\nNo. 5",
                 Kab_Kota="Kab. Garut", Komoditi="Mamin", Produk="Dodol", NIB=9120001234567.0,
                 Dokumen="PIRT, Halal", Tenaga_Kerja=15.0, Tanggal_SK=44997,
                 No_SK="530/Kep.12/2019", Jenis_Usulan="Baru")
    assert rec == ProposalRecord(
        name="Dodol Kencana", owner="Asep", address="Jl. A No. 5", region_code="32.05",
        sentra_name="", sentra_sk_number="530/Kep.12/2019", sentra_sk_date=date(2023, 3, 12),
        commodity=Commodity.MAKANAN_MINUMAN, product="Dodol", nib="9120001234567",
        documents=frozenset({"izin_edar", "halal", "nib", "sk_sentra"}), workforce=15,
        capacity="", markets="", export_history="", kind="new", previous_star=None,
        previous_year=None)


def test_kind_follows_previous_star() -> None:
    assert record(Bintang=2, Tahun_Penghargaan=2022).kind == "reevaluation"
    noted = one(Jenis_Usulan="Baru", Bintang="Bintang 3")
    assert noted.record and noted.record.kind == "reevaluation" and noted.warnings
    lone = one(Jenis_Usulan="Evaluasi")
    assert lone.record and lone.record.kind == "reevaluation" and "without" in lone.warnings[0]
    assert "unknown kind" in one(Jenis_Usulan="Mungkin").errors[0]


def test_required_fields_and_every_error_reported() -> None:
    result = one(Nama_IKM="  ", Komoditi="Kerajinan", NIB="123", Tenaga_Kerja=-3, Bintang=5,
                 Tahun_Penghargaan=1990, Tanggal_SK="31/02/2023")
    assert result.record is None
    assert len(result.errors) == 7
    assert result.errors[0].startswith("IKM name (column B): missing") or any(
        "IKM name (column B): missing" in e for e in result.errors)
    assert any("NIB (column I): must be 13 digits, got '123'" in e for e in result.errors)


def test_formula_without_value_is_a_row_error() -> None:
    result = one(Tenaga_Kerja=FORMULA_WITHOUT_VALUE)
    assert result.record is None
    assert "column K" in result.errors[0] and "formula without a stored value" in result.errors[0]


@pytest.mark.parametrize("char", [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\x00", "\x07",
    "\x1b", "\x7f", "\x85", "\u00ad"])
def test_hostile_characters_rejected(char: str) -> None:
    result = one(Nama_IKM=f"Batik{char}Sari")
    assert result.record is None
    assert f"U+{ord(char):04X}" in result.errors[0]
    assert one(Alamat=f"Jl. Merdeka {char}5").record is None


@pytest.mark.parametrize("name", [
    'Batik "Sekar Jagad"', "Anyaman Ketak D'Lombok", "<b>Batik</b>", "<script>x</script>",
    "Kopi 😀 Mantap", "Dapur Bunda 👩\u200d🍳", "Łódź Żółć Nguyễn", "Tenun 'Ulos' & Co.",
    "Rendang\tUni\r\nLis"])
def test_unusual_but_honest_text_kept(name: str) -> None:
    expected = " ".join(name.split())
    assert record(Nama_IKM=name).name == expected


def test_length_caps() -> None:
    assert record(Nama_IKM="x" * 200).name == "x" * 200
    assert "too long (201 characters; at most 200)" in one(Nama_IKM="x" * 201).errors[0]
    assert record(Alamat="a" * 500).address == "a" * 500
    assert one(Alamat="a" * 501).record is None
    assert one(Dokumen="NIB " * 300).record is None


def test_skipped_rows_and_row_numbers() -> None:
    results = parse(
        [None, None], ["", "  "],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        row(No=1), [],
        list(HEADER),  # the header repeated after a page break
        ["Contoh", "IKM Contoh", None, None, "Kab. Garut", None, "Batik", "Batik"],
        row(No=2, Nama_IKM="Batik Dua"),
        [7],  # only the pre-printed number
        ["Jumlah", None, None, None, None, None, None, None, None, None, "=SUM(K4:K9)"],
        ["TOTAL:", "2 IKM"])
    assert [r.row_number for r in results] == [7, 11]
    assert all(r.record for r in results)


def test_huge_numbers_are_errors_not_crashes() -> None:
    result = one(Nama_IKM=10**400, NIB=10**400, Tenaga_Kerja=10**400, Tanggal_SK=10**400,
                 Bintang=10**400, Tahun_Penghargaan=-(10**400))
    assert result.record is None and len(result.errors) == 6
    assert max(len(e) for e in result.errors) < 150  # quoted values are shortened


def test_ragged_and_short_rows() -> None:
    grid: list[list[object]] = [["Nama IKM", "Kab/Kota", "Komoditi", "Produk"],
                                ["Batik Sari", "Kab. Garut"], ["Dodol", "Kab. Garut", "Mamin",
                                                                "Dodol", "extra", "cells"]]
    results = parse_rows(grid, 0, detect_header(grid).mapping, REGIONS)
    assert [bool(r.record) for r in results] == [False, True]
    assert any("Commodity (column C): missing" in e for e in results[0].errors)


# --- duplicates ----------------------------------------------------------------------------

def test_within_file_duplicates() -> None:
    results = parse(
        row(Nama_IKM="Batik Sari", NIB="1234567890123"),
        row(Nama_IKM="BATIK  SARI.", Kab_Kota="Kabupaten Garut"),  # same name, same kab
        row(Nama_IKM="Batik Sari", Kab_Kota="Kota Bogor"),  # same name elsewhere: fine
        row(Nama_IKM="Lain", NIB="1234567890123"),
        row(Nama_IKM="Batik Sari", NIB="1234567890123"))
    dupes = within_file_duplicates(results)
    assert dupes == [(5, 4, "same name in the same kab/kota as row 4"),
                     (7, 4, "same NIB 1234567890123 as row 4"),
                     (8, 4, "same NIB 1234567890123 as row 4")]


def test_fingerprint_and_keys() -> None:
    a = record(Nama_IKM="Batik Sari", NIB="1234567890123")
    b = record(Nama_IKM="  batik   SARI!", Kab_Kota="32.05")
    assert fingerprint(a) == fingerprint(b) and len(fingerprint(a)) == 64
    assert fingerprint(a) != fingerprint(record(Nama_IKM="Batik Sari", Komoditi="Tenun"))
    assert duplicate_keys(a) == ("nib:1234567890123", "name:32.05:batik sari")
    assert duplicate_keys(b) == ("name:32.05:batik sari",)
    assert normalise_name("Café  Ñoño-Jaya") == "cafe nono jaya"


# --- never raises --------------------------------------------------------------------------

CELLS = st.one_of(st.none(), st.text(), st.integers(), st.floats(allow_nan=True),
                  st.datetimes(), st.dates(), st.booleans(), st.just(FORMULA_WITHOUT_VALUE),
                  st.sampled_from(["Kab. Garut", "Bogor", "Mamin", "Batik", "1234567890123",
                                   "Evaluasi", "★★", "12/03/2023", "Jumlah", "(1)"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=len(HEADER) + 2), max_size=8))
def test_parse_rows_never_raises(rows: list[list[object]]) -> None:
    grid: list[list[object]] = [list(HEADER), *rows]
    mapping = detect_header(grid).mapping
    for result in parse_rows(grid, 0, mapping, REGIONS):
        assert (result.record is None) == bool(result.errors)
        assert 2 <= result.row_number <= len(grid)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELLS, max_size=6), max_size=8), st.integers(-1, 9))
def test_header_detection_and_parsing_never_raise(grid: list[list[object]], header: int) -> None:
    detect_header(grid)
    mapping = {"name": 0, "region": 1, "commodity": 2, "product": 3}
    for result in parse_rows(grid, header, mapping, REGIONS):
        assert (result.record is None) == bool(result.errors)


# --- associations: several names in one cell -------------------------------------------------

@pytest.mark.parametrize("header", ["Keanggotaan Asosiasi", "Asosiasi", "Associations",
                                    "Asosiasi/Koperasi", "Keanggotaan Asosiasi (jika ada)"])
def test_association_headers(header: str) -> None:
    assert match_header(header)[0] == "associations"  # type: ignore[index]


@pytest.mark.parametrize("cell, expected", [
    ("HIMKI", ("HIMKI",)),
    ("HIMKI; Koperasi Ketak  Nyiur Baya", ("HIMKI", "Koperasi Ketak Nyiur Baya")),
    ("HIMKI\nAsosiasi Perajin Anyaman Indonesia\r\n", ("HIMKI",
                                                       "Asosiasi Perajin Anyaman Indonesia")),
    ("HIMKI; himki.; H.I.M.K.I", ("HIMKI",)),  # the same association written three ways
    ("-", ()), ("Tidak ada", ()), ("  ", ()), (None, ()), (";;", ()),
])
def test_association_cells(cell: object, expected: tuple[str, ...]) -> None:
    grid: list[list[object]] = [["Nama IKM", "Kab/Kota", "Komoditi", "Produk", "Asosiasi"],
                                ["Ketak Sari", "Lombok Barat", "Anyaman", "Tas", cell]]
    guess = detect_header(grid)
    [result] = parse_rows(grid, guess.row_index, guess.mapping, REGIONS)
    assert result.record is not None, result.errors
    assert result.record.associations == expected


@pytest.mark.parametrize("cell, words", [
    ("HIMKI; Asosiasi\u202eBatik", "U+202E"),
    ("x" * 201, "too long"),
    (";".join(f"Koperasi {i}" for i in range(21)), "more than 20 associations"),
    (FORMULA_WITHOUT_VALUE, "formula without a stored value"),
])
def test_association_cell_errors(cell: object, words: str) -> None:
    grid: list[list[object]] = [["Nama IKM", "Kab/Kota", "Komoditi", "Produk", "Asosiasi"],
                                ["Ketak Sari", "Lombok Barat", "Anyaman", "Tas", cell]]
    [result] = parse_rows(grid, 0, detect_header(grid).mapping, REGIONS)
    assert result.record is None
    assert "Associations (column E)" in result.errors[0] and words in result.errors[0]


def test_association_keys_ignore_case_spacing_and_punctuation() -> None:
    from ovop_desktop.domain.candidates import association_key, split_associations

    assert association_key("Asosiasi Perajin, Anyaman  Indonesia.") == \
        association_key("asosiasi perajin anyaman indonesia") != ""
    assert association_key("Batik-Tulis / Cap") == association_key("batik tulis cap")
    assert association_key("ＨＩＭＫＩ") == association_key("himki")  # full-width letters
    assert association_key("HIMKI") != association_key("HIMKI Jawa Barat")
    assert split_associations("A;B\nA.\n\u2028C") == ("A", "B", "C")
