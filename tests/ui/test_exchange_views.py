"""The signed exchange in the GUI: enrol, assign, package out, bundle back, import, decide."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.services import identity
from ovop_desktop.services.bundle_export import export_bundle
from ovop_desktop.services.identity import (
    PublicIdentity,
    ScryptParams,
    create_identity,
    unlock,
    write_card,
)
from ovop_desktop.services.rubrics import default_rubric
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs import assign as assign_dialog
from ovop_desktop.ui.dialogs import coordinator_fingerprint as fingerprint_dialog
from ovop_desktop.ui.dialogs import passphrase as passphrase_dialog
from ovop_desktop.ui.dialogs.assign import AssignDialog
from ovop_desktop.ui.dialogs.bundle_decision import DecisionDialog
from ovop_desktop.ui.dialogs.bundle_export import BundleExportDialog
from ovop_desktop.ui.dialogs.coordinator_fingerprint import CoordinatorFingerprintDialog
from ovop_desktop.ui.dialogs.enrol import EnrolDialog
from ovop_desktop.ui.dialogs.passphrase import PassphraseDialog
from ovop_desktop.ui.dialogs.revoke import RevokeDialog
from ovop_desktop.ui.gc_guard import GuiThreadCollector
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.models.exchange_models import OUTCOME_COLOURS
from ovop_desktop.ui.views import assessors as assessors_view
from ovop_desktop.ui.views import bundles as bundles_view
from ovop_desktop.ui.views import exchange as exchange_view
from ovop_desktop.ui.views.assessors import AssessorsView
from ovop_desktop.ui.views.bundles import BundlesView
from ovop_desktop.ui.views.identity import IdentityView

CPASS = "rahasia koordinator"
APASS = "rahasia penilai"
WAIT = 20_000


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity, "KDF_PARAMS", ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """No modal message box: errors, information and questions are recorded instead."""
    seen: dict[str, list[Any]] = {"errors": [], "infos": [], "questions": []}
    for module in (assessors_view, bundles_view, exchange_view, passphrase_dialog,
                   fingerprint_dialog, assign_dialog):
        if hasattr(module, "show_error"):
            monkeypatch.setattr(module, "show_error", lambda _p, e, *a: seen["errors"].append(e))
        if hasattr(module, "show_info"):
            monkeypatch.setattr(module, "show_info", lambda _p, _t, text: seen["infos"].append(
                text))
        if hasattr(module, "confirm"):
            monkeypatch.setattr(module, "confirm", lambda *a: seen["questions"].append(a) or True)
    return seen


# -- helpers ------------------------------------------------------------------------------


def make_key(ctx: AppContext, passphrase: str) -> PublicIdentity:
    profile = ctx.workspace.profile.get()
    assert profile is not None
    return create_identity(ctx.workspace.paths.keys, passphrase, profile.name,
                           profile.institution)


def enrol(ctx: AppContext, card: Path, fingerprint: str) -> Any:
    return ctx.workspace.assessors.enrol(card, fingerprint, "Budi (sekretariat)", "phone",
                                         [Commodity.KAIN_BATIK], "34")


def round_id(ctx: AppContext) -> int:
    current = ctx.workspace.current_round()
    assert current is not None
    return current.id


def enter_passphrase(qtbot, dialog: QWidget | None, text: str, wrong: bool = False) -> None:
    assert isinstance(dialog, PassphraseDialog) and dialog.isVisible()
    dialog.passphrase.setText(text)
    with qtbot.waitSignal(dialog.attempt_failed if wrong else dialog.unlocked, timeout=WAIT):
        dialog.ok_button.click()


def score_first_candidate(ctx: AppContext, levels: int = 2) -> None:
    ws = ctx.workspace
    first = ws.candidates.summaries(round_id(ctx))[0]
    for _aspect, criterion in default_rubric(first.commodity).criteria()[:levels]:
        ws.scoring.set_score(first.id, criterion.id, 3)


@dataclass
class Pair:
    """A coordinator and an assessor who have done enrolment and the first package."""

    assessor_id: int
    key: Any
    me: PublicIdentity


def exchange_by_services(ctx: AppContext, assessor_ctx: AppContext, tmp_path: Path) -> Pair:
    """The steps of /tmp/e2e.sh, through the services (the GUI steps have their own tests)."""
    coord_me = make_key(ctx, CPASS)
    me = make_key(assessor_ctx, APASS)
    card = tmp_path / "sri.card.json"
    write_card(card, me, "assessor", {})
    a = enrol(ctx, card, me.fingerprint)
    rid = round_id(ctx)
    ctx.workspace.assessors.assign(rid, a.id, [s.id for s in ctx.workspace.candidates.summaries(
        rid)[:3]])
    package = tmp_path / "paket-1.zip"
    ctx.workspace.packages.export(rid, a.id, package, unlock(ctx.workspace.paths.keys, CPASS),
                                  coord_me)
    info = assessor_ctx.workspace.packages.import_package(package, coord_me.fingerprint)
    assessor_ctx.workspace.update_settings(current_round_id=info.round_id)
    score_first_candidate(assessor_ctx)
    return Pair(a.id, unlock(assessor_ctx.workspace.paths.keys, APASS), me)


def export_bundles(assessor_ctx: AppContext, pair: Pair, folder: Path, count: int) -> list[Path]:
    ws = assessor_ctx.workspace
    paths = [folder / f"nilai-{i:04d}.zip" for i in range(1, count + 1)]
    for path in paths:
        export_bundle(ws.store, ws.scoring, ws.profile.actor(), path, pair.key, pair.me)
    return paths


def shoot(qtbot, ctx: AppContext, page: str, path: Path) -> None:
    """The page inside the main window at 1280×800, saved as a PNG (data loaded first)."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(ctx)
    window.resize(1280, 800)
    view = window.show_page(page)
    if hasattr(view, "loaded"):
        with qtbot.waitSignal(view.loaded, timeout=WAIT):
            pass
    with qtbot.waitSignal(window.first_painted):  # its single-shot must fire before teardown
        assert window.grab().save(str(path))


