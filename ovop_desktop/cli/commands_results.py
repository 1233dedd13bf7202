"""`ovop results show|export|reliability|progress|verify`, `ovop moderate`,
`ovop go-global list|export|set`, `ovop round method`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines, emit_table
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.errors import NotFoundError, UserFacingError, ValidationError
from ovop_desktop.i18n import _, current_language

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context
    from ovop_desktop.services.results import ResultsReport


def register(groups: Any) -> None:
    results = groups.add_parser("results", help=_("totals, stars and ranks from the bundles"))
    rcmds = results.add_subparsers(dest="command", metavar="COMMAND", required=True)
    show = rcmds.add_parser("show", help=_("the results per commodity"))
    show.add_argument("--commodity")
    show.add_argument("--overall", action="store_true",
                      help=_("one ranking across all commodities"))
    show.set_defaults(handler=cmd_show)
    export = rcmds.add_parser("export", help=_(
        "write the results (.xlsx, .csv or .json) with a signed receipt"))
    export.add_argument("--out", type=Path, required=True)
    export.add_argument("--passphrase-file", type=Path,
                        help=_("read the passphrase from this file (or set OVOP_PASSPHRASE)"))
    export.set_defaults(handler=cmd_export)
    rcmds.add_parser("reliability", help=_("agreement between assessors (Krippendorff's "
                                           "alpha, ICC)")).set_defaults(handler=cmd_reliability)
    counts = rcmds.add_parser("counts", help=_("candidates per star, by commodity or province"))
    counts.add_argument("--by", choices=["commodity", "province"], default="commodity")
    counts.set_defaults(handler=cmd_counts)
    rcmds.add_parser("progress", help=_("bundles received and sheets still missing")
                     ).set_defaults(handler=cmd_progress)
    verify = rcmds.add_parser("verify", help=_(
        "check a results receipt (file) or what a scorecard's QR code holds"))
    verify.add_argument("receipt")
    verify.set_defaults(handler=cmd_verify)

    moderate = groups.add_parser("moderate", help=_(
        "set the panel's level for a candidate's criterion (with the reason)"))
    moderate.add_argument("candidate", type=int)
    moderate.add_argument("criterion")
    moderate.add_argument("level", help=_("1, 2, 3, or 'none' to withdraw the moderation"))
    moderate.add_argument("--reason", required=True)
    moderate.set_defaults(handler=cmd_moderate)

    go = groups.add_parser("go-global", help=_("the Go Global shortlist (3★ and 2★)"))
    gcmds = go.add_subparsers(dest="command", metavar="COMMAND", required=True)
    gcmds.add_parser("list", help=_("the shortlist")).set_defaults(handler=cmd_go_list)
    gexp = gcmds.add_parser("export", help=_("write the shortlist (.xlsx or .csv)"))
    gexp.add_argument("--out", type=Path, required=True)
    gexp.set_defaults(handler=cmd_go_export)
    gset = gcmds.add_parser("set", help=_("select a candidate for curation and/or note"))
    gset.add_argument("candidate", type=int)
    gset.add_argument("--selected", choices=["yes", "no"])
    gset.add_argument("--note")
    gset.set_defaults(handler=cmd_go_set)


def register_round_method(round_commands: Any) -> None:
    method = round_commands.add_parser("method", help=_(
        "results method: minimum assessors, tie-break aspects, disagreement threshold"))
    method.add_argument("--min-assessors", type=int)
    method.add_argument("--tie-break", help=_("aspect ids in order, e.g. C,B,A"))
    method.add_argument("--spread", type=int, help=_("level spread that flags a disagreement"))
    method.set_defaults(handler=cmd_round_method)


# -- helpers ----------------------------------------------------------------------------


def _round_id(ctx: Context) -> int:
    current = ctx.workspace().current_round()
    if current is None:
        raise NotFoundError(_("There is no round yet."))
    return current.id


def _report(ctx: Context) -> ResultsReport:
    return ctx.workspace().results.report(_round_id(ctx))


def _star_text(star: int | None) -> str:
    if star is None:
        return _("incomplete")
    return "★" * star if star else "—"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


# -- results ----------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.results_export import result_row
    from ovop_desktop.services.rubrics import parse_commodity_or_fail

    commodity = parse_commodity_or_fail(args.commodity).value if args.commodity else None
    report = _report(ctx)
    rows = report.rows(commodity)
    overall = report.overall_ranks()
    if args.overall:
        rows = sorted(rows, key=lambda r: (overall.get(r.candidate_id, 10**9),
                                           report.candidates[r.candidate_id].name.casefold()))
    if ctx.json:
        emit_json([{**result_row(report, r, current_language()),
                    "overall_rank": overall.get(r.candidate_id)} for r in rows])
        return 0
    if not rows:
        emit_lines(_("No results yet: no candidate has been planned or scored in this round."))
        return 0
    ranks = overall if args.overall else {r.candidate_id: r.rank for r in rows}
    emit_table([_("Rank"), _("ID"), _("IKM"), _("Commodity"), _("Assessors"), _("Total"),
                _("Star"), _("Flags")],
               [[ranks.get(r.candidate_id) or "", r.candidate_id,
                 report.candidates[r.candidate_id].name[:40], Commodity(r.commodity).label,
                 len(r.assessors), _number(r.total),
                 _star_text(r.star), ", ".join(f.label for f in r.flags)] for r in rows])
    return 0


def cmd_counts(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.results import star_counts

    report = _report(ctx)
    counts = star_counts(report.results.candidates, by=args.by)
    regions = ctx.workspace().regions

    def label(key: str) -> str:
        if args.by == "commodity":
            return Commodity(key).label
        province = regions.province(key)
        return province.name if province else key

    rows = sorted(counts.items(), key=lambda kv: label(kv[0]))
    if ctx.json:
        emit_json([{args.by: key, "name": label(key), "3": c[3], "2": c[2], "1": c[1],
                    "0": c[0], "incomplete": c[None]} for key, c in rows])
        return 0
    emit_table([_("Commodity") if args.by == "commodity" else _("Province"), "★★★", "★★", "★",
                _("No star"), _("Incomplete")],
               [[label(key), c[3], c[2], c[1], c[0], c[None]] for key, c in rows])
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.identity import load_public, read_passphrase, unlock

    ws = ctx.workspace()
    if load_public(ws.paths.keys) is None:
        raise NotFoundError(_("This profile has no key yet: run `ovop identity create`."))
    report = _report(ctx)
    if not report.results.candidates:
        raise UserFacingError(_("There are no results to export yet."))
    key = unlock(ws.paths.keys, read_passphrase(args.passphrase_file))
    receipt = ws.results.export(report, args.out, key)
    if ctx.json:
        emit_json({"file": str(args.out), "receipt": str(receipt),
                   "candidates": len(report.results.candidates)})
    else:
        emit_lines(_("Results of {n} candidates written to {file}; receipt: {receipt}").format(
            n=len(report.results.candidates), file=args.out, receipt=receipt))
    return 0


def cmd_reliability(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    rel = ws.results.reliability(_report(ctx))
    if ctx.json:
        emit_json([{"commodity": r.commodity, "criterion": r.criterion_id or None,
                    "units": r.units, "alpha_ordinal": r.alpha_ordinal,
                    "alpha_interval": r.alpha_interval, "icc1": r.icc1, "icc1k": r.icc1k,
                    "k": r.k or None, "band": r.band} for r in rel.rows])
        return 0

    def fmt(v: float | None) -> str:
        return "—" if v is None else f"{v:.3f}"

    emit_table([_("Commodity"), _("Criterion"), _("Units"), "α ordinal", "α interval",
                "ICC(1,1)", "ICC(1,k)", _("Interpretation")],
               [[Commodity(r.commodity).label, r.criterion_id or _("(all)"), r.units,
                 fmt(r.alpha_ordinal), fmt(r.alpha_interval), fmt(r.icc1), fmt(r.icc1k),
                 r.band] for r in rel.rows])
    return 0


def cmd_progress(args: argparse.Namespace, ctx: Context) -> int:
    board = ctx.workspace().results.progress(_round_id(ctx))
    if ctx.json:
        emit_json({"assessors": [{"id": p.assessor.id, "name": p.assessor.name,
                                  "bundles": p.bundles, "last_seq": p.last_seq,
                                  "last_import": p.last_import, "assigned": p.assigned,
                                  "finished": p.finished, "in_progress": p.in_progress,
                                  "missing": list(p.missing)} for p in board.assessors],
                   "candidates": [{"id": c.candidate_id, "assigned": list(c.assigned),
                                   "finished": list(c.finished), "missing": list(c.missing)}
                                  for c in board.candidates]})
        return 0
    emit_table([_("Assessor"), _("Bundles"), _("Last"), _("Assigned"), _("Finished"),
                _("Missing")],
               [[p.assessor.name[:40], p.bundles, p.last_seq or "—", p.assigned, p.finished,
                 len(p.missing)] for p in board.assessors])
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.atomic import read_capped
    from ovop_desktop.services.receipts import (
        MAX_RECEIPT_BYTES,
        ReceiptError,
        compare,
        open_receipt,
        parse_qr,
        payload,
        receipt_hash,
    )

    ws = ctx.workspace()
    qr = parse_qr(args.receipt)
    path = Path(args.receipt)
    if qr is None and path.is_file():
        data = read_capped(path, MAX_RECEIPT_BYTES)
        qr = parse_qr(data[:400].decode("utf-8", "replace")) if data.startswith(b"OVOP-") \
            else None
        if qr is None:
            try:
                opened = open_receipt(data)
            except ReceiptError as exc:
                raise ValidationError(_("{file}: {reason}.").format(file=path.name,
                                                                    reason=exc)) from None
            return _verify_receipt(ctx, opened, payload, compare)
    if qr is None:
        raise ValidationError(_("'{text}' is neither a receipt file nor the text of a "
                                "scorecard's QR code.").format(text=args.receipt[:80]))
    wanted, head = qr
    round_ = ws.current_round()
    if round_ is None:
        raise NotFoundError(_("There is no round yet."))
    now = payload(ws.results.report(round_.id))
    matches = receipt_hash(now) == wanted
    if ctx.json:
        emit_json({"kind": "qr", "matches": matches, "receipt_sha256": wanted,
                   "current_sha256": receipt_hash(now), "audit_head": head,
                   "current_audit_head": now["audit_head"]})
    elif matches:
        emit_lines(_("OK: the printed results match the current data exactly."))
    else:
        emit_lines(_("Different: the data has changed since this was printed, or it comes "
                     "from another store."))
    return 0 if matches else 1


def _verify_receipt(ctx: Context, opened: Any, payload: Any, compare: Any) -> int:
    from ovop_desktop.services.identity import load_public
    from ovop_desktop.services.signing import format_fingerprint

    ws = ctx.workspace()
    me = load_public(ws.paths.keys)
    own = me is not None and me.key_id == opened.key_id
    round_ = next((r for r in ws.rounds.list()
                   if r.uid == opened.body.get("round", {}).get("uid")), None)
    result = compare(opened.body, payload(ws.results.report(round_.id))) if round_ else None
    if ctx.json:
        emit_json({"kind": "receipt", "signature": "valid", "signer": opened.signer,
                   "fingerprint": opened.key_id, "own_key": own,
                   "receipt_sha256": opened.hash,
                   "round_found": round_ is not None,
                   "same_receipt": bool(result and result.same_receipt),
                   "same_results": bool(result and result.same_results),
                   "changed": list(result.changed) if result else [],
                   "missing": list(result.missing) if result else [],
                   "inputs_changed": list(result.inputs_changed) if result else []})
    else:
        emit_lines(_("Signature valid: signed by {signer} (fingerprint {fp}).").format(
            signer=opened.signer or "?", fp=format_fingerprint(opened.key_id)))
        emit_lines(_("This is this installation's own key.") if own else
                   _("This is NOT this installation's key: compare the fingerprint with the "
                     "coordinator's."))
        if result is None:
            emit_lines(_("The round of this receipt is not in this store; only the signature "
                         "was checked."))
        elif result.same_receipt:
            emit_lines(_("OK: recomputing from the current data gives exactly this receipt."))
        elif result.same_results:
            emit_lines(_("Stars, ranks and totals are unchanged; the store changed since in: "
                         "{what}.").format(what=", ".join(result.inputs_changed)))
        else:
            emit_lines(_("Different: {n} candidates' results changed since ({what}).").format(
                n=len(result.changed) + len(result.missing),
                what=", ".join(result.inputs_changed) or "-"))
    return 0 if result is not None and result.same_results else 1


# -- moderation ---------------------------------------------------------------------------


def cmd_moderate(args: argparse.Namespace, ctx: Context) -> int:
    text = args.level.strip().casefold()
    if text in ("none", "-", "tidak"):
        level = None
    else:
        try:
            level = int(text)
        except ValueError:
            raise ValidationError(_("Level {level} is not a level: use 1, 2 or 3.").format(
                level=args.level)) from None
    ctx.workspace().results.moderate(args.candidate, args.criterion, level, args.reason)
    if ctx.json:
        emit_json({"candidate": args.candidate, "criterion": args.criterion, "level": level})
    else:
        emit_lines(_("Moderated {criterion} of candidate {id}: {level}.").format(
            criterion=args.criterion, id=args.candidate,
            level=level if level is not None else _("withdrawn")))
    return 0


# -- Go Global ----------------------------------------------------------------------------


def cmd_go_list(args: argparse.Namespace, ctx: Context) -> int:
    entries = ctx.workspace().results.shortlist(_round_id(ctx))
    if ctx.json:
        emit_json([{"candidate": e.result.candidate_id, "name": e.facts.name,
                    "commodity": e.result.commodity, "star": e.result.star,
                    "total": None if e.result.total is None else round(e.result.total, 2),
                    "capacity": e.facts.capacity, "workforce": e.facts.workforce,
                    "export_history": e.facts.export_history,
                    "certifications": e.facts.documents, "selected": e.selected,
                    "note": e.note} for e in entries])
        return 0
    if not entries:
        emit_lines(_("No candidate has 3★ or 2★ yet."))
        return 0
    emit_table([_("ID"), _("IKM"), _("Commodity"), _("Star"), _("Total"), _("Selected")],
               [[e.result.candidate_id, e.facts.name[:40], Commodity(e.result.commodity).label,
                 _star_text(e.result.star), _number(e.result.total),
                 _("yes") if e.selected else ""] for e in entries])
    return 0


def cmd_go_export(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    ws.results.export_shortlist(_round_id(ctx), args.out)
    if ctx.json:
        emit_json({"file": str(args.out)})
    else:
        emit_lines(_("Shortlist written to {file}.").format(file=args.out))
    return 0


def cmd_go_set(args: argparse.Namespace, ctx: Context) -> int:
    ws = ctx.workspace()
    current = {e.result.candidate_id: e for e in ws.results.shortlist(_round_id(ctx))}
    entry = current.get(args.candidate)
    if entry is None:
        raise ValidationError(_("Candidate {id} is not on the Go Global shortlist (3★ or 2★)."
                                ).format(id=args.candidate))
    selected = entry.selected if args.selected is None else args.selected == "yes"
    note = entry.note if args.note is None else args.note
    ws.results.curate(args.candidate, selected, note)
    if ctx.json:
        emit_json({"candidate": args.candidate, "selected": selected, "note": note})
    else:
        emit_lines(_("Saved."))
    return 0


# -- round method ---------------------------------------------------------------------------


def cmd_round_method(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.domain.results import parse_tie_break

    ws = ctx.workspace()
    round_ = ws.current_round()
    if round_ is None:
        raise NotFoundError(_("There is no round yet."))
    changed = ws.rounds.set_method(
        round_.id,
        round_.min_assessors if args.min_assessors is None else args.min_assessors,
        round_.tie_break if args.tie_break is None else parse_tie_break(args.tie_break),
        round_.spread_flag if args.spread is None else args.spread)
    if ctx.json:
        emit_json({"min_assessors": changed.min_assessors, "tie_break": list(changed.tie_break),
                   "spread_flag": changed.spread_flag})
    else:
        emit_lines(_("Minimum assessors {n}; tie-break {tb}; disagreement at a spread of {s}."
                     ).format(n=changed.min_assessors, tb=", ".join(changed.tie_break),
                              s=changed.spread_flag))
    return 0
