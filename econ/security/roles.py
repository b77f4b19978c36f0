"""The five roles of DOMAIN.md and the acting user passed to every service call."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    ADMIN = "ADMIN"
    COUNSELOR = "COUNSELOR"
    FINANCE = "FINANCE"
    EMPLOYER = "EMPLOYER"
    PARTICIPANT = "PARTICIPANT"


STAFF_ROLES = frozenset({Role.ADMIN, Role.COUNSELOR, Role.FINANCE})


@dataclass(frozen=True)
class Actor:
    """Who is acting: services decide everything from this, never from request objects."""

    user_id: int
    role: Role
    email: str = ""
    participant_id: int | None = None
    employer_id: int | None = None

    def is_(self, *roles: Role) -> bool:
        return self.role in roles


# The system itself (migrations, demo loader, scheduled tasks acting on their own).
SYSTEM = Actor(user_id=0, role=Role.ADMIN, email="system")
