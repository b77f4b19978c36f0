"""Loan disbursements paid through the payment runs (issue 15): a LOAN_DISBURSEMENT line,
four eyes on its amount, the loan disbursed when the bank reports the payment paid, a
failed payment paid again by a retry or a follow-up run, never twice, and a ledger that
balances."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from lxml import etree

from econ.cli import main
from econ.errors import Conflict, DomainError, PermissionDenied
from econ.ledger.services import balance, unbalanced_entries
from econ.microcredit import services as mc
from econ.microcredit.models import Installment, Loan
from econ.money import ZERO
from econ.statements.documents_service import payment_run_report_pdf
from econ.stipends import services as stipends
from econ.stipends.file_store import read_content
from econ.stipends.models import PaymentAttempt, PaymentFile, PaymentLine
from tests.statements.pdftext import text as pdf_text
from tests.stipends.conftest import attempts_of, d, payable_total
from tests.support.people import PASSWORD, unique_iban

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
PERIOD = date.today().strftime("%Y-%m")


@pytest.fixture
def loan_world(world):
    """A schedule (so the run has a stipend line) and an approved loan of 1,000.00 to a
    member of a weekly group meeting on Mondays, its disbursement requested."""
    group = mc.create_group(
        world.counselor,
        name="Sunflower group",
        meeting_frequency="WEEKLY",
        meeting_weekday="MONDAY",
        meeting_place="Community centre",
        savings_per_meeting="5.00",
    )
    members = [world.participant(legal_name=f"Member Number{i}") for i in range(5)]
    for i, member in enumerate(members):
        mc.add_member(world.counselor, group.id, member.id, "LEADER" if i == 0 else "MEMBER")
    mc.set_group_status(world.counselor, group.id, "ACTIVE")
    world.schedule(members[1], start=PERIOD)
    loan = mc.apply_for_loan(
        world.counselor,
        members[0].id,
        purpose="WORKING_CAPITAL",
        amount="1000.00",
        number_of_installments=10,
        annual_interest_rate="0",
    )
    mc.approve_loan(world.finance, loan.id)  # the loan's approver: finance
    _third_user, third = world.people.finance()
    mc.request_disbursement(third, loan.id)  # the requester: a third FINANCE user
    world.third = third
    return world, Loan.get_by_id(loan.id), members


def loan_line(loan):
    return PaymentLine.get(PaymentLine.loan_id == loan.id)


def result(rows):
    return "reference,status,amount,reason\n" + "\n".join(rows)


def approved_run(world, approver):
    run = world.calculate(PERIOD)
    return stipends.approve_run(approver, run.id, run.version, str(payable_total(run)))


def assert_ledger_balances():
    assert unbalanced_entries() == []


def test_the_run_includes_the_loan_as_its_own_kind_of_line(loan_world):
    world, loan, members = loan_world
    run = world.calculate(PERIOD)
    line = loan_line(loan)
    assert (line.kind, line.schedule_id, line.participant_id) == (
        "LOAN_DISBURSEMENT",
        None,
        members[0].id,
    )
    assert (line.net, line.status, line.run_id) == (d("1000.00"), "PENDING", run.id)
    stipend = PaymentLine.get((PaymentLine.run == run.id) & (PaymentLine.kind == "STIPEND"))
    assert stipend.participant_id == members[1].id
    assert payable_total(run) == d("1900.00")  # what the approver reviews: both
    # Her payments and her monthly statement are her stipend's: the loan shows its own.
    assert stipends.payments_of(world.finance, members[0]) == []
    assert (line.id, members[0].id) not in stipends.line_participants(run.id)
    # A recalculation rebuilds the line; still one per loan.
    run = world.recalculate(run)
    assert PaymentLine.select().where(PaymentLine.loan_id == loan.id).count() == 1


def test_who_authored_the_amount_cannot_approve_the_run(loan_world):
    world, _, _ = loan_world
    run = world.calculate(PERIOD)  # created by world.finance, who also approved the loan
    for author in (world.finance, world.third):
        with pytest.raises(PermissionDenied):
            stipends.approve_run(author, run.id, run.version, str(payable_total(run)))
    assert stipends.approval_obstacle(world.third, run) == "AMOUNT_AUTHOR"
    assert stipends.approval_obstacle(world.finance2, run) is None
    approved = stipends.approve_run(world.finance2, run.id, run.version, "1900.00")
    assert (approved.state, approved.control_total) == ("APPROVED", d("1900.00"))
    # The approval posts the stipend only: a loan is no expense.
    assert balance("stipend_expense") == d("900.00")
    assert balance("loans_receivable") == ZERO


def test_the_requester_must_be_finance_and_not_the_applicant_side(loan_world, people):
    world, _, members = loan_world
    loan = mc.apply_for_loan(
        world.counselor,
        members[2].id,
        purpose="EQUIPMENT",
        amount="300.00",
        number_of_installments=5,
        annual_interest_rate="0",
    )
    with pytest.raises(Conflict):  # not approved yet
        mc.request_disbursement(world.finance2, loan.id)
    mc.approve_loan(world.finance2, loan.id)
    with pytest.raises(PermissionDenied):
        mc.request_disbursement(world.counselor, loan.id)
    mc.request_disbursement(world.finance2, loan.id)
    with pytest.raises(Conflict):  # asked once
        mc.request_disbursement(world.finance, loan.id)


def test_paid_disburses_the_loan_on_meeting_days_and_posts_once(loan_world):
    world, loan, _ = loan_world
    run = world.disburse(approved_run(world, world.finance2))
    line = loan_line(loan)
    assert line.status == "SENT"
    assert Loan.get_by_id(loan.id).state == "APPROVED"  # on its way, not disbursed yet
    sepa = PaymentFile.get((PaymentFile.run == run.id) & (PaymentFile.method == "BANK_TRANSFER"))
    xml = etree.fromstring(read_content(sepa).encode())
    (attempt,) = line.attempts
    remittance = xml.xpath(
        f"//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='{attempt.reference}']/p:RmtInf/p:Ustrd/text()",
        namespaces=NS,
    )
    assert remittance == [f"Pathways Programme Loan disbursement {loan.id}"]
    text = result([f"{a.reference},PAID,{a.amount:.2f}," for a in attempts_of(run)])
    stipends.import_results(world.finance, run.id, text)
    stipends.import_results(world.finance, run.id, text)  # re-imported: nothing again
    loan = Loan.get_by_id(loan.id)
    assert (loan.state, loan.disbursement_date) == ("DISBURSED", date.today())
    installments = list(loan.installments.order_by(Installment.number))
    assert len(installments) == 10
    assert all(i.due_date.weekday() == 0 for i in installments)  # the group meets on Mondays
    assert installments[0].due_date >= date.today() + timedelta(weeks=1)
    assert balance("loans_receivable") == d("1000.00")
    assert balance("loans_in_transit") == ZERO
    assert balance("bank_clearing") == ZERO
    assert balance("bank") == d("-1900.00")
    assert_ledger_balances()
    with pytest.raises(Conflict):  # paid through the run: never in cash as well
        mc.disburse_loan(world.finance, loan.id, date.today())


def test_failed_then_retried_pays_once(loan_world):
    world, loan, _ = loan_world
    run = world.disburse(approved_run(world, world.finance2))
    (attempt,) = loan_line(loan).attempts
    stipends.import_results(
        world.finance, run.id, result([f"{attempt.reference},RJCT,1000.00,AC04"])
    )
    assert loan_line(loan).status == "FAILED"
    assert Loan.get_by_id(loan.id).state == "APPROVED"
    assert Installment.select().where(Installment.loan == loan.id).count() == 0
    assert balance("loans_in_transit") == ZERO  # the failure undid the send
    retry = stipends.retry_line(world.finance, loan_line(loan).id, run_tasks=False)
    assert stipends.export_run(run.id) == "done"
    retry = PaymentAttempt.get_by_id(retry.id)
    stipends.import_results(world.finance, run.id, result([f"{retry.reference},PAID,1000.00,"]))
    assert Loan.get_by_id(loan.id).state == "DISBURSED"
    paid = PaymentAttempt.select().where(
        (PaymentAttempt.line == loan_line(loan).id) & (PaymentAttempt.status == "PAID")
    )
    assert paid.count() == 1
    assert balance("loans_receivable") == d("1000.00")
    assert balance("loans_in_transit") == ZERO
    assert_ledger_balances()
    with pytest.raises(Conflict):  # paid: no further attempt
        stipends.retry_line(world.finance, loan_line(loan).id, run_tasks=False)


def test_failed_then_paid_by_a_follow_up_run(loan_world):
    world, loan, _ = loan_world
    run = world.disburse(approved_run(world, world.finance2))
    (attempt,) = loan_line(loan).attempts
    stipends.import_results(
        world.finance, run.id, result([f"{attempt.reference},RJCT,1000.00,AC04"])
    )
    followup = stipends.create_followup_run(world.finance2, PERIOD)
    assert loan_line(loan).followup_run_id == followup.id
    for author in (world.finance, world.third):  # the loan's approver and requester
        with pytest.raises(PermissionDenied):
            stipends.approve_run(author, followup.id, followup.version, "1000.00")
    _, fourth = world.people.finance()
    followup = stipends.approve_run(fourth, followup.id, followup.version, "1000.00")
    followup = world.disburse(followup)
    retry = [a for a in attempts_of(followup) if a.status == "EXPORTED"]
    assert [a.line_id for a in retry] == [loan_line(loan).id]
    stipends.import_results(
        world.finance, followup.id, result([f"{retry[0].reference},PAID,1000.00,"])
    )
    assert Loan.get_by_id(loan.id).state == "DISBURSED"
    assert balance("loans_receivable") == d("1000.00")
    assert_ledger_balances()
    # The next month's run does not pay it again.
    assert stipends.loan_payment(loan.id).status == "PAID"


def test_a_returned_payment_puts_the_loan_back_to_waiting(loan_world):
    world, loan, _ = loan_world
    run = world.disburse(approved_run(world, world.finance2))
    (attempt,) = loan_line(loan).attempts
    stipends.import_results(world.finance, run.id, result([f"{attempt.reference},PAID,1000.00,"]))
    stipends.import_results(
        world.finance, run.id, result([f"{attempt.reference},RJCT,1000.00,AC04"])
    )
    loan = Loan.get_by_id(loan.id)
    assert (loan.state, loan.disbursement_date) == ("APPROVED", None)
    assert Installment.select().where(Installment.loan == loan.id).count() == 0
    assert balance("loans_receivable") == ZERO
    assert balance("loans_in_transit") == ZERO
    assert balance("bank") == ZERO  # paid, then returned (the stipend is not reported yet)
    assert_ledger_balances()


def test_cash_disbursement_after_a_failure_means_the_line_is_never_paid(loan_world):
    world, loan, _ = loan_world
    run = world.disburse(approved_run(world, world.finance2))
    (attempt,) = loan_line(loan).attempts
    stipends.import_results(
        world.finance, run.id, result([f"{attempt.reference},RJCT,1000.00,MS03"])
    )
    mc.disburse_loan(world.finance, loan.id, date.today())  # paid in person instead
    with pytest.raises(Conflict):
        stipends.retry_line(world.finance, loan_line(loan).id, run_tasks=False)
    with pytest.raises(DomainError):  # nothing a follow-up could pay
        stipends.create_followup_run(world.finance2, PERIOD)
    assert balance("loans_receivable") == d("1000.00")
    assert_ledger_balances()


def test_a_loan_held_for_her_account_is_not_approved_and_waits(loan_world):
    world, loan, members = loan_world
    from econ.participants import services as participants

    participants.update_participant(world.counselor, members[0].id, bank_account=None)
    run = world.calculate(PERIOD)
    line = loan_line(loan)
    assert (line.status, line.exception) == ("HELD", "NO_BANK_ACCOUNT")
    assert payable_total(run) == d("900.00")
    world.disburse(stipends.approve_run(world.finance2, run.id, run.version, "900.00"))
    assert Loan.get_by_id(loan.id).state == "APPROVED"
    assert PaymentAttempt.select().where(PaymentAttempt.line == line.id).count() == 0
    participants.update_participant(world.counselor, members[0].id, bank_account=unique_iban())
    followup = stipends.create_followup_run(world.finance2, PERIOD)
    assert loan_line(loan).followup_run_id == followup.id


def test_the_run_report_prints_the_loan_line_as_a_payout(loan_world):
    world, loan, _ = loan_world
    run = world.calculate(PERIOD)
    for language, words in (("en", "Payout of loan"), ("es", "Desembolso del préstamo")):
        printed = pdf_text(payment_run_report_pdf(world.finance, run.id, language))
        assert f"{words} {loan.id}" in printed
        assert printed.count(f"{words} ") == 1  # the stipend line is not one


def test_finance_asks_for_a_payout_from_the_terminal(loan_world, monkeypatch, capsys):
    world, _, members = loan_world
    loan = mc.apply_for_loan(
        world.counselor,
        members[2].id,
        purpose="EQUIPMENT",
        amount="250.00",
        number_of_installments=5,
    )
    mc.approve_loan(world.finance, loan.id)
    monkeypatch.setenv("ECON_USER", world.finance2_user.email)
    monkeypatch.setenv("ECON_PASSWORD", PASSWORD)
    assert main(["loans", "pay-out", str(loan.id)]) == 0
    assert f"loan {loan.id}: 250.00 asked to be paid out" in capsys.readouterr().out
    assert Loan.get_by_id(loan.id).disbursement_requested_by == world.finance2.user_id
    assert main(["loans", "pay-out", str(loan.id)]) == 1  # asked twice: one line, no trace
    err = capsys.readouterr().err
    assert "already requested" in err and "Traceback" not in err
