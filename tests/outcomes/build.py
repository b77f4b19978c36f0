"""Hand-built records for indicator tests, written straight into the tables.

The indicator tests need exact dates in the past and states that take weeks of real
service calls to reach; the services that create these records are tested in their own
suites. Participants and users still come from the real services (tests.support.people).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from econ.employers.models import Employer, Opportunity, Placement, Referral, RetentionCheckpoint
from econ.microcredit.models import Installment, Loan, LoanGroup, Repayment
from econ.participants.models import IncomeRecord, Milestone, Plan, StatusChange
from econ.stipends.models import PaymentLine, PaymentRun, StipendSchedule
from econ.training.models import (
    Cohort,
    Credential,
    Enrollment,
    EnrollmentStatusChange,
    SkillGain,
    TrainingProgram,
)

_n = itertools.count(1)


def D(text: str) -> Decimal:
    return Decimal(text)


def program(title: str = "Cooking") -> TrainingProgram:
    return TrainingProgram.create(
        title=title,
        provider="School",
        format="IN_PERSON",
        total_hours=D("100"),
        hours_per_week=D("10"),
        capacity=20,
    )


def cohort(prog: TrainingProgram, start: date, end: date) -> Cohort:
    return Cohort.create(program=prog, start_date=start, end_date=end, capacity=20)


def enrollment(coh: Cohort, person, status: str = "ACTIVE", **extra) -> Enrollment:
    return Enrollment.create(cohort=coh, participant=person.id, status=status, **extra)


def completed(coh: Cohort, person, on: date, credential: bool = True) -> Enrollment:
    e = enrollment(coh, person, "COMPLETED", completed_on=on)
    EnrollmentStatusChange.create(
        enrollment=e, from_status="ACTIVE", to_status="COMPLETED", reason="done"
    )
    if credential:
        Credential.create(
            enrollment=e, participant=person.id, name="Cert", issuer="School", issued_on=on
        )
    return e


def withdrawn(coh: Cohort, person, on: date, seated: bool = True) -> Enrollment:
    e = enrollment(coh, person, "WITHDRAWN", live_marker=None)
    EnrollmentStatusChange.create(
        enrollment=e,
        from_status="ACTIVE" if seated else "WAITLISTED",
        to_status="WITHDRAWN",
        reason="left",
        at=datetime.combine(on, datetime.min.time()),
    )
    if seated:
        EnrollmentStatusChange.create(
            enrollment=e,
            from_status=None,
            to_status="ENROLLED",
            reason="seat",
            at=datetime.combine(on - timedelta(days=20), datetime.min.time()),
        )
    return e


def skill_gain(e: Enrollment, on: date) -> SkillGain:
    return SkillGain.create(enrollment=e, type="SKILLS_EXAM", date=on)


def employer(name: str = "Bakery") -> Employer:
    return Employer.create(name=name, status="ACTIVE")


def referral(person, emp: Employer, status: str = "SHARED", shared: date | None = None) -> Referral:
    opp = Opportunity.create(
        employer=emp,
        title="Job",
        type="PART_TIME",
        pay_amount=D("1200.00"),
        pay_period="MONTHLY",
        hours_per_week=20,
        status="OPEN",
    )
    shared_at = datetime.combine(shared, datetime.min.time()) if shared else None
    return Referral.create(
        opportunity=opp,
        participant=person.id,
        employer=emp,
        handle=f"C-T{next(_n):07d}",
        status=status,
        shared_at=shared_at,
    )


def placement(
    person, emp: Employer, start: date, ended: date | None = None, confirmed: tuple = ()
) -> Placement:
    """A hire (with its referral) and its three checkpoints; days in `confirmed` are
    CONFIRMED_EMPLOYED, the others DUE."""
    ref = referral(person, emp, "HIRED", shared=start - timedelta(days=14))
    p = Placement.create(
        referral=ref,
        participant=person.id,
        employer=emp,
        opportunity=ref.opportunity_id,
        type="PART_TIME",
        start_date=start,
        pay_amount=D("1200.00"),
        pay_period="MONTHLY",
        hours_per_week=20,
        ended_on=ended,
    )
    for days in (30, 90, 180):
        RetentionCheckpoint.create(
            placement=p,
            days=days,
            due_on=start + timedelta(days=days),
            status="CONFIRMED_EMPLOYED" if days in confirmed else "DUE",
        )
    return p


def income(person, month: str, amount: str, source: str = "EMPLOYMENT", verified: bool = True):
    return IncomeRecord.create(
        participant=person.id,
        month=month,
        source=source,
        amount=D(amount),
        verified_at=datetime(2026, 1, 1) if verified else None,
    )


def target(person, amount: str) -> Plan:
    plan, _ = Plan.get_or_create(participant=person.id)
    plan.target_monthly_income = D(amount)
    plan.save()
    return plan


def milestone(person, title: str, due: date | None, status: str = "OPEN", category: str = "OTHER"):
    plan, _ = Plan.get_or_create(participant=person.id)
    return Milestone.create(plan=plan, title=title, category=category, due_date=due, status=status)


def schedule(person, start_month: str, duration: int, state: str = "ACTIVE", **extra):
    return StipendSchedule.create(
        participant=person.id,
        monthly_amount=D("900.00"),
        start_month=start_month,
        duration_months=duration,
        state=state,
        **extra,
    )


def run(period: str, state: str = "COMPLETED") -> PaymentRun:
    found = PaymentRun.get_or_none(
        (PaymentRun.period == period) & (PaymentRun.state != "CANCELLED")
    )
    return found or PaymentRun.create(period=period, state=state, created_by=1)


def line(
    sched: StipendSchedule, period: str, net: str = "900.00", taper: str = "0.00", uses: bool = True
):
    return PaymentLine.create(
        run=run(period),
        schedule=sched,
        participant=sched.participant_id,
        period=period,
        base=D("900.00"),
        earned=D("0.00"),
        taper=D(taper),
        incentives=D("0.00"),
        adjustments=D("0.00"),
        net=D(net),
        uses_duration=uses,
        method="CASH",
        inputs={},
    )


def group(counselor_id: int) -> LoanGroup:
    return LoanGroup.create(
        name=f"Group {next(_n)}",
        counselor_id=counselor_id,
        meeting_frequency="MONTHLY",
        meeting_weekday="MONDAY",
        status="ACTIVE",
    )


def loan(
    person,
    grp: LoanGroup,
    disbursed: date,
    installments: list[tuple[date, str]],
    state: str = "DISBURSED",
    **extra,
) -> Loan:
    """A zero-interest loan with the given (due date, principal) installments."""
    principal = sum((D(a) for _, a in installments), D("0"))
    open_states = ("APPLIED", "APPROVED", "DISBURSED")
    row = Loan.create(
        borrower=person.id,
        group=grp,
        state=state,
        purpose="EQUIPMENT",
        principal=principal,
        currency="EUR",
        terms={},
        applied_by=1,
        disbursement_date=disbursed,
        first_due_date=installments[0][0],
        open_borrower=person.id if state in open_states else None,
        **extra,
    )
    for number, (due, amount) in enumerate(installments, start=1):
        Installment.create(
            loan=row,
            number=number,
            due_date=due,
            original_due_date=due,
            principal=D(amount),
            interest=D("0.00"),
        )
    return row


def repay(ln: Loan, on: date, amount: str) -> Repayment:
    """A live repayment; the installment rows are marked paid oldest first."""
    rep = Repayment.create(loan=ln, amount=D(amount), paid_on=on, channel="CASH", recorded_by=1)
    left = D(amount)
    for inst in Installment.select().where(Installment.loan == ln.id).order_by(Installment.number):
        pay = min(left, inst.principal - inst.paid_principal)
        if pay > 0:
            inst.paid_principal += pay
            inst.save()
            left -= pay
    return rep


def status_change(person, from_status: str | None, to_status: str, on: date) -> StatusChange:
    return StatusChange.create(
        participant=person.id,
        from_status=from_status,
        to_status=to_status,
        reason="test",
        at=datetime.combine(on, datetime.min.time()),
    )
