"""Builders for realistic, messy proposal files as regional offices send them (shared by tests).

Import as a plain module (`import proposal_fixtures`) from tests in this folder, or
add this folder to sys.path. Names of IKM are fictional; kab/kota are real.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ovop_desktop.domain.commodities import Commodity

# Headers in the words one province used: synonyms, units in brackets, trailing spaces.
MESSY_HEADERS: list[str] = [
    "No.", "Nama Usaha", "Nama Pemilik", "Alamat Usaha", "Kab/Kota ", "Provinsi",
    "Sentra IKM", "No SK", "Tgl SK", "Komoditi", "Produk Unggulan", "NIB", "Legalitas",
    "Jumlah TK (orang)", "Kapasitas Produksi", "Jangkauan Pasar", "Pengalaman Ekspor",
    "Jenis Usulan", "Bintang Sebelumnya", "Tahun Penghargaan", "Keanggotaan Asosiasi/Koperasi"]

M = Commodity.MAKANAN_MINUMAN
T = Commodity.KAIN_TENUN
B = Commodity.KAIN_BATIK
A = Commodity.ANYAMAN
G = Commodity.GERABAH

# (row aligned with MESSY_HEADERS, expected region code, expected commodity)
_ROWS: list[tuple[list[object], str, Commodity]] = [
    ([1, "Dodol Kencana Rasa ", "H. Asep Saepudin", "Jl. Pasundan No. 45, Tarogong Kidul",
      "Kab. Garut", "Jawa Barat", "Sentra Dodol Tarogong", "530/Kep.12-Diskop/2019",
      "12/03/2019", "Mamin", "Dodol", 9120001234567.0, "NIB, PIRT, Halal MUI, HKI", 15.0,
      "3 ton/bulan", "Jawa Barat, DKI Jakarta", "-", "Baru", None, None], "32.05", M),
    ([2, "Rendang Rang Mudo", "Hj. Yusnimar", "Jl. Soekarno-Hatta No. 7, Payakumbuh Barat",
      "Kota Payakumbuh", "Sumatera Barat", "Sentra Rendang Payakumbuh", "188.45/112/WK-PYK/2018",
      datetime(2018, 7, 2), "MAKANAN & MINUMAN ", "Rendang daging", "9120 0023 45678",
      "SPP-IRT; BPOM MD; Sertifikat Halal; Merek", "25 orang", "1.500 kg/bulan",
      "Sumbar, Riau, Malaysia", "Malaysia (2023)", "Evaluasi", 2, 2022], "13.76", M),
    ([3, "Songket Saiyo Pandai Sikek", "Nurhayati", "Jorong Pandai Sikek, X Koto",
      "Kabupaten Tanah Datar", "Sumatera Barat", "Sentra Songket Pandai Sikek",
      "SK Bupati No. 45/2017", "05-09-2017", "Kain Songket", "Songket Pandai Sikek",
      9120003456781, "NIB, HKI", 40, "60 lembar/bulan", "Nasional", "Singapura",
      "Re-evaluasi", 3, 2022], "13.04", T),
    ([4, 'Batik Tulis "Sekar Jagad"', "R. Ayu Pratiwi", "Jl. Tirtodipuran No. 20",
      "Kota Yogyakarta", "DI Yogyakarta", "Sentra Batik Prawirotaman", "12/KEP/2016",
      "12 Maret 2016", "BATIK", "Batik tulis", "1.234.567.890.123", "SNI, Batik Mark, NIB",
      12, "200 lembar/bulan", "Jawa, Bali", "Jepang", "Baru", None, None], "34.71", B),
    ([5, "Batik Lasem Tiga Negeri Jaya", "Santoso Wijaya", "Desa Babagan, Lasem", "33.17",
      "Jawa Tengah", "Sentra Batik Lasem", "050/0123/2015", 42005, "Batik",
      "Batik tulis Lasem", "'9120004567892", "NIB; Batik Mark; Merek", "30",
      "150 lembar", "Nasional", "", "baru", None, None], "33.17", B),
    ([6, "Anyaman Ketak D'Lombok", "Baiq Rahmawati", "Desa Nyiur Baya, Batu Layar",
      "Lombok Barat", "NTB", "Sentra Ketak Nyiur Baya", "188/45/DISPERINDAG/2019",
      "March 12, 2019", "Anyaman", "Anyaman ketak", 9120005678903, "NIB, HKI", 22,
      "500 pcs/bulan", "Bali, Jakarta", "Australia, Belanda", "Baru", None, None], "52.01", A),
    ([7, "Gerabah Plered Mukti", "Dedi Supriadi", "Desa Anjun, Plered", "Kab Purwakarta ",
      "Jawa Barat", "Sentra Keramik Plered", "SK Bupati 510/Kep.33/2014", "2014-06-30",
      "Gerabah/Keramik", "Gerabah hias Plered", None, "NIB (proses), SNI", "18",
      "1.000 pcs/bulan", "Jawa Barat", "Korea Selatan", "Baru", None, None], "32.14", G),
    ([8, "Tenun Kubang Bundo", "Ernawati", "Nagari Tanjung Haro Sikabu-Kabu",
      "Kab. Lima Puluh Kota", "Sumatera Barat", "Sentra Tenun Kubang", "SK/45/2016",
      "1 Agustus 2016", "kain tenun ikat", "Tenun Kubang", 9120006789014, "NIB, Merek", 35,
      "80 lembar/bulan", "Sumbar", "", "Evaluasi Ulang", "Bintang 1", 2022], "13.07", T),
    ([9, "Songket Aceh Pocut", "Cut Nyak Rahmah", "Gampong Lamteh, Ulee Kareng",
      "Aceh Besar", "Aceh", "Sentra Songket Aceh Besar", "", None, "Kain Tenun",
      "Songket Aceh", 9120007890125, "NIB", 9, "20 lembar/bulan", "Aceh", "", "Baru",
      None, None], "11.06", T),
    ([10, "Anyaman Pandan Meuligoe", "Nurul Aini", "Gampong Meunasah Baro, Montasik",
      "Kabupaten Aceh Besar", "Aceh", "Sentra Anyaman Montasik", "", None, "anyaman",
      "Anyaman pandan", "", "Merek", 14, "300 pcs/bulan", "Aceh, Medan", "", "Baru", None,
      None], "11.06", A),
    ([11, "Dodol Picnik Nyi Mas", "Euis Komariah", "Jl. Ciledug No. 101", "Kab. Garut",
      "Jawa Barat", "Sentra Dodol Tarogong", "530/Kep.12-Diskop/2019", "12/03/2019",
      "Makanan dan Minuman", "Dodol", 9120008901236, "NIB, P-IRT, Halal (proses)", 8,
      "500 kg/bulan", "Jawa Barat", "", "Baru", None, None], "32.05", M),
    ([12, "Songket Palembang Ratu Sinuhun", "Hj. Zuraida", "Jl. Ki Gede Ing Suro 30 Ilir",
      "Kota Palembang", "Sumatera Selatan", "Sentra Songket 30 Ilir", "", None, "Tenun",
      "Songket Palembang", 9120009012347, "NIB, HKI, SNI", 50, "100 lembar/bulan",
      "Nasional", "Brunei", "Evaluasi", "★★★", 2022], "16.71", T),
    ([13, "Bakpia Salak Merapi", "Slamet Riyadi", "Turi", "Sleman – Yogyakarta", None,
      "Sentra Olahan Salak Turi", "", None, "Mamin", "Keripik salak", 9120001122334,
      "NIB, SPP-IRT, Halal", 11, "", "DIY", "", "Baru", None, None], "34.04", M),
    ([14, "Batik Pesisir Kenanga 🌸", "Muhammad Fauzi", "Kauman", "Pekalongan, Kota",
      "Jawa Tengah", "Sentra Batik Kauman", "", None, "Batik", "Batik cap dan tulis",
      9120002233445, "Batik Mark", 27, "", "Nasional", "", "Baru", None, None], "33.75", B),
    ([15, "Gerabah Kasongan Lestari", "Sumarni", "Kasongan, Bangunjiwo", "Bantul", "DIY",
      "Sentra Gerabah Kasongan", "", None, "Gerabah", "Gerabah hias", 9120003344556,
      "NIB, SNI", 16, "", "Bali, Eropa", "Belanda", "Baru", None, None], "34.02", G),
]
# The last column, as regions fill it: one per line or ";"-separated, "-" or blank for none.
_ASSOCIATIONS: dict[int, tuple[object, tuple[str, ...]]] = {
    0: ("Koperasi Sentra Dodol Tarogong", ("Koperasi Sentra Dodol Tarogong",)),
    1: ("GAPMMI;\nAsosiasi Rendang  Payakumbuh", ("GAPMMI", "Asosiasi Rendang Payakumbuh")),
    5: ("HIMKI\nASEPHI; HIMKI.", ("HIMKI", "ASEPHI")),
    7: ("-", ()),
    11: ("Cita Tenun Indonesia", ("Cita Tenun Indonesia",)),
}
REALISTIC_ROWS: list[list[object]] = [[*row, _ASSOCIATIONS.get(i, (None, ()))[0]]
                                      for i, (row, _c, _k) in enumerate(_ROWS)]
EXPECTED: list[tuple[str, Commodity]] = [(code, commodity) for _r, code, commodity in _ROWS]
EXPECTED_ASSOCIATIONS: list[tuple[str, ...]] = [_ASSOCIATIONS.get(i, (None, ()))[1]
                                                for i in range(len(_ROWS))]
TITLE = "DAFTAR USULAN CALON PENERIMA PENGHARGAAN OVOP 2024"


def write_messy_xlsx(path: Path, rows: Sequence[Sequence[object]] = REALISTIC_ROWS, *,
                     headers: Sequence[str] = MESSY_HEADERS, header_row: int = 4,
                     total_row: bool = True, extra_sheets: Sequence[str] = ()) -> Path:
    """A workbook like the ones regions e-mail: merged title, subtitle, header on `header_row`.

    Row 1 is a merged title, row 2 a subtitle, then blanks until the header;
    a "Jumlah" row closes the table when `total_row`.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Usulan OVOP"
    sheet.cell(1, 1, TITLE).font = Font(bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    if header_row > 2:
        sheet.cell(2, 1, "Dinas Perindustrian Provinsi")
    for col, text in enumerate(headers, start=1):
        sheet.cell(header_row, col, text).font = Font(bold=True)
    for offset, row in enumerate(rows, start=1):
        for col, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(header_row + offset, col, value)
    if total_row:
        end = header_row + len(rows) + 1
        sheet.cell(end, 1, "Jumlah")
        sheet.cell(end, 14, f"=SUM(N{header_row + 1}:N{end - 1})")
    for name in extra_sheets:
        workbook.create_sheet(name)["A1"] = "Catatan"
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]] = REALISTIC_ROWS, *,
              headers: Sequence[str] = MESSY_HEADERS, delimiter: str = ";",
              encoding: str = "utf-8-sig", title: str | None = TITLE) -> Path:
    """A CSV as Excel saves it: optional title line, quoted fields, CRLF, chosen encoding."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if title:
        writer.writerow([title])
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _csv_text(v) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _csv_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def many_rows(count: int) -> list[list[object]]:
    """`count` distinct valid rows (unique names and NIBs) cycling through REALISTIC_ROWS."""
    rows: list[list[object]] = []
    for i in range(count):
        row = list(REALISTIC_ROWS[i % len(REALISTIC_ROWS)])
        row[0] = i + 1
        row[1] = f"{str(row[1]).strip()} {i + 1}"
        row[11] = f"{9_100_000_000_000 + i}"
        rows.append(row)
    return rows
