"""A payment run's lifecycle: its states, the moves between them, and the only code that
writes `PaymentRun.state`.

    DRAFT → CALCULATING → CALCULATED → APPROVED → DISBURSING → COMPLETED(_WITH_FAILURES)

Before approval a run may be recalculated (back to CALCULATING) or CANCELLED; a failed
calculation returns to DRAFT; an approved run nothing was written for may be CANCELLED
(its approval postings reversed); an export that failed before any file was written
returns the run to APPROVED; COMPLETED_WITH_FAILURES becomes COMPLETED once every retried
line is paid. A follow-up run (held and failed lines of a main run) starts CALCULATED.
Every move is conditional on the state and version that were read (someone else's move
first is a Conflict, or `False` from `advance_if`, never an overwrite) and
leaves a RunEvent and an audit entry.

`settled` is the one "run completed → its statements" hook. The front ends that can
complete a run (the disbursement task, the result import mutation and CLI) call it after
their transaction commits; services never do, so service tests start no background work.
"""

from __future__ import annotations

import peewee as pw

from econ import dispatch
from econ.db import PreparedQuery
from econ.security import audit
from econ.security.roles import Actor
from econ.stipends.models import PaymentRun, RunEvent
from econ.stipends.transitions import move

MOVES: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"CALCULATING", "CANCELLED"}),
    "CALCULATING": frozenset({"CALCULATING", "CALCULATED", "DRAFT", "CANCELLED"}),
    "CALCULATED": frozenset({"CALCULATING", "APPROVED", "CANCELLED"}),
    "APPROVED": frozenset({"DISBURSING", "CANCELLED"}),
    "DISBURSING": frozenset({"COMPLETED", "COMPLETED_WITH_FAILURES", "APPROVED"}),
    "COMPLETED_WITH_FAILURES": frozenset({"COMPLETED"}),
}
CALCULABLE = ("DRAFT", "CALCULATING", "CALCULATED")
DISBURSABLE = ("DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES")
COMPLETED = ("COMPLETED", "COMPLETED_WITH_FAILURES")
STATEMENTS_TASK = "statements.generate_run_statements"
LINE_STATEMENTS_TASK = "statements.regenerate_line_statements"


def _from_states(to_state: str) -> tuple[str, ...]:
    return tuple(state for state, targets in MOVES.items() if to_state in targets)


def record_event(
    run_id: int, from_state: str | None, to_state: str, actor: Actor | None, reason: str = ""
) -> None:
    RunEvent.create(
        run=run_id,
        from_state=from_state,
        to_state=to_state,
        reason=reason[:500],
        by_user=actor.user_id if actor else None,
    )
    audit.record(actor, f"payment_run_{to_state.lower()}", "PaymentRun", run_id)


def created(run: PaymentRun, actor: Actor) -> None:
    """A new run starts in DRAFT (the column's default); this records its first event."""
    record_event(run.id, None, "DRAFT", actor)


def create_followup(main: PaymentRun, actor: Actor, **fields) -> PaymentRun:
    """A follow-up run of `main` starts CALCULATED: its lines are taken, already
    calculated, in the same transaction (`followups.create_followup_run`)."""
    run = PaymentRun.create(
        period=main.period,
        kind="FOLLOW_UP",
        parent_id=main.id,
        state="CALCULATED",
        settings=main.settings,
        created_by=actor.user_id,
        **fields,
    )
    record_event(run.id, None, "CALCULATED", actor, f"follow-up of run {main.id}")
    return run


def transition(
    run: PaymentRun,
    to_state: str,
    actor: Actor | None,
    reason: str = "",
    *,
    allowed_from: tuple[str, ...] | None = None,
    **changes,
) -> PaymentRun:
    """Move `run` to `to_state` (Conflict if it is not allowed or someone moved it first);
    returns the run re-read. `allowed_from` narrows the lifecycle's own table."""
    before = run.state
    run = move(PaymentRun, run, to_state, allowed_from or _from_states(to_state), **changes)
    record_event(run.id, before, to_state, actor, reason)
    return run


REJECTED = "REJECTED"  # an event, not a state: the run stays CALCULATED


def rejected(run: PaymentRun, actor: Actor, comment: str) -> PaymentRun:
    """A second FINANCE user sent the calculated run back with a comment: the run keeps
    its state, its version moves on (an approval of the version she read conflicts), and
    only a recalculation (or a cancel) follows (`last_rejection`)."""
    moved = move(PaymentRun, run, run.state, ("CALCULATED",))
    record_event(run.id, run.state, REJECTED, actor, comment)
    return moved


def last_rejection(run: PaymentRun) -> RunEvent | None:
    """The rejection of the run's current calculation, if any (none after a recalculation)."""
    latest = _LAST_DECISIVE.first(run.id)
    return latest if latest is not None and latest.to_state == REJECTED else None


# The run page asks on every view (can she approve?): built once (econ.db.PreparedQuery).
_LAST_DECISIVE = PreparedQuery(
    lambda run_id: (
        RunEvent.select()
        .where((RunEvent.run == run_id) & (RunEvent.to_state.in_((REJECTED, "CALCULATING"))))
        .order_by(RunEvent.id.desc())
        .limit(1)
    )
)


def restart_job(run: PaymentRun, actor: Actor | None = None, reason: str = "", **job) -> PaymentRun:
    """Same state, new background job: bumps the version so a concurrent move conflicts.
    With a reason, the restart is an event of its own (a person restarted the export)."""
    restarted = move(PaymentRun, run, run.state, (run.state,), **job)
    if reason:
        record_event(run.id, run.state, run.state, actor, reason)
    return restarted


def advance_if(
    run: PaymentRun,
    to_state: str,
    actor: Actor | None,
    reason: str = "",
    *,
    where: pw.Expression | None = None,
    **changes,
) -> bool:
    """For background work: the move if `run` is still as read (and `where` holds), else
    nothing and False (a newer generation or a person got there first)."""
    if to_state not in MOVES.get(run.state, frozenset()):
        return False
    condition = (
        (PaymentRun.id == run.id)
        & (PaymentRun.state == run.state)
        & (PaymentRun.version == run.version)
    )
    if where is not None:
        condition &= where
    updated = (
        PaymentRun.update(state=to_state, version=PaymentRun.version + 1, **changes)
        .where(condition)
        .execute()
    )
    if updated:
        record_event(run.id, run.state, to_state, actor, reason)
    return bool(updated)


def state_of(run_id: int) -> str | None:
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    return run.state if run else None


def settled(run_id: int, before: str | None, after: str | None) -> str | None:
    """After commit: a run that has just become completed gets its statements (sent by
    task name, so stipends does not import the statements domain). Returns the task id."""
    if after in COMPLETED and after != before:
        return dispatch.enqueue(STATEMENTS_TASK, run_id)
    return None


def lines_changed(line_ids: tuple[int, ...] | list[int]) -> str | None:
    """After commit: lines whose status changed after their statement was written (a late
    return, a retry paid) get a new version of it, so she never keeps reading an old
    status. Sent by task name, like `settled`."""
    if line_ids:
        return dispatch.enqueue(LINE_STATEMENTS_TASK, list(line_ids))
    return None
