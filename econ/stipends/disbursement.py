"""Disbursement: attempts for payable lines, one payment file per method and batch.

Each method is exported in one transaction that holds the run lock: hold the lines that
cannot be paid now, create the missing attempts with her payee details as they are now,
write the file with its checksum (lines the file cannot carry are held, the rest goes
out), mark the attempts EXPORTED and the lines SENT, and post the send entries. A worker
killed before the commit leaves nothing; a re-run after it finds no CREATED attempt and
writes nothing. So no attempt, file or
journal entry is ever made twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

import peewee as pw

from econ.db import for_update, utcnow, write_transaction
from econ.errors import DomainError
from econ.money import ZERO
from econ.security.crypto import encrypt
from econ.settings.services import installation_id
from econ.stipends import lifecycle
from econ.stipends.files.business_days import next_target_business_day
from econ.stipends.files.csv_files import build_card_csv, build_transfer_csv, safe_cell
from econ.stipends.files.ids import message_id
from econ.stipends.files.screening import WrittenFile
from econ.stipends.files.sepa import build_pain001
from econ.stipends.files.types import CardLoad, CashPayment, Payer, Transfer
from econ.stipends.loan_lines import LOAN_NOT_AWAITING, not_awaiting, remittance
from econ.stipends.models import METHODS, PaymentAttempt, PaymentFile, PaymentLine, PaymentRun
from econ.stipends.payees import DETAIL, CurrentPayee, PayeeCheck, account_owners
from econ.stipends.postings import post_attempt
from econ.stipends.reconciliation import settle_run
from econ.stipends.runs import attempt_reference
from econ.stipends.scope import lines_paid_by


@dataclass(frozen=True)
class Payee:
    """An attempt with the line's snapshot decrypted, ready for a file."""

    reference: str
    name: str
    account: str | None
    amount: Decimal
    period: str
    bic: str | None = None
    remittance: str = ""  # the month of a stipend, or that it is a loan disbursement


@dataclass(frozen=True)
class Batch:
    run_id: int
    method: str
    number: int
    payees: tuple[Payee, ...]
    control_count: int
    control_total: Decimal
    settings: dict


class PaymentAdapter(Protocol):
    """Writes one provider file for a batch of attempts."""

    file_format: str
    extension: str

    def build(self, batch: Batch) -> WrittenFile: ...


class SepaAdapter:
    file_format, extension = "SEPA", "xml"

    def build(self, batch: Batch) -> WrittenFile:
        display = batch.settings["program_display_name"]
        payer = Payer(name=display, iban=batch.settings["program_bank_iban"], display_name=display)
        transfers = [
            Transfer(p.reference, p.name, p.account, p.amount, "EUR", p.remittance, p.bic)
            for p in batch.payees
        ]
        return build_pain001(
            message_id(installation_id(), batch.run_id, batch.method, batch.number),
            utcnow(),
            payer,
            transfers,
            next_target_business_day(date.today()),
            batch.control_total,
            batch.control_count,
        )


class TransferCsvAdapter:
    file_format, extension = "CSV", "csv"

    def build(self, batch: Batch) -> WrittenFile:
        return build_transfer_csv(
            Transfer(
                p.reference,
                p.name,
                p.account,
                p.amount,
                batch.settings["currency"],
                p.remittance,
                p.bic,
            )
            for p in batch.payees
        )


class CardCsvAdapter:
    file_format, extension = "CSV", "csv"

    def build(self, batch: Batch) -> WrittenFile:
        return _every_line(
            batch,
            build_card_csv(
                CardLoad(p.account, p.name, p.amount, p.reference, batch.settings["currency"])
                for p in batch.payees
            ),
        )


class CashListAdapter:
    """A printable list: one block per payment with lines to sign on collection."""

    file_format, extension = "CASH_LIST", "txt"

    def build(self, batch: Batch) -> WrittenFile:
        payments = sorted(
            (CashPayment(p.reference, p.name, p.amount) for p in batch.payees),
            key=lambda c: c.reference,
        )
        title = f"{batch.settings['program_display_name']} - cash payments {batch.payees[0].period}"
        out = [title, "=" * len(title), ""]
        for cash in payments:
            out += [
                f"Reference: {cash.reference}",
                f"Name:      {safe_cell(cash.payee_name)}",
                f"Amount:    {cash.amount:.2f} {batch.settings['currency']}",
                "Received (signature): ______________________  Date: ____________",
                "Paid out by (staff):  ______________________",
                "",
            ]
        out.append(f"Payments: {len(payments)}   Total: {batch.control_total:.2f}")
        return _every_line(batch, ("\r\n".join(out) + "\r\n").encode())


def _every_line(batch: Batch, content: bytes) -> WrittenFile:
    """Card and cash files carry every payee (no bank rules to refuse one)."""
    transfers = tuple(
        Transfer(p.reference, p.name or "-", p.account or "", p.amount, "EUR", p.period, None)
        for p in batch.payees
    )
    return WrittenFile(content, transfers, ())


def adapter_for(method: str, transfer_format: str | None) -> PaymentAdapter:
    if method == "BANK_TRANSFER":
        return SepaAdapter() if transfer_format == "SEPA" else TransferCsvAdapter()
    if method == "PREPAID_CARD":
        return CardCsvAdapter()
    return CashListAdapter()


def export_run(run_id: int, task_id: str | None = None) -> str:
    """Write every payable line of the run to files; returns "done", "stale" or "failed".

    A line that cannot be paid now (her details, a name no file can carry) is HELD with
    the reason and the rest goes out. An unexpected error rolls its transaction back;
    with no file written the run returns to APPROVED (to disburse again, or cancel), the
    error listed on its job and in its events."""
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    if run is None or run.state not in ("DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES"):
        return "stale"
    total = PaymentLine.select().where(lines_paid_by(run) & (PaymentLine.status == "PENDING"))
    _job(run_id, job_status="RUNNING", job_task_id=task_id, job_total=total.count(), job_done=0)
    try:
        done = 0
        owners = account_owners()  # every participant's IBAN, decrypted once per export
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


