"""Approval of a calculated run (four eyes): what approving it would freeze, who may
approve it (and why not), the approval itself and a rejection."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from econ.db import utcnow, write_transaction
from econ.errors import CommonCode, Conflict, DomainError, PermissionDenied
from econ.money import from_cents, parse_amount
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends import lifecycle
from econ.stipends.awards import IncentiveAward
from econ.stipends.control import control_totals, newly_approved
from econ.stipends.errors import StipendCode
from econ.stipends.loan_lines import authored_loan_line
from econ.stipends.models import Adjustment, PaymentLine, PaymentRun
from econ.stipends.postings import post_approval
from econ.stipends.runs import _locked, get_run
from econ.stipends.schedules import _reason
from econ.stipends.scope import lines_paid_by
from econ.stipends.summary import frozen, summary_of


def approve_run(
    actor: Actor | None,
    run_id: int,
    version: int | None,
    control_total: object,
    comment: str | None = None,
) -> PaymentRun:
    """A FINANCE user who neither created the run nor authored any amount in it approves
    the version and control total she reviewed; the control totals are frozen. Her
    comment, if any, is kept with the approval's event (the stepper shows it)."""
    actor = require_role(actor, Role.FINANCE)
    comment = _reason(comment, "comment") if (comment or "").strip() else ""
    run = get_run(actor, run_id)
    if run.created_by == actor.user_id:
        raise PermissionDenied("the run's creator cannot approve it", "runId")
    if version is None or isinstance(version, bool) or not isinstance(version, int):
        raise DomainError(CommonCode.REQUIRED, "give the version you reviewed", "version")
    reviewed = parse_amount(control_total, "controlTotal") if control_total is not None else None
    if reviewed is None:
        raise DomainError(
            CommonCode.REQUIRED, "give the control total you reviewed", "controlTotal"
        )
    if version != run.version:
        raise Conflict(CommonCode.CONFLICT, "the run changed since you read it; reload", "version")
    if lifecycle.last_rejection(run) is not None:
        raise Conflict(
            StipendCode.RUN_REJECTED, "the run was rejected: recalculate it first", "runId"
        )
    if run.state == "CALCULATED" and run.job_status != "DONE":
        raise Conflict(CommonCode.INVALID_TRANSITION, "the calculation has not finished", "runId")
    with write_transaction():  # the lines counted are the lines approved: no writer between
        if _authored_amount_in(run, actor.user_id):
            raise PermissionDenied("you authored an amount in this run", "runId")
        payable = PaymentLine.select().where(
            lines_paid_by(run) & PaymentLine.status.in_(_APPROVABLE[run.kind])
        )
        totals = control_totals(payable)
        if reviewed != totals.total:
            raise Conflict(
                StipendCode.CONTROL_TOTAL_MISMATCH,
                f"the control total is now {totals.total}, not {reviewed}; reload",
                "controlTotal",
            )
        run = lifecycle.transition(
            run,
            "APPROVED",
            actor,
            comment,
            allowed_from=("CALCULATED",),  # DISBURSING → APPROVED is a failed export's only
            approved_by=actor.user_id,
            approved_at=utcnow(),
        )
        PaymentRun.update(
            control_count=totals.count,
            control_total=totals.total,
            control_hash=totals.hash,
            control_by_method=totals.by_method_json(),
        ).where(PaymentRun.id == run.id).execute()
        # Posted before the update below marks them approved (the cursor selects by it).
        post_approval(run.id, newly_approved(payable), actor.user_id)
        PaymentLine.update(
            approved=True, status="PENDING", exception=None, failure_reason=None
        ).where(lines_paid_by(run) & PaymentLine.status.in_(_APPROVABLE[run.kind])).execute()
    return PaymentRun.get_by_id(run.id)


