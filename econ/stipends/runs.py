"""Payment runs: create, (re)calculate, approve (four eyes), cancel, start disbursement, retry.

Every state change goes through `lifecycle` (conditional on state and version); work is
enqueued only after the transaction that claimed it has committed (`jobs.enqueue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import peewee as pw

from econ.db import PreparedQuery, db, write_transaction
from econ.errors import CommonCode, Conflict, DomainError, NotFound
from econ.money import from_cents
from econ.months import add_months, check_month, month_of
from econ.participants.services import get_participant
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import raw_settings, setting
from econ.stipends import jobs, lifecycle, run_locks
from econ.stipends.awards import IncentiveAward
from econ.stipends.errors import StipendCode
from econ.stipends.lifecycle import CALCULABLE, DISBURSABLE
from econ.stipends.loan_lines import not_awaiting
from econ.stipends.models import (
    LOAN,
    Adjustment,
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    PaymentRunChunk,
)
from econ.stipends.payees import require_payable
from econ.stipends.postings import post_cancellation
from econ.stipends.schedules import _reason
from econ.stipends.scope import paying_run_id
from econ.stipends.summary import AMOUNTS, summary_of

FORMATS = ("SEPA", "CSV")


@dataclass(frozen=True)
class RunTotals:
    line_count: int
    base: Decimal
    taper: Decimal
    incentives: Decimal
    adjustments: Decimal
    net: Decimal


def get_run(actor: Actor | None, run_id: int) -> PaymentRun:
    require_role(actor, Role.FINANCE, Role.ADMIN)
    run = _RUN.first(int(run_id))
    if run is None:
        raise NotFound("payment run", "runId")
    return run


# Every page and document of a run starts here: its SQL (every column of the run) is
# built once (econ.db.PreparedQuery).
_RUN = PreparedQuery(lambda run_id: PaymentRun.select().where(PaymentRun.id == run_id))


def run_of(actor: Actor | None, run: PaymentRun | int) -> PaymentRun:
    """`get_run` for readers of one run's parts: a run the caller has read already (with
    `get_run`, in this request) is not read again; the role check is the same."""
    if isinstance(run, PaymentRun):
        require_role(actor, Role.FINANCE, Role.ADMIN)
        return run
    return get_run(actor, run)


def run_for_period(actor: Actor | None, period: str) -> PaymentRun:
    """The month's latest run that is not cancelled (a follow-up once there is one)."""
    require_role(actor, Role.FINANCE, Role.ADMIN)
    run = (
        PaymentRun.select()
        .where((PaymentRun.period == period) & (PaymentRun.state != "CANCELLED"))
        .order_by(PaymentRun.id.desc())
        .first()
    )
    if run is None:
        raise NotFound("payment run", "run")
    return run


def list_runs(actor: Actor | None, state: str | None = None) -> pw.ModelSelect:
    require_role(actor, Role.FINANCE, Role.ADMIN)
    query = PaymentRun.select().order_by(PaymentRun.period.desc(), PaymentRun.id.desc())
    return query.where(PaymentRun.state == state) if state else query


def run_totals(run: PaymentRun | int) -> RunTotals:
    """The run's lines summed (by the database, once per version while it is frozen)."""
    sums = summary_of(run).sums()
    return RunTotals(sums["count"], *(from_cents(sums[name]) for name in AMOUNTS))


def _queue_calculation(run: PaymentRun, actor: Actor, reason: str) -> PaymentRun:
    """Inside a transaction: move to CALCULATING, snapshot settings, drop old lines."""
    run = lifecycle.transition(
        run,
        "CALCULATING",
        actor,
        reason,
        allowed_from=CALCULABLE,
        generation=PaymentRun.generation + 1,
        settings=raw_settings(),
        job_kind="CALCULATE",
        job_status="QUEUED",
        job_done=0,
        job_total=0,
        job_error=None,
        job_task_id=None,
        exceptions=[],
    )
    _release_lines(run.id)  # after the guarded move: approved lines are never touched
    return run


def _release_lines(run_id: int) -> None:
    """Delete a run's unapproved lines and free the awards and adjustments they claimed."""
    line_ids = PaymentLine.select(PaymentLine.id).where(PaymentLine.run == run_id)
    IncentiveAward.update(paid_line_id=None).where(
        IncentiveAward.paid_line_id.in_(line_ids)
    ).execute()
    Adjustment.update(paid_line_id=None).where(Adjustment.paid_line_id.in_(line_ids)).execute()
    PaymentLine.delete().where(PaymentLine.run == run_id).execute()
    PaymentRunChunk.delete().where(PaymentRunChunk.run == run_id).execute()


