"""The pages' languages: their gettext catalogs (en, es, fr) and Babel formats.

The catalogs are `econ/web/locale/<lang>/LC_MESSAGES/econ.po`, read by the same machinery
as the documents' (econ/statements/i18n.py: compiled in memory when no `.mo` is built),
extracted from the templates and modules with `pybabel extract -F econ/web/babel.cfg`
(docs/web.md). Templates call `_()`; amounts and dates go through Babel in her language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_datetime, format_skeleton

from econ.money import format_money
from econ.statements.i18n import translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "es", "fr")
DEFAULT_LANGUAGE = "en"
# Each language's name in itself: she finds hers even if she cannot read the page.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français"}


def language_of(value: str | None) -> str:
    base = (value or "").replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def accepted_language(header: str | None) -> str:
    """The first of the browser's languages that we have (Accept-Language order)."""
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip()
        if language_of(tag) == tag.split("-")[0].lower() and tag:
            return language_of(tag)
    return DEFAULT_LANGUAGE


def gettext_for(language: str):
    return translations(language, LOCALE_DIR).gettext


class Formats:
    """Amounts, dates and months in one page's language."""

    def __init__(self, language: str):
        self.locale = language_of(language)

    def money(self, value: dict | str | None, currency: str = "EUR") -> str:
        if value is None:
            return ""
        if isinstance(value, dict):
            currency, value = value.get("currency") or currency, value.get("amount")
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return ""
        return format_money(amount, currency, self.locale)

    def date(self, value: str | dt.date | None, fmt: str = "long") -> str:
        if not value:
            return ""
        day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
        return _date_text(day, fmt, self.locale)

    def datetime(self, value: str | None) -> str:
        if not value:
            return ""
        moment = dt.datetime.fromisoformat(value)
        return format_datetime(moment, "medium", locale=self.locale)

    def month(self, period: str | None) -> str:
        if not period:
            return ""
        year, month = (int(p) for p in period.split("-")[:2])
        return _month_text(year, month, self.locale)


# A date's words depend on the date, the format and the language only, and Babel takes
# about 20 µs to write one: a page of 100 rows spent 2 ms on them (docs/performance.md).
# A page shows dates from a few years; 4,096 of each cover them many times over.
@lru_cache(maxsize=4096)
def _date_text(day: dt.date, fmt: str, locale: str) -> str:
    return format_date(day, fmt, locale=locale)


@lru_cache(maxsize=1024)
def _month_text(year: int, month: int, locale: str) -> str:
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale)
