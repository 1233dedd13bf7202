"""Read a proposal spreadsheet (XLSX or CSV) into a plain grid of cells; refuse bad files."""

from __future__ import annotations

import codecs
import csv
import io
import os
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from ovop_desktop.domain.proposal_cells import FORMULA_WITHOUT_VALUE, Cell
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
_TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ""})
_MAX_COLUMNS = 1000
_UNZIP_FACTOR = 10  # XML inflates ~5-8x; more than 10x the file's size is a zip bomb
_DELIMITERS = (";", ",", "\t")

Row = list[Cell]


@dataclass(frozen=True, slots=True)
class Grid:
    """Rows as the sheet shows them: rows[0] is spreadsheet row 1, cell [0] is column A."""

    rows: list[Row]
    sheet_name: str  # "" for CSV
    source_kind: Literal["xlsx", "csv"]


def read_grid(path: str | os.PathLike[str], *, max_bytes: int = 20_000_000,
              max_rows: int = 60_000) -> Grid:
    """Read the first visible sheet of an .xlsx, or a CSV in any encoding regions send.

    Every failure, whatever the library raised, becomes a one-line
    UserFacingError saying what is wrong with the file and what to do.
    """
    file = Path(path)
    name = file.name
    try:
        if file.is_dir():
            raise UserFacingError(_("{name} is a folder, not a spreadsheet file.").format(
                name=name))
        size = file.stat().st_size
        if size == 0:
            raise UserFacingError(_("{name} is empty.").format(name=name))
        if size > max_bytes:
            raise UserFacingError(_(
                "{name} is too large ({size} MB; at most {limit} MB). Split it into smaller "
                "files.").format(name=name, size=_mb(size), limit=_mb(max_bytes)))
        with open(file, "rb") as fh:
            magic = fh.read(8)
            fh.seek(0)
            suffix = file.suffix.casefold()
            if magic == _OLE2:
                raise UserFacingError(_(
                    "{name} is password-protected or an old .xls workbook. Open it in Excel, "
                    "remove the password and save it as .xlsx.").format(name=name))
            if magic[:4] in _ZIP:
                return _read_xlsx(fh, file, max_bytes, max_rows)
            if suffix in _XLSX_SUFFIXES:
                raise UserFacingError(_(
                    "{name} is damaged: it is not a valid Excel workbook.").format(name=name))
            if suffix not in _TEXT_SUFFIXES:
                raise UserFacingError(_(
                    "{name}: this kind of file cannot be read. Save it as .xlsx or .csv.")
                    .format(name=name))
            return _read_csv(fh.read(min(size, max_bytes) + 1), name, max_rows)
    except OSError as exc:
        raise UserFacingError(_("Could not read {name}: {reason}.").format(
            name=name, reason=exc.strerror or exc)) from None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".rstrip("0").rstrip(".")


def _too_many_rows(name: str, limit: int) -> UserFacingError:
    return UserFacingError(_("{name} has more than {limit} rows; split it into smaller files.")
                           .format(name=name, limit=limit))


def _too_many_columns(name: str) -> UserFacingError:
    return UserFacingError(_("{name} has more than {limit} columns; is it a proposal sheet?")
                           .format(name=name, limit=_MAX_COLUMNS))


# --- XLSX ----------------------------------------------------------------------------------

def _read_xlsx(fh: IO[bytes], file: Path, max_bytes: int, max_rows: int) -> Grid:
    """Any exception from zipfile/openpyxl/XML here means a damaged file, not a bug of ours."""
    from openpyxl import load_workbook  # deferred: openpyxl costs ~150 ms to import

    name = file.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unsupported extension" chatter from openpyxl
            with zipfile.ZipFile(fh) as archive:
                if sum(i.file_size for i in archive.infolist()) > _UNZIP_FACTOR * max_bytes:
                    raise UserFacingError(_(
                        "{name} unpacks to far more data than a proposal sheet holds; it was "
                        "not read.").format(name=name))
                if "xl/workbook.bin" in archive.namelist():
                    raise UserFacingError(_(
                        "{name} is a binary Excel workbook (.xlsb). Save it as .xlsx.")
                        .format(name=name))
                if "mimetype" in archive.namelist():
                    raise UserFacingError(_(
                        "{name} is an OpenDocument spreadsheet. Save it as .xlsx.")
                        .format(name=name))
            fh.seek(0)
            workbook = load_workbook(fh, read_only=True, data_only=True)
            try:
                return _pick_sheet(workbook, file, max_rows)
            finally:
                workbook.close()
    except UserFacingError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file can make openpyxl raise anything
        raise UserFacingError(_(
            "{name} is damaged or is not an Excel workbook ({reason}).").format(
            name=name, reason=type(exc).__name__)) from None


def _pick_sheet(workbook: Any, file: Path, max_rows: int) -> Grid:
    """The first visible sheet, or, when that is empty, the visible sheet with most rows."""
    sheets = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible")
              == "visible"]
    best: tuple[int, Grid] | None = None
    for ws in sheets:
        rows = _sheet_rows(workbook, ws, file, max_rows)
        filled = sum(1 for row in rows if row)
        if filled and best is None and ws is sheets[0]:
            return Grid(rows, ws.title, "xlsx")
        if filled and (best is None or filled > best[0]):
            best = (filled, Grid(rows, ws.title, "xlsx"))
    if best is None:
        raise UserFacingError(_("{name} contains no data.").format(name=file.name))
    return best[1]


