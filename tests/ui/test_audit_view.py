"""Log audit: the newest entries, and the verify button naming the first broken entry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.models.exchange_models import OUTCOME_COLOURS
from ovop_desktop.ui.views.audit_log import AuditLogView

WAIT = 20_000


def open_view(qtbot, ctx: AppContext) -> AuditLogView:
    view = AuditLogView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        pass
    return view


def test_entries_newest_first_and_verify_intact(qtbot, ctx: AppContext, qtmodeltester) -> None:
    view = open_view(qtbot, ctx)
    qtmodeltester.check(view.model)
    count = view.model.rowCount()
    assert count > 0
    seqs = [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]
    assert seqs[0] == str(count) and seqs[-1] == "1"  # newest on top
    with qtbot.waitSignal(view.verified, timeout=WAIT) as verified:
        view.verify_button.click()
        assert not view.verify_button.isEnabled()  # the walk runs on a pool thread
    assert verified.args == [True] and view.broken_at is None
    assert f" {count} " in view.result.text() and "1b7a3d" in view.result.styleSheet()
    assert view.verify_button.isEnabled()


def test_tampered_entry_shows_where_the_chain_breaks(qtbot, ctx: AppContext,
                                                     shots: Path) -> None:
    with sqlite3.connect(ctx.workspace.paths.database) as conn:
        conn.execute("UPDATE audit_log SET details = '{\"name\": \"someone else\"}' "
                     "WHERE seq = 3")
    view = open_view(qtbot, ctx)
    with qtbot.waitSignal(view.verified, timeout=WAIT) as verified:
        view.verify_button.click()
    assert verified.args == [False] and view.broken_at == 3
    assert "3" in view.result.text() and "b3261e" in view.result.styleSheet()
    rows = {e.seq: r for r, e in enumerate(view.model.rows())}
    bad = view.model.data(view.model.index(rows[3], 0), Qt.ItemDataRole.BackgroundRole)
    good = view.model.data(view.model.index(rows[2], 0), Qt.ItemDataRole.BackgroundRole)
    assert bad.color().name() == OUTCOME_COLOURS[Outcome.REJECTED][0] and good is None

    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(ctx)
    window.resize(1280, 800)
    page = window.show_page("audit")
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        pass
    with qtbot.waitSignal(page.verified, timeout=WAIT):
        page.verify_button.click()
    with qtbot.waitSignal(window.first_painted):
        assert window.grab().save(str(shots / "audit-broken.png"))


def test_assessor_sees_the_audit_log(qtbot, assessor_ctx: AppContext) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(assessor_ctx)
    keys = [p.key for p in window.pages]
    assert "audit" in keys and "identity" in keys
    assert "assessors" not in keys and "bundles" not in keys
