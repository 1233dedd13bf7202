"""Translation into the document's language, independent of the app's current language.

`i18n._` follows the process-wide language; a PDF is printed in the language the user
picked for it (an English key card from an Indonesian UI), possibly on a worker thread
while the GUI keeps its own. Document code binds a Translator to the name `_` so the
catalogue script still extracts its msgids: `_ = Translator(language)`, then `_("…")`.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal

from ovop_desktop.domain import bundle_rules, commodities, documents, screening
from ovop_desktop.domain.bundle_rules import Outcome
from ovop_desktop.domain.candidates import EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.formats import format_date, format_datetime, format_number
from ovop_desktop.domain.screening import Decision
from ovop_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalog, load_catalog

_catalogs: dict[str, Catalog] = {}
_lock = threading.Lock()


def _catalog(language: str) -> Catalog:
    with _lock:
        if language not in _catalogs:
            _catalogs[language] = load_catalog(language)
        return _catalogs[language]


class Translator:
    """`_("msgid")` in one fixed language, plus the labels and formats documents need."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._messages = _catalog(self.language).messages

    def __call__(self, message: str) -> str:
        return self._messages.get(message, message)

    # The enums' own `.label` follows the app's language; their msgid tables are reused
    # here so the wording stays the same in both places.
    def commodity(self, commodity: Commodity) -> str:
        return self(commodities._LABELS[commodity])

    def document(self, document: Document) -> str:
        return self(documents._LABELS[document])

    def decision(self, decision: Decision) -> str:
        return self(screening._DECISION_LABELS[decision])

    def outcome(self, outcome: Outcome) -> str:
        return self(bundle_rules._LABELS[outcome])

    def entry_kind(self, kind: EntryKind) -> str:
        return self("New candidate") if kind is EntryKind.NEW else self("Re-evaluation")

    def date(self, value: date | datetime | str) -> str:
        return format_date(value, self.language)

    def datetime(self, value: datetime | str) -> str:
        return format_datetime(value, self.language)

    def number(self, value: float | int | Decimal, decimals: int = 1) -> str:
        return format_number(value, decimals, self.language)
