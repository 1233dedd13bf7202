"""Before a score bundle is signed: what goes in, and where the file is written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.i18n import _
from ovop_desktop.services import identity
from ovop_desktop.services.bundle_export import Recovered, last_export_seq, settle_interrupted
from ovop_desktop.services.scoring import FINISHED
from ovop_desktop.ui.context import AppContext

if TYPE_CHECKING:  # the workspace's services pull in SQLAlchemy; the type is enough here
    from ovop_desktop.services.workspace import Workspace

BUNDLE_FILTER = "{bundles} (*.zip);;{all} (*)"


@dataclass(frozen=True)
class BundlePreview:
    round_name: str
    seq: int
    sheets: int
    finished: int
    scores: int
    recovered: Recovered | None = None  # a bundle an interrupted export had left


def bundle_preview(ws: Workspace) -> BundlePreview | None:
    """What the next bundle will carry: the snapshot of the current round, after settling an
    export a crash interrupted (its number may be taken; that reads its file back from the
    medium, so this runs on a worker)."""
    current = ws.current_round()
    if current is None:
        return None
    me = identity.load_public(ws.paths.keys)
    recovered = settle_interrupted(ws.store, ws.profile.actor(), me) if me else None
    sheets = ws.scoring.snapshot(current.id)
    return BundlePreview(current.name, last_export_seq(ws.store) + 1, len(sheets),
                         sum(s.status == FINISHED for s in sheets),
                         sum(len(s.scores) for s in sheets), recovered)


def default_bundle_name(name: str, seq: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "assessor"
    return f"ovop-scores-{slug}-{seq}.zip"


class BundleExportDialog(QDialog):
    """Shows the round, the number of sheets and scores and the bundle number; asks where."""

    def __init__(self, ctx: AppContext, preview: BundlePreview, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(_("Export score bundle"))
        self.setMinimumWidth(680)
        profile = ctx.workspace.profile.get()
        intro = QLabel(_("The bundle carries all your current scores for the round (not only "
                         "the new ones), signed with your key. Send it to the coordinator on a "
                         "USB stick or by e-mail; exporting again later is always safe."))
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Round:"), QLabel(preview.round_name, objectName="previewRound"))
        form.addRow(_("Score sheets:"), QLabel(
            _("{n} ({finished} finished)").format(n=preview.sheets, finished=preview.finished),
            objectName="previewSheets"))
        form.addRow(_("Scores:"), QLabel(str(preview.scores), objectName="previewScores"))
        form.addRow(_("Bundle number:"), QLabel(str(preview.seq), objectName="previewSeq"))
        if preview.recovered is not None:
            recovered = QLabel(_(
                "An export interrupted earlier (the laptop was switched off or the program "
                "closed) had finished writing bundle {seq} to {path}. It is now on record as "
                "sent: hand that file to the coordinator too.").format(
                seq=preview.recovered.seq, path=preview.recovered.path), objectName="hint")
            recovered.setWordWrap(True)
            form.addRow("", recovered)
        if preview.sheets == 0:
            empty = QLabel(_("Nothing is scored yet. An empty bundle still tells the "
                             "coordinator that this laptop is set up."), objectName="hint")
            empty.setWordWrap(True)
            form.addRow("", empty)
        self.destination = QLineEdit(objectName="bundleDestination")
        self.destination.setText(str(Path.home() / default_bundle_name(
            profile.name if profile else "", preview.seq)))
        self.destination.textChanged.connect(self._on_destination_textChanged)
        browse = QPushButton(_("Choose…"), objectName="chooseDestinationButton")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.destination, 1)
        row.addWidget(browse)
        form.addRow(_("Save to:"), row)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(_("Sign and save…"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("signButton")
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def path(self) -> Path:
        result = Path(self.destination.text().strip()).expanduser()
        return result if result.suffix.lower() == ".zip" else result.with_name(
            result.name + ".zip")

    def _on_destination_textChanged(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))

    def _on_browse_clicked(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Save the score bundle"), self.destination.text(),
            BUNDLE_FILTER.format(bundles=_("Score bundles"), all=_("All files")))
        if path:
            self.destination.setText(path)
