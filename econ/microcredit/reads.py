"""Batch reads for other domains (outcomes): loans of a set of borrowers, one query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute program-wide figures that never leave the domain unsuppressed).
"""

from __future__ import annotations

from collections.abc import Iterable

from econ.db import Ids
from econ.microcredit.models import Installment, Loan, Repayment


def loans_of_borrowers(participant_ids: Iterable[int]) -> list[Loan]:
    return list(Loan.select().where(Loan.borrower.in_(Ids(participant_ids))).order_by(Loan.id))


def installments_of_loans(loan_ids: Iterable[int]) -> list[Installment]:
    return list(
        Installment.select().where(Installment.loan.in_(Ids(loan_ids))).order_by(Installment.number)
    )


def live_repayments_of_loans(loan_ids: Iterable[int]) -> list[Repayment]:
    """Repayments not reversed, oldest first."""
    return list(
        Repayment.select()
        .where(Repayment.loan.in_(Ids(loan_ids)) & Repayment.reversed_at.is_null())
        .order_by(Repayment.paid_on, Repayment.id)
    )
