"""Who may read what of a participant (DOMAIN.md "Roles"), in one table.

Reach: which participants a role can see at all (outside reach = not found).
Field groups: restricted PII per role, and case data (plan, income, history).
`get_participant` and `require_case_access` apply them; every participant module (and,
through `services`, every other domain) asks these two before reading her records.
"""

from __future__ import annotations

from econ.errors import NotFound, PermissionDenied
from econ.participants.models import RESTRICTED_FIELDS, Participant
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role

ALL_RESTRICTED = frozenset(RESTRICTED_FIELDS)

# FINANCE sees only what a transfer needs; ADMIN and EMPLOYER see none.
RESTRICTED_BY_ROLE: dict[Role, frozenset[str]] = {
    Role.COUNSELOR: ALL_RESTRICTED,
    Role.PARTICIPANT: ALL_RESTRICTED,
    Role.FINANCE: frozenset({"legal_name", "bank_account", "bank_bic"}),
    Role.ADMIN: frozenset(),
    Role.EMPLOYER: frozenset(),
}

# Case data: the plan, status history, income, independence, skills, the access log.
CASE_GROUPS_BY_ROLE: dict[Role, frozenset[str]] = {
    Role.COUNSELOR: frozenset(
        {"plan", "history", "income", "independence", "skills", "access_log"}
    ),
    Role.PARTICIPANT: frozenset(
        {"plan", "history", "income", "independence", "skills", "access_log"}
    ),
    # Finance needs verified income and the independence test to calculate stipends.
    Role.FINANCE: frozenset({"income", "independence"}),
    Role.ADMIN: frozenset(),
    Role.EMPLOYER: frozenset(),
}


def in_reach(actor: Actor, participant_id: int, counselor_id: int | None) -> bool:
    if actor.role in (Role.ADMIN, Role.FINANCE):
        return True
    if actor.role == Role.COUNSELOR:
        return counselor_id == actor.user_id
    if actor.role == Role.PARTICIPANT:
        return actor.participant_id == participant_id
    return False


def may_read_restricted(actor: Actor, field: str) -> bool:
    return field in RESTRICTED_BY_ROLE.get(actor.role, frozenset())


def may_read_case(actor: Actor, group: str) -> bool:
    return group in CASE_GROUPS_BY_ROLE.get(actor.role, frozenset())


def get_participant(actor: Actor | None, participant_id: int | str) -> Participant:
    """The participant if the caller may see her; NotFound otherwise (unknown looks the same)."""
    actor = require_actor(actor)
    try:
        pid = int(participant_id)
    except (TypeError, ValueError):
        raise NotFound("participant", "participantId") from None
    participant = Participant.get_or_none(Participant.id == pid)
    if participant is None or not in_reach(actor, participant.id, participant.counselor_id):
        raise NotFound("participant", "participantId")
    return participant


def require_case_access(actor: Actor | None, participant: Participant, group: str) -> None:
    actor = require_actor(actor)
    if not in_reach(actor, participant.id, participant.counselor_id) or not may_read_case(
        actor, group
    ):
        raise PermissionDenied(f"{group} is not visible to your role")
