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

from econ.db import Ids, PreparedShape, db, utcnow
from econ.errors import DomainError, NotFound, PermissionDenied
from econ.money import parse_amount
from econ.months import previous_month
from econ.participants import validation as v
from econ.participants.access import get_participant, require_case_access
from econ.participants.errors import ParticipantCode
from econ.participants.models import IncomeCorrection, IncomeRecord, Participant, Plan
from econ.security import audit
from econ.security.permissions import require_actor, require_role
from econ.security.roles import SYSTEM, Actor, Role
from econ.settings.services import setting

MONTHS_FOR_INDEPENDENCE = 3
COUNTED_SOURCES = ("EMPLOYMENT", "BUSINESS")


def record_income(
    actor: Actor | None, participant_id: int, *, month: str, source: str, amount: str | Decimal
) -> IncomeRecord:
    """She or her counselor reports income; a report replaces an unverified one for the same
    month and source, but a verified record stays as verified."""
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
                ParticipantCode.ALREADY_VERIFIED,
                "this month's income is verified and cannot be changed",
                "month",
            )
        if existing:
            changed = (
                IncomeRecord.update(
                    amount=value,
                    created_by=actor.user_id,
                    created_at=utcnow(),
                    version=IncomeRecord.version + 1,
                )
                .where((IncomeRecord.id == existing.id) & IncomeRecord.verified_at.is_null())
                .execute()
            )
            if changed != 1:  # verified meanwhile
                raise DomainError(
                    ParticipantCode.ALREADY_VERIFIED,
                    "this month's income is verified and cannot be changed",
                    "month",
                )
            record = IncomeRecord.get_by_id(existing.id)
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


def _record_in_reach(actor: Actor, income_record_id: int) -> IncomeRecord:
    """Her record, if the caller may see her; unknown and out of reach read the same."""
    record = IncomeRecord.get_or_none(IncomeRecord.id == income_record_id)
    if record is None:
        raise NotFound("income record", "incomeRecordId")
    try:
        get_participant(actor, record.participant_id)
    except NotFound:
        raise NotFound("income record", "incomeRecordId") from None
    return record


def verify_income(actor: Actor | None, income_record_id: int, version: int) -> IncomeRecord:
    """Her counselor verifies the version of the record she read (`version`): if she (or
    anyone) changed it meanwhile, the verification is refused and the new amount shown."""
    actor = require_role(actor, Role.COUNSELOR)
    record = _record_in_reach(actor, income_record_id)
    if record.verified_at is not None:
        raise DomainError(
            ParticipantCode.ALREADY_VERIFIED, "this record is already verified", "incomeRecordId"
        )
    with db.atomic():
        updated = (
            IncomeRecord.update(verified_at=utcnow(), verified_by=actor.user_id)
            .where(
                (IncomeRecord.id == record.id)
                & IncomeRecord.verified_at.is_null()
                & (IncomeRecord.version == version)
            )
            .execute()
        )
        if updated != 1:
            current = IncomeRecord.get_by_id(record.id)
            if current.verified_at is not None:
                raise DomainError(
                    ParticipantCode.ALREADY_VERIFIED,
                    "this record is already verified",
                    "incomeRecordId",
                )
            raise DomainError(
                ParticipantCode.STALE_VERSION,
                f"the record changed since you read it (now version {current.version}, "
                f"{current.amount}): read it again before you verify",
                "version",
            )
        audit.record(
            actor, "verify_income", "IncomeRecord", record.id, participant_id=record.participant_id
        )
    return IncomeRecord.get_by_id(record.id)


def income_records(actor: Actor | None, participant: Participant):
    require_case_access(actor, participant, "income")
    return participant.income_records.order_by(IncomeRecord.month.desc(), IncomeRecord.source)


