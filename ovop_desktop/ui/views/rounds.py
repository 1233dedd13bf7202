"""Putaran: the rounds, their star thresholds, status and rubric versions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rounds import Round, RoundStatus, Thresholds
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.new_round import NewRoundDialog, threshold_spin
from ovop_desktop.ui.messages import confirm, show_error
from ovop_desktop.ui.models.table import Column, RowTableModel


class RoundsView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._round: Round | None = None
        self.model: RowTableModel[Round] = RowTableModel([
            Column(lambda: _("Year"), lambda r: str(r.year), sort=lambda r: r.year),
            Column(lambda: _("Name"), lambda r: r.name),
            Column(lambda: _("Status"), lambda r: r.status.label),
            Column(lambda: _("Thresholds 3★/2★/1★"),
                   lambda r: f"{r.thresholds.three} / {r.thresholds.two} / {r.thresholds.one}"),
        ], self)
        self.table = QTableView(objectName="roundTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selectionChanged)
        self.new_button = QPushButton(_("New round…"), objectName="newRoundButton")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.new_button.setEnabled(ctx.is_coordinator)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Assessment rounds"))
        title.setObjectName("viewTitle")
        left_layout.addWidget(title)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.refresh()

    def _build_detail(self) -> QWidget:
        self.heading = QLabel(objectName="roundHeading")
        self.heading.setObjectName("sectionTitle")
        self.status_label = QLabel(objectName="roundStatus")
        self.three = threshold_spin(80, "threeSpin")
        self.two = threshold_spin(65, "twoSpin")
        self.one = threshold_spin(50, "oneSpin")
        self.save_thresholds = QPushButton(_("Save thresholds"), objectName="saveThresholds")
        self.save_thresholds.clicked.connect(self._on_save_thresholds_clicked)
        box = QGroupBox(_("Star thresholds (total out of 100)"))
        form = QFormLayout(box)
        form.addRow(_("3 stars from"), self.three)
        form.addRow(_("2 stars from"), self.two)
        form.addRow(_("1 star from"), self.one)
        form.addRow("", self.save_thresholds)
        for spin in (self.three, self.two, self.one):
            spin.setMaximumWidth(140)
        self.save_thresholds.setMaximumWidth(220)

        self.commodities = QTableView(objectName="roundCommodities")
        self.commodity_model: RowTableModel = RowTableModel([
            Column(lambda: _("Commodity"), lambda rc: rc.commodity.label),
            Column(lambda: _("Rubric"), lambda rc: f"v{rc.rubric_version}"),
            Column(lambda: _("Frozen"), lambda rc: _("yes") if rc.rubric_frozen else _("no")),
            Column(lambda: "SHA-256", lambda rc: rc.rubric_sha256[:16] + "…"),
        ], self)
        self.commodities.setModel(self.commodity_model)
        self.commodities.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.commodities.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.commodities.selectionModel().selectionChanged.connect(
            self._on_commodities_selectionChanged)
        self.version_combo = QComboBox(objectName="rubricVersionCombo")
        self.use_version = QPushButton(_("Use this rubric version"), objectName="useVersionButton")
        self.use_version.clicked.connect(self._on_use_version_clicked)
        self.version_hint = QLabel(objectName="versionHint")
        self.version_hint.setWordWrap(True)
        self.commodities.verticalHeader().hide()
        self.commodities.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.open_button = QPushButton(_("Open the round"), objectName="openRoundButton")
        self.close_button = QPushButton(_("Close the round"), objectName="closeRoundButton")
        self.reopen_button = QPushButton(_("Reopen"), objectName="reopenRoundButton")
        self.current_button = QPushButton(_("Work on this round"), objectName="useRoundButton")
        self.open_button.clicked.connect(lambda: self._move(RoundStatus.OPEN))
        self.close_button.clicked.connect(lambda: self._move(RoundStatus.CLOSED))
        self.reopen_button.clicked.connect(lambda: self._move(RoundStatus.OPEN))
        self.current_button.clicked.connect(self._on_current_button_clicked)
        actions = QHBoxLayout()
        for button in (self.current_button, self.open_button, self.close_button,
                       self.reopen_button):
            actions.addWidget(button)
        actions.addStretch(1)

        detail = QWidget(objectName="roundDetail")
        layout = QVBoxLayout(detail)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_label)
        layout.addLayout(actions)
        layout.addWidget(box)
        layout.addWidget(QLabel(_("Commodities and their rubric versions")))
        layout.addWidget(self.commodities, 1)
        swap = QHBoxLayout()
        swap.addWidget(self.version_combo, 1)
        swap.addWidget(self.use_version)
        self.use_version.setMinimumWidth(self.use_version.sizeHint().width())
        layout.addLayout(swap)
        layout.addWidget(self.version_hint)
        return detail

    # -- data ----------------------------------------------------------------

    def refresh(self) -> None:
        keep = self._round.id if self._round else None
        current = self._ctx.workspace.current_round()
        rounds = self._ctx.workspace.rounds.list()
        self.model.set_rows(rounds)
        target = keep if keep is not None else (current.id if current else None)
        for row, r in enumerate(rounds):
            if r.id == target:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                break
        else:
            self._show(None)

    def selected_round(self) -> Round | None:
        return self._round

    def _on_table_selectionChanged(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show(self.model.row_object(rows[0].row()) if rows else None)

    def _show(self, r: Round | None) -> None:
        self._round = r
        editable = bool(r and r.editable and self._ctx.is_coordinator)
        for widget in (self.three, self.two, self.one, self.save_thresholds):
            widget.setEnabled(editable)
        if r is None:
            self.heading.setText(_("No round yet — create the first one."))
            self.status_label.clear()
            self.commodity_model.set_rows([])
            self._on_commodities_selectionChanged()
            for b in (self.open_button, self.close_button, self.reopen_button,
                      self.current_button):
                b.hide()
            return
        current = self._ctx.workspace.current_round()
        self.heading.setText(f"{r.name} ({r.year})")
        marker = _(" · the round you are working on") if current and current.id == r.id else ""
        self.status_label.setText(_("Status: {status}").format(status=r.status.label) + marker)
        self.three.setValue(r.thresholds.three)
        self.two.setValue(r.thresholds.two)
        self.one.setValue(r.thresholds.one)
        self.commodity_model.set_rows(list(r.commodities))
        self._on_commodities_selectionChanged()
        coordinator = self._ctx.is_coordinator
        self.open_button.setVisible(coordinator and r.status is RoundStatus.SETUP)
        self.close_button.setVisible(coordinator and r.status is RoundStatus.OPEN)
        self.reopen_button.setVisible(coordinator and r.status is RoundStatus.CLOSED)
        self.current_button.setVisible(not (current and current.id == r.id))

    def _selected_commodity(self):  # type: ignore[no-untyped-def]
        rows = self.commodities.selectionModel().selectedRows()
        return self.commodity_model.row_object(rows[0].row()) if rows else None

    def _on_commodities_selectionChanged(self, *_args: object) -> None:
        """Offer the commodity's other rubric versions, unless assessors already have one."""
        link = self._selected_commodity()
        self.version_combo.clear()
        allowed = bool(link and self._round and self._round.editable
                       and self._ctx.is_coordinator and not link.rubric_frozen)
        if link is None:
            self.version_hint.setText(_("Select a commodity to change its rubric version."))
        elif link.rubric_frozen:
            self.version_hint.setText(_("Assessors already have this version; it stays."))
        else:
            self.version_hint.clear()
        if link is not None:
            for record in self._ctx.workspace.rubrics.list(link.commodity):
                self.version_combo.addItem(f"{link.commodity.label} v{record.version}", record.id)
            self.version_combo.setCurrentIndex(self.version_combo.findData(link.rubric_id))
        self.version_combo.setEnabled(allowed)
        self.use_version.setEnabled(allowed)

    def _on_use_version_clicked(self) -> None:
        link = self._selected_commodity()
        if link is None or self._round is None:
            return
        try:
            self._round = self._ctx.workspace.rounds.set_rubric(
                self._round.id, link.commodity, int(self.version_combo.currentData()))
        except Exception as exc:
            show_error(self, exc)
            return
        self._changed()

    # -- actions -------------------------------------------------------------

    def _on_new_button_clicked(self) -> None:
        dialog = NewRoundDialog(self)
        if not dialog.exec():
            return
        year, name, thresholds = dialog.values()
        try:
            self._ctx.workspace.rubrics.install_defaults()
            created = self._ctx.workspace.rounds.create(year, name, thresholds)
        except Exception as exc:
            show_error(self, exc)
            return
        self._round = created
        self._ctx.workspace.update_settings(current_round_id=created.id)
        self._changed(round_changed=True)

    def _on_save_thresholds_clicked(self) -> None:
        if self._round is None:
            return
        thresholds = Thresholds(self.three.value(), self.two.value(), self.one.value())
        try:
            self._round = self._ctx.workspace.rounds.set_thresholds(self._round.id, thresholds)
        except Exception as exc:
            show_error(self, exc)
            return
        self._changed()

    def _move(self, status: RoundStatus) -> None:
        if self._round is None:
            return
        if status is RoundStatus.CLOSED and not confirm(
                self, _("Close the round"),
                _("After closing, thresholds and rubric versions can no longer change."),
                _("Close the round")):
            return
        try:
            self._round = self._ctx.workspace.rounds.set_status(self._round.id, status)
        except Exception as exc:
            show_error(self, exc)
            return
        self._changed()

    def _on_current_button_clicked(self) -> None:
        if self._round is not None:
            self._ctx.workspace.update_settings(current_round_id=self._round.id)
            self._changed(round_changed=True)

    def _changed(self, round_changed: bool = False) -> None:
        self.refresh()
        self._ctx.signals.data_changed.emit()
        if round_changed and self._round is not None:
            self._ctx.signals.round_changed.emit(self._round.id)
