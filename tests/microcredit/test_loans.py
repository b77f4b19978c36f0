"""Loan life cycle at the service layer: every transition, four eyes, one open loan each."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from econ.db import db
from econ.errors import DomainError
from econ.ledger.models import JournalEntry
from econ.ledger.services import balance, unbalanced_entries
from econ.microcredit import services as mc
from econ.microcredit.models import Installment, Loan
from econ.stipends.services import IncentiveAward
from tests.microcredit.factory import DISBURSED_ON, disbursed_loan, world


def apply(w, member, amount="600.00", n=6, **extra):
    return mc.apply_for_loan(
        w.counselor,
        member.id,
        purpose="EQUIPMENT",
        amount=amount,
        number_of_installments=n,
        **extra,
    )


def code_of(call, *args, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    return info.value.code, info.value.field


def test_apply_approve_disburse_fixes_the_schedule_and_posts_the_ledger(people):
    w = world(people)
    loan = apply(w, w.members[0])
    assert (loan.state, loan.principal, loan.currency) == ("APPLIED", Decimal("600.00"), "EUR")
    # Terms default to the group rhythm (weekly) and the settings' 0 % rate.
    assert loan.terms["frequency"] == "WEEKS" and loan.terms["annual_interest_rate"] == "0"
    assert mc.approve_loan(w.finance, loan.id).state == "APPROVED"
    loan = mc.disburse_loan(w.finance, loan.id, DISBURSED_ON)
    assert loan.state == "DISBURSED"
    rows = mc.installments_of(loan)
    # 600 / 6 = 100 a week from 13 January 2025 (disbursement + 1 week).
    assert next((i.due_date, i.principal, i.interest) for i in rows) == (
        date(2025, 1, 13),
        Decimal("100.00"),
        Decimal("0.00"),
    )
    assert rows[-1].due_date == date(2025, 2, 17)
    assert balance("loans_receivable") == Decimal("600.00")
    assert balance("bank") == Decimal("-600.00")


def test_reject_frees_her_to_apply_again(people):
    w = world(people)
    loan = apply(w, w.members[0])
    assert code_of(mc.reject_loan, w.finance, loan.id, " ") == ("REQUIRED", "reason")
    rejected = mc.reject_loan(w.finance, loan.id, "business plan unclear")
    assert (rejected.state, rejected.rejection_reason) == ("REJECTED", "business plan unclear")
    assert apply(w, w.members[0]).state == "APPLIED"


def test_full_repayment_makes_the_loan_repaid_and_grants_one_award(people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    mc.record_repayment(w.counselor, loan.id, "200.00", date(2025, 1, 20))
    assert Loan.get_by_id(loan.id).state == "DISBURSED"
    mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 27))
    loan = Loan.get_by_id(loan.id)
    assert loan.state == "REPAID" and loan.open_borrower is None
    awards = list(IncentiveAward.select().where(IncentiveAward.rule == "LOAN_REPAID"))
    # 50.00 is the incentive_loan_repaid default.
    assert [(a.participant_id, a.amount, a.source_id) for a in awards] == [
        (w.members[0].id, Decimal("50.00"), str(loan.id))
    ]
    assert balance("loans_receivable") == 0
    # Repaid: she may borrow again.
    assert apply(w, w.members[0]).state == "APPLIED"


def test_invalid_transitions_are_refused(people):
    w = world(people)
    loan = apply(w, w.members[0])
    assert code_of(mc.disburse_loan, w.finance, loan.id, DISBURSED_ON)[0] == "INVALID_TRANSITION"
    assert code_of(mc.write_off_loan, w.finance, loan.id, "gone")[0] == "INVALID_TRANSITION"
    assert code_of(mc.record_repayment, w.finance, loan.id, "10.00", DISBURSED_ON)[0] == (
        "LOAN_NOT_DISBURSED"
    )
    mc.approve_loan(w.finance, loan.id)
    assert code_of(mc.approve_loan, w.finance2, loan.id)[0] == "INVALID_TRANSITION"
    assert code_of(mc.reject_loan, w.finance, loan.id, "late")[0] == "INVALID_TRANSITION"
    assert Loan.get_by_id(loan.id).state == "APPROVED"


def test_only_finance_decides_and_never_the_counselor_who_applied(people):
    w = world(people)
    loan = apply(w, w.members[0])
    _participant_user, her = people.participant_login(w.counselor, w.members[0])
    for actor in (w.counselor, her):
        assert code_of(mc.approve_loan, actor, loan.id)[0] == "FORBIDDEN"
        assert code_of(mc.disburse_loan, actor, loan.id, DISBURSED_ON)[0] == "FORBIDDEN"
    # The rule also binds by identity: an actor whose user id applied may not decide.
    from econ.security.roles import Actor, Role

    same_person = Actor(user_id=w.counselor.user_id, role=Role.FINANCE)
    assert code_of(mc.approve_loan, same_person, loan.id) == ("FORBIDDEN", "loanId")
    assert Loan.get_by_id(loan.id).state == "APPLIED"


def test_application_rules(people):
    w = world(people)
    outsider = people.participant(w.counselor, preferred_name="Carmen")
    assert code_of(apply, w, outsider) == ("NOT_A_MEMBER", "participantId")
    # 5000.00 is the settings' maximum.
    assert code_of(apply, w, w.members[0], amount="5000.01") == ("INVALID_AMOUNT", "amount")
    assert code_of(apply, w, w.members[0], amount="12.5x") == ("INVALID_AMOUNT", "amount")
    assert code_of(apply, w, w.members[0], n=0) == ("INVALID_LOAN_TERMS", "numberOfInstallments")
    assert code_of(apply, w, w.members[0], grace_on_principal=6) == (
        "INVALID_LOAN_TERMS",
        "graceOnPrincipal",
    )
    _other_counselor_user, other = people.counselor()
    with pytest.raises(DomainError) as info:
        mc.apply_for_loan(
            other, w.members[0].id, purpose="OTHER", amount="100.00", number_of_installments=2
        )
    assert info.value.code == "NOT_FOUND"
    forming = world(people, size=3, activate=False)
    assert code_of(apply, forming, forming.members[0]) == ("GROUP_NOT_ACTIVE", "participantId")
    assert Loan.select().count() == 0


def test_one_open_loan_per_borrower(people):
    w = world(people)
    apply(w, w.members[0])
    assert code_of(apply, w, w.members[0]) == ("OPEN_LOAN_EXISTS", "participantId")
    assert Loan.select().count() == 1


def test_one_open_loan_per_borrower_under_concurrency(people):
    """Eight simultaneous applications for the same woman: exactly one goes through."""
    w = world(people)
    member = w.members[1]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        with db.connection_context():
            barrier.wait()
            try:
                apply(w, member)
                result = "ok"
            except DomainError as exc:
                result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["OPEN_LOAN_EXISTS"] * 7 + ["ok"]
    assert Loan.select().where(Loan.borrower == member.id).count() == 1


def test_write_off_needs_a_second_finance_user(people):
    w = world(people)
    loan = disbursed_loan(w, w.members[0], amount="500.00", installments=5)
    mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 13))
    assert code_of(mc.write_off_loan, w.counselor, loan.id, "moved away")[0] == "FORBIDDEN"
    pending = mc.write_off_loan(w.finance, loan.id, "she had to flee the city")
    assert pending.state == "DISBURSED" and pending.write_off_requested_by == w.finance.user_id
    assert code_of(mc.write_off_loan, w.finance2, loan.id, "again")[0] == "WRITE_OFF_PENDING"
    assert code_of(mc.approve_write_off, w.finance, loan.id) == ("FORBIDDEN", "loanId")
    assert JournalEntry.select().where(JournalEntry.key == f"loan:{loan.id}:write_off").count() == 0
    done = mc.approve_write_off(w.finance2, loan.id)
    assert (done.state, done.written_off_by) == ("WRITTEN_OFF", w.finance2.user_id)
    # 500 lent - 100 repaid = 400 moved from the receivable to the write-off expense.
    assert balance("loan_write_off") == Decimal("400.00")
    assert balance("loans_receivable") == 0
    assert unbalanced_entries() == []
    # No open loan any more.
    assert apply(w, w.members[0]).state == "APPLIED"


def test_interest_bearing_loan_splits_interest_and_principal_in_the_ledger(people):
    w = world(people)
    # Flat 12 %, 10 weekly: 1000 x 12 % / 52 x 10 = 23.08 interest, 2.31 a week (last 2.29).
    loan = disbursed_loan(w, w.members[0], rate="12", interest_method="FLAT")
    rows = mc.installments_of(loan)
    assert [r.interest for r in rows] == [Decimal("2.31")] * 9 + [Decimal("2.29")]
    mc.record_repayment(w.finance, loan.id, "150.00", date(2025, 1, 13))
    # 150 = 2.31 + 100.00 (first) + 2.31 + 45.38 (second).
    assert balance("interest_income") == Decimal("-4.62")
    assert balance("loans_receivable") == Decimal("1000.00") - Decimal("145.38")
    paid = [
        (i.paid_interest, i.paid_principal)
        for i in Installment.select().order_by(Installment.number)
    ][:3]
    assert paid == [
        (Decimal("2.31"), Decimal("100.00")),
        (Decimal("2.31"), Decimal("45.38")),
        (Decimal("0.00"), Decimal("0.00")),
    ]
