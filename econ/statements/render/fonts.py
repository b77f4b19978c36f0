"""Embedded TrueType fonts: DejaVu Sans as shipped by matplotlib (covers Latin with accents).

Fonts come from an installed package so rendering never downloads anything; reportlab
embeds the used glyphs as a subset, so the PDF reads the same on any machine.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the fonts once per process; returns (regular, bold) font names."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_dir() / filename)))
    # Map <b> and <i> inside paragraphs onto the embedded faces (no italic face: reuse).
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
