"""The fonts the downloads draw text with: Noto Sans for Latin and one Noto face per Indian script.

The files ship in ``reports/fonts/`` (OFL; ``fonts/README.md`` says where they come from), so a chart or a PDF reads
the same on every machine, with nothing installed by hand. Both renderers take the list in :data:`FACES` order and
fall back glyph by glyph: Latin first, then the script faces. Both also *shape* the text (matplotlib >= 3.11 through
libraqm, fpdf2 through HarfBuzz), which is what puts a Devanagari vowel sign before its consonant and joins
conjuncts: a font with the glyphs is not enough on its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Face:
    """One font file and the family name it registers under (the file's own name, as matplotlib reads it)."""

    family: str
    file: str

    @property
    def path(self) -> Path:
        return font_dir() / self.file


LATIN = Face("Noto Sans", "NotoSans-Regular.ttf")
LATIN_BOLD = Face("Noto Sans", "NotoSans-Bold.ttf")
SCRIPTS = (
    Face("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf"),  # Hindi, Marathi, Nepali, Konkani, Bodo, Dogri...
    Face("Noto Sans Bengali", "NotoSansBengali-Regular.ttf"),  # Bengali, Assamese, Manipuri (Bengali script)
    Face("Noto Sans Gurmukhi", "NotoSansGurmukhi-Regular.ttf"),  # Punjabi
    Face("Noto Sans Gujarati", "NotoSansGujarati-Regular.ttf"),
    Face("Noto Sans Oriya", "NotoSansOriya-Regular.ttf"),  # Odia
    Face("Noto Sans Tamil", "NotoSansTamil-Regular.ttf"),
    Face("Noto Sans Telugu", "NotoSansTelugu-Regular.ttf"),
    Face("Noto Sans Kannada", "NotoSansKannada-Regular.ttf"),
    Face("Noto Sans Malayalam", "NotoSansMalayalam-Regular.ttf"),
    Face("Noto Sans Ol Chiki", "NotoSansOlChiki-Regular.ttf"),  # Santali
    Face("Noto Sans Meetei Mayek", "NotoSansMeeteiMayek-Regular.ttf"),  # Manipuri
    Face("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf"),  # Urdu, Kashmiri, Sindhi (right to left)
)
FACES = (LATIN, *SCRIPTS)

_lock = threading.Lock()


@cache
def font_dir() -> Path:
    return Path(str(resources.files("trackchild_hub.reports") / "fonts"))


def family_list() -> list[str]:
    """The families in fallback order, for matplotlib's ``font.family``."""
    return [face.family for face in FACES]


_registered = False


def register_with_matplotlib() -> None:
    """Add the shipped faces to matplotlib's font manager once per process (threads may race here: hence the lock)."""
    global _registered
    with _lock:
        if _registered:
            return
        from matplotlib import font_manager

        for face in (*FACES, LATIN_BOLD):
            font_manager.fontManager.addfont(str(face.path))
        _registered = True
