"""A small world for stipend tests: a counselor, two FINANCE users and helpers that go
through the real services. Background jobs are run inline (`run_tasks=False` + a direct
call), so service tests never depend on a worker."""

from __future__ import annotations

from decimal import Decimal

import pytest

from econ.participants import services as participants
from econ.stipends import services as stipends
from econ.stipends.models import PaymentRun
from tests.support.people import unique_iban


class World:
    def __init__(self, people):
        self.people = people
        self.counselor_user, self.counselor = people.counselor()
        self.finance_user, self.finance = people.finance()
        self.finance2_user, self.finance2 = people.finance()

    def participant(self, **fields):
        fields.setdefault("bank_account", unique_iban())
        return self.people.participant(self.counselor, **fields)

    def schedule(self, participant, amount="900.00", start="2026-01", duration=12):
        schedule = stipends.create_schedule(
            self.counselor,
            participant.id,
            monthly_amount=amount,
            start_month=start,
            duration_months=duration,
        )
        return stipends.approve_schedule(self.finance, schedule.id)

    def income(self, participant, month: str, amount: str):
        record = participants.record_income(
            self.counselor, participant.id, month=month, source="EMPLOYMENT", amount=amount
        )
        participants.verify_income(self.counselor, record.id, record.version)

    def calculate(self, period: str, chunk: int = 500) -> PaymentRun:
        run = stipends.create_run(self.finance, period, run_tasks=False)
        assert stipends.calculate_run(run.id, run.generation, chunk=chunk) == "done"
        return PaymentRun.get_by_id(run.id)

    def recalculate(self, run: PaymentRun) -> PaymentRun:
        run = stipends.recalculate_run(self.finance, run.id, run_tasks=False)
        assert stipends.calculate_run(run.id, run.generation) == "done"
        return PaymentRun.get_by_id(run.id)

    def approve(self, run: PaymentRun, approver=None) -> PaymentRun:
        """The second FINANCE user approves the version and total she read."""
        run = PaymentRun.get_by_id(run.id)
        return stipends.approve_run(
            approver or self.finance2, run.id, run.version, str(payable_total(run))
        )

    def award(self, participant, amount="100.00", note="bonus"):
        """A manual award by the first FINANCE user, approved by the second."""
        award = stipends.create_manual_award(self.finance, participant.id, amount, note)
        return stipends.approve_award(self.finance2, award.id)

    def disburse(self, run: PaymentRun, file_format: str = "SEPA") -> PaymentRun:
        run = stipends.disburse_run(self.finance, run.id, file_format, run_tasks=False)
        assert stipends.export_run(run.id) == "done"
        return PaymentRun.get_by_id(run.id)

    def paid_run(self, period: str) -> PaymentRun:
        """Calculate, approve, disburse and reconcile every payment as PAID."""
        run = self.disburse(self.approve(self.calculate(period)))
        rows = [
            f"{a.reference},PAID,{a.amount:.2f},"
            for a in attempts_of(run)
            if a.status == "EXPORTED"
        ]
        if rows:
            stipends.import_results(
                self.finance, run.id, "reference,status,amount,reason\n" + "\n".join(rows)
            )
        return PaymentRun.get_by_id(run.id)


def payable_total(run: PaymentRun) -> Decimal:
    from econ.money import ZERO
    from econ.stipends.models import PaymentLine
    from econ.stipends.scope import lines_paid_by

    statuses = ("PENDING",) if run.kind == "MAIN" else ("PENDING", "HELD", "FAILED")
    lines = PaymentLine.select().where(lines_paid_by(run) & PaymentLine.status.in_(statuses))
    return sum((line.net for line in lines), ZERO)


def attempts_of(run: PaymentRun):
    from econ.stipends.models import PaymentAttempt, PaymentLine

    return list(  # the attempts this run's files carry (a follow-up's: of its parent's lines)
        PaymentAttempt.select()
        .join(PaymentLine)
        .where(
            (PaymentAttempt.run_id == run.id)
            | (PaymentAttempt.run_id.is_null() & (PaymentLine.run == run.id))
        )
        .order_by(PaymentAttempt.id)
    )


def line_of(run: PaymentRun, participant):
    from econ.stipends.models import PaymentLine

    return PaymentLine.get_or_none(
        (PaymentLine.run == run.id) & (PaymentLine.participant == participant.id)
    )


def d(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture
def world(people) -> World:
    return World(people)
