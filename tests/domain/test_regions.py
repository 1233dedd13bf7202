"""Tests for the kabupaten/kota resolver against the shipped Kemendagri data."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ovop_desktop.domain.regions import Regency, RegionRegistry, Resolution

DATA_DIR = Path(__file__).resolve().parents[2] / "resources" / "wilayah"
REGISTRY = RegionRegistry.from_dir(DATA_DIR)
REGENCIES = REGISTRY.regencies()
STATUSES = {"ok", "ambiguous", "unknown", "empty"}

# Bare names shared by several regencies, as found in the 2025 decree data (kab/kota pairs in one
# province, plus Kota Banjar in Jawa Barat vs Kabupaten Banjar in Kalimantan Selatan).
AMBIGUOUS_BARE_NAMES = {
    "Solok", "Bogor", "Sukabumi", "Bandung", "Tasikmalaya", "Cirebon", "Bekasi", "Banjar",
    "Magelang", "Semarang", "Pekalongan", "Tegal", "Blitar", "Kediri", "Malang", "Probolinggo",
    "Pasuruan", "Mojokerto", "Madiun", "Tangerang", "Serang", "Bima", "Kupang", "Gorontalo",
    "Jayapura", "Sorong",
}


def _by_bare_name() -> dict[str, list[Regency]]:
    """Group independently of the module's normaliser: casefold, hyphens as spaces."""
    groups: dict[str, list[Regency]] = defaultdict(list)
    for r in REGENCIES:
        groups[" ".join(r.bare_name.replace("-", " ").casefold().split())].append(r)
    return groups


def _code(text: str) -> str | None:
    res = REGISTRY.resolve(text)
    return res.regency.code if res.status == "ok" and res.regency else None


def _ids(r: Regency) -> str:
    return r.code


def test_counts() -> None:
    assert len(REGISTRY.provinces()) == 38
    assert len(REGENCIES) == 514
    assert len(REGISTRY.regencies("32")) == 27
    assert sum(len(REGISTRY.regencies(p.code)) for p in REGISTRY.provinces()) == 514


def test_lookups_and_names() -> None:
    garut = REGISTRY.regency("32.05")
    assert garut is not None
    assert (garut.name, garut.kind, garut.province_code) == ("Kabupaten Garut", "kabupaten", "32")
    assert (garut.short_name, garut.bare_name) == ("Kab. Garut", "Garut")
    bogor = REGISTRY.regency("32.71")
    assert bogor is not None and (bogor.kind, bogor.short_name) == ("kota", "Kota Bogor")
    jakut = REGISTRY.regency("31.72")
    assert jakut is not None and jakut.name == "Kota Administrasi Jakarta Utara"  # CSV: "Utara "
    assert jakut.short_name == "Kota Jakarta Utara"
    assert REGISTRY.province("32") is not None and REGISTRY.province("32").name == "Jawa Barat"
    assert REGISTRY.regency("99.99") is None and REGISTRY.province("99") is None


def test_kind_matches_code_convention() -> None:
    for r in REGENCIES:
        assert r.kind == ("kota" if int(r.code[3:]) >= 71 else "kabupaten"), r


@pytest.mark.parametrize("regency", REGENCIES, ids=_ids)
def test_every_regency_resolves_from_code_and_names(regency: Regency) -> None:
    forms = [regency.code, regency.code.replace(".", ""), regency.name, regency.name.upper(),
             regency.short_name, regency.short_name.upper(), f"  {regency.name.lower()} "]
    for form in forms:
        assert _code(form) == regency.code, form


@pytest.mark.parametrize("regency", REGENCIES, ids=_ids)
def test_every_bare_name_is_ok_or_ambiguous(regency: Regency) -> None:
    res = REGISTRY.resolve(regency.bare_name)
    assert res.status in {"ok", "ambiguous"}
    if res.status == "ok":
        assert res.regency == regency
    else:
        assert regency in res.candidates and res.regency is None


def test_ambiguous_bare_names_match_the_data() -> None:
    shared = {rs[0].bare_name for rs in _by_bare_name().values() if len(rs) > 1}
    assert shared == AMBIGUOUS_BARE_NAMES
    for name, group in _by_bare_name().items():
        res = REGISTRY.resolve(name)
        if len(group) > 1:
            assert res.status == "ambiguous" and set(res.candidates) == set(group), name
        else:
            assert res.status == "ok" and res.regency == group[0], name


