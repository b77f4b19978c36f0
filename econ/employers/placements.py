"""Placements (from a hire), their end, and retention checkpoints at 30, 90 and 180 days.

A checkpoint is DUE from its due date; the counselor records any outcome, the employer only
that she is employed at its own company. UNREACHABLE may later become a confirmed outcome;
confirmed outcomes are final. A 90-day CONFIRMED_EMPLOYED grants one RETAINED_90_DAYS award,
keyed to the placement, so confirming twice can never pay twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import peewee as pw

from econ.config import get_settings
from econ.db import Ids, db, utcnow
from econ.employers import companies
from econ.employers import validation as v
from econ.employers.errors import EmployerCode
from econ.employers.models import (
    CHECKPOINT_DAYS,
    CHECKPOINT_STATUSES,
    OPPORTUNITY_TYPES,
    PLACEMENT_END_REASONS,
    Opportunity,
    Placement,
    Referral,
    RetentionCheckpoint,
)
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.grouping import group_by
from econ.months import month_end, month_start
from econ.participants import services as participants
from econ.security import audit
from econ.security.crypto import decrypt, encrypt
from econ.security.permissions import require_actor
from econ.security.roles import Actor, Role
from econ.stipends.services import grant_award

FINAL = ("CONFIRMED_EMPLOYED", "CONFIRMED_NOT_EMPLOYED")
RETENTION_AWARD_DAYS = 90


def clean_placement(referral: Referral, data: dict) -> dict:
    """Placement details for a hire; missing ones default to the opportunity's terms."""
    opportunity = Opportunity.get_by_id(referral.opportunity_id)
    hours = v.hours(data.get("hours_per_week") or opportunity.hours_per_week)
    period = data.get("pay_period") or opportunity.pay_period
    amount = data.get("pay_amount")
    amount = opportunity.pay_amount if amount in (None, "") else amount
    start = v.iso_date(data.get("start_date"), "startDate") or dt.date.today()
    _check_start(referral, start, dt.date.today())
    return {
        "type": v.one_of(data.get("type") or opportunity.type, OPPORTUNITY_TYPES, "type"),
        "start_date": start,
        "pay_amount": v.pay(amount, period, hours),
        "pay_period": period,
        "hours_per_week": hours,
    }


def _check_start(referral: Referral, start: dt.date, today: dt.date) -> None:
    """A hire cannot start before she was referred or registered, nor further back than
    `ECON_HIRE_BACKDATE_DAYS` before the day it is recorded (issue 14: a back-dated start
    confirmed at once paid a 90-day retention award the same day)."""
    registered = participants.registered_on(referral.participant_id)
    earliest = max(
        referral.created_at.date(),
        registered,
        today - dt.timedelta(days=get_settings().hire_backdate_days),
    )
    if start < earliest:
        raise DomainError(
            CommonCode.INVALID_DATE,
            f"a hire recorded today starts on {earliest} or later (not before the referral, "
            "her registration, or the allowed days back)",
            "startDate",
        )


def checkpoint_base(placement: Placement) -> dt.date:
    """Checkpoints count from the later of the start and the day the hire was recorded."""
    return max(placement.start_date, placement.created_at.date())


def create_placement(actor: Actor, referral: Referral, details: dict) -> Placement:
    """Inside the hiring transaction: the placement and its three checkpoints."""
    placement = Placement.create(
        referral=referral,
        participant=referral.participant_id,
        employer=referral.employer_id,
        opportunity=referral.opportunity_id,
        created_by=actor.user_id,
        **details,
    )
    RetentionCheckpoint.insert_many(
        [
            {
                "placement": placement.id,
                "days": days,
                "due_on": checkpoint_base(placement) + dt.timedelta(days=days),
            }
            for days in CHECKPOINT_DAYS
        ]
    ).execute()
    audit.record(
        actor,
        "create_placement",
        "Placement",
        placement.id,
        participant_id=placement.participant_id,
    )
    return placement


def visible_placements(actor: Actor | None) -> pw.ModelSelect:
    """COUNSELOR her caseload's; PARTICIPANT hers; EMPLOYER its own while ACTIVE; ADMIN and
    FINANCE none (pay, evidence and outcomes of one woman's job are case content; the
    programme's figures come from the outcomes indicators)."""
    actor = require_actor(actor)
    query = Placement.select().order_by(Placement.id)
    if actor.role == Role.COUNSELOR:
        return query.where(Placement.participant.in_(participants.caseload_query(actor.user_id)))
    if actor.role == Role.PARTICIPANT:
        return query.where(Placement.participant == (actor.participant_id or 0))
    employer = companies.active_own_employer(actor)
    if actor.role == Role.EMPLOYER and employer is not None:
        return query.where(Placement.employer == employer.id)
    return query.where(pw.SQL("1 = 0"))


