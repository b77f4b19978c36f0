"""Plan milestones linked to records complete themselves when the record reaches its goal,
for each record type; a record that leaves its goal does not reopen the milestone."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest

from econ.employers import services as employers
from econ.errors import DomainError
from econ.microcredit import services as mc
from econ.outcomes.services import link_plan_milestone
from econ.participants import services as participants
from econ.participants.models import Milestone, MilestoneStatusChange
from tests.employers.conftest import consent, make_employer, open_opportunity
from tests.microcredit.factory import disbursed_loan
from tests.microcredit.factory import world as loan_world
from tests.support.clock import on_day
from tests.training.conftest import Kit


def _milestone(counselor, person, title="Goal", category="OTHER") -> Milestone:
    plan = participants.revise_plan(
        counselor,
        person.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1400.00",
        milestones=[{"title": title, "category": category, "due_date": "2026-12-31"}],
    )
    return plan.milestones.get()


def _history(milestone) -> list[tuple[str, str]]:
    m = Milestone.get_by_id(milestone.id)
    return [
        (c.from_status, c.to_status) for c in m.status_changes.order_by(MilestoneStatusChange.id)
    ]


def _status(milestone) -> str:
    return Milestone.get_by_id(milestone.id).status


def test_enrollment_completion_completes_its_milestone(people):
    kit = Kit(people)
    her = kit.participant()
    milestone = _milestone(kit.counselor, her, "Finish the course", "TRAINING")
    enrollment = kit.enroll(kit.cohort(), her)
    link_plan_milestone(kit.counselor, milestone.id, "enrollment", enrollment.id)
    assert _status(milestone) == "OPEN"
    kit.set(enrollment, "ACTIVE")
    kit.complete(enrollment)
    assert _status(milestone) == "DONE"
    assert _history(milestone) == [("OPEN", "DONE")]


def _hiring_world(people):
    _, admin = people.admin()
    _, counselor = people.counselor()
    employer = make_employer(admin)
    _, employer_actor = people.employer(employer.id)
    opportunity = open_opportunity(employer_actor)
    return counselor, employer, opportunity


def _shared(counselor, employer, opportunity, her):
    consent(counselor, her.id, employer.id)
    referral = employers.refer_participant(counselor, opportunity.id, her.id, "")
    referral = employers.advance_referral(counselor, referral.id, "SHARED")
    for status in ("INTERVIEW", "OFFERED"):
        employers.advance_referral(counselor, referral.id, status)
    return referral


@on_day(dt.date(2026, 1, 5))  # the hire is recorded on its start day
def test_hire_completes_the_referral_milestone_and_90_days_the_placement_one(people):
    counselor, employer, opportunity = _hiring_world(people)
    her = people.participant(counselor)
    plan = participants.revise_plan(
        counselor,
        her.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income=None,
        milestones=[
            {"title": "Get hired", "category": "EMPLOYMENT"},
            {"title": "Keep the job 3 months", "category": "EMPLOYMENT"},
        ],
    )
    hired_goal, kept_goal = list(plan.milestones.order_by(Milestone.position))
    referral = _shared(counselor, employer, opportunity, her)
    link_plan_milestone(counselor, hired_goal.id, "referral", referral.id)
    start = dt.date(2026, 1, 5)
    employers.advance_referral(counselor, referral.id, "HIRED", placement={"start_date": start})
    assert _status(hired_goal) == "DONE"
    placement = employers.placement_of_referral(referral.id)
    link_plan_milestone(counselor, kept_goal.id, "placement", placement.id)
    checkpoints = {c.days: c for c in employers.checkpoints_for([placement.id])[placement.id]}
    employers.confirm_retention(
        counselor, checkpoints[30].id, "CONFIRMED_EMPLOYED", today=dt.date(2026, 2, 4)
    )
    assert _status(kept_goal) == "OPEN"  # 30 days is not the goal
    employers.confirm_retention(
        counselor, checkpoints[90].id, "CONFIRMED_EMPLOYED", today=dt.date(2026, 4, 5)
    )
    assert _status(kept_goal) == "DONE"


def test_repaid_loan_completes_it_and_a_reversal_leaves_it_done_until_reopened(people):
    w = loan_world(people, size=3)
    her = w.members[0]
    milestone = _milestone(w.counselor, her, "Repay my first loan", "ENTREPRENEURSHIP")
    loan = disbursed_loan(w, her, amount="200.00", installments=2)
    link_plan_milestone(w.counselor, milestone.id, "loan", loan.id)
    mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 13))
    assert _status(milestone) == "OPEN"
    last = mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 20))
    assert _status(milestone) == "DONE"
    # the repayment bounced: the loan is open again, the milestone stays DONE (decided:
    # automatic moves only ever complete; reopening is the counselor's call)
    mc.reverse_repayment(w.finance, last.id, "bounced transfer")
    assert mc.get_loan(w.finance, loan.id).state == "DISBURSED"
    assert _status(milestone) == "DONE"
    participants.set_milestone_status(w.counselor, milestone.id, "OPEN", "repayment bounced")
    assert _history(milestone) == [("OPEN", "DONE"), ("DONE", "OPEN")]
    mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 27))
    assert _status(milestone) == "DONE"  # repaid again: done again, all moves kept
    assert _history(milestone) == [("OPEN", "DONE"), ("DONE", "OPEN"), ("OPEN", "DONE")]


def test_linking_a_record_already_at_its_goal_completes_at_once(people):
    w = loan_world(people, size=3)
    her = w.members[1]
    loan = disbursed_loan(w, her, amount="100.00", installments=1)
    mc.record_repayment(w.finance, loan.id, "100.00", date(2025, 1, 13))
    milestone = _milestone(w.counselor, her)
    linked = link_plan_milestone(w.counselor, milestone.id, "loan", loan.id)
    assert (linked.linked_type, linked.linked_id) == ("loan", loan.id)
    assert _status(milestone) == "DONE"


def test_link_refusals_write_nothing(people):
    w = loan_world(people, size=3)
    her, other = w.members[0], w.members[1]
    milestone = _milestone(w.counselor, her)
    others_loan = disbursed_loan(w, other, amount="100.00", installments=1)
    cases = [
        ("loan", others_loan.id, w.counselor, "OTHER_PARTICIPANT"),
        ("payment", others_loan.id, w.counselor, "INVALID_RECORD_TYPE"),
        ("loan", 999999, w.counselor, "NOT_FOUND"),
        ("loan", others_loan.id, w.finance, "FORBIDDEN"),
    ]
    _, stranger = people.counselor()
    cases.append(("loan", others_loan.id, stranger, "NOT_FOUND"))
    for record_type, record_id, actor, code in cases:
        with pytest.raises(DomainError) as refused:
            link_plan_milestone(actor, milestone.id, record_type, record_id)
        assert refused.value.code == code, (record_type, code)
    row = Milestone.get_by_id(milestone.id)
    assert (row.linked_type, row.linked_id, row.status) == (None, None, "OPEN")


def test_another_counselors_milestone_is_not_found(people):
    w = loan_world(people, size=3)
    milestone = _milestone(w.counselor, w.members[0])
    _, stranger = people.counselor()
    with pytest.raises(DomainError) as refused:
        link_plan_milestone(stranger, milestone.id, "loan", 1)
    assert refused.value.code == "NOT_FOUND" and refused.value.field == "milestoneId"
