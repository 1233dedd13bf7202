"""Resolve the many ways regional spreadsheets write a kabupaten/kota to its Kemendagri code."""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["kabupaten", "kota"]
Status = Literal["ok", "ambiguous", "unknown", "empty"]
Constraint = tuple[str, str]  # (Regency attribute, required value)

# Leading words that only say *what kind* of region follows; "kodya"/"kotamadya" are pre-1999 names.
_KIND_WORDS: dict[str, Kind] = {
    "kabupaten": "kabupaten", "kab": "kabupaten", "pemkab": "kabupaten",
    "kota": "kota", "kodya": "kota", "kotamadya": "kota", "pemkot": "kota"}
_ADMIN_WORDS = frozenset({"administrasi", "adm"})  # Jakarta's "Kota Administrasi ..."
_PROVINCE_WORDS = frozenset({"provinsi", "propinsi", "prov"})
_IGNORED_QUALIFIERS = frozenset({"indonesia", "ri"})
# Common short forms for provinces, as written in qualifiers like "Garut (Jabar)".
_PROVINCE_ALIASES = {
    "nad": "11", "sumut": "12", "sumbar": "13", "sumsel": "16", "babel": "19", "kepri": "21",
    "bangkabelitung": "19", "dki": "31", "jakarta": "31", "dkijakarta": "31", "jabar": "32",
    "jateng": "33", "diy": "34", "yogyakarta": "34", "diyogyakarta": "34", "jatim": "35",
    "ntb": "52", "ntt": "53", "kalbar": "61", "kalteng": "62", "kalsel": "63", "kaltim": "64",
    "kaltara": "65", "sulut": "71", "sulteng": "72", "sulsel": "73", "sultra": "74",
    "sulbar": "76", "malut": "82"}
_MAX_CELL = 200  # longer text is not a place name; bounds the cost of the regexes below
_CODE = re.compile(r"([0-9]{2})\s*(?:[-./]?\s*([0-9]{2})(?:\.0+)?|[-./ ]\s*([0-9]))")
_CODE_THEN_NAME = re.compile(r"([0-9]{2}\s*[-./]?\s*[0-9]{2})(?![0-9])[\W_]*([^\W\d_].*)", re.S)
_PAREN = re.compile(r"(.*?)[(\[]([^()\[\]]*)[)\]][\W_]*", re.S)
_SEPARATOR = re.compile(r"(.*)(?:[,;]|\s[-\u2013\u2014]\s)(.*)", re.S)
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


