"""Status history with re-entry, plan revisions and milestones (service layer)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.participants import services
from econ.participants.models import Milestone, Participant, PlanRevision


def test_non_linear_path_keeps_every_step(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    for status, reason in [
        ("PAUSED", "hospital"),
        ("ACTIVE", "back"),
        ("EXITED", "left"),
        ("ACTIVE", "re-entered"),
    ]:
        services.set_status(counselor, person.id, status, reason)
    history = services.status_history(counselor, Participant.get_by_id(person.id))
    assert [(h.from_status, h.to_status, h.reason) for h in history] == [
        (None, "ACTIVE", "enrolled in the programme"),
        ("ACTIVE", "PAUSED", "hospital"),
        ("PAUSED", "ACTIVE", "back"),
        ("ACTIVE", "EXITED", "left"),
        ("EXITED", "ACTIVE", "re-entered"),
    ]
    # Re-entry reopens the same record: same id and code.
    assert Participant.get_by_id(person.id).code == person.code
    assert Participant.select().count() == 1


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ([], "ACTIVE", "NO_CHANGE"),
        (["EXITED"], "PAUSED", "INVALID_TRANSITION"),
        (["GRADUATED"], "EXITED", "INVALID_TRANSITION"),
        ([], "DANCING", "INVALID_STATUS"),
    ],
)
def test_illegal_status_changes_are_refused_and_leave_no_trace(people, path, status, code):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    for step in path:
        services.set_status(counselor, person.id, step, "setup")
    before = Participant.get_by_id(person.id).status
    with pytest.raises(DomainError) as error:
        services.set_status(counselor, person.id, status, "why")
    assert error.value.code == code
    assert Participant.get_by_id(person.id).status == before
    assert (
        len(services.status_history(counselor, Participant.get_by_id(person.id))) == len(path) + 1
    )


def test_status_change_needs_a_reason_and_her_counselor(people):
    _, counselor = people.counselor()
    _, other = people.counselor()
    person = people.participant(counselor)
    with pytest.raises(DomainError) as no_reason:
        services.set_status(counselor, person.id, "PAUSED", "  ")
    assert no_reason.value.code == "REQUIRED"
    with pytest.raises(DomainError) as not_hers:
        services.set_status(other, person.id, "PAUSED", "x")
    assert not_hers.value.code == "NOT_FOUND"


def test_plan_revisions_keep_earlier_ones_and_need_new_agreement(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    _, her = people.participant_login(counselor, person)
    plan = services.revise_plan(
        counselor,
        person.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1500.00",
        milestones=[
            {"title": "Open a bank account", "category": "BANKING"},
            {"title": "ID card", "category": "ID_DOCUMENTS", "due_date": "2027-01-31"},
        ],
    )
    assert plan.revision == 1 and plan.agreed_at is None
    services.agree_to_plan(her, person.id)
    first_ids = [m.id for m in plan.milestones.order_by(Milestone.position)]
    services.set_milestone_status(counselor, first_ids[0], "DONE")

    plan = services.revise_plan(
        counselor,
        person.id,
        pathways=["EMPLOYMENT", "EDUCATION"],
        target_monthly_income="1600.00",
        milestones=[
            {"id": first_ids[0], "title": "Open a bank account", "category": "BANKING"},
            {"title": "Evening course", "category": "EDUCATION"},
        ],
    )
    assert plan.revision == 2 and plan.agreed_at is None
    assert plan.target_monthly_income == Decimal("1600.00")
    statuses = {m.title: m.status for m in plan.milestones}
    assert statuses == {
        "Open a bank account": "DONE",
        "ID card": "DROPPED",
        "Evening course": "OPEN",
    }
    revisions = services.plan_revisions(plan)
    assert [r.revision for r in revisions] == [2, 1]
    first = revisions[1]
    assert first.pathways == ["EMPLOYMENT"] and first.target_monthly_income == Decimal("1500.00")
    assert first.agreed_at is not None
    assert [m["title"] for m in first.milestones] == ["Open a bank account", "ID card"]
    assert PlanRevision.select().count() == 2


def test_only_she_agrees_to_her_plan(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    services.revise_plan(
        counselor, person.id, pathways=["EMPLOYMENT"], target_monthly_income=None, milestones=[]
    )
    with pytest.raises(DomainError) as error:
        services.agree_to_plan(counselor, person.id)
    assert error.value.code == "FORBIDDEN"


def test_bad_plan_input_stores_nothing(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    with pytest.raises(DomainError) as error:
        services.revise_plan(
            counselor,
            person.id,
            pathways=["EMPLOYMENT"],
            target_monthly_income="12.345",
            milestones=[{"title": "x", "category": "BANKING"}],
        )
    assert (error.value.code, error.value.field) == ("INVALID_AMOUNT", "targetMonthlyIncome")
    with pytest.raises(DomainError) as error:
        services.revise_plan(
            counselor,
            person.id,
            pathways=["EMPLOYMENT"],
            target_monthly_income="1400",
            milestones=[{"title": "x", "category": "NOPE"}],
        )
    assert error.value.field == "milestones.0.category"
    assert Milestone.select().count() == 0 and PlanRevision.select().count() == 0


def test_linked_milestone_completes_itself_and_can_be_reopened_by_hand(people):
    _, counselor = people.counselor()
    person = people.participant(counselor)
    plan = services.revise_plan(
        counselor,
        person.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income=None,
        milestones=[{"title": "Course", "category": "TRAINING"}],
    )
    milestone = plan.milestones.get()
    services.link_milestone(counselor, milestone.id, "enrollment", 42)
    assert services.complete_linked_milestones("enrollment", 42) == 1
    assert Milestone.get_by_id(milestone.id).status == "DONE"
    services.set_milestone_status(counselor, milestone.id, "OPEN", "not really finished")
    changes = [
        (c.from_status, c.to_status) for c in Milestone.get_by_id(milestone.id).status_changes
    ]
    assert changes == [("OPEN", "DONE"), ("DONE", "OPEN")]
