"""Import the bank's result file: lines PAID or FAILED, every odd row an exception.

The pure planner (`files.results.classify_results`) decides; this module applies the
plan in one transaction under the run lock, with conditional updates, so importing the
same file twice (or two imports at once) changes nothing the second time. Exceptions
are stored keyed by reference, kind and row content, so a re-import lists none twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from econ.db import for_update, utcnow, write_transaction
from econ.errors import CommonCode, Conflict
from econ.money import ZERO, to_cents
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import installation_id
from econ.stipends import lifecycle
from econ.stipends.files.bank_files import parse_bank_file
from econ.stipends.files.ids import message_id
from econ.stipends.files.iso_xml import Unmatched
from econ.stipends.files.results import (
    Action,
    AttemptState,
    Decision,
    ExpectedAttempt,
    classify_results,
)
from econ.stipends.lifecycle import DISBURSABLE
from econ.stipends.loan_lines import handler
from econ.stipends.models import (
    LOAN,
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
    ReconciliationException,
    ResultImport,
)
from econ.stipends.postings import post_attempt
from econ.stipends.runs import get_run
from econ.stipends.scope import lines_paid_by

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
    changed_lines: tuple[int, ...] = ()  # lines whose status the import changed


def import_results(actor: Actor | None, run_id: int, data: bytes | str) -> ImportSummary:
    """The CSV result file, a pain.002.001.03 status report or a camt.054.001.02
    notification (each validated against its schema); re-importing changes nothing, and a
    row naming none of this run's payments is listed as an exception."""
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    raw = data.encode() if isinstance(data, str) else data
    with write_transaction():
        run = for_update(PaymentRun.select().where(PaymentRun.id == run.id)).first()
        if run.state not in DISBURSABLE:
            raise Conflict(CommonCode.INVALID_TRANSITION, "the run has not been disbursed", "runId")
        attempts = _attempts_of(run)
        report = parse_bank_file(data, _batches(run.id))
        rows = list(report.rows)
        source = _SOURCES.get(report.message_type, "CSV")
        expected = {
            ref: ExpectedAttempt(ref, a.amount, _STATE[a.status]) for ref, a in attempts.items()
        }
        plan = classify_results(rows, expected)
        counts = {Action.MARK_PAID: 0, Action.MARK_FAILED: 0, Action.RETURN_AFTER_PAID: 0}
        lines_changed: list[int] = []
        for decision in plan.changes:
            attempt = attempts[decision.row.reference]
            if _apply(decision, attempt, actor):
                counts[decision.action] += 1
                lines_changed.append(attempt.line_id)
        new_exceptions = sum(
            _store_exception(run.id, d, attempts.get(d.row.reference), source)
            for d in plan.exceptions
        )
        new_exceptions += sum(_store_unmatched(run.id, u, source) for u in report.unmatched)
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
    return _summary(len(rows), counts, len(plan.exceptions), new_exceptions, state, lines_changed)


def preview_results(actor: Actor | None, run_id: int, data: bytes | str) -> ImportSummary:
    """What importing the file would do, changing nothing (the summary before applying):
    the same reading and the same pure plan as `import_results`, no write, no audit of
    a change. `exceptions` counts the rows that would be listed (some may be listed
    already from an earlier import of the same rows)."""
    actor = require_role(actor, Role.FINANCE)
    run = get_run(actor, run_id)
    if run.state not in DISBURSABLE:
        raise Conflict(CommonCode.INVALID_TRANSITION, "the run has not been disbursed", "runId")
    attempts = _attempts_of(run)
    report = parse_bank_file(data, _batches(run.id))
    rows = list(report.rows)
    expected = {
        ref: ExpectedAttempt(ref, a.amount, _STATE[a.status]) for ref, a in attempts.items()
    }
    plan = classify_results(rows, expected)
    counts = {Action.MARK_PAID: 0, Action.MARK_FAILED: 0, Action.RETURN_AFTER_PAID: 0}
    for decision in plan.changes:
        counts[decision.action] += 1
    exceptions = len(plan.exceptions) + len(report.unmatched)
    return _summary(len(rows), counts, len(plan.exceptions), exceptions, run.state)


def _summary(
    rows: int, counts: dict, planned_exceptions: int, exceptions: int, state: str, lines=()
) -> ImportSummary:
    changed = sum(counts.values())
    return ImportSummary(
        rows=rows,
        paid=counts[Action.MARK_PAID],
        failed=counts[Action.MARK_FAILED],
        returned=counts[Action.RETURN_AFTER_PAID],
        unchanged=rows - changed - planned_exceptions,
        exceptions=exceptions,
        run_state=state,
        changed_lines=tuple(sorted(set(lines))),
    )


