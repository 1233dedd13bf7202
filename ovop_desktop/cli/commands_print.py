"""`ovop print form|key-card|screening|import-receipt|scorecards|ranking|go-global` —
documents as PDF files."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ovop_desktop.cli.output import emit_json, emit_lines
from ovop_desktop.i18n import LANGUAGES, _

if TYPE_CHECKING:
    from ovop_desktop.cli.main import Context


def add_document_options(parser: argparse.ArgumentParser, *, out: bool = True) -> None:
    """--out, --paper and --lang, the same for every printed document."""
    if out:
        parser.add_argument("--out", required=True, type=Path, help=_("the PDF file to write"))
    parser.add_argument("--paper", choices=["a4", "f4"], default="a4",
                        help=_("paper size: A4 (default) or F4/Folio"))
    # dest doc_lang: the top-level --lang names the language of messages; a document's
    # language defaults to it (or to the profile's), which is what Context.language holds.
    parser.add_argument("--lang", dest="doc_lang", choices=list(LANGUAGES),
                        help=_("language of the document (default: the profile's)"))


def register(groups: Any) -> None:
    prn = groups.add_parser("print", help=_("print documents to PDF"))
    cmds = prn.add_subparsers(dest="command", metavar="COMMAND", required=True)
    form = cmds.add_parser("form", help=_(
        "blank field forms: the candidates named, an assessor's visits (--assessor), or on "
        "an assessor's laptop all assigned candidates"))
    form.add_argument("candidates", type=int, nargs="*", metavar="CANDIDATE")
    form.add_argument("--assessor", type=int, metavar="ID")
    add_document_options(form)
    form.set_defaults(handler=cmd_print_form)
    card = cmds.add_parser("key-card", help=_("this laptop's public-key card, for enrolment"))
    add_document_options(card)
    card.set_defaults(handler=cmd_print_key_card)
    screening = cmds.add_parser("screening", help=_("the administrative screening summary"))
    add_document_options(screening)
    screening.set_defaults(handler=cmd_print_screening)
    receipt = cmds.add_parser("import-receipt", help=_(
        "receipt of the bundles filed on the latest import day (for the exact receipt of one "
        "import: ovop bundle import … --receipt F.pdf)"))
    add_document_options(receipt)
    receipt.set_defaults(handler=cmd_print_import_receipt)
    cards = cmds.add_parser("scorecards", help=_(
        "scorecards: every candidate with results in the round, or the candidates named"))
    cards.add_argument("candidates", type=int, nargs="*", metavar="CANDIDATE")
    add_document_options(cards)
    cards.set_defaults(handler=cmd_print_scorecards)
    ranking = cmds.add_parser("ranking", help=_(
        "the recommendation list for the selection team (all commodities, or one)"))
    ranking.add_argument("--commodity", help=_("only this commodity, e.g. batik"))
    add_document_options(ranking)
    ranking.set_defaults(handler=cmd_print_ranking)
    go = cmds.add_parser("go-global", help=_("the Go Global shortlist (3★ and 2★)"))
    add_document_options(go)
    go.set_defaults(handler=cmd_print_go_global)


def _language(args: argparse.Namespace, ctx: Context) -> str:
    return args.doc_lang or ctx.language


def _save(args: argparse.Namespace, ctx: Context, data: bytes, what: str, **extra: Any) -> int:
    from ovop_desktop.services.printing import write_pdf

    path = write_pdf(args.out, data)
    if ctx.json:
        emit_json({"file": str(path), "bytes": len(data), **extra})
    else:
        emit_lines(_("{what} written to {path}.").format(what=what, path=path))
    return 0


def _pages(data: bytes) -> int:
    """The PDF's page count, from the /Count of its page tree (reportlab writes one)."""
    import re

    counts = [int(m) for m in re.findall(rb"/Count (\d+)", data)]
    return max(counts, default=0)


