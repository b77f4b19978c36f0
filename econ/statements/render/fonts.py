"""Embedded TrueType fonts: DejaVu Sans (covers Latin with accents), from the system.

Fonts come from an installed package so rendering never downloads anything: Debian and
Ubuntu's `fonts-dejavu-core` (/usr/share/fonts/truetype/dejavu), the same family on other
systems, or `ECON_FONT_DIR`. reportlab embeds the used glyphs as a subset, so the PDF
reads the same on any machine. Without the fonts, rendering stops with a message saying
what to install (never a silent fallback to a font without accents).
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from econ.config import get_settings

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
# Where distributions put DejaVu: Debian/Ubuntu, Fedora, Arch, Alpine, a manual install.
SYSTEM_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/ttf-dejavu"),
    Path("/usr/local/share/fonts"),
)


class FontsMissing(RuntimeError):
    """No folder holds both DejaVu Sans files."""


def font_dir() -> Path:
    configured = get_settings().font_dir
    candidates = (Path(configured),) if configured else SYSTEM_DIRS
    for folder in candidates:
        if all((folder / name).is_file() for name in _FILES.values()):
            return folder
    where = f"ECON_FONT_DIR={configured}" if configured else ", ".join(map(str, SYSTEM_DIRS))
    raise FontsMissing(
        f"DejaVu Sans ({', '.join(_FILES.values())}) not found in {where}: install "
        "fonts-dejavu-core (Debian, Ubuntu) or dejavu-sans-fonts (Fedora), or set "
        "ECON_FONT_DIR to a folder holding both files"
    )


# Subsets kept per face: each is the embedded font program of one document (20-40 KB).
SUBSETS_KEPT = 32


def _keep_subsets(font: TTFont) -> None:
    """Make each distinct glyph subset's font program once per process.

    reportlab rebuilds the embedded subset (`makeSubset`: glyph tables, checksums) for
    every document, a tenth of a statement's time. Its bytes depend only on the font file
    and on the glyphs in their order of first use, and the bold face sets the same
    headings and table heads in every statement of a language, so most are repeats. The
    bytes are immutable and the PDF identical (tests/statements/test_render_digest.py).
    """
    make = font.face.makeSubset

    @functools.lru_cache(maxsize=SUBSETS_KEPT)
    def made(codes: tuple[int, ...]) -> bytes:
        return make(list(codes))

    font.face.makeSubset = lambda subset: made(tuple(subset))


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the fonts once per process; returns (regular, bold) font names."""
    folder = font_dir()
    for name, filename in _FILES.items():
        font = TTFont(name, str(folder / filename))
        _keep_subsets(font)
        pdfmetrics.registerFont(font)
    # Map <b> and <i> inside paragraphs onto the embedded faces (no italic face: reuse).
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
