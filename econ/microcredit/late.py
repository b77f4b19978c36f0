"""Days past due of a set of borrowers' disbursed loans, read narrow.

A counselor's caseload and her "today" need one figure per disbursed loan (days past
due), not the loans themselves: this reads only the columns that figure needs, as
tuples (the loans' id and borrower; the installments' number, date and amounts; the
live repayments' date and amount), three statements whatever the number of borrowers,
and computes each loan's arrears exactly as `arrears.loan_arrears` does.

No permission check here: callers pass ids they resolved through a checked service call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from econ.db import Ids, PreparedShape
from econ.grouping import group_by
from econ.microcredit.allocation import Due, Payment
from econ.microcredit.arrears import arrears_of
from econ.microcredit.models import Installment, Loan, Repayment


@dataclass(frozen=True)
class LateLoan:
    loan_id: int
    borrower_id: int
    days_past_due: int  # 0: on time


def disbursed_loans_due(participant_ids: Iterable[int], as_of: date) -> list[LateLoan]:
    """Every loan DISBURSED on or before `as_of` to one of them, with its days past due."""
    loans = _DISBURSED.rows(Ids(participant_ids), as_of)
    if not loans:
        return []
    loan_ids = Ids(loan_id for loan_id, _ in loans)
    due = group_by(_DUE.rows(loan_ids), lambda row: row[0])
    paid = group_by(_PAID.rows(loan_ids, as_of), lambda row: row[0])
    return [
        LateLoan(
            loan_id,
            borrower_id,
            arrears_of(
                loan_id,
                [Due(*row[1:]) for row in due.get(loan_id, [])],
                [Payment(*row[1:]) for row in paid.get(loan_id, [])],
                as_of,
            ).days_past_due,
        )
        for loan_id, borrower_id in loans
    ]


# Every caseload view reads these: their SQL is built once per shape.
_DISBURSED = PreparedShape(
    lambda ids, as_of: (
        Loan.select(Loan.id, Loan.borrower)
        .where(
            Loan.borrower.in_(ids) & (Loan.state == "DISBURSED") & (Loan.disbursement_date <= as_of)
        )
        .order_by(Loan.id)
        .tuples()
    )
)
_DUE = PreparedShape(
    lambda loan_ids: (
        Installment.select(
            Installment.loan,
            Installment.number,
            Installment.due_date,
            Installment.principal,
            Installment.interest,
        )
        .where(Installment.loan.in_(loan_ids))
        .order_by(Installment.number)
        .tuples()
    )
)
_PAID = PreparedShape(
    lambda loan_ids, as_of: (
        Repayment.select(Repayment.loan, Repayment.id, Repayment.paid_on, Repayment.amount)
        .where(
            Repayment.loan.in_(loan_ids)
            & Repayment.reversed_at.is_null()
            & (Repayment.paid_on <= as_of)
        )
        .tuples()
    )
)
