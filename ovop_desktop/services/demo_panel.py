"""The demo's assessment panel: nine assessors whose results arrive through the real exchange.

Every step is the one a real panel takes, with the real services: the coordinator's
key, enrolment from public-key cards with the fingerprint confirmed, a declared
conflict of interest, the automatic planner and visit dates, a signed assignment
package per assessor imported on that assessor's own (throwaway) laptop profile,
the paper forms keyed in and finished there (in bulk, see _key_in), signed score
bundles, their verified import at the coordinator, then a moderation meeting and the
Go Global curation. Only the levels
are invented — from a per-candidate "true quality", the candidate's strengths and a
per-assessor bias — deterministically, so the demo, its screenshots and the tests repeat.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update

from ovop_desktop.data import audit
from ovop_desktop.data.models import CandidateRow, RoundRow, ScoreRow, ScoreSheetRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.candidates import Candidate
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.rubric import parse_rubric
from ovop_desktop.domain.screening import Decision
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services import identity
from ovop_desktop.services.bundle_export import export_bundle
from ovop_desktop.services.scoring import FINISHED, IN_PROGRESS
from ovop_desktop.services.workspace import Workspace

# The demo coordinator key's passphrase. It is published (README, `ovop demo`), so the
# demo key protects nothing; it lets a visitor sign packages in the demo.
DEMO_PASSPHRASE = "demo-ovop-2024"
_ASSESSOR_PASSPHRASE = "demo-penilai-2024"
_THROWAWAY_KDF = identity.ScryptParams(n=2**10, r=8, p=1)
SEED = 2024
PER_CANDIDATE = 3
FIRST_VISIT, LAST_VISIT = date(2024, 8, 5), date(2024, 10, 11)
_HOLIDAYS = {date(2024, 8, 17)}  # Hari Kemerdekaan
_CONFIRMED_BY = "Andi Prasetyo (Sekretariat Tim Seleksi OVOP)"


@dataclass(frozen=True)
class DemoAssessor:
    name: str
    institution: str
    commodities: tuple[Commodity, ...]
    home: str           # home kab/kota: a conflict of interest by rule with the IKM there
    bias: float = 0.0   # added to every level before rounding: > 0 lenient, < 0 harsh
    channel: str = "in-person"  # how the fingerprint was confirmed


_M, _T, _B, _A, _G = (Commodity.MAKANAN_MINUMAN, Commodity.KAIN_TENUN, Commodity.KAIN_BATIK,
                      Commodity.ANYAMAN, Commodity.GERABAH)
_IKMA = "Direktorat Jenderal IKMA, Kementerian Perindustrian"
ASSESSORS: tuple[DemoAssessor, ...] = (
    DemoAssessor("Ir. Bambang Sutrisno, M.M.", _IKMA, (_M,), "31.71", 0.05),
    DemoAssessor("Rina Marlina, S.E., M.Si.", _IKMA, (_A, _G), "32.75", -0.05),
    DemoAssessor("Dra. Endang Sulistyowati", _IKMA, (_B, _T), "32.71"),
    DemoAssessor("Dr. Sri Wahyuni, M.Sn.", "Yayasan Batik Indonesia", (_B,), "34.71", 0.05,
                 "phone"),
    DemoAssessor("Prof. Dr. Ir. I Made Sudarsana", "Universitas Udayana", (_G, _A), "51.71",
                 -0.3),  # clearly harsh
    DemoAssessor("Dr. Ratna Kusumaningrum, S.TP., M.Si.", "IPB University", (_M,), "32.71",
                 -0.05, "phone"),
    DemoAssessor("Hendra Gunawan, S.Sn.", "Dekranasda Provinsi Jawa Barat", (_T, _A), "32.73",
                 0.3),  # clearly lenient
    DemoAssessor("Hj. Nurlaila Harahap", "Asosiasi Perajin Anyaman Indonesia", (_A,), "12.71",
                 0.05, "phone"),
    DemoAssessor("Yohanes Bria Seran, M.Sn.", "Institut Seni Indonesia Yogyakarta", (_T, _G),
                 "53.71"),
)
SILENT = 8            # still travelling: the package went out, no bundle has come back
UNIFORM = 5           # keyed in "2" on every criterion of a couple of sheets
TWO_BUNDLES = (0, 3)  # sent an early bundle in September, then the final one
CONFLICTED = 3        # declared a conflict with one batik IKM (a relative owns it)

# Short notes an assessor writes beside a low (1) or high (3) level.
_CRITERION_NOTES: dict[tuple[str, int], str] = {
    ("A1", 1): "Bahan baku utama didatangkan dari luar provinsi.",
    ("A1", 3): "Seluruh bahan baku dari petani/perajin di kecamatan yang sama.",
    ("A2", 1): "Belum ada kontrak pasokan; stok bahan baku hanya cukup sebulan.",
    ("A5", 1): "Produksi terhenti saat musim hujan; mutu antarbatch berbeda.",
    ("A6", 3): "Desain baru tiap tahun, dikembangkan sendiri bersama perajin muda.",
    ("A7", 1): "Kemasan plastik polos tanpa label.",
    ("A9", 3): "Menyerap lebih dari 30 tenaga kerja, hampir semuanya warga desa setempat.",
    ("A10", 3): "Rutin melatih anggota sentra setiap bulan.",
    ("B2", 1): "Pembukuan masih bercampur dengan keuangan rumah tangga.",
    ("B3", 1): "Nota penjualan tidak disimpan.",
    ("B4", 1): "Tidak ada dokumen ekspor yang dapat ditunjukkan saat kunjungan.",
    ("B4", 3): "Sudah ekspor ke Malaysia; dokumen PEB ditunjukkan.",
    ("B5", 3): "Aktif di marketplace dan ikut pameran INACRAFT 2024.",
    ("B6", 1): "Merek belum didaftarkan ke DJKI.",
    ("B7", 1): "NIB ada, sertifikasi lain belum.",
    ("C1", 3): "Produk menjadi ikon daerah; motif/resep turun-temurun.",
    ("C2", 1): "Belum ada catatan kontrol mutu.",
    ("C2", 3): "Kontrol mutu harian tercatat rapi.",
    ("C3", 1): "Label belum mencantumkan alamat produsen.",
    ("C3", 3): "Tampilan rapi, label lengkap dua bahasa.",
}
_SHEET_NOTES = (
    "Kunjungan diterima langsung oleh pemilik; seluruh proses produksi dapat diamati.",
    "Sentra aktif, tetapi pencatatan produksi dan keuangan perlu dibina.",
    "Produk unggul dan layak dipromosikan ke pasar ekspor.",
    "Pemilik sedang ke luar kota; wawancara dengan kepala produksi.",
    "Perlu pendampingan desain kemasan dan pendaftaran merek.",
    "Tempat produksi bersih dan tertata; tenaga kerja sebagian besar perempuan.",
)
# The moderation meeting: (criterion, the panel's level, reason), on disagreements of 1 vs 3.
_MODERATIONS = (
    ("B4", 3, "Rapat moderasi 14 Oktober 2024: bukti ekspor ke Malaysia dilihat"),
    ("A1", 2, "Rapat moderasi 14 Oktober 2024: nota pembelian menunjukkan sebagian bahan baku "
              "dari kabupaten tetangga"),
    ("C2", 3, "Rapat moderasi 15 Oktober 2024: catatan kontrol mutu harian diperiksa dan "
              "lengkap"),
)
_OTHER_DISAGREEMENTS = ("A5", "B2", "B5")
_GO_GLOBAL = (
    (True, "Diusulkan untuk kurasi Go Global 2025: ekspor sudah berjalan, kapasitas dan mutu "
           "konsisten."),
    (False, "Belum diusulkan tahun ini: kapasitas produksi belum cukup untuk pesanan ekspor; "
            "didampingi dulu."),
)


@dataclass(frozen=True)
class DemoPanelResult:
    assessors: int
    assignments: int
    sheets_finished: int
    sheets_in_progress: int
    bundles: int           # signed score bundles imported at the coordinator
    accepted: int
    moderations: int
    curated: int
    stars: dict[int | None, int]  # 3, 2, 1, 0 (no star), None (incomplete) → candidates
    timings: dict[str, float] = field(default_factory=dict)  # step → seconds


@dataclass
class _Sheet:
    """One assessor's sheet for one candidate, decided before anything is keyed in."""

    levels: dict[str, int]
    notes: dict[str, str] = field(default_factory=dict)
    note: str = ""
    visited: date | None = None
    finish: bool = True


