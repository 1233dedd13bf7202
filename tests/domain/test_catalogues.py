"""The Indonesian and English catalogues cover every message the code can show."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from ovop_desktop.i18n import load_catalog

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _script():  # type: ignore[no-untyped-def]
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("update_catalogs",
                                                  ROOT / "scripts" / "update_catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_message_in_the_code_is_translated(language: str) -> None:
    script = _script()
    template = script.extract()
    catalog = load_catalog(language)
    missing = [m.id for m in template if m.id and isinstance(m.id, str)
               and not catalog.messages.get(m.id)]
    missing += [m.id[0] for m in template if isinstance(m.id, tuple)
                and m.id[0] not in catalog.plurals]
    assert missing == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_translations_keep_placeholders_and_edges(language: str) -> None:
    catalog = load_catalog(language)
    assert catalog.messages, "catalogue is empty"
    for msgid, msgstr in catalog.messages.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
        assert msgid[:1].isspace() == msgstr[:1].isspace(), msgid
        assert msgid[-1:].isspace() == msgstr[-1:].isspace(), msgid
