"""Pieces of the candidate form: the kab/kota field resolved as you type, and the history table."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

from ovop_desktop.domain.candidates import EntryKind, field_label
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import parse_document
from ovop_desktop.domain.regions import Regency, RegionRegistry
from ovop_desktop.i18n import _
from ovop_desktop.services.candidates import HistoryEntry
from ovop_desktop.ui.models.table import Column, RowTableModel


def regency_text(regency: Regency) -> str:
    """How the field writes a chosen regency: "Kabupaten Garut (32.05)" (resolves back to it)."""
    return f"{regency.name} ({regency.code})"


class RegionField(QWidget):
    """A line edit with a completer over the 514 kabupaten/kota, resolved live with ✔/⚠/✖.

    changed() — the text changed; `code()` is the Kemendagri code, or the raw text when the
    text does not name exactly one kabupaten/kota (validation then says why).
    """

    changed = Signal()

    def __init__(self, registry: RegionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._regency: Regency | None = None
        self.edit = QLineEdit(objectName="regionEdit")
        self.edit.setPlaceholderText(_("e.g. Kab. Garut, Kota Bogor or 32.05"))
        completer = QCompleter([regency_text(r) for r in registry.regencies()], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.edit.setCompleter(completer)
        self.status = QLabel(objectName="regionStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        self.edit.textChanged.connect(self._on_edit_textChanged)
        self._on_edit_textChanged("")

    def set_code(self, code: str) -> None:
        regency = self._registry.regency(code)
        self.edit.setText(regency_text(regency) if regency else code)

    def code(self) -> str:
        return self._regency.code if self._regency else self.edit.text().strip()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def _on_edit_textChanged(self, text: str) -> None:
        res = self._registry.resolve(text)
        self._regency = res.regency if res.status == "ok" else None
        if res.status == "empty":
            self.status.setText(_("Type a name or a Kemendagri code."))
            colour = "#666"
        elif self._regency is not None:
            province = self._registry.province(self._regency.province_code)
            self.status.setText(_("✔ {code} {name}, {province}").format(
                code=self._regency.code, name=self._regency.name,
                province=province.name if province else ""))
            colour = "#1b7a3d"
        elif res.status == "ambiguous":
            self.status.setText(_("⚠ Could be {names}: write the kind (Kab./Kota) or the "
                                  "code.").format(names=", ".join(
                                      regency_text(r) for r in res.candidates)))
            colour = "#7a5c00"
        else:
            hint = ", ".join(regency_text(r) for r in res.candidates[:3])
            message = _("✖ Not a known kabupaten/kota.")
            if hint:
                message += " " + _("Did you mean: {names}?").format(names=hint)
            self.status.setText(message)
            colour = "#b3261e"
        self.status.setStyleSheet(f"color: {colour};")
        self.changed.emit()


def readable_value(registry: RegionRegistry, field: str, value: str) -> str:
    """A stored history value as people read it: labels, not codes."""
    if not value:
        return "—"
    try:
        if field == "commodity":
            return Commodity(value).label
        if field == "kind":
            return EntryKind(value).label
    except ValueError:
        return value
    if field == "documents":
        return ", ".join(d.label if (d := parse_document(v)) else v for v in value.split(","))
    if field == "region_code":
        regency = registry.regency(value)
        return regency_text(regency) if regency else value
    if field == "associations":  # stored one per line
        return "; ".join(value.splitlines())
    if field == "previous_star" and value.isdigit():
        return "★" * int(value)
    return value


def local_time(ts: str) -> str:
    try:
        return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ts


def history_model(registry: RegionRegistry, parent: QWidget) -> RowTableModel[HistoryEntry]:
    """Who changed what when, old → new, newest first as the service returns it."""
    return RowTableModel([
        Column(lambda: _("When"), lambda h: local_time(h.ts), sort=lambda h: h.ts),
        Column(lambda: _("Who"), lambda h: h.actor),
        Column(lambda: _("Field"), lambda h: field_label(h.field)),
        Column(lambda: _("Before"), lambda h: readable_value(registry, h.field, h.old)),
        Column(lambda: _("After"), lambda h: readable_value(registry, h.field, h.new)),
    ], parent)

