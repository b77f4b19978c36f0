"""Her skill gains are her counselor's record (the allowlist gives PARTICIPANT only an
empty page of them): the training service decides it, so she reads none over HTTP, not
only none the allowlist lets the audit ask for."""

from __future__ import annotations

import datetime as dt

from econ.training import services as training
from tests.support.people import PASSWORD
from tests.training.conftest import Kit

GAINS = """query($id: ID!) { participant(id: $id) { enrollments { edges { node {
  skillGains { totalCount edges { node { type note } } } } } } } }"""


def test_she_reads_no_skill_gain_and_her_counselor_reads_them(api, people):
    kit = Kit(people)
    her = kit.participant("Rosa")
    enrollment = kit.enroll(kit.cohort(), her)
    kit.set(enrollment, "ACTIVE")
    training.record_skill_gain(
        kit.counselor, enrollment.id, "SKILLS_EXAM", dt.date.today(), "hygiene exam, second try"
    )
    variables = {"id": str(her.id)}
    coach = api.login(kit.counselor_user.email, PASSWORD)
    theirs = api.query(GAINS, variables, coach)["participant"]["enrollments"]["edges"]
    assert theirs[0]["node"]["skillGains"]["totalCount"] == 1
    assert theirs[0]["node"]["skillGains"]["edges"][0]["node"]["note"] == "hygiene exam, second try"
    login, _ = people.participant_login(kit.counselor, her)
    body = api.post(GAINS, variables, api.login(login.email, PASSWORD))
    [mine] = body["data"]["participant"]["enrollments"]["edges"]
    assert mine["node"]["skillGains"] == {"totalCount": 0, "edges": []}
    assert "second try" not in str(body)


def test_the_service_gives_her_none(people):
    kit = Kit(people)
    her = kit.participant("Rosa")
    enrollment = kit.enroll(kit.cohort(), her)
    kit.set(enrollment, "ACTIVE")
    training.record_skill_gain(kit.counselor, enrollment.id, "TRANSCRIPT", dt.date.today(), "")
    _, she = people.participant_login(kit.counselor, her)
    assert training.skill_gains_for(she, [enrollment.id]) == {enrollment.id: []}
    assert len(training.skill_gains_for(kit.counselor, [enrollment.id])[enrollment.id]) == 1
    _, other_counselor = people.counselor()
    assert training.skill_gains_for(other_counselor, [enrollment.id]) == {enrollment.id: []}
