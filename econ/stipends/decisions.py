"""What waits for a second FINANCE user in stipends, and the second person's "no".

Approving is each record's own service (`approve_award`, `approve_adjustment`,
`approve_schedule`, `approve_run`, `confirm_payee`); this module lists what waits and
rejects, with the same rule: never the person who caused it. A rejected award or
adjustment is never paid (its state is REJECTED, the comment in the audit entry); a
rejected draft schedule ends (MANUAL, with the comment); a rejected extension is dropped
and the schedule goes on as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from econ.db import db
from econ.errors import CommonCode, DomainError, NotFound, PermissionDenied
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends.models import (
    Adjustment,
    IncentiveAward,
    PaymentLine,
    PaymentRun,
    StipendSchedule,
)
from econ.stipends.payees import CONFIRMATION_HOLDS
from econ.stipends.schedules import _event, _reason, get_schedule, require_extension_decider
from econ.stipends.transitions import move


def pending_schedules(actor: Actor | None) -> list[StipendSchedule]:
    """Draft schedules and requested extensions, oldest first."""
    require_role(actor, Role.FINANCE)
    return list(
        StipendSchedule.select()
        .where(
            (StipendSchedule.state == "DRAFT")
            | (
                StipendSchedule.requested_duration_months.is_null(False)
                & (StipendSchedule.state != "ENDED")
            )
        )
        .order_by(StipendSchedule.id)
    )


@dataclass(frozen=True)
class PayeeToConfirm:
    participant_id: int
    kind: str  # PAYEE_UNCONFIRMED or SHARED_ACCOUNT
    line_id: int
    run_id: int


def payees_to_confirm(actor: Actor | None) -> list[PayeeToConfirm]:
    """Participants whose payment is held until a second FINANCE user confirms her
    details (one entry each: her latest held line)."""
    require_role(actor, Role.FINANCE)
    rows = (
        PaymentLine.select(PaymentLine.participant, PaymentLine.exception, PaymentLine.id,
                           PaymentLine.run)
        .join(PaymentRun)
        .where(
            (PaymentLine.status == "HELD")
            & PaymentLine.exception.in_(CONFIRMATION_HOLDS)
            & (PaymentRun.state != "CANCELLED")
        )
        .order_by(PaymentLine.id)
        .tuples()
    )  # fmt: skip
    latest = {pid: PayeeToConfirm(pid, kind, line, run) for pid, kind, line, run in rows}
    return sorted(latest.values(), key=lambda item: item.line_id)


def reject_award(actor: Actor | None, award_id: int, comment: str) -> IncentiveAward:
    """A FINANCE user who did not cause the award refuses it: it is never paid."""
    return _reject_amount(
        actor, IncentiveAward, award_id, comment, ("incentive award", "awardId"),
        "reject_incentive_award", "whoever caused an award cannot decide on it",
    )  # fmt: skip


def reject_adjustment(actor: Actor | None, adjustment_id: int, comment: str) -> Adjustment:
    """A FINANCE user other than its creator refuses an adjustment: it is never paid."""
    return _reject_amount(
        actor, Adjustment, adjustment_id, comment, ("adjustment", "adjustmentId"),
        "reject_adjustment", "the creator cannot decide on her own adjustment",
    )  # fmt: skip


def _reject_amount(actor, model, record_id: int, comment: str, names, action: str, own: str):
    """Refuse a PENDING award or adjustment not yet claimed by a line; `names` is (what it
    is, the input field), `own` the refusal its own author gets."""
    what, field = names
    actor = require_role(actor, Role.FINANCE)
    comment = _reason(comment, "comment")
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise NotFound(what, field)
    if record.created_by == actor.user_id:
        raise PermissionDenied(own, field)
    with db.atomic():
        updated = (
            model.update(state="REJECTED", approved_by=actor.user_id)
            .where(
                (model.id == record.id) & (model.state == "PENDING") & model.paid_line_id.is_null()
            )
            .execute()
        )
        if updated != 1:
            raise DomainError(CommonCode.INVALID_TRANSITION, "already decided", field)
        audit.record(
            actor, action, model.__name__, record.id,
            participant_id=record.participant_id, detail=comment,
        )  # fmt: skip
    return model.get_by_id(record.id)


def reject_schedule(actor: Actor | None, schedule_id: int, comment: str) -> StipendSchedule:
    """Refuse a draft schedule (it ends, MANUAL) or a requested extension (dropped)."""
    actor = require_role(actor, Role.FINANCE)
    comment = _reason(comment, "comment")
    schedule = get_schedule(actor, schedule_id)
    if schedule.state == "DRAFT":
        if schedule.created_by == actor.user_id:
            raise PermissionDenied("the creator cannot decide on her own schedule", "scheduleId")
        with db.atomic():
            schedule = move(StipendSchedule, schedule, "ENDED", ("DRAFT",), end_reason="MANUAL")
            _event(schedule, actor, "reject", "DRAFT", comment)
        return schedule
    require_extension_decider(actor, schedule)
    with db.atomic():
        schedule = move(
            StipendSchedule,
            schedule,
            schedule.state,
            (schedule.state,),
            requested_duration_months=None,
            requested_by=None,
        )
        _event(schedule, actor, "reject_extension", schedule.state, comment)
    return schedule
