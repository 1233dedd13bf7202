"""The fields a proposal sheet carries and how to find its header row among titles and blanks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from dataclasses import dataclass

from ovop_desktop.domain.proposal_cells import column_letter
from ovop_desktop.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Field:
    """A target field; `synonyms` are headers seen in regional sheets, strongest first."""

    key: str
    label: str  # English msgid, translate with _() where shown
    synonyms: tuple[str, ...]
    required: bool = False
    limit: int = 200  # longest text accepted, in characters


FIELDS: tuple[Field, ...] = (
    Field("name", N_("IKM name"), (
        "Nama IKM", "Nama Usaha", "Nama Perusahaan", "Nama UKM/IKM", "Nama IKM/UKM", "Nama UKM",
        "Nama Unit Usaha", "Nama Pelaku Usaha", "Nama Badan Usaha", "IKM", "Nama"), True),
    Field("owner", N_("Owner"), (
        "Pemilik", "Nama Pemilik", "Penanggung Jawab", "Nama Penanggung Jawab",
        "Pemilik/Penanggung Jawab", "Pimpinan", "Nama Pimpinan")),
    Field("address", N_("Address"), (
        "Alamat", "Alamat Usaha", "Alamat IKM", "Alamat Lengkap", "Alamat Perusahaan"),
        limit=500),
    Field("region", N_("Kabupaten/kota"), (
        "Kab/Kota", "Kabupaten/Kota", "Kabupaten", "Kota", "Kode Wilayah", "Lokasi",
        "Kota/Kabupaten", "Kode Kab/Kota", "Kabupaten/Kota Pengusul", "Asal Kabupaten/Kota",
        "Daerah"), True),
    Field("province", N_("Province"), ("Provinsi", "Propinsi", "Prov")),
    Field("sentra_name", N_("Sentra IKM"), (
        "Sentra", "Nama Sentra", "Sentra IKM", "Nama Sentra IKM")),
    Field("sentra_sk_number", N_("Sentra decree (SK) number"), (
        "No SK", "Nomor SK Sentra", "SK Bupati/Walikota", "Nomor SK", "No SK Sentra",
        "Nomor SK Sentra IKM", "SK Sentra", "SK Penetapan Sentra", "Nomor SK Penetapan Sentra")),
    Field("sentra_sk_date", N_("Sentra decree (SK) date"), (
        "Tanggal SK", "Tgl SK", "Tanggal SK Sentra", "Tgl SK Sentra", "Tanggal SK Sentra IKM",
        "Tanggal Penetapan Sentra")),
    Field("commodity", N_("Commodity"), (
        "Komoditi", "Komoditas", "Jenis Produk/Komoditas", "Sektor", "Jenis Komoditas",
        "Komoditas OVOP", "Kategori Komoditas", "Komoditi/Sektor"), True),
    Field("product", N_("Product"), (
        "Produk", "Produk Unggulan", "Nama Produk", "Jenis Produk", "Produk Utama"), True),
    Field("nib", N_("NIB"), ("NIB", "Nomor Induk Berusaha", "No NIB", "Nomor NIB")),
    Field("documents", N_("Documents held"), (
        "Dokumen", "Legalitas", "Perizinan", "Dokumen yang Dimiliki", "Legalitas Usaha",
        "Kelengkapan Dokumen", "Perizinan/Sertifikasi", "Sertifikasi", "Izin/Sertifikat"),
        limit=1000),
    Field("workforce", N_("Workforce"), (
        "Tenaga Kerja", "Jumlah TK", "Jumlah Tenaga Kerja", "Jml TK", "TK", "Jumlah Karyawan")),
    Field("capacity", N_("Production capacity"), (
        "Kapasitas Produksi", "Kapasitas"), limit=1000),
    Field("markets", N_("Markets"), (
        "Pasar", "Pemasaran", "Jangkauan Pasar", "Wilayah Pemasaran", "Daerah Pemasaran",
        "Tujuan Pasar"), limit=1000),
    Field("export_history", N_("Export history"), (
        "Ekspor", "Pengalaman Ekspor", "Negara Tujuan Ekspor"), limit=1000),
    Field("kind", N_("Kind of entry"), (
        "Jenis Usulan", "Kategori", "Baru/Evaluasi", "Kategori Usulan", "Status Usulan", "Usulan")),
    Field("previous_star", N_("Previous star"), (
        "Bintang", "Bintang Sebelumnya", "Peringkat OVOP", "Bintang OVOP", "Peringkat Bintang")),
    Field("previous_year", N_("Year of previous award"), (
        "Tahun Penghargaan", "Tahun Bintang", "Tahun Perolehan", "Tahun Penghargaan Sebelumnya")),
    # Several names in one cell, separated by ";" or line breaks (a conflict-of-interest rule).
    Field("associations", N_("Associations"), (
        "Keanggotaan Asosiasi", "Asosiasi", "Asosiasi/Koperasi", "Keanggotaan Asosiasi/Koperasi",
        "Anggota Asosiasi", "Nama Asosiasi", "Asosiasi yang Diikuti", "Keanggotaan Organisasi",
        "Associations", "Association", "Association Memberships", "Koperasi"), limit=4000),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = tuple(f.key for f in FIELDS if f.required)
# The header must at least show these; "product" alone is often missing and then mapped by hand.
_HEADER_MINIMUM = ("name", "region", "commodity")
_NUMBERING = frozenset({"no", "nomor", "nourut", "nomorurut", "nmr"})
Mapping = dict[str, int]  # field key -> 0-based column index; the user may edit it


def normalise_header(text: str) -> str:
    """Casefold, NFKC and keep letters/digits only: "Kab./Kota " == "kab kota" == "kabkota"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())


