"""Asking where a table goes: a save dialog for XLSX or CSV that makes sure of the suffix."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ovop_desktop.i18n import _

TABLE_FILTER = "{xlsx} (*.xlsx);;{csv} (*.csv)"


def ask_table_path(parent: QWidget, title: str, default_name: str) -> Path | None:
    """A save dialog for XLSX or CSV; adds the suffix of the chosen type when none was typed."""
    filters = TABLE_FILTER.format(xlsx=_("Excel workbook"), csv=_("CSV file"))
    if default_name.endswith(".csv"):  # offer the type the default name has first
        filters = ";;".join(reversed(filters.split(";;")))
    path, chosen = QFileDialog.getSaveFileName(parent, title, default_name, filters)
    if not path:
        return None
    result = Path(path)
    if result.suffix.lower() not in (".xlsx", ".csv"):
        result = result.with_name(result.name + (".csv" if "csv" in chosen else ".xlsx"))
    return result
