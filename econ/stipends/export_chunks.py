"""A run's export as chunk tasks that any number of workers take (issue 21, item 4).

The export's first step (holds, attempts with her payee details, screening: the part
whose cost grows with the lines) is cut like the calculation (chunks.py); the files are
then written by one task from the attempts the chunks prepared, exactly as the
single-task export writes them (disbursement.py), so they are the same bytes.

1. `plan` (under the run's exclusive lock): the run's export job is the *round*, named
   by the task that planned it (`job_task_id`). A job still QUEUED is planned: the
   payable lines in id order cut into ranges of `size`, one `PaymentExportChunk` row
   each, the job RUNNING. Any later planner message (a redelivery, one sent again by an
   operator or after a worker died) finds the job RUNNING and sends the round's chunks
   not done yet again; once the job is DONE or FAILED it plans nothing.
2. `run_chunk` (any worker, any order, at the same time as others): under the run's
   lock held SHARED, if the run's job is still this round's and RUNNING, the chunk's row
   is claimed (PENDING → DONE, a conditional update: a duplicate delivery waits on that
   row, then finds it DONE and writes nothing) and, in the same transaction, its lines
   are held or given their attempt (CREATED, her details sealed on it) and screened; the
   row keeps the attempts it prepared with their screened BIC, and the run's job_done
   grows by its lines. A worker killed mid-chunk leaves nothing; the redelivered message
   does the chunk again. Ranges are disjoint, so no line gets two attempts.
3. `finish` (after each chunk commits): when no chunk of the round is PENDING, under the
   exclusive lock (every chunk in flight has committed), one transaction writes every
   method's file from the attempts the chunks kept that are still CREATED on a line still
   PENDING (a line held meanwhile is in no file), marks them EXPORTED and their lines
   SENT and posts the send entries: sent entries never exist without their file. Two
   chunks finishing together both try; the lock and the job check let one write.

A failed chunk marks the job FAILED (later chunks of the round then do nothing); the run
returns to APPROVED only if no chunk had prepared anything, otherwise it stays
DISBURSING to be restarted, and the restart's chunks take the CREATED attempts left as
a retry's (updated with her details as they are then).
"""

from __future__ import annotations

import uuid

import peewee as pw

from econ.config import get_settings
from econ.db import Ids, utcnow, write_transaction
from econ.errors import DomainError
from econ.grouping import batched
from econ.security import audit
from econ.stipends import lifecycle, run_locks
from econ.stipends.adapters import adapter_for
from econ.stipends.chunks import ALREADY, DONE, PENDING, WAITING, claim, when_all_done
from econ.stipends.disbursement import CHUNK, Kept, pending_lines, prepare_lines, write_file
from econ.stipends.models import (
    METHODS,
    PaymentAttempt,
    PaymentExportChunk,
    PaymentFile,
    PaymentLine,
    PaymentRun,
)
from econ.stipends.payees import account_owners
from econ.stipends.reconciliation import settle_run


def new_round() -> str:
    """A round key for an export planned with no task id (in process: no redelivery)."""
    return f"local-{uuid.uuid4().hex}"


def _exportable(run: PaymentRun | None) -> bool:
    return run is not None and run.state in lifecycle.DISBURSABLE


def current(run: PaymentRun | None, round_: str) -> bool:
    """This round's job is the run's, and running."""
    return _exportable(run) and run.job_task_id == round_ and run.job_status == "RUNNING"


def _of(run_id: int, round_: str) -> pw.Expression:
    return (PaymentExportChunk.run == run_id) & (PaymentExportChunk.round == round_)


def plan(run_id: int, task_id: str, size: int) -> tuple[str, list[int]] | None:
    """(round, the numbers of its chunks not done yet): the run's export job is the round
    (named by the task that planned it first); a job still QUEUED is planned now, for
    `task_id`. None when the run has no export job queued or running."""
    with write_transaction():
        run = run_locks.exclusive(run_id)
        if not _exportable(run):
            return None
        round_ = run.job_task_id or task_id
        if run.job_status == "QUEUED" and not _rows(run_id, round_).exists():
            _cut(run, round_, size)
        elif not current(run, round_):
            return None
        pending = _rows(run_id, round_).where(PaymentExportChunk.state == PENDING)
        return round_, [c.number for c in pending.order_by(PaymentExportChunk.number)]


def _rows(run_id: int, round_: str) -> pw.ModelSelect:
    return PaymentExportChunk.select(PaymentExportChunk.number).where(_of(run_id, round_))


