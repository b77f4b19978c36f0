"""Languages for documents: gettext catalogs, locale formats and the wording rules.

Strings in the document code are English msgids marked with `_()` (translated at render
time by a local `_ = translator(language)`) or `N_()` (marked only, translated later).
Catalogs live in `locale/<lang>/LC_MESSAGES/econ.po`; the package build compiles each
to an `.mo` beside it (setup.py, `compile_catalogs`), shipped in the wheel and readable by
any user. Nothing is written at run time: in a source checkout without `.mo` files, or
when a `.po` is newer than its `.mo`, the catalog is compiled in memory. A translator adds
a language by adding a `.po` file. A string missing from a catalog falls back to its
English msgid.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_datetime, format_skeleton, get_timezone
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent

from econ.errors import DomainError
from econ.money import format_money
from econ.statements.errors import StatementCode

DOMAIN = "econ"
DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "es", "fr")
# Module-level so tests (and a deployment with its own translations) can point elsewhere.
LOCALE_DIR = Path(__file__).parent / "locale"

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]

# Words that could reveal why she is in the program to anyone who sees the paper.
# Whole words, matched case- and accent-insensitively on every document in every language.
FORBIDDEN_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "prostitution", "prostitute", "prostitutes", "prostituted",
        "exit", "exits", "exiting", "exited",
        "trafficking", "trafficked", "trafficker", "traffickers",
        "sex work", "sex worker", "sex workers",
        "escort", "escorts", "pimp", "pimps",
    ),
    "es": (
        "prostitución", "prostituta", "prostitutas",
        "salida", "salidas",
        "trata de personas", "trata de blancas", "tráfico de personas",
        "traficante", "traficantes",
        "trabajo sexual", "trabajadora sexual", "trabajadoras sexuales",
        "chica de compañía", "proxeneta", "proxenetas", "chulo",
    ),
    "fr": (
        "prostitution", "prostituée", "prostituées",
        "sortie", "sorties",
        "traite", "traite des êtres humains", "trafiquant", "trafiquants",
        "travail du sexe", "travailleuse du sexe", "travailleuses du sexe",
        "escorte", "escortes", "proxénète", "proxénètes", "souteneur",
    ),
}  # fmt: skip


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


def normalise_language(language: str | None) -> str:
    """'fr_CA' -> 'fr'; anything we have no catalog for -> English."""
    base = (language or "").replace("-", "_").split("_")[0].lower()
    return base if base in available_languages() else DEFAULT_LANGUAGE


def available_languages(locale_dir: Path | None = None) -> tuple[str, ...]:
    root = locale_dir or LOCALE_DIR
    # Every document asks several times (normalise_language); the folder's listing is
    # kept until the folder itself changes (a language added or removed changes its mtime).
    key = (root, root.stat().st_mtime_ns if root.exists() else 0)
    found = _languages.get(key)
    if found is None:
        names = {p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
        found = _languages[key] = tuple(sorted(names | {DEFAULT_LANGUAGE}))
    return found


_languages: dict[tuple[Path, int], tuple[str, ...]] = {}


def compile_catalogs(locale_dir: Path | None = None) -> list[Path]:
    """Compile every `.po` under the locale dir to a `.mo` beside it; returns the .mo paths."""
    root = locale_dir or LOCALE_DIR
    return [_compile(po) for po in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))]


def _mo_bytes(po_path: Path) -> bytes:
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=po_path.parent.parent.name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy and empty entries are left out, so they fall back
    return buffer.getvalue()


def _compile(po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    data = _mo_bytes(po_path)
    # Write-then-rename (no reader sees half a file), readable by every user of the install.
    fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, mo_path)
    return mo_path


def _is_stale(po_path: Path, mo_path: Path) -> bool:
    return not mo_path.exists() or mo_path.stat().st_mtime_ns < po_path.stat().st_mtime_ns


_cache: dict[tuple[Path, str, int], gettext.NullTranslations] = {}


def translations(language: str, locale_dir: Path | None = None) -> gettext.NullTranslations:
    """The catalog for a language; English msgids for strings or languages it lacks."""
    root = locale_dir or LOCALE_DIR
    lang = (language or "").replace("-", "_").split("_")[0].lower()
    po_path = root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    key = (root, lang, po_path.stat().st_mtime_ns)
    if key not in _cache:
        _cache[key] = _load(po_path)
    return _cache[key]


def _load(po_path: Path) -> gettext.NullTranslations:
    mo_path = po_path.with_suffix(".mo")
    if _is_stale(po_path, mo_path):
        # A checkout without a build, or a .po edited since: compile in memory, write nothing
        # (an install may be read-only, or shared by users who could not read our files).
        return gettext.GNUTranslations(io.BytesIO(_mo_bytes(po_path)))
    with mo_path.open("rb") as fh:
        return gettext.GNUTranslations(fh)


def translator(language: str, locale_dir: Path | None = None) -> Gettext:
    return translations(language, locale_dir).gettext


def plural_translator(language: str, locale_dir: Path | None = None) -> Ngettext:
    return translations(language, locale_dir).ngettext


class LocaleFormat:
    """Babel formatting of amounts, dates and rates for one document's language."""

    def __init__(self, language: str, currency: str, timezone: str = "UTC"):
        self.locale = normalise_language(language)
        self.currency = currency
        self.tz = get_timezone(timezone)

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.currency, self.locale)

    def date(self, value: date, fmt: str = "long") -> str:
        return format_date(value, fmt, locale=self.locale)

    def datetime(self, value: datetime) -> str:
        return format_datetime(value, "medium", tzinfo=self.tz, locale=self.locale)

    def month(self, period: str) -> str:
        """'2026-12' -> 'December 2026' / 'diciembre de 2026' / 'décembre 2026'."""
        year, month = (int(part) for part in period.split("-"))
        return format_skeleton("yMMMM", date(year, month, 1), locale=self.locale)

    def percent(self, rate: Decimal, *, exact: bool = False) -> str:
        """The locale's percent pattern ('88%', '88 %'); `exact` keeps decimals (12,5 %)."""
        return format_percent(rate, locale=self.locale, decimal_quantization=not exact)


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces: 'Prostitución\\n' -> 'prostitucion'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


_FORBIDDEN = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(_fold(w)).replace(r"\ ", r"\s+")
        for w in sorted({w for ws in FORBIDDEN_WORDS.values() for w in ws}, key=len, reverse=True)
    )
    + r")\b"
)


def find_forbidden_words(text: str) -> list[str]:
    """Every forbidden word (of any language) in the text, folded; empty when clean."""
    return _FORBIDDEN.findall(_fold(text))


def ensure_neutral_wording(texts: Iterable[str]) -> None:
    """Refuse to print a document whose input text could reveal the program's purpose."""
    for text in texts:
        if find_forbidden_words(text):
            raise DomainError(
                StatementCode.FORBIDDEN_WORDING,
                "a text on this document uses a word that must never be printed; "
                "use the program's neutral wording",
            )


def extract_messages(
    source_dir: Path | None = None,
) -> dict[str | tuple[str, str], list[str]]:
    """The msgids the code marks with _(), N_() or ngettext (plural: a (singular, plural) pair),
    each with where it is used; what every catalog must translate."""
    root = source_dir or Path(__file__).parent
    keywords = {**DEFAULT_KEYWORDS, "n_": (1, 2)}
    found: dict[str | tuple[str, str], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found