@pytest.mark.parametrize("name", sorted(AMBIGUOUS_BARE_NAMES))
def test_kind_or_province_disambiguates(name: str) -> None:
    group = _by_bare_name()[name.casefold()]
    for r in group:
        prov = REGISTRY.province(r.province_code)
        assert prov is not None
        alone_in_province = [g.province_code for g in group].count(r.province_code) == 1
        assert _code(f"{name}, {prov.name}") == (r.code if alone_in_province else None)
        assert [g.kind for g in group].count(r.kind) == 1  # true for all of today's data
        assert _code(r.short_name) == r.code
        assert _code(f"{name} ({'Kab.' if r.kind == 'kabupaten' else 'Kota'})") == r.code


@pytest.mark.parametrize("text", [
    "Kab. Garut", "Kab Garut", "KAB. GARUT", "KABUPATEN GARUT", "kabupaten garut ", "Garut",
    "3205", "32.05", "32 05", "32-05", "Kab.Garut", "Kab.  Garut", "Kab.\u00a0Garut",
    "\u00a0Garut\u00a0", "Kab. Garut.", "'Kab. Garut'", "- Kab. Garut;",
    "Kab. Garut, Jawa Barat", "Garut (Jawa Barat)", "Garut (Jabar)",
    "Kab. Garut, Prov. Jawa Barat", "Garut, Kab.", "Kab. Garut, Indonesia",
    "Ｋａｂ． Ｇａｒｕｔ", "Kab.\u200bGarut", "Kabupaten Gárut", "3205.0", "32.05 - Kab. Garut",
    "Kab. Garut (32.05)", "Pemerintah Kabupaten Garut", "kAb   gArUt",
])
def test_garut_variants(text: str) -> None:
    assert _code(text) == "32.05"


@pytest.mark.parametrize(("text", "code"), [
    ("Kota Bogor", "32.71"), ("KOTA BOGOR", "32.71"), ("Kodya Bogor", "32.71"),
    ("Kotamadya Bogor", "32.71"), ("Kab. Bogor", "32.01"), ("Bogor (Kota)", "32.71"),
    ("Kepulauan Seribu", "31.01"), ("kab. adm. kepulauan seribu", "31.01"),
    ("Kabupaten Administrasi Kepulauan Seribu", "31.01"), ("Jakarta Utara", "31.72"),
    ("Kota Adm. Jakarta Utara", "31.72"), ("Toli-Toli", "72.04"), ("TOLI TOLI", "72.04"),
    ("toli - toli", "72.04"), ("Tolitoli", "72.04"), ("Tojo Una-Una", "72.09"),
    ("tojo una una", "72.09"), ("Pangkajene dan Kepulauan", "73.10"),
    ("PANGKAJENE DAN KEPULAUAN", "73.10"), ("Pangkajene & Kepulauan", "73.10"),
    ("Kab. Kepulauan Siau Tagulandang Biaro", "71.09"), ("Kab. Kep. Sangihe", "71.03"),
    ("Kota Palangka Raya", "62.71"), ("Kota Baubau", "74.72"), ("Kabupaten Fakfak", "92.03"),
    ("Kota Baru", "63.02"), ("Banjar, Jawa Barat", "32.79"),
    ("Banjar (Kalimantan Selatan)", "63.03"),
    ("Kab. Banjar", "63.03"), ("Kota Banjar", "32.79"), ("Bogor, Kab., Jawa Barat", "32.01"),
])
def test_other_variants(text: str, code: str) -> None:
    assert _code(text) == code


def test_bogor_is_ambiguous() -> None:
    res = REGISTRY.resolve("Bogor")
    assert res.status == "ambiguous" and res.regency is None and res.query == "Bogor"
    assert {r.code for r in res.candidates} == {"32.01", "32.71"}
    assert REGISTRY.resolve("Bogor, Jawa Barat").status == "ambiguous"  # same province: no help


