"""Shared GraphQL value types: Money (decimal string + currency)."""

from __future__ import annotations

from decimal import Decimal

import graphene


class Money(graphene.ObjectType):
    """An exact amount: `amount` is a decimal string such as "1234.56"."""

    amount = graphene.String(required=True, description="Decimal string, two places.")
    currency = graphene.String(required=True, description="ISO 4217 code.")


def money(amount: Decimal | None, currency: str) -> Money | None:
    """Resolvers pass `info.context.currency` (read once per request)."""
    if amount is None:
        return None
    return Money(amount=f"{amount:.2f}", currency=currency)
