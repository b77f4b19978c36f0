"""Small converters for mutation inputs, shared by every domain's graphql module."""

from __future__ import annotations

from typing import Any

from econ.errors import CommonCode, DomainError, NotFound


def parse_id(value: Any, field: str = "id", *, required: bool = True) -> int | None:
    """An ID argument as int; a malformed id reads as not found (it cannot exist)."""
    if value in (None, ""):
        if required:
            raise DomainError(CommonCode.REQUIRED, f"{field} is required", field)
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise NotFound("record", field) from None
    if number <= 0 or number > 2**62:
        raise NotFound("record", field)
    return number


def enum_value(value: Any) -> Any:
    """graphene hands enum inputs over as enum members; services take plain strings."""
    if value is None:
        return None
    return getattr(value, "value", value)
