"""A month as finance lives it (issue 15) with four eyes on money in (issue 14 item 2):
payee details at the attempt, confirmed by a second person; held lines paid by retries
and follow-up runs; periods; exceptions with resolutions; bank reports imported."""

from __future__ import annotations

from decimal import Decimal

import pytest

from econ.errors import Conflict, DomainError, PermissionDenied
from econ.ledger.services import balance, unbalanced_entries
from econ.participants import services as participants
from econ.security.crypto import decrypt
from econ.settings.services import installation_id, update_settings
from econ.stipends import services as stipends
from econ.stipends.disbursement import attempt_context
from econ.stipends.file_store import read_content
from econ.stipends.files.ids import message_id
from econ.stipends.line_inputs import income_known
from econ.stipends.models import PaymentAttempt, PaymentFile, PaymentLine, PaymentRun
from econ.stipends.runs import check_period
from tests.stipends.conftest import attempts_of, d, line_of
from tests.support.bank_reports import Booking, TxStatus, camt054, pain002
from tests.support.people import unique_iban


def _results(world, run, rows):
    text = "reference,status,amount,reason\n" + "\n".join(rows) + "\n"
    return stipends.import_results(world.finance, run.id, text)


def _sent_to(attempt: PaymentAttempt) -> str:
    return decrypt(attempt.account, attempt_context("account", attempt.reference))


def _refresh(run):
    return PaymentRun.get_by_id(run.id)


# ---- payee details at the moment of payment --------------------------------------------


def test_a_retry_after_a_closed_account_goes_to_the_new_iban_once_confirmed(world):
    """Issue 15 item 1: the retry was written to the IBAN the bank had reported closed."""
    old, new = unique_iban(), unique_iban()
    p = world.participant(bank_account=old)
    world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    (first,) = attempts_of(run)
    assert _sent_to(first) == old
    _results(world, run, [f"{first.reference},RJCT,900.00,AC04 account closed"])
    participants.update_participant(world.counselor, p.id, bank_account=new)
    line = line_of(run, p)
    with pytest.raises(DomainError) as exc:  # changed after a payment: a second person
        stipends.retry_line(world.finance, line.id, run_tasks=False)
    assert exc.value.code == "NOT_PAYABLE" and "PAYEE_UNCONFIRMED" in exc.value.message
    stipends.confirm_payee(world.finance2, p.id, "called her bank with her, new account")
    stipends.retry_line(world.finance, line.id, run_tasks=False)
    assert stipends.export_run(run.id) == "done"
    second = attempts_of(run)[-1]
    assert (second.number, second.status, _sent_to(second)) == (2, "EXPORTED", new)
    content = read_content(PaymentFile.get(PaymentFile.id == second.file_id))
    assert new in content and old not in content


def test_the_person_who_changed_her_details_cannot_confirm_them(world):
    p = world.participant()
    world.schedule(p)
    world.paid_run("2026-01")
    stipends.set_payment_method(world.finance, p.id, "PREPAID_CARD", "CARD-77")
    with pytest.raises(PermissionDenied):
        stipends.confirm_payee(world.finance, p.id, "I changed it myself")
    run = world.disburse(world.approve(world.calculate("2026-02")))
    line = line_of(run, p)
    # the method changed after a payment: held at the attempt, in the approved totals
    assert (line.status, line.exception, line.approved) == ("HELD", "PAYEE_UNCONFIRMED", True)
    stipends.confirm_payee(world.finance2, p.id, "her card handed over in person")
    stipends.retry_line(world.finance, line.id, run_tasks=False)
    assert stipends.export_run(run.id) == "done"
    attempt = attempts_of(run)[-1]
    assert (attempt.method, _sent_to(attempt)) == ("PREPAID_CARD", "CARD-77")
    assert line_of(run, p).method == "PREPAID_CARD"


