"""Due dates and period lengths, as Fineract's `DefaultScheduledDateGenerator` makes them.

No meeting calendar, holidays or non-working days: every day is a repayment day (Fineract's
behaviour with a seven-day working week and holidays disabled).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from econ.microcredit.schedule.terms import LoanTerms

# DefaultPaymentPeriodsInOneYearCalculator.calculate
FINERACT_PERIODS_PER_YEAR = {"DAYS": 365, "WEEKS": 52, "MONTHS": 12}


def add_months(d: date, months: int) -> date:
    """`LocalDate.plusMonths`: the day is clamped to the length of the target month."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, days_in_month(year, month)))


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange also computes the weekday, which we never use.
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_periods(d: date, frequency: str, every: int, k: int, seed_day: int | None = None) -> date:
    """Move `d` by k repayment periods of `every` units (k may be negative).

    For months, `seed_day` restores a day-of-month that a short month clamped (31 Jan ->
    28 Feb -> 31 Mar), as Fineract's `adjustDate` does for seed days after the 28th.
    """
    if frequency == "DAYS":
        return d + timedelta(days=every * k)
    if frequency == "WEEKS":
        return d + timedelta(weeks=every * k)
    if frequency != "MONTHS":
        raise ValueError(f"unknown frequency {frequency}")
    moved = add_months(d, every * k)
    return _adjust_to_seed_day(moved, seed_day)


def _adjust_to_seed_day(d: date, seed_day: int | None) -> date:
    # DefaultScheduledDateGenerator.adjustDate: only when the seed day is after the 28th.
    if seed_day is None or seed_day <= 28 or d.day < 28:
        return d
    return d.replace(day=min(calendar.monthrange(d.year, d.month)[1], seed_day))


def seed_date(terms: LoanTerms) -> date:
    """`LoanApplicationTerms.seedDate`: the first due date if given, else the disbursement date."""
    return terms.first_due_date or terms.disbursement_date


def first_due_date(terms: LoanTerms) -> date:
    if terms.first_due_date is not None:
        return terms.first_due_date
    return next_due_date(terms, terms.disbursement_date)


def next_due_date(terms: LoanTerms, previous: date) -> date:
    """`generateNextRepaymentDate` for every period after the first."""
    return add_periods(
        previous,
        terms.frequency,
        terms.repayment_every,
        1,
        seed_day=seed_date(terms).day,
    )


def next_due_dates(terms: LoanTerms) -> Callable[[date], date]:
    """`next_due_date` for these terms, with what it reads of them taken once (a schedule
    asks for the next date once per installment)."""
    frequency, every, seed_day = terms.frequency, terms.repayment_every, seed_date(terms).day
    if frequency == "MONTHS":
        return lambda previous: _adjust_to_seed_day(add_months(previous, every), seed_day)
    return lambda previous: add_periods(previous, frequency, every, 1)


def due_dates(terms: LoanTerms, start_number: int = 1, count: int | None = None) -> list[date]:
    """Due dates of installments `start_number` .. `start_number + count - 1` (1-based).

    Numbers past the term continue the same rhythm, which is what a repayment holiday of k
    periods needs: the installment now numbered i moves to the date of number i + k.
    """
    if start_number < 1:
        raise ValueError("installment numbers start at 1")
    if count is None:
        count = max(terms.number_of_installments - start_number + 1, 0)
    dates: list[date] = []
    current = first_due_date(terms)
    for number in range(1, start_number + count):
        if number > 1:
            current = next_due_date(terms, current)
        if number >= start_number:
            dates.append(current)
    return dates


def ideal_disbursement_date(terms: LoanTerms) -> date:
    """`idealDisbursementDateBasedOnFirstRepaymentDate`: one period before the first due date."""
    return add_periods(first_due_date(terms), terms.frequency, terms.repayment_every, -1)


def interest_start_date(terms: LoanTerms, period_start: date) -> date:
    """`calculateInterestStartDateForPeriod` without interestChargedFromDate.

    The first period's interest runs from the ideal disbursement date (FINERACT-1307), so a
    first due date that is not one period after disbursement does not change its interest.
    """
    # Only the first period starts on the disbursement date: test that first, so the later
    # periods skip the date arithmetic (it was a third of a schedule's time in the profile).
    if period_start != terms.disbursement_date:
        return period_start
    ideal = ideal_disbursement_date(terms)
    if period_start < ideal or period_start < first_due_date(terms):
        return ideal
    return period_start


def days_between(start: date, end: date) -> int:
    """`DateUtils.getExactDifferenceInDays`: actual calendar days, leap days included."""
    return (end - start).days


def periods_per_year(frequency: str, every: int = 1) -> Decimal:
    """The domain's simple rule: 52 weekly, 26 biweekly, 12 monthly periods a year."""
    if frequency not in FINERACT_PERIODS_PER_YEAR:
        raise ValueError(f"unknown frequency {frequency}")
    return Decimal(FINERACT_PERIODS_PER_YEAR[frequency]) / Decimal(every)
