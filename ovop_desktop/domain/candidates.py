"""A proposed IKM: who it is, where, what it makes, what it holds, and why it is in the round."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.i18n import N_, _

NIB_PATTERN = re.compile(r"\d{13}")
# Characters that make one name look like another or reorder text on screen.
_HIDDEN = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u0000-\u0008\u000b-\u001f\u007f]")
# Cyrillic and Greek letters that pass for Latin ones (after UTS #39's confusables): a name
# written with them looks like another IKM's and would slip past duplicate detection.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХУІЈЅοινυαΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlqwABEKMHOPCTXYIJSoivuaABEZHIKMNOPTYX")
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_SCRIPT_LABELS = {"CYRILLIC": N_("Cyrillic"), "GREEK": N_("Greek")}
SCRIPT_CHECKED = ("name", "owner", "sentra_name")  # what identifies an IKM on screen and paper
LIMITS = {"name": 200, "owner": 200, "address": 500, "sentra_name": 200, "sentra_sk_number": 100,
          "product": 200, "capacity": 1000, "markets": 1000, "export_history": 1000}
ASSOCIATION_LIMIT = 200  # characters per association name
MAX_ASSOCIATIONS = 20
_ASSOCIATION_SEPARATORS = re.compile(r"[;\n\r\u2028\u2029]")
# What proposal sheets write for "none" ("-" has no key at all and is dropped anyway).
_NO_ASSOCIATION = frozenset({"tidak ada", "belum ada", "tidak", "belum", "none", "nihil",
                             "n a", "na", "tidak menjadi anggota", "belum menjadi anggota"})


FIELD_LABELS = {
    "name": N_("IKM name"), "owner": N_("Owner"), "address": N_("Address"),
    "region_code": N_("Kabupaten/kota"), "sentra_name": N_("Sentra IKM"),
    "sentra_sk_number": N_("Sentra decree number"), "sentra_sk_date": N_("Sentra decree date"),
    "commodity": N_("Commodity"), "product": N_("Product"), "nib": N_("NIB"),
    "documents": N_("Documents held"), "workforce": N_("Workforce"),
    "capacity": N_("Production capacity"), "markets": N_("Markets"),
    "export_history": N_("Export history"), "kind": N_("Kind of entry"),
    "previous_star": N_("Previous star"), "previous_year": N_("Year of previous award"),
    "associations": N_("Associations"),
}


def field_label(name: str) -> str:
    return _(FIELD_LABELS.get(name, name))


class EntryKind(StrEnum):
    NEW = "new"
    REEVALUATION = "reevaluation"

    @property
    def label(self) -> str:
        return _(N_("New candidate") if self is EntryKind.NEW else N_("Re-evaluation"))


@dataclass(frozen=True)
class CandidateData:
    """The editable part of a candidate record (what a proposal row or the form provides)."""

    name: str
    region_code: str
    commodity: Commodity
    product: str
    owner: str = ""
    address: str = ""
    sentra_name: str = ""
    sentra_sk_number: str = ""
    sentra_sk_date: date | None = None
    nib: str = ""
    documents: frozenset[Document] = field(default_factory=frozenset)
    workforce: int | None = None
    capacity: str = ""
    markets: str = ""
    export_history: str = ""
    kind: EntryKind = EntryKind.NEW
    previous_star: int | None = None
    previous_year: int | None = None
    # Associations or cooperatives the IKM belongs to (the conflict-of-interest rule).
    associations: tuple[str, ...] = ()

    def cleaned(self) -> CandidateData:
        """Text fields NFC-normalised with whitespace collapsed (what is stored and compared)."""
        changes: dict[str, object] = {f: clean_text(getattr(self, f)) for f in LIMITS}
        changes["nib"] = re.sub(r"[\s.\-]", "", self.nib)
        changes["associations"] = split_associations("\n".join(self.associations))
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Candidate:
    id: int
    round_id: int
    data: CandidateData
    created_at: str
    updated_at: str
    source: str = ""  # where it came from: "import:<file>#<row>" or "form"


def clean_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def split_associations(text: str) -> tuple[str, ...]:
    """Association names as written in one cell or field: separated by ";" or line breaks,
    each cleaned; empty entries, "-"/"tidak ada" and repeats (same `association_key`) dropped,
    order kept."""
    out: list[str] = []
    seen: set[str] = set()
    for part in _ASSOCIATION_SEPARATORS.split(text or ""):
        name = clean_text(part)
        key = association_key(name)
        if key and key not in _NO_ASSOCIATION and key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)


def stored_associations(text: str) -> tuple[str, ...]:
    """The stored form (one association per line) back as names."""
    return tuple(line for line in (text or "").split("\n") if line)


@lru_cache(maxsize=4096)
def association_key(name: str) -> str:
    """The form an association and an institution are compared in: case, spacing and
    punctuation ("." "," quotes, brackets) do not make a different organisation; dashes
    and slashes separate words."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[\-\u2010-\u2015/\\]", " ", text)
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))
    return " ".join(text.split())


