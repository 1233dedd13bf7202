"""The five commodities and how regional spreadsheets spell them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ovop_desktop.domain.commodities import Commodity, parse_commodity
from ovop_desktop.i18n import set_language


def test_there_are_exactly_five() -> None:
    assert [c.value for c in Commodity] == [
        "makanan_minuman", "kain_tenun", "kain_batik", "anyaman", "gerabah"]


@pytest.mark.parametrize("commodity", list(Commodity), ids=lambda c: c.value)
def test_code_and_spaced_code_parse(commodity: Commodity) -> None:
    assert parse_commodity(commodity.value) is commodity
    assert parse_commodity(commodity.value.replace("_", " ").upper()) is commodity


@pytest.mark.parametrize("text, expected", [
    ("Makanan dan Minuman", Commodity.MAKANAN_MINUMAN),
    ("Makanan & Minuman", Commodity.MAKANAN_MINUMAN),
    ("makanan/minuman", Commodity.MAKANAN_MINUMAN),
    ("Mamin", Commodity.MAKANAN_MINUMAN),
    ("Food and drink", Commodity.MAKANAN_MINUMAN),
    ("Kain Tenun", Commodity.KAIN_TENUN),
    ("tenun", Commodity.KAIN_TENUN),
    ("Songket", Commodity.KAIN_TENUN),
    ("KAIN BATIK", Commodity.KAIN_BATIK),
    ("Batik", Commodity.KAIN_BATIK),
    ("  batik  ", Commodity.KAIN_BATIK),
    ("Anyaman", Commodity.ANYAMAN),
    ("Kerajinan Anyaman", Commodity.ANYAMAN),
    ("Gerabah", Commodity.GERABAH),
    ("Gerabah/Keramik", Commodity.GERABAH),
    ("Pottery", Commodity.GERABAH),
    ("ＧＥＲＡＢＡＨ", Commodity.GERABAH),  # full-width, as pasted from some documents
])
def test_spellings_seen_in_spreadsheets(text: str, expected: Commodity) -> None:
    assert parse_commodity(text) is expected


@pytest.mark.parametrize("text", ["", "   ", "perhiasan", "kain", "makanan minuman batik", "123"])
def test_unknown_spellings_are_none(text: str) -> None:
    assert parse_commodity(text) is None


@given(st.text())
def test_parse_commodity_never_raises(text: str) -> None:
    assert parse_commodity(text) in (None, *Commodity)


@pytest.mark.parametrize("language", ["id", "en"])
def test_labels_exist_in_both_languages(language: str) -> None:
    set_language(language)
    labels = [c.label for c in Commodity]
    assert all(labels) and len(set(labels)) == 5
