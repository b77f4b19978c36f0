"""Everything the outcomes domain reads about a set of participants, in a fixed number of
statements whatever the set's size.

The other domains' `services` modules expose batch readers for most of what we need
(enrolments, credentials, skill gains, checkpoints, verified income, loan arrears); where
they only offer per-participant or actor-scoped reads (plans and milestones, status changes,
referrals, placements, loans, stipend schedules and lines) this module reads those tables
directly, read-only. It is the one place in econ/outcomes that does; nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from econ.employers import services as employers
from econ.employers.models import Placement, Referral
from econ.microcredit.models import Installment, Loan, Repayment
from econ.participants import services as participants
from econ.participants.models import Milestone, Participant, Plan, StatusChange
from econ.settings.services import setting
from econ.stipends.models import PaymentLine, PaymentRun, StipendSchedule
from econ.training import services as training


@dataclass
class Facts:
    """Rows of every domain for a set of participants, grouped by participant id."""

    participants: dict[int, Participant]
    targets: dict[int, Decimal]
    milestones: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    status_changes: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    enrollments: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    cohorts: dict[int, object] = field(default_factory=dict)
    programs: dict[int, object] = field(default_factory=dict)
    credentials: dict[int, object] = field(default_factory=dict)  # by enrolment
    skill_gains: dict[int, list] = field(default_factory=dict)  # by enrolment
    enrollment_history: dict[int, list] = field(default_factory=dict)  # by enrolment
    attendance: dict[int, object] = field(default_factory=dict)  # by enrolment
    referrals: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    placements: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    checkpoints: dict[int, list] = field(default_factory=dict)  # by placement
    income: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    schedules: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    lines: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # by schedule
    loans: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    installments: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # by loan
    repayments: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # live, by loan
    arrears: dict[int, object] = field(default_factory=dict)  # by loan, as of the date asked


def _group(rows: Iterable, key, into: dict) -> None:
    for row in rows:
        into[key(row)].append(row)


def load_facts(
    participant_ids: Iterable[int], as_of: date, *, parts: set[str] | None = None
) -> Facts:
    """Facts for the participants; `parts` limits what is read (None: everything)."""
    ids = sorted(set(participant_ids))
    want = (lambda name: True) if parts is None else (lambda name: name in parts)
    people = participants.participants_by_id(ids)
    facts = Facts(participants=people, targets=_targets(ids))
    if not ids:
        return facts
    if want("milestones"):
        _group(
            Milestone.select(Milestone, Plan.participant)
            .join(Plan)
            .where(Plan.participant.in_(ids))
            .order_by(Milestone.due_date, Milestone.position, Milestone.id),
            lambda m: m.plan.participant_id,
            facts.milestones,
        )
    if want("status"):
        _group(
            StatusChange.select()
            .where(StatusChange.participant.in_(ids))
            .order_by(StatusChange.at, StatusChange.id),
            lambda s: s.participant_id,
            facts.status_changes,
        )
    if want("training"):
        _load_training(facts, ids)
    if want("employment"):
        _load_employment(facts, ids)
    if want("income"):
        facts.income = dict(participants.verified_income_by_month(ids))
    if want("stipend"):
        _load_stipends(facts, ids)
    if want("microcredit"):
        _load_loans(facts, ids, as_of)
    return facts


def _targets(ids: list[int]) -> dict[int, Decimal]:
    """Each woman's plan target, or the program default (as participants.independence does)."""
    default = setting("target_monthly_income")
    targets = dict.fromkeys(ids, default)
    if ids:
        for plan in Plan.select(Plan.participant, Plan.target_monthly_income).where(
            Plan.participant.in_(ids) & Plan.target_monthly_income.is_null(False)
        ):
            targets[plan.participant_id] = plan.target_monthly_income
    return targets


def _load_training(facts: Facts, ids: list[int]) -> None:
    by_participant = training.enrollments_by_participant(ids)
    enrollment_ids = []
    for pid, rows in by_participant.items():
        facts.enrollments[pid] = list(rows)
        enrollment_ids.extend(e.id for e in rows)
    facts.cohorts = training.cohorts_by_id(
        {e.cohort_id for rows in by_participant.values() for e in rows}
    )
    facts.programs = training.programs_by_id({c.program_id for c in facts.cohorts.values()})
    facts.credentials = training.credentials_by_enrollment(enrollment_ids)
    facts.skill_gains = training.skill_gains_by_enrollment(enrollment_ids)
    facts.enrollment_history = training.histories_by_enrollment(enrollment_ids)
    facts.attendance = training.summaries(enrollment_ids)


def _load_employment(facts: Facts, ids: list[int]) -> None:
    _group(
        Referral.select().where(Referral.participant.in_(ids)).order_by(Referral.id),
        lambda r: r.participant_id,
        facts.referrals,
    )
    placements = list(
        Placement.select().where(Placement.participant.in_(ids)).order_by(Placement.start_date)
    )
    _group(placements, lambda p: p.participant_id, facts.placements)
    facts.checkpoints = employers.checkpoints_for([p.id for p in placements])


def _load_stipends(facts: Facts, ids: list[int]) -> None:
    schedules = list(
        StipendSchedule.select()
        .where(StipendSchedule.participant.in_(ids))
        .order_by(StipendSchedule.id)
    )
    _group(schedules, lambda s: s.participant_id, facts.schedules)
    if schedules:
        _group(
            PaymentLine.select(PaymentLine, PaymentRun.state)
            .join(PaymentRun)
            .where(
                PaymentLine.schedule.in_([s.id for s in schedules])
                & (PaymentRun.state != "CANCELLED")
            )
            .order_by(PaymentLine.period),
            lambda line: line.schedule_id,
            facts.lines,
        )


def _load_loans(facts: Facts, ids: list[int], as_of: date) -> None:
    from econ.microcredit import services as microcredit

    loans = list(Loan.select().where(Loan.borrower.in_(ids)).order_by(Loan.id))
    _group(loans, lambda loan: loan.borrower_id, facts.loans)
    if not loans:
        return
    _group(
        Installment.select()
        .where(Installment.loan.in_([loan.id for loan in loans]))
        .order_by(Installment.number),
        lambda i: i.loan_id,
        facts.installments,
    )
    _group(
        Repayment.select()
        .where(Repayment.loan.in_([loan.id for loan in loans]) & Repayment.reversed_at.is_null())
        .order_by(Repayment.paid_on, Repayment.id),
        lambda r: r.loan_id,
        facts.repayments,
    )
    booked = [loan for loan in loans if loan.disbursement_date and loan.disbursement_date <= as_of]
    facts.arrears = {a.loan_id: a for a in microcredit.arrears_for(booked, as_of)}


def caseload_ids(counselor_id: int) -> list[int]:
    query = Participant.select(Participant.id).where(Participant.counselor == counselor_id)
    return [p.id for p in query]


def all_participant_ids() -> list[int]:
    return [p.id for p in Participant.select(Participant.id)]


def employer_placement_owner_ids(employer_id: int) -> list[int]:
    """Participants placed with one employer (for its own retention figures only)."""
    query = (
        Placement.select(Placement.participant).where(Placement.employer == employer_id).distinct()
    )
    return [p.participant_id for p in query]


def milestone_participant_id(milestone_id: int) -> int | None:
    row = (
        Milestone.select(Plan.participant)
        .join(Plan)
        .where(Milestone.id == milestone_id)
        .tuples()
        .first()
    )
    return row[0] if row else None
