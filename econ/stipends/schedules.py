"""Stipend schedules and payment methods: the inputs of a run.

Adjustments and manual awards, the run's other inputs, are in econ/stipends/adjustments.py.
"""

from __future__ import annotations

from decimal import Decimal

import peewee as pw

from econ.db import db, utcnow
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.money import parse_amount
from econ.months import check_month
from econ.participants.services import get_participant
from econ.security import audit
from econ.security.crypto import decrypt, encrypt
from econ.security.permissions import require_actor, require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting
from econ.stipends.errors import StipendCode
from econ.stipends.models import (
    END_REASONS,
    LIVE_SCHEDULE_STATES,
    METHODS,
    PaymentLine,
    PaymentMethod,
    PaymentRun,
    ScheduleEvent,
    StipendSchedule,
)
from econ.stipends.transitions import move

REASON_MAX = 500


def _reason(text: str | None, field: str = "reason") -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError(CommonCode.REQUIRED, "give a reason", field)
    if len(cleaned) > REASON_MAX:
        raise DomainError(CommonCode.TOO_LONG, f"at most {REASON_MAX} characters", field)
    return cleaned


def _duration(value: object, field: str = "durationMonths") -> int:
    low, high = setting("stipend_min_months"), setting("stipend_max_months")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError(
            StipendCode.INVALID_DURATION, f"a schedule lasts {low} to {high} months", field
        )
    return value


# ADMIN reaches every participant (to assign counselors) but holds no case data.
SCHEDULE_READERS = (Role.COUNSELOR, Role.FINANCE, Role.PARTICIPANT)


def get_schedule(actor: Actor | None, schedule_id: int) -> StipendSchedule:
    """The schedule if the caller may see its participant, else NotFound."""
    actor = require_actor(actor)
    schedule = StipendSchedule.get_or_none(StipendSchedule.id == schedule_id)
    if schedule is None or actor.role not in SCHEDULE_READERS:
        raise NotFound("stipend schedule", "scheduleId")
    try:
        get_participant(actor, schedule.participant_id)
    except NotFound:
        raise NotFound("stipend schedule", "scheduleId") from None
    return schedule


def schedules_of(actor: Actor | None, participant_id: int) -> pw.ModelSelect:
    """Her schedules, oldest first (unexecuted, for a keyset page on the id)."""
    get_participant(actor, participant_id)
    require_role(actor, *SCHEDULE_READERS)
    return (
        StipendSchedule.select()
        .where(StipendSchedule.participant == participant_id)
        .order_by(StipendSchedule.id)
    )


def _event(schedule, actor, action, from_state, reason="") -> None:
    ScheduleEvent.create(
        schedule=schedule.id,
        action=action,
        from_state=from_state,
        to_state=schedule.state,
        reason=reason,
        by_user=actor.user_id if actor else None,
    )
    audit.record(
        actor,
        f"stipend_{action}",
        "StipendSchedule",
        schedule.id,
        participant_id=schedule.participant_id,
    )


def _schedule_writer(actor: Actor | None, schedule_id: int) -> tuple[Actor, StipendSchedule]:
    """COUNSELOR of her caseload or FINANCE may change a schedule's course."""
    actor = require_role(actor, Role.COUNSELOR, Role.FINANCE)
    return actor, get_schedule(actor, schedule_id)


def create_schedule(
    actor: Actor | None,
    participant_id: int,
    *,
    monthly_amount: str | Decimal | None,
    start_month: str,
    duration_months: int,
) -> StipendSchedule:
    actor = require_role(actor, Role.COUNSELOR, Role.FINANCE)
    participant = get_participant(actor, participant_id)
    amount = (
        setting("stipend_monthly_base")
        if monthly_amount in (None, "")
        else parse_amount(monthly_amount, "monthlyAmount")
    )
    if amount <= 0:
        raise DomainError(
            CommonCode.INVALID_AMOUNT, "the monthly amount must be positive", "monthlyAmount"
        )
    start = check_month(start_month, "startMonth")
    duration = _duration(duration_months)
    if participant.status != "ACTIVE":
        raise DomainError(CommonCode.PARTICIPANT_NOT_ACTIVE, "she is not active", "participantId")
    with db.atomic():
        try:
            with db.atomic():  # a savepoint: only this insert's failure means "exists"
                schedule = StipendSchedule.create(
                    participant=participant.id,
                    monthly_amount=amount,
                    start_month=start,
                    duration_months=duration,
                    created_by=actor.user_id,
                )
        except pw.IntegrityError:
            raise DomainError(
                StipendCode.LIVE_SCHEDULE_EXISTS,
                "she already has a schedule that has not ended",
                "participantId",
            ) from None
        _event(schedule, actor, "create", None)
    return schedule