@dataclass
class _Plan:
    sheets: dict[tuple[int, int], _Sheet]    # (assessor id, candidate id) → sheet
    moderations: list[tuple[int, str, int, str]] = field(default_factory=list)


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._start = self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = round(self.timings.get(step, 0.0) + now - self._last, 3)
        self._last = now

    def stop(self) -> dict[str, float]:
        self.timings["total"] = round(time.perf_counter() - self._start, 3)
        return self.timings


@contextmanager
def _cheap_kdf() -> Iterator[None]:
    """scrypt n=2¹⁰ while the assessors' keys are made.

    These throwaway demo keys never protect anything: each signs the bundles of one
    demo assessor and is deleted with its folder minutes later. At the real cost
    (~0.25 s and 128 MiB each) they would only slow the first start. Each key file
    records its own parameters, so unlocking needs no patch; the module value is
    restored at once (nothing else creates keys while a demo profile is being built).
    """
    saved = identity.KDF_PARAMS
    identity.KDF_PARAMS = _THROWAWAY_KDF
    try:
        yield
    finally:
        identity.KDF_PARAMS = saved


def build_demo_panel(ws: Workspace, work_dir: Path,
                     progress: Callable[[int, int], None] | None = None) -> DemoPanelResult:
    """Run the demo panel on the demo coordinator profile `ws` (after build_demo).

    `work_dir` must be new or empty: it holds the assessors' throwaway profiles and the
    files they exchange, and is removed afterwards, whatever happens.
    progress(done, total) is called after each step.
    """
    profile = ws.profile.get()
    round_ = ws.current_round()
    if profile is None or profile.role is not Role.COORDINATOR or round_ is None \
            or ws.assessors.list():
        raise UserFacingError(_("The demo panel needs the demo coordinator profile before any "
                                "assessor is enrolled."))
    work_dir = Path(work_dir)
    if work_dir.exists() and any(work_dir.iterdir()):
        raise UserFacingError(_("The folder {path} is not empty; the demo panel needs an empty "
                                "working folder.").format(path=work_dir))
    total, done = 4 + len(ASSESSORS), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    laptops: list[Workspace] = []
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        return _run(ws, round_.id, work_dir, laptops, step)
    finally:
        for laptop in laptops:
            laptop.close()
        shutil.rmtree(work_dir, ignore_errors=True)


