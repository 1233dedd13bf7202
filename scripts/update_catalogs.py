"""Extract every `_()`, `N_()` and `ngettext()` message from the code into the catalogues.

    python scripts/update_catalogs.py          # add new msgids, drop unused ones
    python scripts/update_catalogs.py --check  # exit 1 if a catalogue is incomplete

English is the source language: en.po gets msgstr = msgid for new entries (edit
it to improve wording without touching code); id.po gets an empty msgstr that
a translator must fill. Needs babel (a test dependency).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "resources" / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="OVOP Desktop", charset="utf-8")
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
        str(ROOT / "ovop_desktop"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        catalog.add(message, locations=[(f"ovop_desktop/{filename}", lineno)])
    return catalog


def merged(template: Catalog, language: str) -> Catalog:
    path = LOCALE / f"{language}.po"
    old = read_po(path.open("rb"), locale=language) if path.exists() else Catalog(locale=language)
    new = Catalog(locale=language, project="OVOP Desktop", charset="utf-8")
    for msg in template:
        if not msg.id:
            continue
        previous = old.get(msg.id)
        if previous is not None and previous.string and any(previous.string if isinstance(
                previous.string, tuple) else [previous.string]):
            string = previous.string
        elif language == "en":
            string = msg.id
        else:
            string = ("", "") if isinstance(msg.id, tuple) else ""
        new.add(msg.id, string, locations=msg.locations)
    return new


def missing(catalog: Catalog) -> list[str]:
    out = []
    for msg in catalog:
        if not msg.id:
            continue
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        if not all(strings):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    template = extract()
    status = 0
    for language in ("id", "en"):
        catalog = merged(template, language)
        gaps = missing(catalog)
        if args.check:
            if gaps:
                print(f"{language}.po: {len(gaps)} untranslated, e.g. {gaps[:3]}")
                status = 1
            continue
        with (LOCALE / f"{language}.po").open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, omit_header=False)
        print(f"{language}.po: {len(catalog)} messages, {len(gaps)} untranslated")
    return status


if __name__ == "__main__":
    sys.exit(main())
