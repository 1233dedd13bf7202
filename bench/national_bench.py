"""A national round end to end, from the regions' proposals to the printed recommendation list.

    .venv/bin/python bench/national_bench.py [--scale 1.0] [--db-url URL] [--keep DIR] [--json]

At --scale 1: 10,000 candidates spread over all 514 kabupaten/kota (the demo candidate
generator's IKM, re-homed kab/kota by kab/kota so every one of the 514 proposes some),
60 assessors, 3 per candidate. Every stage goes through the real services, in order:

    the proposals XLSX (registry template columns) imported through ws.proposals;
    screening: every required document marked present in one bulk call;
    60 assessors, each with a laptop profile, a real key and a card, enrolled;
    the real planner (ws.planning.auto, 3 per candidate);
    60 signed assignment packages, each imported (verified) on its assessor's laptop;
    each laptop's sheets keyed in and finished in one transaction (as services/demo_panel.py
    fills its throwaway laptops: straight into the score tables, one audit entry);
    60 signed score bundles, read back, then imported at the coordinator (verified);
    the results, the reliability report, and the printed recommendation list.

Keys use scrypt n=2¹⁰ (as the tests and the demo's throwaway laptops do), so 61 key
derivations do not dominate; everything else is the product's own code. Peak memory is
the process's resident set (VmHWM), reset at the start of each stage where Linux allows
(/proc/self/clear_refs), so each stage shows its own peak. The laptops take their turn in
this process, each opened only for its own work. --db-url puts the coordinator's store on
PostgreSQL when this build's Workspace supports it (in a scratch database created on that
server and dropped afterwards); the laptops stay on SQLite, as in the field.
"""

from __future__ import annotations

import argparse
import inspect
import random
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CANDIDATES, ASSESSORS, PER_CANDIDATE = 10_000, 60, 3
REEVALUATION_SHARE = 0.1  # re-evaluations of 2022 star holders among the proposals
PASSPHRASE = "bench-nasional-2024"
_DOCS = {"sk_sentra": "SK Sentra", "nib": "NIB", "izin_edar": "SPP-IRT",
         "halal": "Sertifikat Halal", "merek_hki": "Merek", "sni": "SNI",
         "batik_mark": "Batik Mark"}
_COMMODITY = {"makanan_minuman": "Makanan dan Minuman", "kain_tenun": "Kain Tenun",
              "kain_batik": "Kain Batik", "anyaman": "Anyaman", "gerabah": "Gerabah"}
NOT_AVAILABLE = "PostgreSQL: not available in this build"


# -- measuring ------------------------------------------------------------------------------


