"""Everything the outcomes domain reads about a set of participants, in a fixed number of
statements whatever the set's size.

Every domain is read through the batch readers of its `services` module (participants,
training, employers, stipends, microcredit). Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from econ.employers import services as employers
from econ.grouping import group_by
from econ.microcredit import services as microcredit
from econ.participants import services as participants
from econ.stipends import services as stipends
from econ.training import services as training

LIVE_SCHEDULE = stipends.LIVE_SCHEDULE
OPEN_MILESTONE = ("OPEN", "IN_PROGRESS")
EXCEPTION_STATUSES = ("HELD", "FAILED")  # the payment lines a counselor acts on
# Parts read only when asked for by name: each is a narrow form of a wider part
# (stipend, microcredit) for a view that shows one figure of it.
NARROW = frozenset(
    {
        "milestone_summary",
        "overdue_milestones",
        "open_referrals",
        "placements",
        "stipend_months_left",
        "stipend_exceptions",
        "late_loans",
    }
)
# The referrals a counselor acts on (waiting for consent or sharing, or for a reply).
OPEN_REFERRAL = ("PROPOSED", "SHARED")


@dataclass
class Facts:
    """Rows of every domain for a set of participants, grouped by participant id."""

    participants: dict[int, participants.Participant]
    targets: dict[int, Decimal]
    milestones: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    overdue_steps: dict[int, list] = field(default_factory=lambda: defaultdict(list))
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
    # Narrow parts (see load_facts): what a caseload row or a "today" item needs only.
    stipend_months_left: dict[int, int] = field(default_factory=dict)  # live stipends only
    late_loans: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    overdue_counts: dict[int, int] = field(default_factory=dict)  # open, dated, past due
    next_milestones: dict[int, object] = field(default_factory=dict)  # due on as_of or later


def _group(rows: Iterable, key, into: dict) -> None:
    into.update(group_by(rows, key))


def load_facts(
    participant_ids: Iterable[int],
    as_of: date,
    *,
    parts: set[str] | None = None,
    people: dict[int, participants.Participant] | None = None,
) -> Facts:
    """Facts for the participants; `parts` limits what is read (None: every part but the
    NARROW ones, which are read only when named; with `parts`, the plan targets only when
    "targets" is one of them)."""
    ids = sorted(set(participant_ids))
    want = (lambda name: name not in NARROW) if parts is None else (lambda name: name in parts)
    if people is None:  # else the caller has read them already (her caseload, by id)
        people = participants.participants_by_id(ids)
    # Plan targets: every wide read, and a narrow one that names "targets" (Today has none)
    targets = participants.targets_for(ids) if parts is None or "targets" in parts else {}
    facts = Facts(participants=people, targets=targets)
    if not ids:
        return facts
    if want("milestones"):
        _group(
            participants.milestones_of_participants(ids),
            lambda m: m.plan.participant_id,
            facts.milestones,
        )
    if want("milestone_summary"):  # counted and picked by the database
        facts.overdue_counts, facts.next_milestones = (
            participants.milestone_summary_of_participants(ids, as_of, OPEN_MILESTONE)
        )
    if want("overdue_milestones"):  # figures, not models (OverdueStep)
        _group(
            participants.overdue_milestones_of_participants(ids, as_of, OPEN_MILESTONE),
            lambda m: m.participant_id,
            facts.overdue_steps,
        )
    if want("status"):
        _group(
            participants.status_changes_of_participants(ids),
            lambda s: s.participant_id,
            facts.status_changes,
        )
    if want("training"):
        _load_training(facts, ids)
    if want("employment"):
        _load_employment(facts, ids)
    if want("open_referrals"):  # figures, not models (ReferralState)
        _group(
            employers.referral_states_of_participants(ids, OPEN_REFERRAL),
            lambda r: r.participant_id,
            facts.referrals,
        )
    if want("placements"):
        _load_placements(facts, ids)
    if want("income"):
        facts.income = dict(participants.verified_income_by_month(ids))
    if want("stipend"):
        _load_stipends(facts, ids)
    if want("stipend_months_left"):
        facts.stipend_months_left = stipends.months_left_of_live_stipends(ids, as_of)
    if want("stipend_exceptions"):
        _load_stipends(facts, ids, only=EXCEPTION_STATUSES)
    if want("microcredit"):
        _load_loans(facts, ids, as_of)
    if want("late_loans"):
        _group(
            microcredit.disbursed_loans_due(ids, as_of), lambda r: r.borrower_id, facts.late_loans
        )
    return facts


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
    _group(employers.referrals_of_participants(ids), lambda r: r.participant_id, facts.referrals)
    _load_placements(facts, ids)


def _load_placements(facts: Facts, ids: list[int]) -> None:
    placements = employers.placements_of_participants(ids)
    _group(placements, lambda p: p.participant_id, facts.placements)
    facts.checkpoints = employers.checkpoints_for([p.id for p in placements])


def _load_stipends(facts: Facts, ids: list[int], only: tuple[str, ...] = ()) -> None:
    schedules = stipends.schedules_of_participants(ids)
    _group(schedules, lambda s: s.participant_id, facts.schedules)
    if schedules:
        _group(
            stipends.live_lines_of_schedules([s.id for s in schedules], statuses=only),
            lambda line: line.schedule_id,
            facts.lines,
        )


def _load_loans(facts: Facts, ids: list[int], as_of: date) -> None:
    loans = microcredit.loans_of_borrowers(ids)
    _group(loans, lambda loan: loan.borrower_id, facts.loans)
    if not loans:
        return
    loan_ids = [loan.id for loan in loans]
    _group(microcredit.installments_of_loans(loan_ids), lambda i: i.loan_id, facts.installments)
    _group(microcredit.live_repayments_of_loans(loan_ids), lambda r: r.loan_id, facts.repayments)
    booked = [loan for loan in loans if loan.disbursement_date and loan.disbursement_date <= as_of]
    # From the rows just read (arrears_for would read the same installments again).
    facts.arrears = {
        loan.id: microcredit.loan_arrears(
            loan, facts.installments.get(loan.id, []), facts.repayments.get(loan.id, []), as_of
        )
        for loan in booked
    }
