"""The candidate detail form: every field, live validation, a duplicate warning, the history."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.candidates import LIMITS, Candidate, CandidateData, EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.candidate_fields import RegionField, history_model, regency_text
from ovop_desktop.ui.messages import show_error

_LINE_FIELDS = ("name", "owner", "address", "product", "nib", "sentra_name", "sentra_sk_number",
                "capacity", "markets", "export_history")
DUPLICATE_DELAY_MS = 300  # the duplicate look-up reads the database: not on every keystroke


class CandidateFormDialog(QDialog):
    """A new candidate (candidate_id None) or an existing one. Assessors see it read-only.

    After a successful save, `saved` is the stored Candidate and the dialog is accepted.
    """

    def __init__(self, ctx: AppContext, round_id: int, candidate_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._service = ctx.workspace.candidates
        self._round_id = round_id
        self._candidate_id = candidate_id
        self.read_only = not ctx.is_coordinator
        self.saved: Candidate | None = None
        self.setWindowTitle(_("New candidate") if candidate_id is None else _("Candidate"))
        self.resize(960, 580)

        self.tabs = QTabWidget(objectName="candidateTabs")
        self.tabs.addTab(self._build_record(), _("Record"))
        self.tabs.addTab(self._build_history(), _("History"))
        self.problems = QLabel(objectName="problemsLabel")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.duplicates = QLabel(objectName="duplicatesLabel")
        self.duplicates.setWordWrap(True)
        self.duplicates.setStyleSheet("color: #7a5c00;")
        self.duplicates.hide()
        self.buttons = QDialogButtonBox()
        if self.read_only:
            self.save_button = None
            self.buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        else:
            self.save_button = self.buttons.addButton(_("Save"),
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setObjectName("saveButton")
            self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.buttons)

        self._duplicate_timer = QTimer(self, singleShot=True, interval=DUPLICATE_DELAY_MS)
        self._duplicate_timer.timeout.connect(self.check_duplicates)
        if candidate_id is not None:
            candidate = self._service.get(candidate_id)
            self.set_data(candidate.data)
            self.setWindowTitle(_("Candidate: {name}").format(name=candidate.data.name))
            self.history.set_rows(self._service.history(candidate_id))
        self.tabs.setTabEnabled(1, candidate_id is not None)
        self._connect_changes()
        if self.read_only:
            self._make_read_only()
        self._on_changed()
        self.check_duplicates()

    # -- building ----------------------------------------------------------------

    def _build_record(self) -> QWidget:
        self.edits = {f: QLineEdit(objectName=f"{f}Edit") for f in _LINE_FIELDS}
        for name, edit in self.edits.items():
            edit.setMaxLength(LIMITS.get(name, 100) + 1)  # one over, so the limit is reported
        self.edits["nib"].setPlaceholderText(_("13 digits"))
        self.region = RegionField(self._ctx.workspace.regions)
        self.commodity = QComboBox(objectName="commodityCombo")
        for c in Commodity:
            self.commodity.addItem(c.label, c)
        self.workforce = QSpinBox(objectName="workforceSpin")
        self.workforce.setRange(-1, 1_000_000)
        self.workforce.setSpecialValueText(_("unknown"))
        self.workforce.setValue(-1)
        self.workforce.setSuffix(" " + _("people"))
        self.associations = QPlainTextEdit(objectName="associationsEdit")
        self.associations.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.associations.setPlaceholderText(_("One association or cooperative per line"))
        self.associations.setToolTip(_("An assessor whose institution is one of these "
                                       "associations has a conflict of interest with this "
                                       "IKM."))
        self.associations.setFixedHeight(self.associations.fontMetrics().height() * 3 + 14)

        ikm = QGroupBox(_("IKM"))
        form = QFormLayout(ikm)
        form.addRow(_("IKM name"), self.edits["name"])
        form.addRow(_("Owner"), self.edits["owner"])
        form.addRow(_("Address"), self.edits["address"])
        form.addRow(_("Kabupaten/kota"), self.region)
        form.addRow(_("Commodity"), self.commodity)
        form.addRow(_("Product"), self.edits["product"])
        form.addRow(_("NIB"), self.edits["nib"])
        form.addRow(_("Workforce"), self.workforce)
        form.addRow(_("Production capacity"), self.edits["capacity"])
        form.addRow(_("Markets"), self.edits["markets"])
        form.addRow(_("Export history"), self.edits["export_history"])
        form.addRow(_("Associations"), self.associations)

        right = QVBoxLayout()
        right.addWidget(self._build_sentra())
        right.addWidget(self._build_documents())
        right.addWidget(self._build_entry())
        right.addStretch(1)
        widget = QWidget()
        layout = QHBoxLayout(widget)
        layout.addWidget(ikm, 3)
        layout.addLayout(right, 2)
        return widget

    def _build_sentra(self) -> QGroupBox:
        self.sk_date_known = QCheckBox(_("known"), objectName="skDateKnown")
        self.sk_date = QDateEdit(objectName="skDateEdit")
        self.sk_date.setCalendarPopup(True)
        self.sk_date.setDisplayFormat("dd-MM-yyyy")
        self.sk_date.setDate(QDate.currentDate())
        self.sk_date.setEnabled(False)
        self.sk_date_known.toggled.connect(self.sk_date.setEnabled)
        date_row = QHBoxLayout()
        date_row.addWidget(self.sk_date_known)
        date_row.addWidget(self.sk_date, 1)
        box = QGroupBox(_("Sentra IKM"))
        form = QFormLayout(box)
        form.addRow(_("Name"), self.edits["sentra_name"])
        form.addRow(_("Decree (SK) number"), self.edits["sentra_sk_number"])
        form.addRow(_("Decree (SK) date"), date_row)
        return box

    def _build_documents(self) -> QGroupBox:
        self.documents = {d: QCheckBox(d.label, objectName=f"doc_{d.value}") for d in Document}
        box = QGroupBox(_("Documents held"))
        layout = QVBoxLayout(box)
        layout.setSpacing(2)
        for check in self.documents.values():
            layout.addWidget(check)
        return box

    def _build_entry(self) -> QGroupBox:
        self.kind_new = QRadioButton(EntryKind.NEW.label, objectName="kindNew")
        self.kind_reevaluation = QRadioButton(EntryKind.REEVALUATION.label,
                                              objectName="kindReevaluation")
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.kind_new)
        self.kind_group.addButton(self.kind_reevaluation)
        self.kind_new.setChecked(True)
        self.previous_star = QComboBox(objectName="previousStar")
        for star in (1, 2, 3):
            self.previous_star.addItem("★" * star, star)
        self.previous_year = QSpinBox(objectName="previousYear")
        self.previous_year.setRange(2000, 2100)
        self.previous_year.setValue(date.today().year - 2)
        kinds = QHBoxLayout()
        kinds.addWidget(self.kind_new)
        kinds.addWidget(self.kind_reevaluation)
        kinds.addStretch(1)
        box = QGroupBox(_("Kind of entry"))
        form = QFormLayout(box)
        form.addRow(kinds)
        form.addRow(_("Previous star"), self.previous_star)
        form.addRow(_("Year of previous award"), self.previous_year)
        self.kind_group.buttonToggled.connect(self._on_kind_group_buttonToggled)
        self._on_kind_group_buttonToggled(self.kind_new, True)
        return box

    def _build_history(self) -> QWidget:
        self.history = history_model(self._ctx.workspace.regions, self)
        self.history_table = QTableView(objectName="historyTable")
        self.history_table.setModel(self.history)
        self.history_table.verticalHeader().hide()
        self.history_table.setWordWrap(True)
        header = self.history_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        return self.history_table

    def _connect_changes(self) -> None:
        for edit in self.edits.values():
            edit.textChanged.connect(self._on_changed)
        self.region.changed.connect(self._on_changed)
        for widget in (self.commodity, self.previous_star):
            widget.currentIndexChanged.connect(self._on_changed)
        for spin in (self.workforce, self.previous_year):
            spin.valueChanged.connect(self._on_changed)
        for check in (self.sk_date_known, *self.documents.values(), self.kind_new):
            check.toggled.connect(self._on_changed)
        self.sk_date.dateChanged.connect(self._on_changed)
        self.associations.textChanged.connect(self._on_changed)

    def _make_read_only(self) -> None:
        for edit in (*self.edits.values(), self.region.edit, self.associations):
            edit.setReadOnly(True)
        for widget in (self.commodity, self.workforce, self.sk_date_known, self.sk_date,
                       *self.documents.values(), self.kind_new, self.kind_reevaluation,
                       self.previous_star, self.previous_year):
            widget.setEnabled(False)

    # -- data --------------------------------------------------------------------

    def data(self) -> CandidateData:
        """The record as the form shows it (not yet cleaned or validated)."""
        text = {f: edit.text() for f, edit in self.edits.items()}
        again = self.kind_reevaluation.isChecked()
        return CandidateData(
            **text, region_code=self.region.code(),
            commodity=Commodity(self.commodity.currentData()),
            sentra_sk_date=(self.sk_date.date().toPython() if self.sk_date_known.isChecked()
                            else None),
            documents=frozenset(d for d, box in self.documents.items() if box.isChecked()),
            workforce=None if self.workforce.value() < 0 else self.workforce.value(),
            kind=EntryKind.REEVALUATION if again else EntryKind.NEW,
            previous_star=self.previous_star.currentData() if again else None,
            previous_year=self.previous_year.value() if again else None,
            associations=tuple(self.associations.toPlainText().splitlines()))

    def set_data(self, data: CandidateData) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(data, name))
        self.associations.setPlainText("\n".join(data.associations))
        self.region.set_code(data.region_code)
        self.commodity.setCurrentIndex(self.commodity.findData(data.commodity))
        self.sk_date_known.setChecked(data.sentra_sk_date is not None)
        if data.sentra_sk_date is not None:
            self.sk_date.setDate(QDate(data.sentra_sk_date))
        for document, box in self.documents.items():
            box.setChecked(document in data.documents)
        self.workforce.setValue(-1 if data.workforce is None else data.workforce)
        again = data.kind is EntryKind.REEVALUATION
        (self.kind_reevaluation if again else self.kind_new).setChecked(True)
        if data.previous_star in (1, 2, 3):
            self.previous_star.setCurrentIndex(self.previous_star.findData(data.previous_star))
        if data.previous_year is not None:
            self.previous_year.setValue(data.previous_year)

    # -- reacting ----------------------------------------------------------------

    def current_problems(self) -> list[str]:
        return self._service.validate(self.data())

    def _on_changed(self, *_args: object) -> None:
        found = [] if self.read_only else self.current_problems()
        self.problems.setText("\n".join(f"• {p}" for p in found))
        self.problems.setVisible(bool(found))
        if self.save_button is not None:
            self.save_button.setEnabled(not found)
        self._duplicate_timer.start()

    def _on_kind_group_buttonToggled(self, _button: QAbstractButton, _checked: bool) -> None:
        again = self.kind_reevaluation.isChecked() and not self.read_only
        self.previous_star.setEnabled(again)
        self.previous_year.setEnabled(again)

    def check_duplicates(self) -> list[int]:
        """Warn (not block) about candidates of the round with the same NIB or name and place."""
        data = self.data()
        ids = self._service.possible_duplicates(self._round_id, data, self._candidate_id) \
            if data.name.strip() or data.nib.strip() else []
        if not ids:
            self.duplicates.hide()
            return ids
        names = []
        for candidate_id in ids[:3]:
            other = self._service.get(candidate_id).data
            regency = self._ctx.workspace.regions.regency(other.region_code)
            names.append(f"#{candidate_id} {other.name} "
                         f"({regency_text(regency) if regency else other.region_code})")
        more = len(ids) - len(names)
        text = _("⚠ Possibly already registered in this round: {names}").format(
            names="; ".join(names))
        if more:
            text += " " + _("and {count} more").format(count=more)
        self.duplicates.setText(text)
        self.duplicates.show()
        return ids

    def _on_buttons_accepted(self) -> None:
        if self.read_only or self.current_problems():
            return
        try:
            if self._candidate_id is None:
                self.saved = self._service.create(self._round_id, self.data())
            else:
                self.saved = self._service.update(self._candidate_id, self.data())
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()
