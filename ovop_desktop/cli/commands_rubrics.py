"""`ovop rubric list|show|export|import|freeze`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.i18n import _

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context
    from ovop_desktop.domain.rubric import RubricRecord


def register(groups: Any) -> None:
    rubric = groups.add_parser("rubric", help=_("scoring rubrics, one per commodity"))
    cmds = rubric.add_subparsers(dest="command", metavar="COMMAND", required=True)
    cmds.add_parser("list", help=_("list rubric versions")).set_defaults(handler=cmd_list)
    for name, helptext, handler in (
        ("show", _("show a commodity's rubric (default: newest version)"), cmd_show),
        ("export", _("write a rubric file to share with another coordinator"), cmd_export),
        ("freeze", _("freeze a rubric version (edits then make a new version)"), cmd_freeze),
    ):
        sub = cmds.add_parser(name, help=helptext)
        sub.add_argument("commodity", metavar="COMMODITY")
        sub.add_argument("--version", type=int, dest="rubric_version")
        if name == "export":
            sub.add_argument("--out", required=True, type=Path)
        sub.set_defaults(handler=handler)
    imp = cmds.add_parser("import", help=_("add a rubric from a file"))
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=cmd_import)


def _find(args: argparse.Namespace, ctx: Context) -> RubricRecord:
    from ovop_desktop.services.rubrics import parse_commodity_or_fail

    ws = ctx.workspace()
    ws.rubrics.install_defaults()
    return ws.rubrics.find(parse_commodity_or_fail(args.commodity), args.rubric_version)


def _record_json(r: RubricRecord) -> dict[str, Any]:
    return {"id": r.id, "commodity": r.commodity.value, "version": r.version,
            "sha256": r.sha256, "frozen": r.frozen, "rounds": list(r.rounds)}


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    ws.rubrics.install_defaults()
    records = ws.rubrics.list()
    if ctx.json:
        emit_json([_record_json(r) for r in records])
    else:
        emit_table(["ID", _("Commodity"), _("Version"), _("Criteria"), "SHA-256", _("Frozen"),
                    _("Rounds")],
                   [(r.id, r.commodity.label, r.version, len(r.rubric.criteria()), r.sha256[:16],
                     _("yes") if r.frozen else _("no"), ", ".join(r.rounds)) for r in records])
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.rubrics import rubric_summary

    record = _find(args, ctx)
    summary = rubric_summary(record, ctx.language)
    if ctx.json:
        emit_json(summary)
        return 0
    emit_lines(f"{summary['title']} — v{record.version}", f"SHA-256 {record.sha256}", "")
    for aspect in record.rubric.aspects:
        emit_lines(f"{aspect.id}. {aspect.name.get(ctx.language)} "
                   f"({_('weight')} {aspect.weight})")
        for c in aspect.criteria:
            emit_lines(f"  {c.id}  {c.name.get(ctx.language)}")
            for n, d in enumerate(c.levels, start=1):
                emit_lines(f"      {n}: {d.get(ctx.language)}")
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    record = ctx.workspace().rubrics.export(_find(args, ctx).id, args.out)
    if ctx.json:
        emit_json(_record_json(record) | {"file": str(args.out)})
    else:
        emit_lines(_("Rubric {c} v{v} written to {path}").format(
            c=record.commodity.label, v=record.version, path=args.out))
    return 0


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    record, added = ctx.workspace().rubrics.import_file(args.file)
    if ctx.json:
        emit_json(_record_json(record) | {"added": added})
    elif added:
        emit_lines(_("Rubric {c} v{v} added (SHA-256 {sha}).").format(
            c=record.commodity.label, v=record.version, sha=record.sha256[:16]))
    else:
        emit_lines(_("This rubric is already here as {c} v{v}; nothing was added.").format(
            c=record.commodity.label, v=record.version))
    return 0


def cmd_freeze(args: argparse.Namespace, ctx: Context) -> int:
    record = ctx.workspace().rubrics.freeze(_find(args, ctx).id)
    if ctx.json:
        emit_json(_record_json(record))
    else:
        emit_lines(_("Rubric {c} v{v} is frozen.").format(c=record.commodity.label,
                                                         v=record.version))
    return 0