def test_an_account_changed_just_before_a_run_holds_only_her_line(world):
    """The payment-diversion fraud: a counselor's account is phished, her IBAN changed."""
    victim, other = world.participant(), world.participant()
    for p in (victim, other):
        world.schedule(p)
    world.paid_run("2026-01")
    participants.update_participant(world.counselor, victim.id, bank_account=unique_iban())
    run = world.disburse(world.approve(world.calculate("2026-02")))
    assert (line_of(run, victim).status, line_of(run, victim).exception) == (
        "HELD",
        "PAYEE_UNCONFIRMED",
    )
    assert line_of(run, other).status == "SENT"
    assert [e.kind for e in stipends.run_exceptions(world.finance, run.id)] == ["PAYEE_UNCONFIRMED"]
    assert unbalanced_entries() == []


def test_an_iban_on_two_participants_is_held_until_someone_records_why(world):
    shared = unique_iban()
    a = world.participant(bank_account=shared)
    b = world.participant(bank_account=shared)
    for p in (a, b):
        world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    assert {line_of(run, p).exception for p in (a, b)} == {"SHARED_ACCOUNT"}
    (signal,) = stipends.fraud_signals(world.finance)
    assert signal.participant_ids == (a.id, b.id) and signal.reasons == {}
    assert shared not in repr(signal)
    with pytest.raises(DomainError) as exc:
        stipends.confirm_payee(world.finance2, a.id, "checked")
    assert exc.value.field == "sharedReason"
    for p in (a, b):
        stipends.confirm_payee(world.finance2, p.id, "checked", shared_reason="mother and daughter")
        stipends.retry_line(world.finance, line_of(run, p).id, run_tasks=False)
    assert stipends.export_run(run.id) == "done"
    assert {line_of(run, p).status for p in (a, b)} == {"SENT"}
    assert stipends.fraud_signals(world.finance)[0].reasons == {
        a.id: "mother and daughter",
        b.id: "mother and daughter",
    }


# ---- held lines: follow-up runs --------------------------------------------------------


def test_a_line_held_at_calculation_is_paid_by_a_follow_up_run_once_payable(world):
    """Issue 15 item 2: a HELD line waited a month."""
    no_account = world.participant(bank_account=None)
    paid = world.participant()
    for p in (no_account, paid):
        world.schedule(p)
    run = world.paid_run("2026-01")
    held = line_of(run, no_account)
    with pytest.raises(Conflict) as exc:
        stipends.retry_line(world.finance, held.id, run_tasks=False)
    assert exc.value.code == "FOLLOW_UP_REQUIRED"  # its amount was never approved
    with pytest.raises(DomainError) as exc:
        stipends.create_followup_run(world.finance, "2026-01")
    assert exc.value.code == "NOTHING_TO_PAY"
    participants.update_participant(world.counselor, no_account.id, bank_account=unique_iban())
    followup = stipends.create_followup_run(world.finance, "2026-01")
    assert (followup.kind, followup.parent_id, followup.state) == (
        "FOLLOW_UP",
        run.id,
        "CALCULATED",
    )
    assert stipends.payable_total(followup).total == d("900.00")
    with pytest.raises(PermissionDenied):  # the same four eyes
        world.approve(followup, approver=world.finance)
    followup = world.disburse(world.approve(followup))
    (attempt,) = attempts_of(followup)
    assert attempt.line_id == held.id and attempt.run_id == followup.id
    _results(world, followup, [f"{attempt.reference},ACSC,900.00,"])
    assert _refresh(followup).state == "COMPLETED"
    assert PaymentLine.get_by_id(held.id).status == "PAID"
    assert PaymentLine.select().where(PaymentLine.period == "2026-01").count() == 2
    with pytest.raises(DomainError):  # nothing left: never paid twice
        stipends.create_followup_run(world.finance, "2026-01")
    assert balance("bank") == d("-1800.00") and unbalanced_entries() == []
    assert balance("stipend_payable") == d("0.00")


