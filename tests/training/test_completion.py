"""Completion: credential, skills, exactly one incentive award, the linked milestone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.participants import services as participants
from econ.participants.models import Milestone, Participant
from econ.stipends.models import IncentiveAward
from econ.training import services as training
from econ.training.models import Credential, Enrollment, SkillGain
from tests.support.plans import plan_with_milestone
from tests.training.conftest import TODAY

# An ESCO-style concept URI as a skill key (the id is illustrative).
ESCO_FOOD_SAFETY = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def _active(kit, **enroll_kwargs):
    enrollment = kit.enroll(kit.cohort(), **enroll_kwargs)
    return kit.set(enrollment, "ACTIVE")


def test_completion_records_credential_adds_skills_and_one_award(kit):
    enrollment = _active(kit)
    done = kit.complete(
        enrollment,
        completed_on=TODAY - dt.timedelta(days=1),
        credential={"name": "Food handler certificate", "reference": "FH-2026-0042"},
    )
    assert (done.status, done.completed_on) == ("COMPLETED", TODAY - dt.timedelta(days=1))
    credential = Credential.get(Credential.enrollment == enrollment.id)
    assert credential.name == "Food handler certificate"
    assert credential.issuer == "Escuela de Hostelería Madrid"  # defaults to the provider
    assert credential.issued_on == TODAY - dt.timedelta(days=1)
    assert "FH-2026" not in credential.reference  # encrypted at rest
    assert training.credential_reference(credential) == "FH-2026-0042"
    skills = {s["key"] for s in Participant.get_by_id(enrollment.participant_id).skills}
    # the kit's participant has no skills of her own: exactly the program's two
    assert skills == {ESCO_FOOD_SAFETY, "knife-skills"}
    awards = list(IncentiveAward.select())
    assert len(awards) == 1
    award = awards[0]
    assert (award.rule, award.source_type, award.source_id) == (
        "TRAINING_COMPLETED",
        "enrollment",
        str(enrollment.id),
    )
    assert award.amount == Decimal("100.00")  # default of incentive_training_completed


def test_completing_twice_is_refused_and_grants_no_second_award(kit):
    enrollment = _active(kit)
    kit.complete(enrollment)
    with pytest.raises(DomainError) as err:
        kit.complete(enrollment)
    assert err.value.code == "ALREADY_COMPLETED"
    assert IncentiveAward.select().count() == 1
    assert Credential.select().count() == 1


def test_only_an_active_enrolment_completes(kit):
    enrollment = kit.enroll(kit.cohort())
    with pytest.raises(DomainError) as err:
        kit.complete(enrollment)
    assert err.value.code == "INVALID_TRANSITION"
    assert IncentiveAward.select().count() == 0
    assert Enrollment.get_by_id(enrollment.id).status == "ENROLLED"


def test_completion_date_must_be_within_the_course_and_not_future(kit):
    enrollment = _active(kit)
    for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=60)):
        with pytest.raises(DomainError) as err:
            kit.complete(enrollment, completed_on=day)
        assert (err.value.code, err.value.field) == ("INVALID_DATE", "completedOn")
    assert IncentiveAward.select().count() == 0


def test_linked_milestone_is_completed_with_the_enrolment(kit):
    maria = kit.participant()
    milestone = plan_with_milestone(kit.counselor, maria.id, "Finish a cooking course", "TRAINING")
    enrollment = _active(kit, participant=maria, milestone_id=milestone.id)
    assert (
        Milestone.get_by_id(milestone.id).linked_type,
        Milestone.get_by_id(milestone.id).linked_id,
    ) == (
        "enrollment",
        enrollment.id,
    )
    kit.complete(enrollment)
    assert Milestone.get_by_id(milestone.id).status == "DONE"


def test_a_milestone_of_someone_else_cannot_be_linked(kit):
    joy = kit.participant("Joy")
    plan = participants.revise_plan(
        kit.counselor,
        joy.id,
        pathways=["EMPLOYMENT"],
        target_monthly_income=None,
        milestones=[{"title": "Her course", "category": "TRAINING"}],
    )
    with pytest.raises(DomainError) as err:
        kit.enroll(kit.cohort(), kit.participant("Maria"), milestone_id=plan.milestones.get().id)
    assert (err.value.code, err.value.field) == ("NOT_FOUND", "milestoneId")
    assert Enrollment.select().count() == 0


def test_skill_gains_only_on_an_active_enrolment(kit):
    enrollment = kit.enroll(kit.cohort())
    with pytest.raises(DomainError) as err:
        training.record_skill_gain(kit.counselor, enrollment.id, "SKILLS_EXAM", TODAY)
    assert err.value.code == "NOT_ACTIVE"
    kit.set(enrollment, "ACTIVE")
    gain = training.record_skill_gain(
        kit.counselor, enrollment.id, "SKILLS_EXAM", TODAY, "passed the hygiene exam"
    )
    assert (gain.type, gain.date, gain.note) == ("SKILLS_EXAM", TODAY, "passed the hygiene exam")
    with pytest.raises(DomainError) as err:
        training.record_skill_gain(kit.counselor, enrollment.id, "FEELINGS", TODAY)
    assert err.value.code == "INVALID_TYPE"
    assert SkillGain.select().count() == 1
