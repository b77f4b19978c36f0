"""Awards cannot be farmed (issue 14, item 3), over HTTP as the issue found it.

Before: a counselor created one-day cohorts of one program, enrolled, and completed three
times in a minute (three TRAINING_COMPLETED awards); an employer back-dated a hire's start
by 100 days and confirmed the 90-day checkpoint the same day (a RETAINED_90_DAYS award).
"""

from __future__ import annotations

import datetime as dt

from econ.employers import services as employers
from econ.employers.models import RetentionCheckpoint
from econ.stipends.models import IncentiveAward
from econ.training.models import Enrollment
from tests.employers.conftest import consent, open_opportunity, world  # noqa: F401  (the `world` fixture)
from tests.support.clock import on_day
from tests.support.people import PASSWORD
from tests.training.conftest import Kit

TODAY = dt.date.today()
DAY = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"][TODAY.weekday()]


def _awards(rule: str) -> int:
    return IncentiveAward.select().where(IncentiveAward.rule == rule).count()


def test_completing_one_program_again_and_again_pays_once(api, people):
    kit = Kit(people)
    program = kit.program()
    her = kit.participant()
    coach = api.login(kit.counselor_user.email, PASSWORD)
    for _ in range(3):  # three one-day cohorts of the same program, in a minute
        cohort = api.ok(
            "createCohort",
            {"programId": str(program.id), "startDate": TODAY.isoformat(),
             "endDate": TODAY.isoformat(), "sessionDays": [DAY]},
            "cohort { id }", coach,
        )["cohort"]  # fmt: skip
        enrolment = api.ok(
            "enrollParticipant",
            {"cohortId": cohort["id"], "participantId": str(her.id)},
            "enrollment { id status }",
            coach,
        )["enrollment"]
        if enrolment["status"] != "ACTIVE":
            api.ok(
                "setEnrollmentStatus",
                {"enrollmentId": enrolment["id"], "status": "ACTIVE", "reason": "started"},
                "enrollment { status }",
                coach,
            )
        api.ok(
            "completeEnrollment",
            {"enrollmentId": enrolment["id"], "completedOn": TODAY.isoformat()},
            "enrollment { status }",
            coach,
        )
    completed = Enrollment.select().where(Enrollment.status == "COMPLETED").count()
    assert completed == 3  # her completions are all recorded...
    assert _awards("TRAINING_COMPLETED") == 1  # ...and paid once
    # Another program still pays: the rule is per participant and program.
    other = kit.cohort(kit.program(title="Bakery basics"))
    kit.complete(kit.set(kit.enroll(other, her), "ACTIVE"))
    assert _awards("TRAINING_COMPLETED") == 2


def _hire(api, token, referral_id, start: dt.date) -> dict:
    return api.mutate(
        "advanceReferral",
        {"referralId": str(referral_id), "status": "HIRED",
         "placement": {"startDate": start.isoformat()}},
        "placement { id retentionCheckpoints { id days dueOn } }", token,
    )  # fmt: skip


def _offered(world, her, opportunity=None):  # noqa: F811
    consent(world.counselor, her.id, world.employer.id)
    opening = (opportunity or world.opportunity).id
    referral = employers.refer_participant(world.counselor, opening, her.id, "")
    for status in ("SHARED", "INTERVIEW", "OFFERED"):
        employers.advance_referral(world.counselor, referral.id, status)
    return referral


def test_a_hire_cannot_be_back_dated_to_confirm_retention_at_once(api, people, world):  # noqa: F811
    boss = api.login(world.employer_user.email, PASSWORD)
    her = people.participant(world.counselor)
    referral = _offered(world, her)
    for start in (TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=1)):
        refused = _hire(api, boss, referral.id, start)  # 100 days back; before the referral
        assert [e["code"] for e in refused["errors"]] == ["INVALID_DATE"], start
    hired = _hire(api, boss, referral.id, TODAY)
    checkpoints = {c["days"]: c for c in hired["placement"]["retentionCheckpoints"]}
    assert checkpoints[90]["dueOn"] == (TODAY + dt.timedelta(days=90)).isoformat()
    early = api.mutate(
        "confirmRetention",
        {"checkpointId": checkpoints[90]["id"], "outcome": "CONFIRMED_EMPLOYED"},
        "checkpoint { status }",
        boss,
    )
    assert [e["code"] for e in early["errors"]] == ["NOT_YET_DUE"]
    assert _awards("RETAINED_90_DAYS") == 0


def test_checkpoints_count_from_the_day_the_hire_was_recorded(api, people, world):  # noqa: F811
    """Within the days allowed back, a start before the recording day moves no checkpoint
    earlier than the recording day plus its days."""
    with on_day(TODAY - dt.timedelta(days=20)):  # registered and referred 20 days ago
        her = people.participant(world.counselor)
        referral = _offered(world, her)
    boss = api.login(world.employer_user.email, PASSWORD)
    hired = _hire(api, boss, referral.id, TODAY - dt.timedelta(days=10))
    assert hired["errors"] == []
    due = {c.days: c.due_on for c in RetentionCheckpoint.select()}
    assert due == {d: TODAY + dt.timedelta(days=d) for d in (30, 90, 180)}
    # Before her registration is refused too (another participant, registered today).
    late = people.participant(world.counselor)
    referral = _offered(world, late, open_opportunity(world.employer_actor))
    refused = _hire(api, boss, referral.id, TODAY - dt.timedelta(days=10))
    assert [e["code"] for e in refused["errors"]] == ["INVALID_DATE"]
