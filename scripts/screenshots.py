"""Render the main screens from demo data to docs/screenshots/*.png (offscreen).

    .venv/bin/python scripts/screenshots.py [--lang id|en] [--out DIR]

Rerun whenever a screen changes; the README shows these images.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QModelIndex, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from ovop_desktop.app import Application  # noqa: E402
from ovop_desktop.domain.commodities import Commodity  # noqa: E402
from ovop_desktop.ui.dialogs.first_run import FirstRunDialog  # noqa: E402
from ovop_desktop.ui.dialogs.settings import SettingsDialog  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(signal, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def save(widget: QWidget, path: Path) -> None:
    settle()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def find_row(model, predicate, parent: QModelIndex | None = None) -> QModelIndex:  # type: ignore[no-untyped-def]
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if predicate(index):
            return index
        found = find_row(model, predicate, index)
        if found.isValid():
            return found
    return QModelIndex()


def prepare_exchange(folder: Path) -> None:
    """Demo data with its panel results, plus one more real exchange: an enrolled assessor
    whose laptop is shown, and two bundles from it."""
    from ovop_desktop.domain.profile import Role
    from ovop_desktop.services import identity
    from ovop_desktop.services.bundle_export import export_bundle
    from ovop_desktop.services.demo import build_demo
    from ovop_desktop.services.demo_panel import DEMO_PASSPHRASE
    from ovop_desktop.services.workspace import Workspace

    usb = folder.parent / "usb"
    usb.mkdir(exist_ok=True)
    with Workspace.open(folder) as coord, Workspace.open(folder.parent / "penilai") as asse:
        build_demo(coord, with_results=True)
        me = identity.load_public(coord.paths.keys)
        assert me is not None
        asse.profile.init(Role.ASSESSOR, "Dr. Sri Wahyuni", "Yayasan Batik Indonesia")
        sri = identity.create_identity(asse.paths.keys, "kunci-sri-123", "Dr. Sri Wahyuni",
                                       "Yayasan Batik Indonesia")
        identity.write_card(usb / "sri.card.json", sri, "assessor", {})
        aid = coord.assessors.enrol(usb / "sri.card.json", sri.fingerprint, "Budi Santoso",
                                    "phone", [Commodity.KAIN_BATIK], "34").id
        round_ = coord.current_round()
        assert round_ is not None
        batik = [c.id for c in coord.candidates.summaries(round_.id)
                 if c.commodity.value == "kain_batik" and c.decision.value == "passed"][:4]
        coord.assessors.assign(round_.id, aid, batik)
        for day, cid in enumerate(batik, start=12):
            coord.planning.set_visit(cid, date(2024, 8, day))
        coord.packages.export(round_.id, aid, usb / "paket.zip",
                              identity.unlock(coord.paths.keys, DEMO_PASSPHRASE), me)
        info = asse.packages.import_package(usb / "paket.zip", me.fingerprint)
        local = [c.id for c in asse.candidates.summaries(info.round_id)]
        key = identity.unlock(asse.paths.keys, "kunci-sri-123")
        for criterion, level in (("A1", 3), ("A2", 2), ("B3", 3), ("C4", 3)):
            asse.scoring.set_score(local[0], criterion, level)
        export_bundle(asse.store, asse.scoring, "Dr. Sri Wahyuni", usb / "nilai-1.zip", key, sri)
        asse.scoring.set_score(local[1], "A1", 2)
        export_bundle(asse.store, asse.scoring, "Dr. Sri Wahyuni", usb / "nilai-2.zip", key, sri)
        coord.bundles.import_files([usb / "nilai-2.zip", usb / "nilai-1.zip", usb / "nilai-1.zip"])


def results_screens(window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The coordinator's results: ranking with a drill-down, progress, charts, Go Global."""
    results = window.show_page("results")
    if results.data is None:
        wait_for(results.loaded, 60_000)
    rows = results.data.report.rows("kain_batik")
    pick = next((r for r in rows if r.rank is not None and len(r.assessors) >= 3
                 and any(c.spread >= 2 for c in r.criteria)), rows[0])
    results.select(pick.candidate_id)
    settle(1500)  # the drill-down reads the sheets on a worker
    save(window, out / "results.png")
    for index, name in ((1, "results-progress"), (2, "results-charts"),
                        (3, "results-reliability"), (5, "results-goglobal")):
        results.tabs.setCurrentIndex(index)
        settle(2500)  # reliability and the shortlist are computed on workers
        save(window, out / f"{name}.png")
    results.tabs.setCurrentIndex(0)


