"""Referrals: PROPOSED → SHARED → INTERVIEW → OFFERED → HIRED, or DECLINED / WITHDRAWN with
a reason code; every move is kept with actor and time.

SHARED needs a current PROFILE consent for the employer, checked here and nowhere else: no
client flag bypasses it. The employer sees a referral only once shared, only while it is
ACTIVE, and its candidate only while the PROFILE consent is current.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

import peewee as pw

from econ.db import Ids, PreparedShape, db, utcnow
from econ.employers import companies, consents, flows
from econ.employers import validation as v
from econ.employers.errors import EmployerCode
from econ.employers.models import (
    NOT_A_FIT_REASONS,
    REASON_CODES,
    REFERRAL_STATUSES,
    Employer,
    Opportunity,
    Referral,
    ReferralStage,
)
from econ.employers.stages import OPEN_STATUSES, record_stage
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.grouping import group_by
from econ.participants import services as participants
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role

# States in which the employer may see the candidate's anonymous profile.
EMPLOYER_VISIBLE = ("SHARED", "INTERVIEW", "OFFERED", "HIRED")
FORWARD = {"PROPOSED": "SHARED", "SHARED": "INTERVIEW", "INTERVIEW": "OFFERED", "OFFERED": "HIRED"}
END_STATES = ("DECLINED", "WITHDRAWN")
# Who may end a referral with which reason; CONSENT_REVOKED and OPPORTUNITY_CLOSED are set by
# the system when a consent is revoked or the opportunity closes, never chosen by hand.
END_REASONS: dict[tuple[Role, str], frozenset[str]] = {
    (Role.COUNSELOR, "DECLINED"): frozenset(
        {"DECLINED_BY_EMPLOYER", *NOT_A_FIT_REASONS, "DECLINED_BY_PARTICIPANT", "OTHER"}
    ),
    (Role.COUNSELOR, "WITHDRAWN"): frozenset({"WITHDRAWN_BY_COUNSELOR", "OTHER"}),
    (Role.EMPLOYER, "DECLINED"): frozenset({"DECLINED_BY_EMPLOYER", *NOT_A_FIT_REASONS, "OTHER"}),
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
    """COUNSELOR her caseload's; PARTICIPANT her own; EMPLOYER the shared ones of its own
    company while it is ACTIVE; ADMIN and FINANCE none (issue 14: a referral is case
    content: its note, reasons and history are no administrator's business)."""
    actor = require_actor(actor)
    query = Referral.select().order_by(Referral.id)
    if actor.role == Role.COUNSELOR:
        return query.where(Referral.participant.in_(participants.caseload_query(actor.user_id)))
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
    rows = visible_referrals(actor).where(Referral.opportunity.in_(Ids(ids))) if ids else []
    return group_by(rows, lambda r: r.opportunity_id, ids)


def referrals_of(actor: Actor | None, participant: participants.Participant) -> pw.ModelSelect:
    """Her referrals, oldest first (unexecuted, for a keyset page on `Referral.id`)."""
    participants.require_case_access(actor, participant, "plan")
    return visible_referrals(actor).where(Referral.participant == participant.id)


class StageView(NamedTuple):
    """A referral's step as its history shows it: the columns it reads, as a tuple (an
    opportunity's referral list has a few steps each: built as models, they cost more
    than their query)."""

    referral_id: int
    from_status: str | None
    to_status: str
    reason_code: str | None
    note: str
    actor_role: str
    at: dt.datetime


def stages_for(referral_ids: list[int]) -> dict[int, list[StageView]]:
    rows = _STAGES.rows(Ids(referral_ids)) if referral_ids else []
    return group_by(map(StageView._make, rows), lambda r: r.referral_id, referral_ids)


_STAGE_COLUMNS = ("referral", *StageView._fields[1:])  # the foreign key's field, then the rest
_STAGES = PreparedShape(  # an opportunity's referrals on every view: SQL built once per shape
    lambda ids: (
        ReferralStage.select(*(getattr(ReferralStage, name) for name in _STAGE_COLUMNS))
        .where(ReferralStage.referral.in_(ids))
        .order_by(ReferralStage.at, ReferralStage.id)
        .tuples()
    )
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
            CommonCode.PARTICIPANT_NOT_ACTIVE,
            "only an active participant can be referred",
            "participantId",
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
                EmployerCode.ALREADY_REFERRED,
                "she was already referred to this opportunity",
                "participantId",
            )
        referral = Referral.create(
            opportunity=opportunity,
            participant=participant,
            employer=opportunity.employer_id,
            handle=_unique_handle(),
            note=text,
            created_by=actor.user_id,
        )
        record_stage(referral, None, "PROPOSED", actor)
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
        raise DomainError(
            EmployerCode.OPPORTUNITY_NOT_OPEN, "the opportunity is not open", "opportunityId"
        )
    employer = Employer.get_by_id(opportunity.employer_id)
    if employer.status != "ACTIVE":
        raise DomainError(
            EmployerCode.EMPLOYER_NOT_ACTIVE,
            "the employer is not an active partner",
            "opportunityId",
        )


def _check_move(actor: Actor, referral: Referral, new: str, reason: str | None) -> str | None:
    old = referral.status
    if new in END_STATES:
        if old not in OPEN_STATUSES:
            raise DomainError(CommonCode.INVALID_TRANSITION, f"{old} cannot become {new}", "status")
        allowed = END_REASONS.get((actor.role, new))
        if not allowed:
            raise PermissionDenied(f"your role cannot set {new}", "status")
        if not reason:
            raise DomainError(EmployerCode.REASON_REQUIRED, "give a reason code", "reasonCode")
        v.one_of(reason, REASON_CODES, "reasonCode", CommonCode.INVALID_REASON)
        if reason not in allowed:
            raise DomainError(
                CommonCode.INVALID_REASON, f"{reason} does not fit {new}", "reasonCode"
            )
        return reason
    if FORWARD.get(old) != new:
        raise DomainError(CommonCode.INVALID_TRANSITION, f"{old} cannot become {new}", "status")
    if actor.role not in FORWARD_ROLES[new]:
        raise PermissionDenied(f"your role cannot move a referral to {new}", "status")
    if reason:
        raise DomainError(
            CommonCode.INVALID_REASON, "a reason code only ends a referral", "reasonCode"
        )
    _require_open(Opportunity.get_by_id(referral.opportunity_id))
    if consents.current(referral.participant_id, referral.employer_id, "PROFILE") is None:
        raise DomainError(
            EmployerCode.CONSENT_REQUIRED,
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
    actor = require_actor(actor)
    referral = get_referral(actor, referral_id)
    if actor.role not in (Role.COUNSELOR, Role.EMPLOYER, Role.PARTICIPANT):
        raise PermissionDenied("your role cannot move referrals", "status")
    new = v.one_of(status, REFERRAL_STATUSES, "status", CommonCode.INVALID_STATUS)
    text = v.text(note, "note", max_length=500) or ""
    reason = _check_move(actor, referral, new, reason_code or None)
    details = flows.hire_details(referral, placement or {}) if new == "HIRED" else None
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
            raise DomainError(
                CommonCode.CONFLICT, "the referral changed meanwhile; reload", "status"
            )
        record_stage(referral, old, new, actor, reason_code=reason, note=text)
        if details is not None:
            flows.record_hire(actor, referral, details)
        audit.record(
            actor,
            "advance_referral",
            "Referral",
            referral.id,
            participant_id=referral.participant_id,
            fields=("status",),
        )
    if new == "HIRED":
        flows.after_hire(actor, referral)
    return Referral.get_by_id(referral.id)


# Reasons an employer may read as they are: her own refusal, and a closed opening. Any
# other end (her refusal, her counselor's withdrawal, consent revoked) reads the same
# neutral "no longer available", so an employer never learns she withdrew (issue 14).
EMPLOYER_READABLE_REASONS = ("DECLINED_BY_EMPLOYER", *NOT_A_FIT_REASONS, "OPPORTUNITY_CLOSED")
NEUTRAL_REASON = "NO_LONGER_AVAILABLE"


def reason_for(actor: Actor | None, reason_code: str | None) -> str | None:
    if reason_code is None or actor is None or actor.role != Role.EMPLOYER:
        return reason_code
    return reason_code if reason_code in EMPLOYER_READABLE_REASONS else NEUTRAL_REASON


def stage_note_for(actor: Actor | None, stage) -> str | None:
    """A stage's note: an employer reads only what her own staff wrote."""
    if actor is not None and actor.role == Role.EMPLOYER and stage.actor_role != "EMPLOYER":
        return None
    return stage.note


def require_programme_side(actor: Actor | None, field: str) -> None:
    """Who the referred woman is, and her counselor's note, stay on the programme's side:
    an employer never reads them (she sees the pseudonymous candidate instead)."""
    actor = require_actor(actor)
    if actor.role == Role.EMPLOYER:
        raise PermissionDenied("the employer never reads this of a referral", field)


def referral_note(actor: Actor | None, referral: Referral) -> str:
    require_programme_side(actor, "note")
    return referral.note


def _neutral_to_employer(actor: Actor | None, stage) -> bool:
    """A step the programme's side made that an employer reads as "no longer available"."""
    by_others = actor is not None and actor.role == Role.EMPLOYER and stage.actor_role != "EMPLOYER"
    return by_others and reason_for(actor, stage.reason_code) == NEUTRAL_REASON


def stage_actor_for(actor: Actor | None, stage) -> str:
    """Who moved a referral; to an employer, the programme's side of a neutral end is
    "PROGRAMME" (not PARTICIPANT: that too would tell her withdrawal)."""
    return "PROGRAMME" if _neutral_to_employer(actor, stage) else stage.actor_role


def stage_time_for(actor: Actor | None, stage):
    """When a step happened; null to an employer for a neutral end: the moment would tell
    her when the woman withdrew (right after an interview, the day a consent ended)."""
    return None if _neutral_to_employer(actor, stage) else stage.at
