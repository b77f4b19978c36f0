"""Income records (reported, then verified by her counselor) and the independence test.

Independence (DOMAIN.md): verified monthly income (employment + business) at or above the
target for 3 consecutive months. We count back from the latest month that has verified
income; a month without verified income, or below target, ends the run. `OTHER` income
(e.g. benefits) does not count towards independence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from econ.db import db, utcnow
from econ.errors import DomainError, NotFound
from econ.money import parse_amount
from econ.months import previous_month
from econ.participants import validation as v
from econ.participants.models import IncomeRecord, Participant, Plan
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role

MONTHS_FOR_INDEPENDENCE = 3
COUNTED_SOURCES = ("EMPLOYMENT", "BUSINESS")


def record_income(
    actor: Actor | None, participant_id: int, *, month: str, source: str, amount: str | Decimal
) -> IncomeRecord:
    """She or her counselor reports income; a report replaces an unverified one for the same
    month and source, but a verified record stays as verified."""
    from econ.participants.services import get_participant

    actor = require_actor(actor)
    if actor.role not in (Role.COUNSELOR, Role.PARTICIPANT):
        raise NotFound("participant", "participantId")
    participant = get_participant(actor, participant_id)
    month = v.month(month)
    source = v.income_source(source)
    value = parse_amount(amount, "amount")
    with db.atomic():
        existing = IncomeRecord.get_or_none(
            (IncomeRecord.participant == participant.id)
            & (IncomeRecord.month == month)
            & (IncomeRecord.source == source)
        )
        if existing and existing.verified_at is not None:
            raise DomainError(
                "ALREADY_VERIFIED", "this month's income is verified and cannot be changed", "month"
            )
        if existing:
            existing.amount, existing.created_by, existing.created_at = (
                value,
                actor.user_id,
                utcnow(),
            )
            existing.save()
            record = existing
        else:
            record = IncomeRecord.create(
                participant=participant,
                month=month,
                source=source,
                amount=value,
                created_by=actor.user_id,
            )
        audit.record(
            actor, "record_income", "IncomeRecord", record.id, participant_id=participant.id
        )
    return record


def verify_income(actor: Actor | None, income_record_id: int) -> IncomeRecord:
    from econ.participants.services import get_participant

    actor = require_role(actor, Role.COUNSELOR)
    record = IncomeRecord.get_or_none(IncomeRecord.id == income_record_id)
    if record is None:
        raise NotFound("income record", "incomeRecordId")
    try:
        get_participant(actor, record.participant_id)
    except NotFound:
        raise NotFound("income record", "incomeRecordId") from None
    if record.verified_at is not None:
        raise DomainError("ALREADY_VERIFIED", "this record is already verified", "incomeRecordId")
    with db.atomic():
        updated = (
            IncomeRecord.update(verified_at=utcnow(), verified_by=actor.user_id)
            .where((IncomeRecord.id == record.id) & IncomeRecord.verified_at.is_null())
            .execute()
        )
        if updated != 1:
            raise DomainError(
                "ALREADY_VERIFIED", "this record is already verified", "incomeRecordId"
            )
        audit.record(
            actor, "verify_income", "IncomeRecord", record.id, participant_id=record.participant_id
        )
    return IncomeRecord.get_by_id(record.id)


def income_records(actor: Actor | None, participant: Participant):
    from econ.participants.services import require_case_access

    require_case_access(actor, participant, "income")
    return participant.income_records.order_by(IncomeRecord.month.desc(), IncomeRecord.source)


def verified_income_by_month(participant_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """{participant: {month: verified employment + business income}} in one query."""
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if not participant_ids:
        return result
    # Three columns as tuples: payment runs call this per chunk of hundreds of people.
    rows = (
        IncomeRecord.select(IncomeRecord.participant, IncomeRecord.month, IncomeRecord.amount)
        .where(
            IncomeRecord.participant.in_(participant_ids)
            & IncomeRecord.verified_at.is_null(False)
            & IncomeRecord.source.in_(COUNTED_SOURCES)
        )
        .tuples()
    )
    for participant_id, month, amount in rows:
        months = result[participant_id]
        months[month] = months.get(month, Decimal("0.00")) + amount
    return result


@dataclass(frozen=True)
class Independence:
    independent: bool
    consecutive_months_at_target: int
    target_monthly_income: Decimal
    latest_month: str | None


def consecutive_months_at_target(
    months: dict[str, Decimal], target: Decimal, up_to: str | None = None
) -> tuple[int, str | None]:
    """Months in a row at or above target, counting back from the latest verified month."""
    candidates = [m for m in months if up_to is None or m <= up_to]
    if not candidates:
        return 0, None
    latest = max(candidates)
    count, month = 0, latest
    while month in months and months[month] >= target:
        count += 1
        month = previous_month(month)
    return count, latest


def target_for(participant_id: int) -> Decimal:
    from econ.settings.services import setting

    plan = Plan.get_or_none(Plan.participant == participant_id)
    if plan is not None and plan.target_monthly_income is not None:
        return plan.target_monthly_income
    return setting("target_monthly_income")


def targets_for(participant_ids: list[int]) -> dict[int, Decimal]:
    """`target_for` of many participants in one query."""
    from econ.settings.services import setting

    default = setting("target_monthly_income")
    targets = dict.fromkeys(participant_ids, default)
    if participant_ids:
        for plan in Plan.select(Plan.participant, Plan.target_monthly_income).where(
            Plan.participant.in_(participant_ids) & Plan.target_monthly_income.is_null(False)
        ):
            targets[plan.participant_id] = plan.target_monthly_income
    return targets


def independence(participant_id: int, up_to: str | None = None) -> Independence:
    """The independence test, as of `up_to` (a month) or with all verified income."""
    target = target_for(participant_id)
    months = verified_income_by_month([participant_id]).get(participant_id, {})
    count, latest = consecutive_months_at_target(months, target, up_to)
    return Independence(count >= MONTHS_FOR_INDEPENDENCE, count, target, latest)
