"""Turn one spreadsheet cell, as regional offices really fill it, into a clean typed value."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import Literal

from ovop_desktop.domain.commodities import Commodity, parse_commodity
from ovop_desktop.i18n import _


class FormulaWithoutValue:
    """The reader's marker for a formula cell whose result the file does not store.

    openpyxl gives None for such a cell, which would silently read as "empty";
    the marker lets a row say why it cannot be imported instead.
    """

    _instance: FormulaWithoutValue | None = None

    def __new__(cls) -> FormulaWithoutValue:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "FORMULA_WITHOUT_VALUE"


FORMULA_WITHOUT_VALUE = FormulaWithoutValue()
Cell = str | int | float | datetime | date | FormulaWithoutValue | None


class CellError(ValueError):
    """A cell that cannot be used; the message is translated and names no column (callers do)."""


_EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                           "#SPILL!", "#CALC!", "#GETTING_DATA"})
_ZWJ = "\u200d"
_EDGES = " \t\n\r\u00a0\ufeff"  # a BOM at a cell's edge is an encoding leftover, not a disguise


def _hostile(text: str) -> str | None:
    """The first invisible or control character that could disguise text, if any.

    Bidi overrides and zero-width characters make two names look alike (or a
    name look like something else) while comparing unequal; tab/CR/LF are just
    line breaks inside a cell and are kept as spaces.  A zero-width joiner is
    allowed between two symbols, because emoji sequences such as 👩‍🍳 need it.
    """
    for i, ch in enumerate(text):
        if ch in "\t\n\r":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs"):
            return ch
        if cat == "Cf":
            if (ch == _ZWJ and 0 < i < len(text) - 1
                    and unicodedata.category(text[i - 1]) in ("So", "Sk", "Mn")
                    and unicodedata.category(text[i + 1]) == "So"):
                continue
            return ch
    return None


def clean_text(value: str) -> str:
    """NFC, whitespace collapsed, stray BOMs at the edges dropped; raises on hostile characters.

    The fast path (printable ASCII) matters: a 10,000-row import calls this
    about 200,000 times.
    """
    if value.isascii() and value.isprintable():
        return " ".join(value.split()) if ("  " in value or value[:1] == " "
                                          or value[-1:] == " ") else value
    if not value.isprintable():
        bad = _hostile(value.strip(_EDGES))
        if bad is not None:
            raise CellError(_("contains an invisible or control character (U+{code})").format(
                code=f"{ord(bad):04X}"))
    value = value.strip().strip("\ufeff")
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def cell_text(value: object) -> str:
    """Any cell as text: numbers lose Excel's ".0", dates become ISO, empty becomes ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = clean_text(value)
        if text in _EXCEL_ERRORS:
            raise CellError(_("holds the spreadsheet error {error}").format(error=text))
        return text
    if isinstance(value, FormulaWithoutValue):
        raise CellError(_("formula without a stored value; open and save the file in Excel, "
                          "then import again"))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("holds an invalid number"))
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value))


