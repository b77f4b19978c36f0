"""Disbursement: attempts for payable lines, one payment file per method and batch.

Each method is exported in one transaction that holds the run lock, streamed in chunks
of CHUNK lines so that a run of 100,000 lines never holds its lines, payees or file tree
in memory (docs/performance.md):

1. the lines in id order (keyset): hold those that cannot be paid now, create the
   missing attempts with her payee details as they are now (one insert per chunk), and
   screen each against the file's rules (a line the file cannot carry is held, the rest
   goes out). What is kept is about 100 bytes per attempt, and the file's count and sum.
2. the file row, then the file, from the attempts' own sealed payee details in reference
   order, written element by element into a `ChunkedFileWriter` (stored in sealed chunks
   and hashed as it is written: file_store.py); the header states the count and sum of
   step 1.
3. the attempts EXPORTED, the lines SENT and the send entries posted, chunk by chunk.

A worker killed before the commit leaves nothing; a re-run after it finds no CREATED
attempt and writes nothing. So no attempt, file or journal entry is ever made twice.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from decimal import Decimal

import peewee as pw

from econ.db import Ids, db, for_update, utcnow, write_transaction
from econ.errors import DomainError
from econ.grouping import batched
from econ.inserts import insert_rows
from econ.money import from_cents, to_cents
from econ.security.crypto import decrypt, encrypt
from econ.stipends import lifecycle
from econ.stipends.adapters import Batch, Payee, PaymentAdapter, adapter_for
from econ.stipends.file_store import ChunkedFileWriter
from econ.stipends.files.screening import RejectedLine
from econ.stipends.loan_lines import LOAN_NOT_AWAITING, not_awaiting, remittance
from econ.stipends.models import (
    LOAN,
    METHODS,
    STIPEND,
    PaymentAttempt,
    PaymentFile,
    PaymentLine,
    PaymentRun,
)
from econ.stipends.payees import DETAIL, CurrentPayee, PayeeCheck, account_owners
from econ.stipends.postings import post_attempts
from econ.stipends.reconciliation import settle_run
from econ.stipends.runs import attempt_reference
from econ.stipends.scope import lines_paid_by

# Lines read, checked and given attempts at a time; the file is read back in chunks too.
CHUNK = 500


def pending_lines(run: PaymentRun) -> pw.ModelSelect:
    """The lines an export of `run` writes (every method): the one place that says so."""
    return PaymentLine.select().where(lines_paid_by(run) & (PaymentLine.status == "PENDING"))


def export_run(run_id: int, task_id: str | None = None) -> str:
    """Write every payable line of the run to files; returns "done", "stale" or "failed".

    A line that cannot be paid now (her details, a name no file can carry) is HELD with
    the reason and the rest goes out. An unexpected error rolls its transaction back;
    with no file written the run returns to APPROVED (to disburse again, or cancel), the
    error listed on its job and in its events."""
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    if run is None or run.state not in ("DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES"):
        return "stale"
    total = pending_lines(run).count()
    _job(run_id, job_status="RUNNING", job_task_id=task_id, job_total=total, job_done=0)
    try:
        done = 0
        owners = account_owners()  # the shared IBANs, read once per export
        for method in METHODS:
            done += _export_method(run_id, method, owners)
            _job(run_id, job_done=done)
    except Exception as exc:
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        _failed(run_id, message[:500])
        return "failed"
    _job(run_id, job_status="DONE", job_error=None)
    with write_transaction():
        settle_run(run_id)
    return "done"


def _failed(run_id: int, message: str) -> None:
    """The job failed: back to APPROVED when nothing was written, so that nobody waits
    on a run stuck in DISBURSING."""
    with write_transaction():
        run = for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
        written = PaymentFile.select().where(PaymentFile.run == run_id).exists()
        fields = {"job_status": "FAILED", "job_error": message}
        reason = f"disbursement failed: {message}"
        if not written and lifecycle.advance_if(run, "APPROVED", None, reason, **fields):
            return
        _job(run_id, **fields)


def _job(run_id: int, **fields) -> None:
    PaymentRun.update(**fields).where(PaymentRun.id == run_id).execute()


def attempt_context(field: str, reference: str) -> str:
    return f"payment_attempt.{field}.{reference}"


def _hold(line: PaymentLine, attempt_id: int | None, reason: str, detail: str) -> None:
    """Hold a line that cannot be paid now; an attempt made for it never left."""
    if attempt_id is not None:
        PaymentAttempt.update(
            status="FAILED", reason=f"not written: {reason}"[:500], resolved_at=utcnow()
        ).where((PaymentAttempt.id == attempt_id) & (PaymentAttempt.status == "CREATED")).execute()
    PaymentLine.update(status="HELD", exception=reason, failure_reason=detail[:500]).where(
        (PaymentLine.id == line.id) & (PaymentLine.status == "PENDING")
    ).execute()


class Kept:
    """The attempts the file will carry, in line order: what steps 2 and 3 need of each,
    in parallel arrays (about 100 bytes an attempt, against about 400 as a tuple each)."""

    def __init__(self) -> None:
        self.references: list[str] = []
        self.attempt_ids = array("q")
        self.line_ids = array("q")
        self.participant_ids = array("q")
        self.cents = array("q")
        self.periods: list[str] = []  # remittance texts, one string object each (`_period`)
        self.bics: dict[int, str] = {}  # by index, for the few payees with a BIC
        self.loans: set[int] = set()  # by index, the loan disbursements (their own accounts)
        self._period: dict[str, str] = {}

    def add(self, reference: str, attempt_id: int, line: PaymentLine, amount, bic) -> None:
        if bic:
            self.bics[len(self.references)] = bic
        self.references.append(reference)
        self.attempt_ids.append(attempt_id)
        self.line_ids.append(line.id)
        self.participant_ids.append(line.participant_id)
        self.cents.append(to_cents(amount))
        if line.kind == LOAN:
            self.loans.add(len(self.references) - 1)
        text = remittance(line)
        self.periods.append(self._period.setdefault(text, text))

    def __len__(self) -> int:
        return len(self.references)

    def total(self) -> Decimal:
        return from_cents(sum(self.cents))

    def attempts(self) -> list[list]:
        """[[attempt id, screened BIC or None]] in line order: what a chunk hands the
        file writer (export_chunks.py), since no attempt stores the screened BIC."""
        return [[aid, self.bics.get(i)] for i, aid in enumerate(self.attempt_ids)]

    def in_reference_order(self) -> list[int]:
        return sorted(range(len(self)), key=self.references.__getitem__)


def _export_method(run_id: int, method: str, owners: dict[str, set[int]]) -> int:
    """Export the lines paid by `method` now, in one transaction; returns how many."""
    with write_transaction():
        run = for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
        adapter = adapter_for(method, run.transfer_format, run.settings or {})
        kept = _prepare(run, method, adapter, owners)
        write_file(run, method, adapter, kept)
        return len(kept)


def write_file(run: PaymentRun, method: str, adapter: PaymentAdapter, kept: Kept) -> None:
    """Steps 2 and 3 for the attempts `kept` prepared (none: no file), in the caller's
    transaction: the file row, the file, then the attempts EXPORTED and the lines SENT."""
    if not kept:
        return
    number = (
        PaymentFile.select()
        .where((PaymentFile.run == run.id) & (PaymentFile.method == method))
        .count()
        + 1
    )
    settings = run.settings or {}
    batch = Batch(run.id, method, number, len(kept), kept.total(), settings, run.period)
    file = PaymentFile.create(
        run=run.id,
        method=method,
        batch=number,
        format=adapter.file_format,
        filename=f"run-{run.period}-{method.lower()}-{number}.{adapter.extension}",
        sha256="",  # known once the last chunk is written, below
        count=batch.control_count,
        total=batch.control_total,
    )
    sink = ChunkedFileWriter(file.id)
    adapter.write(sink, batch, _payees(kept, kept.in_reference_order()))
    PaymentFile.update(sha256=sink.close()).where(PaymentFile.id == file.id).execute()
    _send(kept, file.id)


def _send(kept: Kept, file_id: int) -> None:
    """Step 3, a chunk at a time: attempts EXPORTED, lines SENT, send entries posted."""
    for chunk in batched(range(len(kept)), CHUNK):
        PaymentAttempt.update(status="EXPORTED", file=file_id).where(
            PaymentAttempt.id.in_(Ids(kept.attempt_ids[i] for i in chunk))
            & (PaymentAttempt.status == "CREATED")
        ).execute()
        PaymentLine.update(status="SENT").where(
            PaymentLine.id.in_(Ids(kept.line_ids[i] for i in chunk))
            & (PaymentLine.status == "PENDING")
        ).execute()
        sends = [
            (
                kept.references[i],
                from_cents(kept.cents[i]),
                kept.participant_ids[i],
                LOAN if i in kept.loans else STIPEND,
            )
            for i in chunk
        ]
        post_attempts("send", sends)


def _prepare(
    run: PaymentRun, method: str, adapter: PaymentAdapter, owners: dict[str, set[int]]
) -> Kept:
    """Step 1, chunk by chunk in line id order: holds, attempts, screening."""
    kept = {method: Kept()}
    after = 0
    while lines := list(
        pending_lines(run).where(PaymentLine.id > after).order_by(PaymentLine.id).limit(CHUNK)
    ):
        after = lines[-1].id
        prepare_lines(run, lines, {method: adapter}, owners, kept)
    return kept[method]


def prepare_lines(
    run: PaymentRun,
    lines: list[PaymentLine],
    adapters: dict[str, PaymentAdapter],
    owners: dict[str, set[int]],
    kept: dict[str, Kept],
) -> None:
    """Step 1 for `lines` (pending, in id order): every line that cannot be paid now is
    held; those paid by a method of `adapters` get their attempt, are screened by its
    adapter, and are added to `kept[method]` (or held); the others are left alone (the
    single-task export writes one method per transaction, export_chunks.py all at once)."""
    check = PayeeCheck.load((line.participant_id for line in lines), owners)
    waiting = _waiting_attempts(lines)
    paid_otherwise = not_awaiting(lines)  # a loan paid out in cash meanwhile
    payable: list[tuple[PaymentLine, CurrentPayee]] = []
    for line in lines:
        payee = check.payees[line.participant_id]
        reason = check.hold(line.participant_id)
        if line.id in paid_otherwise:
            reason = LOAN_NOT_AWAITING
        if reason is not None:
            attempt = waiting.get(line.id)
            _hold(line, attempt.id if attempt else None, reason, DETAIL[reason])
        elif payee.method in adapters:  # else another method's transaction writes it
            payable.append((line, payee))
    attempts = _attempts_for(run, payable, waiting)
    for line, payee in payable:
        attempt_id, reference, amount = attempts[line.id]
        text = remittance(line)
        candidate = Payee(reference, payee.name, payee.account, amount, text, payee.bic)
        screened = adapters[payee.method].screen(candidate)
        if isinstance(screened, RejectedLine):
            detail = f"{screened.reason}: {screened.detail}"
            _hold(line, attempt_id, "NOT_WRITABLE", detail)
            continue
        kept[payee.method].add(reference, attempt_id, line, amount, screened.bic)


def _waiting_attempts(lines: list[PaymentLine]) -> dict[int, PaymentAttempt]:
    """A retry's CREATED attempt, to be written now with her current details."""
    return {
        a.line_id: a
        for a in PaymentAttempt.select().where(
            PaymentAttempt.line.in_([line.id for line in lines])
            & (PaymentAttempt.status == "CREATED")
        )
    }


