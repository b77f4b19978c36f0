"""Disbursement: attempts for payable lines, one payment file per method and batch.

Each method is exported in one transaction that holds the run lock: create the missing
attempts, write the file with its checksum, mark the attempts EXPORTED and the lines
SENT, and post the send entries. A worker killed before the commit leaves nothing; a
re-run after it finds no CREATED attempt and writes nothing. So no attempt, file or
journal entry is ever made twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from econ.db import for_update, utcnow, write_transaction
from econ.errors import DomainError
from econ.money import ZERO
from econ.security.crypto import decrypt
from econ.stipends.engine import line_context
from econ.stipends.files.csv_files import build_card_csv, build_transfer_csv, safe_cell
from econ.stipends.files.sepa import build_pain001
from econ.stipends.files.types import CardLoad, CashPayment, Payer, Transfer
from econ.stipends.models import METHODS, PaymentAttempt, PaymentFile, PaymentLine, PaymentRun
from econ.stipends.postings import post_attempt


@dataclass(frozen=True)
class Payee:
    """An attempt with the line's snapshot decrypted, ready for a file."""

    reference: str
    name: str
    account: str | None
    amount: Decimal
    period: str


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

    def build(self, batch: Batch) -> bytes: ...


class SepaAdapter:
    file_format, extension = "SEPA", "xml"

    def build(self, batch: Batch) -> bytes:
        display = batch.settings["program_display_name"]
        payer = Payer(name=display, iban=batch.settings["program_bank_iban"], display_name=display)
        transfers = [
            Transfer(p.reference, p.name, p.account, p.amount, "EUR", p.period)
            for p in batch.payees
        ]
        return build_pain001(
            f"R{batch.run_id}-{batch.method[:4]}-B{batch.number}",
            utcnow(),
            payer,
            transfers,
            date.today(),
            batch.control_total,
            batch.control_count,
        )


class TransferCsvAdapter:
    file_format, extension = "CSV", "csv"

    def build(self, batch: Batch) -> bytes:
        _check_totals(batch)
        return build_transfer_csv(
            Transfer(p.reference, p.name, p.account, p.amount, batch.settings["currency"], p.period)
            for p in batch.payees
        )


class CardCsvAdapter:
    file_format, extension = "CSV", "csv"

    def build(self, batch: Batch) -> bytes:
        _check_totals(batch)
        return build_card_csv(
            CardLoad(p.account, p.name, p.amount, p.reference, batch.settings["currency"])
            for p in batch.payees
        )


class CashListAdapter:
    """A printable list: one block per payment with lines to sign on collection."""

    file_format, extension = "CASH_LIST", "txt"

    def build(self, batch: Batch) -> bytes:
        _check_totals(batch)
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
        return ("\r\n".join(out) + "\r\n").encode()


def _check_totals(batch: Batch) -> None:
    total = sum((p.amount for p in batch.payees), ZERO)
    if len(batch.payees) != batch.control_count or total != batch.control_total:
        raise DomainError("CONTROL_TOTAL_MISMATCH", "the file does not match the control totals")


def adapter_for(method: str, transfer_format: str | None) -> PaymentAdapter:
    if method == "BANK_TRANSFER":
        return SepaAdapter() if transfer_format == "SEPA" else TransferCsvAdapter()
    if method == "PREPAID_CARD":
        return CardCsvAdapter()
    return CashListAdapter()


def export_run(run_id: int, task_id: str | None = None) -> str:
    """Write every pending payment of the run to files; returns "done", "stale" or "failed"."""
    run = PaymentRun.get_or_none(PaymentRun.id == run_id)
    if run is None or run.state not in ("DISBURSING", "COMPLETED", "COMPLETED_WITH_FAILURES"):
        return "stale"
    total = (
        PaymentLine.select()
        .where((PaymentLine.run == run_id) & (PaymentLine.status == "PENDING"))
        .count()
    )
    _job(run_id, job_status="RUNNING", job_task_id=task_id, job_total=total, job_done=0)
    try:
        done = 0
        for method in METHODS:
            done += _export_method(run_id, method)
            _job(run_id, job_done=done)
    except Exception as exc:
        message = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        _job(run_id, job_status="FAILED", job_error=message[:500])
        return "failed"
    _job(run_id, job_status="DONE", job_error=None)
    from econ.stipends.reconciliation import settle_run

    with write_transaction():
        settle_run(run_id)
    return "done"


