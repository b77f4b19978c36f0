"""Participants: registry, restricted data, status, counselor assignment, access log.

Reach is decided in `access.py`, plans and milestones are in `plans.py`, income and the
independence test in `income.py`; this module re-exports them so other domains import one
`services` module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import peewee as pw

from econ.db import Ids, PreparedIn, db, for_update, utcnow
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.grouping import group_by
from econ.participants import validation as v
from econ.participants.access import (
    get_participant,
    in_reach,
    may_read_case,
    require_case_access,
)
from econ.participants.income import (
    MONTHS_FOR_INDEPENDENCE,
    consecutive_months_at_target,
    correct_income,
    corrections_by_record,
    income_records,
    independence,
    offer_employment_income,
    record_income,
    targets_for,
    verified_corrections,
    verified_income_by_month,
    verify_correction,
    verify_income,
)
from econ.participants.models import RESTRICTED_FIELDS, Participant, StatusChange
from econ.participants.payment_details import (
    LineFacts,
    PaymentDetails,
    bank_accounts,
    payment_details,
)
from econ.participants.plan_changes import MilestonePatch, PlanChange, change_plan
from econ.participants.plans import (
    agree_to_plan,
    agreed_revision,
    complete_linked_milestones,
    get_plan,
    link_milestone,
    plan_revisions,
    revise_plan,
    set_milestone_status,
)
from econ.participants.reads import (
    active_caseload,
    all_participant_ids,
    caseload_ids,
    caseload_participants,
    codes_by_id,
    milestone_participant_id,
    milestone_summary_of_participants,
    milestones_of_participants,
    overdue_milestones_of_participants,
    pathways_of_participants,
    plans_awaiting_agreement,
    plans_of_participants,
    preferred_language,
    registered_on,
    status_changes_of_participants,
)
from econ.participants.records import (
    counselor_user,
    create_participant,
    pii_context,
    read_restricted,
    update_participant,
)
from econ.participants.subqueries import caseload_query, code_query
from econ.security import audit
from econ.security import services as security
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.security.services import LoginLink, User

# Allowed status moves. Every state can be left again: exits take several attempts.
TRANSITIONS: dict[str, frozenset[str]] = {
    "ACTIVE": frozenset({"PAUSED", "EXITED", "GRADUATED"}),
    "PAUSED": frozenset({"ACTIVE", "EXITED"}),
    "EXITED": frozenset({"ACTIVE"}),
    "GRADUATED": frozenset({"ACTIVE"}),
}


def login_link(participant_id: int | str) -> LoginLink:
    """Her login may be created by whoever has her in reach as ADMIN or COUNSELOR (the
    caller's own role is checked by `security.services.create_user`)."""

    def resolve(actor: Actor) -> int:
        participant = get_participant(actor, participant_id)  # NotFound if out of reach
        if actor.role not in (Role.ADMIN, Role.COUNSELOR):
            raise PermissionDenied()
        return participant.id

    return resolve


def lock_participant(participant_id: int) -> None:
    """Lock her row until the caller's transaction ends: decisions about her that must
    not run twice at once (an award paid once per program) take this lock first."""
    for_update(Participant.select().where(Participant.id == participant_id)).get()


def get_by_code(actor: Actor | None, code: str) -> Participant:
    # The session first: an anonymous caller gets the same answer for every code, real,
    # unknown or malformed (codes are printed on documents; no existence oracle).
    actor = require_actor(actor)
    participant = Participant.get_or_none(Participant.code == (code or "").strip().upper())
    if participant is None:
        raise NotFound("participant", "code")
    return get_participant(actor, participant.id)


def visible_participants(actor: Actor | None, status: str | None = None) -> pw.ModelSelect:
    """Everyone the caller may see, newest first; an empty query for roles with no reach."""
    actor = require_actor(actor)
    query = Participant.select().order_by(Participant.id.desc())
    if actor.role == Role.COUNSELOR:
        query = query.where(Participant.counselor == actor.user_id)
    elif actor.role == Role.PARTICIPANT:
        query = query.where(Participant.id == (actor.participant_id or 0))
    elif actor.role not in (Role.ADMIN, Role.FINANCE):
        query = query.where(pw.SQL("1 = 0"))
    if status:
        query = query.where(Participant.status == v.status(status))
    return query


def set_status(actor: Actor | None, participant_id: int, status: str, reason: str) -> Participant:
    """Her counselor moves her status; every move is kept with date and reason."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = get_participant(actor, participant_id)
    new = v.status(status)
    why = v.text(reason, "reason", required=True, max_length=500)
    if new == participant.status:
        raise DomainError(CommonCode.NO_CHANGE, f"the participant is already {new}", "status")
    if new not in TRANSITIONS[participant.status]:
        raise DomainError(
            CommonCode.INVALID_TRANSITION, f"{participant.status} cannot become {new}", "status"
        )
    with db.atomic():
        updated = (
            Participant.update(status=new, updated_at=utcnow())
            .where((Participant.id == participant.id) & (Participant.status == participant.status))
            .execute()
        )
        if updated != 1:
            raise DomainError(
                CommonCode.CONFLICT, "the status changed meanwhile; reload and retry", "status"
            )
        StatusChange.create(
            participant=participant,
            from_status=participant.status,
            to_status=new,
            reason=why,
            by_user=actor.user_id,
        )
        audit.record(
            actor,
            "set_participant_status",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=("status",),
        )
    participant.status = new
    return participant


def status_history(actor: Actor | None, participant: Participant) -> list[StatusChange]:
    require_case_access(actor, participant, "history")
    return list(participant.status_changes.order_by(StatusChange.at, StatusChange.id))


def assign_counselor(actor: Actor | None, participant_id: int, counselor_id: int) -> Participant:
    """ADMIN only; the previous counselor loses access on her very next request."""
    actor = require_role(actor, Role.ADMIN)
    participant = get_participant(actor, participant_id)
    counselor = counselor_user(counselor_id)
    previous = participant.counselor_id
    with db.atomic():
        participant.counselor = counselor
        participant.updated_at = utcnow()
        participant.save()
        audit.record(
            actor,
            "assign_counselor",
            "Participant",
            participant.id,
            participant_id=participant.id,
            fields=("counselor",),
            detail=f"counselor={counselor.id} previous={previous or ''}",
        )
    return participant


# What her "who read my data" shows: reads of her restricted or identifying data (by
# field: her counselor, FINANCE payee reads and payment files, employers' reads of her
# name and channel), downloads of her documents, and everything done about her login.
READS = ("read_restricted", "download_statement", "download_loan_schedule")
LOGIN_HISTORY = (
    "request_login",
    "request_login_change",
    "approve_login_request",
    "reject_login_request",
    "redeem_enrolment_code",
    "bootstrap_user",
)


def access_log(actor: Actor | None, participant: Participant) -> pw.ModelSelect:
    """Who read which of her restricted or identifying data, and when, and what was done
    about her login (her and her counselor)."""
    require_case_access(actor, participant, "access_log")
    return audit.entries_about(participant.id, (*READS, *LOGIN_HISTORY))


def counselors_by_id(ids: Iterable[int]) -> dict[int, User]:
    return security.users_by_id(ids)


def participants_by_id(ids: Iterable[int]) -> dict[int, Participant]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {p.id: p for p in _PARTICIPANTS_BY_ID.rows(ids)}


_PARTICIPANTS_BY_ID = PreparedIn(lambda ids: Participant.select().where(Participant.id.in_(ids)))


__all__ = [
    "MONTHS_FOR_INDEPENDENCE",
    "RESTRICTED_FIELDS",
    "LineFacts",
    "MilestonePatch",
    "Participant",
    "PaymentDetails",
    "PlanChange",
    "access_log",
    "active_caseload",
    "agree_to_plan",
    "agreed_revision",
    "all_participant_ids",
    "assign_counselor",
    "bank_accounts",
    "caseload_ids",
    "caseload_participants",
    "caseload_query",
    "change_plan",
    "code_query",
    "codes_by_id",
    "complete_linked_milestones",
    "consecutive_months_at_target",
    "correct_income",
    "corrections_by_record",
    "create_participant",
    "get_by_code",
    "get_participant",
    "get_plan",
    "income_records",
    "independence",
    "link_milestone",
    "lock_participant",
    "login_link",
    "milestone_participant_id",
    "milestone_summary_of_participants",
    "milestones_of_participants",
    "offer_employment_income",
    "overdue_milestones_of_participants",
    "pathways_of_participants",
    "payment_details",
    "pii_context",
    "plan_revisions",
    "plans_awaiting_agreement",
    "plans_of_participants",
    "preferred_language",
    "read_restricted",
    "record_income",
    "registered_on",
    "require_case_access",
    "revise_plan",
    "set_milestone_status",
    "set_status",
    "status_changes_of_participants",
    "status_history",
    "targets_for",
    "update_participant",
    "verified_corrections",
    "verified_income_by_month",
    "verify_correction",
    "verify_income",
    "visible_participants",
]


def status_histories(actor: Actor | None, participants: Sequence[Participant]) -> dict[int, list]:
    """Batch form of `status_history` (one query); participants the caller may not read
    this for are absent from the result."""
    actor = require_actor(actor)
    ids = [
        p.id
        for p in participants
        if in_reach(actor, p.id, p.counselor_id) and may_read_case(actor, "history")
    ]
    if not ids:
        return {}
    rows = (
        StatusChange.select()
        .where(StatusChange.participant.in_(Ids(ids)))
        .order_by(StatusChange.at, StatusChange.id)
    )
    grouped = group_by(rows, lambda r: r.participant_id)
    return {pid: grouped.get(pid, []) for pid in ids}


def add_skills(participant_id: int, skills: list[dict], actor: Actor | None = None) -> Participant:
    """Merge skills into her profile (e.g. on training completion); keys are kept unique."""
    participant = Participant.get_by_id(participant_id)
    merged = list(participant.skills)
    known = {s["key"] for s in merged}
    for skill in v.skills(skills):
        if skill["key"] not in known:
            merged.append(skill)
            known.add(skill["key"])
    Participant.update(skills=merged, updated_at=utcnow()).where(
        Participant.id == participant_id
    ).execute()
    audit.record(
        actor,
        "add_skills",
        "Participant",
        participant_id,
        participant_id=participant_id,
        fields=("skills",),
    )
    participant.skills = merged
    return participant