def _attempts_for(
    run: PaymentRun,
    payable: list[tuple[PaymentLine, CurrentPayee]],
    waiting: dict[int, PaymentAttempt],
) -> dict[int, tuple[int, str, Decimal]]:
    """{line id: (attempt id, reference, amount)}: the attempts to write, carrying her payee
    details as they are now; the new ones inserted in one statement."""
    new = [line.id for line, _ in payable if line.id not in waiting]
    last = dict(
        PaymentAttempt.select(PaymentAttempt.line, pw.fn.MAX(PaymentAttempt.number))
        .where(PaymentAttempt.line.in_(new))
        .group_by(PaymentAttempt.line)
        .tuples()
    )
    references, rows = [], []
    for line, payee in payable:
        attempt = waiting.get(line.id)
        if attempt is None:
            number = (last.get(line.id) or 0) + 1
            reference = attempt_reference(line.run_id, line.id, number)
            rows.append(
                {"line": line.id, "number": number, "reference": reference, "amount": line.net}
                | _payee_columns(run, payee, reference)
            )
        else:
            reference = attempt.reference
            PaymentAttempt.update(**_payee_columns(run, payee, reference)).where(
                PaymentAttempt.id == attempt.id
            ).execute()
        references.append(reference)
    if rows:
        insert_rows(PaymentAttempt, rows)
    changed: dict[str, list[int]] = {}  # her method changed (and was confirmed) since
    for line, payee in payable:
        if line.method != payee.method:
            changed.setdefault(payee.method, []).append(line.id)
    for new_method, line_ids in changed.items():
        PaymentLine.update(method=new_method).where(PaymentLine.id.in_(line_ids)).execute()
    query = PaymentAttempt.select(
        PaymentAttempt.line, PaymentAttempt.id, PaymentAttempt.reference, PaymentAttempt.amount
    ).where(PaymentAttempt.reference.in_(references))
    return {line_id: (aid, ref, amount) for line_id, aid, ref, amount in query.tuples()}


