"""Repayment holidays: FINANCE moves a loan's (or a whole group's) unpaid installments.

The first installment not fully paid and every later one move by k periods of the loan's
own rhythm; amounts stay as they are (no extra interest, no fee). Paid installments keep
their dates. One audited `RepaymentHoliday` row per decision lists the loans it moved.
"""

from __future__ import annotations

from econ.db import db, for_update, write_transaction
from econ.errors import Conflict, DomainError
from econ.microcredit.access import get_group, get_loan
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.groups import text
from econ.microcredit.models import Installment, Loan, RepaymentHoliday
from econ.microcredit.repayments import installments_of
from econ.microcredit.schedule import add_periods
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role

MAX_HOLIDAY = 52


def grant_repayment_holiday(
    actor: Actor | None,
    *,
    installments: int,
    reason: str,
    loan_id: int | None = None,
    group_id: int | None = None,
) -> RepaymentHoliday:
    actor = require_role(actor, Role.FINANCE)
    if (loan_id is None) == (group_id is None):
        raise DomainError(MicrocreditCode.ONE_TARGET, "give either a loan or a group", "loanId")
    if not isinstance(installments, int) or not 1 <= installments <= MAX_HOLIDAY:
        raise DomainError(
            MicrocreditCode.INVALID_INSTALLMENTS,
            f"between 1 and {MAX_HOLIDAY} installments",
            "installments",
        )
    reason = text(reason, "reason", 300)
    if loan_id is not None:
        loan = get_loan(actor, loan_id)
        if loan.state != "DISBURSED":
            raise Conflict(
                MicrocreditCode.LOAN_NOT_DISBURSED, f"the loan is {loan.state}", "loanId"
            )
        query, group = Loan.select().where(Loan.id == loan.id), None
    else:
        group = get_group(actor, group_id)
        query = Loan.select().where((Loan.group == group.id) & (Loan.state == "DISBURSED"))
    with write_transaction():
        loans = list(for_update(query.order_by(Loan.id)))
        moved = [loan.id for loan in loans if _shift(loan, installments)]
        holiday = RepaymentHoliday.create(
            loan=loan_id,
            group=group,
            installments=installments,
            reason=reason,
            loan_ids=moved,
            decided_by=actor.user_id,
        )
        for loan in loans:
            audit.record(
                actor, "repayment_holiday", "Loan", loan.id, participant_id=loan.borrower_id
            )
    return holiday


def _shift(loan: Loan, k: int) -> bool:
    """Move the first unpaid installment and all later ones by k periods."""
    terms = loan.terms
    seed_day = loan.first_due_date.day
    rows = installments_of(loan)
    unpaid = [i for i in rows if i.paid_principal + i.paid_interest < i.principal + i.interest]
    if not unpaid:
        return False
    first = unpaid[0].number
    with db.atomic():
        for inst in rows:
            if inst.number < first:
                continue
            moved = add_periods(
                inst.due_date, terms["frequency"], terms["repayment_every"], k, seed_day
            )
            Installment.update(due_date=moved).where(Installment.id == inst.id).execute()
    return True
