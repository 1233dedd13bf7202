"""The five OVOP commodities and the many ways proposals spell them."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from ovop_desktop.i18n import N_, _


class Commodity(StrEnum):
    """A commodity's stable code; display names are translated at use."""

    MAKANAN_MINUMAN = "makanan_minuman"
    KAIN_TENUN = "kain_tenun"
    KAIN_BATIK = "kain_batik"
    ANYAMAN = "anyaman"
    GERABAH = "gerabah"

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    Commodity.MAKANAN_MINUMAN: N_("Food and drink"),
    Commodity.KAIN_TENUN: N_("Woven cloth (tenun)"),
    Commodity.KAIN_BATIK: N_("Batik cloth"),
    Commodity.ANYAMAN: N_("Plaited crafts (anyaman)"),
    Commodity.GERABAH: N_("Earthenware (gerabah)"),
}

# Normalised spellings seen in regional spreadsheets, Indonesian and English.
_ALIASES: dict[str, Commodity] = {
    **{c.value.replace("_", " "): c for c in Commodity},
    "makanan dan minuman": Commodity.MAKANAN_MINUMAN,
    "makanan minuman": Commodity.MAKANAN_MINUMAN,
    "makanan": Commodity.MAKANAN_MINUMAN,
    "mamin": Commodity.MAKANAN_MINUMAN,
    "food": Commodity.MAKANAN_MINUMAN,
    "food and drink": Commodity.MAKANAN_MINUMAN,
    "food and beverage": Commodity.MAKANAN_MINUMAN,
    "tenun": Commodity.KAIN_TENUN,
    "woven cloth": Commodity.KAIN_TENUN,
    "songket": Commodity.KAIN_TENUN,
    "batik": Commodity.KAIN_BATIK,
    "batik cloth": Commodity.KAIN_BATIK,
    "kerajinan anyaman": Commodity.ANYAMAN,
    "plaited crafts": Commodity.ANYAMAN,
    "keramik": Commodity.GERABAH,
    "gerabah keramik": Commodity.GERABAH,
    "earthenware": Commodity.GERABAH,
    "pottery": Commodity.GERABAH,
}


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("&", " dan ").replace("/", " ")
    text = re.sub(r"[^\w\s]", " ", text).replace("_", " ")
    return " ".join(text.split())


def parse_commodity(text: str) -> Commodity | None:
    """The commodity `text` names ("Mamin", "Makanan & Minuman", "Batik"…), or None."""
    key = _normalise(text)
    if key in _ALIASES:
        return _ALIASES[key]
    return _ALIASES.get(key.removeprefix("kain ").strip())
