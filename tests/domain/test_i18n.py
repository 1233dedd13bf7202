"""Translation without Qt: the .po reader, fallbacks and switching languages."""

from __future__ import annotations

import textwrap

import pytest

from ovop_desktop import i18n
from ovop_desktop.i18n import (
    Catalog,
    _,
    current_language,
    load_catalog,
    ngettext,
    parse_po,
    pick,
    set_language,
)

PO = textwrap.dedent(r'''
    # Indonesian translations for OVOP Desktop.
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\n"
    "Plural-Forms: nplurals=1; plural=0;\n"

    #: ovop_desktop/ui/main_window.py:10
    msgid "Rounds"
    msgstr "Putaran"

    msgid ""
    "A long message that "
    "spans lines"
    msgstr ""
    "Pesan panjang yang "
    "terbagi baris"

    msgid "Say \"hi\"\tand\\go\n"
    msgstr "Ucapkan \"hai\"\tdan\\pergi\n"

    msgid "Škoda — ünïcode"
    msgstr "Ünïcode — ✓"

    #, fuzzy
    msgid "Unsure"
    msgstr "Tidak yakin"

    #, python-format
    msgid "Saved {n} files"
    msgstr "{n} berkas disimpan"

    msgid "Untranslated"
    msgstr ""

    msgid "{n} candidate"
    msgid_plural "{n} candidates"
    msgstr[0] "{n} kandidat"

    #~ msgid "Obsolete"
    #~ msgstr "Usang"
''')

PO_EN = textwrap.dedent('''
    msgid "{n} candidate"
    msgid_plural "{n} candidates"
    msgstr[0] "{n} candidate (en)"
    msgstr[1] "{n} candidates (en)"

    msgid "Rounds"
    msgstr "Rounds (en)"
''')


def test_simple_and_multiline_entries() -> None:
    cat = parse_po(PO, "id")
    assert cat.messages["Rounds"] == "Putaran"
    assert cat.messages["A long message that spans lines"] == "Pesan panjang yang terbagi baris"


def test_escapes_and_unicode() -> None:
    cat = parse_po(PO, "id")
    assert cat.messages['Say "hi"\tand\\go\n'] == 'Ucapkan "hai"\tdan\\pergi\n'
    assert cat.messages["Škoda — ünïcode"] == "Ünïcode — ✓"


def test_fuzzy_untranslated_obsolete_and_header_are_skipped() -> None:
    cat = parse_po(PO, "id")
    assert "Unsure" not in cat.messages
    assert "Untranslated" not in cat.messages
    assert "Obsolete" not in cat.messages
    assert "" not in cat.messages
    assert cat.messages["Saved {n} files"] == "{n} berkas disimpan"  # other flags are fine


def test_plurals() -> None:
    cat = parse_po(PO, "id")
    assert cat.plurals["{n} candidate"] == ["{n} kandidat"]
    assert "{n} candidate" not in cat.messages
    en = parse_po(PO_EN, "en")
    assert en.plurals["{n} candidate"] == ["{n} candidate (en)", "{n} candidates (en)"]
    assert en.plural_index(1) == 0 and en.plural_index(2) == 1 and en.plural_index(0) == 1
    assert cat.plural_index(1) == cat.plural_index(5) == 0


def test_windows_line_endings() -> None:
    cat = parse_po(PO.replace("\n", "\r\n"), "id")
    assert cat.messages["A long message that spans lines"] == "Pesan panjang yang terbagi baris"


@pytest.mark.parametrize("language", ["id", "en"])
def test_shipped_catalogues_load(language: str) -> None:
    cat = load_catalog(language)
    assert cat.language == language
    assert all(isinstance(v, str) and v for v in cat.messages.values())


def test_unknown_catalogue_is_empty() -> None:
    assert load_catalog("fr") == Catalog("fr")


@pytest.fixture
def catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the shipped catalogues are PO (Indonesian) and PO_EN (English)."""
    texts = {"id": PO, "en": PO_EN}
    monkeypatch.setattr(i18n, "load_catalog",
                        lambda lang: parse_po(texts[lang], lang) if lang in texts
                        else Catalog(lang))


def test_set_language_switches(catalogues: None) -> None:
    set_language("id")
    assert current_language() == "id"
    assert _("Rounds") == "Putaran"
    set_language("en")
    assert current_language() == "en"
    assert _("Rounds") == "Rounds (en)"
    set_language("id")
    assert _("Rounds") == "Putaran"


def test_missing_messages_fall_back_to_the_msgid(catalogues: None) -> None:
    set_language("id")
    assert _("No such message {x}") == "No such message {x}"
    assert _("Unsure") == "Unsure"  # fuzzy: not used
    assert _("Untranslated") == "Untranslated"


def test_ngettext(catalogues: None) -> None:
    set_language("id")
    assert ngettext("{n} candidate", "{n} candidates", 1) == "{n} kandidat"
    assert ngettext("{n} candidate", "{n} candidates", 7) == "{n} kandidat"
    set_language("en")
    assert ngettext("{n} candidate", "{n} candidates", 1) == "{n} candidate (en)"
    assert ngettext("{n} candidate", "{n} candidates", 7) == "{n} candidates (en)"
    assert ngettext("{n} round", "{n} rounds", 1) == "{n} round"  # fallback to the ids
    assert ngettext("{n} round", "{n} rounds", 2) == "{n} rounds"


@pytest.mark.parametrize("language", ["fr", "", "EN", "xx-YY"])
def test_unknown_language_falls_back_to_indonesian(language: str) -> None:
    set_language("en")
    set_language(language)
    assert current_language() == "id"


def test_real_catalogues_switch_without_error() -> None:
    for language in ("en", "id", "en"):
        set_language(language)
        assert current_language() == language
        assert isinstance(_("Rounds"), str)


def test_pick_bilingual_text() -> None:
    text = {"id": "Kualitas", "en": "Quality"}
    assert pick(text, "en") == "Quality"
    assert pick(text, "id") == "Kualitas"
    assert pick({"id": "Kualitas", "en": ""}, "en") == "Kualitas"
    assert pick({"en": "Quality"}, "id") == "Quality"
    assert pick({}, "id") == ""
    set_language("en")
    assert pick(text) == "Quality"


def test_entries_without_blank_lines_between_them() -> None:
    """msgfmt accepts entries back to back; a fuzzy flag belongs to the entry after it."""
    po = ('msgid "A"\nmsgstr "a"\n#, fuzzy\nmsgid "B"\nmsgstr "b"\n'
          '#: file.py:1\nmsgid "C"\nmsgstr "c"\n')
    assert parse_po(po, "id").messages == {"A": "a", "C": "c"}