def _sheet_rows(workbook: Any, ws: Any, file: Path, max_rows: int) -> list[Row]:
    name = file.name
    rows: list[Row] = []
    for index, cells in _iter_cells(workbook, ws, file):
        values = [(column, value) for column, value in cells if value is not None]
        if not values:
            continue
        if index > max_rows:
            raise _too_many_rows(name, max_rows)
        width = max(column for column, _v in values)
        if width > _MAX_COLUMNS:
            raise _too_many_columns(name)
        row: Row = [None] * width
        for column, value in values:
            row[column - 1] = value
        if len(rows) < index - 1:
            rows.extend([] for _i in range(index - 1 - len(rows)))
        rows.append(row)
    return rows


def _iter_cells(workbook: Any, ws: Any,
                file: Path) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    """(row number, [(column number, value)]) with FORMULA_WITHOUT_VALUE where Excel stored none.

    openpyxl's read-only data_only mode turns a formula without a cached result
    into None, indistinguishable from an empty cell. Parsing the sheet once with
    a parser that also looks at the <f> element keeps the speed of a single
    read-only pass; if openpyxl's internals ever change, a slower two-pass
    fallback keeps the behaviour.
    """
    try:
        parser_class = _formula_aware_parser()
        source = ws._get_source()
        parser = parser_class(source, ws._shared_strings, data_only=True, epoch=workbook.epoch,
                              date_formats=workbook._date_formats,
                              timedelta_formats=workbook._timedelta_formats)
    except (AttributeError, ImportError, TypeError):
        yield from _iter_cells_two_pass(ws, file)
        return
    with source:
        for index, cells in parser.parse():
            yield index, [(cell["column"], cell["value"]) for cell in cells]


_PARSER: type | None = None


def _formula_aware_parser() -> type:
    global _PARSER
    if _PARSER is None:
        from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

        class FormulaAwareParser(WorkSheetParser):  # type: ignore[misc]
            """Marks formulas with no stored result (openpyxl writes them as <f>..</f><v/>)."""

            def parse_cell(self, element: Any) -> dict[str, Any]:
                cell: dict[str, Any] = super().parse_cell(element)
                # t="str" with an empty <v> is a formula whose result is "" — a real value.
                if (cell["value"] is None and element.find(FORMULA_TAG) is not None
                        and (element.find(VALUE_TAG) is None
                             or element.get("t") not in ("str", "s"))):
                    cell["value"] = FORMULA_WITHOUT_VALUE
                return cell

        _PARSER = FormulaAwareParser
    return _PARSER


def _iter_cells_two_pass(ws: Any, file: Path) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    """Fallback: values from `ws`, formulas from a second, formula-mode read of the same file."""
    from openpyxl import load_workbook

    with open(file, "rb") as source:
        yield from _pair_rows(ws, load_workbook(source, read_only=True, data_only=False))


def _pair_rows(ws: Any, formulas: Any) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    try:
        pairs = zip(ws.iter_rows(values_only=True),
                    formulas[ws.title].iter_rows(values_only=True), strict=False)
        for index, (values, texts) in enumerate(pairs, start=1):
            yield index, [(column, FORMULA_WITHOUT_VALUE if value is None and isinstance(
                texts[column - 1] if column - 1 < len(texts) else None, str)
                and str(texts[column - 1]).startswith("=") else value)
                for column, value in enumerate(values, start=1)]
    finally:
        formulas.close()


# --- CSV -----------------------------------------------------------------------------------

def _read_csv(data: bytes, name: str, max_rows: int) -> Grid:
    text = _decode(data, name)
    if text.startswith("sep=") and "\n" in text[:8]:  # Excel's own "sep=;" hint line
        first, text = text.split("\n", 1)
        delimiter = first[4:].strip()[:1] or ","
    else:
        delimiter = _detect_delimiter(text)
    rows: list[Row] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= max_rows and any(cell.strip() for cell in row):
                raise _too_many_rows(name, max_rows)
            if len(row) > _MAX_COLUMNS and any(cell for cell in row[_MAX_COLUMNS:]):
                raise _too_many_columns(name)
            while row and not row[-1]:
                row.pop()
            rows.append([cell if cell else None for cell in row])
    except csv.Error as exc:
        raise UserFacingError(_("{name} is not a readable CSV file ({reason}).").format(
            name=name, reason=exc)) from None
    while rows and not rows[-1]:
        rows.pop()
    if not any(any(cell is not None and str(cell).strip() for cell in row) for row in rows):
        raise UserFacingError(_("{name} contains no data.").format(name=name))
    return Grid(rows, "", "csv")


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise UserFacingError(_(
        "{name} is not a text CSV file in UTF-8 or Windows-1252. Save it from Excel as "
        "\"CSV UTF-8\" or as .xlsx.").format(name=name))


def _detect_delimiter(text: str, max_lines: int = 50) -> str:
    """The separator that splits the most lines the same way, counted outside quotes.

    csv.Sniffer guesses wrong on title lines and on commas inside addresses of a
    `;` file; counting per line and preferring the count most lines agree on
    does not.
    """
    counts: dict[str, list[int]] = {d: [] for d in _DELIMITERS}
    line = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    lines = 0
    for ch in text[:200_000]:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "\n":
            if any(line.values()):
                for d in _DELIMITERS:
                    counts[d].append(line[d])
                lines += 1
                if lines >= max_lines:
                    break
            line = dict.fromkeys(_DELIMITERS, 0)
        elif ch in line:
            line[ch] += 1
    if any(line.values()) and lines < max_lines:
        for d in _DELIMITERS:
            counts[d].append(line[d])
    best, best_score = ",", 0
    for d in _DELIMITERS:
        nonzero = [c for c in counts[d] if c]
        if not nonzero:
            continue
        mode = max(set(nonzero), key=lambda c: (nonzero.count(c), c))
        score = mode * nonzero.count(mode)
        if score > best_score:
            best, best_score = d, score
    return best
