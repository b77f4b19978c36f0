"""Reading generated PDFs back in tests, the way a person (or a search tool) would see them."""

from __future__ import annotations

import io

from pypdf import PdfReader

# Babel puts narrow and ordinary no-break spaces in fr/es amounts ("1 234,56 €").
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with whitespace folded to single plain spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().translate(_SPACES).split()) for page in reader.pages]


def text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def page_width(pdf: bytes) -> float:
    return float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width)
