"""The rubric screen: list of stored versions, an aspect/criterion tree, editor and validation."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rubric import TOTAL_WEIGHT, RubricRecord
from ovop_desktop.domain.rubric import validate as validate_rubric
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import confirm, show_error, show_info
from ovop_desktop.ui.models.rubric_tree import RubricListModel, RubricTreeModel
from ovop_desktop.ui.views.rubric_forms import AspectForm, CriterionForm, panel, row

_BANNER_STYLE = "background:#fff4ce; border:1px solid #e0c060; border-radius:4px; padding:6px;"
_OK_STYLE, _BAD_STYLE = "color:#1b6e20;", "color:#b3261e;"


def export_file_name(record: RubricRecord) -> str:
    """The suggested export name, e.g. `rubrik-kain_batik-v1.json`."""
    return f"rubrik-{record.commodity.value}-v{record.version}.json"


def import_message(record: RubricRecord, added: bool) -> str:
    if added:
        return _("Added {commodity}, version {version}.").format(
            commodity=record.commodity.label, version=record.version)
    return _("This rubric is already present: {commodity}, version {version}. "
             "Nothing was added.").format(commodity=record.commodity.label,
                                          version=record.version)


def _details_html(record: RubricRecord) -> str:
    """The selected version's identity and history, for the panel under the list."""
    sha = record.sha256
    rows = [
        (_("Commodity"), escape(record.commodity.label)),
        (_("Version"), f"v{record.version}"),
        ("SHA-256", f"<tt>{sha[:32]}<br>{sha[32:]}</tt>"),
        (_("Created"), _when(record.created_at)),
        (_("Frozen"), _when(record.frozen_at) if record.frozen_at
         else _("no — still editable in place")),
        (_("Used in rounds"), escape(", ".join(record.rounds)) or _("none yet")),
    ]
    cells = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


