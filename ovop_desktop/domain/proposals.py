"""Turn a grid of spreadsheet cells into validated proposal records, one verdict per row."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ovop_desktop.domain.candidates import (
    ASSOCIATION_LIMIT,
    MAX_ASSOCIATIONS,
    split_associations,
)
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.proposal_cells import (
    FORMULA_WITHOUT_VALUE,
    Cell,
    CellError,
    FormulaWithoutValue,
    Kind,
    capped,
    cell_text,
    column_letter,
    parse_commodity_text,
    parse_date,
    parse_documents,
    parse_kind,
    parse_nib,
    parse_star,
    parse_whole,
    parse_year,
    shown,
)
from ovop_desktop.domain.proposal_fields import (
    FIELD_BY_KEY,
    FIELDS,
    REQUIRED,
    Field,
    HeaderGuess,
    Mapping,
    detect_header,
    mapping_problems,
    normalise_header,
)
from ovop_desktop.domain.regions import Regency, RegionRegistry
from ovop_desktop.errors import ValidationError
from ovop_desktop.i18n import _

__all__ = [
    "FIELDS", "FIELD_BY_KEY", "FORMULA_WITHOUT_VALUE", "Cell", "Field", "FormulaWithoutValue",
    "HeaderGuess", "Kind", "Mapping", "ProposalRecord", "RowResult", "detect_header",
    "duplicate_keys", "fingerprint", "keys_for", "mapping_problems", "normalise_header",
    "normalise_name", "parse_associations", "parse_commodity_text", "parse_kind", "parse_rows",
    "within_file_duplicates"]


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    """One proposed IKM, every value already checked; text fields are "" when not given."""

    name: str
    owner: str
    address: str
    region_code: str
    sentra_name: str
    sentra_sk_number: str
    sentra_sk_date: date | None
    commodity: Commodity
    product: str
    nib: str
    documents: frozenset[str]
    workforce: int | None
    capacity: str
    markets: str
    export_history: str
    kind: Kind
    previous_star: int | None
    previous_year: int | None
    associations: tuple[str, ...] = ()  # as split_associations gives them


@dataclass(slots=True)
class RowResult:
    """The verdict on one sheet row: a record, or errors (then record is None)."""

    row_number: int  # 1-based, as the spreadsheet shows it
    record: ProposalRecord | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- kab/kota, and caching the values that recur on every row -----------------------------

def _describe(regencies: Sequence[Regency]) -> str:
    shown = [f"{r.code} {r.name}" for r in regencies[:5]]
    if len(shown) == 1:
        return shown[0]
    return _("{first} or {last}").format(first=", ".join(shown[:-1]), last=shown[-1])


_PROVINCE_PREFIX = re.compile(r"^(?:provinsi|propinsi|prov|prop)\b\.?\s*", re.IGNORECASE)


class _RegionCache:
    """Resolve each distinct (kab/kota, province) text once; a sheet repeats a few dozen."""

    def __init__(self, regions: RegionRegistry) -> None:
        self._regions = regions
        self._cache: dict[tuple[str, str], tuple[str, str | None]] = {}

    def __call__(self, text: str, province: str) -> tuple[str, str | None]:
        """(code, warning) or raise CellError."""
        key = (text, province)
        if key not in self._cache:
            try:
                self._cache[key] = self._resolve(text, province)
            except CellError as exc:
                self._cache[key] = ("", str(exc))
                raise
        code, note = self._cache[key]
        if not code:
            raise CellError(note or "")
        return code, note

    def _resolve(self, text: str, province: str) -> tuple[str, str | None]:
        res = self._regions.resolve(text)
        province = _PROVINCE_PREFIX.sub("", province)
        if province and res.status in ("ok", "ambiguous"):
            narrowed = self._regions.resolve(f"{text} ({province})")
            if narrowed.status == "ok" and narrowed.regency is not None:
                return narrowed.regency.code, None
            if res.status == "ok" and res.regency is not None:
                if res.regency not in narrowed.candidates:  # the province was not understood
                    return res.regency.code, _("province '{province}' not recognised").format(
                        province=shown(province))
                prov = self._regions.province(res.regency.province_code)
                return res.regency.code, _(
                    "province '{province}' does not match {regency} ({expected})").format(
                    province=shown(province), regency=res.regency.name,
                    expected=prov.name if prov else res.regency.province_code)
        if res.status == "ok" and res.regency is not None:
            return res.regency.code, None
        if res.status == "ambiguous":
            raise CellError(_("ambiguous kab/kota '{value}': {options}").format(
                value=shown(text), options=_describe(res.candidates)))
        if res.candidates:
            raise CellError(_("unknown kab/kota '{value}'; did you mean {options}?").format(
                value=shown(text), options=_describe(res.candidates)))
        raise CellError(_("unknown kab/kota '{value}'").format(value=shown(text)))


def _cached(function: Callable[[object], object]) -> Callable[[object], object]:
    """Memoise a cell parser by (type, value), remembering refusals too."""
    cache: dict[tuple[type, object], tuple[bool, object]] = {}

    def wrapper(value: object) -> object:
        key = (value.__class__, value)
        try:
            hit = cache.get(key)
        except TypeError:  # an unhashable value: parse it without caching
            key, hit = None, None
        if hit is None:
            try:
                hit = (True, function(value))
            except CellError as exc:
                hit = (False, str(exc))
            if key is not None and len(cache) < 10_000:
                cache[key] = hit
        if hit[0]:
            return hit[1]
        raise CellError(str(hit[1]))
    return wrapper


# --- rows ----------------------------------------------------------------------------------

_TOTAL = re.compile(r"(jumlah|total|sub ?total|grand total|subtotal)\b", re.IGNORECASE)
_NUMBER_LABEL = re.compile(r"\(?(\d{1,3})[).]?")
_TEXT_FIELDS = ("name", "owner", "address", "sentra_name", "sentra_sk_number", "product",
                "capacity", "markets", "export_history")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _number_label(value: object) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if 0 <= value < 1000 and float(value).is_integer() else None
    m = _NUMBER_LABEL.fullmatch(value.strip()) if isinstance(value, str) else None
    return int(m.group(1)) if m else None


class _RowParser:
    """Parses rows with one mapping; holds the per-import caches."""

    def __init__(self, header: Sequence[object], mapping: Mapping,
                 regions: RegionRegistry) -> None:
        self.mapping = dict(mapping)
        self.header = header
        self.region = _RegionCache(regions)
        self.commodity = _cached(lambda v: parse_commodity_text(cell_text(v)))
        self.kind = _cached(lambda v: parse_kind(cell_text(v)))
        self.documents = _cached(lambda v: parse_documents(capped(cell_text(v), 1000)))
        name = header[mapping["name"]] if mapping["name"] < len(header) else None
        self.header_name = " ".join(name.split()) if isinstance(name, str) else ""

    def skip(self, row: Sequence[object], cells: dict[str, object]) -> bool:
        """Blank, total ("Jumlah"), example ("Contoh"), repeated-header and column-numbering
        rows carry no proposal."""
        if all(_blank(v) for v in cells.values()):
            return True
        name = cells.get("name")
        if isinstance(name, str) and self.header_name and " ".join(name.split()) == \
                self.header_name:
            return True
        first = next((v for v in row if not _blank(v)), None)
        if isinstance(first, str):
            if first.strip().casefold().rstrip(":.") == "contoh":  # the template's example row
                return True
            if (_blank(cells.get("region")) and _blank(cells.get("commodity"))
                    and _TOTAL.match(first.strip())):
                return True
        if _number_label(name) is not None:  # "(1) (2) (3)…" under the header
            labels = [_number_label(v) for v in row if not _blank(v)]
            if len(labels) >= 3 and all(b is not None and a is not None and b == a + 1
                                        for a, b in zip(labels, labels[1:], strict=False)):
                return True
        return False

    def parse(self, row_number: int, cells: dict[str, object]) -> RowResult:
        errors: list[str] = []
        warnings: list[str] = []
        values: dict[str, object] = {}
        failed: set[str] = set()

        def problem(key: str, message: str) -> None:
            failed.add(key)
            errors.append(_("{field} (column {column}): {problem}").format(
                field=_(FIELD_BY_KEY[key].label), column=column_letter(self.mapping[key]),
                problem=message))

        for key, raw in cells.items():
            try:
                values[key] = self._convert(key, raw, warnings)
            except CellError as exc:
                problem(key, str(exc))
        for key in REQUIRED:
            if key not in failed and values.get(key) in (None, ""):
                problem(key, _("missing"))
        region = values.get("region")
        if isinstance(region, str) and region:
            try:
                code, note = self.region(region, str(values.get("province") or ""))
                values["region"] = code
                if note:
                    warnings.append(note)
            except CellError as exc:
                problem("region", str(exc))
        kind = self._kind(values, warnings)
        if errors:
            return RowResult(row_number, None, errors, warnings)
        documents = set(values.get("documents") or ())
        if values.get("nib"):
            documents.add("nib")
        if values.get("sentra_sk_number"):
            documents.add("sk_sentra")
        text = {k: str(values.get(k) or "") for k in _TEXT_FIELDS}
        sk_date, commodity = values.get("sentra_sk_date"), values["commodity"]
        workforce, star, year = (values.get(k) for k in ("workforce", "previous_star",
                                                         "previous_year"))
        assert isinstance(commodity, Commodity) and (sk_date is None or isinstance(sk_date, date))
        assert all(v is None or isinstance(v, int) for v in (workforce, star, year))
        associations = values.get("associations") or ()
        assert isinstance(associations, tuple)
        record = ProposalRecord(
            region_code=str(values["region"]), sentra_sk_date=sk_date, commodity=commodity,
            nib=str(values.get("nib") or ""), documents=frozenset(documents),
            workforce=workforce, kind=kind, previous_star=star,  # type: ignore[arg-type]
            previous_year=year, associations=associations, **text)  # type: ignore[arg-type]
        return RowResult(row_number, record, errors, warnings)

    def _convert(self, key: str, raw: object, warnings: list[str]) -> object:
        if key in ("commodity", "kind", "documents"):
            if _blank(raw):
                return None
            value = getattr(self, key)(raw)
            if key == "documents":
                codes, notes = value  # type: ignore[misc]
                warnings.extend(notes)
                return codes
            return value
        if key == "associations":
            return () if _blank(raw) else parse_associations(raw)
        if raw is None or (isinstance(raw, str) and _blank(raw)):
            return None if key in ("sentra_sk_date", "workforce", "previous_star",
                                   "previous_year") else ""
        if key == "sentra_sk_date":
            return parse_date(raw)
        if key == "nib":
            return parse_nib(raw)
        if key == "workforce":
            return parse_whole(raw, 0, 1_000_000)
        if key == "previous_star":
            return parse_star(raw)
        if key == "previous_year":
            return parse_year(raw)
        return capped(cell_text(raw), FIELD_BY_KEY[key].limit)

    @staticmethod
    def _kind(values: dict[str, object], warnings: list[str]) -> Kind:
        """A previous star makes a row a re-evaluation, whatever the kind column says."""
        said = values.get("kind")
        if values.get("previous_star") is not None:
            if said == "new":
                warnings.append(_("a previous star is given, so the entry is treated as a "
                                  "re-evaluation"))
            return "reevaluation"
        if said == "reevaluation":
            warnings.append(_("re-evaluation without a previous star"))
            return "reevaluation"
        return "new"


def parse_associations(value: object) -> tuple[str, ...]:
    """One cell naming the associations an IKM belongs to: "HIMKI; Koperasi Sentra" or one
    per line. Each name is checked like any text cell; "-" and "tidak ada" mean none."""
    text = value if isinstance(value, str) else cell_text(value)
    names = [capped(cell_text(part), ASSOCIATION_LIMIT)
             for part in re.split(r"[;\n\r\u2028\u2029]", text)]
    found = split_associations("\n".join(names))
    if len(found) > MAX_ASSOCIATIONS:
        raise CellError(_("names more than {limit} associations").format(limit=MAX_ASSOCIATIONS))
    return found


def parse_rows(grid: Sequence[Sequence[object]], header_row: int, mapping: Mapping,
               regions: RegionRegistry) -> list[RowResult]:
    """Every data row below `header_row` (0-based) that carries a proposal, with its verdict.

    Blank rows, "Jumlah/Total" rows, repeats of the header and the "(1) (2) (3)"
    numbering row are skipped silently. Never raises for any cell value; an
    unusable mapping raises ValidationError before any row is read.
    """
    problems = mapping_problems(mapping)
    if problems:
        raise ValidationError(_("The column mapping cannot be used."), problems)
    header = grid[header_row] if 0 <= header_row < len(grid) else []
    parser = _RowParser(header, mapping, regions)
    items = list(mapping.items())
    results: list[RowResult] = []
    for index in range(header_row + 1, len(grid)):
        row = grid[index]
        width = len(row)
        cells = {key: (row[col] if col < width else None) for key, col in items}
        if parser.skip(row, cells):
            continue
        results.append(parser.parse(index + 1, cells))
    return results


# --- duplicates ----------------------------------------------------------------------------

def normalise_name(name: str) -> str:
    """The form names are compared in: casefold, no accents or punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def keys_for(name: str, region_code: str, nib: str) -> tuple[str, ...]:
    """Keys that make two candidates suspected duplicates (usable for stored candidates too)."""
    keys = [f"name:{region_code}:{normalise_name(name)}"]
    if nib:
        keys.insert(0, f"nib:{nib}")
    return tuple(keys)


def duplicate_keys(record: ProposalRecord) -> tuple[str, ...]:
    return keys_for(record.name, record.region_code, record.nib)


def fingerprint(record: ProposalRecord) -> str:
    """Stable identity for idempotent re-import: the same IKM, place and commodity."""
    text = "\x1f".join((normalise_name(record.name), record.region_code, record.commodity.value))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def within_file_duplicates(results: Sequence[RowResult]) -> list[tuple[int, int, str]]:
    """(row, earlier row, reason) for every accepted row that repeats an earlier one."""
    seen: dict[str, int] = {}
    found: list[tuple[int, int, str]] = []
    for result in results:
        if result.record is None:
            continue
        reported: set[int] = set()
        for key in duplicate_keys(result.record):
            earlier = seen.get(key)
            if earlier is not None and earlier not in reported:
                reported.add(earlier)
                reason = (_("same NIB {nib} as row {row}").format(
                    nib=result.record.nib, row=earlier) if key.startswith("nib:")
                    else _("same name in the same kab/kota as row {row}").format(row=earlier))
                found.append((result.row_number, earlier, reason))
            seen.setdefault(key, result.row_number)
    return found