def _hold(line: PaymentLine, attempt: PaymentAttempt | None, reason: str, detail: str) -> None:
    """Hold a line that cannot be paid now; an attempt made for it never left."""
    if attempt is not None:
        PaymentAttempt.update(
            status="FAILED", reason=f"not written: {reason}"[:500], resolved_at=utcnow()
        ).where((PaymentAttempt.id == attempt.id) & (PaymentAttempt.status == "CREATED")).execute()
    PaymentLine.update(status="HELD", exception=reason, failure_reason=detail[:500]).where(
        (PaymentLine.id == line.id) & (PaymentLine.status == "PENDING")
    ).execute()


def _export_method(run_id: int, method: str, owners: dict[str, set[int]]) -> int:
    """Export the lines paid by `method` now, in one transaction; returns how many."""
    with write_transaction():
        run = for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
        lines = {
            line.id: line
            for line in PaymentLine.select().where(
                lines_paid_by(run) & (PaymentLine.status == "PENDING")
            )
        }
        if not lines:
            return 0
        check = PayeeCheck.load((line.participant_id for line in lines.values()), owners)
        waiting = _waiting_attempts(lines)
        paid_otherwise = not_awaiting(lines.values())  # a loan paid out in cash meanwhile
        attempts: list[PaymentAttempt] = []
        for line in lines.values():
            payee = check.payees[line.participant_id]
            reason = check.hold(line.participant_id)
            if line.id in paid_otherwise:
                reason = LOAN_NOT_AWAITING
            if reason is not None:
                _hold(line, waiting.get(line.id), reason, DETAIL[reason])
                continue
            if payee.method != method:
                continue  # another method's transaction writes it
            attempts.append(_attempt_for(run, line, payee, waiting.get(line.id)))
        if not attempts:
            return 0
        number = (
            PaymentFile.select()
            .where((PaymentFile.run == run_id) & (PaymentFile.method == method))
            .count()
            + 1
        )
        payees = tuple(_payee(a, lines[a.line_id], check) for a in attempts)
        total = sum((p.amount for p in payees), ZERO)
        adapter = adapter_for(method, run.transfer_format)
        written = adapter.build(
            Batch(run_id, method, number, payees, len(payees), total, run.settings or {})
        )
        by_reference = {a.reference: a for a in attempts}
        for rejected in written.rejected:
            attempt = by_reference.pop(rejected.reference)
            detail = f"{rejected.reason}: {rejected.detail}"
            _hold(lines[attempt.line_id], attempt, "NOT_WRITABLE", detail)
        if written.content is None or not by_reference:
            return 0
        content = written.content
        file = PaymentFile.create(
            run=run_id,
            method=method,
            batch=number,
            format=adapter.file_format,
            filename=f"run-{run.period}-{method.lower()}-{number}.{adapter.extension}",
            content=content.decode(),
            sha256=hashlib.sha256(content).hexdigest(),
            count=written.count,
            total=written.total,
        )
        sent = list(by_reference.values())
        PaymentAttempt.update(status="EXPORTED", file=file.id).where(
            PaymentAttempt.id.in_([a.id for a in sent]) & (PaymentAttempt.status == "CREATED")
        ).execute()
        PaymentLine.update(status="SENT").where(
            PaymentLine.id.in_([a.line_id for a in sent]) & (PaymentLine.status == "PENDING")
        ).execute()
        for attempt in sent:
            line = lines[attempt.line_id]
            post_attempt(
                "send", attempt.reference, attempt.amount, line.participant_id, kind=line.kind
            )
        return len(sent)


def _waiting_attempts(lines: dict[int, PaymentLine]) -> dict[int, PaymentAttempt]:
    """A retry's CREATED attempt, to be written now with her current details."""
    return {
        a.line_id: a
        for a in PaymentAttempt.select().where(
            PaymentAttempt.line.in_(list(lines)) & (PaymentAttempt.status == "CREATED")
        )
    }


def _attempt_for(
    run: PaymentRun, line: PaymentLine, payee: CurrentPayee, waiting: PaymentAttempt | None
) -> PaymentAttempt:
    """The attempt to write, carrying her payee details as they are now."""
    if waiting is None:
        last = (
            PaymentAttempt.select(pw.fn.MAX(PaymentAttempt.number))
            .where(PaymentAttempt.line == line.id)
            .scalar()
        )
        number = (last or 0) + 1
        waiting = PaymentAttempt.create(
            line=line.id,
            number=number,
            reference=attempt_reference(line.run_id, line.id, number),
            amount=line.net,
        )
    reference = waiting.reference
    PaymentAttempt.update(
        run_id=run.id,
        method=payee.method,
        payee_hash=payee.fingerprint,
        payee_name=encrypt(payee.name, attempt_context("payee_name", reference)),
        account=encrypt(payee.account, attempt_context("account", reference)),
    ).where(PaymentAttempt.id == waiting.id).execute()
    if line.method != payee.method:  # her method changed (and was confirmed) since
        PaymentLine.update(method=payee.method).where(PaymentLine.id == line.id).execute()
    return PaymentAttempt.get_by_id(waiting.id)


def _payee(attempt: PaymentAttempt, line: PaymentLine, check: PayeeCheck) -> Payee:
    payee = check.payees[line.participant_id]
    return Payee(
        reference=attempt.reference,
        name=payee.name,
        account=payee.account,
        amount=attempt.amount,
        period=line.period,
        bic=payee.bic,
        remittance=remittance(line),
    )