def _job(run_id: int, **fields) -> None:
    PaymentRun.update(**fields).where(PaymentRun.id == run_id).execute()


def _export_method(run_id: int, method: str) -> int:
    """Export one method's waiting attempts in one transaction; returns how many."""
    from econ.stipends.runs import attempt_reference

    with write_transaction():
        run = for_update(PaymentRun.select().where(PaymentRun.id == run_id)).first()
        lines = {
            line.id: line
            for line in PaymentLine.select().where(
                (PaymentLine.run == run_id)
                & (PaymentLine.method == method)
                & (PaymentLine.status == "PENDING")
            )
        }
        if not lines:
            return 0
        with_attempt = {
            a.line_id for a in PaymentAttempt.select().where(PaymentAttempt.line.in_(list(lines)))
        }
        for line in lines.values():
            if line.id not in with_attempt:
                PaymentAttempt.create(
                    line=line.id,
                    number=1,
                    reference=attempt_reference(run_id, line.id, 1),
                    amount=line.net,
                )
        attempts = list(
            PaymentAttempt.select()
            .where(PaymentAttempt.line.in_(list(lines)) & (PaymentAttempt.status == "CREATED"))
            .order_by(PaymentAttempt.id)
        )
        if not attempts:
            return 0
        number = (
            PaymentFile.select()
            .where((PaymentFile.run == run_id) & (PaymentFile.method == method))
            .count()
            + 1
        )
        payees = tuple(_payee(a, lines[a.line_id]) for a in attempts)
        count, total = _control(run, method, number, payees)
        adapter = adapter_for(method, run.transfer_format)
        content = adapter.build(
            Batch(run_id, method, number, payees, count, total, run.settings or {})
        )
        file = PaymentFile.create(
            run=run_id,
            method=method,
            batch=number,
            format=adapter.file_format,
            filename=f"run-{run.period}-{method.lower()}-{number}.{adapter.extension}",
            content=content.decode(),
            sha256=hashlib.sha256(content).hexdigest(),
            count=count,
            total=total,
        )
        ids = [a.id for a in attempts]
        PaymentAttempt.update(status="EXPORTED", file=file.id).where(
            PaymentAttempt.id.in_(ids) & (PaymentAttempt.status == "CREATED")
        ).execute()
        PaymentLine.update(status="SENT").where(
            PaymentLine.id.in_([a.line_id for a in attempts]) & (PaymentLine.status == "PENDING")
        ).execute()
        for attempt in attempts:
            line = lines[attempt.line_id]
            post_attempt("send", attempt.reference, attempt.amount, line.participant_id)
        return len(attempts)


def _payee(attempt: PaymentAttempt, line: PaymentLine) -> Payee:
    return Payee(
        reference=attempt.reference,
        name=decrypt(line.payee_name, line_context("payee_name", line.run_id, line.schedule_id)),
        account=decrypt(line.account, line_context("account", line.run_id, line.schedule_id)),
        amount=attempt.amount,
        period=line.period,
    )


def _control(
    run: PaymentRun, method: str, number: int, payees: tuple[Payee, ...]
) -> tuple[int, Decimal]:
    """The first batch must prove the frozen totals; later batches are retries."""
    if number == 1:
        frozen = (run.control_by_method or {}).get(method, {"count": 0, "total": "0.00"})
        return int(frozen["count"]), Decimal(frozen["total"])
    return len(payees), sum((p.amount for p in payees), ZERO)