def _cut(run: PaymentRun, round_: str, size: int) -> None:
    """The round's chunk rows: the pending lines' ids in ranges of `size` (the last one
    open), and the job RUNNING under the round's name."""
    query = pending_lines(run).select(PaymentLine.id).order_by(PaymentLine.id)
    ids = [i for (i,) in query.tuples()]
    cuts = ids[size - 1 : -1 : size]  # the last id of every full chunk but the final one
    bounds = zip([0, *cuts], [*cuts, None], strict=True)
    rows = [
        {"run": run.id, "round": round_, "number": n, "after_id": a, "last_id": b}
        for n, (a, b) in enumerate(bounds, 1)
    ]
    for batch in batched(rows, 1000):  # under SQLite's 32,766 parameters a statement
        PaymentExportChunk.insert_many(batch).execute()
    PaymentRun.update(
        job_status="RUNNING", job_task_id=round_, job_total=len(ids), job_done=0
    ).where(PaymentRun.id == run.id).execute()


def run_chunk(run_id: int, round_: str, number: int) -> str:
    """Prepare chunk `number`'s lines: "done", ALREADY (nothing written) or "stale"."""
    # Her payee details are read (and audited) first: the trail's head is locked only at
    # the end, or the chunks of the run would commit one after another (audit.py).
    with write_transaction(), audit.appended_last():
        run_locks.shared(run_id)
        run = PaymentRun.get_or_none(PaymentRun.id == run_id)
        if not current(run, round_):
            return "stale"
        number_of = PaymentExportChunk.number == number
        chunk = claim(PaymentExportChunk, _of(run_id, round_) & number_of)
        if chunk is None:
            return ALREADY
        settings = run.settings or {}
        adapters = {m: adapter_for(m, run.transfer_format, settings) for m in METHODS}
        kept = {m: Kept() for m in METHODS}
        owners = _owners(run_id, round_)
        taken, after = 0, chunk.after_id
        while lines := _lines(run, after, chunk.last_id):
            after = lines[-1].id
            taken += len(lines)
            prepare_lines(run, lines, adapters, owners, kept)
        PaymentExportChunk.update(
            lines=taken,
            kept={m: k.attempts() for m, k in kept.items() if k},
            done_at=utcnow(),
        ).where(PaymentExportChunk.id == chunk.id).execute()
        PaymentRun.update(job_done=PaymentRun.job_done + taken).where(
            PaymentRun.id == run_id
        ).execute()
    return "done"


# The shared IBANs, read once per round in each worker process: reading them decrypts
# every participant's account (20,000 decryptions for a 20,000-line run), which per chunk
# cost more than the chunk itself. The single task reads them once per export too, at
# its start; a round's value is read no earlier than its first chunk here.
_OWNERS: dict[tuple[int, str], dict[str, set[int]]] = {}


def _owners(run_id: int, round_: str) -> dict[str, set[int]]:
    key = (run_id, round_)
    if key not in _OWNERS:
        _OWNERS.clear()  # one round's at a time
        _OWNERS[key] = account_owners()
    return _OWNERS[key]


def _lines(run: PaymentRun, after: int, last: int | None) -> list[PaymentLine]:
    query = pending_lines(run).where(PaymentLine.id > after)
    if last is not None:
        query = query.where(PaymentLine.id <= last)
    return list(query.order_by(PaymentLine.id).limit(CHUNK))


def finish(run_id: int, round_: str) -> str:
    """The files once every chunk is done: "done", WAITING (chunks left) or "stale"."""

    def files(run: PaymentRun) -> None:
        chunks = list(
            PaymentExportChunk.select(PaymentExportChunk.kept)
            .where(_of(run_id, round_))
            .order_by(PaymentExportChunk.number)
        )
        for method in METHODS:
            adapter = adapter_for(method, run.transfer_format, run.settings or {})
            prepared = [pair for c in chunks for pair in (c.kept or {}).get(method, [])]
            write_file(run, method, adapter, _kept(prepared))
        PaymentRun.update(job_status="DONE", job_error=None, job_done=PaymentRun.job_total).where(
            PaymentRun.id == run_id
        ).execute()

    pending = PaymentExportChunk.select().where(
        _of(run_id, round_) & (PaymentExportChunk.state == PENDING)
    )
    outcome = when_all_done(pending, run_id, lambda run: current(run, round_), files)
    if outcome == "done":
        with write_transaction():
            settle_run(run_id)
    return outcome