def get_placement(actor: Actor | None, placement_id: int) -> Placement:
    found = visible_placements(actor).where(Placement.id == placement_id).first()
    if found is None:
        raise NotFound("placement", "placementId")
    return found


def is_due(checkpoint: RetentionCheckpoint, today: dt.date | None = None) -> bool:
    """Due now or overdue: not confirmed yet and its day has come."""
    return checkpoint.status not in FINAL and checkpoint.due_on <= (today or dt.date.today())


def list_placements(
    actor: Actor | None, due_only: bool = False, today: dt.date | None = None
) -> pw.ModelSelect:
    """The caller's placements, newest first; `due_only`: those with a checkpoint due now or
    overdue (an employer's list of checks to confirm)."""
    query = visible_placements(actor).order_by(Placement.id.desc())
    if due_only:
        due = RetentionCheckpoint.select(RetentionCheckpoint.placement).where(
            RetentionCheckpoint.status.not_in(FINAL)
            & (RetentionCheckpoint.due_on <= (today or dt.date.today()))
        )
        query = query.where(Placement.id.in_(due))
    return query


def placements_of(actor: Actor | None, participant: participants.Participant) -> list[Placement]:
    return list(placements_query(actor, participant))


def placements_query(actor: Actor | None, participant: participants.Participant) -> pw.ModelSelect:
    """Her placements, oldest first (unexecuted, for a keyset page on `Placement.id`)."""
    participants.require_case_access(actor, participant, "plan")
    return visible_placements(actor).where(Placement.participant == participant.id)


def checkpoints_for(placement_ids: Sequence[int]) -> dict[int, list[RetentionCheckpoint]]:
    rows = (
        RetentionCheckpoint.select(RetentionCheckpoint, Placement.id, Placement.participant)
        .join(Placement)
        .where(RetentionCheckpoint.placement.in_(Ids(placement_ids)))
        .order_by(RetentionCheckpoint.days)
        if placement_ids
        else []
    )
    return group_by(rows, lambda r: r.placement_id, placement_ids)


def end_placement(
    actor: Actor | None, placement_id: int, ended_on: str | dt.date, reason: str, note: str = ""
) -> Placement:
    """Her counselor or the employer records the end of the job, with a reason."""
    actor = require_actor(actor)
    placement = get_placement(actor, placement_id)
    if actor.role not in (Role.COUNSELOR, Role.EMPLOYER):
        raise PermissionDenied("your role cannot end a placement", "placementId")
    end = v.iso_date(ended_on, "endedOn")
    if end is None:
        raise DomainError(CommonCode.REQUIRED, "endedOn is required", "endedOn")
    why = v.one_of(reason, PLACEMENT_END_REASONS, "reason")
    text = v.text(note, "note", max_length=500) or ""
    if end < placement.start_date:
        raise DomainError(CommonCode.INVALID_DATE, "the end is before the start", "endedOn")
    if placement.ended_on is not None:
        raise DomainError(
            EmployerCode.ALREADY_ENDED, "this placement has already ended", "placementId"
        )
    with db.atomic():
        updated = (
            Placement.update(ended_on=end, end_reason=why, end_note=text)
            .where((Placement.id == placement.id) & Placement.ended_on.is_null())
            .execute()
        )
        if updated != 1:
            raise DomainError(
                EmployerCode.ALREADY_ENDED, "this placement has already ended", "placementId"
            )
        audit.record(
            actor,
            "end_placement",
            "Placement",
            placement.id,
            participant_id=placement.participant_id,
        )
    return Placement.get_by_id(placement.id)


def _checkpoint(actor: Actor, checkpoint_id: int) -> tuple[RetentionCheckpoint, Placement]:
    checkpoint = RetentionCheckpoint.get_or_none(RetentionCheckpoint.id == checkpoint_id)
    if checkpoint is None:
        raise NotFound("checkpoint", "checkpointId")
    try:
        placement = get_placement(actor, checkpoint.placement_id)
    except NotFound:
        raise NotFound("checkpoint", "checkpointId") from None
    return checkpoint, placement


