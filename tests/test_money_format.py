"""Amounts formatted for pages and documents: kept by their text, so equal amounts that
print differently (-0.00 and 0) do not share an answer."""

from __future__ import annotations

from decimal import Decimal

from econ.money import format_money


def test_formatting_is_kept_per_amount_text():
    assert format_money(Decimal("1234.5"), "EUR", "fr") == "1\u202f234,50\u00a0€"
    assert format_money(Decimal("1234.50"), "EUR", "en") == "€1,234.50"
    assert format_money(Decimal("-0.00"), "EUR", "en") == "-€0.00"
    assert format_money(Decimal("0"), "EUR", "en") == "€0.00"
