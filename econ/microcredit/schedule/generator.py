"""The cumulative schedule generator: Fineract's `AbstractCumulativeLoanScheduleGenerator`.

One pass over the periods, as `generate()` does for a new loan without interest
recalculation, charges, down payment or tranches. Per period it asks the interest-method
strategy (flat or declining, as `CumulativeFlatInterestLoanScheduleGenerator` and
`CumulativeDecliningBalanceInterestLoanScheduleGenerator`) for principal and interest, then
applies the shared bookkeeping: the balance falls by the principal, the installment that
reaches the last number absorbs every principal (and, for flat, interest) residue, and
interest still deferred by an interest-payment grace is added to the last installment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from econ.errors import DomainError
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.schedule.periods import (
    due_dates,
    first_due_date,
    interest_start_date,
    next_due_dates,
)
from econ.microcredit.schedule.rates import (
    flat_rate_for_term,
    periodic_rate,
    pmt,
    pmt_rate,
)
from econ.microcredit.schedule.rounding import MoneyContext, money_context
from econ.microcredit.schedule.terms import LoanTerms


class Installment(NamedTuple):
    """One row of a schedule (immutable; a named tuple because a schedule builds one per
    period and a frozen dataclass's constructor was a tenth of a schedule's time)."""

    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    total: Decimal
    balance_after: Decimal


@dataclass(frozen=True)
class Schedule:
    installments: tuple[Installment, ...]
    total_principal: Decimal
    total_interest: Decimal
    total_repayment: Decimal


@dataclass
class _State:
    """The running totals `LoanScheduleParams` carries between periods."""

    balance: Decimal
    cumulative_principal: Decimal
    cumulative_interest: Decimal
    deferred_interest: Decimal  # totalOutstandingInterestPaymentDueToGrace
    reduce_principal: Decimal  # negative principal carried forward


@dataclass(frozen=True)
class _Plan:
    """Amounts fixed once per loan before the loop (`updateAmortization`, total flat interest)."""

    terms: LoanTerms
    ctx: MoneyContext
    emi: Decimal | None
    fixed_principal: Decimal | None
    flat_per_installment: Decimal
    total_interest_due: Decimal
    # The periodic rate when it does not depend on the period's dates (computed once).
    period_rate: Decimal | None = None
    # The principal as money, which every period's last-installment check compares with.
    principal: Decimal | None = None


def generate_schedule(terms: LoanTerms) -> Schedule:
    """The installments Fineract's cumulative engine computes for these terms."""
    ctx = money_context(terms.currency_digits, terms.currency_in_multiples_of, terms.rounding_mode)
    plan = _plan(terms, ctx)
    zero = ctx.zero()
    state = _State(ctx.money(terms.principal), zero, zero, zero, zero)
    rows: list[Installment] = []
    period_start, due = terms.disbursement_date, first_due_date(terms)
    following = next_due_dates(terms)
    period = _flat_period if terms.interest_method == "FLAT" else _declining_period
    number = 1
    # Fineract loops until the balance is zero; the last-period adjustment ends it at n, or
    # earlier when rounding up to an installment multiple repays the loan sooner.
    while state.balance != 0:
        if number > 2 * terms.number_of_installments + 2:
            raise DomainError(
                MicrocreditCode.SCHEDULE_DOES_NOT_CONVERGE, "the schedule does not repay the loan"
            )
        principal, interest = period(plan, state, number, period_start, due)
        if number < terms.number_of_installments:
            # With nothing carried, a positive principal passes unchanged: skip the call.
            if state.reduce_principal or principal <= 0:
                principal = _apply_carried_reduction(state, principal, zero)
        else:
            # Deliberate deviation: Fineract would still subtract a carried negative principal
            # here and then loop past the term (or forever); the last installment takes all.
            state.reduce_principal = zero
        state.balance -= principal
        if state.balance < 0:
            principal += state.balance
            state.balance = zero
        rows.append(
            Installment(number, due, principal, interest, principal + interest, state.balance)
        )
        state.cumulative_principal += principal
        state.cumulative_interest += interest
        period_start, due = due, following(due)
        number += 1
    total_interest = state.cumulative_interest
    if state.deferred_interest > 0:
        last = rows[-1]
        interest = last.interest + state.deferred_interest
        rows[-1] = last._replace(interest=interest, total=last.principal + interest)
        total_interest += state.deferred_interest
    # The running sums are the sums of the rows: Decimal addition of amounts this size is
    # exact, so the order (the deferred interest added last) does not change a digit.
    principal = state.cumulative_principal
    return Schedule(tuple(rows), principal, total_interest, principal + total_interest)


