"""The embedded font family: DejaVu Sans (regular, bold, oblique), which covers Latin Extended.

reportlab's built-in Helvetica only knows Latin-1, so a name like "Łódź" or "Nguyễn" would
print with missing-glyph boxes. The TrueType files ship in resources/fonts/ (with their
licence) and are subset-embedded in every PDF, so a printout looks the same everywhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ovop_desktop.resource_files import resource

FAMILY = "OVOPSans"


@dataclass(frozen=True)
class FontNames:
    regular: str
    bold: str
    italic: str


FONTS = FontNames(regular=FAMILY, bold=f"{FAMILY}-Bold", italic=f"{FAMILY}-Oblique")
_FILES = {FONTS.regular: "DejaVuSans.ttf", FONTS.bold: "DejaVuSans-Bold.ttf",
          FONTS.italic: "DejaVuSans-Oblique.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> FontNames:
    """Register the family with reportlab once per process; safe from any thread."""
    global _registered
    if _registered:
        return FONTS
    with _lock:
        if not _registered:
            for name, file in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(resource("fonts", file))))
            # <b>/<i> inside paragraphs map to the right faces; no bold oblique is shipped,
            # so bold italic falls back to bold.
            pdfmetrics.registerFontFamily(FAMILY, normal=FONTS.regular, bold=FONTS.bold,
                                          italic=FONTS.italic, boldItalic=FONTS.bold)
            addMapping(FAMILY, 1, 1, FONTS.bold)
            _registered = True
    return FONTS


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Code points the regular face has a glyph for (bold and oblique cover the same text)."""
    register_fonts()
    face = pdfmetrics.getFont(FONTS.regular).face
    return frozenset(face.charToGlyph)


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the font cannot draw (they would print as boxes)."""
    have = covered()
    return {c for c in text if ord(c) not in have and not c.isspace()}