def confirm_retention(
    actor: Actor | None,
    checkpoint_id: int,
    outcome: str,
    evidence: str = "",
    today: dt.date | None = None,
) -> RetentionCheckpoint:
    actor = require_actor(actor)
    checkpoint, placement = _checkpoint(actor, checkpoint_id)
    if actor.role not in (Role.COUNSELOR, Role.EMPLOYER):
        raise PermissionDenied("your role cannot confirm retention", "checkpointId")
    new = v.one_of(outcome, CHECKPOINT_STATUSES[1:], "outcome", EmployerCode.INVALID_OUTCOME)
    if actor.role == Role.EMPLOYER and new != "CONFIRMED_EMPLOYED":
        raise PermissionDenied("an employer confirms only employment at its company", "outcome")
    text = v.text(evidence, "evidence", max_length=500) or ""
    if checkpoint.status in FINAL:
        raise DomainError(
            EmployerCode.ALREADY_CONFIRMED, "this checkpoint is already confirmed", "outcome"
        )
    if checkpoint.status == new:
        raise DomainError(CommonCode.NO_CHANGE, f"the checkpoint is already {new}", "outcome")
    if (today or dt.date.today()) < checkpoint.due_on:
        raise DomainError(
            EmployerCode.NOT_YET_DUE, f"this checkpoint is due on {checkpoint.due_on}", "outcome"
        )
    with db.atomic():
        updated = (
            RetentionCheckpoint.update(
                status=new,
                evidence=encrypt(text, evidence_context(checkpoint.id)) if text else "",
                confirmed_at=utcnow(),
                confirmed_by=actor.user_id,
                confirmer_role=actor.role.value,
            )
            .where(
                (RetentionCheckpoint.id == checkpoint.id)
                & (RetentionCheckpoint.status == checkpoint.status)
            )
            .execute()
        )
        if updated != 1:
            raise DomainError(
                CommonCode.CONFLICT, "the checkpoint changed meanwhile; reload", "outcome"
            )
        if checkpoint.days == RETENTION_AWARD_DAYS and new == "CONFIRMED_EMPLOYED":
            grant_award(
                placement.participant_id,
                "RETAINED_90_DAYS",
                "placement",
                placement.id,
                created_by=actor.user_id,
            )
            participants.complete_linked_milestones("placement", placement.id, actor)
        audit.record(
            actor,
            "confirm_retention",
            "RetentionCheckpoint",
            checkpoint.id,
            participant_id=placement.participant_id,
            fields=("status",),
        )
    return RetentionCheckpoint.get_by_id(checkpoint.id)


def offer_income_records(month: str) -> int:
    """Pre-fill one unverified EMPLOYMENT income record per participant for `month` from the
    placements running in it (monthly equivalent of their pay). A record already there,
    reported or verified, is left alone: her counselor verifies or corrects the offer."""
    first, last = month_start(month), month_end(month)
    running = Placement.select().where(
        (Placement.start_date <= last)
        & (Placement.ended_on.is_null() | (Placement.ended_on >= first))
    )
    totals: dict[int, Decimal] = {}
    for placement in running:
        pay = v.monthly_equivalent(
            placement.pay_amount, placement.pay_period, placement.hours_per_week
        )
        totals[placement.participant_id] = totals.get(placement.participant_id, Decimal(0)) + pay
    created = 0
    for pid, amount in sorted(totals.items()):
        if participants.offer_employment_income(pid, month, amount):
            created += 1
    return created


def placement_of_referral(referral_id: int) -> Placement | None:
    return Placement.get_or_none(Placement.referral == referral_id)


def evidence_context(checkpoint_id: int) -> str:
    return f"retention.evidence.{checkpoint_id}"


def evidence_for(
    actor: Actor | None, checkpoint: RetentionCheckpoint, reads: audit.ReadLog | None = None
) -> str:
    """The evidence, sealed at rest (a counselor may have written a phone number or a street
    there). An employer reads only evidence its own staff entered, never a counselor's words;
    every read by someone other than her goes in her "who read my data"."""
    if not checkpoint.evidence:
        return ""
    by_others = checkpoint.confirmer_role != Role.EMPLOYER.value
    if actor is not None and actor.role == Role.EMPLOYER and by_others:
        return ""
    text = decrypt(checkpoint.evidence, evidence_context(checkpoint.id)) or ""
    if actor is not None and actor.role != Role.PARTICIPANT:
        participant_id = checkpoint.placement.participant_id  # joined by checkpoints_for
        audit.record_read(actor, "RetentionCheckpoint", participant_id, ("evidence",), reads)
    return text
