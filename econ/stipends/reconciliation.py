"""Import the bank's result file: lines PAID or FAILED, every odd row an exception.

The pure planner (`files.results.classify_results`) decides; this module applies the
plan in one transaction under the run lock, with conditional updates, so importing the
same file twice (or two imports at once) changes nothing the second time. Exceptions
are stored keyed by reference, kind and row content, so a re-import lists none twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from econ.db import for_update, utcnow, write_transaction
from econ.errors import Conflict
from econ.money import to_cents
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends.files.results import (
    Action,
    AttemptState,
    Decision,
    ExpectedAttempt,
    classify_results,
    parse_result_file,
)
from econ.stipends.models import (
    PaymentAttempt,
    PaymentLine,
    PaymentRun,
    ReconciliationException,
    ResultImport,
)
from econ.stipends.postings import post_attempt
from econ.stipends.runs import DISBURSABLE, get_run, record_event

_STATE = {
    "CREATED": AttemptState.PENDING,
    "EXPORTED": AttemptState.SENT,
    "PAID": AttemptState.PAID,
    "FAILED": AttemptState.FAILED,
}


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    paid: int
    failed: int
    returned: int
    unchanged: int
    exceptions: int
    run_state: str


def import_results(actor: Actor | None, run_id: int, data: bytes | str) -> ImportSummary:
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    rows = parse_result_file(data)
    raw = data.encode() if isinstance(data, str) else data
    with write_transaction():
        run = for_update(PaymentRun.select().where(PaymentRun.id == run.id)).first()
        if run.state not in DISBURSABLE:
            raise Conflict("INVALID_TRANSITION", "the run has not been disbursed", "runId")
        attempts = {
            a.reference: a
            for a in PaymentAttempt.select(PaymentAttempt, PaymentLine)
            .join(PaymentLine)
            .where(PaymentLine.run == run.id)
        }
        expected = {
            ref: ExpectedAttempt(ref, a.amount, _STATE[a.status]) for ref, a in attempts.items()
        }
        plan = classify_results(rows, expected)
        counts = {Action.MARK_PAID: 0, Action.MARK_FAILED: 0, Action.RETURN_AFTER_PAID: 0}
        for decision in plan.changes:
            if _apply(decision, attempts[decision.row.reference], actor):
                counts[decision.action] += 1
        new_exceptions = sum(_store_exception(run.id, d) for d in plan.exceptions)
        ResultImport.create(
            run=run.id,
            sha256=hashlib.sha256(raw).hexdigest(),
            rows=len(rows),
            changes=sum(counts.values()),
            exceptions=len(plan.exceptions),
            created_by=actor.user_id,
        )
        state = settle_run(run.id, actor)
        audit.record(actor, "import_payment_results", "PaymentRun", run.id)
    changed = sum(counts.values())
    return ImportSummary(
        rows=len(rows),
        paid=counts[Action.MARK_PAID],
        failed=counts[Action.MARK_FAILED],
        returned=counts[Action.RETURN_AFTER_PAID],
        unchanged=len(rows) - changed - len(plan.exceptions),
        exceptions=new_exceptions,
        run_state=state,
    )


def _apply(decision: Decision, attempt: PaymentAttempt, actor: Actor) -> bool:
    """One state change, conditional on the state the plan was made from."""
    reason = decision.row.reason or None
    if decision.action == Action.MARK_PAID:
        moves = ("EXPORTED", "PAID", "SENT", "PAID", "paid")
    elif decision.action == Action.MARK_FAILED:
        moves = ("EXPORTED", "FAILED", "SENT", "FAILED", "failed")
    else:
        reason = reason or "RETURNED"
        moves = ("PAID", "FAILED", "PAID", "FAILED", "returned")
    attempt_from, attempt_to, line_from, line_to, event = moves
    updated = (
        PaymentAttempt.update(status=attempt_to, reason=reason, resolved_at=utcnow())
        .where((PaymentAttempt.id == attempt.id) & (PaymentAttempt.status == attempt_from))
        .execute()
    )
    if not updated:
        return False
    PaymentLine.update(
        status=line_to, failure_reason=reason if line_to == "FAILED" else None
    ).where((PaymentLine.id == attempt.line_id) & (PaymentLine.status == line_from)).execute()
    line = PaymentLine.get_by_id(attempt.line_id)
    post_attempt(event, attempt.reference, attempt.amount, line.participant_id, actor.user_id)
    return True


def _store_exception(run_id: int, decision: Decision) -> int:
    row = decision.row
    content = (
        f"{row.reference}|{decision.exception}|{row.status}|{to_cents(row.amount)}|{row.reason}"
    )
    inserted = (
        ReconciliationException.insert(
            run=run_id,
            key=hashlib.sha256(content.encode()).hexdigest(),
            reference=row.reference,
            kind=str(decision.exception),
            status=str(row.status),
            amount=row.amount,
            reason=row.reason[:500],
            detail=decision.detail[:300],
        )
        .on_conflict_ignore()
        .execute()
    )
    return 1 if inserted else 0


def settle_run(run_id: int, actor: Actor | None = None) -> str:
    """DISBURSING → COMPLETED(_WITH_FAILURES) once no payment is in flight; a later
    return re-opens the line only, never the run. Call inside a transaction."""
    run = PaymentRun.get_by_id(run_id)
    lines = PaymentLine.select().where(PaymentLine.run == run_id)
    in_flight = lines.where(PaymentLine.status.in_(("PENDING", "SENT"))).exists()
    failed = lines.where(PaymentLine.status == "FAILED").exists()
    target = None
    if run.state == "DISBURSING" and not in_flight:
        target = "COMPLETED_WITH_FAILURES" if failed else "COMPLETED"
    elif run.state == "COMPLETED_WITH_FAILURES" and not in_flight and not failed:
        target = "COMPLETED"
    if target is None:
        return run.state
    updated = (
        PaymentRun.update(state=target, version=PaymentRun.version + 1)
        .where(
            (PaymentRun.id == run_id)
            & (PaymentRun.state == run.state)
            & (PaymentRun.version == run.version)
        )
        .execute()
    )
    if updated:
        record_event(run_id, run.state, target, actor)
        return target
    return PaymentRun.get_by_id(run_id).state
