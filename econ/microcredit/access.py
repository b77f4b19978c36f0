"""Who reaches which group and loan (DOMAIN.md roles, refined by the microcredit issue).

FINANCE reaches everything; a COUNSELOR the groups she runs and the loans of her
caseload; a PARTICIPANT her own loans and the group she belongs to (whose fields are then
limited, see `group_detail_visible`); ADMIN (no case data, DOMAIN.md) and EMPLOYER
nothing. Outside reach is NotFound.
"""

from __future__ import annotations

import peewee as pw

from econ.errors import NotFound, PermissionDenied
from econ.microcredit.models import GroupMember, Loan, LoanGroup
from econ.participants import services as participants
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role

ALL_REACH = (Role.FINANCE,)


def visible_groups(actor: Actor | None) -> pw.ModelSelect:
    actor = require_actor(actor)
    query = LoanGroup.select().order_by(LoanGroup.id)
    if actor.role in ALL_REACH:
        return query
    if actor.role == Role.COUNSELOR:
        return query.where(LoanGroup.counselor_id == actor.user_id)
    if actor.role == Role.PARTICIPANT:
        mine = GroupMember.select(GroupMember.group).where(
            (GroupMember.participant == (actor.participant_id or 0)) & GroupMember.left_at.is_null()
        )
        return query.where(LoanGroup.id.in_(mine))
    raise PermissionDenied()


def get_group(actor: Actor | None, group_id: int, field: str = "groupId") -> LoanGroup:
    group = visible_groups(actor).where(LoanGroup.id == group_id).first()
    if group is None:
        raise NotFound("loan group", field)
    return group


def group_detail_visible(actor: Actor) -> bool:
    """Members, their loans, meetings and PAR: staff only, never another member."""
    return actor.role in (Role.FINANCE, Role.COUNSELOR)


def sees_who_asked(actor: Actor | None) -> bool:
    """Who applied for a loan, or proposed its write-off, is for the FINANCE users who
    decide on it (the inbox names who asked; no one decides what she asked for)."""
    return actor is not None and actor.role == Role.FINANCE


def visible_loans(actor: Actor | None) -> pw.ModelSelect:
    actor = require_actor(actor)
    query = Loan.select().order_by(Loan.id)
    if actor.role in ALL_REACH:
        return query
    if actor.role == Role.COUNSELOR:
        return query.where(Loan.borrower.in_(participants.caseload_query(actor.user_id)))
    if actor.role == Role.PARTICIPANT:
        return query.where(Loan.borrower == (actor.participant_id or 0))
    raise PermissionDenied()


def get_loan(actor: Actor | None, loan_id: int, field: str = "loanId") -> Loan:
    loan = visible_loans(actor).where(Loan.id == loan_id).first()
    if loan is None:
        raise NotFound("loan", field)
    return loan
