"""Small helpers every microcredit GraphQL module uses: amounts, the caller."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from graphene import ResolveInfo

from econ.microcredit.access import group_detail_visible
from econ.schema.errors import forbidden


def amount(value: Decimal | float | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def actor_of(info: ResolveInfo) -> Any:
    return info.context.actor


def require_detail(info: ResolveInfo, field: str) -> None:
    if not group_detail_visible(actor_of(info)):
        raise forbidden(field)
