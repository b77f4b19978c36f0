"""Allocation (pure, with hypothesis) and repayments with reversal against the database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econ.errors import DomainError
from econ.ledger.models import JournalEntry
from econ.ledger.services import balance, unbalanced_entries
from econ.microcredit import services as mc
from econ.microcredit.allocation import Due, Payment, allocate
from econ.microcredit.models import Installment, Loan, Repayment
from econ.microcredit.repayments import posted
from econ.stipends.services import IncentiveAward
from tests.microcredit.factory import DISBURSED_ON, disbursed_loan, world

D = Decimal
cents = st.integers(min_value=0, max_value=50_000).map(lambda c: D(c) / 100)


@st.composite
def dues_and_payments(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    dues = [
        Due(k + 1, date(2025, 1, 6) + timedelta(weeks=k + 1), draw(cents), draw(cents))
        for k in range(n)
    ]
    owed = sum(d.principal + d.interest for d in dues)
    amounts = draw(st.lists(st.integers(min_value=1, max_value=30_000), max_size=6))
    payments, left = [], owed
    for index, c in enumerate(amounts):
        value = min(D(c) / 100, left)
        if value <= 0:
            break
        left -= value
        payments.append(Payment(index, date(2025, 1, 6) + timedelta(days=index), value))
    return dues, payments


@settings(max_examples=200, deadline=None)
@given(dues_and_payments())
def test_allocation_never_pays_more_than_due_and_accounts_for_every_cent(case):
    dues, payments = case
    result = allocate(dues, payments)
    for d in dues:
        paid = result.paid[d.number]
        assert D(0) <= paid.principal <= d.principal
        assert D(0) <= paid.interest <= d.interest
    total_paid = sum(p.principal + p.interest for p in result.paid.values())
    assert total_paid == sum(p.amount for p in payments)
    # Each payment's lines add up to it.
    for p in payments:
        assert sum(pr + it for _, pr, it in result.lines[p.key]) == p.amount
    # Oldest first: an installment is touched only once every earlier one is fully paid.
    open_seen = False
    for d in dues:
        paid = result.paid[d.number]
        if open_seen:
            assert paid.principal == 0 and paid.interest == 0
        if paid.principal + paid.interest < d.principal + d.interest:
            open_seen = True


def test_interest_before_principal_and_excess_pays_ahead():
    dues = [
        Due(1, date(2025, 1, 13), D("100.00"), D("5.00")),
        Due(2, date(2025, 1, 20), D("100.00"), D("4.00")),
        Due(3, date(2025, 1, 27), D("100.00"), D("3.00")),
    ]
    # 50: 5 interest then 45 principal of the first.
    first = allocate(dues, [Payment(1, date(2025, 1, 13), D("50.00"))])
    assert first.lines[1] == [(1, D("45.00"), D("5.00"))]
    # 170 more: the rest of #1 (55 principal), #2 in full (4 + 100), 11 of #3's (3 + 8).
    both = allocate(
        dues,
        [Payment(1, date(2025, 1, 13), D("50.00")), Payment(2, date(2025, 1, 13), D("170.00"))],
    )
    assert both.lines[2] == [
        (1, D("55.00"), D("0.00")),
        (2, D("100.00"), D("4.00")),
        (3, D("8.00"), D("3.00")),
    ]
    with pytest.raises(DomainError) as info:
        allocate(dues, [Payment(1, date(2025, 1, 13), D("312.01"))])  # owed: 312.00
    assert (info.value.code, info.value.field) == ("OVERPAYMENT", "amount")


def _state(loan_id: int) -> tuple:
    """Everything a repayment can change, the reversed records aside."""
    loan = Loan.get_by_id(loan_id)
    installments = [
        (i.number, i.due_date, i.paid_principal, i.paid_interest)
        for i in Installment.select()
        .where(Installment.loan == loan_id)
        .order_by(Installment.number)
    ]
    live = [
        (r.id, r.amount, r.paid_on, tuple(map(tuple, r.allocation)))
        for r in Repayment.select()
        .where((Repayment.loan == loan_id) & Repayment.reversed_at.is_null())
        .order_by(Repayment.id)
    ]
    ledger = (
        posted(loan, "loans_receivable"),
        posted(loan, "interest_income"),
        posted(loan, "bank"),
    )
    return loan.state, loan.open_borrower, installments, live, ledger


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    earlier=st.lists(st.integers(min_value=1, max_value=40_000), max_size=3),
    mistaken=st.integers(min_value=1, max_value=60_000),
    day=st.integers(min_value=0, max_value=60),
    rate=st.sampled_from(["0", "12", "36"]),
)
def test_reversal_restores_the_exact_prior_state(people, earlier, mistaken, day, rate):
    w = world(people, size=3)
    loan = disbursed_loan(w, w.members[0], amount="900.00", installments=6, rate=rate)
    for index, c in enumerate(earlier):
        try:
            mc.record_repayment(
                w.finance, loan.id, D(c) / 100, DISBURSED_ON + timedelta(days=7 * index + 3)
            )
        except DomainError as exc:
            assert exc.code == "OVERPAYMENT"
    before = _state(loan.id)
    try:
        # Possibly back-dated before the earlier ones: re-allocation reorders everything.
        wrong = mc.record_repayment(
            w.finance, loan.id, D(mistaken) / 100, DISBURSED_ON + timedelta(days=day)
        )
    except DomainError as exc:
        assert exc.code == "OVERPAYMENT"
        assert _state(loan.id) == before
        return
    mc.reverse_repayment(w.finance, wrong.id, "typed the wrong amount")
    assert _state(loan.id) == before
    kept = Repayment.get_by_id(wrong.id)
    assert kept.reversed_at is not None and kept.reversal_reason == "typed the wrong amount"
    assert unbalanced_entries() == []


def test_reversal_posts_a_mirror_entry_and_reopens_a_repaid_loan(people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0], amount="200.00", installments=2)
    first = mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 13))
    last = mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 20))
    assert Loan.get_by_id(loan.id).state == "REPAID"
    mc.reverse_repayment(w.finance, last.id, "bounced transfer")
    loan = Loan.get_by_id(loan.id)
    assert (loan.state, loan.open_borrower) == ("DISBURSED", w.members[0].id)
    key = f"loan:{loan.id}:repayment:{last.id}"
    mirror = JournalEntry.get(JournalEntry.key == f"{key}:reversal")
    assert mirror.reverses.key == key
    # 200 lent, 100 kept: 100 still receivable, the bank holds the one live repayment.
    assert balance("loans_receivable") == D("100.00")
    assert balance("bank") == D("-100.00")
    # The award is granted once and stays (it is paid out with stipends, not clawed back).
    assert IncentiveAward.select().count() == 1
    assert first.allocation == [[1, 10000, 0]]
    with pytest.raises(DomainError) as info:
        mc.reverse_repayment(w.finance, last.id, "again")
    assert info.value.code == "ALREADY_REVERSED"


def test_reversing_the_first_repayment_reclassifies_the_later_ones(people):
    w = world(people)
    # 12 % flat, 4 weekly, 400: interest 400 x 12 % / 52 x 4 = 3.69 -> 0.92, 0.92, 0.92, 0.93.
    loan = disbursed_loan(
        w, w.members[0], amount="400.00", installments=4, rate="12", interest_method="FLAT"
    )
    a = mc.record_repayment(w.finance, loan.id, "100.92", date(2025, 1, 13))
    mc.record_repayment(w.finance, loan.id, "100.92", date(2025, 1, 20))
    assert balance("interest_income") == D("-1.84")
    mc.reverse_repayment(w.finance, a.id, "recorded twice")
    # The remaining 100.92 now pays installment 1 in full: 0.92 interest + 100.00 principal.
    assert balance("interest_income") == D("-0.92")
    assert balance("loans_receivable") == D("300.00")
    assert unbalanced_entries() == []


def test_repayment_validation(people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0], amount="200.00", installments=2)
    cases = [
        (("0.00", date(2025, 1, 13)), ("INVALID_AMOUNT", "amount")),
        (("1.999", date(2025, 1, 13)), ("INVALID_AMOUNT", "amount")),
        (("200.01", date(2025, 1, 13)), ("OVERPAYMENT", "amount")),
        (("10.00", DISBURSED_ON - timedelta(days=1)), ("INVALID_DATE", "paidOn")),
        (("10.00", date.today() + timedelta(days=1)), ("INVALID_DATE", "paidOn")),
    ]
    for (amount, paid_on), expected in cases:
        with pytest.raises(DomainError) as info:
            mc.record_repayment(w.finance, loan.id, amount, paid_on)
        assert (info.value.code, info.value.field) == expected
    assert Repayment.select().count() == 0
    _other_user, other = people.counselor()
    with pytest.raises(DomainError) as info:
        mc.record_repayment(other, loan.id, "10.00", date(2025, 1, 13))
    assert info.value.code == "NOT_FOUND"
