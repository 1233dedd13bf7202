"""A damaged store at start: the app offers the newest good backup, and restoring it works."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from ovop_desktop import app as app_module
from ovop_desktop.errors import DamagedStoreError, UserFacingError
from ovop_desktop.i18n import _, set_language
from ovop_desktop.paths import ProfilePaths
from ovop_desktop.services.backups import BackupInfo
from ovop_desktop.services.demo import build_demo
from ovop_desktop.services.maintenance import recent_audit
from ovop_desktop.services.workspace import Workspace
from ovop_desktop.ui.dialogs.restore_backup import RestoreBackupDialog

pytestmark = pytest.mark.usefixtures("english")


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _damaged_profile(folder: Path, *, with_backup: bool = True) -> tuple[ProfilePaths, int]:
    """A demo profile with an automatic backup, then three pages in the middle overwritten."""
    paths = ProfilePaths(folder)
    with Workspace.open(folder) as ws:
        build_demo(ws)
        if with_backup:
            ws.backups.create("import")
    candidates = _count(paths.database, "candidate")
    data = bytearray(paths.database.read_bytes())
    mid = (len(data) // 2) // 4096 * 4096
    data[mid:mid + 3 * 4096] = b"\xa5" * (3 * 4096)
    paths.database.write_bytes(bytes(data))
    conn = sqlite3.connect(f"file:{paths.database}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        pass  # also damaged, as far as the test cares
    finally:
        conn.close()
    return paths, candidates


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "show_error", lambda _p, exc, *a: shown.append(exc))
    return shown


class DialogSpy:
    """What the restore dialog said (one dict per showing); it answers with `answer`."""

    def __init__(self) -> None:
        self.answer = "restore"
        self.seen: list[dict[str, str]] = []

    def exec(self, dialog: RestoreBackupDialog) -> int:
        self.seen.append({label.objectName(): label.text()
                          for label in dialog.findChildren(QLabel)}
                         | {"restore": dialog.restore_button.text(),
                            "close": dialog.close_button.text(), "title": dialog.windowTitle()})
        (dialog.restore_button if self.answer == "restore" else dialog.close_button).click()
        return dialog.result()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> DialogSpy:
    found = DialogSpy()
    monkeypatch.setattr(RestoreBackupDialog, "exec", lambda dialog: found.exec(dialog))
    return found


def test_damaged_store_offers_the_newest_backup_and_restoring_brings_the_data_back(
        qtbot, tmp_path: Path, spy: DialogSpy, errors: list[BaseException]) -> None:
    paths, candidates = _damaged_profile(tmp_path / "profile")
    damaged = paths.database.read_bytes()
    application = app_module.Application(paths.root, language="en")
    try:
        with qtbot.waitSignal(application.ready, timeout=30_000):
            assert application.start()
        (said,) = spy.seen
        assert said["title"] == "The database is damaged"
        assert str(paths.database) in said["headline"]
        assert "before a bundle import" in said["offer"]
        assert (said["restore"], said["close"]) == ("Restore this backup", "Close")
        assert errors == []
        ws = application.workspace
        assert ws is not None
        round_ = ws.current_round()
        assert round_ is not None and len(ws.candidates.summaries(round_.id)) > 0
        assert _count(paths.database, "candidate") == candidates
        (aside,) = paths.root.glob("ovop-damaged-*.sqlite3")
        assert aside.read_bytes() == damaged  # kept, byte for byte
        assert recent_audit(ws.store, 1)[0].action == "store.restore"
    finally:
        application.shutdown()


def test_close_quits_and_leaves_the_damaged_file_alone(
        qtbot, tmp_path: Path, spy: DialogSpy, errors: list[BaseException]) -> None:
    paths, _candidates = _damaged_profile(tmp_path / "profile")
    damaged = paths.database.read_bytes()
    spy.answer = "close"
    application = app_module.Application(paths.root, language="en")
    with qtbot.waitSignal(application.gave_up, timeout=30_000) as gave_up:
        assert application.start()
    application.shutdown()
    assert len(spy.seen) == 1 and errors == []  # the dialog said it all; no second message
    assert isinstance(gave_up.args[0], DamagedStoreError)
    assert paths.database.read_bytes() == damaged
    assert not list(paths.root.glob("ovop-damaged-*"))


def test_without_a_good_backup_the_damage_is_reported(
        qtbot, tmp_path: Path, spy: DialogSpy, errors: list[BaseException]) -> None:
    paths, _candidates = _damaged_profile(tmp_path / "profile", with_backup=False)
    application = app_module.Application(paths.root, language="en")
    with qtbot.waitSignal(application.gave_up, timeout=30_000):
        assert application.start()
    application.shutdown()
    assert spy.seen == []
    assert isinstance(errors[-1], UserFacingError) and "damaged" in str(errors[-1])


def test_the_dialog_speaks_indonesian_by_default(qtbot, tmp_path: Path) -> None:
    set_language("id")
    info = BackupInfo(tmp_path / "ovop-20240901-080000-import.sqlite3",
                      datetime(2024, 9, 1, 8, tzinfo=UTC), "import", 1000, True, 6)
    dialog = RestoreBackupDialog(DamagedStoreError("rusak", tmp_path / "ovop.sqlite3"), info)
    qtbot.addWidget(dialog)
    assert dialog.restore_button.text() == _("Restore this backup")
    assert dialog.close_button.text() == _("Close") == "Tutup"
    assert "2024" in dialog.findChild(QLabel, "offer").text()
    dialog.close_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