def _run(ws: Workspace, round_id: int, work_dir: Path, laptops: list[Workspace],
         step: Callable[[], None]) -> DemoPanelResult:
    clock = _Clock()
    profile = ws.profile.get()
    assert profile is not None
    me = identity.load_public(ws.paths.keys) or identity.create_identity(
        ws.paths.keys, DEMO_PASSPHRASE, profile.name, profile.institution)
    coordinator_key = identity.unlock(ws.paths.keys, DEMO_PASSPHRASE)
    clock.lap("coordinator key")
    step()

    ids = _enrol(ws, work_dir, laptops)
    clock.lap("assessors: laptops, keys, enrolment")
    step()

    summaries = {c.id: c for c in ws.candidates.summaries(round_id)}
    batik = sorted(c.id for c in summaries.values()
                   if c.decision is Decision.PASSED and c.commodity is _B)
    ws.planning.declare(ids[CONFLICTED], batik[1], "Pemilik IKM adalah kerabat dekat penilai")
    ws.planning.auto(round_id, PER_CANDIDATE, 2)
    teams = ws.planning.teams(round_id)
    visits = _visit_days(sorted(teams, key=lambda c: (summaries[c].region_code, c)))
    for cid, day in visits.items():
        ws.planning.set_visit(cid, day)
    full = {c.id: c for c in ws.candidates.all(round_id)}
    criteria = {rc.commodity: [k.id for _a, k in ws.rubrics.get(rc.rubric_id).rubric.criteria()]
                for rc in ws.rounds.get(round_id).commodities}
    plan = _decide(teams, ids, full, visits, criteria)
    clock.lap("planning, visit dates")
    step()

    bundles: list[Path] = []
    for i, laptop in enumerate(laptops):
        package = work_dir / f"paket-{i + 1}.zip"
        ws.packages.export(round_id, ids[i], package, coordinator_key, me)
        clock.lap("packages signed")
        if i != SILENT:
            bundles += _laptop(laptop, i, ids[i], package, me.fingerprint, plan, full, work_dir,
                               clock)
        step()

    outcomes = ws.bundles.import_files(bundles)
    refused = [o for o in outcomes if o.status.value != "accepted"]
    if refused:  # the demo's own files: a refusal is a bug, not the user's problem
        raise RuntimeError("demo bundles not accepted: " + "; ".join(
            f"{o.file}: {o.status.value} {o.reason}" for o in refused))
    clock.lap("bundles verified and imported")

    for cid, criterion, level, reason in plan.moderations:
        ws.results.moderate(cid, criterion, level, reason)
    curated = _curate(ws, round_id)
    stars: dict[int | None, int] = {3: 0, 2: 0, 1: 0, 0: 0, None: 0}
    for result in ws.results.report(round_id).results.candidates:
        stars[result.star] += 1
    clock.lap("moderation, curation, results")
    step()
    sent = [s for (a, _c), s in plan.sheets.items() if a != ids[SILENT]]
    return DemoPanelResult(
        assessors=len(ids), assignments=sum(len(t) for t in teams.values()),
        sheets_finished=sum(s.finish for s in sent),
        sheets_in_progress=sum(not s.finish for s in sent), bundles=len(bundles),
        accepted=len(outcomes) - len(refused), moderations=len(plan.moderations),
        curated=curated, stars=stars, timings=clock.stop())


