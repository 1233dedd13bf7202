"""One candidate's administrative check: each required document present, missing or invalid."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.screening import Decision, DocStatus, DocumentCheck, ScreeningResult
from ovop_desktop.i18n import _
from ovop_desktop.services.candidates import CandidateSummary
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error
from ovop_desktop.ui.models.candidates_model import DECISION_COLOURS, kind_text

STATUSES = (DocStatus.PRESENT, DocStatus.MISSING, DocStatus.INVALID)


def decision_text(result: ScreeningResult) -> str:
    """"Passed", or the decision with its reasons, one per line."""
    reasons = result.reasons()
    if result.decision is Decision.PASSED or not reasons:
        return result.decision.label
    return result.decision.label + "\n" + "\n".join(f"• {r}" for r in reasons)


@dataclass
class DocumentRow:
    document: Document
    group: QButtonGroup
    radios: dict[DocStatus, QRadioButton]
    note: QLineEdit
    saved_note: str = ""

    def status(self) -> DocStatus | None:
        return next((s for s, r in self.radios.items() if r.isChecked()), None)


class DocumentChecksPanel(QWidget):
    """result_changed(summary) — a check was saved; the summary carries the new decision."""

    result_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.summary: CandidateSummary | None = None
        self.rows: dict[Document, DocumentRow] = {}
        self.heading = QLabel(objectName="sectionTitle")
        self.heading.setWordWrap(True)
        self.details = QLabel(objectName="screeningDetails")
        self.details.setWordWrap(True)
        self.decision = QLabel(objectName="decisionLabel")
        self.decision.setWordWrap(True)
        self.decision.setTextFormat(Qt.TextFormat.PlainText)
        self.box = QGroupBox(_("Required documents"))
        self.grid = QGridLayout(self.box)
        self.hint = QLabel(_("Mark what the proposal's documents show; each change is saved at "
                             "once. “Declared” is what the proposal says it holds."))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addWidget(self.decision)
        layout.addWidget(self.box)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.show_candidate(None, ())

    def show_candidate(self, summary: CandidateSummary | None,
                       required: tuple[Document, ...]) -> None:
        """Show `summary`'s checklist (the documents its commodity requires), or nothing."""
        self.summary = summary
        self._clear()
        self.box.setVisible(summary is not None)
        self.hint.setVisible(summary is not None)
        if summary is None:
            self.heading.setText(_("Choose a candidate"))
            self.details.setText(_("Pick a candidate on the left to check its documents."))
            self.decision.setText("")
            return
        self.heading.setText(summary.name)
        self.details.setText(" · ".join(p for p in (
            summary.region_name, summary.province_name, summary.commodity.label,
            kind_text(summary), _("NIB {nib}").format(nib=summary.nib) if summary.nib else "")
            if p))
        checks = self._ctx.workspace.screening.checks(summary.id)
        declared = self._ctx.workspace.candidates.get(summary.id).data.documents
        for column, title in enumerate((_("Document"), _("Declared"), *[
                s.label[:1].upper() + s.label[1:] for s in STATUSES], _("Note"))):
            header = QLabel(title)
            header.setStyleSheet("font-weight: 600;")
            self.grid.addWidget(header, 0, column)
        for row, document in enumerate(required, start=1):
            self._add_row(row, document, checks.get(document), document in declared)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(5, 2)
        self._show_result(summary.screening)

    def _add_row(self, row: int, document: Document, check: DocumentCheck | None,
                 declared: bool) -> None:
        label = QLabel(document.label)
        label.setWordWrap(True)
        label.setMinimumWidth(120)
        self.grid.addWidget(label, row, 0)
        self.grid.addWidget(QLabel("✔" if declared else "—"), row, 1,
                            Qt.AlignmentFlag.AlignCenter)
        group = QButtonGroup(self)
        radios = {}
        for column, status in enumerate(STATUSES, start=2):
            radio = QRadioButton(objectName=f"{document.value}_{status.value}")
            radio.setToolTip(status.label)
            group.addButton(radio)
            radios[status] = radio
            self.grid.addWidget(radio, row, column, Qt.AlignmentFlag.AlignCenter)
        note = QLineEdit(objectName=f"{document.value}_note")
        note.setPlaceholderText(_("Note (optional)"))
        note.setMaxLength(1000)
        note.setMinimumWidth(140)
        item = DocumentRow(document, group, radios, note)
        if check is not None:
            radios[check.status].setChecked(True)
            note.setText(check.note)
            item.saved_note = check.note
            label.setToolTip(_("Checked by {who} at {when}").format(who=check.checked_by,
                                                                    when=check.checked_at))
        self.grid.addWidget(note, row, 5)
        self.rows[document] = item
        group.buttonToggled.connect(
            lambda _b, checked, d=document: checked and self.save(d))
        note.editingFinished.connect(lambda d=document: self._on_note_editingFinished(d))

    def _clear(self) -> None:
        for item in self.rows.values():
            item.group.deleteLater()
        self.rows = {}
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:  # hidden now, deleted when control returns to Qt
                widget.hide()
                widget.deleteLater()

    def set_status(self, document: Document, status: DocStatus, note: str | None = None) -> None:
        """What clicking a radio button (after typing a note) does."""
        item = self.rows[document]
        if note is not None:
            item.note.setText(note)
        if item.status() is status:
            self.save(document)
        else:
            item.radios[status].setChecked(True)

    def _on_note_editingFinished(self, document: Document) -> None:
        item = self.rows.get(document)
        if item is not None and item.status() is not None and item.note.text() != item.saved_note:
            self.save(document)

    def save(self, document: Document) -> None:
        item = self.rows[document]
        status = item.status()
        if self.summary is None or status is None:
            return
        try:
            result = self._ctx.workspace.screening.set_check(self.summary.id, document, status,
                                                             item.note.text())
        except Exception as exc:
            show_error(self, exc)
            return
        item.saved_note = " ".join(item.note.text().split())
        self.summary = replace(self.summary, screening=result)
        self._show_result(result)
        self.result_changed.emit(self.summary)

    def _show_result(self, result: ScreeningResult) -> None:
        self.decision.setText(decision_text(result))
        self.decision.setStyleSheet(f"color: {DECISION_COLOURS[result.decision]}; "
                                    "font-size: 15px; font-weight: 600; padding: 6px 0;")
