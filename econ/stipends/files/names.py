"""Text in the SEPA character set: names and remittance as every bank in the scheme reads it.

The EPC guarantees only the basic Latin set `a-z A-Z 0-9 / - ? : ( ) . , ' +` and space.
Other scripts are transliterated first (anyascii: Cyrillic, Greek, CJK, Arabic, ...), so
"Olga Ольга Смирнова" is written "Olga Ol'ga Smirnova" and an all-CJK name is written
in Latin letters rather than dropped. Symbols (emoji, currency, arrows) are removed
before transliterating, since anyascii spells them out (":cherry_blossom:").
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

NAME_MAX = 70  # EPC rulebook: names are limited to 70 characters
REMITTANCE_MAX = 140  # RmtInf/Ustrd is Max140Text

# Said in the SEPA set before transliterating: anyascii keeps "&" and curly quotes.
_SPOKEN = str.maketrans({"&": "+", "‘": "'", "’": "'", "‚": ",", "–": "-", "—": "-"})
# The EPC basic Latin set: a-z A-Z 0-9 / - ? : ( ) . , ' + and space.
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")
_WHITESPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[A-Za-z]")


def sepa_text(text: str, max_length: int) -> str:
    """Reduce text to the SEPA set: transliterated, symbols and other characters removed."""
    # Text already in the set (most names of a file): every step below would leave it as
    # it is but its spaces, and per character they cost more than writing the file.
    latin = text if _NOT_SEPA.search(text) is None else _transliterated(text)
    return _WHITESPACE.sub(" ", latin).strip()[:max_length].rstrip()


def _transliterated(text: str) -> str:
    """Text brought into the SEPA set character by character (spaces not yet collapsed)."""
    kept = "".join(ch for ch in _WHITESPACE.sub(" ", text) if not _is_symbol_or_control(ch))
    spoken = unicodedata.normalize("NFC", kept).translate(_SPOKEN)
    return _NOT_SEPA.sub("", anyascii(spoken))


def sepa_name(text: str) -> str:
    """A payee or payer name in the SEPA set, or "" when no letter is left to write."""
    name = sepa_text(text, NAME_MAX)
    return name if _LETTER.search(name) else ""


def _is_symbol_or_control(ch: str) -> bool:
    """Emoji, currency signs, arrows, control and format characters; "+" is SEPA text."""
    return ch != "+" and unicodedata.category(ch)[0] in "SC"
