"""Export the registry and its screening result to XLSX or CSV (formula-injection safe)."""

from __future__ import annotations

from pathlib import Path

from ovop_desktop.domain.candidates import field_label
from ovop_desktop.i18n import _
from ovop_desktop.services.tabular_export import write_table
from ovop_desktop.services.workspace import Workspace

_FIELDS = ("name", "owner", "address", "region_code", "sentra_name", "sentra_sk_number",
           "sentra_sk_date", "commodity", "product", "nib", "documents", "workforce",
           "capacity", "markets", "export_history", "kind", "previous_star", "previous_year",
           "associations")


def export_registry(ws: Workspace, round_id: int, path: Path) -> int:
    """One row per candidate: its record, its kab/kota and province, the screening decision."""
    summaries = {s.id: s for s in ws.candidates.summaries(round_id)}
    records = {c.id: c.data for c in ws.candidates.all(round_id)}
    headers = ["ID", *[field_label(f) for f in _FIELDS], _("Kabupaten/kota name"),
               _("Province"), _("Screening"), _("Screening reasons")]
    rows = []
    for cid, summary in summaries.items():
        d = records[cid]
        values: list[object] = [cid]
        for name in _FIELDS:
            value = getattr(d, name)
            if name == "documents":
                value = ", ".join(doc.label for doc in sorted(value))
            elif name in ("commodity", "kind"):
                value = value.label
            elif name == "sentra_sk_date":
                value = value.isoformat() if value else ""
            elif name == "associations":  # "; " reads back as separate names on import
                value = "; ".join(value)
            values.append("" if value is None else value)
        values += [summary.region_name, summary.province_name, summary.decision.label,
                   "; ".join(summary.screening.reasons())]
        rows.append(values)
    write_table(Path(path), headers, rows, _("Candidates"))
    return len(rows)