def normalised_name(name: str) -> str:
    """For duplicate detection: case, spacing, punctuation and look-alike letters of other
    scripts (Cyrillic "Ра" for Latin "Pa") do not make a different IKM."""
    text = unicodedata.normalize("NFKC", name).translate(_LOOKALIKES).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def mixed_script(text: str) -> tuple[str, str] | None:
    """(script's name, letter) when Latin letters are mixed with Cyrillic or Greek ones — the
    spoofing UTS #39 warns of ("pаypal" with a Cyrillic "а"); None otherwise. Other
    scripts (Arabic, Chinese …) are left alone: a name may well carry them beside Latin."""
    seen: dict[str, str] = {}
    for ch in text:
        if ch.isalpha():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in _SCRIPTS:
                seen.setdefault(script, ch)
    if "LATIN" in seen and len(seen) > 1:
        other = next(k for k in seen if k != "LATIN")
        return _(_SCRIPT_LABELS[other]), seen[other]
    return None


def problems(data: CandidateData, known_region: bool) -> list[str]:
    """Every rule the record breaks, as translated sentences."""
    out: list[str] = []
    if not data.name.strip():
        out.append(_("The IKM name is required."))
    if not data.product.strip():
        out.append(_("The product is required."))
    if not known_region:
        out.append(_("The kabupaten/kota {code!r} is not a known Kemendagri code.").format(
            code=data.region_code))
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if len(value) > limit:
            out.append(_("{field} is longer than {limit} characters.").format(
                field=field_label(name), limit=limit))
        if _HIDDEN.search(value):
            out.append(_("{field} contains invisible or direction-changing characters.").format(
                field=field_label(name)))
        mixed = mixed_script(value) if name in SCRIPT_CHECKED else None
        if mixed:
            out.append(_("{field} mixes Latin letters with {script} ones that look the same "
                         "(“{letter}”, U+{code:04X}); type it in Latin letters.").format(
                field=field_label(name), script=mixed[0], letter=mixed[1],
                code=ord(mixed[1])))
    out += _association_problems(data.associations)
    if data.nib and not NIB_PATTERN.fullmatch(data.nib):
        out.append(_("The NIB must be 13 digits (got {nib!r}).").format(nib=data.nib))
    if data.workforce is not None and not 0 <= data.workforce <= 1_000_000:
        out.append(_("The workforce must be a number of people (0 or more)."))
    out += _entry_problems(data)
    return out


def _association_problems(names: tuple[str, ...]) -> list[str]:
    label = field_label("associations")
    out = []
    if len(names) > MAX_ASSOCIATIONS:
        out.append(_("{field}: at most {limit} associations.").format(
            field=label, limit=MAX_ASSOCIATIONS))
    if any(len(name) > ASSOCIATION_LIMIT for name in names):
        out.append(_("{field}: each association is at most {limit} characters.").format(
            field=label, limit=ASSOCIATION_LIMIT))
    if any(_HIDDEN.search(name) for name in names):
        out.append(_("{field} contains invisible or direction-changing characters.").format(
            field=label))
    return out


def _entry_problems(data: CandidateData) -> list[str]:
    if data.kind is EntryKind.REEVALUATION:
        out = []
        if data.previous_star not in (1, 2, 3):
            out.append(_("A re-evaluation needs the previous star (1, 2 or 3)."))
        if data.previous_year is None or not 2000 <= data.previous_year <= 2100:
            out.append(_("A re-evaluation needs the year of the previous award."))
        return out
    if data.previous_star is not None or data.previous_year is not None:
        return [_("A new candidate has no previous star; choose re-evaluation instead.")]
    return []


def fingerprint(data: CandidateData) -> str:
    """Identity of a proposal across imports: same IKM name, same kab/kota, same commodity."""
    import hashlib

    key = "\x1f".join((normalised_name(data.name), data.region_code, data.commodity.value))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
