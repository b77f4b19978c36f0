"""Incentive awards: earned in other pipelines, paid exactly once by the next payment run.

Unique per participant + rule + source record, so completing a training twice, confirming
a 90-day retention twice or re-running a task never creates a second award. The table,
`IncentiveAward`, is in models.py with the domain's other tables.
"""

from __future__ import annotations

from decimal import Decimal

from econ.db import PreparedQuery, db
from econ.errors import CommonCode, DomainError
from econ.settings.services import setting
from econ.stipends.errors import StipendCode
from econ.stipends.models import IncentiveAward

RULES = ("TRAINING_COMPLETED", "RETAINED_90_DAYS", "LOAN_REPAID", "MANUAL")
_SETTING_FOR_RULE = {
    "TRAINING_COMPLETED": "incentive_training_completed",
    "RETAINED_90_DAYS": "incentive_retained_90_days",
    "LOAN_REPAID": "incentive_loan_repaid",
}


def grant_award(
    participant_id: int,
    rule: str,
    source_type: str,
    source_id: object,
    *,
    amount: Decimal | None = None,
    created_by: int | None = None,
    note: str = "",
) -> tuple[IncentiveAward, bool]:
    """Create the award unless it exists; returns (award, created). Safe under races."""
    if rule not in RULES:
        raise DomainError(StipendCode.INVALID_RULE, f"unknown incentive rule {rule}", "rule")
    if amount is None:
        if rule not in _SETTING_FOR_RULE:
            raise DomainError(CommonCode.REQUIRED, "a manual award needs an amount", "amount")

        amount = setting(_SETTING_FOR_RULE[rule])
    if amount < 0:
        raise DomainError(CommonCode.INVALID_AMOUNT, "an award cannot be negative", "amount")
    key = {
        "participant": participant_id,
        "rule": rule,
        "source_type": source_type,
        "source_id": str(source_id),
    }
    with db.atomic():
        inserted = (
            IncentiveAward.insert(**key, amount=amount, created_by=created_by, note=note[:200])
            .on_conflict_ignore()
            .execute()
        )
        award = IncentiveAward.get(
            (IncentiveAward.participant == participant_id)
            & (IncentiveAward.rule == rule)
            & (IncentiveAward.source_type == source_type)
            & (IncentiveAward.source_id == str(source_id))
        )
    # peewee returns the new row id, or 0 / None when the conflict was ignored.
    return award, bool(inserted) and award.id == inserted


def has_award(participant_id: int, rule: str, source_type: str, source_ids) -> bool:
    """Whether she already has an award of `rule` from any of these source records."""
    ids = [str(i) for i in source_ids]
    return bool(ids) and (
        IncentiveAward.select()
        .where(
            (IncentiveAward.participant == participant_id)
            & (IncentiveAward.rule == rule)
            & (IncentiveAward.source_type == source_type)
            & (IncentiveAward.source_id.in_(ids))
        )
        .exists()
    )


def awards_for(participant_id: int) -> list[IncentiveAward]:
    return _AWARDS_FOR.rows(participant_id)


_AWARDS_FOR = PreparedQuery(  # every statement reads it
    lambda participant_id: (
        IncentiveAward.select()
        .where(IncentiveAward.participant == participant_id)
        .order_by(IncentiveAward.id)
    )
)
