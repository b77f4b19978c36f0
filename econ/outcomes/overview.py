"""The plan overview: where she stands on each pathway, as of a day, linking the records.

`overviews(ids, as_of)` builds many at once from one `sources.load_facts` call, so the
GraphQL field costs the same number of statements for 1 or 100 participants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from econ.outcomes import sources
from econ.outcomes.calendar import add_months, month_of, months_between
from econ.outcomes.projection import Projection, months_at_target_in_a_row, project
from econ.participants import services as participants
from econ.security.roles import Actor

OPEN_REFERRAL_STAGES = ("PROPOSED", "SHARED", "INTERVIEW", "OFFERED")
CURRENT_ENROLLMENT = ("WAITLISTED", "ENROLLED", "ACTIVE", "PAUSED")
LIVE_SCHEDULE = sources.LIVE_SCHEDULE
OPEN_LOAN = ("APPLIED", "APPROVED", "DISBURSED")
OPEN_MILESTONE = sources.OPEN_MILESTONE
SOON_DAYS = 30
INCOME_MONTHS = 12


@dataclass(frozen=True)
class EnrollmentLine:
    enrollment: object
    program_title: str
    status: str
    attendance_rate: Decimal | None
    credential: object | None


@dataclass(frozen=True)
class TrainingPart:
    current: list[EnrollmentLine]
    completed: list[EnrollmentLine]
    credentials: list


@dataclass(frozen=True)
class StageCount:
    stage: str
    count: int


@dataclass(frozen=True)
class EmploymentPart:
    open_referrals: list
    referrals_by_stage: list[StageCount]
    current_placement: object | None
    checkpoints_due: list


@dataclass(frozen=True)
class IncomeMonth:
    month: str
    amount: Decimal | None  # None: no verified income that month
    at_target: bool


@dataclass(frozen=True)
class IncomePart:
    target: Decimal
    months: list[IncomeMonth]
    months_at_target_in_a_row: int
    independent: bool
    projection: Projection


@dataclass(frozen=True)
class StipendPart:
    schedule: object | None
    state: str | None
    monthly_base: Decimal | None
    months_used: int
    months_left: int
    current_period: str | None
    current_net: Decimal | None
    current_taper: Decimal | None
    next_payment_period: str | None
    next_payment_net: Decimal | None  # None until a run has calculated it
    end_reason: str | None


@dataclass(frozen=True)
class MicrocreditPart:
    loan: object | None
    state: str | None
    outstanding_principal: Decimal | None
    next_installment_due: date | None
    next_installment_amount: Decimal | None
    days_past_due: int


@dataclass(frozen=True)
class MilestonesPart:
    overdue: list
    due_soon: list
    done: list


@dataclass(frozen=True)
class PlanOverview:
    participant_id: int
    as_of: date
    training: TrainingPart
    employment: EmploymentPart
    income: IncomePart
    stipend: StipendPart
    microcredit: MicrocreditPart
    milestones: MilestonesPart


def plan_overview(actor: Actor | None, participant_id: int, as_of: date) -> PlanOverview:
    """Her own, or her counselor's view of one of her caseload (NotFound / FORBIDDEN else)."""
    participant = participants.get_participant(actor, participant_id)
    participants.require_case_access(actor, participant, "plan")
    return overviews([participant.id], as_of)[participant.id]


def overviews(participant_ids: list[int], as_of: date) -> dict[int, PlanOverview]:
    """INTERNAL, no permission check: callers pass ids they resolved through a checked call."""
    facts = sources.load_facts(participant_ids, as_of)
    return {pid: _overview(facts, pid, as_of) for pid in facts.participants}


def _overview(facts: sources.Facts, pid: int, as_of: date) -> PlanOverview:
    return PlanOverview(
        participant_id=pid,
        as_of=as_of,
        training=_training(facts, pid),
        employment=_employment(facts, pid, as_of),
        income=_income(facts, pid, as_of),
        stipend=_stipend(facts, pid, as_of),
        microcredit=_microcredit(facts, pid),
        milestones=_milestones(facts, pid, as_of),
    )


def _training(facts: sources.Facts, pid: int) -> TrainingPart:
    lines = []
    for e in facts.enrollments.get(pid, []):
        cohort = facts.cohorts[e.cohort_id]
        summary = facts.attendance.get(e.id)
        lines.append(
            EnrollmentLine(
                e,
                facts.programs[cohort.program_id].title,
                e.status,
                summary.rate if summary else None,
                facts.credentials.get(e.id),
            )
        )
    return TrainingPart(
        current=[line for line in lines if line.status in CURRENT_ENROLLMENT],
        completed=[line for line in lines if line.status == "COMPLETED"],
        credentials=[line.credential for line in lines if line.credential is not None],
    )


