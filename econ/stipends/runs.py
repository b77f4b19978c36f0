"""Payment runs: create, (re)calculate, approve (four eyes), cancel, start disbursement, retry.

Every state change is a conditional update (`transitions.move`); background work is
enqueued only after the transaction that claimed it has committed (`jobs.enqueue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import peewee as pw

from econ.db import db, for_update, utcnow, write_transaction
from econ.errors import Conflict, DomainError, NotFound, PermissionDenied
from econ.money import ZERO, from_cents
from econ.participants.services import get_participant
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import raw_settings
from econ.stipends import jobs
from econ.stipends.awards import IncentiveAward
from econ.stipends.engine import control_hash
from econ.stipends.models import (
    Adjustment,
    PaymentAttempt,
    PaymentLine,
    PaymentRun,
    RunEvent,
)
from econ.stipends.periods import check_month
from econ.stipends.postings import post_approval
from econ.stipends.schedules import _reason
from econ.stipends.transitions import move

CALCULABLE = ("DRAFT", "CALCULATING", "CALCULATED")
DISBURSABLE = ("DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES")
FORMATS = ("SEPA", "CSV")


@dataclass(frozen=True)
class RunTotals:
    line_count: int
    base: Decimal
    taper: Decimal
    incentives: Decimal
    adjustments: Decimal
    net: Decimal


def record_event(run_id: int, from_state: str | None, to_state: str, actor, reason="") -> None:
    RunEvent.create(
        run=run_id,
        from_state=from_state,
        to_state=to_state,
        reason=reason[:500],
        by_user=actor.user_id if actor else None,
    )
    audit.record(actor, f"payment_run_{to_state.lower()}", "PaymentRun", run_id)


def get_run(actor: Actor | None, run_id: int) -> PaymentRun:
    require_role(actor, Role.FINANCE, Role.ADMIN)
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    if run is None:
        raise NotFound("payment run", "runId")
    return run


def list_runs(actor: Actor | None, state: str | None = None) -> pw.ModelSelect:
    require_role(actor, Role.FINANCE, Role.ADMIN)
    query = PaymentRun.select().order_by(PaymentRun.period.desc(), PaymentRun.id.desc())
    return query.where(PaymentRun.state == state) if state else query


def run_totals(run_id: int) -> RunTotals:
    f = pw.fn
    row = (
        PaymentLine.select(
            f.COUNT(PaymentLine.id),
            f.COALESCE(f.SUM(PaymentLine.base), 0),
            f.COALESCE(f.SUM(PaymentLine.taper), 0),
            f.COALESCE(f.SUM(PaymentLine.incentives), 0),
            f.COALESCE(f.SUM(PaymentLine.adjustments), 0),
            f.COALESCE(f.SUM(PaymentLine.net), 0),
        )
        .where(PaymentLine.run == run_id)
        .tuples()
        .first()
    )
    count, *sums = row
    return RunTotals(count, *(from_cents(int(s)) for s in sums))


def _queue_calculation(run: PaymentRun, actor: Actor, reason: str) -> PaymentRun:
    """Inside a transaction: move to CALCULATING, snapshot settings, drop old lines."""
    before = run.state
    run = move(
        PaymentRun,
        run,
        "CALCULATING",
        CALCULABLE,
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
    record_event(run.id, before, "CALCULATING", actor, reason)
    return run


def _release_lines(run_id: int) -> None:
    """Delete a run's unapproved lines and free the awards and adjustments they claimed."""
    line_ids = PaymentLine.select(PaymentLine.id).where(PaymentLine.run == run_id)
    IncentiveAward.update(paid_line_id=None).where(
        IncentiveAward.paid_line_id.in_(line_ids)
    ).execute()
    Adjustment.update(paid_line_id=None).where(Adjustment.paid_line_id.in_(line_ids)).execute()
    PaymentLine.delete().where(PaymentLine.run == run_id).execute()


def create_run(actor: Actor | None, period: str, *, run_tasks: bool = True) -> PaymentRun:
    """FINANCE opens the run for a month and starts its calculation."""
    actor = require_role(actor, Role.FINANCE)
    period = check_month(period)
    try:
        with db.atomic():
            run = PaymentRun.create(period=period, created_by=actor.user_id)
            record_event(run.id, None, "DRAFT", actor)
            run = _queue_calculation(run, actor, "created")
    except pw.IntegrityError:
        raise DomainError(
            "RUN_EXISTS", f"a payment run for {period} exists; cancel it first", "period"
        ) from None
    return _start(run, "CALCULATE", run_tasks)


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
        run = move(PaymentRun, run, "CANCELLED", CALCULABLE, generation=PaymentRun.generation + 1)
        _release_lines(run.id)
        record_event(run.id, before, "CANCELLED", actor, reason)
    return run


def _locked(run_id: int) -> PaymentRun:
    run = for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
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


