"""Solidarity groups: formation, members and leader, status, and the group fund."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import peewee as pw

from econ.db import db, utcnow, write_transaction
from econ.errors import CommonCode, Conflict, DomainError, PermissionDenied
from econ.ledger.services import Posting, post
from econ.microcredit.access import get_group
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.models import (
    GROUP_STATUSES,
    MEETING_FREQUENCIES,
    MEMBER_ROLES,
    OPEN_STATES,
    WEEKDAYS,
    GroupMember,
    Loan,
    LoanGroup,
    Meeting,
    SavingsContribution,
)
from econ.money import parse_amount
from econ.participants.models import Participant
from econ.participants.services import get_participant
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting

# FORMING -> ACTIVE -> CLOSED; a group that never starts may close straight away.
GROUP_TRANSITIONS = {"FORMING": {"ACTIVE", "CLOSED"}, "ACTIVE": {"CLOSED"}, "CLOSED": set()}


def choice(value: str | None, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise DomainError(
            CommonCode.INVALID_CHOICE, f"{field} must be one of {', '.join(allowed)}", field
        )
    return value


def text(value: str | None, field: str, max_length: int, *, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(CommonCode.REQUIRED, f"{field} is required", field)
    if len(cleaned) > max_length:
        raise DomainError(
            CommonCode.TOO_LONG, f"{field} is longer than {max_length} characters", field
        )
    return cleaned


def _own_group(actor: Actor, group_id: int) -> LoanGroup:
    """The group's own counselor runs it; others who can see it cannot change it."""
    group = get_group(actor, group_id)
    if actor.role != Role.COUNSELOR or group.counselor_id != actor.user_id:
        raise PermissionDenied("only the group's counselor may do this")
    return group


def active_members(group_id: int) -> list[GroupMember]:
    return list(
        GroupMember.select(GroupMember, Participant)
        .join(Participant)
        .where((GroupMember.group == group_id) & GroupMember.left_at.is_null())
        .order_by(GroupMember.id)
    )


def member_count(group_id: int) -> int:
    return (
        GroupMember.select()
        .where((GroupMember.group == group_id) & GroupMember.left_at.is_null())
        .count()
    )


def create_group(
    actor: Actor | None,
    *,
    name: str,
    meeting_frequency: str,
    meeting_weekday: str,
    meeting_place: str = "",
    savings_per_meeting: str | Decimal = "0.00",
) -> LoanGroup:
    actor = require_role(actor, Role.COUNSELOR)
    clean = {
        "name": text(name, "name", 120),
        "meeting_frequency": choice(meeting_frequency, MEETING_FREQUENCIES, "meetingFrequency"),
        "meeting_weekday": choice(meeting_weekday, WEEKDAYS, "meetingWeekday"),
        "meeting_place": text(meeting_place, "meetingPlace", 120, required=False),
        "savings_per_meeting": parse_amount(savings_per_meeting, "savingsPerMeeting"),
    }
    with db.atomic():
        group = LoanGroup.create(counselor_id=actor.user_id, created_by=actor.user_id, **clean)
        audit.record(actor, "create_loan_group", "LoanGroup", group.id)
    return group


def add_member(
    actor: Actor | None, group_id: int, participant_id: int, role: str = "MEMBER"
) -> GroupMember:
    actor = require_role(actor, Role.COUNSELOR)
    group = _own_group(actor, group_id)
    participant = get_participant(actor, participant_id)
    role = choice(role, MEMBER_ROLES, "role")
    if group.status == "CLOSED":
        raise Conflict(MicrocreditCode.GROUP_CLOSED, "the group is closed", "groupId")
    if participant.status != "ACTIVE":
        raise DomainError(CommonCode.PARTICIPANT_NOT_ACTIVE, "she is not active", "participantId")
    # The size limit and the one-membership rule are read-then-write: serialise them.
    with write_transaction():
        if member_count(group.id) >= setting("loan_group_max_size"):
            raise Conflict(
                MicrocreditCode.GROUP_FULL, "the group has reached its maximum size", "groupId"
            )
        if role == "LEADER":
            _demote_leader(group.id)
        try:
            with db.atomic():
                member = GroupMember.create(
                    group=group,
                    participant=participant,
                    role=role,
                    active_participant=participant.id,
                )
        except pw.IntegrityError:
            raise Conflict(
                MicrocreditCode.ALREADY_IN_A_GROUP,
                "she is already a member of a group",
                "participantId",
            ) from None
        audit.record(
            actor, "add_group_member", "LoanGroup", group.id, participant_id=participant.id
        )
    return member


def _demote_leader(group_id: int) -> None:
    GroupMember.update(role="MEMBER").where(
        (GroupMember.group == group_id)
        & GroupMember.left_at.is_null()
        & (GroupMember.role == "LEADER")
    ).execute()


