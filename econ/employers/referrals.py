"""Referrals: PROPOSED → SHARED → INTERVIEW → OFFERED → HIRED, or DECLINED / WITHDRAWN with
a reason code; every move is kept with actor and time.

SHARED needs a current PROFILE consent for the employer, checked here and nowhere else: no
client flag bypasses it. The employer sees a referral only once shared, only while it is
ACTIVE, and its candidate only while the PROFILE consent is current.
"""

from __future__ import annotations

import secrets

import peewee as pw

from econ.db import db, utcnow
from econ.employers import companies, consents
from econ.employers import validation as v
from econ.employers.models import (
    REASON_CODES,
    REFERRAL_STATUSES,
    Employer,
    Opportunity,
    Referral,
    ReferralStage,
)
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.grouping import group_by
from econ.participants import services as participants
from econ.participants.models import Participant
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role

OPEN_STATUSES = ("PROPOSED", "SHARED", "INTERVIEW", "OFFERED")
# States in which the employer may see the candidate's anonymous profile.
EMPLOYER_VISIBLE = ("SHARED", "INTERVIEW", "OFFERED", "HIRED")
FORWARD = {"PROPOSED": "SHARED", "SHARED": "INTERVIEW", "INTERVIEW": "OFFERED", "OFFERED": "HIRED"}
END_STATES = ("DECLINED", "WITHDRAWN")
# Who may end a referral with which reason; CONSENT_REVOKED and OPPORTUNITY_CLOSED are set by
# the system when a consent is revoked or the opportunity closes, never chosen by hand.
END_REASONS: dict[tuple[Role, str], frozenset[str]] = {
    (Role.COUNSELOR, "DECLINED"): frozenset(
        {"DECLINED_BY_EMPLOYER", "DECLINED_BY_PARTICIPANT", "OTHER"}
    ),
    (Role.COUNSELOR, "WITHDRAWN"): frozenset({"WITHDRAWN_BY_COUNSELOR", "OTHER"}),
    (Role.EMPLOYER, "DECLINED"): frozenset({"DECLINED_BY_EMPLOYER", "OTHER"}),
    (Role.PARTICIPANT, "DECLINED"): frozenset({"DECLINED_BY_PARTICIPANT"}),
}
# Forward moves each role may make (the employer never shares: only her side does).
FORWARD_ROLES: dict[str, frozenset[Role]] = {
    "SHARED": frozenset({Role.COUNSELOR}),
    "INTERVIEW": frozenset({Role.COUNSELOR, Role.EMPLOYER}),
    "OFFERED": frozenset({Role.COUNSELOR, Role.EMPLOYER}),
    "HIRED": frozenset({Role.COUNSELOR, Role.EMPLOYER}),
}
HANDLE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_handle() -> str:
    """Random per referral: it carries nothing of her code nor of her other referrals."""
    return "C-" + "".join(secrets.choice(HANDLE_ALPHABET) for _ in range(8))


def visible_referrals(actor: Actor | None) -> pw.ModelSelect:
    """ADMIN all; COUNSELOR her caseload's; PARTICIPANT her own; EMPLOYER the shared ones of its
    own company while it is ACTIVE; FINANCE none."""
    actor = require_actor(actor)
    query = Referral.select().join(Participant).switch(Referral).order_by(Referral.id)
    if actor.role == Role.ADMIN:
        return query
    if actor.role == Role.COUNSELOR:
        return query.where(Participant.counselor == actor.user_id)
    if actor.role == Role.PARTICIPANT:
        return query.where(Referral.participant == (actor.participant_id or 0))
    employer = companies.active_own_employer(actor)
    if actor.role == Role.EMPLOYER and employer is not None:
        return query.where((Referral.employer == employer.id) & Referral.shared_at.is_null(False))
    return query.where(pw.SQL("1 = 0"))


def get_referral(actor: Actor | None, referral_id: int | str) -> Referral:
    try:
        rid = int(referral_id)
    except (TypeError, ValueError):
        raise NotFound("referral", "referralId") from None
    found = visible_referrals(actor).where(Referral.id == rid).first()
    if found is None:
        raise NotFound("referral", "referralId")
    return found


def referrals_for_opportunities(actor: Actor | None, ids: list[int]) -> dict[int, list[Referral]]:
    """Batch: each opportunity's referrals the caller may see (one query)."""
    rows = visible_referrals(actor).where(Referral.opportunity.in_(ids)) if ids else []
    return group_by(rows, lambda r: r.opportunity_id, ids)


def referrals_of(actor: Actor | None, participant: Participant) -> list[Referral]:
    participants.require_case_access(actor, participant, "plan")
    return list(visible_referrals(actor).where(Referral.participant == participant.id))


def stages_for(referral_ids: list[int]) -> dict[int, list[ReferralStage]]:
    rows = (
        ReferralStage.select()
        .where(ReferralStage.referral.in_(referral_ids))
        .order_by(ReferralStage.at, ReferralStage.id)
        if referral_ids
        else []
    )
    return group_by(rows, lambda r: r.referral_id, referral_ids)


def _stage(referral: Referral, old: str | None, new: str, actor: Actor | None, **extra) -> None:
    ReferralStage.create(
        referral=referral,
        from_status=old,
        to_status=new,
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role.value if actor else "SYSTEM",
        **extra,
    )


