"""Dialog: which documents the administrative screening requires, per commodity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import DEFAULT_REQUIREMENTS, Document
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.messages import show_error


class ChecklistDialog(QDialog):
    """A grid of check boxes: documents down, commodities across. Saving calls
    `set_requirements` for each commodity whose list changed; `changed` lists them."""

    def __init__(self, ctx: AppContext, round_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._round_id = round_id
        self.changed: list[Commodity] = []
        self.setWindowTitle(_("Screening checklist"))
        self._current = ctx.workspace.screening.requirements(round_id)
        self.boxes: dict[tuple[Commodity, Document], QCheckBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for column, commodity in enumerate(Commodity, start=1):
            header = QLabel(commodity.label)  # not wrapped: wrapped labels clip in a grid
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setStyleSheet("font-weight: 600;")
            grid.addWidget(header, 0, column)
        for row, document in enumerate(Document, start=1):
            grid.addWidget(QLabel(document.label), row, 0)
            for column, commodity in enumerate(Commodity, start=1):
                box = QCheckBox(objectName=f"req_{commodity.value}_{document.value}")
                box.setChecked(document in self._current[commodity])
                box.toggled.connect(self._on_box_toggled)
                self.boxes[(commodity, document)] = box
                grid.addWidget(box, row, column, Qt.AlignmentFlag.AlignCenter)
        intro = QLabel(_("A candidate passes the administrative screening when every document "
                         "its commodity requires is present. Changes apply to this round's "
                         "decisions at once."))
        intro.setWordWrap(True)
        self.problem = QLabel(objectName="checklistProblem")
        self.problem.setStyleSheet("color: #b3261e;")
        self.defaults = QPushButton(_("Restore the defaults"), objectName="defaultsButton")
        self.defaults.clicked.connect(self._on_defaults_clicked)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(_("Save"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.defaults, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._on_box_toggled()

    def chosen(self, commodity: Commodity) -> tuple[Document, ...]:
        return tuple(d for d in Document if self.boxes[(commodity, d)].isChecked())

    def _on_box_toggled(self, *_args: object) -> None:
        empty = [c.label for c in Commodity if not self.chosen(c)]
        self.problem.setText(_("Every commodity needs at least one document: {names}.").format(
            names=", ".join(empty)) if empty else "")
        self.save_button.setEnabled(not empty)

    def _on_defaults_clicked(self) -> None:
        for (commodity, document), box in self.boxes.items():
            box.setChecked(document in DEFAULT_REQUIREMENTS[commodity])

    def _on_buttons_accepted(self) -> None:
        screening = self._ctx.workspace.screening
        try:
            for commodity in Commodity:
                chosen = self.chosen(commodity)
                if set(chosen) != set(self._current[commodity]):
                    screening.set_requirements(self._round_id, commodity, chosen)
                    self.changed.append(commodity)
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()
