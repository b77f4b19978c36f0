"""The inputs of a loan schedule (`LoanTerms`) and their validation.

Names follow the issue's `loanSchedulePreview` input; defaults follow Fineract's product
defaults as used by its cumulative engine (see docs/microcredit-schedule.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from econ.errors import DomainError
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.schedule.rounding import ROUNDING_MODES

INTEREST_METHODS = ("FLAT", "DECLINING_BALANCE")
AMORTIZATIONS = ("EQUAL_INSTALLMENTS", "EQUAL_PRINCIPAL")
FREQUENCIES = ("DAYS", "WEEKS", "MONTHS")
INTEREST_CALCULATION_PERIODS = ("SAME_AS_REPAYMENT_PERIOD", "DAILY")
DAYS_IN_YEAR = ("ACTUAL", "360", "364", "365")

MAX_INSTALLMENTS = 520
MAX_ANNUAL_RATE = Decimal(1000)
MAX_CURRENCY_DIGITS = 6
# Same ceiling as econ.money.MAX_CENTS: far above any loan the program makes.
MAX_PRINCIPAL = Decimal(10**9)


@dataclass(frozen=True, kw_only=True)
class LoanTerms:
    """Everything a schedule depends on; invalid terms raise `DomainError` naming the field."""

    principal: Decimal
    annual_interest_rate: Decimal  # percent per year, e.g. Decimal("12")
    number_of_installments: int
    frequency: str
    disbursement_date: date
    interest_method: str = "DECLINING_BALANCE"
    amortization: str = "EQUAL_INSTALLMENTS"
    repayment_every: int = 1
    interest_calculation_period: str = "SAME_AS_REPAYMENT_PERIOD"
    days_in_year: str = "ACTUAL"
    grace_on_principal: int = 0
    grace_on_interest_payment: int = 0
    grace_on_interest_charged: int = 0
    installment_amount_in_multiples_of: Decimal | None = None
    currency: str = "EUR"
    currency_digits: int = 2
    currency_in_multiples_of: int | None = None
    rounding_mode: str = "HALF_EVEN"
    first_due_date: date | None = None

    def __post_init__(self) -> None:
        _check_amounts(self)
        _check_choices(self)
        _check_counts(self)
        _check_graces(self)
        _check_currency(self)
        _check_dates(self)


def _fail(field: str, message: str, code: str = MicrocreditCode.INVALID_LOAN_TERMS) -> DomainError:
    return DomainError(code, message, field)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_amounts(terms: LoanTerms) -> None:
    if not isinstance(terms.principal, Decimal) or not terms.principal.is_finite():
        raise _fail("principal", "principal must be a Decimal amount")
    if terms.principal <= 0:
        raise _fail("principal", "principal must be greater than zero")
    if terms.principal >= MAX_PRINCIPAL:
        raise _fail("principal", "principal is too large")
    rate = terms.annual_interest_rate
    if not isinstance(rate, Decimal) or not rate.is_finite():
        raise _fail("annual_interest_rate", "the annual interest rate must be a Decimal percent")
    if rate < 0 or rate > MAX_ANNUAL_RATE:
        raise _fail(
            "annual_interest_rate",
            "the annual interest rate must be between 0 and 1000 %",
        )
    multiple = terms.installment_amount_in_multiples_of
    if multiple is not None:
        # Fineract stores this as an Integer (installmentAmountInMultiplesOf).
        if not isinstance(multiple, Decimal) or not multiple.is_finite():
            raise _fail("installment_amount_in_multiples_of", "must be a Decimal whole number")
        if multiple <= 0 or multiple != multiple.to_integral_value():
            raise _fail("installment_amount_in_multiples_of", "must be a positive whole number")


def _check_choices(terms: LoanTerms) -> None:
    choices = {
        "interest_method": INTEREST_METHODS,
        "amortization": AMORTIZATIONS,
        "frequency": FREQUENCIES,
        "interest_calculation_period": INTEREST_CALCULATION_PERIODS,
        "days_in_year": DAYS_IN_YEAR,
        "rounding_mode": tuple(ROUNDING_MODES),
    }
    for field, allowed in choices.items():
        if getattr(terms, field) not in allowed:
            raise _fail(field, f"{field} must be one of {', '.join(allowed)}")


def _check_counts(terms: LoanTerms) -> None:
    n = terms.number_of_installments
    if not _is_int(n) or n < 1 or n > MAX_INSTALLMENTS:
        raise _fail("number_of_installments", f"between 1 and {MAX_INSTALLMENTS} installments")
    if not _is_int(terms.repayment_every) or not 1 <= terms.repayment_every <= 366:
        raise _fail("repayment_every", "repayment_every must be a whole number from 1 to 366")


def _check_graces(terms: LoanTerms) -> None:
    n = terms.number_of_installments
    for field in (
        "grace_on_principal",
        "grace_on_interest_payment",
        "grace_on_interest_charged",
    ):
        value = getattr(terms, field)
        if not _is_int(value) or value < 0:
            raise _fail(field, f"{field} must be a whole number of installments, 0 or more")
        # LoanProductDataValidator / LoanApplicationValidator: grace must leave a repayment.
        if value >= n:
            raise _fail(field, f"{field} must be less than the number of installments")
    # Flat equal installments spread interest over n - interest-payment grace - interest-charged
    # grace periods (LoanApplicationTerms.calculateNumberOfRemainingInterestPaymentPeriods).
    both = terms.grace_on_interest_payment + terms.grace_on_interest_charged
    if terms.interest_method == "FLAT" and both >= n:
        raise _fail(
            "grace_on_interest_charged",
            "interest graces together must be less than the number of installments",
        )


def _check_currency(terms: LoanTerms) -> None:
    code = terms.currency
    if not isinstance(code, str) or len(code) != 3 or not code.isalpha() or not code.isupper():
        raise _fail("currency", "currency must be an ISO 4217 code such as EUR")
    digits = terms.currency_digits
    if not _is_int(digits) or not 0 <= digits <= MAX_CURRENCY_DIGITS:
        raise _fail("currency_digits", "currency digits must be between 0 and 6")
    multiple = terms.currency_in_multiples_of
    if multiple is not None and (not _is_int(multiple) or multiple < 1):
        raise _fail("currency_in_multiples_of", "must be a positive whole number")
    if terms.principal != terms.principal.quantize(Decimal(1).scaleb(-digits)):
        raise _fail("principal", f"principal has more than {digits} decimals for {code}")
    # Money rounds zero-digit amounts to the currency multiple; a principal that is not one
    # would silently change, so it is refused instead.
    if multiple is not None and digits == 0 and terms.principal % multiple:
        raise _fail("principal", f"principal must be a multiple of {multiple} {code}")


def _check_dates(terms: LoanTerms) -> None:
    if not isinstance(terms.disbursement_date, date):
        raise _fail("disbursement_date", "disbursement date is required")
    first = terms.first_due_date
    if first is not None:
        if not isinstance(first, date):
            raise _fail("first_due_date", "first due date must be a date")
        if first <= terms.disbursement_date:
            raise _fail("first_due_date", "first due date must be after the disbursement date")