def refer_participant(
    actor: Actor | None, opportunity_id: int, participant_id: int, note: str = ""
) -> Referral:
    """Her counselor proposes her for an OPEN opportunity of an ACTIVE partner (PROPOSED)."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = participants.get_participant(actor, participant_id)
    opportunity = Opportunity.get_or_none(Opportunity.id == opportunity_id)
    if opportunity is None:
        raise NotFound("opportunity", "opportunityId")
    text = v.text(note, "note", max_length=2000) or ""
    if participant.status != "ACTIVE":
        raise DomainError(
            "PARTICIPANT_NOT_ACTIVE", "only an active participant can be referred", "participantId"
        )
    _require_open(opportunity)
    with db.atomic():
        if (
            Referral.select()
            .where(
                (Referral.opportunity == opportunity.id) & (Referral.participant == participant.id)
            )
            .exists()
        ):
            raise DomainError(
                "ALREADY_REFERRED", "she was already referred to this opportunity", "participantId"
            )
        referral = Referral.create(
            opportunity=opportunity,
            participant=participant,
            employer=opportunity.employer_id,
            handle=_unique_handle(),
            note=text,
            created_by=actor.user_id,
        )
        _stage(referral, None, "PROPOSED", actor)
        audit.record(
            actor, "refer_participant", "Referral", referral.id, participant_id=participant.id
        )
    return referral


def _unique_handle() -> str:
    for _ in range(10):
        handle = new_handle()
        if not Referral.select().where(Referral.handle == handle).exists():
            return handle
    raise RuntimeError("could not draw a unique handle")  # 30^8: practically never


def _require_open(opportunity: Opportunity) -> None:
    if opportunity.status != "OPEN":
        raise DomainError("OPPORTUNITY_NOT_OPEN", "the opportunity is not open", "opportunityId")
    employer = Employer.get_by_id(opportunity.employer_id)
    if employer.status != "ACTIVE":
        raise DomainError(
            "EMPLOYER_NOT_ACTIVE", "the employer is not an active partner", "opportunityId"
        )


def _check_move(actor: Actor, referral: Referral, new: str, reason: str | None) -> str | None:
    old = referral.status
    if new in END_STATES:
        if old not in OPEN_STATUSES:
            raise DomainError("INVALID_TRANSITION", f"{old} cannot become {new}", "status")
        allowed = END_REASONS.get((actor.role, new))
        if not allowed:
            raise PermissionDenied(f"your role cannot set {new}", "status")
        if not reason:
            raise DomainError("REASON_REQUIRED", "give a reason code", "reasonCode")
        v.one_of(reason, REASON_CODES, "reasonCode", "INVALID_REASON")
        if reason not in allowed:
            raise DomainError("INVALID_REASON", f"{reason} does not fit {new}", "reasonCode")
        return reason
    if FORWARD.get(old) != new:
        raise DomainError("INVALID_TRANSITION", f"{old} cannot become {new}", "status")
    if actor.role not in FORWARD_ROLES[new]:
        raise PermissionDenied(f"your role cannot move a referral to {new}", "status")
    if reason:
        raise DomainError("INVALID_REASON", "a reason code only ends a referral", "reasonCode")
    _require_open(Opportunity.get_by_id(referral.opportunity_id))
    if consents.current(referral.participant_id, referral.employer_id, "PROFILE") is None:
        raise DomainError(
            "CONSENT_REQUIRED",
            "she has not given (or has revoked) PROFILE consent for this employer",
            "status",
        )
    return None


def advance_referral(
    actor: Actor | None,
    referral_id: int,
    status: str,
    reason_code: str | None = None,
    note: str = "",
    placement: dict | None = None,
) -> Referral:
    """Move a referral one step on, or end it; HIRED needs placement details."""
    from econ.employers import opportunities, placements

    actor = require_actor(actor)
    referral = get_referral(actor, referral_id)
    if actor.role not in (Role.COUNSELOR, Role.EMPLOYER, Role.PARTICIPANT):
        raise PermissionDenied("your role cannot move referrals", "status")
    new = v.one_of(status, REFERRAL_STATUSES, "status", "INVALID_STATUS")
    text = v.text(note, "note", max_length=500) or ""
    reason = _check_move(actor, referral, new, reason_code or None)
    details = placements.clean_placement(referral, placement or {}) if new == "HIRED" else None
    old = referral.status
    with db.atomic():
        now = utcnow()
        stamps = {"shared_at": now} if new == "SHARED" else {}
        updated = (
            Referral.update(status=new, reason_code=reason, updated_at=now, **stamps)
            .where((Referral.id == referral.id) & (Referral.status == old))
            .execute()
        )
        if updated != 1:
            raise DomainError("CONFLICT", "the referral changed meanwhile; reload", "status")
        _stage(referral, old, new, actor, reason_code=reason, note=text)
        if details is not None:
            placements.create_placement(actor, referral, details)
            participants.complete_linked_milestones("referral", referral.id, actor)
        audit.record(
            actor,
            "advance_referral",
            "Referral",
            referral.id,
            participant_id=referral.participant_id,
            fields=("status",),
        )
    if new == "HIRED":
        opportunities.fill_if_complete(actor, referral.opportunity_id)
    return Referral.get_by_id(referral.id)


def end_open_referrals(condition: pw.Expression, reason: str, actor: Actor | None) -> int:
    """End every open referral matching `condition` (inside the caller's transaction)."""
    ended = 0
    for referral in Referral.select().where(condition & Referral.status.in_(OPEN_STATUSES)):
        updated = (
            Referral.update(status="WITHDRAWN", reason_code=reason, updated_at=utcnow())
            .where((Referral.id == referral.id) & (Referral.status == referral.status))
            .execute()
        )
        if updated:
            _stage(referral, referral.status, "WITHDRAWN", actor, reason_code=reason)
            ended += 1
    return ended
