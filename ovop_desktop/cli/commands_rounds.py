"""`ovop round create|list|show|thresholds|status|use`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.errors import NotFoundError
from ovop_desktop.i18n import _

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context
    from ovop_desktop.domain.rounds import Round


def register(groups: Any) -> None:
    rounds = groups.add_parser("round", help=_("assessment rounds"))
    cmds = rounds.add_subparsers(dest="command", metavar="COMMAND", required=True)
    create = cmds.add_parser("create", help=_("create a round with the five commodity rubrics"))
    create.add_argument("--year", type=int, required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--thresholds", default="80,65,50",
                        help=_("minimum totals for 3★, 2★, 1★ (default 80,65,50)"))
    create.set_defaults(handler=cmd_create)
    cmds.add_parser("list", help=_("list rounds")).set_defaults(handler=cmd_list)
    show = cmds.add_parser("show", help=_("show a round (default: the current one)"))
    show.add_argument("id", nargs="?", type=int)
    show.set_defaults(handler=cmd_show)
    thresholds = cmds.add_parser("thresholds", help=_("change a round's star thresholds"))
    thresholds.add_argument("id", type=int)
    thresholds.add_argument("thresholds", help="80,65,50")
    thresholds.set_defaults(handler=cmd_thresholds)
    status = cmds.add_parser("status", help=_("move a round to setup, open or closed"))
    status.add_argument("id", type=int)
    status.add_argument("status", choices=["setup", "open", "closed"])
    status.set_defaults(handler=cmd_status)
    rubric = cmds.add_parser("rubric", help=_("use another rubric version for a commodity"))
    rubric.add_argument("id", type=int)
    rubric.add_argument("commodity", metavar="COMMODITY")
    rubric.add_argument("version", type=int)
    rubric.set_defaults(handler=cmd_rubric)
    use = cmds.add_parser("use", help=_("make a round the current one"))
    use.add_argument("id", type=int)
    use.set_defaults(handler=cmd_use)
    from ovop_desktop.cli.commands_results import register_round_method

    register_round_method(cmds)


def round_json(r: Round) -> dict[str, Any]:
    return {
        "id": r.id, "uid": r.uid, "year": r.year, "name": r.name, "status": r.status.value,
        "thresholds": {"3": r.thresholds.three, "2": r.thresholds.two, "1": r.thresholds.one},
        "commodities": [
            {"id": rc.commodity.value, "rubric_id": rc.rubric_id,
             "rubric_version": rc.rubric_version, "rubric_sha256": rc.rubric_sha256,
             "rubric_frozen": rc.rubric_frozen}
            for rc in r.commodities
        ],
        "created_at": r.created_at,
        "method": {"min_assessors": r.min_assessors, "tie_break": list(r.tie_break),
                   "spread_flag": r.spread_flag},
    }


def _show(r: Round, ctx: Context) -> None:
    if ctx.json:
        emit_json(round_json(r))
        return
    t = r.thresholds
    emit_lines(f"{r.name} ({r.year}) — {r.status.label}",
               _("Star thresholds: 3★ ≥ {a}, 2★ ≥ {b}, 1★ ≥ {c}").format(a=t.three, b=t.two,
                                                                          c=t.one))
    emit_table([_("Commodity"), _("Rubric"), "SHA-256", _("Frozen")],
               [(rc.commodity.label, f"v{rc.rubric_version}", rc.rubric_sha256[:16],
                 _("yes") if rc.rubric_frozen else _("no")) for rc in r.commodities])


def cmd_create(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.rounds import parse_thresholds

    ws = ctx.workspace()
    thresholds = parse_thresholds(args.thresholds)
    ws.rubrics.install_defaults()
    created = ws.rounds.create(args.year, args.name, thresholds)
    if ctx.json:
        emit_json(round_json(created))
    else:
        emit_lines(_("Round {id} created: {name} ({year}).").format(
            id=created.id, name=created.name, year=created.year))
    return 0


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    rounds = ws.rounds.list()
    current = ws.current_round()
    if ctx.json:
        emit_json([round_json(r) | {"current": current is not None and r.id == current.id}
                   for r in rounds])
    elif not rounds:
        emit_lines(_("No rounds yet. Create one with: ovop round create --year 2026 --name …"))
    else:
        emit_table(["", "ID", _("Year"), _("Name"), _("Status"), _("Thresholds")],
                   [("*" if current and r.id == current.id else "", r.id, r.year, r.name,
                     r.status.label, r.thresholds.as_text()) for r in rounds])
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    found = ws.rounds.get(args.id) if args.id is not None else ws.current_round()
    if found is None:
        raise NotFoundError(_("There are no rounds yet."))
    _show(found, ctx)
    return 0


def cmd_thresholds(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.rounds import parse_thresholds

    _show(ctx.workspace().rounds.set_thresholds(args.id, parse_thresholds(args.thresholds)), ctx)
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.rounds import RoundStatus

    _show(ctx.workspace().rounds.set_status(args.id, RoundStatus(args.status)), ctx)
    return 0


def cmd_use(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    chosen = ws.rounds.get(args.id)
    ws.update_settings(current_round_id=chosen.id)
    _show(chosen, ctx)
    return 0


def cmd_rubric(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.rubrics import parse_commodity_or_fail

    ws = ctx.workspace()
    commodity = parse_commodity_or_fail(args.commodity)
    record = ws.rubrics.find(commodity, args.version)
    _show(ws.rounds.set_rubric(args.id, commodity, record.id), ctx)
    return 0