def assessor_screens(folder: Path, args: argparse.Namespace) -> None:
    """The assessor's laptop: my visits and a scoring sheet in progress."""
    app = Application(folder, language=args.lang)
    loop = QEventLoop()
    app.ready.connect(loop.quit)
    app.start()
    loop.exec()
    window = app.window
    assert window is not None and app.workspace is not None
    window.resize(1280, 800)
    visits = window.show_page("visits")
    wait_for(visits.loaded)  # type: ignore[attr-defined]
    save(window, args.out / "visits.png")
    round_ = app.workspace.current_round()
    assert round_ is not None
    first = app.workspace.candidates.summaries(round_.id)[0].id
    visits.open_sheet(first)  # type: ignore[attr-defined]
    save(window, args.out / "scoring-sheet.png")
    app.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="id", choices=["id", "en"])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    qt_app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        prepare_exchange(Path(tmp) / "koordinator")
        app = Application(Path(tmp) / "koordinator", language=args.lang)
        loop = QEventLoop()
        app.ready.connect(loop.quit)
        app.gave_up.connect(lambda error: sys.exit(f"could not open the demo: {error}"))
        app.start()
        loop.exec()
        window = app.window
        assert window is not None and app.workspace is not None
        window.resize(1280, 800)
        window.show_page("home")
        save(window, args.out / "home.png")
        window.show_page("rounds")
        save(window, args.out / "rounds.png")
        rubrics = window.show_page("rubrics")
        batik = app.workspace.rubrics.find(Commodity.KAIN_BATIK)
        rubrics.select_rubric(batik.id)  # type: ignore[attr-defined]
        tree = rubrics.tree  # type: ignore[attr-defined]
        index = find_row(tree.model(), lambda i: str(i.data()).startswith("C4"))
        if index.isValid():
            tree.expandAll()
            tree.setCurrentIndex(index)
        save(window, args.out / "rubrics.png")
        candidates = window.show_page("candidates")
        wait_for(candidates.loaded)  # type: ignore[attr-defined]
        save(window, args.out / "candidates.png")
        screening = window.show_page("screening")
        wait_for(screening.loaded)  # type: ignore[attr-defined]
        first_failed = next(r.id for r in app.workspace.candidates.summaries(
            app.workspace.current_round().id) if r.decision.value == "failed")  # type: ignore[union-attr]
        screening.select(first_failed)  # type: ignore[attr-defined]
        save(window, args.out / "screening.png")
        screening.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
        settle(1500)  # the summary is computed on a worker
        save(window, args.out / "screening-summary.png")
        for page in ("assessors", "planner", "bundles", "identity", "audit"):
            window.show_page(page)
            settle(800)  # these pages load on workers
            save(window, args.out / f"{page}.png")
        results_screens(window, args.out)
        regions = window.show_page("regions")
        regions.query.setText("Bogor")  # type: ignore[attr-defined]
        save(window, args.out / "regions.png")
        settings = SettingsDialog(args.lang, tmp, window)
        settings.show()
        save(settings, args.out / "settings.png")
        settings.close()
        first = FirstRunDialog(args.lang)
        first.name.setText("Dr. Sri Wahyuni")
        first.institution.setCurrentText("Yayasan Batik Indonesia")
        first.show()
        save(first, args.out / "first-run.png")
        first.close()
        app.shutdown()
        assessor_screens(Path(tmp) / "penilai", args)
    del qt_app
    return 0


if __name__ == "__main__":
    sys.exit(main())