def approve_schedule(actor: Actor | None, schedule_id: int, comment: str = "") -> StipendSchedule:
    """FINANCE, not the creator: approves a draft, or a requested extension (`comment`:
    the approver's note, kept with the event)."""
    comment = (comment or "").strip()[:REASON_MAX]
    actor = require_role(actor, Role.FINANCE)
    schedule = get_schedule(actor, schedule_id)
    if schedule.state == "DRAFT":
        if schedule.created_by == actor.user_id:
            raise PermissionDenied("the creator cannot approve her own schedule", "scheduleId")
        with db.atomic():
            schedule = move(
                StipendSchedule, schedule, "APPROVED", ("DRAFT",), approved_by=actor.user_id
            )
            _event(schedule, actor, "approve", "DRAFT", comment)
        return schedule
    require_extension_decider(actor, schedule)
    with db.atomic():
        schedule = move(
            StipendSchedule,
            schedule,
            schedule.state,
            (schedule.state,),
            duration_months=schedule.requested_duration_months,
            requested_duration_months=None,
            requested_by=None,
        )
        _event(schedule, actor, "approve_extension", schedule.state, comment)
    return schedule


def require_extension_decider(actor: Actor, schedule: StipendSchedule) -> None:
    """A requested extension waits, and `actor` did not request it (approve or reject)."""
    if schedule.requested_duration_months is None or schedule.state == "ENDED":
        raise DomainError(
            StipendCode.NOTHING_TO_APPROVE, "nothing waits for a decision", "scheduleId"
        )
    if schedule.requested_by == actor.user_id:
        raise PermissionDenied("the requester cannot decide on her own extension", "scheduleId")


def pause_schedule(actor: Actor | None, schedule_id: int, reason: str) -> StipendSchedule:
    actor, schedule = _schedule_writer(actor, schedule_id)
    reason = _reason(reason)
    with db.atomic():
        before = schedule.state
        schedule = move(StipendSchedule, schedule, "PAUSED", ("APPROVED", "ACTIVE"))
        _event(schedule, actor, "pause", before, reason)
    return schedule


def resume_schedule(actor: Actor | None, schedule_id: int, reason: str) -> StipendSchedule:
    actor, schedule = _schedule_writer(actor, schedule_id)
    reason = _reason(reason)
    with db.atomic():
        schedule = move(StipendSchedule, schedule, "ACTIVE", ("PAUSED",))
        _event(schedule, actor, "resume", "PAUSED", reason)
    return schedule


def end_schedule(
    actor: Actor | None, schedule_id: int, end_reason: str, note: str = ""
) -> StipendSchedule:
    actor, schedule = _schedule_writer(actor, schedule_id)
    if end_reason not in END_REASONS:
        raise DomainError(CommonCode.INVALID_REASON, f"one of {', '.join(END_REASONS)}", "reason")
    with db.atomic():
        before = schedule.state
        schedule = move(
            StipendSchedule, schedule, "ENDED", LIVE_SCHEDULE_STATES, end_reason=end_reason
        )
        _event(schedule, actor, "end", before, f"{end_reason}: {note.strip()}"[:REASON_MAX])
    return schedule


def end_by_system(schedule: StipendSchedule, end_reason: str) -> bool:
    """The calculation ends a schedule (duration used, independence); False if raced."""
    updated = (
        StipendSchedule.update(
            state="ENDED", end_reason=end_reason, version=StipendSchedule.version + 1
        )
        .where(
            (StipendSchedule.id == schedule.id)
            & (StipendSchedule.state.in_(("APPROVED", "ACTIVE")))
        )
        .execute()
    )
    if updated:
        ScheduleEvent.create(
            schedule=schedule.id,
            action="end",
            from_state=schedule.state,
            to_state="ENDED",
            reason=end_reason,
        )
    return bool(updated)


