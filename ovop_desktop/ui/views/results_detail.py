"""The drill-down beside the ranking: one candidate's facts and result, every assessor's level
per criterion, their notes and visits, the coaching pointers, and moderation."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ovop_desktop.domain.candidates import EntryKind
from ovop_desktop.domain.formats import format_date, format_datetime
from ovop_desktop.domain.results import Flag
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services.results import CandidateDetail, EvidencePhoto, ResultsReport
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.moderation import GivenLevel, ModerationDialog
from ovop_desktop.ui.models.detail_grid_model import (
    COUNTED,
    DetailGridModel,
    GridLine,
    state_label,
)
from ovop_desktop.ui.models.results_models import (
    FLAG_COLOURS,
    MODERATED_MARK,
    NOTE_MARK,
    commodity_label,
    number,
    stars,
)
from ovop_desktop.ui.workers import ServiceTask

STYLE = """
QLabel#detailSummary { font-size: 14px; }
QLabel#detailSection { font-weight: 600; color: #1f4e3d; padding-top: 6px; }
QLabel#detailEmpty { color: #666; font-size: 14px; }
"""
_FLAG_ORDER = (Flag.DISAGREEMENT, Flag.SEVERITY, Flag.MODERATED, Flag.INCOMPLETE)


def _chip(flag: Flag) -> str:
    colour = FLAG_COLOURS[flag]
    return (f'<span style="color: white; background-color: {colour};">'
            f"&nbsp;{escape(flag.label)}&nbsp;</span>")


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(value, current_language())
    except ValueError:
        return value


def _stamp(value: str) -> str:
    try:
        return format_datetime(value, current_language())
    except ValueError:
        return value


_THUMB = 72


def _thumbnails(photos: tuple[EvidencePhoto, ...]) -> list[QImage]:
    """Decode and shrink on a pool thread (QImage, unlike QPixmap, may be used there)."""
    out = []
    for photo in photos:
        image = QImage.fromData(photo.data)
        out.append(image.scaled(_THUMB, _THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation))
    return out


class ResultDetailPanel(QWidget):
    """moderated(candidate id, criterion id) — a moderation was stored or withdrawn."""

    moderated = Signal(int, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.detail: CandidateDetail | None = None
        self.report: ResultsReport | None = None
        self.dialog: ModerationDialog | None = None  # the dialog open now (tests drive it)
        self.setStyleSheet(STYLE)
        self.model = DetailGridModel(self)
        empty = QLabel(_("Select a candidate to see every assessor's level per criterion, "
                         "their notes and the moderation."), objectName="detailEmpty")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        self.stack = QStackedWidget(objectName="detailStack")
        self.stack.addWidget(empty)
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _build_content(self) -> QWidget:
        self.title = QLabel(objectName="sectionTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel(objectName="hint")
        self.facts.setWordWrap(True)
        self.summary = QLabel(objectName="detailSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)

        self.grid = QTableView(objectName="detailGrid")
        self.grid.setModel(self.model)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().hide()
        self.grid.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.grid.setWordWrap(False)
        self.grid.horizontalHeader().setHighlightSections(False)
        self.grid.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.selectionModel().selectionChanged.connect(self._on_grid_selectionChanged)
        self.grid.doubleClicked.connect(self._on_grid_doubleClicked)

        self.moderate_button = QPushButton(_("Moderate…"), objectName="moderateButton")
        self.moderate_button.setToolTip(_("Set the panel's level for the selected criterion, "
                                          "with the reason."))
        self.moderate_button.clicked.connect(lambda: self.open_moderation(False))
        self.withdraw_button = QPushButton(_("Withdraw moderation…"), objectName="withdrawButton")
        self.withdraw_button.clicked.connect(lambda: self.open_moderation(True))
        self.moderation_hint = QLabel(objectName="hint")
        self.moderation_hint.setWordWrap(True)
        legend = QLabel(_("{note} note (hover) · {mark} moderated · ⚠ disagreement · grey: not "
                          "counted").format(note=NOTE_MARK, mark=MODERATED_MARK),
                        objectName="hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.moderate_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.moderation_hint, 1)
        buttons.addWidget(legend)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.grid, 1)
        left_layout.addLayout(buttons)

        self.sheets = self._section_label("detailSheets")
        self.coaching = self._section_label("detailCoaching")
        self.history = self._section_label("detailHistory")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 4, 0)
        self.photo_title = QLabel(_("Evidence photos"), objectName="detailSection")
        self.photo_list = QListWidget(objectName="detailPhotos")
        self.photo_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(_THUMB, _THUMB))
        self.photo_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.photo_list.setMovement(QListWidget.Movement.Static)
        self.photo_list.setFixedHeight(_THUMB + 44)
        self.photo_list.itemActivated.connect(self._open_photo)
        for title, label in ((_("Visits and notes"), self.sheets),
                             (_("Coaching areas"), self.coaching),
                             (_("Moderation history"), self.history)):
            side_layout.addWidget(QLabel(title, objectName="detailSection"))
            side_layout.addWidget(label)
        side_layout.addWidget(self.photo_title)
        side_layout.addWidget(self.photo_list)
        side_layout.addStretch(1)
        scroll = QScrollArea(objectName="detailSide")
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="detailSplitter")
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 300])
        splitter.setChildrenCollapsible(False)
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        return widget

    @staticmethod
    def _section_label(name: str) -> QLabel:
        label = QLabel(objectName=name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- showing ---------------------------------------------------------------------------

    @property
    def candidate_id(self) -> int | None:
        return self.detail.result.candidate_id if self.detail else None

    def show_detail(self, detail: CandidateDetail | None, report: ResultsReport | None) -> None:
        """Show a candidate (None: the empty state); the selected criterion is kept when the
        same candidate comes back after a recomputation."""
        keep = self.selected_criterion() if (
            detail is not None and detail.result.candidate_id == self.candidate_id) else None
        self.detail, self.report = detail, report
        self.model.set_detail(detail, report)
        self.grid.clearSpans()
        if detail is None or report is None:
            self.stack.setCurrentIndex(0)
            self._update_buttons()
            return
        self.stack.setCurrentIndex(1)
        for row in range(self.model.rowCount()):
            if self.model.is_heading(row):
                self.grid.setSpan(row, 0, 1, self.model.columnCount())
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._fill_texts(detail, report)
        self._show_photos(detail, report)
        if keep is not None:
            self.select_criterion(keep)
        self._update_buttons()

    # -- evidence photos -------------------------------------------------------------------

    def _show_photos(self, detail: CandidateDetail, report: ResultsReport) -> None:
        """Thumbnails decoded on a pool thread (a 12-megapixel JPEG takes ~0.1 s)."""
        self.photo_list.clear()
        self._photo_generation = getattr(self, "_photo_generation", 0) + 1
        photos = detail.photos
        self.photo_title.setVisible(bool(photos))
        self.photo_list.setVisible(bool(photos))
        if not photos:
            return
        generation = self._photo_generation
        names = {a: f.name for a, f in report.assessors.items()}
        task = ServiceTask(_thumbnails, photos=photos)
        self._ctx.tasks.start(task, lambda images: self._on_thumbnails(
            generation, photos, images, names))

    def _on_thumbnails(self, generation: int, photos: tuple[EvidencePhoto, ...],
                       images: list[QImage], names: dict[int, str]) -> None:
        if generation != self._photo_generation or not isValid(self.photo_list):
            return
        for photo, image in zip(photos, images, strict=True):
            label = photo.criterion_id or _("visit")
            item = QListWidgetItem(QIcon(QPixmap.fromImage(image)), label)
            item.setToolTip(_("{assessor} · {what}").format(
                assessor=names.get(photo.assessor_id, "?"), what=label))
            item.setData(Qt.ItemDataRole.UserRole, photo)
            self.photo_list.addItem(item)

    def _open_photo(self, item: QListWidgetItem) -> None:
        photo = item.data(Qt.ItemDataRole.UserRole)
        image = QImage.fromData(photo.data)
        dialog = QDialog(self)
        dialog.setWindowTitle(item.toolTip())
        view = QLabel()
        view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        screen = self.screen().availableGeometry().size() * 0.8 if self.screen() else QSize(
            1000, 700)
        view.setPixmap(QPixmap.fromImage(image.scaled(
            screen, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)))
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _fill_texts(self, detail: CandidateDetail, report: ResultsReport) -> None:
        f, r = detail.facts, detail.result
        self.title.setText(f.name)
        kind = EntryKind(f.kind).label if f.kind in {k.value for k in EntryKind} else f.kind
        if f.previous_star is not None and f.kind == EntryKind.REEVALUATION.value:
            kind += " " + _("({stars} in {year})").format(
                stars=stars(f.previous_star), year=f.previous_year or "—")
        self.facts.setText(" · ".join(x for x in (
            f.owner, f.product, f.sentra, f"{f.regency}, {f.province}",
            commodity_label(r.commodity), kind) if x))
        ranked = sum(1 for x in report.results.candidates
                     if x.commodity == r.commodity and x.rank is not None)
        parts = [_("Total {total}").format(total=f"<b>{escape(number(r.total))}</b>"),
                 f"<b>{escape(stars(r.star))}</b>"]
        if r.rank is not None:
            parts.append(_("rank {rank} of {n} in {commodity}").format(
                rank=r.rank, n=ranked, commodity=escape(commodity_label(r.commodity))))
        if r.corrected_total is not None:
            corrected = number(r.corrected_total)
            if r.corrected_star is not None:
                corrected += f" ({stars(r.corrected_star)})"
            parts.append(_("corrected for severity: {value}").format(value=escape(corrected)))
        else:
            parts.append(_("corrected: not estimable"))
        chips = " ".join(_chip(flag) for flag in _FLAG_ORDER if flag in r.flags)
        self.summary.setText(" · ".join(parts) + (f"&nbsp;&nbsp;{chips}" if chips else ""))
        self.sheets.setText(self._sheets_html())
        self.coaching.setText(self._coaching_html(detail, report))
        self.history.setText(self._history_html(detail, report))

    def _sheets_html(self) -> str:
        blocks = []
        for a in self.model.assessors:
            head = f"<b>{escape(a.name)}</b>"
            if a.state != COUNTED:
                head += f' <span style="color:#8c1d18;">({escape(state_label(a.state))})</span>'
            visit = _("visited {date}").format(date=_date(a.visited_on)) if a.visited_on \
                else _("no visit date")
            text = f"{head}<br/><span style='color:#555;'>{escape(visit)}</span>"
            if a.note:
                text += f"<br/>“{escape(a.note)}”"
            blocks.append(text)
        return "<br/><br/>".join(blocks) or escape(_("No sheets received yet."))

    @staticmethod
    def _coaching_html(detail: CandidateDetail, report: ResultsReport) -> str:
        language = current_language()
        commodity = detail.result.commodity
        lines = [f"<b>{escape(c)}</b> {escape(report.criterion_name(commodity, c, language))}"
                 for c in detail.result.coaching]
        return "<br/>".join(lines) or escape(_("None: every criterion at the top level."))

    @staticmethod
    def _history_html(detail: CandidateDetail, report: ResultsReport) -> str:
        language = current_language()
        lines = []
        for m in reversed(detail.moderation):  # newest first
            name = report.criterion_name(detail.result.commodity, m.criterion_id, language)
            what = (_("{criterion} set to level {level}").format(criterion=m.criterion_id,
                                                                 level=m.level)
                    if m.level is not None else
                    _("{criterion}: moderation withdrawn").format(criterion=m.criterion_id))
            lines.append(f"<b>{escape(what)}</b> <span style='color:#555;'>({escape(name)})"
                         f"</span><br/>{escape(_stamp(m.ts))} · {escape(m.actor)}<br/>"
                         f"“{escape(m.reason)}”")
        return "<br/><br/>".join(lines) or escape(_("No moderation."))

    # -- criterion selection and moderation -----------------------------------------------------

    def selected_line(self) -> GridLine | None:
        rows = self.grid.selectionModel().selectedRows()
        if not rows or self.model.is_heading(rows[0].row()):
            return None
        return self.model.line(rows[0].row())

    def selected_criterion(self) -> str | None:
        line = self.selected_line()
        return line.criterion.id if line and line.criterion else None

    def select_criterion(self, criterion_id: str) -> bool:
        row = self.model.row_of(criterion_id)
        if row < 0:
            return False
        self.grid.selectRow(row)
        self.grid.scrollTo(self.model.index(row, 0))
        return True

    def _on_grid_selectionChanged(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()

    def _on_grid_doubleClicked(self, index: QModelIndex) -> None:
        if index.isValid() and not self.model.is_heading(index.row()):
            self.open_moderation(False)

    def _editable(self) -> bool:
        return self.report is not None and self.report.round.editable

    def _update_buttons(self) -> None:
        line = self.selected_line()
        editable = self._editable()
        self.moderate_button.setEnabled(line is not None and editable)
        self.withdraw_button.setEnabled(
            line is not None and editable and line.result is not None
            and line.result.moderated is not None)
        if self.detail is not None and not editable:
            self.moderation_hint.setText(_("The round is closed: no more moderation."))
        elif line is None:
            self.moderation_hint.setText(_("Select a criterion to moderate it."))
        else:
            self.moderation_hint.setText("")

    def open_moderation(self, withdraw: bool = False) -> ModerationDialog | None:
        line = self.selected_line()
        if line is None or line.criterion is None or self.detail is None \
                or not self._editable():
            return None
        if withdraw and (line.result is None or line.result.moderated is None):
            return None
        given = [GivenLevel(a.name, a.levels.get(line.criterion.id), a.counted,
                            state_label(a.state)) for a in self.model.assessors]
        dialog = ModerationDialog(
            self._ctx, self.detail.result.candidate_id, self.detail.facts.name, line.criterion,
            given, line.result.mean if line.result else None,
            line.result.moderated if line.result else None, withdraw, self)
        dialog.moderated.connect(lambda c, k, _level: self.moderated.emit(c, k))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog
