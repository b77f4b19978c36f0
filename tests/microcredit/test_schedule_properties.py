"""Invariants of every schedule, whatever the terms (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from econ.errors import DomainError
from econ.microcredit.schedule import LoanTerms, Schedule, generate_schedule

# Refusals Fineract makes too: an EMI that rounds to nothing or cannot cover its interest.
EXPECTED_REFUSALS = {"INSTALLMENT_ROUNDS_TO_ZERO", "INSTALLMENT_BELOW_INTEREST"}


@st.composite
def loan_terms(draw: st.DrawFn) -> LoanTerms:
    zero_digit = draw(st.booleans())
    if zero_digit:
        currency, digits, currency_multiple = "XOF", 0, draw(st.sampled_from([None, 5, 25, 100]))
        step = currency_multiple or 1
        principal = Decimal(draw(st.integers(1, 30_000)) * step)
        installment_multiple = draw(st.sampled_from([None, Decimal(100), Decimal(500)]))
    else:
        currency, digits, currency_multiple = "EUR", 2, None
        principal = Decimal(draw(st.integers(100, 500_000))) / 100
        installment_multiple = draw(st.sampled_from([None, Decimal(1), Decimal(5)]))
    n = draw(st.integers(1, 48))
    grace = st.integers(0, max(n - 1, 0))
    method = draw(st.sampled_from(["FLAT", "DECLINING_BALANCE"]))
    grace_payment, grace_charged = draw(grace), draw(grace)
    if method == "FLAT" and grace_payment + grace_charged >= n:
        grace_payment = grace_charged = 0
    disbursed = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 2000)))
    return LoanTerms(
        principal=principal,
        annual_interest_rate=Decimal(draw(st.integers(0, 6000))) / 100,
        interest_method=method,
        amortization=draw(st.sampled_from(["EQUAL_INSTALLMENTS", "EQUAL_PRINCIPAL"])),
        number_of_installments=n,
        repayment_every=draw(st.integers(1, 3)),
        frequency=draw(st.sampled_from(["DAYS", "WEEKS", "MONTHS"])),
        interest_calculation_period=draw(st.sampled_from(["SAME_AS_REPAYMENT_PERIOD", "DAILY"])),
        days_in_year=draw(st.sampled_from(["ACTUAL", "360", "364", "365"])),
        grace_on_principal=draw(grace),
        grace_on_interest_payment=grace_payment,
        grace_on_interest_charged=grace_charged,
        installment_amount_in_multiples_of=installment_multiple,
        currency=currency,
        currency_digits=digits,
        currency_in_multiples_of=currency_multiple,
        rounding_mode=draw(st.sampled_from(["HALF_EVEN", "HALF_UP", "DOWN", "UP"])),
        disbursement_date=disbursed,
        first_due_date=draw(st.none() | st.integers(1, 40).map(lambda d: disbursed + timedelta(d))),
    )


def schedule_or_refusal(terms: LoanTerms) -> Schedule:
    try:
        return generate_schedule(terms)
    except DomainError as refusal:
        assert refusal.code in EXPECTED_REFUSALS, refusal.code
        assume(False)
        raise


@settings(max_examples=200, deadline=None)
@given(loan_terms())
def test_principal_sums_exactly_to_the_loan(terms: LoanTerms) -> None:
    schedule = schedule_or_refusal(terms)
    assert sum(i.principal for i in schedule.installments) == terms.principal
    assert schedule.total_principal == terms.principal


@settings(max_examples=200, deadline=None)
@given(loan_terms())
def test_totals_are_the_sums_of_the_installments(terms: LoanTerms) -> None:
    schedule = schedule_or_refusal(terms)
    installments = schedule.installments
    assert schedule.total_repayment == sum(i.total for i in installments)
    assert schedule.total_interest == sum(i.interest for i in installments)
    assert all(i.total == i.principal + i.interest for i in installments)
    if terms.annual_interest_rate == 0:
        assert schedule.total_interest == 0


@settings(max_examples=200, deadline=None)
@given(loan_terms())
def test_no_negative_amounts_and_the_balance_ends_at_zero(terms: LoanTerms) -> None:
    schedule = schedule_or_refusal(terms)
    for i in schedule.installments:
        assert min(i.principal, i.interest, i.total, i.balance_after) >= 0
    assert schedule.installments[-1].balance_after == 0
    balances = [terms.principal] + [i.balance_after for i in schedule.installments]
    assert all(
        after == before - i.principal
        for before, after, i in zip(balances, balances[1:], schedule.installments, strict=False)
    )


@settings(max_examples=100, deadline=None)
@given(loan_terms())
def test_installments_are_numbered_and_dated_in_order(terms: LoanTerms) -> None:
    schedule = schedule_or_refusal(terms)
    numbers = [i.number for i in schedule.installments]
    assert numbers == list(range(1, len(numbers) + 1))
    dates = [terms.disbursement_date] + [i.due_date for i in schedule.installments]
    assert all(a < b for a, b in pairwise(dates))
    # Rounding up (to cents or to an installment multiple) may repay the loan before the
    # last number, as in Fineract; the last installment never goes past the term.
    assert len(numbers) <= terms.number_of_installments
