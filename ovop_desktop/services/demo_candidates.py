"""Demo candidates in the numbers of the 2024 round: 159 proposals from 22 provinces
(89 pass screening) and 77 re-evaluations of 2022 star holders. Fictional IKM names,
real kabupaten/kota, realistic products. Deterministic, so screenshots and tests repeat.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from ovop_desktop.domain.candidates import CandidateData, EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import DEFAULT_REQUIREMENTS, Document
from ovop_desktop.domain.screening import DocStatus

# (kab/kota code, commodity, product) — places known for the product (domain/ovop.md and more).
PLACES: tuple[tuple[str, Commodity, str], ...] = (
    ("13.76", Commodity.MAKANAN_MINUMAN, "Rendang"),
    ("32.05", Commodity.MAKANAN_MINUMAN, "Dodol"),
    ("13.04", Commodity.KAIN_TENUN, "Songket Pandai Sikek"),
    ("16.71", Commodity.KAIN_TENUN, "Songket Palembang"),
    ("34.71", Commodity.KAIN_BATIK, "Batik tulis"),
    ("33.17", Commodity.KAIN_BATIK, "Batik Lasem"),
    ("52.01", Commodity.ANYAMAN, "Anyaman ketak"),
    ("32.14", Commodity.GERABAH, "Keramik Plered"),
    ("13.07", Commodity.KAIN_TENUN, "Tenun Kubang"),
    ("11.06", Commodity.KAIN_TENUN, "Songket Aceh"),
    ("11.06", Commodity.ANYAMAN, "Anyaman pandan"),
    ("33.26", Commodity.KAIN_BATIK, "Batik Pekalongan"),
    ("35.26", Commodity.KAIN_BATIK, "Batik Madura"),
    ("34.02", Commodity.GERABAH, "Gerabah Kasongan"),
    ("52.01", Commodity.GERABAH, "Gerabah Banyumulek"),
    ("51.04", Commodity.ANYAMAN, "Anyaman bambu"),
    ("53.07", Commodity.KAIN_TENUN, "Tenun ikat Sikka"),
    ("73.71", Commodity.MAKANAN_MINUMAN, "Kue tradisional"),
    ("61.71", Commodity.MAKANAN_MINUMAN, "Lidah buaya olahan"),
    ("64.02", Commodity.KAIN_TENUN, "Tenun Ulap Doyo"),
    ("63.03", Commodity.ANYAMAN, "Anyaman purun"),
    ("18.71", Commodity.MAKANAN_MINUMAN, "Keripik pisang"),
    ("12.12", Commodity.KAIN_TENUN, "Ulos"),
    ("36.02", Commodity.GERABAH, "Gerabah Bumijaya"),
    ("14.71", Commodity.MAKANAN_MINUMAN, "Bolu kemojo"),
    ("15.71", Commodity.KAIN_BATIK, "Batik Jambi"),
    ("19.71", Commodity.MAKANAN_MINUMAN, "Kerupuk kemplang"),
    ("21.71", Commodity.ANYAMAN, "Anyaman mengkuang"),
    ("62.71", Commodity.ANYAMAN, "Anyaman rotan"),
    ("74.04", Commodity.KAIN_TENUN, "Tenun Buton"),
    ("75.71", Commodity.MAKANAN_MINUMAN, "Kopi pinogu"),
    ("76.04", Commodity.KAIN_TENUN, "Sutra Mandar"),
    ("81.71", Commodity.MAKANAN_MINUMAN, "Sagu olahan"),
    ("91.71", Commodity.ANYAMAN, "Noken"),
)
_PREFIX = ("CV", "UD", "PT", "KUB", "IKM", "Rumah", "Sanggar", "Griya", "Koperasi")
_WORDS = ("Sari", "Mulya", "Jaya", "Makmur", "Lestari", "Sejahtera", "Barokah", "Indah",
          "Sentosa", "Abadi", "Rahayu", "Nusa", "Citra", "Karya", "Mandiri", "Bunda", "Putri",
          "Tunas", "Harapan", "Wangi", "Kencana", "Permata", "Cahaya", "Bintang", "Pelangi")
_OWNERS = ("Siti Aminah", "Budi Santoso", "Hj. Nurhayati", "Made Suarta", "Yohanes Lado",
           "Rahmawati", "Teuku Rizal", "Ni Wayan Sari", "Agus Salim", "Dewi Lestari",
           "Maria Goreti", "Syamsul Bahri", "Fitriani", "Daeng Baso", "La Ode Hamid")
_FAIL_DOCS = (Document.NIB, Document.SK_SENTRA, Document.IZIN_EDAR, Document.HALAL)
PROPOSALS, PASSING, PROVINCES, REEVALUATIONS = 159, 89, 22, 77
# Memberships recorded for some IKM. The first of each commodity is an institution that
# staffs visit teams (first-run choices, the screenshot team), so the conflict-of-interest
# rule "the assessor's institution is an association the IKM belongs to" shows in the demo.
DEMO_ASSOCIATIONS: dict[Commodity, tuple[str, str]] = {
    Commodity.MAKANAN_MINUMAN: ("GAPMMI", "Koperasi Produsen Pangan Olahan"),
    Commodity.KAIN_TENUN: ("Cita Tenun Indonesia", "Koperasi Penenun Nusantara"),
    Commodity.KAIN_BATIK: ("Asosiasi Perajin dan Pengusaha Batik Indonesia",
                           "Koperasi Perajin Batik"),
    Commodity.ANYAMAN: ("HIMKI", "Asosiasi Perajin Anyaman Indonesia"),
    Commodity.GERABAH: ("HIMKI", "Asosiasi Perajin Gerabah dan Keramik"),
}


def _associations(index: int, commodity: Commodity) -> tuple[str, ...]:
    """Every 9th IKM belongs to the first association, a few others to the second, or both.
    By position, not by the random generator, so every other demo value stays as it was."""
    first, second = DEMO_ASSOCIATIONS[commodity]
    if index % 9 == 0:
        return (first, second) if index % 18 == 0 else (first,)
    return (second,) if index % 9 == 4 else ()


def _name(rng: random.Random, product: str, used: set[str]) -> str:
    for attempt in range(1_000_000):
        name = f"{rng.choice(_PREFIX)} {rng.choice(_WORDS)} {rng.choice(_WORDS)}"
        if rng.random() < 0.4:
            name += f" {product.split()[0]}"
        if attempt > 20:  # large benchmark profiles outgrow the word list
            name += f" {len(used) + 1}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("no unique name")  # unreachable: the numbered form is always new


def _places_for(provinces: int) -> list[tuple[str, Commodity, str]]:
    """The first places covering exactly `provinces` provinces."""
    chosen, seen = [], set()
    for place in PLACES:
        province = place[0][:2]
        if province in seen or len(seen) < provinces:
            seen.add(province)
            chosen.append(place)
    return chosen


def demo_candidates(count: int = PROPOSALS, reevaluations: int = REEVALUATIONS,
                    provinces: int = PROVINCES, seed: int = 2024,
                    tag: str = "") -> Iterator[CandidateData]:
    """`tag` is appended to every name, so a second batch never collides with the first."""
    rng = random.Random(seed)
    places = _places_for(provinces)
    used: set[str] = set()
    for i in range(count + reevaluations):
        code, commodity, product = places[i % len(places)] if i < len(places) else \
            rng.choice(places)
        reeval = i >= count
        documents = set(DEFAULT_REQUIREMENTS[commodity]) | {
            d for d in (Document.MEREK_HKI, Document.SNI, Document.BATIK_MARK)
            if rng.random() < 0.3 and (d is not Document.BATIK_MARK
                                       or commodity is Commodity.KAIN_BATIK)}
        sk_date = date(rng.randint(2015, 2023), rng.randint(1, 12), rng.randint(1, 28))
        yield CandidateData(
            name=_name(rng, product, used) + tag, owner=rng.choice(_OWNERS),
            address=f"Jl. {rng.choice(_WORDS)} {rng.choice(_WORDS)} No. {rng.randint(1, 120)}",
            region_code=code, commodity=commodity, product=product,
            sentra_name=f"Sentra IKM {product}",
            sentra_sk_number=f"{rng.randint(100, 999)}/Kep.{rng.randint(10, 99)}-Disperindag/"
                             f"{sk_date.year}",
            sentra_sk_date=sk_date,
            nib=f"{rng.randint(10**12, 10**13 - 1)}", documents=frozenset(documents),
            workforce=rng.randint(3, 80), capacity=f"{rng.randint(2, 60) * 100} unit/bulan",
            markets=rng.choice(("Lokal", "Regional", "Nasional", "Nasional dan ekspor")),
            export_history=rng.choice(("", "", "Malaysia 2023", "Singapura, Jepang")),
            kind=EntryKind.REEVALUATION if reeval else EntryKind.NEW,
            previous_star=rng.choice((1, 2, 2, 3)) if reeval else None,
            previous_year=2022 if reeval else None,
            associations=_associations(i, commodity),
        )


def demo_checks(ids: list[int], items: list[CandidateData], passing: int = PASSING,
                proposals: int = PROPOSALS, seed: int = 2024
                ) -> Iterator[tuple[int, Document, DocStatus, str]]:
    """Screening checks: `passing` of the proposals and every re-evaluation pass."""
    rng = random.Random(seed + 1)
    failing = set(rng.sample(range(proposals), proposals - passing))
    for i, (cid, data) in enumerate(zip(ids, items, strict=True)):
        required = DEFAULT_REQUIREMENTS[data.commodity]
        broken = None
        if i in failing:
            options = [d for d in _FAIL_DOCS if d in required]
            broken = rng.choice(options)
        for doc in required:
            if doc is broken:
                invalid = rng.random() < 0.3
                yield (cid, doc, DocStatus.INVALID if invalid else DocStatus.MISSING,
                       "Masa berlaku habis" if invalid else "Tidak dilampirkan")
            else:
                yield cid, doc, DocStatus.PRESENT, ""