_EXACT: dict[str, tuple[str, int]] = {}
_PREFIXES: list[tuple[tuple[str, ...], str, int]] = []
for _field in FIELDS:
    for _rank, _synonym in enumerate(_field.synonyms):
        _EXACT.setdefault(normalise_header(_synonym), (_field.key, _rank))
        if len(_words(_synonym)) >= 2:  # one word ("Alamat") would also match "Alamat Email"
            _PREFIXES.append((_words(_synonym), _field.key, _rank))
_PREFIXES.sort(key=lambda p: -len(p[0]))


def match_header(text: str) -> tuple[str, int] | None:
    """(field key, strength; lower is stronger) for one header cell, or None.

    Tried in turn: the exact synonym; the same without a unit in brackets
    ("Tenaga Kerja (orang)"); a header starting with a multi-word synonym
    ("Nama IKM / Perusahaan").
    """
    if not text:
        return None
    key = normalise_header(text)
    if key in _EXACT:
        return _EXACT[key]
    bare = normalise_header(re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", text))
    if bare in _EXACT:
        return _EXACT[bare][0], _EXACT[bare][1] + 100
    words = _words(text)
    for synonym, field, rank in _PREFIXES:
        if words[:len(synonym)] == synonym:
            return field, rank + 200
    return None


@dataclass(frozen=True, slots=True)
class HeaderGuess:
    """The row taken as header (0-based index into the grid) and the columns it maps.

    `unmapped` lists header texts no field claimed, for the wizard to show;
    `score` is the number of fields mapped (0 when nothing looked like a header).
    """

    row_index: int
    mapping: Mapping
    unmapped: list[str]
    score: int


def _header_text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    return ""


def map_row(row: Sequence[object]) -> tuple[Mapping, list[str]]:
    """Best column per field for one candidate header row, and the header texts left over."""
    best: dict[str, tuple[int, int]] = {}  # field -> (strength, column)
    for col, value in enumerate(row):
        found = match_header(_header_text(value))
        if found is None:
            continue
        field, strength = found
        if field not in best or strength < best[field][0]:
            best[field] = (strength, col)
    mapping = {field: col for field, (_s, col) in best.items()}
    claims = {col: field for field, col in mapping.items()}
    unmapped = [text for col, value in enumerate(row)
                if (text := _header_text(value)) and col not in claims
                and normalise_header(text) not in _NUMBERING]
    return mapping, unmapped


def detect_header(grid: Sequence[Sequence[object]], max_scan: int = 30) -> HeaderGuess:
    """Find the header below title rows, merged titles and blanks: the row mapping most fields.

    A row with a single filled cell is a title, never a header. When no row
    maps at least IKM name, kab/kota and commodity, the best partial guess is
    returned so the user can finish the mapping by hand.
    """
    best: HeaderGuess | None = None
    fallback: HeaderGuess | None = None
    for index, row in enumerate(grid[:max_scan]):
        if sum(1 for v in row if _header_text(v)) < 2:
            continue
        mapping, unmapped = map_row(row)
        guess = HeaderGuess(index, mapping, unmapped, len(mapping))
        if all(k in mapping for k in _HEADER_MINIMUM):
            if best is None or guess.score > best.score:
                best = guess
        elif guess.score and (fallback is None or guess.score > fallback.score):
            fallback = guess
    return best or fallback or HeaderGuess(0, {}, [], 0)


def mapping_problems(mapping: MappingABC[str, int]) -> list[str]:
    """Why a (possibly hand-edited) mapping cannot be used; empty when it can."""
    problems: list[str] = []
    used: dict[int, str] = {}
    for key, col in mapping.items():
        field = FIELD_BY_KEY.get(key)
        if field is None:
            problems.append(_("unknown field '{key}'").format(key=key))
            continue
        if not isinstance(col, int) or isinstance(col, bool) or col < 0:
            problems.append(_("{field}: not a valid column").format(field=_(field.label)))
            continue
        if col in used:
            problems.append(_("column {column} is used for both {first} and {second}").format(
                column=column_letter(col), first=_(FIELD_BY_KEY[used[col]].label),
                second=_(field.label)))
        else:
            used[col] = key
    for key in REQUIRED:
        if key not in mapping:
            problems.append(_("required field {field} is not mapped to a column").format(
                field=_(FIELD_BY_KEY[key].label)))
    return problems