def verified_income_by_month(participant_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """{participant: {month: verified employment + business income}} in one query."""
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    if not participant_ids:
        return result
    # Three columns as tuples: payment runs call this per chunk of hundreds of people.
    rows = _VERIFIED_INCOME.rows(Ids(participant_ids))
    corrected = _corrected_amounts(participant_ids)
    for record_id, participant_id, month, amount in rows:
        amount = corrected.get(record_id, amount)  # a verified correction supersedes it
        months = result[participant_id]
        months[month] = months.get(month, Decimal("0.00")) + amount
    return result


def _corrected_amounts(participant_ids: list[int]) -> dict[int, Decimal]:
    """{record id: amount of its latest verified correction}."""
    return dict(_CORRECTED.rows(Ids(participant_ids)))  # the latest wins


# Every caseload view and every payment run chunk reads these: SQL built once per shape.
_VERIFIED_INCOME = PreparedShape(
    lambda ids: (
        IncomeRecord.select(
            IncomeRecord.id, IncomeRecord.participant, IncomeRecord.month, IncomeRecord.amount
        )
        .where(
            IncomeRecord.participant.in_(ids)
            & IncomeRecord.verified_at.is_null(False)
            & IncomeRecord.source.in_(COUNTED_SOURCES)
        )
        .tuples()
    )
)
_CORRECTED = PreparedShape(
    lambda ids: (
        IncomeCorrection.select(IncomeCorrection.record, IncomeCorrection.amount)
        .where(IncomeCorrection.participant.in_(ids) & IncomeCorrection.verified_at.is_null(False))
        .order_by(IncomeCorrection.verified_at, IncomeCorrection.id)
        .tuples()
    )
)


def correct_income(
    actor: Actor | None, income_record_id: int, *, amount: str | Decimal, reason: str
) -> IncomeCorrection:
    """Her counselor corrects a verified record (a misread payslip) with a reason; the new
    amount counts once a second person verifies it."""
    actor = require_role(actor, Role.COUNSELOR)
    record = _record_in_reach(actor, income_record_id)
    if record.verified_at is None:
        raise DomainError(
            ParticipantCode.NOT_VERIFIED,
            "an unverified record is changed by reporting it again",
            "incomeRecordId",
        )
    value = parse_amount(amount, "amount")
    text = v.text(reason, "reason", required=True, max_length=500)
    with db.atomic():
        correction = IncomeCorrection.create(
            record=record.id,
            participant=record.participant_id,
            month=record.month,
            amount=value,
            reason=text,
            created_by=actor.user_id,
        )
        audit.record(
            actor,
            "correct_income",
            "IncomeRecord",
            record.id,
            participant_id=record.participant_id,
        )
    return correction


def verify_correction(actor: Actor | None, correction_id: int) -> IncomeCorrection:
    """A second person (a COUNSELOR or FINANCE user other than the one who asked, who may
    see her) verifies a correction; from then on it supersedes the record."""
    actor = require_role(actor, Role.COUNSELOR, Role.FINANCE)
    correction = IncomeCorrection.get_or_none(IncomeCorrection.id == correction_id)
    if correction is None:
        raise NotFound("income correction", "correctionId")
    try:
        get_participant(actor, correction.participant_id)
    except NotFound:
        raise NotFound("income correction", "correctionId") from None
    if correction.created_by == actor.user_id:
        raise PermissionDenied("a second person verifies a correction", "correctionId")
    with db.atomic():
        updated = (
            IncomeCorrection.update(verified_at=utcnow(), verified_by=actor.user_id)
            .where((IncomeCorrection.id == correction.id) & IncomeCorrection.verified_at.is_null())
            .execute()
        )
        if updated != 1:
            raise DomainError(
                ParticipantCode.ALREADY_VERIFIED, "this correction is verified", "correctionId"
            )
        audit.record(
            actor,
            "verify_income_correction",
            "IncomeRecord",
            correction.record_id,
            participant_id=correction.participant_id,
        )
    return IncomeCorrection.get_by_id(correction.id)


def verified_corrections(participant_ids: list[int]) -> list[IncomeCorrection]:
    """INTERNAL (payment runs): every verified correction of these participants."""
    if not participant_ids:
        return []
    return list(
        IncomeCorrection.select()
        .where(
            IncomeCorrection.participant.in_(Ids(participant_ids))
            & IncomeCorrection.verified_at.is_null(False)
        )
        .order_by(IncomeCorrection.id)
    )


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
    plan = Plan.get_or_none(Plan.participant == participant_id)
    if plan is not None and plan.target_monthly_income is not None:
        return plan.target_monthly_income
    return setting("target_monthly_income")


def targets_for(participant_ids: list[int]) -> dict[int, Decimal]:
    """`target_for` of many participants in one query."""
    default = setting("target_monthly_income")
    targets = dict.fromkeys(participant_ids, default)
    if participant_ids:
        for participant_id, target in _TARGETS.rows(Ids(participant_ids)):
            targets[participant_id] = target
    return targets


_TARGETS = PreparedShape(  # a caseload's view reads it on every view
    lambda ids: (
        Plan.select(Plan.participant, Plan.target_monthly_income)
        .where(Plan.participant.in_(ids) & Plan.target_monthly_income.is_null(False))
        .tuples()
    )
)


def independence(participant_id: int, up_to: str | None = None) -> Independence:
    """The independence test, as of `up_to` (a month) or with all verified income."""
    target = target_for(participant_id)
    months = verified_income_by_month([participant_id]).get(participant_id, {})
    count, latest = consecutive_months_at_target(months, target, up_to)
    return Independence(count >= MONTHS_FOR_INDEPENDENCE, count, target, latest)


def corrections_by_record(record_ids: list[int]) -> dict[int, list[IncomeCorrection]]:
    """INTERNAL, for records the caller has read (through `income_records`): each one's
    corrections, newest first, in one query."""
    found: dict[int, list[IncomeCorrection]] = {rid: [] for rid in record_ids}
    if not record_ids:
        return found
    rows = IncomeCorrection.select().where(IncomeCorrection.record.in_(Ids(record_ids)))
    for correction in rows.order_by(IncomeCorrection.id.desc()):
        found[correction.record_id].append(correction)
    return found


def offer_employment_income(participant_id: int, month: str, amount: Decimal) -> bool:
    """The system offers her an EMPLOYMENT record of a month, from her placements' pay, for
    her counselor to verify; False (nothing written) when she has one for that month."""
    key = (
        (IncomeRecord.participant == participant_id)
        & (IncomeRecord.month == month)
        & (IncomeRecord.source == "EMPLOYMENT")
    )
    if IncomeRecord.select().where(key).exists():
        return False
    with db.atomic():
        IncomeRecord.insert(
            participant=participant_id, month=month, source="EMPLOYMENT", amount=amount
        ).on_conflict_ignore().execute()
        record = IncomeRecord.get(key)
        audit.record(
            SYSTEM, "offer_income_record", "IncomeRecord", record.id, participant_id=participant_id
        )
    return True


def unverified_in(participant_ids: list[int], month: str) -> set[int]:
    """Who has an earned-income report for `month` that is not verified yet."""
    return {
        pid
        for (pid,) in IncomeRecord.select(IncomeRecord.participant)
        .where(
            IncomeRecord.participant.in_(participant_ids)
            & (IncomeRecord.month == month)
            & IncomeRecord.verified_at.is_null()
            & IncomeRecord.source.in_(COUNTED_SOURCES)
        )
        .tuples()
    }
