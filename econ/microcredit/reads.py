"""Batch reads for other domains (outcomes): loans of a set of borrowers, one query each.

No permission check here: callers pass ids they resolved through a checked service call
(or compute program-wide figures that never leave the domain unsuppressed).
"""

from __future__ import annotations

from collections.abc import Iterable

from econ.db import Ids, PreparedShape
from econ.microcredit.models import Installment, Loan, Repayment


def loans_of_borrowers(participant_ids: Iterable[int]) -> list[Loan]:
    return _LOANS.rows(Ids(participant_ids))


def installments_of_loans(loan_ids: Iterable[int]) -> list[Installment]:
    return _INSTALLMENTS.rows(Ids(loan_ids))


def live_repayments_of_loans(loan_ids: Iterable[int]) -> list[Repayment]:
    """Repayments not reversed, oldest first."""
    return _LIVE_REPAYMENTS.rows(Ids(loan_ids))


# Views read them on every request: SQL built once per shape (econ.db.PreparedShape).
_LOANS = PreparedShape(lambda ids: Loan.select().where(Loan.borrower.in_(ids)).order_by(Loan.id))
_INSTALLMENTS = PreparedShape(
    lambda ids: Installment.select().where(Installment.loan.in_(ids)).order_by(Installment.number)
)
_LIVE_REPAYMENTS = PreparedShape(
    lambda ids: (
        Repayment.select()
        .where(Repayment.loan.in_(ids) & Repayment.reversed_at.is_null())
        .order_by(Repayment.paid_on, Repayment.id)
    )
)
