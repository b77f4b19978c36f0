"""Money: integer cents in storage, `Decimal` in code, strings at the edges. Never float.

Every amount that crosses a boundary (GraphQL input, CSV import, settings) goes through
`parse_amount`, which refuses floats, exponents, more than two decimals and absurd sizes,
so a typo cannot become a payment.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency

from econ.errors import CommonCode, DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# 10^11 cents = 1 billion: far above any amount the program handles, far below int64 limits.
MAX_CENTS = 10**11
_AMOUNT = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$", re.ASCII)  # not fullwidth digits


def to_cents(amount: Decimal) -> int:
    """Exact conversion; refuses sub-cent amounts instead of rounding them away silently."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has more than two decimals")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def round_cents(amount: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round a computed amount (e.g. a taper at 50 %) to cents; half-up as payroll does."""
    return amount.quantize(CENT, rounding=rounding)


def parse_amount(
    text: str | Decimal | int, field: str = "amount", *, allow_negative: bool = False
) -> Decimal:
    """Parse a money string such as "1234.56" into a Decimal with two places.

    Raises DomainError(INVALID_AMOUNT) with the field name for anything else.
    """
    if isinstance(text, (bool, float)):
        raise DomainError(
            CommonCode.INVALID_AMOUNT, "amount must be a decimal string, not a float", field
        )
    raw = str(text).strip()
    if not _AMOUNT.match(raw):
        raise DomainError(
            CommonCode.INVALID_AMOUNT, f"'{raw[:20]}' is not an amount like 1234.56", field
        )
    try:
        value = Decimal(raw).quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise DomainError(CommonCode.INVALID_AMOUNT, "not a valid amount", field) from exc
    if value < 0 and not allow_negative:
        raise DomainError(CommonCode.INVALID_AMOUNT, "amount must not be negative", field)
    if abs(to_cents(value)) >= MAX_CENTS:
        raise DomainError(CommonCode.INVALID_AMOUNT, "amount is too large", field)
    return value


def format_money(amount: Decimal, currency: str, locale: str = "en") -> str:
    """Locale formatting for documents and messages: 1.234,56 € in fr, €1,234.56 in en."""
    return _formatted(str(amount), currency, str(locale))


@functools.lru_cache(maxsize=4096)
def _formatted(amount: str, currency: str, locale: str) -> str:
    # Kept by the amount's text (-0.00 and 0 are equal Decimals but print differently):
    # a page of 50 payment lines formats about 400 amounts, most of them the same few
    # (the monthly base, zero), and babel takes tens of microseconds for each.
    return format_currency(Decimal(amount), currency, locale=locale)
