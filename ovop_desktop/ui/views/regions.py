"""Wilayah: look up a kabupaten/kota as regional spreadsheets write it, browse all 514."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.regions import Regency
from ovop_desktop.i18n import _
from ovop_desktop.ui.context import AppContext
from ovop_desktop.ui.models.table import SORT_ROLE, Column, RowTableModel


class RegionsView(QWidget):
    """Type what a proposal says ("Kab. Garut", "3205", "Bogor"); see the code or the choices."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = ctx.workspace.regions
        registry = self._registry
        self.query = QLineEdit(objectName="regionQuery")
        self.query.setPlaceholderText(_("Type a kabupaten/kota name or code, e.g. Kab. Garut, "
                                        "3205, Kota Bogor"))
        self.query.setClearButtonEnabled(True)
        self.result = QLabel(objectName="regionResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.province = QComboBox(objectName="provinceFilter")
        self.province.addItem(_("All provinces"), "")
        for p in registry.provinces():
            self.province.addItem(f"{p.code} {p.name}", p.code)

        self.model: RowTableModel[Regency] = RowTableModel([
            Column(lambda: _("Code"), lambda r: r.code),
            Column(lambda: _("Kabupaten/kota"), lambda r: r.name),
            Column(lambda: _("Province"),
                   lambda r: p.name if (p := registry.province(r.province_code)) else ""),
        ], self)
        self.model.set_rows(registry.regencies())
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(2)
        self.table = QTableView(objectName="regionTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()

        title = QLabel(_("Regions (Kemendagri codes)"))
        title.setObjectName("viewTitle")
        top = QHBoxLayout()
        top.addWidget(self.query, 3)
        top.addWidget(self.province, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        source = QLabel(_("Source: Kepmendagri 300.2.2-2138/2025, via cahyadsn/wilayah (MIT)."))
        source.setObjectName("hint")
        layout.addWidget(source)

        self.query.textChanged.connect(self._on_query_textChanged)
        self.province.currentIndexChanged.connect(self._on_province_currentIndexChanged)
        self._on_query_textChanged("")

    def refresh(self) -> None:
        """Region data is shipped, not edited: nothing to reload."""

    def _on_province_currentIndexChanged(self, _index: int) -> None:
        code = self.province.currentData()
        province = self._registry.province(code) if code else None
        self.proxy.setFilterFixedString(province.name if province else "")
        self._update_count()

    def _on_query_textChanged(self, text: str) -> None:
        res = self._registry.resolve(text)
        if res.status == "empty":
            self.result.setText(_("The lookup reads the forms regional spreadsheets use and "
                                  "never guesses between two places."))
            self.model.set_rows(self._registry.regencies())
        elif res.status == "ok" and res.regency:
            self.result.setText(_("✔ {code} — {name}").format(code=res.regency.code,
                                                             name=res.regency.name))
            self.model.set_rows([res.regency])
        elif res.status == "ambiguous":
            names = ", ".join(f"{r.code} {r.name}" for r in res.candidates)
            self.result.setText(_("⚠ Ambiguous: {text!r} could be {names}. Write the kind "
                                  "(Kab./Kota) or the code.").format(text=text, names=names))
            self.model.set_rows(list(res.candidates))
        else:
            hint = ", ".join(r.name for r in res.candidates)
            message = _("✖ {text!r} is not a known kabupaten/kota.").format(text=text)
            if hint:
                message += " " + _("Did you mean: {names}?").format(names=hint)
            self.result.setText(message)
            self.model.set_rows(list(res.candidates) or self._registry.search(text))
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(_("{shown} of {total} kabupaten/kota shown").format(
            shown=self.proxy.rowCount(), total=len(self._registry.regencies())))
