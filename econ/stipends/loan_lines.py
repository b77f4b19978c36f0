"""Loan disbursement lines: a loan's principal paid through the payment runs.

Microcredit sits above stipends, so stipends never reads a loan: the microcredit domain
registers a `LoanDisbursements` (at start-up, `econ.worker.ensure_configured`) that
tells which loans await payment and hears when one is paid or returned. A loan line has
no schedule; it names the loan (`PaymentLine.loan_id`, unique: one line per loan, every
payment an attempt of that line, so nothing is paid twice). Its amount was authored by
the loan's approver and by the FINANCE user who asked for the payment: neither may
approve the run that pays it (`authors`, read by `approval._authored_amount_in`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

import peewee as pw

from econ.money import ZERO
from econ.stipends.models import LOAN, PaymentAttempt, PaymentLine
from econ.stipends.payees import PayeeCheck
from econ.stipends.scope import paying_run_id

# Held because the loan is no longer waiting for this line (paid out in cash meanwhile).
LOAN_NOT_AWAITING = "LOAN_NOT_AWAITING"
REMITTANCE = "Loan disbursement"


@dataclass(frozen=True)
class LoanToPay:
    loan_id: int
    participant_id: int
    amount: Decimal
    authors: tuple[int, ...]  # who authored the amount: its approver and the requester


class LoanDisbursements(Protocol):
    def awaiting(self) -> list[LoanToPay]:
        """Approved loans whose payment was requested and that are not yet paid out."""

    def still_awaiting(self, loan_ids: Iterable[int]) -> set[int]:
        """Of `loan_ids`, those still approved and waiting for their payment."""

    def paid(self, loan_id: int, reference: str, on: date, by_user: int | None) -> None:
        """The payment `reference` reached her: the loan is disbursed (once)."""

    def returned(self, loan_id: int, reference: str, by_user: int | None) -> None:
        """The bank returned the paid payment `reference`: undo the disbursement."""


_registered: LoanDisbursements | None = None


def register(handler: LoanDisbursements) -> None:
    global _registered
    _registered = handler


def handler() -> LoanDisbursements:
    if _registered is None:
        raise RuntimeError("no loan disbursements registered: call econ.worker.ensure_configured()")
    return _registered


def loan_rows(run_id: int, period: str) -> list[dict]:
    """Rows to insert for the loans awaiting payment that have no line yet (inside the
    calculation's transaction, under the run lock). Her payee details are checked as at
    export; a line that cannot be paid now is HELD with the reason."""
    if _registered is None:
        return []
    loans = _registered.awaiting()
    if not loans:
        return []
    taken = {
        loan_id
        for (loan_id,) in PaymentLine.select(PaymentLine.loan_id)
        .where(PaymentLine.loan_id.in_([loan.loan_id for loan in loans]))
        .tuples()
    }
    loans = [loan for loan in loans if loan.loan_id not in taken]
    if not loans:
        return []
    check = PayeeCheck.load(loan.participant_id for loan in loans)
    rows = []
    for loan in loans:
        hold = check.hold(loan.participant_id)
        rows.append(
            {
                "run": run_id,
                "schedule": None,
                "kind": LOAN,
                "loan_id": loan.loan_id,
                "participant": loan.participant_id,
                "period": period,
                "base": loan.amount,
                "earned": ZERO,
                "taper": ZERO,
                "incentives": ZERO,
                "adjustments": ZERO,
                "net": loan.amount,
                "remainder": ZERO,
                "uses_duration": False,
                "method": check.payees[loan.participant_id].method,
                "account_hash": "",
                "inputs": {"loanId": loan.loan_id, "authors": sorted(set(loan.authors))},
                "status": "HELD" if hold else "PENDING",
                "exception": hold,
            }
        )
    return rows


def authored_loan_line(payable: pw.Expression, user_id: int) -> bool:
    """Whether `user_id` authored the amount of a loan line among `payable` (a run has a
    handful of loan lines: only they are read, found through the index on `loan_id`)."""
    return any(
        user_id in (inputs or {}).get("authors", [])
        for (inputs,) in PaymentLine.select(PaymentLine.inputs)
        .where(payable & PaymentLine.loan_id.is_null(False))  # by the unique loan index
        .tuples()
    )


def not_awaiting(lines: Iterable[PaymentLine]) -> set[int]:
    """Ids of the loan lines among `lines` whose loan no longer waits for them."""
    loans = {line.loan_id: line.id for line in lines if line.kind == LOAN}
    if not loans:
        return set()
    waiting = handler().still_awaiting(loans)
    return {line_id for loan_id, line_id in loans.items() if loan_id not in waiting}


def remittance(line: PaymentLine) -> str:
    """The text her bank shows: the month of a stipend, or that it is a loan disbursement
    (the program's display name is put before it by the file writer)."""
    if line.kind == LOAN:
        return f"{REMITTANCE} {line.loan_id}"
    return line.period


@dataclass(frozen=True)
class LoanPayment:
    """Where a loan's payment line stands (what microcredit and the loan book show)."""

    line_id: int
    run_id: int  # the run paying it now (a follow-up's once one took it)
    period: str
    status: str
    exception: str | None
    failure_reason: str | None
    in_flight: bool  # an attempt was written and its outcome is not known yet

    @property
    def live(self) -> bool:
        """On its way or done: the loan must not be paid out another way."""
        return self.in_flight or self.status in ("PENDING", "SENT", "PAID")


def loan_payment(loan_id: int) -> LoanPayment | None:
    return loan_payments([loan_id]).get(loan_id)


def loan_payments(loan_ids: Iterable[int]) -> dict[int, LoanPayment]:
    """{loan id: its payment} for the loans that have a line (two queries in all)."""
    lines = list(PaymentLine.select().where(PaymentLine.loan_id.in_(sorted(set(loan_ids)))))
    if not lines:
        return {}
    in_flight = {
        line_id
        for (line_id,) in PaymentAttempt.select(PaymentAttempt.line)
        .where(
            PaymentAttempt.line.in_([line.id for line in lines])
            & PaymentAttempt.status.in_(("CREATED", "EXPORTED"))
        )
        .tuples()
    }
    return {
        line.loan_id: LoanPayment(
            line.id,
            paying_run_id(line),
            line.period,
            line.status,
            line.exception,
            line.failure_reason,
            line.id in in_flight,
        )
        for line in lines
    }