# Runs whose lines count as months paid: approved money, not a draft that may change.
_APPROVED_RUN_STATES = ("APPROVED", "DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES")


def end_used_schedules() -> int:
    """End (DURATION_USED) each live schedule whose every month is in an approved run.

    The next run's calculation would end it too; this daily job makes her plan and her
    counselor's Today show it on the day, not weeks later. Idempotent: an ended schedule
    is no longer live, and `end_by_system` is a conditional update."""
    used = (
        PaymentLine.select(PaymentLine.schedule, pw.fn.COUNT(PaymentLine.id).alias("months"))
        .join(PaymentRun)
        .where(PaymentLine.uses_duration & PaymentRun.state.in_(_APPROVED_RUN_STATES))
        .group_by(PaymentLine.schedule)
    )
    finished = (
        StipendSchedule.select(StipendSchedule)
        .join(used, on=(used.c.schedule_id == StipendSchedule.id))
        .where(
            StipendSchedule.state.in_(("APPROVED", "ACTIVE"))
            & (used.c.months >= StipendSchedule.duration_months)
        )
    )
    return sum(end_by_system(schedule, "DURATION_USED") for schedule in finished)


def extend_schedule(actor: Actor | None, schedule_id: int, duration_months: int) -> StipendSchedule:
    """Ask for a longer schedule (within the cap); applies once another FINANCE approves."""
    actor, schedule = _schedule_writer(actor, schedule_id)
    duration = _duration(duration_months)
    if duration <= schedule.duration_months:
        raise DomainError(
            StipendCode.INVALID_DURATION, "an extension must be longer than now", "durationMonths"
        )
    with db.atomic():
        schedule = move(
            StipendSchedule,
            schedule,
            schedule.state,
            ("DRAFT", "APPROVED", "ACTIVE", "PAUSED"),
            requested_duration_months=duration,
            requested_by=actor.user_id,
        )
        _event(schedule, actor, "extend", schedule.state, f"to {duration} months")
    return schedule


# ---- payment methods ---------------------------------------------------------------------


def card_context(participant_id: int) -> str:
    return f"payment_method.card_reference.{participant_id}"


def set_payment_method(
    actor: Actor | None, participant_id: int, method: str, card_reference: str | None = None
) -> PaymentMethod:
    """Audited; a run already calculated keeps the method it snapshotted."""
    actor = require_role(actor, Role.COUNSELOR, Role.FINANCE)
    participant = get_participant(actor, participant_id)
    if method not in METHODS:
        raise DomainError(StipendCode.INVALID_METHOD, f"one of {', '.join(METHODS)}", "method")
    card = (card_reference or "").strip() or None
    if method == "PREPAID_CARD" and not card:
        raise DomainError(
            CommonCode.REQUIRED, "a prepaid card needs its reference", "cardReference"
        )
    if card and len(card) > 64:
        raise DomainError(CommonCode.TOO_LONG, "at most 64 characters", "cardReference")
    values = {
        "method": method,
        "card_reference": encrypt(card, card_context(participant.id)) if card else None,
        "updated_at": utcnow(),
        "updated_by": actor.user_id,
    }
    with db.atomic():
        PaymentMethod.insert(participant=participant.id, **values).on_conflict(
            conflict_target=[PaymentMethod.participant],
            update={getattr(PaymentMethod, k): v for k, v in values.items()},
        ).execute()
        audit.record(
            actor,
            "set_payment_method",
            "PaymentMethod",
            participant.id,
            participant_id=participant.id,
            fields=("method",),
        )
    return PaymentMethod.get(PaymentMethod.participant == participant.id)


def methods_by_participant(ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """{participant: (method, card reference)}; no row means BANK_TRANSFER."""
    rows = PaymentMethod.select().where(PaymentMethod.participant.in_(ids)) if ids else []
    return {
        row.participant_id: (
            row.method,
            decrypt(row.card_reference, card_context(row.participant_id)),
        )
        for row in rows
    }
