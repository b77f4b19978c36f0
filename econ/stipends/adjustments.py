"""Adjustments and manual awards: amounts one person adds to a participant's next run and a
second person approves (never the one who asked), within the programme's caps."""

from __future__ import annotations

import uuid
from decimal import Decimal

from econ.db import db, utcnow
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.money import parse_amount
from econ.months import check_month
from econ.participants.services import get_participant
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting
from econ.stipends.awards import grant_award
from econ.stipends.errors import StipendCode
from econ.stipends.models import (
    GRANT_CATEGORIES,
    Adjustment,
    IncentiveAward,
)
from econ.stipends.schedules import REASON_MAX, _reason


def create_adjustment(
    actor: Actor | None,
    participant_id: int,
    *,
    period: str,
    amount: str,
    reason: str,
    category: str | None = None,
) -> Adjustment:
    actor = require_role(actor, Role.FINANCE)
    participant = get_participant(actor, participant_id)
    period = check_month(period)
    value = parse_amount(amount, "amount", allow_negative=True)
    reason = _reason(reason)
    if value == 0:
        raise DomainError(CommonCode.INVALID_AMOUNT, "an adjustment cannot be zero", "amount")
    _within_cap(value, "adjustment_max")
    if category is not None:
        if category not in GRANT_CATEGORIES:
            raise DomainError(
                StipendCode.INVALID_CATEGORY, f"one of {', '.join(GRANT_CATEGORIES)}", "category"
            )
        if value < 0:
            raise DomainError(CommonCode.INVALID_AMOUNT, "a support grant is positive", "amount")
    with db.atomic():
        adjustment = Adjustment.create(
            participant=participant.id,
            period=period,
            amount=value,
            category=category,
            reason=reason,
            created_by=actor.user_id,
        )
        audit.record(
            actor, "create_adjustment", "Adjustment", adjustment.id, participant_id=participant.id
        )
    return adjustment


def approve_adjustment(actor: Actor | None, adjustment_id: int, comment: str = "") -> Adjustment:
    """FINANCE, not the creator (`comment`: the approver's note, in the audit entry)."""
    actor = require_role(actor, Role.FINANCE)
    adjustment = Adjustment.get_or_none(Adjustment.id == adjustment_id)
    if adjustment is None:
        raise NotFound("adjustment", "adjustmentId")
    if adjustment.created_by == actor.user_id:
        raise PermissionDenied("the creator cannot approve her own adjustment", "adjustmentId")
    _mark_approved(actor, adjustment, "adjustmentId", "approve_adjustment", comment)
    return Adjustment.get_by_id(adjustment.id)


def _mark_approved(
    actor: Actor,
    record: Adjustment | IncentiveAward,
    field: str,
    action: str,
    comment: str,
    **values: object,
) -> None:
    """PENDING -> APPROVED by this approver, once (whoever comes second finds it approved),
    audited with her note."""
    model = type(record)
    with db.atomic():
        updated = (
            model.update(state="APPROVED", approved_by=actor.user_id, **values)
            .where((model.id == record.id) & (model.state == "PENDING"))
            .execute()
        )
        if updated != 1:
            raise DomainError(CommonCode.INVALID_TRANSITION, "already approved", field)
        audit.record(
            actor,
            action,
            model.__name__,
            record.id,
            participant_id=record.participant_id,
            detail=(comment or "").strip()[:REASON_MAX],
        )


def _within_cap(value: Decimal, key: str) -> None:
    cap = setting(key)
    if abs(value) > cap:
        raise DomainError(
            StipendCode.OVER_LIMIT, f"at most {cap} (program setting {key})", "amount"
        )


def approve_award(actor: Actor | None, award_id: int, comment: str = "") -> IncentiveAward:
    """A FINANCE user who did not cause the award approves it; only then can a run pay it
    (`comment`: the approver's note, in the audit entry)."""
    actor = require_role(actor, Role.FINANCE)
    award = IncentiveAward.get_or_none(IncentiveAward.id == award_id)
    if award is None:
        raise NotFound("incentive award", "awardId")
    get_participant(actor, award.participant_id)
    if award.created_by == actor.user_id:
        raise PermissionDenied("whoever caused an award cannot approve it", "awardId")
    _mark_approved(
        actor, award, "awardId", "approve_incentive_award", comment, approved_at=utcnow()
    )
    return IncentiveAward.get_by_id(award.id)


def pending_amounts(actor: Actor | None) -> tuple[list[IncentiveAward], list[Adjustment]]:
    """FINANCE: awards and adjustments that wait for a second person before a run pays them."""
    require_role(actor, Role.FINANCE)
    awards = list(
        IncentiveAward.select()
        .where((IncentiveAward.state == "PENDING") & IncentiveAward.paid_line_id.is_null())
        .order_by(IncentiveAward.id)
    )
    adjustments = list(
        Adjustment.select()
        .where((Adjustment.state == "PENDING") & Adjustment.paid_line_id.is_null())
        .order_by(Adjustment.id)
    )
    return awards, adjustments


def create_manual_award(
    actor: Actor | None, participant_id: int, amount: str, note: str, reference: str | None = None
) -> IncentiveAward:
    """FINANCE grants a MANUAL incentive; `reference` makes a repeated request a no-op."""
    actor = require_role(actor, Role.FINANCE)
    participant = get_participant(actor, participant_id)
    value = parse_amount(amount, "amount")
    note = _reason(note, "note")
    _within_cap(value, "manual_award_max")
    source = (reference or "").strip()[:40] or uuid.uuid4().hex[:20]
    with db.atomic():
        award, created = grant_award(
            participant.id,
            "MANUAL",
            "manual",
            source,
            amount=value,
            created_by=actor.user_id,
            note=note,
        )
        if created:
            audit.record(
                actor,
                "create_incentive_award",
                "IncentiveAward",
                award.id,
                participant_id=participant.id,
            )
    return award
