"""Run and line state machines, four eyes, freezing, snapshots, jobs that fail."""

from __future__ import annotations

import hashlib

import pytest

from econ.errors import Conflict, DomainError, PermissionDenied
from econ.ledger.services import balance, unbalanced_entries
from econ.participants import services as participants
from econ.security.crypto import decrypt, keyed_hash
from econ.security.models import AuditEntry
from econ.stipends import services as stipends
from econ.stipends.lines import line_context
from econ.stipends.models import PaymentLine, PaymentRun, RunEvent
from tests.stipends.conftest import attempts_of, d, line_of, payable_total


@pytest.fixture
def three(world):
    people = [world.participant() for _ in range(3)]
    for p in people:
        world.schedule(p)
    return people


def _states(run_id):
    return [(e.from_state, e.to_state) for e in RunEvent.select().where(RunEvent.run == run_id)]


def test_happy_path_states_and_events(world, three):
    run = world.calculate("2026-01")
    assert (run.state, run.job_status, run.job_done, run.job_total) == ("CALCULATED", "DONE", 3, 3)
    run = world.approve(run)
    assert run.state == "APPROVED"
    run = world.disburse(run)
    assert run.state == "DISBURSING"
    run = world.paid_run("2026-02")
    assert run.state == "COMPLETED"
    assert _states(run.id) == [
        (None, "DRAFT"),
        ("DRAFT", "CALCULATING"),
        ("CALCULATING", "CALCULATED"),
        ("CALCULATED", "APPROVED"),
        ("APPROVED", "DISBURSING"),
        ("DISBURSING", "COMPLETED"),
    ]


def test_calculation_in_small_chunks_reports_progress(world):
    people = [world.participant() for _ in range(5)]
    for p in people:
        world.schedule(p)
    run = world.calculate("2026-01", chunk=2)
    assert (run.job_done, run.job_total) == (5, 5)
    assert PaymentLine.select().where(PaymentLine.run == run.id).count() == 5


def test_creator_cannot_approve(world, three):
    run = world.calculate("2026-01")
    with pytest.raises(PermissionDenied):
        stipends.approve_run(world.finance, run.id, run.version, str(payable_total(run)))
    assert PaymentRun.get_by_id(run.id).state == "CALCULATED"


def test_counselor_cannot_create_or_approve(world, three):
    with pytest.raises(PermissionDenied):
        stipends.create_run(world.counselor, "2026-01", run_tasks=False)
    run = world.calculate("2026-01")
    with pytest.raises(PermissionDenied):
        stipends.approve_run(world.counselor, run.id, run.version, str(payable_total(run)))


def test_second_run_for_a_period_refused_until_cancelled(world, three):
    run = world.calculate("2026-01")
    with pytest.raises(DomainError) as exc:
        stipends.create_run(world.finance, "2026-01", run_tasks=False)
    assert exc.value.code == "RUN_EXISTS"
    stipends.cancel_run(world.finance, run.id, "start over")
    again = world.calculate("2026-01")
    assert again.state == "CALCULATED"
    assert PaymentLine.select().where(PaymentLine.period == "2026-01").count() == 3


def test_cancel_after_approval_reverses_it_until_anything_is_written(world, three):
    run = world.approve(world.calculate("2026-01"))
    assert balance("stipend_expense") == d("2700.00")
    cancelled = stipends.cancel_run(world.finance, run.id, "wrong bank file date")
    assert cancelled.state == "CANCELLED"
    assert balance("stipend_expense") == d("0.00") and unbalanced_entries() == []
    run = world.disburse(world.approve(world.calculate("2026-01")))
    with pytest.raises(Conflict) as exc:
        stipends.cancel_run(world.finance, run.id, "too late")
    assert exc.value.code == "INVALID_TRANSITION"
    assert PaymentRun.get_by_id(run.id).state == "DISBURSING"


ILLEGAL = {
    # state -> actions that must be refused there
    "CALCULATED": ["disburse", "retry"],
    "APPROVED": ["recalculate", "approve", "retry"],
    "DISBURSING": ["recalculate", "cancel", "approve"],
    "COMPLETED": ["recalculate", "cancel", "approve"],
    "CANCELLED": ["recalculate", "cancel", "approve", "disburse"],
}


def _reach(world, state):
    if state == "COMPLETED":
        return world.paid_run("2026-01")
    run = world.calculate("2026-01")
    if state == "CANCELLED":
        return stipends.cancel_run(world.finance, run.id, "x")
    if state == "CALCULATED":
        return run
    run = world.approve(run)
    if state == "APPROVED":
        return run
    return world.disburse(run)


def _do(world, action, run):
    line = PaymentLine.select().where(PaymentLine.run == run.id).first()
    calls = {
        "recalculate": lambda: stipends.recalculate_run(world.finance, run.id, run_tasks=False),
        "cancel": lambda: stipends.cancel_run(world.finance, run.id, "x"),
        "approve": lambda: stipends.approve_run(
            world.finance2, run.id, run.version, str(payable_total(run))
        ),
        "disburse": lambda: stipends.disburse_run(world.finance, run.id, "SEPA", run_tasks=False),
        "retry": lambda: stipends.retry_line(world.finance, line.id, run_tasks=False),
    }
    calls[action]()


