"""Kunci & identitas: create this laptop's key, show its fingerprint large, save the key card."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _
from ovop_desktop.services.identity import (
    MIN_PASSPHRASE_CHARS,
    PublicIdentity,
    create_identity,
    load_public,
    write_card,
)
from ovop_desktop.ui import printing
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.workers import ServiceTask

HINT_COLOURS = ("#b3261e", "#b3261e", "#7a5c00", "#1b7a3d")


def passphrase_hint(text: str) -> tuple[int, str]:
    """(0–3, advice): 0 too short, 1 weak, 2 fair, 3 strong — a hint, not a rule."""
    if len(text) < MIN_PASSPHRASE_CHARS:
        return 0, _("At least {n} characters ({count} so far).").format(
            n=MIN_PASSPHRASE_CHARS, count=len(text))
    kinds = sum(bool(re.search(p, text)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^\w\s]", r"\s"))
    score = 1 + (len(text) >= 14) + (len(text) >= 20 or kinds >= 3)
    return score, (_("Weak: several unrelated words are easier to remember and harder to guess."),
                   _("Fair: a few more words would make it stronger."),
                   _("Strong."))[score - 1]


def fingerprint_lines(fingerprint: str) -> str:
    """The 16 groups as 4 lines of 4, the way it is read aloud."""
    groups = fingerprint.split()
    return "\n".join(" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4))


def big_fingerprint_label(name: str, pixel_size: int = 28) -> QLabel:
    label = QLabel(objectName=name)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPixelSize(pixel_size)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("padding: 10px 16px; background: #f3f7f5; border: 1px solid #c9dcd3;"
                        "border-radius: 6px; color: #16382b;")
    return label


class IdentityView(QWidget):
    """identity_created(PublicIdentity) · card_saved(path) · failed(exception)."""

    identity_created = Signal(object)
    card_saved = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.identity: PublicIdentity | None = None
        self.creating = False
        title = QLabel(_("Keys and identity"), objectName="viewTitle")
        self.stack = QStackedWidget(objectName="identityStack")
        self.stack.addWidget(self._build_create())
        self.stack.addWidget(self._build_show())
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.stack)
        self.exchange = None
        if not ctx.is_coordinator:
            from ovop_desktop.ui.views.exchange import AssessorExchangePanel

            self.exchange = AssessorExchangePanel(ctx, self)
            inner.addWidget(self.exchange)
        inner.addStretch(1)
        scroll = QScrollArea(objectName="identityScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(scroll, 1)
        self.refresh()

    # -- building ----------------------------------------------------------------------

    def _build_create(self) -> QWidget:
        intro = QLabel(_(
            "This laptop needs its own key to sign what it sends: assignment packages from the "
            "coordinator, score bundles from assessors. The key is protected by a passphrase. "
            "Choose one you can remember: it cannot be recovered, and without it nothing can be "
            "signed."), objectName="createIntro")
        intro.setWordWrap(True)
        self.owner = QLabel(objectName="keyOwner")
        self.passphrase = QLineEdit(objectName="newPassphrase")
        self.repeat = QLineEdit(objectName="repeatPassphrase")
        for edit in (self.passphrase, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaximumWidth(420)
            edit.textChanged.connect(self._on_passphrase_textChanged)
        self.passphrase.setPlaceholderText(_("At least {n} characters; several words are best")
                                           .format(n=MIN_PASSPHRASE_CHARS))
        self.strength = QLabel(objectName="strengthHint")
        self.match = QLabel(objectName="matchHint")
        self.create_button = QPushButton(_("Create the key"), objectName="createKeyButton")
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.create_status = QLabel(objectName="createStatus")
        self.create_status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Key owner:"), self.owner)
        form.addRow(_("Passphrase:"), self.passphrase)
        form.addRow("", self.strength)
        form.addRow(_("Repeat it:"), self.repeat)
        form.addRow("", self.match)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.create_status)
        self._on_passphrase_textChanged()
        return widget

    def _build_show(self) -> QWidget:
        self.who = QLabel(objectName="identityOwner")
        self.who.setStyleSheet("font-size: 15px; font-weight: 600;")
        caption = QLabel(_("Fingerprint of this laptop's key"), objectName="sectionTitle")
        self.fingerprint = big_fingerprint_label("fingerprintLabel")
        hint = QLabel(_("When the other side enrols your key or checks it, read these 16 groups "
                        "aloud by phone or in person. They must match exactly what they see."),
                      objectName="hint")
        hint.setWordWrap(True)
        self.created = QLabel(objectName="hint")
        self.card_button = QPushButton(_("Save public-key card…"), objectName="saveCardButton")
        self.card_button.setToolTip(_("The card file carries your name and public key; send it "
                                      "to the coordinator. It contains nothing secret."))
        self.card_button.clicked.connect(self._on_card_button_clicked)
        self.print_card_button = QPushButton(_("Print public-key card…"),
                                             objectName="printCardButton")
        self.print_card_button.setToolTip(_("A printed card with your name, the fingerprint "
                                            "and its QR code, to hand over for enrolment."))
        self.print_card_button.clicked.connect(lambda: self.print_card())
        self.copy_button = QPushButton(_("Copy fingerprint"), objectName="copyFingerprintButton")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.show_status = QLabel(objectName="identityStatus")
        self.show_status.setWordWrap(True)
        self.show_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.card_button)
        buttons.addWidget(self.print_card_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who)
        layout.addSpacing(6)
        layout.addWidget(caption)
        layout.addWidget(self.fingerprint, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(hint)
        layout.addWidget(self.created)
        layout.addLayout(buttons)
        layout.addWidget(self.show_status)
        return widget

    # -- state -------------------------------------------------------------------------

    def refresh(self) -> None:
        profile = self._ctx.workspace.profile.get()
        self.owner.setText(f"{profile.name} — {profile.institution}" if profile else "")
        try:
            self.identity = load_public(self._ctx.workspace.paths.keys)
        except UserFacingError as exc:  # a damaged key file: say so, never offer to overwrite
            self.identity = None
            self._show_page(1)
            self.who.setText("")
            self.fingerprint.setText("—")
            self.show_status.setStyleSheet("color: #b3261e;")
            self.show_status.setText(exc.message)
            self.card_button.setEnabled(False)
            self.print_card_button.setEnabled(False)
            self.copy_button.setEnabled(False)
            return
        self._show_page(0 if self.identity is None else 1)
        if self.identity is not None:
            me = self.identity
            self.who.setText(f"{me.name} — {me.institution}" if me.institution else me.name)
            self.fingerprint.setText(fingerprint_lines(me.fingerprint))
            self.created.setText(_("Key created {when}.").format(
                when=me.created_at.replace("T", " ")[:16]))
            self.card_button.setEnabled(True)
            self.print_card_button.setEnabled(True)
            self.copy_button.setEnabled(True)
        if self.exchange is not None:
            self.exchange.refresh(self.identity)

    def _show_page(self, index: int) -> None:
        """Only the current page counts for the height, so nothing leaves a gap below it."""
        for i in range(self.stack.count()):
            self.stack.widget(i).setSizePolicy(
                QSizePolicy.Policy.Preferred,
                QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored)
        self.stack.setCurrentIndex(index)
        self.stack.adjustSize()

    def _on_passphrase_textChanged(self, *_args: object) -> None:
        level, advice = passphrase_hint(self.passphrase.text())
        self.strength.setText(advice)
        typed = bool(self.passphrase.text())
        self.strength.setStyleSheet(f"color: {HINT_COLOURS[level] if typed else '#666'};")
        same = self.passphrase.text() == self.repeat.text()
        self.match.setText("" if same or not self.repeat.text()
                           else _("The two passphrases differ."))
        self.match.setStyleSheet("color: #b3261e;")
        self.create_button.setEnabled(level > 0 and same and not self.creating)

    # -- actions -----------------------------------------------------------------------

    def _on_create_button_clicked(self) -> None:
        profile = self._ctx.workspace.profile.get()
        if profile is None or self.creating:
            return
        self.creating = True
        self._on_passphrase_textChanged()
        self.create_status.setStyleSheet("")
        self.create_status.setText(_("Creating the key…"))
        task = ServiceTask(create_identity, keys_dir=self._ctx.workspace.paths.keys,
                           passphrase=self.passphrase.text(), name=profile.name,
                           institution=profile.institution)
        self._ctx.tasks.start(task, self._on_create_finished, self._on_create_failed)

    def _on_create_finished(self, identity: PublicIdentity) -> None:
        self.creating = False
        self.passphrase.clear()
        self.repeat.clear()
        self.create_status.setText("")
        self.refresh()
        self.show_status.setStyleSheet("color: #1b7a3d;")
        self.show_status.setText(_("The key was created. Save the public-key card and read the "
                                   "fingerprint to the other side."))
        self.identity_created.emit(identity)

    def _on_create_failed(self, exc: Exception) -> None:
        self.creating = False
        self._on_passphrase_textChanged()
        self.create_status.setStyleSheet("color: #b3261e;")
        self.create_status.setText(str(exc) if isinstance(exc, UserFacingError) else "")
        if not isinstance(exc, UserFacingError):
            show_error(self, exc)
        self.failed.emit(exc)

    def _on_card_button_clicked(self) -> None:
        me = self.identity
        if me is None:
            return
        slug = re.sub(r"[^a-z0-9]+", "-", me.name.lower()).strip("-") or "key"
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Save the public-key card"), str(Path.home() / f"{slug}.card.json"),
            _("Key cards (*.card.json *.json)"))
        if not path:
            return
        profile = self._ctx.workspace.profile.get()
        role = profile.role.value if profile else "assessor"
        try:
            write_card(Path(path), me, role, {})
        except OSError as exc:
            show_error(self, UserFacingError(_("The card could not be written to {path} "
                                               "({reason}).").format(path=path,
                                                                     reason=exc.strerror or exc)))
            return
        self.show_status.setStyleSheet("color: #1b7a3d;")
        self.show_status.setText(_("Card saved to {path}. Send it, then confirm the fingerprint "
                                   "by phone or in person.").format(path=path))
        self.card_saved.emit(Path(path))

    def print_card(self) -> QWidget | None:
        """Preview the printable key card (made on a worker from the key on disk)."""
        if self.identity is None:
            return None
        return printing.open_preview(self, self._ctx, _("Public-key card"),
                                     printing.key_card(self._ctx.workspace),
                                     printing.file_name("key-card", self.identity.name))

    def _on_copy_button_clicked(self) -> None:
        if self.identity is not None:
            QGuiApplication.clipboard().setText(self.identity.fingerprint)
