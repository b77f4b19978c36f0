"""Arrears and portfolio quality as of a date.

Days past due count from the oldest installment that was due before the date and was not
fully paid by it, replaying only the repayments dated on or before it. Two ratios, named
as CGAP names them (docs/microcredit.md):

- PAR30 = outstanding principal of loans more than 30 days past due / gross outstanding
  principal. The whole balance of a late loan is at risk, not only its late installments.
- Arrears rate = overdue principal (the unpaid principal of installments already due) /
  gross outstanding principal. Fineract's "Portfolio at Risk" report computes this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import peewee as pw

from econ.db import db
from econ.errors import CommonCode, DomainError
from econ.grouping import group_by
from econ.microcredit.access import visible_loans
from econ.microcredit.allocation import ZERO, Due, Payment, allocate
from econ.microcredit.models import Installment, Loan, PortfolioSnapshot, Repayment
from econ.microcredit.reads import installments_of_loans, live_repayments_of_loans
from econ.microcredit.repayments import dues, payments
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting

PAR_DAYS = 30
RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class LoanArrears:
    loan_id: int
    days_past_due: int
    outstanding_principal: Decimal
    overdue_principal: Decimal


@dataclass(frozen=True)
class Bucket:
    label: str
    low: int
    high: int | None  # None: no upper limit
    count: int = 0
    outstanding: Decimal = ZERO


@dataclass(frozen=True)
class Portfolio:
    as_of: date
    loans: int
    outstanding_principal: Decimal
    par30_principal: Decimal
    overdue_principal: Decimal
    buckets: tuple[Bucket, ...]

    @property
    def par30(self) -> Decimal:
        return ratio(self.par30_principal, self.outstanding_principal)

    @property
    def arrears_rate(self) -> Decimal:
        return ratio(self.overdue_principal, self.outstanding_principal)


def ratio(part: Decimal, whole: Decimal) -> Decimal:
    """A share with four decimals (0.1234 = 12.34 %); 0 for an empty portfolio."""
    if whole == 0:
        return Decimal("0.0000")
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_EVEN)


def loan_arrears(
    loan: Loan, installments: list[Installment], repayments: list[Repayment], as_of: date
) -> LoanArrears:
    return arrears_of(loan.id, dues(installments), payments(repayments, up_to=as_of), as_of)


def arrears_of(loan_id: int, due: list[Due], paid: list[Payment], as_of: date) -> LoanArrears:
    """A loan's arrears from its installments (by number) and the payments up to `as_of`."""
    result = allocate(due, paid)
    outstanding = overdue = ZERO
    oldest: date | None = None
    for inst in due:
        unpaid = inst.principal - result.paid[inst.number].principal
        unpaid_interest = inst.interest - result.paid[inst.number].interest
        outstanding += unpaid
        if inst.due_date < as_of and (unpaid or unpaid_interest):
            overdue += unpaid
            oldest = oldest or inst.due_date
    days = (as_of - oldest).days if oldest else 0
    return LoanArrears(loan_id, days, outstanding, overdue)


def _on_book(query: pw.ModelSelect, as_of: date) -> pw.ModelSelect:
    """Loans disbursed by the date and not written off before it."""
    return query.where(
        (Loan.disbursement_date <= as_of)
        & (
            Loan.state.in_(("DISBURSED", "REPAID"))
            | ((Loan.state == "WRITTEN_OFF") & (pw.fn.DATE(Loan.written_off_at) > as_of))
        )
    )


def arrears_for(loans: Iterable[Loan], as_of: date) -> list[LoanArrears]:
    """Three queries whatever the number of loans."""
    loans = list(loans)
    ids = [loan.id for loan in loans]
    by_loan_inst = group_by(installments_of_loans(ids) if ids else [], lambda i: i.loan_id, ids)
    by_loan_rep = group_by(live_repayments_of_loans(ids) if ids else [], lambda r: r.loan_id, ids)
    return [
        loan_arrears(loan, by_loan_inst[loan.id], by_loan_rep[loan.id], as_of) for loan in loans
    ]


def parse_buckets(spec: str) -> tuple[Bucket, ...]:
    """ "1-30,31-60,61-90,91+" -> inclusive day ranges; "91+" has no upper limit."""
    buckets = []
    for part in spec.split(","):
        label = part.strip()
        try:
            if label.endswith("+"):
                buckets.append(Bucket(label, int(label[:-1]), None))
            else:
                low, high = label.split("-")
                buckets.append(Bucket(label, int(low), int(high)))
        except ValueError:
            raise DomainError(
                CommonCode.INVALID_SETTING,
                f"bad delinquency bucket {label!r}",
                "loan_delinquency_buckets",
            ) from None
    return tuple(buckets)


def portfolio_of(loans: Iterable[Loan], as_of: date) -> Portfolio:
    rows = [r for r in arrears_for(loans, as_of) if r.outstanding_principal > 0]
    outstanding = sum((r.outstanding_principal for r in rows), ZERO)
    par = sum((r.outstanding_principal for r in rows if r.days_past_due > PAR_DAYS), ZERO)
    overdue = sum((r.overdue_principal for r in rows), ZERO)
    buckets = []
    for b in parse_buckets(setting("loan_delinquency_buckets")):
        inside = [
            r
            for r in rows
            if r.days_past_due >= b.low and (b.high is None or r.days_past_due <= b.high)
        ]
        buckets.append(
            Bucket(
                b.label,
                b.low,
                b.high,
                len(inside),
                sum((r.outstanding_principal for r in inside), ZERO),
            )
        )
    return Portfolio(as_of, len(rows), outstanding, par, overdue, tuple(buckets))


def portfolio(actor: Actor | None, as_of: date, group_id: int | None = None) -> Portfolio:
    """FINANCE: every loan; a COUNSELOR: her caseload's loans."""
    actor = require_role(actor, Role.FINANCE, Role.COUNSELOR)
    query = _on_book(visible_loans(actor), as_of)
    if group_id is not None:
        query = query.where(Loan.group == group_id)
    return portfolio_of(query, as_of)


def days_past_due(loan: Loan, as_of: date | None = None) -> int:
    if loan.state != "DISBURSED":
        return 0
    return arrears_for([loan], as_of or date.today())[0].days_past_due


def recompute(as_of: date) -> Portfolio:
    """The nightly run: refresh every open loan's days past due and store the figures."""
    query = _on_book(Loan.select().order_by(Loan.id), as_of)
    loans = list(query)
    result = portfolio_of(loans, as_of)
    with db.atomic():
        for row in arrears_for([loan for loan in loans if loan.state == "DISBURSED"], as_of):
            Loan.update(days_past_due=row.days_past_due, arrears_as_of=as_of).where(
                Loan.id == row.loan_id
            ).execute()
        PortfolioSnapshot.delete().where(PortfolioSnapshot.as_of == as_of).execute()
        PortfolioSnapshot.create(
            as_of=as_of,
            outstanding_principal=result.outstanding_principal,
            par30_principal=result.par30_principal,
            overdue_principal=result.overdue_principal,
            buckets=[
                {"label": b.label, "count": b.count, "outstanding": str(b.outstanding)}
                for b in result.buckets
            ],
        )
    return result
