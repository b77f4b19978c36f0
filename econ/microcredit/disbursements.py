"""A loan paid out through the payment runs (issue 15), the default way to disburse.

A FINANCE user who is neither the applicant nor the borrower's counselor asks for the
approved loan to be paid (`request_disbursement`). The next main payment run includes it
as a LOAN_DISBURSEMENT line (`econ.stipends.loan_lines`), approved with the run by a
FINANCE user who authored no amount in it: the loan's approver and the requester count
as the authors of that amount. When the bank reports the payment paid, the loan becomes
DISBURSED on that day, its schedule is generated (first due on the group's meeting day
for loans repaid in weeks) and `loan:<id>:disburse:<reference>` posts once. A failed
payment leaves the loan APPROVED and waiting: a retry or a follow-up run pays the same
line again. A payment the bank returns after it was paid puts the loan back to APPROVED
(installments removed, the entry reversed) unless a repayment was already recorded.

`loans.disburse_loan` stays for money paid out in cash or in person: it is refused while
a payment of the loan is on its way or done, and afterwards the loan's line is never paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from econ.db import db, utcnow
from econ.errors import CommonCode, Conflict
from econ.ledger.services import Posting, entry_exists, post, reverse
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.loans import _finance_decision, _store_schedule, _transition
from econ.microcredit.models import Installment, Loan, Repayment
from econ.microcredit.schedule import generate_schedule
from econ.microcredit.terms import loan_terms, meeting_day_first_due
from econ.security import audit
from econ.security.roles import SYSTEM, Actor, Role
from econ.stipends.services import (
    LoanPayment,
    LoanToPay,
    loan_payments,
    register_loan_disbursements,
)


def request_disbursement(actor: Actor | None, loan_id: int) -> Loan:
    """FINANCE (not the applicant nor her counselor) asks for the approved loan to be
    paid through the next payment run."""
    actor, loan = _finance_decision(actor, loan_id, "APPROVED")
    if loan.disbursement_requested_by is not None:
        raise Conflict(
            MicrocreditCode.DISBURSEMENT_REQUESTED,
            "its disbursement is already requested",
            "loanId",
        )
    with db.atomic():
        updated = Loan.update(
            disbursement_requested_by=actor.user_id, disbursement_requested_at=utcnow()
        ).where(
            (Loan.id == loan.id)
            & (Loan.state == "APPROVED")
            & Loan.disbursement_requested_by.is_null()
        )
        if updated.execute() != 1:
            raise Conflict(CommonCode.CONFLICT, "the loan changed meanwhile; reload it", "loanId")
        audit.record(
            actor, "request_disbursement", "Loan", loan.id, participant_id=loan.borrower_id
        )
    return Loan.get_by_id(loan.id)


def disbursement_payments(actor: Actor | None, loan_ids: list[int]) -> dict[int, LoanPayment]:
    """{loan id: where its payment line stands}, for FINANCE and ADMIN (who read the
    runs); nothing for anyone else, nor for a loan no run has calculated yet."""
    if actor is None or actor.role not in (Role.FINANCE, Role.ADMIN):
        return {}
    return loan_payments(loan_ids)


def _awaiting():
    return (Loan.state == "APPROVED") & Loan.disbursement_requested_by.is_null(False)


def disbursement_key(loan_id: int, reference: str) -> str:
    return f"loan:{loan_id}:disburse:{reference}"


class RunDisbursements:
    """What the payment runs ask of microcredit (`stipends.loan_lines.LoanDisbursements`)."""

    def awaiting(self) -> list[LoanToPay]:
        return [
            LoanToPay(loan.id, loan.borrower_id, loan.principal, (loan.decided_by, by))
            for loan in Loan.select().where(_awaiting()).order_by(Loan.id)
            if (by := loan.disbursement_requested_by) is not None
        ]

    def still_awaiting(self, loan_ids: Iterable[int]) -> set[int]:
        ids = sorted(set(loan_ids))
        return {i for (i,) in Loan.select(Loan.id).where(Loan.id.in_(ids) & _awaiting()).tuples()}

    def paid(self, loan_id: int, reference: str, on: date, by_user: int | None) -> None:
        """Inside the import's transaction; a loan already disbursed is left as it is."""
        loan = Loan.get_by_id(loan_id)
        if loan.state != "APPROVED":
            return
        schedule = generate_schedule(loan_terms(loan, on, meeting_day_first_due(loan, on)))
        loan = _transition(
            loan,
            "APPROVED",
            state="DISBURSED",
            disbursed_by=loan.disbursement_requested_by,
            disbursement_date=on,
            first_due_date=schedule.installments[0].due_date,
        )
        _store_schedule(loan, schedule)
        post(
            disbursement_key(loan.id, reference),
            [
                Posting("loans_receivable", loan.principal, loan.borrower_id),
                Posting("loans_in_transit", -loan.principal, loan.borrower_id),
            ],
            memo=f"disbursement of loan {loan.id} (payment {reference})",
            source_type="loan",
            source_id=loan.id,
            created_by=by_user,
        )
        audit.record(SYSTEM, "disburse_loan", "Loan", loan.id, participant_id=loan.borrower_id)

    def returned(self, loan_id: int, reference: str, by_user: int | None) -> None:
        """The bank took back the money it had paid: the loan waits again, unless she has
        begun repaying (then it stays DISBURSED and the returned line says so)."""
        loan = Loan.get_by_id(loan_id)
        key = disbursement_key(loan.id, reference)
        if loan.state != "DISBURSED" or not entry_exists(key):
            return
        repaid = Repayment.select().where(
            (Repayment.loan == loan.id) & Repayment.reversed_at.is_null()
        )
        if repaid.exists():
            return
        Installment.delete().where(Installment.loan == loan.id).execute()
        _transition(
            loan,
            "DISBURSED",
            state="APPROVED",
            disbursed_by=None,
            disbursement_date=None,
            first_due_date=None,
        )
        reverse(
            f"{key}:returned",
            key,
            memo=f"disbursement of loan {loan.id} returned (payment {reference})",
            created_by=by_user,
        )
        audit.record(
            SYSTEM, "disbursement_returned", "Loan", loan.id, participant_id=loan.borrower_id
        )


def register() -> None:
    """Called by the composition root (`econ.worker.ensure_configured`)."""
    register_loan_disbursements(RunDisbursements())