def set_leader(actor: Actor | None, group_id: int, participant_id: int) -> GroupMember:
    actor = require_role(actor, Role.COUNSELOR)
    group = _own_group(actor, group_id)
    member = _membership(group.id, participant_id)
    with db.atomic():
        _demote_leader(group.id)
        GroupMember.update(role="LEADER").where(GroupMember.id == member.id).execute()
        audit.record(
            actor, "set_group_leader", "LoanGroup", group.id, participant_id=participant_id
        )
    return GroupMember.get_by_id(member.id)


def _membership(group_id: int, participant_id: int) -> GroupMember:
    member = GroupMember.get_or_none(
        (GroupMember.group == group_id)
        & (GroupMember.participant == participant_id)
        & GroupMember.left_at.is_null()
    )
    if member is None:
        raise DomainError(
            MicrocreditCode.NOT_A_MEMBER, "she is not a member of this group", "participantId"
        )
    return member


def remove_member(actor: Actor | None, group_id: int, participant_id: int) -> LoanGroup:
    actor = require_role(actor, Role.COUNSELOR)
    group = _own_group(actor, group_id)
    member = _membership(group.id, participant_id)
    open_loan = Loan.select().where(
        (Loan.borrower == participant_id) & (Loan.group == group.id) & Loan.state.in_(OPEN_STATES)
    )
    if open_loan.exists():
        raise Conflict(
            MicrocreditCode.OPEN_LOAN, "she still has an open loan in this group", "participantId"
        )
    with db.atomic():
        GroupMember.update(left_at=utcnow(), active_participant=None).where(
            GroupMember.id == member.id
        ).execute()
        audit.record(
            actor, "remove_group_member", "LoanGroup", group.id, participant_id=participant_id
        )
    return group


def set_group_status(actor: Actor | None, group_id: int, status: str) -> LoanGroup:
    actor = require_role(actor, Role.COUNSELOR)
    group = _own_group(actor, group_id)
    status = choice(status, GROUP_STATUSES, "status")
    if status not in GROUP_TRANSITIONS[group.status]:
        raise Conflict(
            CommonCode.INVALID_TRANSITION, f"a {group.status} group cannot become {status}"
        )
    if status == "ACTIVE" and member_count(group.id) < setting("loan_group_min_size"):
        raise Conflict(
            MicrocreditCode.GROUP_TOO_SMALL, "the group needs more members to start", "status"
        )
    if status == "CLOSED":
        open_loans = Loan.select().where((Loan.group == group.id) & Loan.state.in_(OPEN_STATES))
        if open_loans.exists():
            raise Conflict(MicrocreditCode.OPEN_LOAN, "members still have open loans", "status")
    with db.atomic():
        LoanGroup.update(status=status).where(LoanGroup.id == group.id).execute()
        audit.record(actor, f"set_group_status:{status}", "LoanGroup", group.id)
    return LoanGroup.get_by_id(group.id)


def fund_total(group_id: int) -> Decimal:
    cents = (
        SavingsContribution.select(pw.fn.COALESCE(pw.fn.SUM(SavingsContribution.amount), 0))
        .where(SavingsContribution.group == group_id)
        .scalar()
    )
    return SavingsContribution.amount.python_value(cents or 0)


def require_collector(actor: Actor | None, group_id: int) -> LoanGroup:
    """The group's counselor or FINANCE record money collected from the group."""
    actor = require_role(actor, Role.COUNSELOR, Role.FINANCE)
    group = get_group(actor, group_id)
    if actor.role == Role.COUNSELOR and group.counselor_id != actor.user_id:
        raise PermissionDenied("only the group's counselor may do this")
    return group


def record_savings_contribution(
    actor: Actor | None,
    group_id: int,
    participant_id: int,
    amount: str | Decimal,
    paid_on: date,
) -> SavingsContribution:
    group = require_collector(actor, group_id)
    value = parse_amount(amount, "amount")
    if value <= 0:
        raise DomainError(CommonCode.INVALID_AMOUNT, "a contribution must be positive", "amount")
    _membership(group.id, participant_id)
    with db.atomic():
        contribution = add_contribution(actor, group, participant_id, value, paid_on, None)
    return contribution


def add_contribution(
    actor: Actor,
    group: LoanGroup,
    participant_id: int,
    amount: Decimal,
    paid_on: date,
    meeting: Meeting | None,
) -> SavingsContribution:
    """Inside the caller's transaction: the row, its journal entry, the audit entry."""
    contribution = SavingsContribution.create(
        group=group,
        participant=participant_id,
        amount=amount,
        paid_on=paid_on,
        meeting=meeting,
        recorded_by=actor.user_id,
    )
    post(
        f"group:{group.id}:savings:{contribution.id}",
        [
            Posting("bank", amount, participant_id),
            Posting("group_fund", -amount, participant_id),
        ],
        memo=f"savings to group {group.id} fund",
        source_type="loan_group",
        source_id=group.id,
        created_by=actor.user_id,
    )
    audit.record(
        actor,
        "record_savings",
        "SavingsContribution",
        contribution.id,
        participant_id=participant_id,
    )
    return contribution
