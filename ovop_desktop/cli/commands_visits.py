"""`ovop assign auto`, `ovop coi`, `ovop visit set`,
`ovop score list|reopen|import-sheet|visited`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.errors import NotFoundError, ValidationError
from ovop_desktop.i18n import _

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context


def register_assign_auto(assign_commands: Any) -> None:
    auto = assign_commands.add_parser("auto", help=_("propose teams for every candidate that "
                                                     "passed screening"))
    auto.add_argument("--per-candidate", type=int, default=3)
    auto.add_argument("--minimum", type=int, default=2)
    auto.set_defaults(handler=cmd_assign_auto)


def register_score_extras(score_commands: Any) -> None:
    lst = score_commands.add_parser("list", help=_("scores on this laptop"))
    lst.add_argument("--candidate", type=int)
    lst.set_defaults(handler=cmd_score_list)
    reopen = score_commands.add_parser("reopen", help=_("reopen a finished sheet"))
    reopen.add_argument("candidate", type=int)
    reopen.add_argument("--reason", required=True)
    reopen.set_defaults(handler=cmd_score_reopen)
    sheet = score_commands.add_parser("import-sheet", help=_(
        "key in a filled paper form (CSV/XLSX: candidate_id, criterion_id, level, note)"))
    sheet.add_argument("file", type=Path)
    sheet.add_argument("--dry-run", action="store_true")
    sheet.set_defaults(handler=cmd_import_sheet)
    visited = score_commands.add_parser("visited", help=_(
        "record the actual date of the visit (YYYY-MM-DD), or --clear it"))
    visited.add_argument("candidate", type=int)
    visited.add_argument("date", nargs="?")
    visited.add_argument("--clear", action="store_true")
    visited.set_defaults(handler=cmd_score_visited)


def register(groups: Any) -> None:
    coi = groups.add_parser("coi", help=_("conflicts of interest"))
    ccmds = coi.add_subparsers(dest="command", metavar="COMMAND", required=True)
    declare = ccmds.add_parser("declare", help=_("record a conflict (ASSESSOR 'me' on an "
                                                 "assessor's laptop)"))
    declare.add_argument("assessor")
    declare.add_argument("candidate", type=int)
    declare.add_argument("--reason", required=True)
    declare.set_defaults(handler=cmd_coi_declare)
    ccmds.add_parser("list", help=_("list declared conflicts")).set_defaults(
        handler=cmd_coi_list)
    visit = groups.add_parser("visit", help=_("visit dates"))
    vcmds = visit.add_subparsers(dest="command", metavar="COMMAND", required=True)
    vset = vcmds.add_parser("set", help=_("set a candidate's visit date (YYYY-MM-DD or none)"))
    vset.add_argument("candidate", type=int)
    vset.add_argument("date")
    vset.set_defaults(handler=cmd_visit_set)
    register_evidence(groups)


def _round_id(ctx: Context) -> int:
    current = ctx.workspace().current_round()
    if current is None:
        raise NotFoundError(_("There is no round yet."))
    return current.id


def cmd_assign_auto(args: argparse.Namespace, ctx: Context) -> int:
    result = ctx.workspace().planning.auto(_round_id(ctx), args.per_candidate, args.minimum)
    if ctx.json:
        emit_json({"teams": [{"id": cid, "assessors": team} for cid, team in result.teams.items()],
                   "short": [{"id": cid, "reason": why} for cid, why in result.short.items()],
                   "loads": [{"id": aid, "candidates": n} for aid, n in result.loads.items()]})
    else:
        emit_lines(_("{n} candidates planned; {k} short of assessors.").format(
            n=len(result.teams), k=len(result.short)))
        emit_table([_("Assessor"), _("Candidates")], sorted(result.loads.items()))
        for cid, why in result.short.items():
            emit_lines(f"  {cid}: {why}")
    return 0


def cmd_coi_declare(args: argparse.Namespace, ctx: Context) -> int:
    if args.assessor == "me":
        assessor = None
    else:
        try:
            assessor = int(args.assessor)
        except ValueError:
            raise ValidationError(_("ASSESSOR is an assessor id, or 'me'.")) from None
    c = ctx.workspace().planning.declare(assessor, args.candidate, args.reason)
    if ctx.json:
        emit_json({"id": c.id, "assessor": c.assessor_id, "candidate": c.candidate_id,
                   "reason": c.reason})
    else:
        emit_lines(_("Conflict recorded."))
    return 0


def cmd_coi_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.workspace().planning.conflicts()
    if ctx.json:
        emit_json([{"id": c.id, "assessor": c.assessor_id, "candidate": c.candidate_id,
                    "reason": c.reason, "declared_by": c.declared_by,
                    "declared_at": c.declared_at} for c in rows])
    else:
        emit_table(["ID", _("Assessor"), _("Candidate"), _("Reason")],
                   [(c.id, c.assessor_id or _("me"), c.candidate_id, c.reason) for c in rows])
    return 0


def _iso_date(text: str) -> date:
    """Exactly YYYY-MM-DD (fromisoformat alone would also take 20240820)."""
    try:
        if len(text) == 10 and text[4] == text[7] == "-":
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValidationError(_("Write the date as YYYY-MM-DD, e.g. 2024-08-20."))


def cmd_visit_set(args: argparse.Namespace, ctx: Context) -> int:
    when = None
    if args.date.lower() != "none":
        try:
            when = date.fromisoformat(args.date)
        except ValueError:
            raise ValidationError(_("Write the date as YYYY-MM-DD, e.g. 2024-08-20.")) from None
    ctx.workspace().planning.set_visit(args.candidate, when)
    if ctx.json:
        emit_json({"candidate": args.candidate, "date": when.isoformat() if when else None})
    return 0


def cmd_score_list(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    ids = [args.candidate] if args.candidate else [
        c.id for c in ws.candidates.summaries(_round_id(ctx))]
    out = []
    for cid in ids:
        ws.candidates.get(cid)  # a clear message for an unknown id
        sheet = ws.scoring.sheet_info(cid)
        out.append({"id": cid, "status": sheet.status or "not_started",
                    "visited_on": sheet.visited_on.isoformat() if sheet.visited_on else None,
                    "scores": [{"criterion": k, "level": v[0], "note": v[1]}
                               for k, v in sorted(sheet.scores.items())]})
    if ctx.json:
        emit_json(out)
    else:
        emit_table(["ID", _("Status"), _("Visited on"), _("Scores")],
                   [(o["id"], o["status"], o["visited_on"] or "—",
                     " ".join(f"{s['criterion']}={s['level']}" for s in o["scores"]))
                    for o in out])
    return 0


def cmd_score_visited(args: argparse.Namespace, ctx: Context) -> int:
    if args.clear == bool(args.date):
        raise ValidationError(_("Give the date of the visit (YYYY-MM-DD) or --clear, not "
                                "both."))
    when = None if args.clear else _iso_date(args.date)
    ctx.workspace().scoring.set_visited(args.candidate, when)
    if ctx.json:
        emit_json({"candidate": args.candidate, "visited_on": when.isoformat() if when else None})
    else:
        emit_lines(_("Visit date of candidate {id}: {date}.").format(
            id=args.candidate, date=when.isoformat() if when else _("not recorded")))
    return 0


def cmd_score_reopen(args: argparse.Namespace, ctx: Context) -> int:
    ctx.workspace().scoring.reopen(args.candidate, args.reason)
    if ctx.json:
        emit_json({"candidate": args.candidate, "status": "in_progress"})
    return 0


def cmd_import_sheet(args: argparse.Namespace, ctx: Context) -> int:
    report = ctx.workspace().scoring.import_sheet(args.file, dry_run=args.dry_run)
    if ctx.json:
        emit_json({"file": str(args.file), "dry_run": report.dry_run,
                   "accepted": [{"row": r} for r in report.accepted],
                   "rejected": [{"row": r, "reason": why} for r, why in report.rejected]})
    else:
        emit_lines(_("{a} rows stored, {r} rejected.").format(a=len(report.accepted),
                                                             r=len(report.rejected)))
        if report.rejected:
            emit_table([_("Row"), _("Reason")], report.rejected)
    return 0


def register_evidence(groups: Any) -> None:
    ev = groups.add_parser("evidence", help=_("evidence photos (assessor)"))
    ecmds = ev.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add = ecmds.add_parser("add", help=_("attach a photo to a sheet or one criterion"))
    add.add_argument("candidate", type=int)
    add.add_argument("photo", type=Path)
    add.add_argument("--criterion", default="")
    add.set_defaults(handler=cmd_evidence_add)
    lst = ecmds.add_parser("list", help=_("photos of a sheet"))
    lst.add_argument("candidate", type=int)
    lst.set_defaults(handler=cmd_evidence_list)


def cmd_evidence_add(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    if args.criterion:
        ws.scoring.check_criterion(args.candidate, args.criterion)
    photo = ws.evidence.add(args.candidate, args.photo, args.criterion)
    if ctx.json:
        emit_json({"id": photo.id, "sha256": photo.sha256, "kind": photo.kind,
                   "criterion": photo.criterion_id, "width": photo.width,
                   "height": photo.height})
    else:
        emit_lines(_("Photo kept ({w} × {h}), SHA-256 {sha}.").format(
            w=photo.width, h=photo.height, sha=photo.sha256[:16]))
    return 0


def cmd_evidence_list(args: argparse.Namespace, ctx: Context) -> int:
    photos = ctx.workspace().evidence.photos(args.candidate)
    if ctx.json:
        emit_json([{"id": p.id, "sha256": p.sha256, "kind": p.kind, "criterion": p.criterion_id,
                    "file": p.file_name} for p in photos])
    else:
        emit_table(["ID", _("Criterion"), _("File"), "SHA-256"],
                   [(p.id, p.criterion_id or "—", p.file_name, p.sha256[:16]) for p in photos])
    return 0
