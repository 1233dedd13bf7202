"""Evidence photos on the scoring sheet: thumbnail strips, adding by dialog or drop, large view.

Opening a sheet never decodes a photo on the GUI thread: the strips get fixed-size
placeholders at once and the small display copies are decoded on a pool thread.
The original is read only when the large view opens, scaled while decoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDropEvent, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.i18n import _, ngettext
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.views.scoring_panels import PhotoDialog
from ovop_desktop.ui.views.scoring_widgets import FlowLayout, repolish
from ovop_desktop.ui.workers import ServiceTask

if TYPE_CHECKING:
    from ovop_desktop.services.evidence import Photo
    from ovop_desktop.services.workspace import Workspace

THUMB = QSize(96, 72)
VISIT = ""  # the criterion id of a photo of the visit as a whole
IMAGE_FILTER = "{images} (*.jpg *.jpeg *.png *.JPG *.JPEG *.PNG);;{all} (*)"

PHOTO_STYLE = """
QToolButton#photoThumb { border: 1px solid #c4c4c4; border-radius: 4px; background: #ececec;
                         padding: 1px; }
QToolButton#photoThumb:hover { border-color: #2f7a5f; }
QFrame#photoStrip[dropping="true"], QFrame#criterionRow[dropping="true"],
QFrame#visitSection[dropping="true"] { border: 2px dashed #2f7a5f; background: #eef7f2; }
QFrame#visitSection { border: 1px solid #d8d8d8; border-radius: 6px; background: #fafafa; }
QLabel#photoBusy { color: #7a5c00; }
"""


# -- running on a pool thread ---------------------------------------------------------------

def add_photos(ws: Workspace, candidate_id: int, criterion_id: str,
               paths: Sequence[Path]) -> tuple[list[Photo], list[str]]:
    """Check and store each photo; (stored, messages for those refused)."""
    stored, refused = [], []
    for path in paths:
        try:
            if criterion_id:
                ws.scoring.check_criterion(candidate_id, criterion_id)
            stored.append(ws.evidence.add(candidate_id, Path(path), criterion_id))
        except UserFacingError as exc:
            refused.append(str(exc))
    return stored, refused


def decode_thumbnails(paths: Sequence[str], box: QSize) -> dict[str, QImage]:
    """The display copies, decoded straight to thumbnail size (QImage is thread-safe)."""
    out = {}
    for path in paths:
        reader = QImageReader(path)
        if reader.size().isValid():
            reader.setScaledSize(reader.size().scaled(box, Qt.AspectRatioMode.KeepAspectRatio))
        out[path] = reader.read()  # a null image if the copy is missing or damaged
    return out


# -- the drop target and the strip ---------------------------------------------------------

def dropped_files(event: QDropEvent) -> list[Path]:
    data = event.mimeData()
    if data is None or not data.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]


class Thumbnail(QToolButton):
    def __init__(self, photo: Photo, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="photoThumb")
        self.photo = photo
        self.setIconSize(THUMB)
        self.setFixedSize(THUMB + QSize(6, 6))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(_("{name} — click to view").format(name=photo.file_name))
        self.setAccessibleName(photo.file_name)

    def set_pixmap(self, pixmap: QPixmap) -> None:
        if pixmap.isNull():
            self.setText("?")
        else:
            self.setIcon(pixmap)

    def has_image(self) -> bool:
        return not self.icon().isNull()


class PhotoStrip(QFrame):
    """The thumbnails of one criterion (or of the visit) and the button that adds photos.
    add_requested(criterion id) · dropped(criterion id, paths) · opened(photo)"""

    add_requested = Signal(str)
    dropped = Signal(str, list)
    opened = Signal(object)

    def __init__(self, criterion_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="photoStrip")
        self.criterion_id = criterion_id
        self.read_only = False
        self.busy = False
        self.thumbs: list[Thumbnail] = []
        self._targets: dict[QObject, QWidget] = {}
        visit = criterion_id == VISIT
        self.add_button = QPushButton(_("Add visit photos…") if visit else _("Photo…"),
                                      self, objectName="addPhotoButton")
        self.add_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogOpenButton))
        self.add_button.setToolTip(_("Add evidence photos (JPEG or PNG) from a file, or drop "
                                     "them here") if visit else
                                   _("Add evidence photos for this criterion (or press P, or "
                                     "drop image files on the criterion)"))
        if not visit:  # the criterion row takes the keyboard; P adds a photo there
            self.add_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.criterion_id))
        self.busy_label = QLabel(objectName="photoBusy")
        self.empty = QLabel(_("No photos of the visit yet: drop image files here."),
                            objectName="hint") if visit else None
        self.flow = FlowLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.busy_label)
        if self.empty is not None:
            layout.addWidget(self.empty)
        layout.addLayout(self.flow)
        self.busy_label.hide()
        self._update_visibility()

    def watch(self, widget: QWidget, highlight: QWidget | None = None) -> None:
        """Let image files be dropped onto widget (a criterion row, its note, the strip);
        highlight is the frame shown as the drop target."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)
        self._targets[widget] = highlight or widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)
            if not dropped_files(event):
                return False  # text for a note, say: the widget's own business
            if self.read_only or self.busy:
                event.ignore()
                return True
            event.acceptProposedAction()
            self._highlight(watched, kind != QEvent.Type.Drop)
            if kind == QEvent.Type.Drop:
                self.dropped.emit(self.criterion_id, dropped_files(event))
            return True
        if kind == QEvent.Type.DragLeave:
            self._highlight(watched, False)
        return super().eventFilter(watched, event)

    def _highlight(self, watched: QObject, on: bool) -> None:
        target = self._targets.get(watched)
        if target is not None and bool(target.property("dropping")) != on:
            target.setProperty("dropping", on)
            repolish(target)

    def set_photos(self, photos: Sequence[Photo], pixmaps: dict[str, QPixmap]) -> None:
        if [t.photo for t in self.thumbs] != list(photos):
            for thumb in self.thumbs:
                self.flow.removeWidget(thumb)
                thumb.deleteLater()
            self.thumbs = []
            for photo in photos:
                thumb = Thumbnail(photo, self)
                thumb.clicked.connect(lambda _c=False, p=photo: self.opened.emit(p))
                self.flow.addWidget(thumb)
                self.thumbs.append(thumb)
        self.show_pixmaps(pixmaps)
        self._update_visibility()

    def show_pixmaps(self, pixmaps: dict[str, QPixmap]) -> None:
        for thumb in self.thumbs:
            pixmap = pixmaps.get(str(thumb.photo.display))
            if pixmap is not None and not thumb.has_image():
                thumb.set_pixmap(pixmap)

    def set_busy(self, text: str | None) -> None:
        self.busy = text is not None
        self.busy_label.setText(text or "")
        self.add_button.setEnabled(not self.busy)
        self._update_visibility()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.add_button.setVisible(not read_only)
        if self.empty is not None:
            self.empty.setText(_("No photos of the visit.") if read_only else
                               _("No photos of the visit yet: drop image files here."))

    def _update_visibility(self) -> None:
        self.busy_label.setVisible(self.busy)
        if self.empty is not None:
            self.empty.setVisible(not self.thumbs)
        else:
            self.setVisible(bool(self.thumbs) or self.busy)