def _status_kb(field_name: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else None


def _reset_peak() -> bool:
    """Reset this process's peak RSS to the current RSS (Linux ≥ 4.0); False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float | None:
    kb = _status_kb("VmHWM")
    if kb is None:  # not Linux: the lifetime peak
        from benchkit import peak_rss_mb

        return peak_rss_mb()["self"]
    return kb * 1024 / 1e6


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mb: float | None
    note: str = ""
    app: bool = True  # False: preparation, not the product's work (left out of the total)


@dataclass
class Clock:
    stages: list[Stage] = field(default_factory=list)
    per_stage_peak: bool = True
    progress: Callable[[str], None] | None = None

    @contextmanager
    def stage(self, name: str, *, app: bool = True, quiet: bool = False
              ) -> Iterator[dict[str, str]]:
        """Time a stage; a name seen before adds its time (and its peak) to that row."""
        self.per_stage_peak = _reset_peak() and self.per_stage_peak
        info = {"note": ""}
        start = time.perf_counter()
        yield info
        elapsed, peak = time.perf_counter() - start, _peak_mb()
        row = next((st for st in self.stages if st.name == name), None)
        if row is None:
            row = Stage(name, 0.0, peak, "", app)
            self.stages.append(row)
        row.seconds += elapsed
        row.peak_mb = max(row.peak_mb or 0, peak or 0) or None
        row.note = info["note"] or row.note
        if not quiet:
            self.say(row)

    def say(self, row: Stage) -> None:
        if self.progress is not None:
            self.progress(f"{row.seconds:8.1f} s  {row.name}  {row.note}")


# -- the store: SQLite, or PostgreSQL when this build can ------------------------------------


def postgres_supported() -> bool:
    from ovop_desktop.services.workspace import Workspace

    return "db_url" in inspect.signature(Workspace.open).parameters


def _open_coordinator(folder: Path, db_url: str | None) -> Any:
    from ovop_desktop.services.workspace import Workspace

    if db_url:
        return Workspace.open(folder, db_url=db_url)  # type: ignore[call-arg]
    return Workspace.open(folder)


def _store_name(ws: Any) -> str:
    if getattr(ws.store, "is_sqlite", True):
        return f"SQLite {sqlite3.sqlite_version}"
    version = ws.store.engine.dialect.server_version_info or ()
    return "PostgreSQL " + ".".join(str(v) for v in version[:2])


# -- the round's data ------------------------------------------------------------------------


def national_candidates(count: int, seed: int = 2024) -> list[Any]:
    """The demo generator's IKM, kab/kota by kab/kota over all 514 (province order)."""
    from ovop_desktop.services.demo_candidates import demo_candidates
    from ovop_desktop.services.regions import load_regions

    regencies = sorted(load_regions().regencies(), key=lambda r: r.code)
    reevaluations = round(count * REEVALUATION_SHARE)
    items = list(demo_candidates(count=count - reevaluations, reevaluations=reevaluations,
                                 provinces=len(regencies), seed=seed))
    return [replace(d, region_code=regencies[i % len(regencies)].code)
            for i, d in enumerate(items)]


def write_proposals(path: Path, items: list[Any]) -> Path:
    """The regions' proposals as one workbook in the registry template's columns: kab/kota
    and province by name (as regions write them), documents as a list in words."""
    from openpyxl import Workbook

    from ovop_desktop.services.regions import load_regions
    from ovop_desktop.services.tabular_export import TEMPLATE_HEADERS, TEMPLATE_TITLE

    registry = load_regions()
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("Usulan")
    sheet.append([TEMPLATE_TITLE])
    sheet.append([])
    sheet.append(list(TEMPLATE_HEADERS))
    for n, d in enumerate(items, start=1):
        regency = registry.regency(d.region_code)
        province = registry.province(regency.province_code) if regency else None
        reeval = d.kind.value == "reevaluation"
        sheet.append([
            n, d.name, d.owner, d.address, regency.name if regency else d.region_code,
            province.name if province else "", d.sentra_name, d.sentra_sk_number,
            d.sentra_sk_date, _COMMODITY[d.commodity.value], d.product, d.nib,
            ", ".join(_DOCS[doc.value] for doc in sorted(d.documents)), d.workforce,
            d.capacity, d.markets, d.export_history or "Belum",
            "Evaluasi Ulang" if reeval else "Baru", d.previous_star, d.previous_year,
            "; ".join(d.associations)])
    wb.save(path)
    return path


def _assessor_profile(i: int, regencies: list[Any]) -> tuple[str, str, tuple[Any, ...], str]:
    """(name, institution, commodities, home kab/kota): a third from the secretariat, each an
    expert in one or two commodities, homes spread over the country."""
    from ovop_desktop.domain.commodities import Commodity

    commodities = list(Commodity)
    mine = (commodities[i % 5],) + ((commodities[(i + 2) % 5],) if i % 2 else ())
    institution = ("Direktorat Jenderal IKMA, Kementerian Perindustrian" if i % 3 == 0
                   else ("Universitas", "Asosiasi", "Dekranasda")[i % 3 - 1] + f" {i}")
    home = regencies[(i * 37) % len(regencies)].code
    return f"Penilai Nasional {i + 1:02d}", institution, mine, home


def _levels(name: str, criteria: list[str], bias: float, rng: random.Random) -> dict[str, int]:
    """The candidate's true quality (the same for every assessor), the assessor's bias, noise."""
    quality = random.Random(name).random()
    out = {}
    for k in criteria:
        x = 1 + 2 * quality + bias + rng.gauss(0, 0.45)
        out[k] = 1 if x < 1.5 else 2 if x < 2.5 else 3
    return out


def _key_in(laptop: Any, round_id: int, bias: float, rng: random.Random) -> int:
    """Every assigned sheet keyed in and finished in one transaction, as demo_panel fills its
    throwaway laptops (the scoring service checks and audits level by level: ~4.5 ms each,
    which no assessor notices but 660,000 levels would). Returns the number of levels."""
    from sqlalchemy import insert, select

    from ovop_desktop.data import audit
    from ovop_desktop.data.models import CandidateRow, ScoreRow, ScoreSheetRow
    from ovop_desktop.data.schema import now_iso
    from ovop_desktop.services.scoring import FINISHED

    criteria = {rc.commodity.value: [k.id for _a, k in laptop.rubrics.get(
        rc.rubric_id).rubric.criteria()] for rc in laptop.rounds.get(round_id).commodities}
    stamp = now_iso()
    with laptop.store.write() as s:
        mine = s.execute(select(CandidateRow.id, CandidateRow.name, CandidateRow.commodity)
                         .where(CandidateRow.round_id == round_id, CandidateRow.withdrawn == 0)
                         .order_by(CandidateRow.id)).all()
        rows = [{"candidate_id": cid, "criterion_id": k, "level": level, "note": "",
                 "updated_at": stamp}
                for cid, name, commodity in mine
                for k, level in _levels(name, criteria[commodity], bias, rng).items()]
        if mine:
            s.execute(insert(ScoreSheetRow), [
                {"candidate_id": cid, "status": FINISHED, "note": "", "updated_at": stamp,
                 "visited_on": None} for cid, _u, _c in mine])
            s.execute(insert(ScoreRow), rows)
        audit.append(s, laptop.profile.actor(), "score.import_sheet", "round", round_id,
                     {"sheets": len(mine), "scores": len(rows)})
    return len(rows)


# -- the run -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    candidates: int
    regencies: int
    assessors: int
    assignments: int
    bundles: int
    scores: int
    ranked: int
    stars: dict[str, int]
    pages: int
    document: str
    store: str
    stages: list[Stage]
    per_stage_peak: bool
    postgres: str

    @property
    def total(self) -> float:
        return sum(s.seconds for s in self.stages if s.app)


def run(scale: float = 1.0, db_url: str | None = None, work: Path | None = None,
        progress: Callable[[str], None] | None = None) -> Outcome:
    """The whole round in `work` (a new temporary folder unless given; removed if temporary).

    db_url: a PostgreSQL server (a role that may CREATE DATABASE); the coordinator's store
    goes into a new database there, dropped afterwards, so no existing data is touched.
    """
    if db_url and not postgres_supported():
        raise SystemExit(NOT_AVAILABLE)
    temporary = work is None
    folder = Path(tempfile.mkdtemp(prefix="ovop-national-")) if work is None else Path(work)
    folder.mkdir(parents=True, exist_ok=True)
    from ovop_desktop.services import identity

    kdf, identity.KDF_PARAMS = identity.KDF_PARAMS, identity.ScryptParams(n=2**10, r=8, p=1)
    try:
        if not db_url:
            return _run(scale, None, folder, Clock(progress=progress))
        with scratch_database(db_url) as url:
            return _run(scale, url, folder, Clock(progress=progress))
    finally:
        identity.KDF_PARAMS = kdf  # the bench's only shortcut, given back
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database `ovop_bench_<random>` on the server; dropped afterwards."""
    from sqlalchemy import create_engine

    from ovop_desktop.data.db import postgres_url

    admin = create_engine(postgres_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"ovop_bench_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _run(scale: float, db_url: str | None, folder: Path, clock: Clock) -> Outcome:
    from ovop_desktop.domain.profile import Role
    from ovop_desktop.domain.rounds import RoundStatus, Thresholds
    from ovop_desktop.domain.screening import DocStatus
    from ovop_desktop.services import identity
    from ovop_desktop.services.bundle_export import export_bundle
    from ovop_desktop.services.regions import load_regions
    from ovop_desktop.services.workspace import Workspace

    count = max(30, round(CANDIDATES * scale))
    n_assessors = max(6, round(ASSESSORS * scale))
    regencies = sorted(load_regions().regencies(), key=lambda r: r.code)

    with clock.stage("prep: proposals workbook written (openpyxl; not the app's work)",
                     app=False) as info:
        items = national_candidates(count)
        xlsx = write_proposals(folder / "usulan-nasional.xlsx", items)
        info["note"] = f"{count:,} rows, {xlsx.stat().st_size / 1e6:.1f} MB"

    with clock.stage("coordinator profile, rubrics, round, key") as info:
        ws = _open_coordinator(folder / "koordinator", db_url)
        if not ws.is_empty():
            ws.close()
            raise SystemExit("The coordinator's store already holds a profile or rounds; the "
                             "benchmark needs an empty one.")
        store = _store_name(ws)
        ws.profile.init(Role.COORDINATOR, "Sekretariat Tim Seleksi OVOP", "Ditjen IKMA")
        ws.rubrics.install_defaults()
        round_ = ws.rounds.create(2024, "Penghargaan OVOP 2024 (nasional)",
                                  Thresholds(80, 65, 50))
        ws.rounds.set_status(round_.id, RoundStatus.OPEN)
        ws.update_settings(current_round_id=round_.id)
        me = identity.create_identity(ws.paths.keys, PASSPHRASE, "Sekretariat Tim Seleksi OVOP",
                                      "Ditjen IKMA")
        coordinator_key = identity.unlock(ws.paths.keys, PASSPHRASE)
        info["note"] = store

    try:
        with clock.stage("proposals imported (ws.proposals: read, detect, validate, "
                         "de-duplicate, write)") as info:
            report = ws.proposals.run(ws.proposals.preview(xlsx), round_.id)
            if len(report.accepted) != count:
                raise RuntimeError(f"{len(report.accepted)} of {count} proposals accepted; "
                                   f"first problems: {report.rejected[:3]} "
                                   f"{report.duplicates[:3]}")
            ids = [a.candidate_id for a in report.accepted]
            info["note"] = f"{len(ids):,} candidates from {len({d.region_code for d in items})}" \
                           " kab/kota"

        with clock.stage("screening: every required document marked present (bulk), "
                         "summary") as info:
            required = ws.screening.requirements(round_.id)
            commodity = {i: d.commodity for i, d in zip(ids, items, strict=True)}
            checks = ws.screening.set_checks_many(
                (cid, doc, DocStatus.PRESENT, "")
                for cid in ids for doc in required[commodity[cid]])
            summary = ws.screening.summary(round_.id)
            info["note"] = f"{checks:,} checks"
            del summary

        assessor_ids: list[int] = []
        with clock.stage(f"{n_assessors} assessors: laptop profile, key, card; enrolled") as info:
            for i in range(n_assessors):
                name, institution, commodities, home = _assessor_profile(i, regencies)
                with Workspace.open(folder / f"penilai-{i + 1:02d}") as laptop:
                    laptop.profile.init(Role.ASSESSOR, name, institution)
                    public = identity.create_identity(laptop.paths.keys, PASSPHRASE, name,
                                                      institution)
                card = folder / f"kartu-{i + 1:02d}.json"
                identity.write_card(card, public, "assessor", {})
                assessor_ids.append(ws.assessors.enrol(
                    card, public.fingerprint, "Sekretariat", "in-person", commodities,
                    home[:2], home).id)
            info["note"] = "scrypt n=2^10"

        with clock.stage(f"planning: {PER_CANDIDATE} per candidate (ws.planning.auto)") as info:
            plan = ws.planning.auto(round_.id, PER_CANDIDATE, 2)
            assignments = sum(len(t) for t in plan.teams.values())
            info["note"] = f"{assignments:,} assignments, {len(plan.short)} teams short"

        packages = []
        with clock.stage(f"{n_assessors} assignment packages signed (read back, verified)") \
                as info:
            for i, aid in enumerate(assessor_ids):
                out = folder / f"paket-{i + 1:02d}.zip"
                ws.packages.export(round_.id, aid, out, coordinator_key, me)
                packages.append(out)
            info["note"] = f"{sum(p.stat().st_size for p in packages) / 1e6:.1f} MB"

        # The laptops one after another, each opened only for its own work (in the field each
        # is another machine): the steps' times add up into three rows.
        imported = "laptop opened, its package imported (verified, coordinator pinned)"
        keyed = "every sheet keyed in and finished (bulk, one transaction a laptop)"
        signed = "score bundle signed, written, read back and verified"
        rng, n_scores, bundles = random.Random(7), 0, []
        for i, package in enumerate(packages):
            with clock.stage(imported, quiet=True):
                laptop = Workspace.open(folder / f"penilai-{i + 1:02d}")
                rid = laptop.packages.import_package(package, me.fingerprint).round_id
            try:
                with clock.stage(keyed, quiet=True):
                    n_scores += _key_in(laptop, rid, rng.gauss(0, 0.15), rng)
                with clock.stage(signed, quiet=True) as info:
                    key = identity.unlock(laptop.paths.keys, PASSPHRASE)
                    public = identity.load_public(laptop.paths.keys)
                    out = folder / f"nilai-{i + 1:02d}.zip"
                    export_bundle(laptop.store, laptop.scoring, laptop.profile.actor(), out,
                                  key, public)
                    bundles.append(out)
            finally:
                laptop.close()
        rows = {st.name: st for st in clock.stages}
        rows[imported].name = f"{n_assessors} laptops opened, packages imported (verified, " \
                              "coordinator pinned)"
        rows[keyed].name = f"{n_assessors} laptops: every sheet keyed in and finished (bulk, " \
                           "one transaction each)"
        rows[keyed].note = f"{n_scores:,} levels"
        rows[signed].name = f"{n_assessors} score bundles signed (read back, verified)"
        rows[signed].note = f"{sum(b.stat().st_size for b in bundles) / 1e6:.1f} MB"
        for name in (imported, keyed, signed):
            clock.say(rows[name])

        backup = "; a verified backup of the store first" \
            if getattr(ws.store, "is_sqlite", True) else ""
        with clock.stage(f"bundles imported at the coordinator (signatures verified{backup})") \
                as info:
            outcomes = ws.bundles.import_files(bundles)
            refused = [o for o in outcomes if o.status.value != "accepted"]
            if refused:
                raise RuntimeError("bundles not accepted: " + "; ".join(
                    f"{o.file}: {o.status.value} {o.reason}" for o in refused[:3]))
            info["note"] = f"{len(outcomes)} accepted, {n_scores:,} scores"

        with clock.stage("results computed (ws.results.report)") as info:
            results = ws.results.report(round_.id)
            stars: dict[str, int] = {}
            for r in results.results.candidates:
                label = "incomplete" if r.star is None else f"{r.star}★"
                stars[label] = stars.get(label, 0) + 1
            ranked = sum(1 for r in results.results.candidates if r.rank is not None)
            info["note"] = f"{ranked:,} ranked"

        with clock.stage("reliability report (ws.results.reliability)") as info:
            reliability = ws.results.reliability(results)
            info["note"] = f"{len(reliability.rows)} rows"

        document, pages = _print(ws, round_, results, folder, clock)
    finally:
        ws.close()
    return Outcome(count, len({d.region_code for d in items}), n_assessors, assignments,
                   len(bundles), n_scores, ranked, stars, pages, document, store, clock.stages,
                   clock.per_stage_peak, _postgres_line(db_url))


def _print(ws: Any, round_: Any, results: Any, folder: Path, clock: Clock) -> tuple[str, int]:
    """The recommendation list; the screening summary stands in if this build has none."""
    from ovop_desktop.services.printing import write_pdf

    try:
        from ovop_desktop.services.printing.ranking import ranking_list
    except ImportError:
        ranking_list = None
    if ranking_list is not None:
        with clock.stage("recommendation list printed (ranking_list → PDF)") as info:
            data = ranking_list(results, language="id")
            path = write_pdf(folder / "daftar-rekomendasi.pdf", data)
            pages = _pages(data)
            info["note"] = f"{pages:,} pages, {path.stat().st_size / 1e6:.1f} MB"
        return "recommendation list", pages
    from ovop_desktop.services.printing import sources
    from ovop_desktop.services.printing.screening_summary import screening_summary

    with clock.stage("screening summary printed (stand-in: no ranking_list in this build)") \
            as info:
        data = screening_summary(sources.screening_report(ws, round_), round_)
        path = write_pdf(folder / "ringkasan-seleksi.pdf", data)
        pages = _pages(data)
        info["note"] = f"{pages:,} pages, {path.stat().st_size / 1e6:.1f} MB"
    return "screening summary (stand-in)", pages


def _pages(data: bytes) -> int:
    return max((int(m) for m in re.findall(rb"/Count (\d+)", data)), default=0)


def _postgres_line(db_url: str | None) -> str:
    if not postgres_supported():
        return NOT_AVAILABLE
    return "PostgreSQL: this run" if db_url else "PostgreSQL: supported; run with --db-url " \
                                                 "postgresql://… for its figures"


# -- output ------------------------------------------------------------------------------------


def table(outcome: Outcome) -> str:
    """The stage table as Markdown."""
    o = outcome
    peak = "peak RSS during the stage" if o.per_stage_peak else "peak RSS so far"
    lines = [f"| stage | time | {peak} | |", "|---|---:|---:|---|"]
    for s in o.stages:
        mem = f"{s.peak_mb:,.0f} MB" if s.peak_mb is not None else "—"
        name = s.name if s.app else f"*{s.name}*"
        lines.append(f"| {name} | {_seconds(s.seconds)} | {mem} | {s.note} |")
    top = max((s.peak_mb or 0) for s in o.stages)
    lines.append(f"| **total, proposals import to printed list** | **{_seconds(o.total)}** | "
                 f"**{top:,.0f} MB** | store: {o.store} |")
    lines.append(f"| {o.postgres} | | | |")
    return "\n".join(lines)


def summary(outcome: Outcome) -> str:
    o = outcome
    stars = ", ".join(f"{k} {v:,}" for k, v in sorted(o.stars.items(), reverse=True))
    return (f"{o.candidates:,} candidates from {o.regencies} kab/kota, {o.assessors} assessors, "
            f"{o.assignments:,} assignments ({PER_CANDIDATE} per candidate), {o.bundles} signed "
            f"bundles carrying {o.scores:,} scores; {o.ranked:,} ranked ({stars}); "
            f"printed: {o.document}, {o.pages:,} pages.")


def _seconds(value: float) -> str:
    return f"{value:,.1f} s" if value >= 1 else f"{value * 1000:,.0f} ms"


def collect(quick: bool = False, db_url: str | None = None) -> dict[str, Any]:
    """For bench/all.py: one row (the total) and the stage table as a section."""
    from benchkit import figure, payload

    o = run(0.01 if quick else 1.0, db_url)
    slowest = max((s for s in o.stages if s.app), key=lambda s: s.seconds)
    row = figure(f"national round end to end: {o.candidates:,} candidates, {o.regencies} "
                 f"kab/kota, {o.assessors} assessors × {PER_CANDIDATE} per candidate, "
                 f"proposals import to printed {o.document} ({o.store})",
                 key="national.total" + (".postgresql" if db_url else ""),
                 ours_ms=o.total * 1000,
                 detail=f"slowest stage: {slowest.name} ({_seconds(slowest.seconds)}); "
                        f"stages in the table below; {o.postgres}",
                 peak_mb_override=max((s.peak_mb or 0) for s in o.stages))
    title = f"National scale, end to end, {o.store.split()[0]} (bench/national_bench.py)"
    return payload([row], [{"title": title, "markdown": summary(o) + "\n\n" + table(o)}])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the national size (0.05: a smoke run)")
    parser.add_argument("--db-url", help="the coordinator's store on this PostgreSQL server, "
                        "e.g. postgresql://user:pw@host/postgres (a role that may CREATE "
                        "DATABASE: the run uses a new database there and drops it)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--json", action="store_true", help="one JSON line (for bench/all.py)")
    parser.add_argument("--quick", action="store_true", help="with --json: --scale 0.01")
    args = parser.parse_args()
    if not 0 < args.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    if args.db_url and not postgres_supported():
        # Said in the table's place, so a pasted result cannot pass SQLite off as PostgreSQL.
        print(f"| stage | time |\n|---|---|\n| {NOT_AVAILABLE} | |")
        return 2
    if args.json:
        from benchkit import emit

        emit(collect(args.quick, args.db_url))
        return 0
    outcome = run(args.scale, args.db_url, args.keep, progress=lambda line: print(line,
                                                                                 flush=True))
    print()
    print(summary(outcome))
    print()
    print(table(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
