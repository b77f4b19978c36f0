"""Interest rates per period, flat interest for the term, and the EMI (`pmt`).

Each function names the `LoanApplicationTerms` method it replays. Rates are fractions
(12 % a year -> 0.12 / 12 per month), rounded to 12 significant digits at the same steps
as Fineract's `MathContext`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext
from functools import lru_cache

from econ.microcredit.schedule.periods import (
    FINERACT_PERIODS_PER_YEAR,
    add_periods,
    days_between,
)
from econ.microcredit.schedule.rounding import EXACT, MoneyContext
from econ.microcredit.schedule.terms import LoanTerms

HUNDRED = Decimal(100)


def periods_in_one_year(terms: LoanTerms) -> int:
    """`calculatePeriodsInOneYear`.

    DAILY interest divides by the configured days in year; ACTUAL falls back to the
    calculator's 365 (the cumulative engine has no leap-year branch). Daily repayments
    with SAME_AS_REPAYMENT_PERIOD use the configured days too.
    """
    fixed_year = terms.days_in_year != "ACTUAL"
    if terms.interest_calculation_period == "DAILY":
        return int(terms.days_in_year) if fixed_year else FINERACT_PERIODS_PER_YEAR["DAYS"]
    if terms.frequency == "DAYS" and fixed_year:
        return int(terms.days_in_year)
    return FINERACT_PERIODS_PER_YEAR[terms.frequency]


def _rate_per_unit(terms: LoanTerms, ctx: MoneyContext) -> Decimal:
    # annualNominalInterestRate.divide(periodsInYear, mc).divide(100, mc)
    return _per_unit(str(terms.annual_interest_rate), periods_in_one_year(terms), ctx)


@lru_cache(maxsize=1024)
def _per_unit(annual_rate: str, periods: int, ctx: MoneyContext) -> Decimal:
    # Cached: every period of every schedule asks for the same few rates. Keyed by the
    # rate's text so that "18" and "18.0" keep their own (equal) results.
    per_unit = ctx.mc.divide(Decimal(annual_rate), Decimal(periods))
    return ctx.mc.divide(per_unit, HUNDRED)


def periodic_rate(terms: LoanTerms, ctx: MoneyContext, start: date, end: date) -> Decimal:
    """`periodicInterestRate` for interest of one period [start, end).

    SAME_AS_REPAYMENT_PERIOD charges a whole period whatever its length; DAILY charges the
    actual days (days in month = ACTUAL).
    """
    per_unit = _rate_per_unit(terms, ctx)
    if terms.interest_calculation_period == "DAILY":
        return ctx.mc.multiply(per_unit, Decimal(days_between(start, end)))
    return EXACT.multiply(per_unit, Decimal(terms.repayment_every))


def pmt_rate(terms: LoanTerms, ctx: MoneyContext) -> Decimal:
    """`pmtForInstallment`'s rate: a nominal period, months counted as 30 days when DAILY."""
    per_unit = _rate_per_unit(terms, ctx)
    if terms.interest_calculation_period != "DAILY":
        return EXACT.multiply(per_unit, Decimal(terms.repayment_every))
    if terms.frequency == "MONTHS":
        # pmtForInstallment passes DaysInMonthType.DAYS_30.
        days = Decimal(30 * terms.repayment_every)
    else:
        start = terms.disbursement_date.replace(day=1)
        end = add_periods(start, terms.frequency, terms.repayment_every, 1)
        days = Decimal(days_between(start, end))
    return ctx.mc.multiply(per_unit, days)


def pmt(rate: Decimal, periods: int, principal: Decimal) -> Decimal:
    """`FinanicalFunctions.pmt` for a present value and no future value.

    Fineract evaluates it in double; we use 40 exact-enough digits, which agrees after
    rounding to cents except when the true EMI lies within ~1e-10 of a rounding boundary.
    """
    with localcontext() as c:
        c.prec = 40
        if rate == 0:
            return principal / Decimal(periods)
        growth = (1 + rate) ** periods
        return principal * rate * growth / (growth - 1)


def flat_rate_for_term(terms: LoanTerms, ctx: MoneyContext, loan_end: date) -> Decimal:
    """`calculateFlatInterestRateForLoanTerm`: periodic rate times the periods in the term.

    The term is numberOfInstallments x repaymentEvery units, or with DAILY the actual days
    from disbursement to the last due date (`calculatePeriodsInLoanTerm`).
    """
    if terms.interest_calculation_period == "DAILY":
        periods = Decimal(days_between(terms.disbursement_date, loan_end))
    else:
        periods = Decimal(terms.number_of_installments * terms.repayment_every)
    return EXACT.multiply(_rate_per_unit(terms, ctx), periods)