def _plan(terms: LoanTerms, ctx: MoneyContext) -> _Plan:
    principal = ctx.money(terms.principal)
    emi = fixed_principal = None
    if terms.interest_method == "DECLINING_BALANCE":
        if terms.amortization == "EQUAL_INSTALLMENTS":
            emi = _emi(terms, ctx, principal)
        else:
            fixed_principal = _equal_principal(terms, ctx, principal)
    total = per_installment = due = ctx.zero()
    if terms.interest_method == "FLAT":
        loan_end = due_dates(terms, terms.number_of_installments, 1)[0]
        total = ctx.multiply_retain_scale(principal, flat_rate_for_term(terms, ctx, loan_end))
        per_installment = ctx.divide(total, terms.number_of_installments)
        # calculateTotalInterestCharged: interest-free periods are taken off the total.
        waived = ctx.multiply_retain_scale(per_installment, terms.grace_on_interest_charged)
        # Deliberate deviation: with UP/CEILING rounding the waived part can exceed the total
        # by a cent; Fineract would then charge negative interest, we charge none.
        due = max(total - waived, ctx.zero())
    fixed_rate = None
    if terms.interest_calculation_period != "DAILY":
        fixed_rate = periodic_rate(terms, ctx, terms.disbursement_date, terms.disbursement_date)
    return _Plan(terms, ctx, emi, fixed_principal, per_installment, due, fixed_rate, principal)


def _emi(terms: LoanTerms, ctx: MoneyContext, principal: Decimal) -> Decimal:
    """`updateFixedInstallmentAmount` -> `paymentPerPeriod`: pmt over n - principal grace."""
    periods = terms.number_of_installments - terms.grace_on_principal
    amount = pmt(pmt_rate(terms, ctx), periods, principal)
    multiple = terms.installment_amount_in_multiples_of
    if multiple is not None:
        amount = ctx.round_decimal_to_multiple(amount, multiple)
    emi = ctx.money(amount)
    if emi <= 0:
        raise DomainError(
            MicrocreditCode.INSTALLMENT_ROUNDS_TO_ZERO,
            "the installment rounds to zero; lower the installment multiple",
            "installment_amount_in_multiples_of",
        )
    return emi


def _equal_principal(terms: LoanTerms, ctx: MoneyContext, principal: Decimal) -> Decimal:
    """`updateFixedPrincipalAmount`: principal / (n - principal grace), to money."""
    return ctx.divide(principal, terms.number_of_installments - terms.grace_on_principal)


# --- grace predicates (LoanApplicationTerms) -------------------------------------------


def _principal_grace(terms: LoanTerms, number: int) -> bool:
    """`isPrincipalGraceApplicableForThisPeriod`: periods 1 .. graceOnPrincipal."""
    return number <= terms.grace_on_principal


def _interest_payment_grace(terms: LoanTerms, number: int) -> bool:
    """`isInterestPaymentGraceApplicableForThisPeriod`: periods 1 .. graceOnInterestPayment."""
    return number <= terms.grace_on_interest_payment


def _interest_free(terms: LoanTerms, number: int) -> bool:
    """`isInterestFreeGracePeriod`: periods 1 .. graceOnInterestCharged."""
    return number <= terms.grace_on_interest_charged


# --- declining balance -------------------------------------------------------------------


def _declining_period(
    plan: _Plan, state: _State, number: int, start: date, due: date
) -> tuple[Decimal, Decimal]:
    """One period [start, due) of a declining-balance loan: (principal, interest)."""
    terms, ctx = plan.terms, plan.ctx
    interest, own_interest = _declining_interest(plan, state, number, start, due)
    if plan.emi is not None and plan.emi < interest:
        # AbstractCumulativeLoanScheduleGenerator refuses an EMI below the period's interest.
        raise DomainError(
            MicrocreditCode.INSTALLMENT_BELOW_INTEREST,
            f"installment {number} would not cover its interest {interest}",
            "grace_on_interest_payment" if terms.grace_on_interest_payment else "principal",
        )
    if _principal_grace(terms, number):
        principal = ctx.zero()
    elif plan.emi is not None:
        # calculatePrincipalDueForInstallment: EMI minus this period's own interest only;
        # interest brought forward from a payment grace is paid on top of the EMI.
        principal = plan.emi - own_interest
    else:
        principal = plan.fixed_principal
    return _adjust_last_principal(plan, state, number, principal), interest


