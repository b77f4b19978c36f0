"""A plan revision as a change to the current one: only what is named changes."""

from __future__ import annotations

import datetime as dt

import pytest

from econ.errors import DomainError, DomainErrors
from econ.participants import services
from econ.participants.models import Milestone, MilestoneStatusChange, PlanRevision
from econ.participants.services import MilestonePatch, PlanChange

STEPS = [
    {"title": "Open a bank account", "category": "BANKING", "due_date": "2027-01-15"},
    {"title": "Write a CV", "category": "EMPLOYMENT", "due_date": "2027-02-01"},
    {"title": "Childcare place", "category": "OTHER"},
]


@pytest.fixture
def planned(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    plan = services.revise_plan(
        counselor,
        person.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1200",
        milestones=STEPS,
    )
    return counselor, person, plan


def _steps(plan) -> list[tuple[str, str, str | None]]:
    return [
        (m.title, m.status, m.due_date.isoformat() if m.due_date else None)
        for m in plan.milestones.order_by(Milestone.position, Milestone.id)
    ]


def test_changing_one_milestone_keeps_the_others_and_their_status(planned):
    counselor, person, plan = planned
    bank, cv, _ = plan.milestones.order_by(Milestone.position)
    services.set_milestone_status(counselor, bank.id, "DONE")
    changed = services.change_plan(
        counselor,
        person.id,
        PlanChange(base_revision=1, update=[MilestonePatch(id=cv.id, due_date="2027-03-01")]),
    )
    assert changed.revision == 2 and changed.agreed_at is None
    assert _steps(changed) == [
        ("Open a bank account", "DONE", "2027-01-15"),
        ("Write a CV", "OPEN", "2027-03-01"),
        ("Childcare place", "OPEN", None),
    ]
    assert changed.pathways == ["EMPLOYMENT"] and str(changed.target_monthly_income) == "1200.00"
    snapshot = PlanRevision.get(PlanRevision.plan == plan.id, PlanRevision.revision == 2)
    assert [m["dueDate"] for m in snapshot.milestones] == ["2027-01-15", "2027-03-01", None]
    first = PlanRevision.get(PlanRevision.plan == plan.id, PlanRevision.revision == 1)
    assert first.milestones[1]["dueDate"] == "2027-02-01"  # the earlier revision stays as it was


def test_add_and_drop_one_without_resending_the_rest(planned):
    counselor, person, plan = planned
    _, _, childcare = plan.milestones.order_by(Milestone.position)
    changed = services.change_plan(
        counselor,
        person.id,
        PlanChange(
            base_revision=1,
            add=[{"title": "Driving licence", "category": "EDUCATION", "due_date": "2027-06-30"}],
            drop=[childcare.id],
        ),
    )
    assert _steps(changed) == [
        ("Open a bank account", "OPEN", "2027-01-15"),
        ("Write a CV", "OPEN", "2027-02-01"),
        ("Childcare place", "DROPPED", None),
        ("Driving licence", "OPEN", "2027-06-30"),
    ]
    # dropped, never deleted: its history says so
    change = MilestoneStatusChange.get(MilestoneStatusChange.milestone == childcare.id)
    assert (change.from_status, change.to_status) == ("OPEN", "DROPPED")


def test_a_change_to_an_older_revision_is_refused(planned):
    counselor, person, plan = planned
    cv = plan.milestones.order_by(Milestone.position)[1]
    services.change_plan(
        counselor, person.id, PlanChange(base_revision=1, update=[MilestonePatch(cv.id, "CV")])
    )
    with pytest.raises(DomainError) as refused:
        services.change_plan(counselor, person.id, PlanChange(base_revision=1, drop=[cv.id]))
    assert refused.value.code == "REVISION_CHANGED"
    assert Milestone.get_by_id(cv.id).status == "OPEN"


def test_every_bad_field_is_reported_at_once_and_nothing_changes(planned):
    counselor, person, plan = planned
    bank, cv, _ = plan.milestones.order_by(Milestone.position)
    with pytest.raises(DomainErrors) as refused:
        services.change_plan(
            counselor,
            person.id,
            PlanChange(
                base_revision=1,
                target_monthly_income="-5",
                update=[
                    MilestonePatch(id=bank.id, due_date="2027-13-40"),
                    MilestonePatch(id=cv.id, title=" "),
                ],
                add=[{"title": "", "category": "NOPE"}],
                drop=[999999],
            ),
        )
    assert sorted((e.field, e.code) for e in refused.value.errors) == [
        ("add.0.category", "INVALID_CHOICE"),
        ("add.0.title", "REQUIRED"),
        ("drop.0", "NOT_FOUND"),
        ("targetMonthlyIncome", "INVALID_AMOUNT"),
        ("update.0.dueDate", "INVALID_DATE"),
        ("update.1.title", "REQUIRED"),
    ]
    assert services.get_plan(counselor, person).revision == 1
    assert Milestone.select().count() == 3


def test_a_change_that_changes_nothing_is_no_revision(planned):
    counselor, person, plan = planned
    bank = plan.milestones.order_by(Milestone.position)[0]
    same = MilestonePatch(id=bank.id, title="Open a bank account", due_date="2027-01-15")
    with pytest.raises(DomainError) as refused:
        services.change_plan(counselor, person.id, PlanChange(base_revision=1, update=[same]))
    assert refused.value.code == "NO_CHANGE"
    assert services.get_plan(counselor, person).revision == 1


def test_changing_a_dropped_milestone_brings_it_back(planned):
    counselor, person, plan = planned
    childcare = plan.milestones.order_by(Milestone.position)[2]
    services.change_plan(counselor, person.id, PlanChange(base_revision=1, drop=[childcare.id]))
    back = services.change_plan(
        counselor,
        person.id,
        PlanChange(
            base_revision=2, update=[MilestonePatch(id=childcare.id, due_date="2027-09-01")]
        ),
    )
    assert _steps(back)[2] == ("Childcare place", "OPEN", "2027-09-01")


def test_her_agreement_stays_with_the_revision_she_agreed_to(people, planned):
    counselor, person, plan = planned
    _, her = people.participant_login(counselor, person)
    services.agree_to_plan(her, person.id, 1)
    cv = plan.milestones.order_by(Milestone.position)[1]
    changed = services.change_plan(
        counselor, person.id, PlanChange(base_revision=1, update=[MilestonePatch(cv.id, "CV")])
    )
    assert changed.agreed_at is None
    assert services.agreed_revision(changed) == 1
    services.agree_to_plan(her, person.id, 2)
    assert services.agreed_revision(services.get_plan(counselor, person)) == 2


def test_only_her_counselor_changes_her_plan(people, planned):
    _, person, plan = planned
    _, other = people.counselor()
    _, admin = people.admin()
    cv = plan.milestones.order_by(Milestone.position)[1]
    change = PlanChange(base_revision=1, drop=[cv.id])
    with pytest.raises(DomainError) as denied:
        services.change_plan(other, person.id, change)
    assert denied.value.code == "NOT_FOUND"
    with pytest.raises(DomainError):
        services.change_plan(admin, person.id, change)
    assert Milestone.get_by_id(cv.id).status == "OPEN"


def test_a_first_plan_can_be_written_as_a_change(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    plan = services.change_plan(
        counselor,
        person.id,
        PlanChange(
            base_revision=0,
            pathways=["EDUCATION"],
            add=[{"title": "Enrol in evening class", "category": "EDUCATION"}],
        ),
    )
    assert plan.revision == 1 and plan.pathways == ["EDUCATION"]
    assert _steps(plan) == [("Enrol in evening class", "OPEN", None)]
    assert dt.date.today() >= plan.updated_at.date()
