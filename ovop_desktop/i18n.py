"""Translation for core and UI alike, without Qt: `_`, `N_`, `ngettext`.

Message ids are English; catalogues live in `resources/locale/<lang>.po` and
are read directly (a small .po reader), so no compile step is needed and the
CLI, the PDFs and the GUI share one mechanism. Indonesian is the default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ovop_desktop.resource_files import resource

LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"


@dataclass
class Catalog:
    """One language's messages: singular ids map to one string, plural ids to a list."""

    language: str
    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, list[str]] = field(default_factory=dict)

    def plural_index(self, n: int) -> int:
        # Indonesian has one plural form; English two.
        return 0 if self.language == "id" else (0 if n == 1 else 1)


_PO_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r'\\(.)')


def _unquote(literal: str) -> str:
    """A PO string literal's text (C escapes); much faster than ast.literal_eval at start-up."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), literal[1:-1])


def parse_po(text: str, language: str) -> Catalog:
    """Read the subset of the PO format our catalogues use (no contexts).

    Fuzzy entries are skipped, as gettext's msgfmt would skip them.
    """
    catalog = Catalog(language)
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key: tuple[str, int | None] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal current, fuzzy
        if current and not fuzzy:
            entries.append(current)
        current, fuzzy = {}, False

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
            continue
        if line.startswith("#"):
            if "msgstr" in current:  # a comment after a msgstr starts the next entry
                flush()
                key = None
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        match = _PO_LINE.match(line)
        if match:
            kind, index, literal = match.group(1), match.group(2), match.group(3)
            if kind == "msgid" and "msgid" in current:
                flush()
            name = "msgstr" if kind.startswith("msgstr") else kind
            key = (name, int(index) if index is not None else None)
            _append(current, key, _unquote(literal))
        elif line.startswith('"') and key is not None:
            _append(current, key, _unquote(line))
    flush()
    for entry in entries:
        msgid = entry.get("msgid", "")
        if not msgid:
            continue  # the header
        strs = entry.get("msgstr", {})
        assert isinstance(strs, dict)
        if "msgid_plural" in entry:
            forms = [strs[i] for i in sorted(strs) if strs[i]]
            if forms:
                catalog.plurals[str(msgid)] = forms
        elif strs.get(None):
            catalog.messages[str(msgid)] = str(strs[None])
    return catalog


def _append(entry: dict[str, object], key: tuple[str, int | None], text: str) -> None:
    name, index = key
    if name == "msgstr":
        strs = entry.setdefault("msgstr", {})
        assert isinstance(strs, dict)
        strs[index] = strs.get(index, "") + text
    else:
        entry[name] = str(entry.get(name, "")) + text


def load_catalog(language: str) -> Catalog:
    """The shipped catalogue for `language` (an empty one for an unknown language)."""
    if language not in LANGUAGES:
        return Catalog(language)
    path = resource("locale", f"{language}.po")
    return parse_po(path.read_text(encoding="utf-8"), language)


_active = Catalog(DEFAULT_LANGUAGE)
_loaded = False


def set_language(language: str) -> None:
    """Switch every later `_()` call to `language` ("id" or "en")."""
    global _active, _loaded
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _active = load_catalog(language)
    _loaded = True


def current_language() -> str:
    _ensure_loaded()
    return _active.language


def _ensure_loaded() -> None:
    if not _loaded:
        set_language(DEFAULT_LANGUAGE)


def _(message: str) -> str:
    """Translate `message` into the active language (falls back to the English id)."""
    _ensure_loaded()
    return _active.messages.get(message, message)


def N_(message: str) -> str:
    """Mark `message` for extraction; translate it later with `_()` where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Plural-aware translation; the result still contains its `{n}` placeholder."""
    _ensure_loaded()
    forms = _active.plurals.get(singular)
    if forms:
        return forms[min(_active.plural_index(n), len(forms) - 1)]
    return singular if n == 1 else plural


def pick(text: dict[str, str] | Iterable[tuple[str, str]], language: str | None = None) -> str:
    """Choose one language from a bilingual text such as a rubric descriptor."""
    mapping = dict(text)
    lang = language or current_language()
    return mapping.get(lang) or mapping.get(DEFAULT_LANGUAGE) or next(iter(mapping.values()), "")