def _enrol(ws: Workspace, work_dir: Path, laptops: list[Workspace]) -> list[int]:
    """Each assessor's laptop profile and key; the coordinator enrols the card."""
    ids = []
    with _cheap_kdf():
        for i, person in enumerate(ASSESSORS):
            laptop = Workspace.open(work_dir / f"penilai-{i + 1}")
            laptops.append(laptop)
            laptop.profile.init(Role.ASSESSOR, person.name, person.institution)
            public = identity.create_identity(laptop.paths.keys, _ASSESSOR_PASSPHRASE,
                                              person.name, person.institution)
            card = work_dir / f"kartu-{i + 1}.json"
            identity.write_card(card, public, "assessor", {})
            ids.append(ws.assessors.enrol(card, public.fingerprint, _CONFIRMED_BY,
                                          person.channel, person.commodities, person.home[:2],
                                          person.home).id)
    return ids


def _laptop(laptop: Workspace, index: int, assessor_id: int, package: Path, fingerprint: str,
            plan: _Plan, full: dict[int, Candidate], work_dir: Path, clock: _Clock
            ) -> list[Path]:
    """One assessor: import the package, key in the forms, finish, sign the bundle(s)."""
    info = laptop.packages.import_package(package, fingerprint)
    local_ids = {(c.name, c.nib): c.id for c in laptop.candidates.summaries(info.round_id)}
    mine = sorted(((cid, sheet) for (a, cid), sheet in plan.sheets.items() if a == assessor_id),
                  key=lambda item: (item[1].visited or LAST_VISIT, item[0]))
    local = {cid: local_ids[(full[cid].data.name, full[cid].data.nib)] for cid, _s in mine}
    clock.lap("packages imported on the laptops")
    _key_in(laptop, info.round_id, [(local[cid], sheet) for cid, sheet in mine])
    clock.lap("forms keyed in")
    key = identity.unlock(laptop.paths.keys, _ASSESSOR_PASSPHRASE)
    public = identity.load_public(laptop.paths.keys)
    assert public is not None
    finishing = [local[cid] for cid, sheet in mine if sheet.finish]
    # Two bundles: the first after the earlier half of the visits, then the final one.
    batches = [finishing[:len(finishing) // 2], finishing[len(finishing) // 2:]] \
        if index in TWO_BUNDLES else [finishing]
    out = []
    for n, batch in enumerate(batches, start=1):
        _finish(laptop, info.round_id, batch)
        clock.lap("sheets finished")
        path = work_dir / f"nilai-{index + 1}-{n}.zip"
        export_bundle(laptop.store, laptop.scoring, laptop.profile.actor(), path, key, public)
        out.append(path)
        clock.lap("bundles signed")
    return out


# The two helpers below write straight into a throwaway laptop's score tables. The scoring
# service checks and audits each level and each finished sheet on its own (import_sheet
# ~4.5 ms a level: ~45 s for the panel's 9,000 levels; finish ~4 ms a sheet), which a real
# assessor never notices but the first start would. Nothing on these laptops outlives the
# demo except the signed bundles, which export_bundle builds from these tables as from any
# others, and which the coordinator verifies and files like any others.


def _key_in(laptop: Workspace, round_id: int, rows: list[tuple[int, _Sheet]]) -> None:
    """Key in one assessor's paper forms (levels, notes, visit date) in one transaction."""
    stamp = now_iso()
    with laptop.store.write() as s:
        s.execute(insert(ScoreSheetRow), [
            {"candidate_id": local, "status": IN_PROGRESS, "note": sheet.note,
             "updated_at": stamp,
             "visited_on": sheet.visited.isoformat() if sheet.visited else None}
            for local, sheet in rows])
        s.execute(insert(ScoreRow), [
            {"candidate_id": local, "criterion_id": criterion, "level": level,
             "note": sheet.notes.get(criterion, ""), "updated_at": stamp}
            for local, sheet in rows for criterion, level in sheet.levels.items()])
        audit.append(s, laptop.profile.actor(), "score.import_sheet", "round", round_id,
                     {"sheets": len(rows), "scores": sum(len(sh.levels) for _l, sh in rows)})


def _finish(laptop: Workspace, round_id: int, candidate_ids: list[int]) -> None:
    """Finish these sheets in one transaction; like the service, only complete ones."""
    with laptop.store.write() as s:
        rubrics = {link.commodity: parse_rubric(link.rubric.content.encode("utf-8"))
                   for link in s.get(RoundRow, round_id).commodities}
        given = dict(s.execute(
            select(ScoreRow.candidate_id, func.count()).where(
                ScoreRow.candidate_id.in_(candidate_ids)).group_by(ScoreRow.candidate_id)).all())
        for row in s.execute(select(CandidateRow).where(CandidateRow.id.in_(candidate_ids))
                             ).scalars():
            if given.get(row.id, 0) != len(list(rubrics[row.commodity].criteria())):
                raise RuntimeError(f"demo sheet {row.id} is not complete")
        s.execute(update(ScoreSheetRow).where(ScoreSheetRow.candidate_id.in_(candidate_ids))
                  .values(status=FINISHED, updated_at=now_iso()))
        audit.append(s, laptop.profile.actor(), "sheet.finish", "round", round_id,
                     {"sheets": len(candidate_ids)})


def _visit_days(order: list[int], per_day: int = 3) -> dict[int, date]:
    """Working days from early August, a few visits a day, region by region."""
    days: list[date] = []
    day = FIRST_VISIT
    while len(days) * per_day < len(order):
        if day.weekday() < 5 and day not in _HOLIDAYS:
            days.append(min(day, LAST_VISIT))
        day += timedelta(days=1)
    return {cid: days[n // per_day] for n, cid in enumerate(order)}


def _decide(teams: dict[int, list[int]], ids: list[int], full: dict[int, Candidate],
            visits: dict[int, date], criteria: dict[Commodity, list[str]]) -> _Plan:
    """Every assessor's levels for every assigned candidate, before anything is keyed in.

    level = the candidate's true quality + its strength on the criterion + the
    assessor's bias + a little noise, rounded to 1–3. About one sheet in twelve is left
    out (not visited yet, or begun and not finished); the silent assessor sends nothing.
    """
    rng = random.Random(SEED)
    bias = {ids[i]: p.bias for i, p in enumerate(ASSESSORS)}
    silent = ids[SILENT]
    quality, strength = {}, {}
    for cid in sorted(teams):
        data = full[cid].data
        quality[cid] = {1: 1.8, 2: 2.1, 3: 2.4}.get(data.previous_star or 0, 2.0) \
            + rng.gauss(0, 0.3)
        strength[cid] = {k: rng.gauss(0, 0.3) for k in criteria[data.commodity]}
    # Sheets left out avoid the candidates the silent assessor also holds (each would
    # become incomplete), except on three, which do.
    shares_silent = sorted(c for c, team in teams.items() if silent in team)
    skipped: set[tuple[int, int]] = set()
    for aid in ids:
        if aid != silent:
            mine = sorted(c for c, team in teams.items() if aid in team)
            pool = [c for c in mine if c not in shares_silent]
            skipped |= {(aid, c) for c in rng.sample(pool, max(1, round(len(mine) * 0.08)))}
    for cid in rng.sample(shares_silent, 3):
        skipped.add((rng.choice(sorted(a for a in teams[cid] if a != silent)), cid))
    sheets = {}
    for cid in sorted(teams):
        commodity = full[cid].data.commodity
        for aid in sorted(teams[cid]):
            levels = {}
            for k in criteria[commodity]:
                x = quality[cid] + strength[cid][k] + bias[aid] + rng.gauss(0, 0.25)
                levels[k] = 1 if x < 1.5 else 2 if x < 2.5 else 3
            sheet = _Sheet(levels, {k: _CRITERION_NOTES[(k, lv)] for k, lv in levels.items()
                                    if (k, lv) in _CRITERION_NOTES and rng.random() < 0.25},
                           rng.choice(_SHEET_NOTES) if rng.random() < 0.3 else "",
                           visits[cid] + timedelta(days=int(rng.random() < 0.1)))
            if (aid, cid) in skipped:
                if rng.random() < 0.5:
                    continue  # not visited yet: no sheet at all
                sheet.finish = False  # begun, not finished; sometimes only half scored
                if rng.random() < 0.5:
                    sheet.levels = dict(list(levels.items())[:rng.randint(5, 15)])
            sheets[(aid, cid)] = sheet
    plan = _Plan(sheets)
    _twists(rng, teams, silent, ids[UNIFORM], full, plan)
    return plan


def _twists(rng: random.Random, teams: dict[int, list[int]], silent: int, uniform: int,
            full: dict[int, Candidate], plan: _Plan) -> None:
    """What a real panel's scores also hold: a few 1-versus-3 disagreements on single
    criteria (three of which the moderation meeting settles) and an assessor who keyed
    in "2" on every criterion of a couple of sheets."""
    sheets = plan.sheets

    def finishers(cid: int) -> list[int]:
        return [a for a in sorted(teams[cid])
                if a != silent and (a, cid) in sheets and sheets[(a, cid)].finish]

    complete = [c for c in sorted(teams) if len(finishers(c)) >= 2]
    exporter = [c for c in complete if "Malaysia" in full[c].data.export_history][:1]
    targets = exporter + rng.sample([c for c in complete if c not in exporter], 5)
    chosen = [m[:1] for m in _MODERATIONS[1 - len(exporter):]] + [
        (k,) for k in _OTHER_DISAGREEMENTS]
    for cid, (criterion,) in zip(targets, chosen, strict=False):
        low, high = rng.sample(finishers(cid), 2)
        for who, level in ((low, 1), (high, 3)):
            sheets[(who, cid)].levels[criterion] = level
            sheets[(who, cid)].notes[criterion] = _CRITERION_NOTES.get(
                (criterion, level), "Bukti lengkap ditunjukkan pemilik." if level == 3
                else "Bukti tidak dapat ditunjukkan saat kunjungan.")
    moderated = _MODERATIONS[1 - len(exporter):]
    plan.moderations = [(cid, criterion, level, reason)
                        for cid, (criterion, level, reason) in zip(targets, moderated,
                                                                  strict=False)]
    for cid in [c for c in complete if uniform in finishers(c) and c not in targets][:2]:
        sheet = sheets[(uniform, cid)]
        sheet.levels, sheet.notes = dict.fromkeys(sheet.levels, 2), {}


def _curate(ws: Workspace, round_id: int) -> int:
    """Go Global: the best-placed exporter is proposed; the next strong one not yet."""
    entries = ws.results.shortlist(round_id)
    exporters = [e for e in entries if e.facts.export_history]
    picks = (exporters[:1] or entries[:1])
    picks += [e for e in entries if e not in picks][:1]
    for entry, (selected, note) in zip(picks, _GO_GLOBAL, strict=False):
        ws.results.curate(entry.result.candidate_id, selected, note)
    return len(picks)