def test_a_failed_line_is_paid_by_a_follow_up_and_the_main_run_no_longer_retries_it(world):
    p = world.participant()
    world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    (first,) = attempts_of(run)
    _results(world, run, [f"{first.reference},RJCT,900.00,AC01"])
    followup = world.approve(stipends.create_followup_run(world.finance, "2026-01"))
    with pytest.raises(Conflict):
        stipends.retry_line(world.finance, line_of(run, p).id, run_tasks=False)  # taken
    followup = world.disburse(followup)
    assert [a.number for a in attempts_of(followup)] == [2]
    # the main run's file imported again (a late copy) changes nothing
    _results(world, run, [f"{first.reference},RJCT,900.00,AC01"])
    assert PaymentLine.get_by_id(first.line_id).status == "SENT"
    assert unbalanced_entries() == []


def test_a_cancelled_follow_up_gives_its_lines_back(world):
    p = world.participant(bank_account=None)
    world.schedule(p)
    world.paid_run("2026-01")
    participants.update_participant(world.counselor, p.id, bank_account=unique_iban())
    followup = stipends.create_followup_run(world.finance, "2026-01")
    stipends.cancel_run(world.finance, followup.id, "opened by mistake")
    again = stipends.create_followup_run(world.finance, "2026-01")
    assert stipends.payable_total(again).count == 1


def test_an_unverified_income_month_is_held_then_recalculated_by_the_follow_up(world):
    """Issue 15 item 3: next month's income did not exist, and she was paid in full."""
    p = world.participant()
    world.schedule(p)
    record = participants.record_income(
        world.counselor, p.id, month="2025-12", source="EMPLOYMENT", amount="1500.00"
    )
    run = world.paid_run("2026-01")
    line = line_of(run, p)
    assert (line.status, line.exception, line.net) == ("HELD", "INCOME_NOT_VERIFIED", d("0.00"))
    (item,) = stipends.run_exceptions(world.finance, run.id)
    assert "2025-12 is not verified" in item.detail
    participants.verify_income(world.counselor, record.id, record.version)
    followup = stipends.create_followup_run(world.finance, "2026-01")
    line = PaymentLine.get_by_id(line.id)
    # (1500 - 300) x 50 % = 600 taper, from the main run's settings snapshot
    assert (line.earned, line.taper, line.net) == (d("1500.00"), d("600.00"), d("300.00"))
    assert world.approve(followup).control_total == d("300.00")


def test_the_income_rule_as_a_table():
    paid = {"2026-01": d("900.00")}
    assert income_known({}, "2026-02", False)  # never earned: nothing to taper
    assert not income_known({}, "2026-02", True)  # a payslip waits for verification
    assert income_known(paid, "2026-01", False)
    assert not income_known(paid, "2026-01", True)  # verified part + unverified part
    assert not income_known(paid, "2026-02", False)  # was earning, month not reported
    assert income_known(paid, "2026-05", False)  # three months without earnings


# ---- four eyes on money in ---------------------------------------------------------------


def test_an_award_waits_for_a_second_finance_user_before_a_run_pays_it(world):
    """Issue 14 item 2: one FINANCE user put any amount into a payment alone."""
    p = world.participant()
    world.schedule(p)
    award = stipends.create_manual_award(world.finance, p.id, "120.00", "course fees")
    automatic, _ = stipends.grant_award(
        p.id, "TRAINING_COMPLETED", "enrollment", 9, created_by=world.counselor_user.id
    )
    awards, _ = stipends.pending_amounts(world.finance2)
    assert {a.id for a in awards} == {award.id, automatic.id}
    assert line_of(world.calculate("2026-01"), p).incentives == d("0.00")
    with pytest.raises(PermissionDenied):
        stipends.approve_award(world.finance, award.id)  # she caused it
    stipends.approve_award(world.finance2, award.id)
    stipends.approve_award(world.finance, automatic.id)
    assert line_of(world.calculate("2026-02"), p).incentives == d("220.00")
    assert stipends.pending_amounts(world.finance)[0] == []


def test_the_run_approver_may_not_be_the_author_of_an_amount_in_it(world):
    p = world.participant()
    world.schedule(p)
    award = stipends.create_manual_award(world.finance2, p.id, "50.00", "bus pass")
    _, finance3 = world.people.finance()
    stipends.approve_award(finance3, award.id)
    run = world.calculate("2026-01")
    with pytest.raises(PermissionDenied) as exc:
        world.approve(run, approver=world.finance2)  # neither creator nor approver of the
    assert "authored" in exc.value.message  # award, but its author
    assert world.approve(run, approver=finance3).state == "APPROVED"


