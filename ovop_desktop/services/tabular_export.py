"""Write tables to XLSX/CSV that Excel opens cleanly and that can never smuggle in a formula."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.atomic import atomic_write

# A cell starting with one of these is run as a formula by Excel or LibreOffice (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XLSX cannot store these at all
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE = 1000  # rows looked at to size columns; enough, and keeps big exports fast
_MAX_WIDTH = 60


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text: a leading =,+,-,@,tab,CR gets a ' in front."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cell(value: object) -> object:
    """A value for a cell: numbers and dates stay typed, everything else becomes safe text."""
    if value is None or isinstance(value, bool | int | datetime | date):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else safe_text(str(value))
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else safe_text(str(value))
    return safe_text(_ILLEGAL_XML.sub("", str(value)))


def write_table(path: str | Path, headers: list[str], rows: Sequence[Sequence[object]],
                sheet_title: str) -> None:
    """Write `headers` + `rows` as .xlsx or .csv (by suffix), all or nothing."""
    target = Path(path)
    suffix = target.suffix.casefold()
    if suffix == ".xlsx":
        data = _xlsx_bytes(headers, rows, sheet_title)
    elif suffix == ".csv":
        data = _csv_bytes(headers, rows)
    else:
        raise UserFacingError(_("Cannot export to '{name}': choose a file ending in .xlsx or "
                                ".csv.").format(name=target.name))
    atomic_write(target, data)


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_BAD.sub(" ", title).strip().strip("'")[:31] or "Sheet1"


def _widths(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    widths = [len(str(h)) for h in headers]
    for row in rows[:_WIDTH_SAMPLE]:
        for i, value in enumerate(row):
            if value is None:
                continue
            length = 10 if isinstance(value, date) else len(str(value))
            if i >= len(widths):
                widths.append(length)
            elif length > widths[i]:
                widths[i] = length
    return [min(max(w, 6) + 2, _MAX_WIDTH) for w in widths]


def _xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str) -> bytes:
    from openpyxl import Workbook  # deferred: openpyxl costs ~150 ms to import
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    for i, width in enumerate(_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=_cell(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        values: list[Any] = []
        for value in row:
            value = _cell(value)
            if isinstance(value, datetime | date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY" if not isinstance(value, datetime) \
                    else "DD/MM/YYYY HH:MM"
                value = cell
            values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Indonesian Excel reads "3,5" as a number in a ;-separated file and "3.5" as text.
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15
                else repr(value).replace(".", ","))
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM (so Excel detects it) and ';' as Indonesian Excel expects."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- the template handed to regional governments --------------------------------------------

TEMPLATE_HEADERS = (
    "No", "Nama IKM", "Pemilik", "Alamat", "Kabupaten/Kota", "Provinsi", "Nama Sentra IKM",
    "Nomor SK Sentra", "Tanggal SK Sentra", "Komoditas", "Produk", "NIB",
    "Dokumen yang Dimiliki", "Jumlah Tenaga Kerja", "Kapasitas Produksi", "Pasar",
    "Pengalaman Ekspor", "Jenis Usulan", "Bintang Sebelumnya", "Tahun Penghargaan",
    "Keanggotaan Asosiasi")
TEMPLATE_TITLE = "DAFTAR USULAN CALON PENERIMA PENGHARGAAN OVOP"
TEMPLATE_COMMODITIES = ("Makanan dan Minuman", "Kain Tenun", "Kain Batik", "Anyaman", "Gerabah")
TEMPLATE_KINDS = ("Baru", "Evaluasi Ulang")
_TEMPLATE_ROWS = 500  # rows prepared with dropdowns and text-formatted NIB
_EXAMPLE = (
    "Contoh", "IKM Dodol Sari Rasa", "Siti Aminah", "Jl. Pasundan No. 12, Tarogong Kidul",
    "Kabupaten Garut", "Jawa Barat", "Sentra IKM Dodol Tarogong",
    "530/Kep.123-Diskopdagin/2021", date(2021, 6, 14), "Makanan dan Minuman", "Dodol nangka",
    "9120012345678", "NIB, SPP-IRT, Sertifikat Halal, Merek", 12, "2.000 kg/bulan",
    "Jawa Barat, DKI Jakarta, penjualan daring", "Belum", "Baru", None, None,
    "Koperasi Perajin Dodol Garut; Asosiasi Pengusaha Dodol Garut")
_INSTRUCTIONS = (
    "Petunjuk pengisian usulan calon penerima penghargaan OVOP",
    "",
    "1. Isi satu baris untuk setiap IKM yang diusulkan, mulai di bawah baris Contoh. "
    "Baris Contoh tidak ikut diimpor; boleh dihapus.",
    "2. Kolom wajib: Nama IKM, Kabupaten/Kota, Komoditas dan Produk.",
    "3. Kabupaten/Kota: tulis lengkap, misalnya \"Kabupaten Bogor\" atau \"Kota Bogor\" "
    "(bukan hanya \"Bogor\"), atau kode wilayah Kemendagri seperti 32.01.",
    "4. Komoditas: pilih dari daftar (Makanan dan Minuman, Kain Tenun, Kain Batik, Anyaman, "
    "Gerabah).",
    "5. NIB: 13 angka. Kolom ini sudah berformat teks agar angka tidak dibulatkan Excel.",
    "6. Tanggal SK Sentra: tanggal/bulan/tahun, misalnya 14/06/2021 atau 14 Juni 2021.",
    "7. Dokumen yang Dimiliki: pisahkan dengan koma, misalnya \"NIB, SPP-IRT, Sertifikat Halal, "
    "Merek, SNI, Batik Mark\". Dokumen yang masih dalam proses tulis \"(proses)\".",
    "8. Jenis Usulan: \"Baru\" untuk calon baru, \"Evaluasi Ulang\" untuk penerima bintang "
    "periode sebelumnya; isi juga Bintang Sebelumnya (1-3) dan Tahun Penghargaan.",
    "9. Keanggotaan Asosiasi: nama asosiasi atau koperasi tempat IKM menjadi anggota, ditulis "
    "lengkap; pisahkan dengan titik koma (;) bila lebih dari satu. Kosongkan bila tidak ada. "
    "Data ini dipakai untuk mencegah konflik kepentingan penilai.",
    "10. Jangan menggabungkan sel (merge) di area data dan jangan menambah kata sandi pada file.",
    "11. Simpan sebagai .xlsx, lalu kirimkan kepada Sekretariat Ditjen IKMA.",
)


def write_template(path: str | Path) -> None:
    """The proposal sheet to hand to regional governments, shaped so import needs no fixing."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Usulan"
    last = get_column_letter(len(TEMPLATE_HEADERS))
    sheet["A1"] = TEMPLATE_TITLE
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    header_row, first_data = 3, 4
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in enumerate(TEMPLATE_HEADERS, start=1):
        cell = sheet.cell(header_row, col, text)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = max(12, min(len(text) + 4, 40))
    for col, value in enumerate(_EXAMPLE, start=1):
        cell = sheet.cell(first_data, col, value)
        cell.font = Font(italic=True, color="808080")
    column = {name: get_column_letter(i) for i, name in enumerate(TEMPLATE_HEADERS, start=1)}
    sheet[f"{column['Tanggal SK Sentra']}{first_data}"].number_format = "DD/MM/YYYY"
    end = first_data + _TEMPLATE_ROWS
    for row in range(first_data, end + 1):
        sheet[f"{column['NIB']}{row}"].number_format = "@"
    for header, options in (("Komoditas", TEMPLATE_COMMODITIES), ("Jenis Usulan", TEMPLATE_KINDS),
                            ("Bintang Sebelumnya", ("1", "2", "3"))):
        validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                    allow_blank=True, showErrorMessage=True)
        validation.error = "Pilih salah satu isian dari daftar."
        sheet.add_data_validation(validation)
        validation.add(f"{column[header]}{first_data}:{column[header]}{end}")
    sheet.freeze_panes = f"C{first_data}"
    guide = workbook.create_sheet("Petunjuk")
    for row, text in enumerate(_INSTRUCTIONS, start=1):
        guide.cell(row, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True, size=12)
    guide.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write(Path(path), buffer.getvalue())