def grab(qtbot, dialog: QWidget, path: Path) -> None:
    qtbot.wait(20)  # let pending layout requests (a message that grew) take effect
    assert dialog.grab().save(str(path))


# -- enrolment ----------------------------------------------------------------------------


def test_enrol_needs_the_fingerprint_as_heard(qtbot, ctx: AppContext, assessor_ctx: AppContext,
                                              tmp_path: Path, shots: Path, qtmodeltester,
                                              boxes: dict[str, list[Any]]) -> None:
    me = make_key(assessor_ctx, APASS)
    card = tmp_path / "sri.card.json"
    write_card(card, me, "assessor", {})
    view = AssessorsView(ctx)
    qtbot.addWidget(view)
    view.enrol_from(card)
    dialog = view.dialog
    assert isinstance(dialog, EnrolDialog) and dialog.isVisible()
    assert dialog.fingerprint.text() == ""  # never pre-filled from the card
    assert dialog.findChild(QLabel, "cardName").text() == me.name
    assert not dialog.ok_button.isEnabled()
    wrong = me.fingerprint[:-4] + ("AAAA" if not me.fingerprint.endswith("AAAA") else "BBBB")
    dialog.fingerprint.setText(wrong)
    dialog.confirmed_by.setText("Budi (sekretariat)")
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    dialog.commodities[Commodity.KAIN_BATIK].setChecked(True)
    assert not dialog.ok_button.isEnabled()  # the province is still missing
    dialog.province.setCurrentIndex(dialog.province.findData("34"))
    assert dialog.ok_button.isEnabled()
    grab(qtbot, dialog, shots / "enrol-dialog.png")
    with qtbot.waitSignal(dialog.refused) as refused:
        dialog.ok_button.click()
    assert "does not match" in refused.args[0] or refused.args[0] == dialog.error.text()
    assert dialog.isVisible() and ctx.workspace.assessors.list() == []

    dialog.fingerprint.setText(me.fingerprint.lower().replace(" ", "-"))
    with qtbot.waitSignal(view.enrolled) as enrolled:
        dialog.ok_button.click()
    assert not dialog.isVisible()
    a = enrolled.args[0]
    assert a.key_id == me.key_id and a.channel == "phone" and a.province_code == "34"
    assert view.model.rowCount() == 1 and view.selected() == a
    qtmodeltester.check(view.model)
    assert not boxes["errors"]


def test_revoke_asks_through_which_bundle(qtbot, ctx: AppContext, assessor_ctx: AppContext,
                                          tmp_path: Path, boxes: dict[str, list[Any]]) -> None:
    me = make_key(assessor_ctx, APASS)
    card = tmp_path / "sri.card.json"
    write_card(card, me, "assessor", {})
    a = enrol(ctx, card, me.fingerprint)
    view = AssessorsView(ctx)
    qtbot.addWidget(view)
    assert view.select(a.id) and view.revoke_button.isEnabled()
    view.revoke_button.click()
    dialog = view.dialog
    assert isinstance(dialog, RevokeDialog) and dialog.through_seq() == 0
    dialog.through.setValue(2)
    with qtbot.waitSignal(view.revoked) as revoked:
        dialog.ok_button.click()
    assert boxes["questions"] and revoked.args[0].revoked_through_seq == 2
    assert ctx.workspace.assessors.get(a.id).revoked_through_seq == 2
    assert not view.revoke_button.isEnabled() and not view.package_button.isEnabled()