def test_approval_names_the_version_and_the_control_total_reviewed(world):
    p = world.participant()
    world.schedule(p)
    run = world.calculate("2026-01")
    with pytest.raises(DomainError) as exc:
        stipends.approve_run(world.finance2, run.id, run.version, None)
    assert exc.value.code == "REQUIRED"
    with pytest.raises(Conflict) as exc:
        stipends.approve_run(world.finance2, run.id, run.version, "899.99")
    assert exc.value.code == "CONTROL_TOTAL_MISMATCH"
    with pytest.raises(Conflict):
        stipends.approve_run(world.finance2, run.id, run.version - 1, "900.00")
    assert _refresh(run).state == "CALCULATED"
    assert stipends.approve_run(world.finance2, run.id, run.version, "900.00").control_total == (
        d("900.00")
    )


def test_manual_amounts_are_capped_by_program_settings(world):
    p = world.participant()
    with pytest.raises(DomainError) as exc:
        stipends.create_manual_award(world.finance, p.id, "999999999.99", "typo")
    assert exc.value.code == "OVER_LIMIT"
    with pytest.raises(DomainError):
        stipends.create_adjustment(
            world.finance, p.id, period="2026-01", amount="-1000.01", reason="x"
        )
    update_settings(world.people.admin()[1], {"manual_award_max": "1000.00"})
    assert stipends.create_manual_award(world.finance, p.id, "1000.00", "laptop").amount == (
        d("1000.00")
    )


# ---- periods ---------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2027-01", "2027-02", "9999-12", "0001-01", "2024-11"])
def test_runs_for_future_and_absurd_months_are_refused(world, period):
    from datetime import date

    with pytest.raises(DomainError) as exc:
        check_period(period, today=date(2026, 12, 1))
    assert exc.value.code in ("PERIOD_IN_FUTURE", "PERIOD_TOO_OLD")


def test_an_advance_run_for_next_month_only_where_the_program_allows_it(world):
    from datetime import date

    today = date(2026, 12, 1)
    assert check_period("2026-12", today=today) == "2026-12"
    update_settings(world.people.admin()[1], {"payment_run_advance_months": "1"})
    assert check_period("2027-01", today=today) == "2027-01"
    with pytest.raises(DomainError):
        check_period("2027-02", today=today)


# ---- exceptions across runs; bank reports --------------------------------------------------


def test_exceptions_are_one_list_in_plain_words_with_their_resolution(world):
    p, q = world.participant(bank_account=None), world.participant()
    for person in (p, q):
        world.schedule(person)
    january = world.disburse(world.approve(world.calculate("2026-01")))
    (attempt,) = attempts_of(january)
    _results(world, january, [f"{attempt.reference},RJCT,900.00,AC04", "R99-L9-A1,ACSC,5.00,"])
    items = stipends.all_exceptions(world.finance)
    kinds = sorted((i.source, i.kind) for i in items)
    assert kinds == [
        ("LINE", "NO_BANK_ACCOUNT"),
        ("LINE", "PAYMENT_FAILED"),
        ("RECONCILIATION", "UNKNOWN_REFERENCE"),
    ]
    failed = next(i for i in items if i.kind == "PAYMENT_FAILED")
    assert (failed.participant_id, failed.line_id) == (q.id, line_of(january, q).id)
    assert "AC04" in failed.detail and "Retry" in failed.detail
    assert all(i.detail and i.run_id == january.id for i in items)
    unknown = next(i for i in items if i.kind == "UNKNOWN_REFERENCE")
    done = stipends.resolve_exception(world.finance2, unknown.key, "RESOLVED", "not ours: bank")
    assert (done.resolution.status, done.resolution.by_user) == ("RESOLVED", world.finance2_user.id)
    assert len(stipends.all_exceptions(world.finance, open_only=True)) == 2
    with pytest.raises(DomainError):
        stipends.resolve_exception(world.finance, unknown.key, "IGNORED", "x")
    with pytest.raises(PermissionDenied):
        stipends.all_exceptions(world.counselor)