def _clean(text: str) -> str:
    """NFKC (turns NBSP and full-width forms into plain ones) and drop invisible format chars."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def _tokens(text: str) -> list[str]:
    """Casefolded words sans accents/punctuation/hyphens, so "Toli-Toli" == "toli toli"."""
    text = unicodedata.normalize("NFD", _clean(text).casefold().replace("&", " dan "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return ["kepulauan" if w == "kep" else w for w in re.sub(r"[\W_]+", " ", text).split()]


def _split_kind(tokens: list[str]) -> tuple[Kind | None, list[str]]:
    """Strip a leading "Kab."/"Kota"/"Pemerintah Kabupaten"/"Administrasi" and report the kind."""
    kind: Kind | None = None
    if tokens[:1] == ["pemerintah"]:
        tokens = tokens[1:]
    if tokens and tokens[0] in _KIND_WORDS:
        kind, tokens = _KIND_WORDS[tokens[0]], tokens[1:]
    if tokens and tokens[0] in _ADMIN_WORDS:
        tokens = tokens[1:]
    return kind, tokens


def _parse_codes(text: str) -> list[str] | None:
    """Codes a cell may mean; "32.1" is both 32.01 and 32.10 because Excel drops trailing zeros."""
    m = _CODE.fullmatch(_EDGE_PUNCT.sub("", text))
    if m is None:
        return None
    if m.group(2) is not None:
        return [f"{m.group(1)}.{m.group(2)}"]
    return [f"{m.group(1)}.0{m.group(3)}", f"{m.group(1)}.{m.group(3)}0"]


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Regency:
    code: str
    name: str
    province_code: str
    kind: Kind

    @property
    def bare_name(self) -> str:
        """Name without "Kabupaten"/"Kota" (and Jakarta's "Administrasi"): "Garut"."""
        return re.sub(r"^(Kabupaten|Kota)\s+(Administrasi\s+)?", "", self.name)

    @property
    def short_name(self) -> str:
        """The form spreadsheets and compact UI labels use: "Kab. Garut" / "Kota Bogor"."""
        return f"{'Kab.' if self.kind == 'kabupaten' else 'Kota'} {self.bare_name}"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Data only, as callers word (and translate) messages; `candidates`: options or hints."""

    status: Status
    regency: Regency | None
    candidates: tuple[Regency, ...]
    query: str


class RegionRegistry:
    """Indexes the Kemendagri lists; reads no files itself so callers choose where data lives."""

    def __init__(self, provinces: list[Province], regencies: list[Regency]) -> None:
        self._provinces = {p.code: p for p in provinces}
        self._regencies = {r.code: r for r in sorted(regencies, key=lambda r: r.code)}
        self._by_key: dict[str, list[Regency]] = {}
        self._words: dict[str, tuple[list[str], str]] = {}  # code -> (bare words, full key)
        for r in self._regencies.values():
            words = _tokens(r.bare_name)
            self._by_key.setdefault("".join(words), []).append(r)
            self._words[r.code] = (words, "".join(_tokens(r.name)))
        self._province_keys = dict(_PROVINCE_ALIASES)
        for p in provinces:
            self._province_keys["".join(_tokens(p.name))] = p.code
            self._province_keys[p.code] = p.code

    @classmethod
    def from_csv_text(cls, provinces_csv: str, kabkota_csv: str) -> RegionRegistry:
        """Parse the shipped CSVs, failing loudly on malformed rows rather than mis-resolving."""
        provinces = [Province(row["code"].strip(), row["name"].strip())
                     for row in csv.DictReader(io.StringIO(provinces_csv.lstrip("\ufeff")))]
        known = {p.code for p in provinces}
        regencies: list[Regency] = []
        for row in csv.DictReader(io.StringIO(kabkota_csv.lstrip("\ufeff"))):
            code, name, prov = (row[k].strip() for k in ("code", "name", "province_code"))
            first = name.split(" ", 1)[0].casefold()
            kind = _KIND_WORDS[first] if first in ("kabupaten", "kota") else None
            if (kind is None or prov not in known or not re.fullmatch(r"[0-9]{2}\.[0-9]{2}", code)
                    or not code.startswith(prov + ".")):
                raise ValueError(f"malformed kabkota row: {row!r}")
            regencies.append(Regency(code, name, prov, kind))
        if len({r.code for r in regencies}) != len(regencies):
            raise ValueError("duplicate kabupaten/kota codes")
        return cls(provinces, regencies)

    @classmethod
    def from_dir(cls, path: str | os.PathLike[str]) -> RegionRegistry:
        """Convenience for a directory holding provinces.csv and kabkota.csv (resources/wilayah)."""
        directory = Path(path)
        return cls.from_csv_text((directory / "provinces.csv").read_text(encoding="utf-8"),
                                 (directory / "kabkota.csv").read_text(encoding="utf-8"))

    def provinces(self) -> list[Province]:
        return list(self._provinces.values())

    def regencies(self, province_code: str | None = None) -> list[Regency]:
        return [r for r in self._regencies.values()
                if province_code is None or r.province_code == province_code]

    def province(self, code: str) -> Province | None:
        return self._provinces.get(code)

    def regency(self, code: str) -> Regency | None:
        return self._regencies.get(code)

    def resolve(self, text: str) -> Resolution:
        """Map free text to exactly one regency, or say why not; never picks among several."""
        cleaned = _clean(text or "")
        if not any(ch.isalnum() for ch in cleaned):
            return Resolution("empty", None, (), text)
        if len(cleaned) > _MAX_CELL:
            return Resolution("unknown", None, (), text)
        head, constraints = self._peel(cleaned)
        strict, loose = self._lookup(head)
        matches = [r for r in strict if all(getattr(r, f) == v for f, v in constraints)]
        if len(matches) == 1:
            return Resolution("ok", matches[0], (), text)
        if matches:
            return Resolution("ambiguous", None, tuple(matches), text)
        hints = strict or loose
        # A bare province name is not a kab/kota; "did you mean" guesses there would mislead.
        if not hints and "".join(_tokens(head)) not in self._province_keys:
            hints = self._suggest(head)
        return Resolution("unknown", None, tuple(hints), text)

    def _peel(self, text: str) -> tuple[str, list[Constraint]]:
        """Split off trailing qualifiers: "Garut (Jawa Barat)", "Bogor, Kab.", "X, Prov. Jabar"."""
        constraints: list[Constraint] = []
        while m := (_PAREN.fullmatch(text) or _SEPARATOR.fullmatch(text)):
            head, qualifier = m.group(1), m.group(2)
            if not _tokens(head):  # "(Garut)" or leading punctuation: the rest is the name
                text = qualifier
                continue
            parsed = self._qualifier(qualifier)
            if parsed is None:  # not a qualifier after all (e.g. "Toli - Toli"): keep as name
                break
            constraints += parsed
            text = head
        return text, constraints

    def _qualifier(self, text: str) -> list[Constraint] | None:
        tokens = _tokens(text)
        if tokens[:1] and tokens[0] in _PROVINCE_WORDS:
            tokens = tokens[1:]
        key = "".join(tokens)
        if not key or key in _IGNORED_QUALIFIERS:
            return []
        if len(tokens) == 1 and key in _KIND_WORDS:
            return [("kind", _KIND_WORDS[key])]
        if key in self._province_keys:
            return [("province_code", self._province_keys[key])]
        codes = _parse_codes(text)
        return [("code", codes[0])] if codes and len(codes) == 1 else None

    def _lookup(self, head: str) -> tuple[list[Regency], list[Regency]]:
        """Return (exact matches, same-name matches of the wrong kind to offer as hints)."""
        codes = _parse_codes(head)
        if codes is not None:
            return [r for c in codes if (r := self._regencies.get(c))], []
        if m := _CODE_THEN_NAME.fullmatch(head):  # "32.05 - Kab. Garut": both halves must agree
            by_code, _ = self._lookup(m.group(1))
            by_name, loose = self._lookup(m.group(2))
            both = [r for r in by_code if r in by_name]
            return (both or by_code + [r for r in by_name if r not in by_code]), loose
        kind, words = _split_kind(_tokens(head))
        named = self._by_key.get("".join(words), []) if words else []
        strict = [r for r in named if kind is None or r.kind == kind]
        if not strict and kind is not None:  # "Kota Baru" meaning Kabupaten Kotabaru
            strict = self._by_key.get("".join(_tokens(head)), [])
        return strict, named

    def _suggest(self, head: str) -> list[Regency]:
        """"Did you mean": close bare names, preferring the kind the user wrote."""
        kind, words = _split_kind(_tokens(head))
        close = difflib.get_close_matches("".join(words), self._by_key, n=5, cutoff=0.75)
        found = [r for key in close for r in self._by_key[key]]
        return sorted(found, key=lambda r: kind is not None and r.kind != kind)[:5]

    def search(self, text: str, limit: int = 20) -> list[Regency]:
        """Incremental search for a GUI box: exact, then prefix, word-prefix, substring; by code."""
        tokens = _tokens(text or "")
        if not tokens or limit <= 0:
            return []
        joined = "".join(tokens)
        if joined.isascii() and joined.isdigit():
            return [r for r in self._regencies.values()
                    if r.code.replace(".", "").startswith(joined)][:limit]
        kind, words = _split_kind(tokens)
        key = "".join(words)
        ranked: list[tuple[int, str, Regency]] = []
        for r in self._regencies.values():
            bare_words, full = self._words[r.code]
            tails = ["".join(bare_words[i:]) for i in range(len(bare_words))]
            checks = [tails[0] == key, tails[0].startswith(key),
                      any(t.startswith(key) for t in tails), key in tails[0]]
            if kind not in (None, r.kind):
                checks = [False] * 4
            score = next((i for i, hit in enumerate(checks) if hit), 4 if joined in full else 9)
            if score < 9:
                ranked.append((score, r.code, r))
        return [r for _, _, r in sorted(ranked, key=lambda t: t[:2])][:limit]