# -- the whole round trip through the GUI ---------------------------------------------------


def test_package_out_and_bundle_back(qtbot, ctx: AppContext, assessor_ctx: AppContext,
                                     tmp_path: Path, shots: Path, qtmodeltester,
                                     monkeypatch: pytest.MonkeyPatch,
                                     boxes: dict[str, list[Any]], english: None) -> None:
    coord_me = make_key(ctx, CPASS)
    me = make_key(assessor_ctx, APASS)
    card = tmp_path / "sri.card.json"
    write_card(card, me, "assessor", {})
    a = enrol(ctx, card, me.fingerprint)
    view = AssessorsView(ctx)
    qtbot.addWidget(view)
    assert view.select(a.id)

    # Assign three candidates.
    view.assign_button.click()
    dialog = view.dialog
    assert isinstance(dialog, AssignDialog)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        pass
    summaries = ctx.workspace.candidates.summaries(round_id(ctx))
    assert dialog.proxy.rowCount() == len(summaries)
    dialog.search.setText(summaries[0].name)
    assert 0 < dialog.proxy.rowCount() < len(summaries)
    dialog.search.clear()
    chosen = sorted(s.id for s in summaries[:3])
    for cid in chosen:
        dialog.set_checked(cid, True)
    grab(qtbot, dialog, shots / "assign-dialog.png")
    with qtbot.waitSignal(view.assigned) as assigned:
        dialog.save_button.click()
    assert assigned.args == [3, 0]
    assert ctx.workspace.assessors.assigned(round_id(ctx), a.id) == chosen

    # Export the package: a wrong passphrase first, then the right one.
    package = tmp_path / "paket-sri.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(package), "")))
    view.package_button.click()
    enter_passphrase(qtbot, view.dialog, "bukan ini sandinya", wrong=True)
    grab(qtbot, view.dialog, shots / "passphrase-wrong.png")
    with qtbot.waitSignal(view.package_exported, timeout=WAIT) as exported:
        enter_passphrase(qtbot, view.dialog, CPASS)
    assert exported.args[0].candidates == 3 and package.exists()
    assert "verified" in view.status.text() and boxes["infos"]

    # The assessor imports it, typing the coordinator's fingerprint (wrong, then right).
    page = IdentityView(assessor_ctx)
    qtbot.addWidget(page)
    panel = page.exchange
    assert panel is not None and not panel.export_button.isEnabled()
    panel.import_package(package)
    fp = panel.dialog
    assert isinstance(fp, CoordinatorFingerprintDialog) and fp.fingerprint.text() == ""
    fp.fingerprint.setText(coord_me.fingerprint[:-4] + "0000")
    with qtbot.waitSignal(fp.attempt_failed, timeout=WAIT) as failed:
        fp.ok_button.click()
    assert fp.isVisible() and assessor_ctx.workspace.packages.pinned() is None
    assert coord_me.fingerprint not in failed.args[0]  # never hands out the answer
    grab(qtbot, fp, shots / "coordinator-fingerprint-mismatch.png")
    fp.fingerprint.setText(coord_me.fingerprint.lower())
    with qtbot.waitSignal(panel.package_imported, timeout=WAIT) as imported:
        fp.ok_button.click()
    info = imported.args[0]
    assert info.candidates == 3 and assessor_ctx.workspace.current_round().id == info.round_id
    assert assessor_ctx.workspace.packages.pinned() == (coord_me.name, coord_me.fingerprint)
    assert " ".join(panel.pinned_fingerprint.text().split()) == coord_me.fingerprint
    assert panel.export_button.isEnabled()

    # Score, then export a bundle: the preview says what goes in.
    score_first_candidate(assessor_ctx)
    out = tmp_path / "usb" / "nilai-sri-1.zip"
    panel.export_button.click()  # the preview is read on a worker
    qtbot.waitUntil(lambda: isinstance(panel.dialog, BundleExportDialog), timeout=WAIT)
    preview = panel.dialog
    assert isinstance(preview, BundleExportDialog)
    assert preview.findChild(QLabel, "previewScores").text() == "2"
    assert preview.findChild(QLabel, "previewSeq").text() == "1"
    assert preview.findChild(QLabel, "previewRound").text() == info.round_name
    preview.destination.setText(str(out.with_suffix("")))  # the suffix is added
    grab(qtbot, preview, shots / "bundle-export-dialog.png")
    preview.ok_button.click()
    with qtbot.waitSignal(panel.bundle_exported, timeout=WAIT) as bundled:
        enter_passphrase(qtbot, panel.dialog, APASS)
    assert bundled.args[0].path == out and out.exists() and bundled.args[0].scores == 2
    assert "read back and verified" in panel.status.text() and str(out) in panel.status.text()
    shoot(qtbot, assessor_ctx, "identity", shots / "identity-assessor.png")

    # The coordinator imports it: accepted, then a duplicate.
    bundles = BundlesView(ctx)
    qtbot.addWidget(bundles)
    for expected in (Outcome.ACCEPTED, Outcome.DUPLICATE):
        with qtbot.waitSignal(bundles.import_finished, timeout=WAIT) as done:
            assert bundles.start_import([out])
        assert [o.status for o in done.args[0].outcomes] == [expected]
        model = bundles.report_model
        assert model.data(model.index(0, 1)) == expected.label
        background = model.data(model.index(0, 1), Qt.ItemDataRole.BackgroundRole)
        assert background.color().name() == OUTCOME_COLOURS[expected][0]
    with qtbot.waitSignal(bundles.loaded, timeout=WAIT):
        pass
    assert [b.status for b in bundles.received_model.rows()] == [Outcome.ACCEPTED]
    qtmodeltester.check(bundles.report_model)
    qtmodeltester.check(bundles.received_model)
    shoot(qtbot, ctx, "assessors", shots / "assessors.png")
    shoot(qtbot, ctx, "bundles", shots / "bundles.png")
    assert not boxes["errors"]


