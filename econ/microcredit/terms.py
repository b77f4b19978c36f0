"""From inputs (decimal strings, camelCase fields) to `LoanTerms`, and back from a stored loan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from econ.errors import CommonCode, DomainError
from econ.microcredit.models import WEEKDAYS, Loan
from econ.microcredit.schedule import LoanTerms

# Loan frequencies that follow each group meeting rhythm.
FREQUENCY_OF_MEETINGS = {"WEEKLY": ("WEEKS", 1), "BIWEEKLY": ("WEEKS", 2), "MONTHLY": ("MONTHS", 1)}

# Stored in Loan.terms: everything but principal, currency and the dates.
STORED_TERMS = (
    "annual_interest_rate",
    "interest_method",
    "amortization",
    "number_of_installments",
    "frequency",
    "repayment_every",
    "interest_calculation_period",
    "days_in_year",
    "grace_on_principal",
    "grace_on_interest_payment",
    "grace_on_interest_charged",
    "installment_amount_in_multiples_of",
)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def decimal(value: Any, field: str, *, required: bool = False) -> Decimal | None:
    """A decimal string (never a float) such as "12.5"."""
    if value in (None, ""):
        if required:
            raise DomainError(CommonCode.REQUIRED, f"{field} is required", field)
        return None
    if isinstance(value, (float, bool)):
        raise DomainError(CommonCode.INVALID_NUMBER, f"{field} must be a decimal string", field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(
            CommonCode.INVALID_NUMBER, f"{field} must be a decimal string", field
        ) from None
    if not number.is_finite():
        raise DomainError(CommonCode.INVALID_NUMBER, f"{field} must be a decimal string", field)
    return number


def build_terms(**values: Any) -> LoanTerms:
    """`LoanTerms(**values)`, its errors naming the camelCase input field."""
    given = {k: v for k, v in values.items() if v is not None}
    try:
        return LoanTerms(**given)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, camel(exc.field) if exc.field else None) from None


def stored_terms(terms: LoanTerms) -> dict:
    out = {name: getattr(terms, name) for name in STORED_TERMS}
    out["annual_interest_rate"] = str(terms.annual_interest_rate)
    multiple = terms.installment_amount_in_multiples_of
    out["installment_amount_in_multiples_of"] = None if multiple is None else str(multiple)
    return out


def meeting_day_first_due(loan: Loan, disbursement_date: date) -> date | None:
    """The default first due date of a loan repaid in weeks: one repayment period after
    disbursement, moved forward to the group's meeting weekday, so that every installment
    falls on a meeting day and is collected there. None (the schedule's own default)
    for loans repaid in months or days: a month has no fixed weekday."""
    if loan.terms.get("frequency") != "WEEKS":
        return None
    ideal = disbursement_date + timedelta(weeks=int(loan.terms.get("repayment_every") or 1))
    meeting = WEEKDAYS.index(loan.group.meeting_weekday)
    return ideal + timedelta(days=(meeting - ideal.weekday()) % 7)


def loan_terms(loan: Loan, disbursement_date: date, first_due_date: date | None) -> LoanTerms:
    values = dict(loan.terms)
    values["annual_interest_rate"] = Decimal(values["annual_interest_rate"])
    multiple = values.get("installment_amount_in_multiples_of")
    values["installment_amount_in_multiples_of"] = None if multiple is None else Decimal(multiple)
    return LoanTerms(
        principal=loan.principal,
        currency=loan.currency,
        disbursement_date=disbursement_date,
        first_due_date=first_due_date,
        **values,
    )
