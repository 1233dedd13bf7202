"""The screening summary as the ministry reports it: proposals, provinces, passed, failed by
document, and the tallies by commodity and by province."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.screening import ScreeningSummary, Tally
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.dialogs.file_choice import ask_table_path
from ovop_desktop.ui.messages import show_error, show_info
from ovop_desktop.ui.models.table import Column, RowTableModel
from ovop_desktop.ui.workers import ServiceTask

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TallyRow = tuple[str, Tally]


def tally_columns(name: Callable[[], str]) -> list[Column[TallyRow]]:
    def number(header: Callable[[], str], value: Callable[[Tally], int]) -> Column[TallyRow]:
        return Column(header, lambda r: str(value(r[1])), sort=lambda r: value(r[1]), align=RIGHT)

    return [Column(name, lambda r: r[0]),
            number(lambda: _("Total"), lambda t: t.total),
            number(lambda: _("Passed"), lambda t: t.passed),
            number(lambda: _("Failed"), lambda t: t.failed),
            number(lambda: _("Not yet screened"), lambda t: t.pending)]


def _table(name: str, model: RowTableModel[Any]) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.verticalHeader().hide()
    table.setSelectionMode(QTableView.SelectionMode.NoSelection)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class SummaryPanel(QWidget):
    """loaded() — the figures for the current round are shown (computed on a pool thread)."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.summary: ScreeningSummary | None = None
        self.figures: dict[str, QLabel] = {}
        cards = QHBoxLayout()
        for key, caption in (("proposals", _("Proposals")), ("provinces", _("Provinces")),
                             ("passed", _("Passed")), ("failed", _("Failed")),
                             ("pending", _("Not yet screened")),
                             ("reevaluations", _("Re-evaluations"))):
            cards.addWidget(self._card(key, caption))
        self.failed_by = RowTableModel[tuple[Document, int]]([
            Column(lambda: _("Document missing or invalid"), lambda r: r[0].label),
            Column(lambda: _("Candidates"), lambda r: str(r[1]), sort=lambda r: r[1],
                   align=RIGHT)], self)
        self.by_commodity = RowTableModel[TallyRow](tally_columns(lambda: _("Commodity")), self)
        self.by_province = RowTableModel[TallyRow](tally_columns(lambda: _("Province")), self)
        self.export_button = QPushButton(_("Export…"), objectName="exportSummaryButton")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.note = QLabel(objectName="hint")
        self.note.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(self._boxed(_("Failed by document"), _table("failedByTable",
                                                                    self.failed_by)), 2)
        left.addWidget(self._boxed(_("By commodity"), _table("byCommodityTable",
                                                              self.by_commodity)), 3)
        tables = QHBoxLayout()
        tables.addLayout(left, 1)
        tables.addWidget(self._boxed(_("By province"), _table("byProvinceTable",
                                                               self.by_province)), 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(cards)
        layout.addLayout(tables, 1)
        layout.addLayout(bottom)

    def _card(self, key: str, caption: str) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        value = QLabel("—", objectName=f"figure_{key}")
        value.setStyleSheet("font-size: 22px; font-weight: 600;")
        self.figures[key] = value
        grid = QGridLayout(frame)
        grid.addWidget(value, 0, 0)
        grid.addWidget(QLabel(caption), 1, 0)
        return frame

    @staticmethod
    def _boxed(title: str, table: QTableView) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(table)
        return box

    def load(self, round_id: int) -> None:
        """Recompute on a pool thread (~300 ms for 10,000 candidates)."""
        self._generation += 1
        generation = self._generation
        self._ctx.tasks.start(
            ServiceTask(self._ctx.workspace.screening.summary, round_id=round_id),
            lambda s: self._on_task_finished(generation, s), lambda exc: show_error(self, exc))

    def _on_task_finished(self, generation: int, summary: ScreeningSummary) -> None:
        if generation == self._generation:
            self.show_summary(summary)
            self.loaded.emit()

    def show_summary(self, summary: ScreeningSummary) -> None:
        self.summary = summary
        p, r = summary.proposals, summary.reevaluations
        for key, value in (("proposals", p.total), ("provinces", summary.provinces),
                           ("passed", p.passed), ("failed", p.failed), ("pending", p.pending),
                           ("reevaluations", r.total)):
            self.figures[key].setText(str(value))
        self.note.setText(_("{proposals} proposals from {provinces} provinces, {passed} passed "
                            "the administrative screening. Re-evaluations of earlier holders: "
                            "{re} ({re_passed} passed, {re_failed} failed, {re_pending} not yet "
                            "screened).").format(
                                proposals=p.total, provinces=summary.provinces, passed=p.passed,
                                re=r.total, re_passed=r.passed, re_failed=r.failed,
                                re_pending=r.pending))
        self.failed_by.set_rows(list(summary.failed_by_document.items()))
        self.by_commodity.set_rows([(c.label, t) for c, t in summary.by_commodity.items()])
        self.by_province.set_rows([(self._province_name(code), t)
                                   for code, t in summary.by_province.items()])

    def _province_name(self, code: str) -> str:
        province = self._ctx.workspace.regions.province(code) if code else None
        return province.name if province else _("(unknown province)")

    def table(self) -> tuple[list[str], list[list[object]]]:
        """The summary as one sheet: section, name, total, passed, failed, not yet screened."""
        headers = [_("Section"), _("Name"), _("Total"), _("Passed"), _("Failed"),
                   _("Not yet screened")]
        s = self.summary
        if s is None:
            return headers, []
        rows: list[list[object]] = [
            [_("Proposals"), _("New candidates"), *_numbers(s.proposals)],
            [_("Proposals"), _("Re-evaluations"), *_numbers(s.reevaluations)],
            [_("Proposals"), _("Provinces"), s.provinces, "", "", ""]]
        rows += [[_("Failed by document"), d.label, "", "", n, ""]
                 for d, n in s.failed_by_document.items()]
        rows += [[_("By commodity"), c.label, *_numbers(t)] for c, t in s.by_commodity.items()]
        rows += [[_("By province"), self._province_name(code), *_numbers(t)]
                 for code, t in s.by_province.items()]
        return headers, rows

    def _on_export_button_clicked(self) -> None:
        from ovop_desktop.services.tabular_export import write_table

        current = self._ctx.workspace.current_round()
        if self.summary is None or current is None:
            return
        path = ask_table_path(self, _("Export the screening summary"),
                              f"ovop-screening-{current.year}.xlsx")
        if path is None:
            return
        headers, rows = self.table()
        try:
            write_table(path, headers, rows, _("Screening"))
        except Exception as exc:
            show_error(self, exc)
            return
        show_info(self, _("Export finished"), _("The screening summary was saved to "
                                                "{path}.").format(path=path))


def _numbers(t: Tally) -> list[object]:
    return [t.total, t.passed, t.failed, t.pending]
