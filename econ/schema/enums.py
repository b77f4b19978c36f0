"""GraphQL enums built from a domain's tuple of allowed values."""

from __future__ import annotations

from collections.abc import Iterable

import graphene


def enum_of(
    name: str, values: Iterable[str], description: str | None = None
) -> type[graphene.Enum]:
    """An enum whose member names are the stored values, so inputs map back one to one."""
    return graphene.Enum(name, [(value, value) for value in values], description=description)
