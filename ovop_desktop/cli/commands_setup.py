"""`ovop init`, `ovop demo`, `ovop db check`, `ovop regions find`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.i18n import _

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context


def register(groups: Any) -> None:
    init = groups.add_parser("init", help=_("set up this profile: role, name, institution"))
    init.add_argument("--role", required=True, choices=["coordinator", "assessor"])
    init.add_argument("--name", required=True)
    init.add_argument("--institution", default="")
    init.set_defaults(handler=cmd_init)

    demo = groups.add_parser("demo", help=_("fill an empty profile with demo data"))
    demo.add_argument("--if-empty", action="store_true",
                      help=_("do nothing (and succeed) when the profile already holds data"))
    demo.set_defaults(handler=cmd_demo)

    db = groups.add_parser("db", help=_("the profile's database"))
    db_cmds = db.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = db_cmds.add_parser("check", help=_("run SQLite's integrity check and verify the "
                                               "audit chain"))
    check.set_defaults(handler=cmd_db_check)

    regions = groups.add_parser("regions", help=_("provinces and kabupaten/kota"))
    region_cmds = regions.add_subparsers(dest="command", metavar="COMMAND", required=True)
    find = region_cmds.add_parser("find", help=_("turn a written region name or code into a "
                                                 "Kemendagri code"))
    find.add_argument("text")
    find.set_defaults(handler=cmd_regions_find)


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.profile import Role

    profile = ctx.workspace().profile.init(Role(args.role), args.name, args.institution)
    ctx.workspace().rubrics.install_defaults()
    if ctx.json:
        emit_json({"role": profile.role.value, "name": profile.name,
                   "institution": profile.institution, "data_dir": str(ctx.data_dir)})
    else:
        emit_lines(_("Profile ready: {name} ({role}) in {path}").format(
            name=profile.name, role=profile.role.label, path=ctx.data_dir))
    return 0


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.demo import build_demo

    result = build_demo(ctx.workspace(), if_empty=args.if_empty)
    if ctx.json:
        emit_json({"created": result.created, "rounds": result.rounds, "rubrics": result.rubrics,
                   "candidates": result.candidates, "data_dir": str(ctx.data_dir)})
    elif result.created:
        emit_lines(_("Demo data created in {path}: {rounds} rounds, {rubrics} rubrics, "
                     "{candidates} candidates.").format(
            path=ctx.data_dir, rounds=result.rounds, rubrics=result.rubrics,
            candidates=result.candidates))
    else:
        emit_lines(_("The profile already holds data; nothing was added."))
    return 0


def cmd_db_check(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.maintenance import check_database

    report = check_database(ctx.workspace().store)
    if ctx.json:
        emit_json({"ok": report.ok, "integrity": report.integrity,
                   "foreign_key_violations": report.foreign_key_violations,
                   "schema_version": report.schema_version,
                   "audit_entries": report.audit_entries,
                   "audit_first_bad_seq": report.audit_first_bad_seq,
                   "audit_head": report.audit_head, "database": str(ctx.workspace().store.path)})
    else:
        emit_lines(
            _("Database: {path}").format(path=ctx.workspace().store.path),
            _("Integrity: {result}").format(result="; ".join(report.integrity[:5])),
            _("Foreign-key violations: {n}").format(n=report.foreign_key_violations),
            _("Schema version: {v}").format(v=report.schema_version),
            _("Audit log: {n} entries, head {head}").format(
                n=report.audit_entries, head=report.audit_head[:16]),
        )
        if report.audit_first_bad_seq is not None:
            emit_lines(_("Audit chain broken at entry {seq}.").format(
                seq=report.audit_first_bad_seq))
    if not report.ok:
        import sys

        sys.stderr.write("ovop: " + _("the database check found problems.") + "\n")
        return 4
    return 0


def cmd_regions_find(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.regions import load_regions

    registry = load_regions()
    res = registry.resolve(args.text)

    def as_obj(r: Any) -> dict[str, str]:
        province = registry.province(r.province_code)
        return {"id": r.code, "code": r.code, "name": r.name,
                "province_code": r.province_code, "province": province.name if province else ""}

    matches = [res.regency] if res.regency else list(res.candidates)
    found = res.status == "ok" and res.regency is not None
    if ctx.json:
        # The document lists any candidates; the exit code still says whether the lookup failed.
        emit_json({"query": args.text, "status": res.status,
                   "matches": [as_obj(r) for r in matches]})
    elif found:
        obj = as_obj(res.regency)
        emit_lines(f"{obj['code']}  {obj['name']}  ({obj['province']})")
    elif matches:
        emit_table([_("Code"), _("Name"), _("Province")],
                   [(o["code"], o["name"], o["province"]) for o in map(as_obj, matches)])
    if found:
        return 0
    import sys

    reason = {
        "ambiguous": _("{text!r} is ambiguous; say which one:"),
        "unknown": _("{text!r} is not a known kabupaten/kota."),
        "empty": _("Nothing to look up."),
    }[res.status].format(text=args.text)
    if matches and res.status == "unknown":
        reason += " " + _("Did you mean:")
    sys.stderr.write("ovop: " + reason + "\n")
    return 1