# -- import: folders, drag and drop, held bundles, cancel, responsiveness -----------------------


def test_dropped_folder_is_imported_and_a_held_bundle_decided(
        qtbot, ctx: AppContext, assessor_ctx: AppContext, tmp_path: Path, shots: Path,
        boxes: dict[str, list[Any]]) -> None:
    pair = exchange_by_services(ctx, assessor_ctx, tmp_path)
    first, _second, third = export_bundles(assessor_ctx, pair, tmp_path / "all", 3)
    ctx.workspace.bundles.import_file(first)
    dropped = tmp_path / "dropped"
    dropped.mkdir()
    third.rename(dropped / third.name)  # bundle 2 never arrives: a sequence gap
    view = BundlesView(ctx)
    qtbot.addWidget(view)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    enter = QDragEnterEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    view.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(view.import_finished, timeout=WAIT) as done:
        view.dropEvent(drop)
    assert [o.status for o in done.args[0].outcomes] == [Outcome.HELD]
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    held = next(b for b in view.received_model.rows() if b.status is Outcome.HELD)
    assert not view.decide_button.isEnabled()
    assert view.select(held.id) and view.decide_button.isEnabled()
    shoot(qtbot, ctx, "bundles", shots / "bundles-held.png")

    view.decide_button.click()
    dialog = view.dialog
    assert isinstance(dialog, DecisionDialog) and not dialog.ok_button.isEnabled()
    dialog.accept_radio.setChecked(True)
    assert not dialog.ok_button.isEnabled()  # a reason is required
    dialog.reason.setPlainText("Bundle 2 lost on a USB stick; confirmed by phone with Sri.")
    assert dialog.ok_button.isEnabled()
    grab(qtbot, dialog, shots / "decision-dialog.png")
    with qtbot.waitSignal(view.decided) as decided, qtbot.waitSignal(view.loaded, timeout=WAIT):
        dialog.ok_button.click()
    assert decided.args[0] is Outcome.ACCEPTED
    row = next(b for b in view.received_model.rows() if b.id == held.id)
    assert row.status is Outcome.ACCEPTED and row.decided_by
    assert not boxes["errors"]


