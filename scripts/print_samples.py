"""Render the first page of every printed document from demo data to docs/printing/*.png.

    .venv/bin/python scripts/print_samples.py [--lang id|en] [--paper a4|f4] [--out DIR]
                                              [--keep-pdf]

A demo coordinator profile and an assessor profile are built in a temporary folder and
exchange real signed files (package, score bundles), so every document shows realistic
data; the results documents come from a third profile, the demo with its nine-assessor
panel (build_demo(with_results=True)). Needs `pdftoppm` (Debian/Ubuntu: apt-get install
poppler-utils). To add a document, write a function `(Demo, args) -> bytes` and list it in
SAMPLES. Rerun whenever a document changes, and look at the images.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.profile import Role
from ovop_desktop.domain.results import Flag
from ovop_desktop.domain.screening import Decision
from ovop_desktop.services import identity
from ovop_desktop.services.bundle_export import export_bundle
from ovop_desktop.services.bundles import ImportOutcome
from ovop_desktop.services.demo import build_demo
from ovop_desktop.services.printing import sources
from ovop_desktop.services.printing.field_form import field_forms
from ovop_desktop.services.printing.go_global import go_global_list
from ovop_desktop.services.printing.import_receipt import ImportReceipt, import_receipt
from ovop_desktop.services.printing.key_card import key_card
from ovop_desktop.services.printing.ranking import ranking_list
from ovop_desktop.services.printing.scorecard import scorecards
from ovop_desktop.services.printing.screening_summary import screening_summary
from ovop_desktop.services.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
COORD_PASS, ASSESSOR_PASS = "rahasia-koordinator", "rahasia-penilai"


@dataclass
class Demo:
    coordinator: Workspace
    assessor: Workspace
    outcomes: list[ImportOutcome]
    results: Workspace  # the demo with results (its own profile and coordinator key)


def build(folder: Path) -> Demo:
    """The demo coordinator, one enrolled assessor with six visits, and one import run."""
    identity.KDF_PARAMS = identity.KDF_FLOOR  # throwaway sample keys: no need for full cost
    coord = Workspace.open(folder / "coordinator")
    build_demo(coord)
    coord_me = identity.create_identity(coord.paths.keys, COORD_PASS, "Sekretariat Tim Seleksi",
                                        "Direktorat Jenderal IKMA")
    assessor = Workspace.open(folder / "assessor")
    assessor.profile.init(Role.ASSESSOR, "Dr. Sri Wahyuni", "Yayasan Batik Indonesia")
    me = identity.create_identity(assessor.paths.keys, ASSESSOR_PASS, "Dr. Sri Wahyuni",
                                  "Yayasan Batik Indonesia")
    usb = folder / "usb"
    usb.mkdir()
    card = usb / "kartu.json"
    identity.write_card(card, me, "assessor", {})
    assessor_id = coord.assessors.enrol(card, me.fingerprint, "Budi Santoso", "phone").id
    round_ = sources.current_round(coord)
    passed = [c.id for c in coord.candidates.summaries(round_.id)
              if c.decision is Decision.PASSED][:6]
    coord.assessors.assign(round_.id, assessor_id, passed)
    for n, cid in enumerate(passed):
        coord.planning.set_visit(cid, date(2024, 8, 12) + timedelta(days=n // 2))
    key = identity.unlock(coord.paths.keys, COORD_PASS)
    coord.packages.export(round_.id, assessor_id, usb / "paket.zip", key, coord_me)
    info = assessor.packages.import_package(usb / "paket.zip", coord_me.fingerprint)
    assessor.update_settings(current_round_id=info.round_id)

    assessor_key = identity.unlock(assessor.paths.keys, ASSESSOR_PASS)
    local = [c.id for c in assessor.candidates.summaries(info.round_id)]
    bundles = []
    for n, cid in enumerate(local[:3]):
        for criterion, level in (("A1", 3), ("A2", 2), ("B1", 2), ("C1", 3)):
            assessor.scoring.set_score(cid, criterion, level, "dicatat di lokasi")
        bundles.append(usb / f"nilai-{n + 1}.zip")
        export_bundle(assessor.store, assessor.scoring, assessor.profile.actor(), bundles[-1],
                      assessor_key, me)
    copy = usb / "nilai-1 (salinan).zip"
    copy.write_bytes(bundles[0].read_bytes())
    damaged = usb / "nilai-rusak.zip"
    damaged.write_bytes(bundles[1].read_bytes()[: 300])
    # 3 before 1 and 2: held for the gap, then released by 2; a copy; a damaged file.
    started = now_iso()
    outcomes = coord.bundles.import_files([bundles[2], bundles[0], bundles[1], copy, damaged])
    results = Workspace.open(folder / "results")
    build_demo(results, with_results=True)
    return Demo(coord, assessor, sources.settle(coord, outcomes, started), results)


def sample_field_form(demo: Demo, args: argparse.Namespace) -> bytes:
    ws = demo.assessor
    round_ = sources.current_round(ws)
    return field_forms(sources.field_forms_for(ws, round_), round_, paper=args.paper,
                       language=args.lang, keyed_here=True)


def sample_key_card(demo: Demo, args: argparse.Namespace) -> bytes:
    me, role = sources.own_identity(demo.assessor)
    return key_card(me, role, paper=args.paper, language=args.lang)


def sample_import_receipt(demo: Demo, args: argparse.Namespace) -> bytes:
    ws = demo.coordinator
    round_ = sources.current_round(ws)
    receipt = ImportReceipt(tuple(demo.outcomes), ws.profile.actor(),
                            sources.latest_import_receipt(ws).imported_at)
    return import_receipt(receipt, paper=args.paper, language=args.lang,
                          round_year=round_.year, round_name=round_.name)


def sample_screening_summary(demo: Demo, args: argparse.Namespace) -> bytes:
    ws = demo.coordinator
    round_ = sources.current_round(ws)
    return screening_summary(sources.screening_report(ws, round_), round_, paper=args.paper,
                             language=args.lang)


def sample_scorecard(demo: Demo, args: argparse.Namespace) -> bytes:
    """One card showing most of what a card can: three assessors, notes, a moderated level."""
    ws = demo.results
    report = ws.results.report(sources.current_round(ws).id)
    notes = ws.results.notes(report)
    rows = report.rows()
    best = max(rows, key=lambda r: (r.star is not None, len(r.assessors),
                                    Flag.MODERATED in r.flags, r.candidate_id in notes,
                                    r.change is not None))
    return scorecards(report, [best.candidate_id], paper=args.paper, language=args.lang,
                      notes=notes)


def sample_ranking(demo: Demo, args: argparse.Namespace) -> bytes:
    ws = demo.results
    report = ws.results.report(sources.current_round(ws).id)
    return ranking_list(report, paper=args.paper, language=args.lang)


def sample_go_global(demo: Demo, args: argparse.Namespace) -> bytes:
    ws = demo.results
    report = ws.results.report(sources.current_round(ws).id)
    return go_global_list(ws.results.shortlist(report.round.id, report), report,
                          paper=args.paper, language=args.lang)


SAMPLES: dict[str, Callable[[Demo, argparse.Namespace], bytes]] = {
    "field-form": sample_field_form,
    "key-card": sample_key_card,
    "import-receipt": sample_import_receipt,
    "screening-summary": sample_screening_summary,
    "scorecard": sample_scorecard,
    "ranking": sample_ranking,
    "go-global": sample_go_global,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["id", "en"], default="id")
    parser.add_argument("--paper", choices=["a4", "f4"], default="a4")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "printing")
    parser.add_argument("--keep-pdf", action="store_true", help="also keep the PDFs in --out")
    parser.add_argument("--resolution", type=int, default=60)
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ovop-print-samples-") as tmp:
        demo = build(Path(tmp))
        try:
            for name, render in SAMPLES.items():
                pdf = Path(tmp) / f"{name}.pdf"
                pdf.write_bytes(render(demo, args))
                if args.keep_pdf:
                    shutil.copyfile(pdf, args.out / pdf.name)
                subprocess.run(["pdftoppm", "-png", "-r", str(args.resolution), "-f", "1",
                                "-l", "1", "-singlefile", str(pdf), str(args.out / name)],
                               check=True)
                print((args.out / f"{name}.png").relative_to(ROOT)
                      if (args.out / name).is_relative_to(ROOT) else args.out / f"{name}.png")
        finally:
            demo.coordinator.close()
            demo.assessor.close()
            demo.results.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