def reject_run(actor: Actor | None, run_id: int, version: int | None, comment: str) -> PaymentRun:
    """A FINANCE user who did not create the calculated run sends it back with a comment
    (the version she read); it cannot be approved until it is recalculated."""
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    if run.created_by == actor.user_id:
        raise PermissionDenied("the run's creator cancels or recalculates it", "runId")
    comment = _reason(comment, "comment")
    if version is None or isinstance(version, bool) or version != run.version:
        raise Conflict(CommonCode.CONFLICT, "the run changed since you read it; reload", "version")
    if run.state != "CALCULATED" or lifecycle.last_rejection(run) is not None:
        raise Conflict(
            CommonCode.INVALID_TRANSITION, f"a run in {run.state} cannot be rejected", "runId"
        )
    with write_transaction():
        return lifecycle.rejected(_locked(run.id), actor, comment)


# A run is approved by one FINANCE user besides its creator (four eyes: HOPE lets a
# programme ask for more; ours asks for one). The stepper says "approval 1 of 1".
APPROVALS_REQUIRED = 1


@dataclass(frozen=True)
class ApprovalCount:
    required: int
    given: int  # approvals of the run's current calculation


def approval_count(run: PaymentRun) -> ApprovalCount:
    """How many approvals the run needs and has (a recalculation starts again: an
    approved run cannot be recalculated, so `approved_by` is the current one's)."""
    return ApprovalCount(APPROVALS_REQUIRED, 1 if run.approved_by is not None else 0)


# Why she cannot approve the run now (None: she can), for the approval panel; approve_run
# enforces the same rules.
CREATOR, AMOUNT_AUTHOR, NOT_READY, REJECTED = "CREATOR", "AMOUNT_AUTHOR", "NOT_READY", "REJECTED"


def approval_obstacle(actor: Actor | None, run: PaymentRun) -> str | None:
    """Why she cannot approve the run now (None: she can)."""
    actor = require_role(actor, Role.FINANCE)
    if run.state != "CALCULATED" or run.job_status != "DONE":
        return NOT_READY
    if run.created_by == actor.user_id:
        return CREATOR
    if lifecycle.last_rejection(run) is not None:
        return REJECTED
    if frozen(run, f"authored:{actor.user_id}", lambda: _authored_amount_in(run, actor.user_id)):
        return AMOUNT_AUTHOR  # the panel's answer, kept per version; approve_run asks again
    return None


def _authored_amount_in(run: PaymentRun, user_id: int) -> bool:
    """Whether `user_id` created an award or adjustment the run's payable lines claimed
    (one EXISTS each: the panel of a 20,000-line run reads no line into Python), or
    approved or requested a loan disbursement among them (the few loan lines are read)."""
    payable = lines_paid_by(run) & PaymentLine.status.in_(_APPROVABLE[run.kind])
    if authored_loan_line(payable, user_id):
        return True
    return any(
        model.select()
        .join(PaymentLine, on=PaymentLine.id == model.paid_line_id)
        .where((model.created_by == user_id) & payable)
        .exists()
        for model in (IncentiveAward, Adjustment)
    )  # from her few awards to their lines, never through the run's 20,000


# A main run approves its PENDING lines; a follow-up run the held and failed lines it took.
_APPROVABLE = {"MAIN": ("PENDING",), "FOLLOW_UP": ("PENDING", "HELD", "FAILED")}


@dataclass(frozen=True)
class Payable:
    count: int
    total: Decimal


def payable_total(run: PaymentRun) -> Payable:
    """What approving the run now would freeze: the control count and total (summed by
    the database: the approval panel reads it for runs of 20,000 lines)."""
    statuses = _APPROVABLE[run.kind]
    if run.kind == "MAIN":  # its lines not taken by a follow-up, from the run's summary
        sums = summary_of(run).sums(summary_of(run).where(statuses=statuses, main_only=True))
        return Payable(sums["count"], from_cents(sums["net"]))

    def summed() -> Payable:
        count, cents = (
            PaymentLine.select(
                pw.fn.COUNT(PaymentLine.id), pw.fn.COALESCE(pw.fn.SUM(PaymentLine.net), 0)
            )
            .where(lines_paid_by(run) & PaymentLine.status.in_(statuses))
            .tuples()
            .first()
        )
        return Payable(count, from_cents(int(cents)))

    return frozen(run, "payable", summed)
