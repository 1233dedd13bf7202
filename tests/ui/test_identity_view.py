"""Kunci & identitas: creating the key on a worker, the big fingerprint, the card, passphrases."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from ovop_desktop.services import identity
from ovop_desktop.services.identity import ScryptParams, create_identity, load_public, read_card
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs import passphrase as passphrase_module
from ovop_desktop.ui.dialogs.passphrase import PassphraseDialog
from ovop_desktop.ui.main_window import MainWindow
from ovop_desktop.ui.views.identity import IdentityView, fingerprint_lines, passphrase_hint

PASS = "kuda lari cepat sekali"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity, "KDF_PARAMS", ScryptParams(n=2**10, r=8, p=1))


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    seen: list[BaseException] = []
    monkeypatch.setattr(passphrase_module, "show_error", lambda _p, exc, *a: seen.append(exc))
    return seen


def shoot(qtbot, ctx: AppContext, page: str, path: Path) -> None:
    """The page inside the main window at 1280×800, saved as a PNG."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(ctx)
    window.resize(1280, 800)
    window.show_page(page)
    with qtbot.waitSignal(window.first_painted):  # let its single-shot fire before teardown
        assert window.grab().save(str(path))


def test_passphrase_hint_grows_with_length_and_variety() -> None:
    assert passphrase_hint("short")[0] == 0
    assert passphrase_hint("abcdefgh")[0] == 1
    assert passphrase_hint("abcdefghijklmnop")[0] == 2
    assert passphrase_hint("Kuda-lari cepat 2024!")[0] == 3


def test_create_the_key_then_show_the_fingerprint_large(qtbot, ctx: AppContext, shots: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    view = IdentityView(ctx)
    qtbot.addWidget(view)
    assert view.stack.currentIndex() == 0 and view.exchange is None  # coordinator: no panel
    assert not view.create_button.isEnabled()
    view.passphrase.setText("pendek")
    assert not view.create_button.isEnabled()
    view.passphrase.setText(PASS)
    view.repeat.setText(PASS + "x")
    assert not view.create_button.isEnabled() and view.match.text()
    view.repeat.setText(PASS)
    assert view.create_button.isEnabled()
    with qtbot.waitSignal(view.identity_created, timeout=10_000) as created:
        view.create_button.click()
        assert not view.create_button.isEnabled()  # scrypt runs on a pool thread
    me = load_public(ctx.workspace.paths.keys)
    assert me is not None and created.args[0].key_id == me.key_id
    assert view.stack.currentIndex() == 1
    lines = view.fingerprint.text().split("\n")
    assert len(lines) == 4 and all(len(line.split()) == 4 for line in lines)
    assert " ".join(lines) == me.fingerprint
    assert view.fingerprint.font().pixelSize() == 28
    assert view.fingerprint.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert not view.passphrase.text()  # not kept in the widget

    card_path = tmp_path / "koordinator.card.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(card_path), "")))
    with qtbot.waitSignal(view.card_saved):
        view.card_button.click()
    card = read_card(card_path)
    assert card.key_id == me.key_id and card.role == "coordinator"

    shoot(qtbot, ctx, "identity", shots / "identity-coordinator.png")


def test_create_refuses_a_second_key(qtbot, ctx: AppContext) -> None:
    create_identity(ctx.workspace.paths.keys, PASS, "Someone", "")
    view = IdentityView(ctx)
    qtbot.addWidget(view)
    assert view.stack.currentIndex() == 1  # an existing key is shown, never replaced


def test_fingerprint_lines_are_four_by_four() -> None:
    fp = " ".join(["ABCD"] * 16)
    assert fingerprint_lines(fp) == "\n".join(["ABCD ABCD ABCD ABCD"] * 4)


def test_wrong_passphrase_keeps_the_dialog_open(qtbot, ctx: AppContext,
                                                errors: list[BaseException]) -> None:
    create_identity(ctx.workspace.paths.keys, PASS, "Koordinator", "Kemenperin")
    dialog = PassphraseDialog(ctx, "Unlock to test.")
    qtbot.addWidget(dialog)
    dialog.open()
    assert not dialog.ok_button.isEnabled()
    dialog.passphrase.setText("salah sekali")
    with qtbot.waitSignal(dialog.attempt_failed, timeout=10_000) as failed:
        dialog.ok_button.click()
    assert dialog.isVisible() and dialog.key is None
    assert failed.args[0] == dialog.status.text() and "b3261e" in dialog.status.styleSheet()
    dialog.passphrase.setText(PASS)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as unlocked:
        dialog.ok_button.click()
    assert not dialog.isVisible() and unlocked.args[0] is dialog.key
    assert not errors


def test_assessor_page_shows_the_exchange_panel(qtbot, assessor_ctx: AppContext,
                                                shots: Path) -> None:
    view = IdentityView(assessor_ctx)
    qtbot.addWidget(view)
    assert view.exchange is not None
    assert view.exchange.import_button.isEnabled()
    assert not view.exchange.export_button.isEnabled()  # no key, no package yet
    assert view.exchange.pinned_fingerprint.isHidden()
    view.resize(1280, 800)
    view.grab().save(str(shots / "identity-assessor-new.png"))