def _kept(prepared: list[list]) -> Kept:
    """The chunks' attempts (in their order) that can still be written: CREATED, in no
    file, on a PENDING line. Each attempt once, whatever the rows say."""
    kept, seen = Kept(), set()
    for batch in batched(prepared, CHUNK):
        bics = {aid: bic for aid, bic in batch}
        # Rows as tuples, and of a line only what Kept.add reads: this runs in the one
        # task no second worker shares, for every line of the run (docs/performance.md §5).
        attempts = {
            aid: (line_id, reference, amount)
            for aid, line_id, reference, amount in PaymentAttempt.select(
                PaymentAttempt.id,
                PaymentAttempt.line,
                PaymentAttempt.reference,
                PaymentAttempt.amount,
            )
            .where(
                PaymentAttempt.id.in_(Ids(bics))
                & (PaymentAttempt.status == "CREATED")
                & PaymentAttempt.file.is_null()
            )
            .tuples()
        }
        narrow = PaymentLine.select(
            PaymentLine.id,
            PaymentLine.participant.alias("participant_id"),
            PaymentLine.kind,
            PaymentLine.loan_id,
            PaymentLine.period,
        )
        line_ids = Ids(line_id for line_id, _, _ in attempts.values())
        pending = narrow.where(PaymentLine.id.in_(line_ids) & (PaymentLine.status == "PENDING"))
        lines = {line.id: line for line in pending.namedtuples()}
        for aid, bic in batch:
            attempt = attempts.get(aid)
            if attempt is None or aid in seen or attempt[0] not in lines:
                continue
            seen.add(aid)
            line_id, reference, amount = attempt
            kept.add(reference, aid, lines[line_id], amount, bic)
    return kept


def fail(run_id: int, round_: str, exc: Exception) -> None:
    """The job FAILED with the error (under the exclusive lock: the chunks in flight
    commit first, and later ones find the job no longer running); back to APPROVED only
    when nothing was prepared or written."""
    message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
    with write_transaction():
        run = run_locks.exclusive(run_id)
        live = _exportable(run) and run.job_status in ("QUEUED", "RUNNING")
        if not (live and run.job_task_id in (None, round_)):
            return  # another round's job, or over
        fields = {"job_status": "FAILED", "job_error": message[:500]}
        prepared = PaymentExportChunk.select().where(
            _of(run_id, round_) & (PaymentExportChunk.state == DONE)
        )
        written = PaymentFile.select().where(PaymentFile.run == run_id)
        nothing = not prepared.exists() and not written.exists()
        reason = f"disbursement failed: {message}"
        if nothing and lifecycle.advance_if(run, "APPROVED", None, reason, **fields):
            return
        PaymentRun.update(**fields).where(PaymentRun.id == run_id).execute()


def export_run(run_id: int, task_id: str | None = None, size: int | None = None) -> str:
    """Every chunk in order in this process, then the files: "done", "stale" or "failed"
    (the tests and the bench compare it with disbursement.export_run)."""
    round_ = task_id or new_round()
    try:
        planned = plan(run_id, round_, size or get_settings().payment_chunk_size)
        if planned is None:
            return "stale"
        round_, pending = planned
        for number in pending:
            if run_chunk(run_id, round_, number) == "stale":
                return "stale"
        outcome = finish(run_id, round_)
    except Exception as exc:
        fail(run_id, round_, exc)
        return "failed"
    return "done" if outcome == WAITING else outcome


def plan_export(run_id: int, task_id: str) -> tuple[str, list[int]] | None:
    """The round and the chunks to send to the workers (None: stale or failed)."""
    try:
        return plan(run_id, task_id, get_settings().payment_chunk_size)
    except Exception as exc:
        fail(run_id, task_id, exc)
        return None


def export_chunk(run_id: int, round_: str, number: int) -> str:
    """One chunk task: its lines, then the files if it was the last to commit."""
    try:
        if run_chunk(run_id, round_, number) == "stale":
            return "stale"
    except Exception as exc:
        fail(run_id, round_, exc)
        return "failed"
    return finish_export(run_id, round_)


def finish_export(run_id: int, round_: str) -> str:
    """The files once every chunk is done. Also what a planning task does when it finds
    every chunk done but no files: the worker of the last chunk died between committing
    it and writing them, and no chunk is left to write them."""
    try:
        return finish(run_id, round_)
    except Exception as exc:
        fail(run_id, round_, exc)
        return "failed"