def create_run(actor: Actor | None, period: str, *, run_tasks: bool = True) -> PaymentRun:
    """FINANCE opens the run for a month and starts its calculation."""
    actor = require_role(actor, Role.FINANCE)
    period = check_period(period)
    try:
        with db.atomic():
            run = PaymentRun.create(period=period, created_by=actor.user_id)
            lifecycle.created(run, actor)
            run = _queue_calculation(run, actor, "created")
    except pw.IntegrityError:
        raise DomainError(
            StipendCode.RUN_EXISTS, f"a payment run for {period} exists; cancel it first", "period"
        ) from None
    return _start(run, "CALCULATE", run_tasks)


def check_period(value: object, today: date | None = None) -> str:
    """A run pays a month that has begun (or the next one, where the program allows
    advance runs), and not one before any schedule could still be paying."""
    period = check_month(value)
    current = month_of(today or date.today())
    latest = add_months(current, setting("payment_run_advance_months"))
    earliest = add_months(current, -setting("stipend_max_months"))
    if period > latest:
        raise DomainError(
            StipendCode.PERIOD_IN_FUTURE,
            f"a run pays {latest} at the latest (next month's income does not exist yet)",
            "period",
        )
    if period < earliest:
        raise DomainError(
            StipendCode.PERIOD_TOO_OLD, f"a run pays {earliest} at the earliest", "period"
        )
    return period


def recalculate_run(actor: Actor | None, run_id: int, *, run_tasks: bool = True) -> PaymentRun:
    """Before approval: recalculate with current inputs and settings (also restarts a job)."""
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    with write_transaction():
        run = _queue_calculation(_locked(run.id), actor, "recalculated")
    return _start(run, "CALCULATE", run_tasks)


def cancel_run(actor: Actor | None, run_id: int, reason: str) -> PaymentRun:
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    reason = _reason(reason)
    with write_transaction():
        run = _locked(run.id)
        before = run.state
        if before == "APPROVED" and _anything_written(run):
            raise Conflict(
                CommonCode.INVALID_TRANSITION, "payments of this run were written", "runId"
            )
        run = lifecycle.transition(
            run, "CANCELLED", actor, reason, generation=PaymentRun.generation + 1
        )
        if before == "APPROVED":
            post_cancellation(run.id, actor.user_id)
        if run.kind == "FOLLOW_UP":
            _release_followup(run)
        else:
            _release_lines(run.id)
    return run


def _anything_written(run: PaymentRun) -> bool:
    return (
        PaymentFile.select().where(PaymentFile.run == run.id).exists()
        or PaymentAttempt.select().where(PaymentAttempt.run_id == run.id).exists()
    )


def _release_followup(run: PaymentRun) -> None:
    """A cancelled follow-up gives its lines back to the main run, as they were."""
    PaymentLine.update(
        followup_run_id=None,
        status=pw.Case(None, [(PaymentLine.status == "PENDING", "HELD")], PaymentLine.status),
    ).where(PaymentLine.followup_run_id == run.id).execute()


def _locked(run_id: int) -> PaymentRun:
    """The run's lock, exclusively: a calculation's chunks in flight commit first."""
    run = run_locks.exclusive(run_id)
    if run is None:
        raise NotFound("payment run", "runId")
    return run


def _start(run: PaymentRun, kind: str, run_tasks: bool) -> PaymentRun:
    """After commit: enqueue the job and remember its task id."""
    if run_tasks:
        task_id = jobs.enqueue(kind, run.id, run.generation)
        PaymentRun.update(job_task_id=task_id).where(
            (PaymentRun.id == run.id) & (PaymentRun.job_task_id.is_null())
        ).execute()
    return PaymentRun.get_by_id(run.id)


