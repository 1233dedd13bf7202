"""`ovop candidates import|list|show|export|template|add` and `ovop screening …`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context
    from ovop_desktop.domain.rounds import Round
    from ovop_desktop.services.candidates import CandidateSummary


def register(groups: Any) -> None:
    cand = groups.add_parser("candidates", help=_("the candidate registry of the current round"))
    cmds = cand.add_subparsers(dest="command", metavar="COMMAND", required=True)
    imp = cmds.add_parser("import", help=_("import proposals from an XLSX or CSV file"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=_("check only; write nothing"))
    imp.set_defaults(handler=cmd_import)
    lst = cmds.add_parser("list", help=_("list candidates"))
    lst.add_argument("--commodity")
    lst.add_argument("--province", help=_("province code or name"))
    lst.set_defaults(handler=cmd_list)
    show = cmds.add_parser("show", help=_("show one candidate with its screening and history"))
    show.add_argument("id", type=int)
    show.set_defaults(handler=cmd_show)
    export = cmds.add_parser("export", help=_("write the registry and screening result to XLSX "
                                              "or CSV"))
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(handler=cmd_export)
    template = cmds.add_parser("template", help=_("write the proposal template for regional "
                                                  "governments"))
    template.add_argument("--out", required=True, type=Path)
    template.set_defaults(handler=cmd_template)

    scr = groups.add_parser("screening", help=_("administrative screening"))
    scmds = scr.add_subparsers(dest="command", metavar="COMMAND", required=True)
    checklist = scmds.add_parser("checklist", help=_("the documents each commodity requires"))
    checklist.add_argument("--commodity")
    checklist.set_defaults(handler=cmd_checklist)
    set_ = scmds.add_parser("set", help=_("record a document as present, missing or invalid"))
    set_.add_argument("id", type=int)
    set_.add_argument("document")
    set_.add_argument("status", choices=["present", "missing", "invalid"])
    set_.add_argument("--note", default="")
    set_.set_defaults(handler=cmd_set)
    report = scmds.add_parser("report", help=_("the screening summary of the current round"))
    report.set_defaults(handler=cmd_report)


def _round(ctx: Context) -> Round:
    current = ctx.workspace().current_round()
    if current is None:
        raise NotFoundError(_("There is no round yet: create one with `ovop round create`."))
    return current


def summary_json(c: CandidateSummary) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "owner": c.owner, "commodity": c.commodity.value,
            "product": c.product, "region_code": c.region_code, "region": c.region_name,
            "province_code": c.province_code, "province": c.province_name, "nib": c.nib,
            "kind": c.kind.value, "previous_star": c.previous_star,
            "previous_year": c.previous_year, "screening": c.decision.value,
            "screening_reasons": c.screening.reasons()}


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    round_ = _round(ctx)
    preview = ws.proposals.preview(args.file)
    report = ws.proposals.run(preview, round_.id, dry_run=args.dry_run)
    if ctx.json:
        emit_json(report.as_json())
        return 0
    verb = _("would be added") if args.dry_run else _("added")
    emit_lines(_("{file}: {a} accepted ({verb}), {r} rejected, {d} duplicates.").format(
        file=report.file_name, a=len(report.accepted), verb=verb, r=len(report.rejected),
        d=len(report.duplicates)))
    if report.rejected:
        emit_lines("", _("Rejected rows:"))
        emit_table([_("Row"), _("Reason")],
                   [(r.row, "; ".join(r.reasons)) for r in report.rejected])
    if report.duplicates:
        emit_lines("", _("Duplicates (not added):"))
        emit_table([_("Row"), _("Name"), _("Reason")],
                   [(d.row, d.name, d.reason) for d in report.duplicates])
    return 0


def _filtered(args: argparse.Namespace, ctx: Context) -> list[CandidateSummary]:
    ws = ctx.workspace()
    rows = ws.candidates.summaries(_round(ctx).id)
    if args.commodity:
        from ovop_desktop.services.rubrics import parse_commodity_or_fail

        commodity = parse_commodity_or_fail(args.commodity)
        rows = [r for r in rows if r.commodity is commodity]
    if args.province:
        code = _province_code(ctx, args.province)
        rows = [r for r in rows if r.province_code == code]
    return rows


def _province_code(ctx: Context, text: str) -> str:
    wanted = " ".join(text.split()).casefold()
    for p in ctx.workspace().regions.provinces():
        if wanted in (p.code, p.name.casefold()):
            return p.code
    raise NotFoundError(_("Unknown province {text!r}.").format(text=text))


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = _filtered(args, ctx)
    if ctx.json:
        emit_json([summary_json(r) for r in rows])
    else:
        emit_table(["ID", _("Name"), _("Commodity"), _("Kabupaten/kota"), _("Kind"),
                    _("Screening")],
                   [(r.id, r.name, r.commodity.label, r.region_name,
                     r.kind.label + (f" {r.previous_star}★" if r.previous_star else ""),
                     r.decision.label) for r in rows])
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.candidates import field_label

    ws = ctx.workspace()
    cand = ws.candidates.get(args.id)
    result = ws.screening.result(args.id)
    checks = ws.screening.checks(args.id)
    history = ws.candidates.history(args.id)
    d = cand.data
    regency = ws.regions.regency(d.region_code)
    obj = {"id": cand.id, "round_id": cand.round_id, "name": d.name, "owner": d.owner,
           "address": d.address, "region_code": d.region_code,
           "region": regency.name if regency else "", "sentra_name": d.sentra_name,
           "sentra_sk_number": d.sentra_sk_number,
           "sentra_sk_date": d.sentra_sk_date.isoformat() if d.sentra_sk_date else None,
           "commodity": d.commodity.value, "product": d.product, "nib": d.nib,
           "documents": sorted(x.value for x in d.documents), "workforce": d.workforce,
           "capacity": d.capacity, "markets": d.markets, "export_history": d.export_history,
           "kind": d.kind.value, "previous_star": d.previous_star,
           "previous_year": d.previous_year, "associations": list(d.associations),
           "source": cand.source,
           "screening": {"decision": result.decision.value, "reasons": result.reasons(),
                         "checks": [{"id": c.document.value, "status": c.status.value,
                                     "note": c.note, "by": c.checked_by, "at": c.checked_at}
                                    for c in checks.values()]},
           "history": [{"ts": h.ts, "actor": h.actor, "field": h.field, "old": h.old,
                        "new": h.new} for h in history]}
    if ctx.json:
        emit_json(obj)
        return 0
    emit_lines(f"{d.name} (ID {cand.id})")
    shown_as = {"region_code": obj["region"], "commodity": d.commodity.label,
                "kind": d.kind.label, "documents": [x.label for x in sorted(d.documents)],
                "associations": "; ".join(d.associations)}
    for key in ("owner", "address", "region_code", "sentra_name", "sentra_sk_number",
                "sentra_sk_date", "commodity", "product", "nib", "documents", "workforce",
                "capacity", "markets", "export_history", "kind", "previous_star",
                "previous_year", "associations"):
        value = shown_as.get(key, obj[key])
        if value not in (None, "", []):
            shown = ", ".join(value) if isinstance(value, list) else value
            emit_lines(f"  {field_label(key)}: {shown}")
    emit_lines(_("  Screening: {d}").format(d=result.decision.label))
    for reason in result.reasons():
        emit_lines(f"    - {reason}")
    for h in history:
        emit_lines(f"  {h.ts[:16]} {h.actor}: {field_label(h.field)} {h.old!r} → {h.new!r}")
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.registry_export import export_registry

    count = export_registry(ctx.workspace(), _round(ctx).id, args.out)
    if ctx.json:
        emit_json({"file": str(args.out), "rows": count})
    else:
        emit_lines(_("{n} candidates written to {path}").format(n=count, path=args.out))
    return 0


def cmd_template(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.tabular_export import write_template

    if args.out.suffix.lower() != ".xlsx":
        raise UserFacingError(_("The template is an .xlsx file."))
    write_template(args.out)
    if ctx.json:
        emit_json({"file": str(args.out)})
    else:
        emit_lines(_("Template written to {path}").format(path=args.out))
    return 0


def cmd_checklist(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.rubrics import parse_commodity_or_fail

    required = ctx.workspace().screening.requirements(_round(ctx).id)
    if args.commodity:
        only = parse_commodity_or_fail(args.commodity)
        required = {only: required[only]}
    if ctx.json:
        emit_json([{"id": d.value, "name": d.label, "commodity": c.value}
                   for c, docs in required.items() for d in docs])
    else:
        for commodity, docs in required.items():
            emit_lines(f"{commodity.label}:", *(f"  {d.value:<12} {d.label}" for d in docs))
    return 0


def cmd_set(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.documents import Document, parse_document
    from ovop_desktop.domain.screening import DocStatus

    document = parse_document(args.document)
    if document is None:
        raise NotFoundError(_("Unknown document {text!r}. Known: {known}.").format(
            text=args.document, known=", ".join(d.value for d in Document)))
    result = ctx.workspace().screening.set_check(args.id, document, DocStatus(args.status),
                                                 args.note)
    if ctx.json:
        emit_json({"id": args.id, "document": document.value, "status": args.status,
                   "decision": result.decision.value, "reasons": result.reasons()})
    else:
        emit_lines(_("Candidate {id}: {doc} {status}. Screening: {d}.").format(
            id=args.id, doc=document.label, status=DocStatus(args.status).label,
            d=result.decision.label))
    return 0


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    summary = ctx.workspace().screening.summary(_round(ctx).id)
    regions = ctx.workspace().regions

    def tally(t: Any) -> dict[str, int]:
        return {"total": t.total, "passed": t.passed, "failed": t.failed, "pending": t.pending}

    if ctx.json:
        emit_json({
            "proposals": tally(summary.proposals), "provinces": summary.provinces,
            "reevaluations": tally(summary.reevaluations),
            "failed_by_document": [{"id": d.value, "name": d.label, "count": n}
                                   for d, n in summary.failed_by_document.items()],
            "by_commodity": [{"id": c.value, **tally(t)} for c, t in summary.by_commodity.items()],
            "by_province": [{"id": p, "name": (pr.name if (pr := regions.province(p)) else ""),
                             **tally(t)} for p, t in summary.by_province.items()],
        })
        return 0
    p = summary.proposals
    emit_lines(_("{n} proposals from {k} provinces: {a} passed, {b} failed, {c} not yet "
                 "screened.").format(n=p.total, k=summary.provinces, a=p.passed, b=p.failed,
                                     c=p.pending),
               _("{n} re-evaluations: {a} passed, {b} failed, {c} not yet screened.").format(
                   n=summary.reevaluations.total, a=summary.reevaluations.passed,
                   b=summary.reevaluations.failed, c=summary.reevaluations.pending), "")
    if summary.failed_by_document:
        emit_table([_("Failed on"), _("Candidates")],
                   [(d.label, n) for d, n in summary.failed_by_document.items()])
        emit_lines("")
    emit_table([_("Commodity"), _("Total"), _("Passed"), _("Failed"), _("Pending")],
               [(c.label, t.total, t.passed, t.failed, t.pending)
                for c, t in summary.by_commodity.items()])
    emit_lines("")
    emit_table([_("Province"), _("Total"), _("Passed"), _("Failed"), _("Pending")],
               [((pr.name if (pr := regions.province(code)) else code), t.total, t.passed,
                 t.failed, t.pending) for code, t in summary.by_province.items()])
    sys.stdout.flush()
    return 0