# -- the sheet's photos ---------------------------------------------------------------------

class SheetPhotos(QObject):
    """Keeps the strips of one sheet in step with the store. stored() — photos added or removed."""

    stored = Signal()

    def __init__(self, ctx: AppContext, sheet: QWidget) -> None:
        super().__init__(sheet)
        self._ctx = ctx
        self._sheet = sheet
        self.candidate_id: int | None = None
        self.read_only = False
        self.strips: dict[str, PhotoStrip] = {}
        self.pixmaps: dict[str, QPixmap] = {}  # display copy path → thumbnail
        self.decoding = 0  # thumbnail batches still on the pool
        self.adding = 0  # add tasks still on the pool
        self.dialog: PhotoDialog | None = None
        self._last_dir = ""
        self._names: dict[str, str] = {}

    def strip(self, criterion_id: str, label: str = "") -> PhotoStrip:
        strip = PhotoStrip(criterion_id)
        strip.add_requested.connect(self.add_from_dialog)
        strip.dropped.connect(self.add)
        strip.opened.connect(self.open)
        strip.set_read_only(self.read_only)
        self.strips[criterion_id] = strip
        self._names[criterion_id] = label
        return strip

    def forget_criteria(self) -> None:
        """The criterion rows are rebuilt (another rubric): only the visit strip stays."""
        self.strips = {k: v for k, v in self.strips.items() if k == VISIT}

    def load(self, candidate_id: int) -> None:
        """Thumbnails at once as placeholders; the images follow from a pool thread."""
        self.candidate_id = candidate_id
        self.refresh()

    def refresh(self) -> None:
        if self.candidate_id is None:
            return
        photos = self._ctx.workspace.evidence.photos(self.candidate_id)
        groups: dict[str, list[Photo]] = {key: [] for key in self.strips}
        for photo in photos:  # a criterion the rubric no longer has: shown with the visit
            groups[photo.criterion_id if photo.criterion_id in groups else VISIT].append(photo)
        for key, strip in self.strips.items():
            strip.set_photos(groups.get(key, []), self.pixmaps)
        missing = sorted({str(p.display) for p in photos} - self.pixmaps.keys())
        if missing:
            self.decoding += 1
            self._ctx.tasks.start(ServiceTask(decode_thumbnails, paths=missing, box=THUMB),
                                  self._on_decoded, lambda _exc: self._on_decoded({}))

    def _on_decoded(self, images: dict[str, QImage]) -> None:
        self.decoding -= 1
        for path, image in images.items():
            self.pixmaps[path] = QPixmap.fromImage(image)
        for strip in self.strips.values():
            strip.show_pixmaps(self.pixmaps)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for strip in self.strips.values():
            strip.set_read_only(read_only)
        if self.dialog is not None:
            self.dialog.remove_button.setVisible(not read_only)

    def count(self, criterion_id: str) -> int:
        return len(self.strips[criterion_id].thumbs)

    # -- adding ----------------------------------------------------------------

    def add_from_dialog(self, criterion_id: str) -> None:
        if self.read_only or self.strips[criterion_id].busy:
            return
        names, _chosen = QFileDialog.getOpenFileNames(
            self._sheet, _("Add evidence photos"), self._last_dir,
            IMAGE_FILTER.format(images=_("JPEG or PNG photos"), all=_("All files")))
        if names:
            self._last_dir = str(Path(names[0]).parent)
            self.add(criterion_id, [Path(n) for n in names])

    def add(self, criterion_id: str, paths: list[Path]) -> None:
        """Store photos on a pool thread: checking and resizing a large JPEG takes a while."""
        strip = self.strips.get(criterion_id)
        if self.candidate_id is None or strip is None or self.read_only or strip.busy or \
                not paths:
            return
        strip.set_busy(ngettext("Adding {count} photo…", "Adding {count} photos…",
                                len(paths)).format(count=len(paths)))
        self.adding += 1
        candidate_id = self.candidate_id
        self._ctx.tasks.start(
            ServiceTask(add_photos, ws=self._ctx.workspace, candidate_id=candidate_id,
                        criterion_id=criterion_id, paths=list(paths)),
            lambda result: self._on_added(candidate_id, strip, result),
            lambda exc: self._on_added(candidate_id, strip, ([], []), exc))

    def _on_added(self, candidate_id: int, strip: PhotoStrip,
                  result: tuple[list[Photo], list[str]], error: Exception | None = None) -> None:
        self.adding -= 1
        stored, refused = result
        if strip in self.strips.values():
            strip.set_busy(None)
        if candidate_id == self.candidate_id:
            self.refresh()
        if stored:
            self.stored.emit()
        if error is not None:
            show_error(self._sheet, error, _("Photo not added"))
        elif len(refused) == 1:
            show_error(self._sheet, UserFacingError(refused[0]), _("Photo not added"))
        elif refused:
            show_error(self._sheet, ValidationError(
                _("{count} of the photos were not added:").format(count=len(refused)),
                refused), _("Photos not added"))

    # -- the large view --------------------------------------------------------

    def open(self, photo: Photo) -> None:
        name = self._names.get(photo.criterion_id) if photo.criterion_id else None
        where = _("criterion {name}").format(name=name) if name else _("photo of the visit")
        self.dialog = PhotoDialog(self._ctx, photo, where, self.read_only, self._sheet)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        dialog.deleteLater()
        if dialog.removed:
            self.refresh()
            self.stored.emit()
