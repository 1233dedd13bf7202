"""`ovop identity|assessors|package|bundle|assign|score|audit` — the signed exchange by files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli import commands_print, commands_visits
from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.errors import NotFoundError, UserFacingError
from ovop_desktop.i18n import _

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ovop_desktop.cli.main import Context
    from ovop_desktop.services.identity import PublicIdentity


def _passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", type=Path,
                        help=_("read the passphrase from this file (or set OVOP_PASSPHRASE)"))


def register(groups: Any) -> None:
    ident = groups.add_parser("identity", help=_("this installation's signing key"))
    icmds = ident.add_subparsers(dest="command", metavar="COMMAND", required=True)
    create = icmds.add_parser("create", help=_("create the key pair (protected by a passphrase)"))
    _passphrase_option(create)
    create.set_defaults(handler=cmd_identity_create)
    icmds.add_parser("show", help=_("show the fingerprint")).set_defaults(
        handler=cmd_identity_show)
    export = icmds.add_parser("export", help=_("write the public-key card for enrolment"))
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(handler=cmd_identity_export)

    ass = groups.add_parser("assessors", help=_("the assessor registry (coordinator)"))
    acmds = ass.add_subparsers(dest="command", metavar="COMMAND", required=True)
    enrol = acmds.add_parser("enrol", help=_("enrol an assessor from a card, after confirming "
                                             "the fingerprint out of band"))
    enrol.add_argument("card", type=Path)
    enrol.add_argument("--fingerprint", required=True)
    enrol.add_argument("--confirmed-by", required=True)
    enrol.add_argument("--channel", required=True, choices=["phone", "in-person", "other"])
    enrol.add_argument("--commodities", default="")
    enrol.add_argument("--province", default="")
    enrol.add_argument("--home", default="", metavar="KABKOTA",
                       help=_("home kabupaten/kota code (conflict-of-interest rule)"))
    enrol.set_defaults(handler=cmd_enrol)
    acmds.add_parser("list", help=_("list enrolled assessors")).set_defaults(
        handler=cmd_assessors_list)
    revoke = acmds.add_parser("revoke", help=_("stop trusting a key after a given bundle"))
    revoke.add_argument("id", type=int)
    revoke.add_argument("--through-seq", required=True, type=int)
    revoke.set_defaults(handler=cmd_revoke)

    assign = groups.add_parser("assign", help=_("who visits whom (coordinator)"))
    gcmds = assign.add_subparsers(dest="command", metavar="COMMAND", required=True)
    aset = gcmds.add_parser("set", help=_("assign candidates to an assessor"))
    aset.add_argument("assessor", type=int)
    aset.add_argument("candidates", type=int, nargs="+")
    aset.set_defaults(handler=cmd_assign_set)
    aclear = gcmds.add_parser("clear", help=_("take candidates away from an assessor"))
    aclear.add_argument("assessor", type=int)
    aclear.add_argument("candidates", type=int, nargs="+")
    aclear.set_defaults(handler=cmd_assign_clear)
    alist = gcmds.add_parser("list", help=_("list assignments"))
    alist.set_defaults(handler=cmd_assign_list)
    commands_visits.register_assign_auto(gcmds)

    pkg = groups.add_parser("package", help=_("assignment packages"))
    pcmds = pkg.add_subparsers(dest="command", metavar="COMMAND", required=True)
    pexp = pcmds.add_parser("export", help=_("sign a package for an assessor (coordinator)"))
    pexp.add_argument("--assessor", required=True, type=int)
    pexp.add_argument("--out", required=True, type=Path)
    _passphrase_option(pexp)
    pexp.set_defaults(handler=cmd_package_export)
    pimp = pcmds.add_parser("import", help=_("import a package from the coordinator (assessor)"))
    pimp.add_argument("file", type=Path)
    pimp.add_argument("--coordinator-fingerprint")
    pimp.set_defaults(handler=cmd_package_import)

    bun = groups.add_parser("bundle", help=_("signed score bundles"))
    bcmds = bun.add_subparsers(dest="command", metavar="COMMAND", required=True)
    bexp = bcmds.add_parser("export", help=_("sign the current scores into a bundle (assessor)"))
    bexp.add_argument("--out", required=True, type=Path)
    _passphrase_option(bexp)
    bexp.set_defaults(handler=cmd_bundle_export)
    bimp = bcmds.add_parser("import", help=_("verify and import bundles (coordinator)"))
    bimp.add_argument("files", type=Path, nargs="+")
    bimp.add_argument("--dry-run", action="store_true")
    bimp.add_argument("--receipt", type=Path, metavar="F.pdf",
                      help=_("also print the receipt of this import to a PDF"))
    commands_print.add_document_options(bimp, out=False)
    bimp.set_defaults(handler=cmd_bundle_import)
    bcmds.add_parser("list", help=_("bundles received")).set_defaults(handler=cmd_bundle_list)
    bdec = bcmds.add_parser("decide", help=_("accept or reject a held bundle"))
    bdec.add_argument("id", type=int)
    bdec.add_argument("decision", choices=["accept", "reject"])
    bdec.add_argument("--reason", required=True)
    bdec.set_defaults(handler=cmd_bundle_decide)

    score = groups.add_parser("score", help=_("score a candidate (assessor)"))
    scmds = score.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sset = scmds.add_parser("set", help=_("give a level for one criterion"))
    sset.add_argument("candidate", type=int)
    sset.add_argument("criterion")
    sset.add_argument("level", type=int, choices=[1, 2, 3])
    sset.add_argument("--note", default="")
    sset.set_defaults(handler=cmd_score_set)
    sfin = scmds.add_parser("finish", help=_("mark a sheet finished"))
    sfin.add_argument("candidate", type=int)
    sfin.set_defaults(handler=cmd_score_finish)
    commands_visits.register_score_extras(scmds)

    aud = groups.add_parser("audit", help=_("the tamper-evident audit log"))
    ucmds = aud.add_subparsers(dest="command", metavar="COMMAND", required=True)
    ucmds.add_parser("verify", help=_("walk the hash chain and name the first broken entry")
                     ).set_defaults(handler=cmd_audit_verify)


# -- helpers ---------------------------------------------------------------------------


def _me(ctx: Context) -> PublicIdentity:
    from ovop_desktop.services.identity import load_public

    me = load_public(ctx.workspace().paths.keys)
    if me is None:
        raise NotFoundError(_("This profile has no key yet: run `ovop identity create`."))
    return me


def _unlock(ctx: Context, args: argparse.Namespace) -> Ed25519PrivateKey:
    from ovop_desktop.services.identity import read_passphrase, unlock

    _me(ctx)
    return unlock(ctx.workspace().paths.keys, read_passphrase(args.passphrase_file))


def _round_id(ctx: Context) -> int:
    current = ctx.workspace().current_round()
    if current is None:
        raise NotFoundError(_("There is no round yet."))
    return current.id


# -- identity ---------------------------------------------------------------------------


def cmd_identity_create(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.identity import create_identity, read_passphrase

    ws = ctx.workspace()
    profile = ws.profile.get()
    if profile is None:
        raise UserFacingError(_("Set up the profile first: ovop init --role … --name …"))
    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    me = create_identity(ws.paths.keys, passphrase, profile.name, profile.institution)
    if ctx.json:
        emit_json({"key_id": me.key_id, "fingerprint": me.fingerprint, "name": me.name})
    else:
        emit_lines(_("Key created. Fingerprint (read it aloud to confirm):"), "", me.fingerprint)
    return 0


def cmd_identity_show(args: argparse.Namespace, ctx: Context) -> int:
    me = _me(ctx)
    if ctx.json:
        emit_json({"key_id": me.key_id, "fingerprint": me.fingerprint, "name": me.name,
                   "institution": me.institution, "created_at": me.created_at})
    else:
        emit_lines(f"{me.name} — {me.institution}", "", me.fingerprint)
    return 0


def cmd_identity_export(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.identity import write_card

    me = _me(ctx)
    profile = ctx.workspace().profile.get()
    write_card(args.out, me, profile.role.value if profile else "assessor", {})
    if ctx.json:
        emit_json({"file": str(args.out), "fingerprint": me.fingerprint})
    else:
        emit_lines(_("Card written to {path}. Fingerprint: {fp}").format(path=args.out,
                                                                         fp=me.fingerprint))
    return 0


# -- assessors and assignments -------------------------------------------------------------


def cmd_enrol(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.rubrics import parse_commodity_or_fail

    commodities = [parse_commodity_or_fail(c) for c in args.commodities.split(",") if c.strip()]
    a = ctx.workspace().assessors.enrol(args.card, args.fingerprint, args.confirmed_by,
                                        args.channel, commodities, args.province, args.home)
    if ctx.json:
        emit_json(_assessor_json(a))
    else:
        emit_lines(_("Enrolled {name} as assessor {id}.").format(name=a.name, id=a.id))
    return 0


def _assessor_json(a: Any) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "institution": a.institution, "key_id": a.key_id,
            "fingerprint": a.fingerprint, "commodities": [c.value for c in a.commodities],
            "province": a.province_code, "confirmed_by": a.confirmed_by, "channel": a.channel,
            "enrolled_at": a.enrolled_at, "revoked_through_seq": a.revoked_through_seq}


def cmd_assessors_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.workspace().assessors.list()
    if ctx.json:
        emit_json([_assessor_json(a) for a in rows])
    else:
        emit_table(["ID", _("Name"), _("Institution"), _("Fingerprint"), _("Revoked after")],
                   [(a.id, a.name, a.institution, a.fingerprint[:19] + " …",
                     "" if a.revoked_through_seq is None else a.revoked_through_seq)
                    for a in rows])
    return 0


def cmd_revoke(args: argparse.Namespace, ctx: Context) -> int:
    a = ctx.workspace().assessors.revoke(args.id, args.through_seq)
    if ctx.json:
        emit_json(_assessor_json(a))
    else:
        emit_lines(_("{name}: bundles after number {n} will be held.").format(
            name=a.name, n=args.through_seq))
    return 0


def cmd_assign_set(args: argparse.Namespace, ctx: Context) -> int:
    added = ctx.workspace().assessors.assign(_round_id(ctx), args.assessor, args.candidates)
    return _assign_done(ctx, args.assessor, added)


def cmd_assign_clear(args: argparse.Namespace, ctx: Context) -> int:
    removed = ctx.workspace().assessors.unassign(_round_id(ctx), args.assessor, args.candidates)
    return _assign_done(ctx, args.assessor, -removed)


def _assign_done(ctx: Context, assessor: int, change: int) -> int:
    now = ctx.workspace().assessors.assigned(_round_id(ctx), assessor)
    if ctx.json:
        emit_json({"assessor": assessor, "changed": change, "candidates": now})
    else:
        emit_lines(_("Assessor {a} now has {n} candidates.").format(a=assessor, n=len(now)))
    return 0


def cmd_assign_list(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    rid = _round_id(ctx)
    rows = [(a, ws.assessors.assigned(rid, a.id)) for a in ws.assessors.list()]
    if ctx.json:
        emit_json([{"id": a.id, "name": a.name, "candidates": c} for a, c in rows])
    else:
        emit_table(["ID", _("Assessor"), _("Candidates")],
                   [(a.id, a.name, " ".join(map(str, c))) for a, c in rows])
    return 0


# -- packages and bundles ----------------------------------------------------------------------


def cmd_package_export(args: argparse.Namespace, ctx: Context) -> int:
    key = _unlock(ctx, args)
    info = ctx.workspace().packages.export(_round_id(ctx), args.assessor, args.out, key, _me(ctx))
    if ctx.json:
        emit_json({"file": str(info.path), "seq": info.seq, "assessor": info.assessor,
                   "candidates": info.candidates, "manifest_sha256": info.manifest_sha256})
    else:
        emit_lines(_("Package {seq} for {name} ({n} candidates) written to {path} and "
                     "verified.").format(seq=info.seq, name=info.assessor, n=info.candidates,
                                         path=info.path))
    return 0


def cmd_package_import(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    info = ws.packages.import_package(args.file, args.coordinator_fingerprint)
    ws.update_settings(current_round_id=info.round_id)
    if ctx.json:
        emit_json({"file": str(args.file), "seq": info.seq, "round": info.round_name,
                   "candidates": info.candidates})
    else:
        emit_lines(_("Package {seq} imported: {round}, {n} candidates.").format(
            seq=info.seq, round=info.round_name, n=info.candidates))
    return 0


def cmd_bundle_export(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.bundle_export import export_bundle

    ws = ctx.workspace()
    key = _unlock(ctx, args)
    info = export_bundle(ws.store, ws.scoring, ws.profile.actor(), args.out, key, _me(ctx))
    if ctx.json:
        emit_json({"file": str(info.path), "seq": info.seq, "sheets": info.sheets,
                   "scores": info.scores, "manifest_sha256": info.manifest_sha256})
    else:
        emit_lines(_("Bundle {seq} ({sheets} sheets, {scores} scores) written to {path}, read "
                     "back and verified.").format(seq=info.seq, sheets=info.sheets,
                                                  scores=info.scores, path=info.path))
    return 0


def cmd_bundle_import(args: argparse.Namespace, ctx: Context) -> int:
    write_receipt = commands_print.receipt_writer(args, ctx) if args.receipt else None
    outcomes = ctx.workspace().bundles.import_files(args.files, dry_run=args.dry_run)
    if ctx.json:
        emit_json([o.as_json() for o in outcomes])
    else:
        emit_table([_("File"), _("Status"), _("Assessor"), _("Seq"), _("Reason")],
                   [(o.file, o.status.label, o.assessor, "" if o.seq is None else o.seq,
                     o.reason) for o in outcomes])
    if write_receipt is not None:
        write_receipt(outcomes)
    return 0


def cmd_bundle_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.workspace().bundles.list()
    if ctx.json:
        emit_json([{"id": b.id, "file": b.file_name, "status": b.status, "reason": b.reason,
                    "assessor_id": b.assessor_id, "seq": b.seq, "sheets": b.sheets,
                    "scores": b.scores, "imported_at": b.imported_at} for b in rows])
    else:
        emit_table(["ID", _("File"), _("Status"), _("Seq"), _("Scores"), _("Reason")],
                   [(b.id, b.file_name, b.status, "" if b.seq is None else b.seq, b.scores,
                     b.reason) for b in rows])
    return 0


def cmd_bundle_decide(args: argparse.Namespace, ctx: Context) -> int:
    outcome = ctx.workspace().bundles.decide(args.id, args.decision == "accept", args.reason)
    if ctx.json:
        emit_json({"id": args.id, "status": outcome.value})
    else:
        emit_lines(_("Bundle {id}: {status}.").format(id=args.id, status=outcome.label))
    return 0


def cmd_score_set(args: argparse.Namespace, ctx: Context) -> int:
    ctx.workspace().scoring.set_score(args.candidate, args.criterion, args.level, args.note)
    if ctx.json:
        emit_json({"candidate": args.candidate, "criterion": args.criterion, "level": args.level})
    return 0


def cmd_score_finish(args: argparse.Namespace, ctx: Context) -> int:
    ctx.workspace().scoring.finish(args.candidate)
    if ctx.json:
        emit_json({"candidate": args.candidate, "status": "finished"})
    return 0


def cmd_audit_verify(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.maintenance import check_database

    report = check_database(ctx.workspace().store)
    ok = report.audit_first_bad_seq is None
    if ctx.json:
        emit_json({"ok": ok, "entries": report.audit_entries, "head": report.audit_head,
                   "first_bad_seq": report.audit_first_bad_seq})
    elif ok:
        emit_lines(_("Audit chain intact: {n} entries, head {head}.").format(
            n=report.audit_entries, head=report.audit_head))
    if not ok:
        sys.stderr.write("ovop: " + _("the audit chain is broken at entry {seq}.").format(
            seq=report.audit_first_bad_seq) + "\n")
        return 4
    return 0