@pytest.mark.parametrize(
    "state, action", [(s, a) for s, actions in ILLEGAL.items() for a in actions]
)
def test_illegal_transitions_change_nothing(world, three, state, action):
    run = _reach(world, state)
    before = PaymentRun.get_by_id(run.id)
    lines = [(line.id, line.status, line.net) for line in PaymentLine.select()]
    with pytest.raises(Conflict):
        _do(world, action, run)
    after = PaymentRun.get_by_id(run.id)
    assert (after.state, after.version) == (before.state, before.version)
    assert [(line.id, line.status, line.net) for line in PaymentLine.select()] == lines


def test_recalculation_allowed_from_draft_calculated_and_stuck_calculating(world, three):
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    assert run.state == "CALCULATING"
    # the job never ran (a lost worker): recalculation restarts it with a new generation
    run2 = stipends.recalculate_run(world.finance, run.id, run_tasks=False)
    assert run2.generation == run.generation + 1
    assert stipends.calculate_run(run.id, run.generation) == "stale"
    assert stipends.calculate_run(run.id, run2.generation) == "done"
    assert PaymentRun.get_by_id(run.id).state == "CALCULATED"


def test_failing_calculation_is_visible_and_restartable(world, three, monkeypatch):
    from econ.stipends import lines

    def boom(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lines, "line_for", boom)
    run = stipends.create_run(world.finance, "2026-01", run_tasks=False)
    assert stipends.calculate_run(run.id, run.generation) == "failed"
    failed = PaymentRun.get_by_id(run.id)
    assert (failed.state, failed.job_status) == ("DRAFT", "FAILED")
    assert "disk full" in failed.job_error
    assert PaymentLine.select().count() == 0  # the failed chunk rolled back
    monkeypatch.undo()
    run = world.recalculate(failed)
    assert (run.state, run.job_status, run.job_error) == ("CALCULATED", "DONE", None)


def test_snapshot_survives_edits_after_approval_and_recalc_picks_them_up(world):
    p = world.participant(legal_name="Ana Old", bank_account="ES9121000418450200051332")
    world.schedule(p)
    run = world.calculate("2026-01")
    participants.update_participant(
        world.counselor, p.id, legal_name="Ana New", bank_account="DE89370400440532013000"
    )
    world.income(p, "2025-12", "800.00")
    line = line_of(run, p)
    name = decrypt(line.payee_name, line_context("payee_name", run.id, line.schedule_id))
    assert (name, line.net) == ("Ana Old", d("900.00"))
    run = world.recalculate(run)
    line = line_of(run, p)
    name = decrypt(line.payee_name, line_context("payee_name", run.id, line.schedule_id))
    # (800 - 300) x 50 % = 250 taper after the December income was verified
    assert (name, line.net) == ("Ana New", d("650.00"))
    assert line.account_hash == keyed_hash("DE89370400440532013000")
    run = world.approve(run)
    participants.update_participant(world.counselor, p.id, legal_name="Ana Newer")
    frozen = line_of(run, p)
    assert decrypt(frozen.payee_name, line_context("payee_name", run.id, frozen.schedule_id)) == (
        "Ana New"
    )


def test_no_plaintext_pii_on_lines(world):
    p = world.participant(legal_name="Zelda Plaintextcheck")
    world.schedule(p)
    line = line_of(world.calculate("2026-01"), p)
    assert "Zelda" not in (line.payee_name or "")
    assert "ES91" not in (line.account or "")


def test_approval_freezes_control_totals_and_posts_once(world):
    a, b, c = (world.participant() for _ in range(3))
    for p in (a, b, c):
        world.schedule(p)
    world.income(b, "2025-12", "500.00")  # taper (500 - 300) x 50 % = 100 -> 800.00
    run = world.approve(world.calculate("2026-01"))
    lines = sorted(PaymentLine.select().where(PaymentLine.run == run.id), key=lambda x: x.id)
    assert (run.control_count, run.control_total) == (3, d("2600.00"))  # 900 + 800 + 900
    digest = hashlib.sha256()
    for line in lines:
        digest.update(
            f"{line.id}|{line.schedule_id}|{line.period}|{int(line.net * 100)}|"
            f"{line.method}|{line.account_hash}\n".encode()
        )
    assert run.control_hash == digest.hexdigest()
    assert balance("stipend_expense") == d("2600.00")
    assert balance("stipend_payable") == d("-2600.00")
    assert balance("stipend_expense", b.id) == d("800.00")
    assert unbalanced_entries() == []


