"""`ovop init`, `ovop demo`, `ovop db check|backup|backups|restore`, `ovop regions find`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.errors import DamagedStoreError
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
    demo.add_argument("--no-results", action="store_true",
                      help=_("leave out the assessors, their score bundles and the results "
                             "(faster)"))
    demo.set_defaults(handler=cmd_demo)

    db = groups.add_parser("db", help=_("the profile's database"))
    db_cmds = db.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = db_cmds.add_parser("check", help=_("run SQLite's integrity check and verify the "
                                               "audit chain"))
    check.set_defaults(handler=cmd_db_check)
    backup = db_cmds.add_parser("backup", help=_("write a verified copy of the database"))
    backup.add_argument("--out", required=True, metavar="FILE",
                        help=_("the copy to write; an existing file is refused"))
    backup.add_argument("--force", action="store_true",
                        help=_("replace FILE if it exists"))
    backup.set_defaults(handler=cmd_db_backup)
    backups = db_cmds.add_parser("backups", help=_("list the automatic backups, newest first"))
    backups.add_argument("--verify", action="store_true",
                         help=_("run the integrity check on backups not checked yet"))
    backups.set_defaults(handler=cmd_db_backups)
    restore = db_cmds.add_parser("restore", help=_(
        "replace the database with a backup, after checking it; the current database is kept "
        "as a backup"))
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(handler=cmd_db_restore)

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
    from ovop_desktop.services.demo_panel import DEMO_PASSPHRASE

    result = build_demo(ctx.workspace(), if_empty=args.if_empty,
                        with_results=not args.no_results)
    panel = result.panel
    if ctx.json:
        doc: dict[str, Any] = {
            "created": result.created, "rounds": result.rounds, "rubrics": result.rubrics,
            "candidates": result.candidates, "data_dir": str(ctx.data_dir)}
        if panel is not None:
            doc["panel"] = {"assessors": panel.assessors, "bundles": panel.bundles,
                            "moderations": panel.moderations,
                            "stars": {str(k) if k is not None else "incomplete": n
                                      for k, n in panel.stars.items()},
                            "passphrase": DEMO_PASSPHRASE, "seconds": panel.timings["total"]}
        emit_json(doc)
    elif result.created:
        emit_lines(_("Demo data created in {path}: {rounds} rounds, {rubrics} rubrics, "
                     "{candidates} candidates.").format(
            path=ctx.data_dir, rounds=result.rounds, rubrics=result.rubrics,
            candidates=result.candidates))
        if panel is not None:
            emit_lines(
                _("{assessors} assessors visited them; {bundles} signed score bundles were "
                  "verified and imported, {moderations} levels moderated.").format(
                    assessors=panel.assessors, bundles=panel.bundles,
                    moderations=panel.moderations),
                _("Results: {three} with 3 stars, {two} with 2, {one} with 1, {none} without "
                  "a star, {incomplete} incomplete.").format(
                    three=panel.stars[3], two=panel.stars[2], one=panel.stars[1],
                    none=panel.stars[0], incomplete=panel.stars[None]),
                _("The demo coordinator key's passphrase is {passphrase}.").format(
                    passphrase=DEMO_PASSPHRASE))
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
                   "audit_head": report.audit_head, "engine": report.engine,
                   "database": ctx.workspace().store.location})
    else:
        emit_lines(_("Database: {path}").format(path=ctx.workspace().store.location))
        if report.engine == "sqlite":  # PostgreSQL checks its own pages and foreign keys
            emit_lines(
                _("Integrity: {result}").format(result="; ".join(report.integrity[:5])),
                _("Foreign-key violations: {n}").format(n=report.foreign_key_violations))
        emit_lines(
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


def _megabytes(size: int) -> str:
    return _("{size:.1f} MB").format(size=size / 1_000_000)


def cmd_db_backup(args: argparse.Namespace, ctx: Context) -> int:
    info = ctx.workspace().backups.write_copy(Path(args.out), force=args.force)
    if ctx.json:
        emit_json(info.as_json())
    else:
        emit_lines(_("Backup written to {path} ({size}, schema version {version}); it passed "
                     "the integrity check.").format(path=info.path, size=_megabytes(info.size),
                                                    version=info.schema_version))
    return 0


def cmd_db_backups(args: argparse.Namespace, ctx: Context) -> int:
    """Reads the backups folder only: works while the store itself will not open."""
    from ovop_desktop.paths import ProfilePaths
    from ovop_desktop.services.backups import list_backups, not_on_postgres, reason_label

    if ctx.on_postgres():
        raise not_on_postgres()
    folder = ProfilePaths(ctx.data_dir).backups
    found = list_backups(folder, verify=args.verify)
    if ctx.json:
        emit_json([b.as_json() for b in found])
        return 0
    if not found:
        emit_lines(_("No backups in {folder} yet.").format(folder=folder))
        return 0
    verdict = {True: _("ok"), False: _("DAMAGED"), None: _("not checked")}
    emit_table([_("Time"), _("Reason"), _("File size"), _("Integrity"), _("File")],
               [(b.when, reason_label(b.reason), _megabytes(b.size),
                 verdict[b.verified] + (f" ({b.problem})" if b.problem else ""), b.path.name)
                for b in found])
    return 0


def cmd_db_restore(args: argparse.Namespace, ctx: Context) -> int:
    """Never opens the current store first: restoring is how a damaged one is repaired."""
    from ovop_desktop.domain.formats import format_datetime
    from ovop_desktop.paths import ProfilePaths
    from ovop_desktop.services.backups import not_on_postgres, reason_label, restore

    if ctx.on_postgres():
        raise not_on_postgres()
    report = restore(ProfilePaths(ctx.data_dir), Path(args.file))
    if ctx.json:
        emit_json(report.as_json())
        return 0
    when = format_datetime(report.backup_time, ctx.language)
    emit_lines(_("Restored {path}: the backup of {time}{reason}, schema version {version}.")
               .format(path=report.source, time=when,
                       reason=f" ({reason_label(report.reason)})" if report.reason else "",
                       version=report.schema_version))
    if report.last_change:
        emit_lines(_("Its last recorded change: {time}.").format(
            time=format_datetime(report.last_change, ctx.language)))
    if report.now_version != report.schema_version:
        emit_lines(_("It was brought up to schema version {version}.").format(
            version=report.now_version))
    if report.previous is not None:
        emit_lines((_("The damaged database is kept as {path}.") if report.previous_damaged
                    else _("The database it replaced is kept as the backup {path}.")).format(
            path=report.previous))
    return 0


def damaged_store_error(error: DamagedStoreError, data_dir: Path) -> DamagedStoreError:
    """The same refusal, plus the `ovop db restore` command that brings back the newest good
    backup (checked now), on one line."""
    import shlex

    from ovop_desktop.paths import ProfilePaths, resolve_data_dir
    from ovop_desktop.services.backups import newest_good, reason_label

    backups = ProfilePaths(data_dir).backups
    good = newest_good(backups)
    if good is None:
        hint = _("No backup that passes the integrity check was found in {folder}.").format(
            folder=backups)
    else:
        words = ["ovop"]
        if Path(data_dir) != resolve_data_dir(None):
            words += ["--data-dir", str(data_dir)]
        words += ["db", "restore", str(good.path)]
        hint = _("To restore the newest good backup ({time}, {reason}), run: {command}").format(
            time=good.when, reason=reason_label(good.reason),
            command=" ".join(shlex.quote(w) for w in words))
    return DamagedStoreError(f"{error.message} {hint}", error.path)


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