def disburse_run(
    actor: Actor | None, run_id: int, file_format: str, *, run_tasks: bool = True
) -> PaymentRun:
    """Start writing the payment files of an approved run (or restart a failed export).

    A second request while the run is disbursing is refused and changes nothing: single
    lines are paid again with `retry_line`, never by switching the run's format."""
    actor = require_role(actor, Role.FINANCE)
    if file_format not in FORMATS:
        raise DomainError(CommonCode.INVALID_FORMAT, "SEPA or CSV", "format")
    run = get_run(actor, run_id)
    if file_format == "SEPA" and (run.settings or {}).get("currency", "EUR") != "EUR":
        raise DomainError(StipendCode.UNSUPPORTED_CURRENCY, "SEPA files are for EUR only", "format")
    with write_transaction():
        run = _locked(run.id)
        job = {
            "job_kind": "DISBURSE",
            "job_status": "QUEUED",
            "job_error": None,
            "job_task_id": None,
            "job_done": 0,
            "job_total": 0,
            "transfer_format": file_format,
        }
        if run.state == "APPROVED":
            run = lifecycle.transition(run, "DISBURSING", actor, file_format, **job)
        elif run.state == "DISBURSING" and run.job_status == "FAILED":
            if run.transfer_format != file_format:
                raise DomainError(
                    StipendCode.FORMAT_FIXED,
                    f"this run's files are {run.transfer_format}; restart with that format",
                    "format",
                )
            run = lifecycle.restart_job(run, actor, "export restarted", **job)
        elif run.state in DISBURSABLE:
            raise Conflict(
                StipendCode.ALREADY_DISBURSED,
                f"this run is already {run.state.lower()} ({run.transfer_format}); pay single "
                "lines again with a retry or a follow-up run",
                "runId",
            )
        else:
            raise Conflict(
                CommonCode.INVALID_TRANSITION, f"a run in {run.state} cannot be disbursed", "runId"
            )
    return _start(run, "DISBURSE", run_tasks)


def retry_line(
    actor: Actor | None,
    line_id: int,
    *,
    override: bool = False,
    reason: str | None = None,
    run_tasks: bool = True,
) -> PaymentAttempt:
    """A failed line, or an approved line held since, gets a new attempt (never a new
    line) once she can be paid; the export job writes it with her details as they are
    then. A line held before approval is paid by a follow-up run (a second person
    approves its amount)."""
    actor = require_role(actor, Role.FINANCE)
    line = PaymentLine.get_or_none(PaymentLine.id == line_id)
    if line is None:
        raise NotFound("payment line", "lineId")
    participant = get_participant(actor, line.participant_id)
    if participant.status == "EXITED":
        if not override:
            raise DomainError(
                StipendCode.OVERRIDE_REQUIRED,
                "she has exited: retrying needs an override",
                "override",
            )
        reason = _reason(reason)
    with write_transaction():
        run = _locked(paying_run_id(line))
        line = PaymentLine.get_by_id(line.id)
        if paying_run_id(line) != run.id:
            raise Conflict(CommonCode.CONFLICT, "the line changed; reload", "lineId")
        if run.state not in DISBURSABLE:
            raise Conflict(CommonCode.INVALID_TRANSITION, "the run is not disbursing", "lineId")
        if line.status == "HELD" and not line.approved:
            raise Conflict(
                StipendCode.FOLLOW_UP_REQUIRED,
                "this line was held before approval: a follow-up run pays it",
                "lineId",
            )
        if line.status not in ("FAILED", "HELD"):
            raise Conflict(
                CommonCode.INVALID_TRANSITION, f"a {line.status} line cannot be retried", "lineId"
            )
        attempts = list(line.attempts.order_by(PaymentAttempt.number))
        if any(a.status in ("CREATED", "EXPORTED") for a in attempts):
            raise Conflict(
                StipendCode.OUTCOME_UNKNOWN, "an attempt's outcome is still unknown", "lineId"
            )
        require_payable(line.participant_id)
        if line.kind == LOAN and not_awaiting([line]):
            raise Conflict(
                StipendCode.LOAN_NOT_AWAITING,
                "the loan is no longer waiting for this payment",
                "lineId",
            )
        number = (attempts[-1].number if attempts else 0) + 1
        attempt = PaymentAttempt.create(
            line=line.id,
            number=number,
            reference=attempt_reference(line.run_id, line.id, number),
            amount=line.net,
            run_id=run.id,  # the paying run (a follow-up's, once one took the line)
            created_by=actor.user_id,
            override_reason=reason if override else None,
        )
        updated = (
            PaymentLine.update(status="PENDING", exception=None, failure_reason=None)
            .where((PaymentLine.id == line.id) & (PaymentLine.status == line.status))
            .execute()
        )
        if updated != 1:
            raise Conflict(CommonCode.CONFLICT, "the line changed; reload", "lineId")
        audit.record(
            actor,
            "retry_payment_line",
            "PaymentLine",
            line.id,
            participant_id=line.participant_id,
        )
        job = {
            "job_kind": "DISBURSE",
            "job_status": "QUEUED",
            "job_error": None,
            "job_task_id": None,
        }
        run = lifecycle.restart_job(run, **job)
    _start(run, "DISBURSE", run_tasks)
    return attempt


def attempt_reference(run_id: int, line_id: int, number: int) -> str:
    """The EndToEndId: R<run>-L<line>-A<n>, at most 35 characters of [A-Za-z0-9-]."""
    return f"R{run_id}-L{line_id}-A{number}"
