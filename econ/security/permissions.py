"""Deny by default: helpers every service uses before it touches anything."""

from __future__ import annotations

from econ.errors import PermissionDenied, Unauthenticated
from econ.security.roles import Actor, Role


def require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise Unauthenticated()
    return actor


def require_role(actor: Actor | None, *roles: Role) -> Actor:
    """The caller must be signed in and hold one of `roles`."""
    actor = require_actor(actor)
    if actor.role not in roles:
        raise PermissionDenied()
    return actor
