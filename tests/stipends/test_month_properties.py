"""Property: over random months of events (bank failures, account changes with or without
a second person's confirmation, held lines, retries, follow-up runs, late returns and
re-imported files), every line is paid at most once, every attempt went to the account
that was current and confirmed when it was written, and the ledger balances. The first
woman also has a loan paid out through the runs: it is disbursed exactly when its one
line is paid (a failure or a late return leaves it waiting), never twice."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econ.errors import Conflict, DomainError
from econ.ledger.services import balance, unbalanced_entries
from econ.microcredit import services as mc
from econ.microcredit.models import Loan
from econ.money import ZERO
from econ.participants import services as participants
from econ.security.crypto import decrypt
from econ.stipends import services as stipends
from econ.stipends.disbursement import attempt_context
from econ.stipends.models import PaymentAttempt, PaymentLine
from tests.conftest import truncate_all
from tests.stipends.conftest import World, attempts_of
from tests.support.people import unique_iban

PEOPLE = 3
person_month = st.fixed_dictionaries(
    {
        "outcome": st.sampled_from(["ACSC", "RJCT", "NONE"]),
        "change_account": st.booleans(),
        "confirm": st.booleans(),
        "late_return": st.booleans(),
    }
)
month = st.fixed_dictionaries(
    {
        "people": st.lists(person_month, min_size=PEOPLE, max_size=PEOPLE),
        "reimport": st.booleans(),
        "retry": st.booleans(),
        "followup": st.booleans(),
    }
)


class Model:
    """What the test itself knows: her account now, the last one used, and confirmations."""

    def __init__(self):
        self.current: dict[int, str | None] = {}
        self.used: dict[int, str] = {}
        self.confirmed: dict[int, set[str]] = {}
        self.checked: set[int] = set()

    def check_new_attempts(self) -> None:
        for attempt in PaymentAttempt.select().where(PaymentAttempt.file.is_null(False)):
            if attempt.id in self.checked:
                continue
            self.checked.add(attempt.id)
            pid = PaymentLine.get_by_id(attempt.line_id).participant_id
            account = decrypt(attempt.account, attempt_context("account", attempt.reference))
            assert account == self.current[pid], "written to an account that is not hers now"
            last = self.used.get(pid)
            assert last in (None, account) or account in self.confirmed.get(pid, set()), (
                "a changed account was paid without a second person's confirmation"
            )
            self.used[pid] = account


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(month, min_size=1, max_size=3), st.lists(st.booleans(), min_size=PEOPLE))
def test_a_random_quarter_pays_each_line_once_to_the_confirmed_account(people, months, accounts):
    truncate_all()
    world = World(people)
    model = Model()
    roster = []
    for i in range(PEOPLE):
        account = unique_iban() if accounts[i % len(accounts)] else None
        p = world.participant(bank_account=account)
        model.current[p.id] = account
        world.schedule(p)
        roster.append(p)
    loan = _loan(world, roster)
    for index, events in enumerate(months):
        period = f"2026-{index + 1:02d}"
        run = world.disburse(world.approve(world.calculate(period)))
        model.check_new_attempts()
        text = _bank_file(run, roster, events)
        if text:
            stipends.import_results(world.finance, run.id, text)
            if events["reimport"]:
                stipends.import_results(world.finance, run.id, text)
        _change_accounts(world, model, roster, events)
        if events["retry"]:
            _retry_all(world, run)
            model.check_new_attempts()
        if events["followup"]:
            _followup(world, period)
            model.check_new_attempts()
        _late_returns(world, run, roster, events)
        _check_invariants(loan)


def _loan(world, roster):
    """A loan of 500.00 to the first woman, approved by one FINANCE user and requested by
    a third (so that the second may approve the runs that pay it)."""
    group = mc.create_group(
        world.counselor,
        name="Property group",
        meeting_frequency="WEEKLY",
        meeting_weekday="TUESDAY",
        meeting_place="Hall",
    )
    for i, p in enumerate(roster):
        mc.add_member(world.counselor, group.id, p.id, "LEADER" if i == 0 else "MEMBER")
    mc.set_group_status(world.counselor, group.id, "ACTIVE")
    loan = mc.apply_for_loan(
        world.counselor,
        roster[0].id,
        purpose="EQUIPMENT",
        amount="500.00",
        number_of_installments=5,
        annual_interest_rate="0",
    )
    mc.approve_loan(world.finance, loan.id)
    _, requester = world.people.finance()
    return mc.request_disbursement(requester, loan.id)


def _bank_file(run, roster, events) -> str:
    outcome = {p.id: e["outcome"] for p, e in zip(roster, events["people"], strict=True)}
    rows = []
    for attempt in attempts_of(run):
        if attempt.status != "EXPORTED":
            continue
        status = outcome[attempt.line.participant_id]
        if status != "NONE":
            rows.append(f"{attempt.reference},{status},{attempt.amount:.2f},AC04")
    return "reference,status,amount,reason\n" + "\n".join(rows) + "\n" if rows else ""


def _change_accounts(world, model, roster, events) -> None:
    for p, e in zip(roster, events["people"], strict=True):
        if not e["change_account"]:
            continue
        new = unique_iban()
        participants.update_participant(world.counselor, p.id, bank_account=new)
        model.current[p.id] = new
        if e["confirm"]:
            stipends.confirm_payee(world.finance2, p.id, "checked with her bank")
            model.confirmed.setdefault(p.id, set()).add(new)


def _retry_all(world, run) -> None:
    lines = PaymentLine.select().where(
        (PaymentLine.run == run.id) & PaymentLine.status.in_(("FAILED", "HELD"))
    )
    for line in lines:
        try:
            stipends.retry_line(world.finance, line.id, run_tasks=False)
        except (Conflict, DomainError):
            continue  # not payable yet, held before approval, or taken by a follow-up
    stipends.export_run(run.id)


def _followup(world, period) -> None:
    try:
        followup = stipends.create_followup_run(world.finance, period)
    except DomainError:
        return  # nothing can be paid now
    world.disburse(world.approve(followup))


def _late_returns(world, run, roster, events) -> None:
    late = {p.id for p, e in zip(roster, events["people"], strict=True) if e["late_return"]}
    rows = [
        f"{a.reference},RETURNED,{a.amount:.2f},MD06"
        for a in attempts_of(run)
        if a.status == "PAID" and a.line.participant_id in late
    ]
    if rows:
        stipends.import_results(
            world.finance, run.id, "reference,status,amount,reason\n" + "\n".join(rows) + "\n"
        )


def _check_invariants(loan) -> None:
    assert unbalanced_entries() == []
    paid_total, in_bank_clearing, payable, loan_in_transit = ZERO, ZERO, ZERO, ZERO
    loan_lines = list(PaymentLine.select().where(PaymentLine.loan_id == loan.id))
    assert len(loan_lines) <= 1, "a loan has two payment lines"
    disbursed = Loan.get_by_id(loan.id).state == "DISBURSED"
    assert disbursed == any(line.status == "PAID" for line in loan_lines)
    assert balance("loans_receivable") == (loan.principal if disbursed else ZERO)
    for line in PaymentLine.select():
        attempts = list(line.attempts)
        paid = [a for a in attempts if a.status == "PAID"]
        assert len(paid) <= 1, "a line was paid twice"
        assert (line.status == "PAID") == bool(paid)
        assert sum(1 for a in attempts if a.status in ("CREATED", "EXPORTED")) <= 1
        paid_total += sum((a.amount for a in paid), ZERO)
        exported = sum((a.amount for a in attempts if a.status == "EXPORTED"), ZERO)
        in_bank_clearing += exported
        if line.kind == "LOAN_DISBURSEMENT":
            loan_in_transit += exported
        elif line.approved and line.status in ("PENDING", "HELD", "FAILED"):
            payable += line.net
    assert balance("bank") == -paid_total
    assert balance("bank_clearing") == -in_bank_clearing
    assert balance("stipend_payable") == -payable
    assert balance("loans_in_transit") == loan_in_transit
    assert Decimal(0) <= paid_total