class RubricsView(QWidget):
    """View and edit rubric versions. Emits ctx.signals.data_changed after save, freeze, import."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._record: RubricRecord | None = None
        self._quiet = False  # set while the list selection is changed by code
        self._list_model = RubricListModel(self)
        self._tree_model = RubricTreeModel(self)
        self._build()
        self._connect()
        self.refresh()

    # -- building --------------------------------------------------------------

    def _build(self) -> None:
        self.import_button = QPushButton(_("Import…"), objectName="importButton")
        self.export_button = QPushButton(_("Export…"), objectName="exportButton")
        self.details = QLabel(objectName="versionDetails", wordWrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        left = panel(QVBoxLayout(), QLabel("<b>" + _("Rubric versions") + "</b>"),
                      self._build_list(), row(self.import_button, self.export_button, 1),
                      (self.details, 1))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self._build_editor_side())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 820])
        QVBoxLayout(self).addWidget(splitter)

    def _build_list(self) -> QTableView:
        view = self.rubric_list = QTableView(objectName="rubricList")
        view.setModel(self._list_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setWordWrap(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        view.setMinimumHeight(8 * (self.fontMetrics().height() + 10))
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RubricListModel.COL_ROUNDS, QHeaderView.ResizeMode.Stretch)
        return view

    def _build_editor_side(self) -> QWidget:
        self.title_label = QLabel(objectName="rubricTitle")
        self.banner = QLabel(objectName="frozenBanner", wordWrap=True)
        self.banner.setStyleSheet(_BANNER_STYLE)
        self.validation_label = QLabel(objectName="validationLabel", wordWrap=True)
        self.validation_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.validation_label)
        scroll.setFixedHeight(6 * self.fontMetrics().height())
        self.status_label = QLabel(objectName="statusLabel")
        self.revert_button = QPushButton(_("Discard changes"), objectName="revertButton")
        self.freeze_button = QPushButton(_("Freeze…"), objectName="freezeButton")
        self.save_button = QPushButton(_("Save"), objectName="saveButton")
        self.save_button.setDefault(True)
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self._build_tree())
        middle.addWidget(self._build_forms())
        middle.setStretchFactor(1, 1)
        middle.setSizes([360, 460])
        buttons = row((self.status_label, 1), self.revert_button, self.freeze_button,
                       self.save_button)
        return panel(QVBoxLayout(), self.title_label, self.banner, (middle, 1), scroll, buttons)

    def _build_tree(self) -> QWidget:
        self.tree = QTreeView(objectName="rubricTree")
        self.tree.setModel(self._tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RubricTreeModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.add_aspect_button = QPushButton(_("Add aspect"), objectName="addAspectButton")
        self.add_criterion_button = QPushButton(_("Add criterion"), objectName="addCriterionButton")
        self.remove_button = QPushButton(_("Remove"), objectName="removeButton")
        return panel(QVBoxLayout(), (self.tree, 1), row(
            self.add_aspect_button, self.add_criterion_button, self.remove_button, 1))

    def _build_forms(self) -> QWidget:
        self.aspect_form = AspectForm()
        self.criterion_form = CriterionForm()
        placeholder = QLabel(_("Choose an aspect or a criterion in the tree to see its details."),
                             wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.forms = QStackedWidget(objectName="editorStack")
        for page in (placeholder, self.aspect_form, self.criterion_form):
            self.forms.addWidget(page)
        return self.forms

    def _connect(self) -> None:
        self.rubric_list.selectionModel().currentRowChanged.connect(
            self._on_rubric_list_current_changed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.aspect_form.edited.connect(self._on_aspect_form_edited)
        self.criterion_form.edited.connect(self._on_criterion_form_edited)
        self.add_aspect_button.clicked.connect(self._on_add_aspect_clicked)
        self.add_criterion_button.clicked.connect(self._on_add_criterion_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.freeze_button.clicked.connect(self._on_freeze_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)

    # -- public ----------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the versions; keep unsaved edits when the stored content did not change."""
        records = self._ctx.workspace.rubrics.list()
        self._list_model.set_rows(records)
        current = self._record
        fresh = next((r for r in records if current and r.id == current.id), None)
        if fresh is None:
            self._show(records[0] if records else None)
        elif fresh == current or (self.has_unsaved_changes() and fresh.rubric == current.rubric):
            self._record = fresh  # frozen state or rounds may differ; the draft stays
            self._select_row_quietly(fresh.id)
            self._update_state()
        else:
            self._show(fresh)

    def has_unsaved_changes(self) -> bool:
        return self._record is not None and self._tree_model.rubric() != self._record.rubric

    def current_record(self) -> RubricRecord | None:
        return self._record

    def select_rubric(self, rubric_id: int) -> bool:
        """Show a stored version (asks first when edits would be lost); False if declined."""
        if self._record and self._record.id == rubric_id:
            return True
        if self.has_unsaved_changes() and not self._confirm_discard():
            return False
        self._show(self._ctx.workspace.rubrics.get(rubric_id))
        return True

    # -- showing ---------------------------------------------------------------

    def _show(self, record: RubricRecord | None) -> None:
        self._record = record
        self._tree_model.set_rubric(record.rubric if record else None)
        self.tree.expandAll()
        self.forms.setCurrentIndex(0)
        if record is not None:
            self._select_row_quietly(record.id)
        self._update_state()

    def _select_row_quietly(self, rubric_id: int) -> None:
        row = self._list_model.row_of(rubric_id)
        self._quiet = True
        try:
            self.rubric_list.selectionModel().setCurrentIndex(
                self._list_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._quiet = False

    def _confirm_discard(self) -> bool:
        return confirm(self, _("Unsaved changes"),
                       _("This rubric has changes that are not saved. Discard them?"),
                       _("Discard changes"))

    def _update_state(self) -> None:
        record, editable = self._record, self._ctx.is_coordinator
        dirty = self.has_unsaved_changes()
        problems = self._update_validation()
        self._update_header(record, dirty)
        self.save_button.setText(_("Save as new version") if record and record.frozen
                                 else _("Save"))
        self.save_button.setEnabled(editable and dirty and not problems)
        self.revert_button.setEnabled(dirty)
        self.freeze_button.setEnabled(editable and record is not None and not record.frozen
                                      and not dirty)
        self.export_button.setEnabled(record is not None and not dirty)
        self.export_button.setToolTip(_("Save or discard your changes first.") if dirty else "")
        for widget in (self.save_button, self.revert_button, self.freeze_button,
                       self.import_button, self.add_aspect_button, self.add_criterion_button,
                       self.remove_button):
            widget.setVisible(editable)
        self.aspect_form.set_read_only(not editable)
        self.criterion_form.set_read_only(not editable)
        self._update_tree_buttons()

    def _update_header(self, record: RubricRecord | None, dirty: bool) -> None:
        self.banner.setVisible(record is not None and record.frozen)
        if record is None:
            self.title_label.setText(_("No rubric yet."))
            self.details.clear()
            return
        title = escape(record.rubric.title.get(current_language()))
        changed = " — <i>" + _("unsaved changes") + "</i>" if dirty else ""
        self.title_label.setText(f"<b>{title}</b> · v{record.version}{changed}")
        self.details.setText(_details_html(record))
        if record.frozen:
            used = ", ".join(record.rounds) or _("handed to assessors")
            text = (_("This version is frozen: assessors use it ({rounds}). Changes will be "
                      "saved as a new version.") if self._ctx.is_coordinator
                    else _("This version is frozen: assessors use it ({rounds}).")
                    ).format(rounds=used)
            self.banner.setText(f"<b>{_('Frozen')}</b> · {escape(text)}")

    def _update_validation(self) -> list[str]:
        rubric = self._tree_model.rubric()
        if rubric is None:
            self.validation_label.clear()
            return []
        problems = validate_rubric(rubric)
        lines = [_("Total of the aspect weights: {total} of {goal}.").format(
            total=self._tree_model.total_weight(), goal=TOTAL_WEIGHT)]
        lines += [f"• {p}" for p in problems] or [_("No problems found.")]
        self.validation_label.setText("\n".join(lines))
        self.validation_label.setStyleSheet(_BAD_STYLE if problems else _OK_STYLE)
        return problems

    def _update_tree_buttons(self) -> None:
        where = self._tree_model.locate(self.tree.currentIndex())
        self.add_aspect_button.setEnabled(self._record is not None)
        self.add_criterion_button.setEnabled(where is not None)
        self.remove_button.setEnabled(where is not None)

    # -- slots -----------------------------------------------------------------

    def _on_rubric_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        record = current.data(RubricListModel.RecordRole)
        if self._record and record.id == self._record.id:
            return
        if self.has_unsaved_changes() and not self._confirm_discard():
            if self._record is not None:  # undo the click once the view has finished with it
                keep = self._record.id
                QTimer.singleShot(0, self, lambda: self._select_row_quietly(keep))
            return
        self._show(record)

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        where = self._tree_model.locate(current)
        if where is None:
            self.forms.setCurrentIndex(0)
        elif where[1] is None:
            self.aspect_form.load(self._tree_model.aspect(where[0]),
                                  self._tree_model.total_weight())
            self.forms.setCurrentWidget(self.aspect_form)
        else:
            self.criterion_form.load(self._tree_model.criterion(*where))
            self.forms.setCurrentWidget(self.criterion_form)
        self._update_tree_buttons()

    def _on_aspect_form_edited(self) -> None:
        where = self._tree_model.locate(self.tree.currentIndex())
        if where is None or where[1] is not None:
            return
        aspect = self._tree_model.aspect(where[0])
        self._tree_model.replace_aspect(where[0], self.aspect_form.value(aspect.criteria))
        self.aspect_form.show_total(self._tree_model.total_weight())
        self._update_state()

    def _on_criterion_form_edited(self) -> None:
        where = self._tree_model.locate(self.tree.currentIndex())
        if where is None or where[1] is None:
            return
        self._tree_model.replace_criterion(where[0], where[1], self.criterion_form.value())
        self._update_state()

    def _on_add_aspect_clicked(self) -> None:
        row = self._tree_model.add_aspect()
        self.tree.expand(self._tree_model.aspect_index(row))
        self.tree.setCurrentIndex(self._tree_model.aspect_index(row))
        self._update_state()

    def _on_add_criterion_clicked(self) -> None:
        where = self._tree_model.locate(self.tree.currentIndex())
        if where is None:
            return
        row = self._tree_model.add_criterion(where[0])
        self.tree.expand(self._tree_model.aspect_index(where[0]))
        self.tree.setCurrentIndex(self._tree_model.criterion_index(where[0], row))
        self._update_state()

    def _on_remove_clicked(self) -> None:
        where = self._tree_model.locate(self.tree.currentIndex())
        if where is None:
            return
        if where[1] is None:
            self._tree_model.remove_aspect(where[0])
        else:
            self._tree_model.remove_criterion(*where)  # type: ignore[arg-type]
        self._on_tree_current_changed(self.tree.currentIndex(), QModelIndex())
        self._update_state()

    def _on_revert_clicked(self) -> None:
        self._show(self._record)

    def _on_save_clicked(self) -> None:
        edited = self._tree_model.rubric()
        if self._record is None or edited is None:
            return
        was_frozen = self._record.frozen
        try:
            saved = self._ctx.workspace.rubrics.save(self._record.id, edited)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self._list_model.set_rows(self._ctx.workspace.rubrics.list())
        self._show(saved)
        self.status_label.setText(
            _("Saved as new version {version}.").format(version=saved.version) if was_frozen
            else _("Saved."))
        self._ctx.signals.data_changed.emit()

    def _on_freeze_clicked(self) -> None:
        record = self._record
        if record is None or record.frozen or self.has_unsaved_changes():
            return
        question = _("Freeze version {version} of {commodity}? A frozen version never changes; "
                     "later edits are saved as a new version.").format(
            version=record.version, commodity=record.commodity.label)
        if not confirm(self, _("Freeze rubric"), question, _("Freeze")):
            return
        try:
            self._record = self._ctx.workspace.rubrics.freeze(record.id)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.refresh()
        self.status_label.setText(_("Version {version} is frozen.").format(version=record.version))
        self._ctx.signals.data_changed.emit()

    def _on_export_clicked(self) -> None:
        record = self._record
        if record is None:
            return
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Export rubric"), str(Path.home() / export_file_name(record)),
            _("Rubric files (*.json)"))
        if not path:
            return
        target = Path(path) if Path(path).suffix else Path(path).with_suffix(".json")
        try:
            self._ctx.workspace.rubrics.export(record.id, target)
        except UserFacingError as exc:
            show_error(self, exc)
            return
        self.status_label.setText(_("Exported to {path}.").format(path=target))

    def _on_import_clicked(self) -> None:
        path, _selected = QFileDialog.getOpenFileName(
            self, _("Import rubric"), "", _("Rubric files (*.json);;All files (*)"))
        if not path:
            return
        try:
            record, added = self._ctx.workspace.rubrics.import_file(Path(path))
        except UserFacingError as exc:
            show_error(self, exc, _("Cannot import this rubric"))
            return
        if added:
            self.refresh()
        self.select_rubric(record.id)
        if added:
            self._ctx.signals.data_changed.emit()
        show_info(self, _("Import rubric"), import_message(record, added))
