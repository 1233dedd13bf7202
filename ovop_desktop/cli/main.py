"""`ovop [--data-dir DIR] [--db-url URL] [--json] [--lang id|en] GROUP COMMAND …` — parsing
and dispatch.

Only argparse and the i18n module load before a command runs, so `ovop --help`
stays quick; each command imports the services it needs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ovop_desktop import __version__
from ovop_desktop.errors import UserFacingError
from ovop_desktop.i18n import LANGUAGES, _, set_language
from ovop_desktop.paths import ProfilePaths, resolve_data_dir, resolve_db_url

if TYPE_CHECKING:
    from ovop_desktop.services.workspace import Workspace

Handler = Callable[[argparse.Namespace, "Context"], int]


@dataclass
class Context:
    """What a command needs: where the profile is, the output mode, the open workspace."""

    data_dir: Path
    json: bool
    language: str
    db_url: str | None = None  # --db-url or OVOP_DB_URL; else the profile's setting
    _workspace: Workspace | None = field(default=None, repr=False)

    def workspace(self) -> Workspace:
        if self._workspace is None:
            from ovop_desktop.errors import DamagedStoreError
            from ovop_desktop.services.workspace import Workspace

            try:
                self._workspace = Workspace.open(self.data_dir, db_url=self.db_url)
            except DamagedStoreError as exc:  # say which `ovop db restore` would repair it
                from ovop_desktop.cli.commands_setup import damaged_store_error

                raise damaged_store_error(exc, self.data_dir) from None
        return self._workspace

    def on_postgres(self) -> bool:
        """Whether the store is a PostgreSQL database (known without opening it)."""
        from ovop_desktop.services.settings import load_settings

        return bool(self.db_url or load_settings(ProfilePaths(self.data_dir).settings).db_url)

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: scripts read stderr.
        self.exit(2, f"{self.prog}: {_('error')}: {message}\n")


def _preferred_language(argv: Sequence[str]) -> tuple[str, Path]:
    """--lang, else the profile's setting, else Indonesian — known before building --help."""
    # A _Parser, so even a pre-parse error is one line; an unknown --lang is left for the
    # full parser to refuse (argparse's own error here would print a usage block).
    pre = _Parser(prog="ovop", add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--lang")
    known, _rest = pre.parse_known_args(argv)
    data_dir = resolve_data_dir(known.data_dir)
    if known.lang in LANGUAGES:
        return known.lang, data_dir
    from ovop_desktop.services.settings import load_settings

    return load_settings(ProfilePaths(data_dir).settings).language, data_dir


def build_parser() -> argparse.ArgumentParser:
    from ovop_desktop.cli import (
        commands_candidates,
        commands_exchange,
        commands_print,
        commands_results,
        commands_rounds,
        commands_rubrics,
        commands_setup,
        commands_visits,
    )

    parser = _Parser(prog="ovop", description=_(
        "OVOP Desktop command line: set up profiles, rounds and rubrics; check the store."))
    parser.add_argument("--version", action="version", version=f"ovop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help=_(
        "profile folder (database, keys, settings); default: OVOP_DATA_DIR or the user data "
        "folder"))
    parser.add_argument("--db-url", metavar="URL", help=_(
        "a coordinator's shared PostgreSQL store (postgresql://user@host/database) instead of "
        "the profile's SQLite file; default: OVOP_DB_URL or the profile's db_url setting"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON document"))
    parser.add_argument("--lang", choices=list(LANGUAGES), help=_("language of messages"))
    groups = parser.add_subparsers(dest="group", metavar="GROUP", parser_class=_Parser)
    groups.required = True
    for module in (commands_setup, commands_rounds, commands_rubrics, commands_candidates,
                   commands_exchange, commands_visits, commands_results, commands_print):
        module.register(groups)
    _accept_json_anywhere(parser)
    return parser


def _accept_json_anywhere(parser: argparse.ArgumentParser) -> None:
    """Let `--json` also follow the command (`ovop round list --json`), as scripts write it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _accept_json_anywhere(sub)
            return
    if parser.prog != "ovop":
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                            help=argparse.SUPPRESS)


def _log_crash(data_dir: Path) -> Path | None:
    try:
        logs = ProfilePaths(data_dir).logs
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / "cli-errors.log"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return path
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language, data_dir = _preferred_language(argv)
    set_language(language)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = build_parser().parse_args(argv)
    ctx = Context(data_dir=data_dir, json=args.json, language=language,
                  db_url=resolve_db_url(args.db_url))
    handler: Handler = args.handler
    try:
        return handler(args, ctx)
    except UserFacingError as exc:
        sys.stderr.write(f"ovop: {' '.join(str(exc).split())}\n")
        return exc.exit_code
    except BrokenPipeError:  # `ovop … | head`: the reader left; not an error of ours
        sys.stderr = None  # type: ignore[assignment]
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("ovop: " + _("interrupted; nothing more was changed.") + "\n")
        return 130
    except Exception as exc:  # a bug: one line for the user, the traceback to the log
        where = _log_crash(data_dir)
        sys.stderr.write("ovop: " + _("internal error ({kind}); details in {log}.").format(
            kind=type(exc).__name__, log=where or "-") + "\n")
        return 70
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