def _attempts_of(run: PaymentRun) -> dict[str, PaymentAttempt]:
    """The attempts this run's files carry, by reference (a follow-up's: its parent's)."""
    return {
        a.reference: a
        for a in PaymentAttempt.select(PaymentAttempt, PaymentLine)
        .join(PaymentLine)
        .where(
            (PaymentAttempt.run_id == run.id)
            | (PaymentAttempt.run_id.is_null() & (PaymentLine.run == run.id))
        )
    }


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
    post_attempt(
        event, attempt.reference, attempt.amount, line.participant_id, actor.user_id, line.kind
    )
    if line.kind == LOAN and event == "paid":  # the money reached her: the loan is disbursed
        handler().paid(line.loan_id, attempt.reference, date.today(), actor.user_id)
    elif line.kind == LOAN and event == "returned":
        handler().returned(line.loan_id, attempt.reference, actor.user_id)
    return True


_SOURCES = {"pain.002.001.03": "PAIN002", "camt.054.001.02": "CAMT054", "csv": "CSV"}


def _batches(run_id: int) -> dict[str, list[str]]:
    """Our files of this run by MsgId (= PmtInfId), with the references each carried."""
    found: dict[str, list[str]] = {}
    for file in PaymentFile.select(PaymentFile.id, PaymentFile.method, PaymentFile.batch).where(
        PaymentFile.run == run_id
    ):
        refs = [
            r
            for (r,) in PaymentAttempt.select(PaymentAttempt.reference)
            .where(PaymentAttempt.file == file.id)
            .tuples()
        ]
        found[message_id(installation_id(), run_id, file.method, file.batch)] = refs
    return found


def _store_exception(
    run_id: int, decision: Decision, attempt: PaymentAttempt | None, source: str
) -> int:
    row = decision.row
    cents = "" if row.amount is None else to_cents(row.amount)
    content = f"{row.reference}|{decision.exception}|{row.status}|{cents}|{row.reason}"
    line = attempt.line if attempt is not None else None
    key = hashlib.sha256(content.encode()).hexdigest()
    if _known(run_id, key):
        return 0
    inserted = (
        ReconciliationException.insert(
            run=run_id,
            key=key,
            reference=row.reference[:35],
            kind=str(decision.exception),
            status=str(row.status)[:8],
            amount=row.amount if row.amount is not None else ZERO,
            reason=row.reason[:500],
            detail=decision.detail[:300],
            line_id=line.id if line else None,
            participant_id=line.participant_id if line else None,
            source=source,
        )
        .on_conflict_ignore()
        .execute()
    )
    return 1 if inserted else 0


def _known(run_id: int, key: str) -> bool:
    """Asked first: SQLite reports the previous row id when an insert is ignored."""
    return (
        ReconciliationException.select()
        .where((ReconciliationException.run == run_id) & (ReconciliationException.key == key))
        .exists()
    )


def _store_unmatched(run_id: int, item: Unmatched, source: str) -> int:
    """A batch or message status that names none of our files."""
    content = f"UNMATCHED|{item.identifier}|{item.status}|{item.detail}"
    key = hashlib.sha256(content.encode()).hexdigest()
    if _known(run_id, key):
        return 0
    inserted = (
        ReconciliationException.insert(
            run=run_id,
            key=key,
            reference=item.identifier[:35],
            kind="UNKNOWN_BATCH",
            status=str(item.status)[:8],
            amount=ZERO,
            reason="",
            detail=item.detail[:300],
            source=source,
        )
        .on_conflict_ignore()
        .execute()
    )
    return 1 if inserted else 0


def settle_run(run_id: int, actor: Actor | None = None) -> str:
    """DISBURSING → COMPLETED(_WITH_FAILURES) once no payment is in flight; a later
    return re-opens the line only, never the run. Call inside a transaction."""
    run = PaymentRun.get_by_id(run_id)
    lines = PaymentLine.select().where(lines_paid_by(run))
    in_flight = lines.where(PaymentLine.status.in_(("PENDING", "SENT"))).exists()
    failed = lines.where(PaymentLine.status == "FAILED").exists()
    target = None
    if run.state == "DISBURSING" and not in_flight:
        target = "COMPLETED_WITH_FAILURES" if failed else "COMPLETED"
    elif run.state == "COMPLETED_WITH_FAILURES" and not in_flight and not failed:
        target = "COMPLETED"
    if target is None:
        return run.state
    if lifecycle.advance_if(run, target, actor):
        return target
    return PaymentRun.get_by_id(run_id).state