def test_excel_truncated_code_is_not_guessed() -> None:
    res = REGISTRY.resolve("32.1")  # 32.10 displayed by Excel as 32.1, or 32.01 typed short?
    assert res.status == "ambiguous"
    assert {r.code for r in res.candidates} == {"32.01", "32.10"}


def test_code_and_name_that_disagree_are_ambiguous() -> None:
    res = REGISTRY.resolve("32.05 Kota Bogor")
    assert res.status == "ambiguous"
    assert {r.code for r in res.candidates} == {"32.05", "32.71"}


@pytest.mark.parametrize("text", ["", "   ", "\u00a0\t\n", "-", "..."])
def test_empty(text: str) -> None:
    assert REGISTRY.resolve(text) == Resolution("empty", None, (), text)


@pytest.mark.parametrize("text", [
    "Jawa Barat", "Papua", "Bali", "Daerah Khusus Ibukota Jakarta", "99.99", "9999", "32.99",
    "Kabupaten", "Kota", "Kab. Garut, Kab. Bogor", "x" * 500,
])
def test_unknown(text: str) -> None:
    res = REGISTRY.resolve(text)
    assert res.status == "unknown" and res.regency is None


def test_province_name_alone_gets_no_guesses() -> None:
    assert REGISTRY.resolve("Jawa Barat").candidates == ()


@pytest.mark.parametrize(("text", "code"), [
    ("Kab. Garutt", "32.05"), ("Garutt", "32.05"), ("Kota Garut", "32.05"),
    ("Kab. Sumedan", "32.11"),
    ("Kab. Garut, Jawa Tengah", "32.05"),  # wrong province: offer the real one, don't accept it
])
def test_unknown_suggests(text: str, code: str) -> None:
    res = REGISTRY.resolve(text)
    assert res.status == "unknown"
    assert code in [r.code for r in res.candidates]


def test_search() -> None:
    assert REGISTRY.search("garut")[0].code == "32.05"
    assert REGISTRY.search("Kab. Garut")[0].code == "32.05"
    assert [r.code for r in REGISTRY.search("bandung")[:2]] == ["32.04", "32.73"]
    assert REGISTRY.search("kota bandung")[0].code == "32.73"
    kota_band = REGISTRY.search("kota band")
    assert "32.73" in [r.code for r in kota_band] and {r.kind for r in kota_band} == {"kota"}
    assert REGISTRY.search("3205")[0].code == "32.05"
    assert {r.province_code for r in REGISTRY.search("32", limit=100)} == {"32"}
    assert len(REGISTRY.search("a", limit=7)) == 7
    assert REGISTRY.search("") == [] and REGISTRY.search("zzzz") == []
    assert "72.04" in [r.code for r in REGISTRY.search("toli-toli")]


def test_from_csv_text_rejects_malformed_rows() -> None:
    provinces = "code,name\n32,Jawa Barat\n"
    RegionRegistry.from_csv_text(provinces, "code,name,province_code\n32.05,Kabupaten Garut,32\n")
    for bad in ["33.05,Kabupaten Garut,32", "32.05,Garut,32", "3205,Kabupaten Garut,32"]:
        with pytest.raises(ValueError):
            RegionRegistry.from_csv_text(provinces, f"code,name,province_code\n{bad}\n")


@given(st.text())
def test_resolve_never_raises(text: str) -> None:
    res = REGISTRY.resolve(text)
    assert res.status in STATUSES and res.query == text
    assert (res.status == "ok") == (res.regency is not None)
    if res.status == "ok":
        assert res.candidates == ()
    if res.status == "ambiguous":
        assert len(res.candidates) >= 2


@given(st.text())
def test_search_never_raises(text: str) -> None:
    assert all(isinstance(r, Regency) for r in REGISTRY.search(text, limit=5))


@given(st.sampled_from(REGENCIES), st.sampled_from(["", " ", "  ", "\u00a0", "\t"]),
       st.sampled_from(["", ".", ",", " .", ";"]), st.randoms(use_true_random=False))
def test_decorated_names_resolve(regency: Regency, pad: str, tail: str, rnd: random.Random) -> None:
    name = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in regency.short_name)
    assert _code(f"{pad}{name}{tail}{pad}") == regency.code