def test_a_pain002_report_is_imported_beside_the_csv_idempotently(world):
    a, b = world.participant(), world.participant()
    for p in (a, b):
        world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    ok, rejected = attempts_of(run)
    file_id = message_id(installation_id(), run.id, "BANK_TRANSFER", 1)
    report = pain002(
        [
            TxStatus(ok.reference, "ACSC"),
            TxStatus(rejected.reference, "RJCT", "AC04", "closed", Decimal("900.00")),
            TxStatus("R77-L1-A1", "ACSC"),
        ],
        original_message_id=file_id,
        batch_id=file_id,
    )
    summary = stipends.import_results(world.finance, run.id, report)
    assert (summary.paid, summary.failed, summary.exceptions) == (1, 1, 1)
    again = stipends.import_results(world.finance, run.id, report)
    assert (again.paid, again.failed, again.exceptions) == (0, 0, 0)
    (unknown,) = [
        i for i in stipends.run_exceptions(world.finance, run.id) if i.source == "RECONCILIATION"
    ]
    assert unknown.kind == "UNKNOWN_REFERENCE" and "PAIN002" in unknown.detail
    assert PaymentLine.get_by_id(rejected.line_id).failure_reason.startswith("AC04")


def test_a_camt054_return_after_payment_reopens_the_line(world):
    p = world.participant()
    world.schedule(p)
    run = world.paid_run("2026-01")
    (attempt,) = attempts_of(run)
    returned = camt054(
        [
            Booking(
                Decimal("900.00"),
                debit=False,
                reversal=True,
                transactions=((attempt.reference, Decimal("900.00")),),
                return_reason="AC04",
            )
        ]
    )
    summary = stipends.import_results(world.finance, run.id, returned)
    assert summary.returned == 1
    assert line_of(run, p).status == "FAILED"
    assert stipends.import_results(world.finance, run.id, returned).returned == 0
    assert unbalanced_entries() == []


# ---- income corrections -----------------------------------------------------------------


def test_a_misread_payslip_is_corrected_by_a_second_person_and_the_next_run_pays_it(world):
    """Issue 15 item 9: a verified income record could never be corrected."""
    p = world.participant()
    world.schedule(p)
    world.income(p, "2025-12", "1300.00")  # misread: she earned 700.00
    january = world.paid_run("2026-01")
    assert line_of(january, p).taper == d("500.00")  # (1300 - 300) x 50 %
    record = participants.income_records(world.counselor, p)[0]
    correction = participants.correct_income(
        world.counselor, record.id, amount="700.00", reason="payslip misread: 700, not 1300"
    )
    with pytest.raises(PermissionDenied):  # a second person verifies it
        participants.verify_correction(world.counselor, correction.id)
    world.income(p, "2026-01", "0.00")
    assert line_of(world.calculate("2026-02"), p).adjustments == d("0.00")  # not verified yet
    stipends.cancel_run(world.finance, PaymentRun.get(PaymentRun.period == "2026-02").id, "redo")
    participants.verify_correction(world.finance, correction.id)
    february = world.calculate("2026-02")
    # the taper should have been (700 - 300) x 50 % = 200: 300.00 more, computed, approved
    line = line_of(february, p)
    assert (line.adjustments, line.net) == (d("300.00"), d("1200.00"))
    assert stipends.pending_amounts(world.finance)[1] == []  # needs no second approval
    february = world.recalculate(february)  # recalculation: the same adjustment, once
    assert line_of(february, p).adjustments == d("300.00")
    world.approve(february)
    march = world.calculate("2026-03")
    assert line_of(march, p).adjustments == d("0.00")  # paid once
    record = participants.income_records(world.counselor, p)[1]
    assert (record.month, record.amount) == ("2025-12", d("1300.00"))  # never edited