def test_concurrent_approvals_stale_version_conflicts(world, three):
    run = world.calculate("2026-01")
    _, finance3 = world.people.finance()
    total = str(payable_total(run))
    stipends.approve_run(world.finance2, run.id, run.version, total)
    with pytest.raises(Conflict):
        stipends.approve_run(finance3, run.id, run.version, total)
    with pytest.raises(DomainError) as exc:
        stipends.approve_run(finance3, run.id, None, total)
    assert exc.value.code == "REQUIRED"
    assert balance("stipend_expense") == d("2700.00")  # posted once: 3 x 900


def test_method_exceptions_are_held_and_keep_awards_for_later(world):
    no_account = world.participant(bank_account=None)
    world.schedule(no_account)
    award, _ = stipends.grant_award(no_account.id, "TRAINING_COMPLETED", "enrollment", 1)
    stipends.approve_award(world.finance2, award.id)
    run = world.calculate("2026-01")
    line = line_of(run, no_account)
    assert (line.status, line.exception, line.incentives, line.uses_duration) == (
        "HELD",
        "NO_BANK_ACCOUNT",
        d("0.00"),
        False,
    )
    # switch her to cash and recalculate before approval: paid, with the award
    stipends.set_payment_method(world.finance, no_account.id, "CASH")
    run = world.recalculate(run)
    line = line_of(run, no_account)
    assert (line.status, line.method, line.net) == ("PENDING", "CASH", d("1000.00"))


def test_method_change_is_audited_and_applies_from_next_calculation(world):
    p = world.participant()
    world.schedule(p)
    run = world.approve(world.calculate("2026-01"))
    stipends.set_payment_method(world.counselor, p.id, "PREPAID_CARD", "CARD-0042")
    assert line_of(run, p).method == "BANK_TRANSFER"
    assert line_of(world.calculate("2026-02"), p).method == "PREPAID_CARD"
    assert AuditEntry.select().where(AuditEntry.action == "set_payment_method").count() == 1
    with pytest.raises(DomainError) as exc:
        stipends.set_payment_method(world.counselor, p.id, "PREPAID_CARD", "")
    assert exc.value.code == "REQUIRED"


def test_exited_participant_gets_no_line_and_retry_needs_override(world):
    p = world.participant()
    world.schedule(p)
    run = world.disburse(world.approve(world.calculate("2026-01")))
    attempt = attempts_of(run)[0]
    stipends.import_results(
        world.finance, run.id, f"reference,status,amount\n{attempt.reference},RJCT,900.00\n"
    )
    participants.set_status(world.counselor, p.id, "EXITED", "left")
    line = line_of(run, p)
    with pytest.raises(DomainError) as exc:
        stipends.retry_line(world.finance, line.id, run_tasks=False)
    assert exc.value.code == "OVERRIDE_REQUIRED"
    with pytest.raises(DomainError) as exc:
        stipends.retry_line(world.finance, line.id, override=True, reason=" ", run_tasks=False)
    assert exc.value.code == "REQUIRED"
    second = stipends.retry_line(
        world.finance, line.id, override=True, reason="she asked by phone", run_tasks=False
    )
    assert (second.number, second.override_reason) == (2, "she asked by phone")
    february = world.calculate("2026-02")
    assert line_of(february, p) is None
    assert [i.kind for i in stipends.run_exceptions(world.finance, february.id)] == [
        "PARTICIPANT_EXITED"
    ]


def test_schedule_rules(world):
    p = world.participant()
    schedule = stipends.create_schedule(
        world.finance, p.id, monthly_amount="850.00", start_month="2026-01", duration_months=6
    )
    with pytest.raises(PermissionDenied):
        stipends.approve_schedule(world.finance, schedule.id)
    with pytest.raises(DomainError) as exc:
        stipends.create_schedule(
            world.counselor, p.id, monthly_amount="900.00", start_month="2026-01", duration_months=6
        )
    assert exc.value.code == "LIVE_SCHEDULE_EXISTS"
    stipends.approve_schedule(world.finance2, schedule.id)
    with pytest.raises(Conflict):
        stipends.resume_schedule(world.counselor, schedule.id, "not paused")
    stipends.pause_schedule(world.counselor, schedule.id, "travel")
    with pytest.raises(DomainError) as exc:
        stipends.end_schedule(world.counselor, schedule.id, "BORED")
    assert exc.value.code == "INVALID_REASON"
    ended = stipends.end_schedule(world.counselor, schedule.id, "EXIT", "moved away")
    assert (ended.state, ended.end_reason) == ("ENDED", "EXIT")
    # ended: a new schedule may be created
    stipends.create_schedule(
        world.counselor, p.id, monthly_amount="900.00", start_month="2026-03", duration_months=6
    )


def test_admin_reads_a_runs_totals_but_not_its_lines(world, three, people):
    run = world.calculate("2026-01")
    _, admin = people.admin()
    assert stipends.get_run(admin, run.id).id == run.id
    assert stipends.run_totals(run.id).line_count == 3
    for read in (stipends.run_lines, stipends.run_exceptions, stipends.run_files):
        with pytest.raises(PermissionDenied):
            read(admin, run.id)
    assert len(stipends.line_participants(run.id)) == 3