def cmd_print_form(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing import sources
    from ovop_desktop.services.printing.field_form import field_forms

    ws = ctx.workspace()
    round_ = sources.current_round(ws)
    forms = sources.field_forms_for(ws, round_, args.candidates, args.assessor)
    data = field_forms(forms, round_, paper=args.paper, language=_language(args, ctx),
                       keyed_here=sources.is_assessor(ws))
    return _save(args, ctx, data, _("{n} field forms").format(n=len(forms)),
                 candidates=[f.candidate.candidate_id for f in forms], pages=_pages(data))


def cmd_print_key_card(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing import sources
    from ovop_desktop.services.printing.key_card import key_card

    me, role = sources.own_identity(ctx.workspace())
    data = key_card(me, role, paper=args.paper, language=_language(args, ctx))
    return _save(args, ctx, data, _("The public-key card"), fingerprint=me.fingerprint)


def cmd_print_screening(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing import sources
    from ovop_desktop.services.printing.screening_summary import screening_summary

    ws = ctx.workspace()
    round_ = sources.current_round(ws)
    data = screening_summary(sources.screening_report(ws, round_), round_, paper=args.paper,
                             language=_language(args, ctx))
    return _save(args, ctx, data, _("The screening summary"), pages=_pages(data))


def cmd_print_import_receipt(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing import sources
    from ovop_desktop.services.printing.import_receipt import import_receipt

    ws = ctx.workspace()
    receipt = sources.latest_import_receipt(ws)
    current = ws.current_round()
    data = import_receipt(receipt, paper=args.paper, language=_language(args, ctx),
                          round_year=current.year if current else None,
                          round_name=current.name if current else "")
    return _save(args, ctx, data, _("The import receipt"), files=len(receipt.outcomes))


def receipt_writer(args: argparse.Namespace, ctx: Context) -> Callable[[list[Any]], None]:
    """For `ovop bundle import --receipt F.pdf`: print the receipt of exactly this import.

    The output path is checked before importing, so a typo in --receipt does not surface
    only after the bundles were filed.
    """
    from datetime import UTC, datetime

    from ovop_desktop.services.printing.output import check_target

    check_target(args.receipt)
    started = datetime.now(UTC).isoformat(timespec="seconds")  # as bundles' imported_at

    def write(outcomes: list[Any]) -> None:
        from ovop_desktop.services.printing import sources, write_pdf
        from ovop_desktop.services.printing.import_receipt import ImportReceipt, import_receipt

        ws = ctx.workspace()
        current = ws.current_round()
        if not args.dry_run:
            outcomes = sources.settle(ws, outcomes, started)
        receipt = ImportReceipt(tuple(outcomes), ws.profile.actor(), started,
                                dry_run=args.dry_run)
        write_pdf(args.receipt, import_receipt(
            receipt, paper=args.paper, language=_language(args, ctx),
            round_year=current.year if current else None,
            round_name=current.name if current else ""))

    return write


def _results(args: argparse.Namespace, ctx: Context) -> tuple[Any, Any]:
    """(workspace, the current round's results report), once the output path is known to
    be writable: computing results for a national round takes a while."""
    from ovop_desktop.services.printing import sources
    from ovop_desktop.services.printing.output import check_target

    check_target(args.out)
    ws = ctx.workspace()
    return ws, ws.results.report(sources.current_round(ws).id)


def cmd_print_scorecards(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing.scorecard import pick, scorecards

    ws, report = _results(args, ctx)
    ids = [r.candidate_id for r in pick(report, args.candidates or None)]
    data = scorecards(report, ids, paper=args.paper, language=_language(args, ctx),
                      notes=ws.results.notes(report))
    return _save(args, ctx, data, _("{n} scorecards").format(n=len(ids)), candidates=ids,
                 pages=_pages(data))


def cmd_print_ranking(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing.ranking import ranking_list
    from ovop_desktop.services.rubrics import parse_commodity_or_fail

    commodity = parse_commodity_or_fail(args.commodity).value if args.commodity else None
    _ws, report = _results(args, ctx)
    data = ranking_list(report, commodity, paper=args.paper, language=_language(args, ctx))
    return _save(args, ctx, data, _("The recommendation list"), pages=_pages(data))


def cmd_print_go_global(args: argparse.Namespace, ctx: Context) -> int:
    from ovop_desktop.services.printing.go_global import go_global_list

    ws, report = _results(args, ctx)
    entries = ws.results.shortlist(report.round.id, report)
    data = go_global_list(entries, report, paper=args.paper, language=_language(args, ctx))
    return _save(args, ctx, data, _("The Go Global shortlist"),
                 candidates=[e.result.candidate_id for e in entries], pages=_pages(data))
