"""Who sees which enrolments (DOMAIN.md "Roles"), in one place.

A counselor sees and manages the enrolments of her caseload, a participant sees her own,
and nobody else sees any (ADMIN manages the catalogue but holds no case data; EMPLOYER and
FINANCE have no business with training records). Out of reach reads as not found.
"""

from __future__ import annotations

import peewee as pw

from econ.participants import services as participants
from econ.security.roles import Actor, Role
from econ.training.models import Enrollment

CATALOGUE_MANAGERS = (Role.ADMIN, Role.COUNSELOR)


def sees_training_of(actor: Actor, participant_id: int, counselor_id: int | None) -> bool:
    if actor.role == Role.COUNSELOR:
        return counselor_id == actor.user_id
    if actor.role == Role.PARTICIPANT:
        return actor.participant_id == participant_id
    return False


def sees_skill_gains(actor: Actor) -> bool:
    """Skill gains are read by counselors only (in their reach): the notes are staff's,
    and the allowlist gives her an empty page of them."""
    return actor.role == Role.COUNSELOR


def may_see_enrollments(actor: Actor) -> bool:
    """Whether the role sees any enrolment at all (aggregate seat counts included)."""
    return actor.role in (Role.ADMIN, Role.COUNSELOR, Role.PARTICIPANT)


def reach(query: pw.ModelSelect, actor: Actor) -> pw.ModelSelect:
    """Restrict an Enrollment query to the caller's reach (her caseload, as a subquery)."""
    if actor.role == Role.COUNSELOR:
        return query.where(Enrollment.participant.in_(participants.caseload_query(actor.user_id)))
    if actor.role == Role.PARTICIPANT:
        return query.where(Enrollment.participant == (actor.participant_id or 0))
    return query.where(pw.SQL("1 = 0"))