def _employment(facts: sources.Facts, pid: int, as_of: date) -> EmploymentPart:
    open_referrals = [r for r in facts.referrals.get(pid, []) if r.status in OPEN_REFERRAL_STAGES]
    stages = [
        StageCount(stage, sum(1 for r in open_referrals if r.status == stage))
        for stage in OPEN_REFERRAL_STAGES
    ]
    running = [
        p
        for p in facts.placements.get(pid, [])
        if p.start_date <= as_of and (p.ended_on is None or p.ended_on >= as_of)
    ]
    current = running[-1] if running else None
    horizon = as_of + timedelta(days=SOON_DAYS)
    due = []
    if current is not None:
        due = [
            c
            for c in facts.checkpoints.get(current.id, [])
            if c.status == "DUE" and c.due_on <= horizon
        ]
    return EmploymentPart(open_referrals, [s for s in stages if s.count], current, due)


def _income(facts: sources.Facts, pid: int, as_of: date) -> IncomePart:
    target = facts.targets[pid]
    months = facts.income.get(pid, {})
    last = add_months(month_of(as_of), -1)  # the last complete month
    window = months_between(add_months(last, 1 - INCOME_MONTHS), last)
    rows = [
        IncomeMonth(m, months.get(m), months.get(m) is not None and months[m] >= target)
        for m in window
    ]
    projection = project(months, target, last)
    return IncomePart(
        target=target,
        months=rows,
        months_at_target_in_a_row=months_at_target_in_a_row(months, target, last),
        independent=projection.status == "REACHED",
        projection=projection,
    )


def _stipend(facts: sources.Facts, pid: int, as_of: date) -> StipendPart:
    schedules = facts.schedules.get(pid, [])
    live = [s for s in schedules if s.state in LIVE_SCHEDULE]
    schedule = live[-1] if live else (schedules[-1] if schedules else None)
    if schedule is None:
        return StipendPart(None, None, None, 0, 0, None, None, None, None, None, None)
    month = month_of(as_of)
    lines = facts.lines.get(schedule.id, [])
    past = [line for line in lines if line.period <= month]
    used = sum(1 for line in past if line.uses_duration)
    left = 0 if schedule.state == "ENDED" else max(0, schedule.duration_months - used)
    current = past[-1] if past else None
    upcoming = [line for line in lines if line.period > month]
    next_period, next_net = None, None
    if upcoming:
        next_period, next_net = upcoming[0].period, upcoming[0].net
    elif schedule.state in ("APPROVED", "ACTIVE") and left > 0:
        next_period = max(add_months(current.period, 1) if current else schedule.start_month, month)
        if current is not None and next_period == current.period:
            next_period = add_months(next_period, 1)
    return StipendPart(
        schedule=schedule,
        state=schedule.state,
        monthly_base=schedule.monthly_amount,
        months_used=used,
        months_left=left,
        current_period=current.period if current else None,
        current_net=current.net if current else None,
        current_taper=current.taper if current else None,
        next_payment_period=next_period,
        next_payment_net=next_net,
        end_reason=schedule.end_reason,
    )


def _microcredit(facts: sources.Facts, pid: int) -> MicrocreditPart:
    loans = facts.loans.get(pid, [])
    open_loans = [loan for loan in loans if loan.state in OPEN_LOAN]
    loan = open_loans[-1] if open_loans else (loans[-1] if loans else None)
    if loan is None:
        return MicrocreditPart(None, None, None, None, None, 0)
    installments = facts.installments.get(loan.id, [])
    arrears = facts.arrears.get(loan.id)
    unpaid = [
        i for i in installments if i.principal + i.interest > i.paid_principal + i.paid_interest
    ]
    nxt = unpaid[0] if unpaid and loan.state == "DISBURSED" else None
    outstanding = (
        arrears.outstanding_principal
        if arrears is not None
        else sum((i.principal - i.paid_principal for i in installments), Decimal("0.00"))
    )
    return MicrocreditPart(
        loan=loan,
        state=loan.state,
        outstanding_principal=outstanding if loan.state != "APPLIED" else None,
        next_installment_due=nxt.due_date if nxt else None,
        next_installment_amount=(
            nxt.principal + nxt.interest - nxt.paid_principal - nxt.paid_interest if nxt else None
        ),
        days_past_due=arrears.days_past_due if arrears and loan.state == "DISBURSED" else 0,
    )


def _milestones(facts: sources.Facts, pid: int, as_of: date) -> MilestonesPart:
    rows = facts.milestones.get(pid, [])
    horizon = as_of + timedelta(days=SOON_DAYS)
    pending = [m for m in rows if m.status in OPEN_MILESTONE and m.due_date is not None]
    return MilestonesPart(
        overdue=[m for m in pending if m.due_date < as_of],
        due_soon=[m for m in pending if as_of <= m.due_date <= horizon],
        done=[m for m in rows if m.status == "DONE"],
    )