def approve_run(actor: Actor | None, run_id: int, version: int | None = None) -> PaymentRun:
    """A FINANCE user other than the creator approves; control totals are frozen."""
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    if run.created_by == actor.user_id:
        raise PermissionDenied("the run's creator cannot approve it", "runId")
    if version is not None and version != run.version:
        raise Conflict("CONFLICT", "the run changed since you read it; reload", "runId")
    if run.state == "CALCULATED" and run.job_status != "DONE":
        raise Conflict("INVALID_TRANSITION", "the calculation has not finished", "runId")
    with db.atomic():
        run = move(
            PaymentRun,
            run,
            "APPROVED",
            ("CALCULATED",),
            approved_by=actor.user_id,
            approved_at=utcnow(),
        )
        payable = list(
            PaymentLine.select()
            .where((PaymentLine.run == run.id) & (PaymentLine.status == "PENDING"))
            .order_by(PaymentLine.id)
        )
        by_method: dict[str, dict] = {}
        for line in payable:
            entry = by_method.setdefault(line.method, {"count": 0, "total": ZERO})
            entry["count"] += 1
            entry["total"] += line.net
        PaymentRun.update(
            control_count=len(payable),
            control_total=sum((line.net for line in payable), ZERO),
            control_hash=control_hash(payable),
            control_by_method={
                m: {"count": v["count"], "total": str(v["total"])} for m, v in by_method.items()
            },
        ).where(PaymentRun.id == run.id).execute()
        post_approval(run.id, [(line.participant_id, line.net) for line in payable], actor.user_id)
        record_event(run.id, "CALCULATED", "APPROVED", actor)
    return PaymentRun.get_by_id(run.id)


def disburse_run(
    actor: Actor | None, run_id: int, file_format: str, *, run_tasks: bool = True
) -> PaymentRun:
    """Start (or restart) writing the payment files of an approved run."""
    actor = require_role(actor, Role.FINANCE)
    if file_format not in FORMATS:
        raise DomainError("INVALID_FORMAT", "SEPA or CSV", "format")
    run = get_run(actor, run_id)
    if file_format == "SEPA" and (run.settings or {}).get("currency", "EUR") != "EUR":
        raise DomainError("UNSUPPORTED_CURRENCY", "SEPA files are for EUR only", "format")
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
            run = move(PaymentRun, run, "DISBURSING", ("APPROVED",), **job)
            record_event(run.id, "APPROVED", "DISBURSING", actor, file_format)
        elif run.state in DISBURSABLE and (
            run.job_status in ("FAILED", "DONE") or run.job_kind != "DISBURSE"
        ):
            run = move(PaymentRun, run, run.state, (run.state,), **job)
            audit.record(actor, "payment_run_export", "PaymentRun", run.id)
        else:
            raise Conflict(
                "INVALID_TRANSITION", f"a run in {run.state} cannot be disbursed now", "runId"
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
    """A failed line gets a new attempt (never a new line); the export job sends it."""
    actor = require_role(actor, Role.FINANCE)
    line = PaymentLine.get_or_none(PaymentLine.id == line_id)
    if line is None:
        raise NotFound("payment line", "lineId")
    participant = get_participant(actor, line.participant_id)
    if participant.status == "EXITED":
        if not override:
            raise DomainError(
                "OVERRIDE_REQUIRED", "she has exited: retrying needs an override", "override"
            )
        reason = _reason(reason)
    with write_transaction():
        run = _locked(line.run_id)
        line = PaymentLine.get_by_id(line.id)
        if run.state not in DISBURSABLE:
            raise Conflict("INVALID_TRANSITION", "the run is not disbursing", "lineId")
        if line.status != "FAILED":
            raise Conflict(
                "INVALID_TRANSITION", f"a {line.status} line cannot be retried", "lineId"
            )
        attempts = list(line.attempts.order_by(PaymentAttempt.number))
        if any(a.status in ("CREATED", "EXPORTED") for a in attempts):
            raise Conflict("OUTCOME_UNKNOWN", "an attempt's outcome is still unknown", "lineId")
        number = (attempts[-1].number if attempts else 0) + 1
        attempt = PaymentAttempt.create(
            line=line.id,
            number=number,
            reference=attempt_reference(run.id, line.id, number),
            amount=line.net,
            created_by=actor.user_id,
            override_reason=reason if override else None,
        )
        updated = (
            PaymentLine.update(status="PENDING", failure_reason=None)
            .where((PaymentLine.id == line.id) & (PaymentLine.status == "FAILED"))
            .execute()
        )
        if updated != 1:
            raise Conflict("CONFLICT", "the line changed; reload", "lineId")
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
        run = move(PaymentRun, run, run.state, (run.state,), **job)
    _start(run, "DISBURSE", run_tasks)
    return attempt


def attempt_reference(run_id: int, line_id: int, number: int) -> str:
    """The EndToEndId: R<run>-L<line>-A<n>, at most 35 characters of [A-Za-z0-9-]."""
    return f"R{run_id}-L{line_id}-A{number}"