def _payee_columns(run: PaymentRun, payee: CurrentPayee, reference: str) -> dict:
    return {
        "run_id": run.id,
        "method": payee.method,
        "payee_hash": payee.fingerprint,
        "payee_name": encrypt(payee.name, attempt_context("payee_name", reference)),
        "account": encrypt(payee.account, attempt_context("account", reference)),
    }


def _payees(kept: Kept, order: list[int]) -> Iterator[Payee]:
    """Step 2's payees, in `order`, from each attempt's sealed payee details."""
    for chunk in batched(order, CHUNK):
        query = PaymentAttempt.select(
            PaymentAttempt.id, PaymentAttempt.payee_name, PaymentAttempt.account
        ).where(PaymentAttempt.id.in_(Ids(kept.attempt_ids[i] for i in chunk)))
        # The cursor's rows as they are: three plain columns need no model machinery,
        # which cost as much as decrypting them (docs/performance.md §1).
        sealed = {aid: (name, account) for aid, name, account in db.execute_sql(*query.sql())}
        for i in chunk:
            reference = kept.references[i]
            name, account = sealed[kept.attempt_ids[i]]
            yield Payee(
                reference,
                decrypt(name, attempt_context("payee_name", reference)),
                decrypt(account, attempt_context("account", reference)),
                from_cents(kept.cents[i]),
                kept.periods[i],
                kept.bics.get(i),
            )