def shown(text: str, limit: int = 60) -> str:
    """A value quoted in a message, shortened so one bad cell cannot flood the report."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def capped(text: str, limit: int) -> str:
    """Refuse rather than truncate: a cut-off name or address would be silently wrong."""
    if len(text) > limit:
        raise CellError(_("is too long ({length} characters; at most {limit})").format(
            length=len(text), limit=limit))
    return text


# --- numbers -------------------------------------------------------------------------------

_INT_TEXT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]0+)?(?:\s*[^\W\d_]+\.?)?")


def parse_whole(value: object, low: int, high: int) -> int:
    """A whole number in [low, high]: 25, 25.0, "25", "1.250", "25 orang"."""
    if isinstance(value, bool):
        raise CellError(_("is not a whole number: {value}").format(value=shown(str(value))))
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = cell_text(value)
        m = _INT_TEXT.fullmatch(text)
        if m is None:
            raise CellError(_("is not a whole number: '{value}'").format(value=shown(text)))
        number = int(re.sub(r"[.,]", "", m.group(1)))
    if not low <= number <= high:
        raise CellError(_("must be between {low} and {high}, got {value}").format(
            low=low, high=high, value=shown(str(number))))
    return number


_STAR_WORDS = re.compile(r"(?:bintang|star|stars|\*)?\s*([1-9])\s*(?:bintang|star|stars)?",
                         re.IGNORECASE)


def parse_star(value: object) -> int:
    """A previous OVOP star, 1–3: 2, "2", "Bintang 2", "★★"."""
    if not isinstance(value, str):
        return parse_whole(value, 1, 3)
    text = cell_text(value)
    if text and set(text) <= {"★", "⭐", "*", "☆", " "} and "☆" not in text:
        number = len(text.replace(" ", ""))
    elif m := _STAR_WORDS.fullmatch(text):
        number = int(m.group(1))
    else:
        return parse_whole(text, 1, 3)
    if not 1 <= number <= 3:
        raise CellError(_("must be between {low} and {high}, got {value}").format(
            low=1, high=3, value=shown(str(number))))
    return number


def parse_year(value: object) -> int:
    """An award year 2000–2100; a full date in the column gives its year."""
    if isinstance(value, datetime | date):
        value = value.year
    return parse_whole(value, 2000, 2100)


_NIB_SEPARATORS = re.compile(r"[\s.\-]")
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?[eE]\+?\d+")


def parse_nib(value: object) -> str:
    """The 13-digit Nomor Induk Berusaha, whether Excel stored it as text, int or float."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
    else:
        text = cell_text(value)
        if _SCIENTIFIC.fullmatch(text):
            raise CellError(_("NIB '{value}' was rounded by Excel; format the NIB column as "
                              "text and type it again").format(value=shown(text)))
        digits = _NIB_SEPARATORS.sub("", text.lstrip("'"))
    if len(digits) != 13 or not (digits.isascii() and digits.isdigit()):
        hint = ""
        if digits.isdigit() and len(digits) == 12:
            hint = " " + _("(a leading 0 may have been lost; store NIB as text)")
        raise CellError(_("must be 13 digits, got '{value}'").format(
            value=shown(cell_text(value))) + hint)
    return digits


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_TIME_SUFFIX = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})" + _TIME_SUFFIX)
_YMD = re.compile(r"(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})" + _TIME_SUFFIX)
_D_MON_Y = re.compile(r"(\d{1,2})[\s\-./]*([^\W\d_]+)\.?[\s\-./,]*(\d{4}|\d{2})")
_MON_D_Y = re.compile(r"([^\W\d_]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})")
_WEEKDAY = re.compile(r"^[^\W\d_]+,\s*")
_EXCEL_EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1945, 2100


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _make_date(year: int, month: int, day: int, written: str) -> date:
    if not 1 <= month <= 12:
        raise CellError(_("'{value}' is not a date: there is no month {month} "
                          "(dates are day/month/year)").format(value=shown(written), month=month))
    try:
        result = date(year, month, day)
    except ValueError:
        raise CellError(_("'{value}' is not a date: day {day} does not exist in that month")
                        .format(value=shown(written), day=day)) from None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise CellError(_("'{value}' is out of range (years {low}–{high})").format(
            value=shown(written), low=MIN_YEAR, high=MAX_YEAR))
    return result