def _declining_interest(
    plan: _Plan, state: _State, number: int, start: date, due: date
) -> tuple[Decimal, Decimal]:
    """`calculateTotalInterestForPeriod`, DECLINING_BALANCE branch.

    Returns (interest charged in this installment, interest that accrued in this period).
    """
    terms, ctx = plan.terms, plan.ctx
    rate = plan.period_rate
    if rate is None:  # DAILY: the period's days, from its interest start date
        rate = periodic_rate(terms, ctx, interest_start_date(terms, start), due)
    accrued = ctx.multiply_retain_scale(state.balance, rate)
    after_grace = accrued
    if _interest_payment_grace(terms, number) or _interest_free(terms, number):
        after_grace = ctx.zero()
    deferred_before = state.deferred_interest
    if after_grace > 0:
        state.deferred_interest = ctx.zero()
        return deferred_before + after_grace, after_grace
    if _interest_free(terms, number):
        return ctx.zero(), ctx.zero()
    state.deferred_interest = deferred_before + accrued
    return ctx.zero(), accrued


# --- flat --------------------------------------------------------------------------------


def _flat_period(
    plan: _Plan, state: _State, number: int, start: date, due: date
) -> tuple[Decimal, Decimal]:
    """One period of a flat loan; its interest does not depend on the period's dates."""
    terms = plan.terms
    if terms.amortization == "EQUAL_INSTALLMENTS":
        interest = _flat_interest_averaged(plan, number)
    else:
        interest = _flat_interest_deferred(plan, state, number)
    principal = _flat_principal(plan, number, interest)
    principal = _adjust_last_principal(plan, state, number, principal)
    return principal, _adjust_last_interest(plan, state, number, interest)


def _flat_interest_averaged(plan: _Plan, number: int) -> Decimal:
    """`calculateTotalFlatInterestForInstallmentAveragingOutGracePeriods`.

    Grace periods carry no interest; the total due is spread evenly over the other periods.
    """
    terms, ctx = plan.terms, plan.ctx
    if _interest_payment_grace(terms, number) or _interest_free(terms, number):
        return ctx.zero()
    # realTotalInterestForLoan = total - per installment x interest-free periods, which is the
    # total interest due computed once in _plan.
    real_total = plan.total_interest_due
    paying_periods = (
        terms.number_of_installments
        - terms.grace_on_interest_payment
        - terms.grace_on_interest_charged
    )
    return ctx.divide(real_total, paying_periods)


def _flat_interest_deferred(plan: _Plan, state: _State, number: int) -> Decimal:
    """`calculateTotalFlatInterestForPeriod`: grace interest is paid after the grace."""
    terms, ctx = plan.terms, plan.ctx
    per_installment = plan.flat_per_installment
    if _interest_payment_grace(terms, number):
        state.deferred_interest += per_installment
        return ctx.zero()
    if _interest_free(terms, number):
        return ctx.zero()
    if number == terms.grace_on_interest_payment + 1:
        brought_forward = state.deferred_interest
        state.deferred_interest = ctx.zero()
        return brought_forward + per_installment
    return per_installment


def _flat_principal(plan: _Plan, number: int, interest: Decimal) -> Decimal:
    """`calculateTotalPrincipalPerPeriodWithoutGrace`.

    With an installment multiple, principal and interest are each rounded to the multiple
    and the interest's rounding difference is put on the principal, so that the installment
    total is a multiple (Fineract's comment: 416.67 -> 417, 12.50 -> 13, principal 417.5).
    """
    terms, ctx = plan.terms, plan.ctx
    paying_periods = terms.number_of_installments - terms.grace_on_principal
    principal = ctx.divide(ctx.money(terms.principal), paying_periods)
    if _principal_grace(terms, number):
        principal = ctx.zero()
    multiple = terms.installment_amount_in_multiples_of
    if multiple is None:
        return principal
    rounded_interest = ctx.round_to_multiple(interest, multiple)
    return ctx.round_to_multiple(principal, multiple) + rounded_interest - interest


# --- residues ----------------------------------------------------------------------------


def _adjust_last_principal(plan: _Plan, state: _State, number: int, principal: Decimal) -> Decimal:
    """`adjustPrincipalIfLastRepaymentPeriod`: never overpay; the last takes the residue."""
    terms = plan.terms
    to_date = state.cumulative_principal + principal
    remaining = plan.principal - to_date
    if remaining < 0:
        return principal + remaining
    if number == terms.number_of_installments:
        return principal + remaining
    return principal


def _adjust_last_interest(plan: _Plan, state: _State, number: int, interest: Decimal) -> Decimal:
    """`adjustInterestIfLastRepaymentPeriod` (flat): same rule against the total interest due."""
    to_date = state.cumulative_interest + interest
    remaining = plan.total_interest_due - to_date
    if remaining < 0 or number == plan.terms.number_of_installments:
        return interest + remaining
    return interest


def _apply_carried_reduction(state: _State, principal: Decimal, zero: Decimal) -> Decimal:
    """`updatePrincipalPortionBasedOnPreviousEarlyPayments`: a negative principal is carried."""
    if principal > state.reduce_principal:
        principal -= state.reduce_principal
        state.reduce_principal = zero
        return principal
    state.reduce_principal -= principal
    return zero
