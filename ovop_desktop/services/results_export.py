"""Results and Go Global exports: XLSX/CSV/JSON, each with its signed receipt.

A .json export carries the receipt inside; an .xlsx/.csv export gets the receipt
beside it (`<name>.receipt.json`), because a spreadsheet cell can be edited
unnoticed but the receipt cannot. Both files are written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.results import CandidateResult
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import _, current_language
from ovop_desktop.services import receipts
from ovop_desktop.services.atomic import atomic_write
from ovop_desktop.services.results import ResultsReport, ShortlistEntry
from ovop_desktop.services.tabular_export import write_table

SUFFIXES = (".xlsx", ".csv", ".json")


def receipt_path(path: Path) -> Path:
    return path.with_name(path.stem + ".receipt.json")


def _aspect_ids(report: ResultsReport) -> list[str]:
    seen: dict[str, None] = {}
    for rubric in report.rubrics.values():
        for aspect in rubric.aspects:
            seen.setdefault(aspect.id, None)
    return list(seen)


def result_row(report: ResultsReport, r: CandidateResult, language: str) -> dict[str, Any]:
    """One candidate's results as plain values (JSON objects, table rows, CLI --json)."""
    f = report.candidates[r.candidate_id]
    return {
        "candidate": r.candidate_id, "uid": f.uid, "name": f.name,
        "commodity": r.commodity, "regency": f.regency, "province": f.province,
        "kind": f.kind, "assessors": len(r.assessors),
        "aspects": {k: round(v, 2) for k, v in r.aspects.items()},
        "total": None if r.total is None else round(r.total, 2),
        "star": r.star, "rank": r.rank, "complete": r.complete,
        "flags": [str(flag) for flag in r.flags],
        "corrected_total": None if r.corrected_total is None else round(r.corrected_total, 2),
        "corrected_star": r.corrected_star,
        "previous_star": r.previous_star,
        "change": None if r.change is None else str(r.change),
        "moderated": [c.criterion_id for c in r.criteria if c.moderated is not None],
        "coaching": [{"criterion": c, "name": report.criterion_name(r.commodity, c, language)}
                     for c in r.coaching],
    }


def export_results(report: ResultsReport, path: Path, key: Ed25519PrivateKey,
                   signer: str) -> Path:
    """Write the results and their signed receipt; returns where the receipt went."""
    suffix = path.suffix.casefold()
    if suffix not in SUFFIXES:
        raise UserFacingError(_("Cannot export to '{name}': choose a file ending in .xlsx, "
                                ".csv or .json.").format(name=path.name))
    language = current_language()
    receipt = receipts.sign_receipt(receipts.payload(report), key, signer)
    rows = [result_row(report, r, language) for r in report.rows()]
    if suffix == ".json":
        doc = {"round": {"year": report.round.year, "name": report.round.name},
               "results": rows, "receipt": receipt}
        atomic_write(path, (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode())
        return path
    aspects = _aspect_ids(report)
    headers = [_("Rank"), _("IKM"), _("Commodity"), _("Kabupaten/kota"), _("Province"),
               _("Assessors"), *[_("Aspect {a}").format(a=a) for a in aspects], _("Total"),
               _("Star"), _("Corrected total"), _("Corrected star"), _("Flags"),
               _("Previous star"), _("Change"), _("Moderated"), _("Coaching areas"), _("ID")]
    table = []
    for row, r in zip(rows, report.rows(), strict=True):
        table.append([
            r.rank, row["name"], Commodity(r.commodity).label, row["regency"], row["province"],
            row["assessors"], *[row["aspects"].get(a) for a in aspects], row["total"],
            r.star if r.star is not None else _("incomplete"), row["corrected_total"],
            r.corrected_star, ", ".join(f.label for f in r.flags), r.previous_star,
            r.change.label if r.change else None, ", ".join(row["moderated"]),
            "; ".join(f"{c['criterion']} {c['name']}" for c in row["coaching"]), row["uid"]])
    target = receipt_path(path)
    atomic_write(target, receipts.dumps(receipt))  # the receipt first: a table never lacks one
    write_table(path, headers, table, _("Results {year}").format(year=report.round.year))
    return target


def export_shortlist(entries: list[ShortlistEntry], path: Path) -> None:
    headers = [_("IKM"), _("Commodity"), _("Kabupaten/kota"), _("Province"), _("Star"),
               _("Total"), _("Production capacity"), _("Workforce"), _("Export history"),
               _("Certifications and documents"), _("Markets"), _("Selected"),
               _("Curation note"), _("ID")]
    rows = [[e.facts.name, Commodity(e.result.commodity).label, e.facts.regency,
             e.facts.province, e.result.star, None if e.result.total is None
             else round(e.result.total, 2), e.facts.capacity, e.facts.workforce,
             e.facts.export_history, e.facts.documents, e.facts.markets,
             _("yes") if e.selected else _("no"), e.note, e.facts.uid] for e in entries]
    write_table(path, headers, rows, "Go Global")