def parse_date(value: object) -> date:
    """A date from a date cell, an Excel serial number or text in Indonesian or English.

    Numeric forms are read day/month/year, the Indonesian convention; a form
    that only fits month/day/year ("03/25/2023") is refused, not swapped.
    """
    if isinstance(value, datetime):
        return _make_date(value.year, value.month, value.day, value.date().isoformat())
    if isinstance(value, date):
        return _make_date(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # also false for NaN; a huge int never reaches isfinite
            raise CellError(_("'{value}' is not a date").format(value=shown(str(value))))
        serial = int(value)
        if serial < 61:
            raise CellError(_("'{value}' is out of range (years {low}–{high})").format(
                value=shown(str(value)), low=MIN_YEAR, high=MAX_YEAR))
        day = _EXCEL_EPOCH + timedelta(days=serial)
        return _make_date(day.year, day.month, day.day, cell_text(value))
    text = cell_text(value)
    if len(text) == 5 and text.isascii() and text.isdigit():  # a serial pasted as text
        return parse_date(int(text))
    bare = _WEEKDAY.sub("", text)
    if m := _DMY.fullmatch(bare):
        return _make_date(_year(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    if m := _YMD.fullmatch(bare):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if (m := _D_MON_Y.fullmatch(bare)) and m.group(2).casefold() in _MONTHS:
        return _make_date(_year(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)), text)
    if (m := _MON_D_Y.fullmatch(bare)) and m.group(1).casefold() in _MONTHS:
        return _make_date(int(m.group(3)), _MONTHS[m.group(1).casefold()], int(m.group(2)), text)
    raise CellError(_("'{value}' is not a date (write it like 12/03/2023 or 12 Maret 2023)")
                    .format(value=shown(text)))


# --- documents -----------------------------------------------------------------------------

DOCUMENT_CODES = ("sk_sentra", "nib", "izin_edar", "halal", "merek_hki", "sni", "batik_mark")
_DOC_PATTERNS = [(code, re.compile(pattern)) for code, pattern in (
    ("sk_sentra", r"\bsk\b.*\b(sentra|bupati|walikota|wali kota|penetapan)\b"
                  r"|\bsentra\b.*\bsk\b|\bsk ?sentra\b"),
    ("nib", r"\b(nib|nomor induk berusaha|izin usaha|ijin usaha|iui|iumk|siup|tdi|tdp|oss)\b"),
    ("izin_edar", r"\b(pirt|sppirt|bpom|md|izin edar|ijin edar|dinkes|pkrt)\b"),
    ("halal", r"\b(halal|sh|lppom)\b"),
    ("merek_hki", r"\b(hki|haki|merek|merk|trademark|hak cipta|desain industri|ki)\b"),
    ("sni", r"\bsni\b"),
    ("batik_mark", r"\bbatik ?mark\b"),
)]
_NOT_HELD = re.compile(r"\b(proses|diproses|belum|tidak|tdk|pengurusan|diurus|"
                       r"pengajuan|diajukan|kadaluarsa|kedaluwarsa|expired)\b")
_NONE_WORDS = frozenset({"", "tidak ada", "belum ada", "tidak", "belum", "nihil", "none", "n a",
                         "ada", "walikota", "wali kota", "bupati"})  # "SK Bupati/Walikota"
_DOC_SPLIT = re.compile(r"[,;\n/+]|\bdan\b|&")


def _doc_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)  # SPP-IRT, P-IRT, Batik-Mark
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def parse_documents(value: object) -> tuple[frozenset[str], list[str]]:
    """Documents a free-text cell says the IKM holds, plus warnings for parts not understood.

    "Halal (proses)" or "belum SNI" is an application, not a document held, so
    it is left out with a warning rather than counted.
    """
    text = cell_text(value)
    found: set[str] = set()
    warnings: list[str] = []
    for part in _DOC_SPLIT.split(text):
        key = _doc_key(part)
        if key in _NONE_WORDS or key in ("", "-"):
            continue
        codes = {code for code, pattern in _DOC_PATTERNS if pattern.search(key)}
        if codes and _NOT_HELD.search(key):
            warnings.append(_("document '{value}' not counted: not held yet").format(
                value=shown(part.strip())))
        elif codes:
            found |= codes
        else:
            warnings.append(_("document not recognised: '{value}'").format(
                value=shown(part.strip())))
    return frozenset(found), warnings


# --- commodity and kind of entry ----------------------------------------------------------

Kind = Literal["new", "reevaluation"]
_COMMODITY_WORDS: dict[str, Commodity] = {
    **dict.fromkeys(("tenun", "songket", "ulos", "lurik"), Commodity.KAIN_TENUN),
    "batik": Commodity.KAIN_BATIK,
    **dict.fromkeys(("anyaman", "anyam"), Commodity.ANYAMAN),
    **dict.fromkeys(("gerabah", "keramik", "tembikar"), Commodity.GERABAH),
    **dict.fromkeys(("makanan", "minuman", "mamin", "pangan", "kuliner"),
                    Commodity.MAKANAN_MINUMAN),
}


def parse_commodity_text(text: str) -> Commodity:
    """The commodity a cell names; "kain tenun ikat" is tenun, "batik tenun" is refused.

    After the known spellings, a word that belongs to exactly one commodity
    decides; words of two commodities are an error, never a guess.
    """
    found = parse_commodity(text)
    if found is not None:
        return found
    words = re.sub(r"[\W_]+", " ", text.casefold()).split()
    hits = {_COMMODITY_WORDS[w] for w in words if w in _COMMODITY_WORDS}
    if len(hits) == 1:
        return hits.pop()
    names = ", ".join(c.label for c in Commodity)
    if hits:
        raise CellError(_("'{value}' names more than one commodity; choose one of: {names}")
                        .format(value=shown(text), names=names))
    raise CellError(_("unknown commodity '{value}'; expected one of: {names}").format(
        value=shown(text), names=names))


_REEVALUATION_WORDS = frozenset({"evaluasi", "reevaluasi", "ulang", "lama", "reevaluation",
                                 "evaluation", "reeval", "evaluasiulang", "penilaianulang"})
_NEW_WORDS = frozenset({"baru", "new", "calon"})


def parse_kind(text: str) -> Kind | None:
    """"Baru" → new; "Evaluasi"/"Re-evaluasi"/"Lama"/"Ulang" → reevaluation; "" → None."""
    words = set(re.sub(r"[\W_]+", " ", re.sub(r"(?<=\w)-(?=\w)", "", text.casefold())).split())
    if not words:
        return None
    if words & _REEVALUATION_WORDS:
        return "reevaluation"
    if words & _NEW_WORDS:
        return "new"
    raise CellError(_("unknown kind of entry '{value}'; write Baru or Evaluasi Ulang").format(
        value=shown(text)))


def column_letter(index: int) -> str:
    """0 → "A", 27 → "AB": users find columns by the letters Excel shows."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
