"""Single-object queries by id, shared by every domain's graphql module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from econ.errors import DomainError


def or_none(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)`, or None when the record is unknown or out of reach.

    Both look the same to the caller, so an id never reveals that a record exists; only a
    missing session still fails, so the client knows to sign in.
    """
    try:
        return fn(*args)
    except DomainError as exc:
        if exc.code == "UNAUTHENTICATED":
            raise
        return None
