"""The top-level cohort list: every cohort of the programs the caller sees, by start date."""

from __future__ import annotations

import datetime as dt

from econ.training import services as training
from econ.training.models import Cohort
from tests.support.people import PASSWORD
from tests.training.conftest import TODAY

QUERY = """query($from: Date) { cohorts(endingFrom: $from, first: 50) {
  totalCount edges { node { id startDate program { title } } } } }"""


def test_cohorts_by_start_date_with_ended_ones_left_out_on_request(kit):
    cooking = kit.program()
    sewing = kit.program(title="Sewing", credential_name="")
    later = kit.cohort(
        cooking, start_date=TODAY + dt.timedelta(10), end_date=TODAY + dt.timedelta(40)
    )
    running = kit.cohort(sewing)
    ended = kit.cohort(sewing)
    Cohort.update(start_date=TODAY - dt.timedelta(90), end_date=TODAY - dt.timedelta(30)).where(
        Cohort.id == ended.id
    ).execute()  # a cohort cannot be created in the past: this one ran before
    every = list(training.list_cohorts(kit.counselor))
    assert [c.id for c in every] == [ended.id, running.id, later.id]
    current = training.list_cohorts(kit.counselor, ending_from=TODAY)
    assert [c.id for c in current] == [running.id, later.id]


def test_a_participant_sees_no_cohort_of_an_inactive_program(kit, people, api):
    program = kit.program()
    cohort = kit.cohort(program)
    training.update_program(kit.counselor, program.id, active=False)
    participant_user, _ = people.participant_login(kit.counselor, kit.participant())
    # a counselor manages the catalogue: she still sees it; the participant does not
    assert [c.id for c in training.list_cohorts(kit.counselor)] == [cohort.id]
    her = api.login(participant_user.email, PASSWORD)
    found = api.query(QUERY, {"from": None}, her)["cohorts"]
    assert found["totalCount"] == 0


def test_over_the_api(kit, api):
    cohort = kit.cohort()
    token = api.login(kit.counselor_user.email, PASSWORD)
    found = api.query(QUERY, {"from": TODAY.isoformat()}, token)["cohorts"]
    assert [e["node"]["id"] for e in found["edges"]] == [str(cohort.id)]
    assert found["edges"][0]["node"]["program"]["title"] == "Professional cooking, level 1"
