"""The documents a proposal can hold, and which ones screening requires per commodity."""

from __future__ import annotations

from enum import StrEnum

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.i18n import N_, _


class Document(StrEnum):
    SK_SENTRA = "sk_sentra"
    NIB = "nib"
    IZIN_EDAR = "izin_edar"
    HALAL = "halal"
    MEREK_HKI = "merek_hki"
    SNI = "sni"
    BATIK_MARK = "batik_mark"

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    Document.SK_SENTRA: N_("Sentra decree (SK bupati/walikota)"),
    Document.NIB: N_("NIB / business licence"),
    Document.IZIN_EDAR: N_("Distribution permit (SPP-IRT or BPOM MD)"),
    Document.HALAL: N_("Halal certificate"),
    Document.MEREK_HKI: N_("Trademark / IP (merek/HKI)"),
    Document.SNI: N_("SNI certificate"),
    Document.BATIK_MARK: N_("Batik Mark"),
}

# Permenperin 14/2021 eligibility: every candidate needs the sentra SK and business
# legality; food and drink also a distribution permit and a halal certificate.
_BASE = (Document.SK_SENTRA, Document.NIB)
DEFAULT_REQUIREMENTS: dict[Commodity, tuple[Document, ...]] = {
    c: _BASE + ((Document.IZIN_EDAR, Document.HALAL) if c is Commodity.MAKANAN_MINUMAN else ())
    for c in Commodity
}


def parse_document(text: str) -> Document | None:
    try:
        return Document(text.strip().lower())
    except ValueError:
        return None