def test_cancel_stops_between_files(qtbot, ctx: AppContext, assessor_ctx: AppContext,
                                    tmp_path: Path, boxes: dict[str, list[Any]]) -> None:
    pair = exchange_by_services(ctx, assessor_ctx, tmp_path)
    export_bundles(assessor_ctx, pair, tmp_path / "many", 25)
    view = BundlesView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.import_finished, timeout=WAIT) as done:
        view.start_import([tmp_path / "many"])
        assert not view.files_button.isEnabled() and view.progress_row.isVisibleTo(view)
        view.cancel_button.click()
    run = done.args[0]
    assert run.cancelled and run.total == 25 and len(run.outcomes) < 25
    assert all(o.status is Outcome.ACCEPTED for o in run.outcomes)
    assert len(ctx.workspace.bundles.list()) == len(run.outcomes)  # nothing half-way
    assert view.files_button.isEnabled() and not view.progress_row.isVisibleTo(view)
    assert view.report_section.isVisibleTo(view) and "25" in view.report_summary.text()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass


def test_event_loop_stays_responsive_while_200_bundles_import(
        qtbot, ctx: AppContext, assessor_ctx: AppContext, tmp_path: Path, shots: Path,
        monkeypatch: pytest.MonkeyPatch, boxes: dict[str, list[Any]]) -> None:
    pair = exchange_by_services(ctx, assessor_ctx, tmp_path)
    folder = tmp_path / "inbox"
    export_bundles(assessor_ctx, pair, folder, 200)
    view = BundlesView(ctx)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(folder)))
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    watchdog = QTimer()
    watchdog.setInterval(5)
    watchdog.timeout.connect(tick)
    # As in the app (app.py): Python's cyclic GC runs from a GUI-thread timer, so its
    # pauses land on the event loop and are part of what the watchdog measures.
    collector = GuiThreadCollector()
    started = time.perf_counter()
    watchdog.start()
    last[0] = time.perf_counter()
    try:
        with qtbot.waitSignal(view.import_finished, timeout=120_000) as done:
            view.folder_button.click()
        with qtbot.waitSignal(view.loaded, timeout=WAIT):  # and the list reload after it
            pass
    finally:
        watchdog.stop()
        collector.stop()
    elapsed = time.perf_counter() - started
    worst = max(gaps) * 1000
    print(f"\n200 bundles imported in {elapsed:.1f} s; {len(gaps)} ticks; "
          f"longest event-loop gap {worst:.1f} ms")
    run = done.args[0]
    assert run.total == 200 and not run.cancelled
    assert all(o.status is Outcome.ACCEPTED for o in run.outcomes)
    assert view.report_model.rowCount() == 200 and view.received_model.rowCount() == 200
    proxy = view.report_table.model()
    assert proxy.index(0, 0).data() == "nilai-0001.zip"  # in the order imported
    assert worst < 100, f"the event loop was blocked for {worst:.0f} ms"
    view.resize(1080, 760)
    assert view.grab().save(str(shots / "bundles-report.png"))


def test_export_dialog_says_an_interrupted_export_was_recorded(
        qtbot, ctx: AppContext, assessor_ctx: AppContext, tmp_path: Path, shots: Path,
        monkeypatch: pytest.MonkeyPatch, english: None) -> None:
    """Killed between the bundle reaching the stick and the commit: the next dialog records
    that bundle, proposes the next number and tells the assessor to hand that file in."""
    import contextlib

    from ovop_desktop.services import bundle_export as export_module

    pair = exchange_by_services(ctx, assessor_ctx, tmp_path)
    orphan = tmp_path / "usb" / "nilai-0001.zip"  # the name export_bundles gives

    class Killed(BaseException):
        pass

    def die(*_a: object, **_k: object) -> None:
        raise Killed

    with monkeypatch.context() as m:  # the state a kill leaves: no cleanup of ours runs
        m.setattr(export_module, "_unrecorded_removed", contextlib.contextmanager(
            lambda _out: (yield [])))
        m.setattr(export_module.audit, "append", die)
        with pytest.raises(Killed):
            export_bundles(assessor_ctx, pair, orphan.parent, 1)
    assert orphan.exists()

    page = IdentityView(assessor_ctx)
    qtbot.addWidget(page)
    panel = page.exchange
    assert panel is not None
    panel.export_button.click()
    qtbot.waitUntil(lambda: isinstance(panel.dialog, BundleExportDialog), timeout=WAIT)
    preview = panel.dialog
    assert isinstance(preview, BundleExportDialog)
    assert preview.findChild(QLabel, "previewSeq").text() == "2"
    hints = " ".join(label.text() for label in preview.findChildren(QLabel, "hint"))
    assert "bundle 1" in hints and str(orphan) in hints
    assert "-2.zip" in preview.destination.text()
    grab(qtbot, preview, shots / "bundle-export-recovered.png")
    preview.reject()
